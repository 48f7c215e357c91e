/**
 * History queries at 100,000 entries: a history of 100,000 sends (request + outcome lines in the real
 * log format, written straight to the JSONL file the way HistoryWriter lays it out) is opened with
 * HistoryIndex, then text, device, status, time-range and deep-paging queries are timed. The peer, in
 * the same run, is what a tool without an index does: readFile + JSON.parse of every line + a linear
 * scan per query. Goal (issue 4): every query p50 < 50 ms at 100,000 entries.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOG_VERSION, redactHeaders, type LogLine, type OutcomeLine, type RequestLine } from '../src/common/log/entry.ts';
import { HistoryIndex, type IndexQuery } from '../src/node/history/history-index.ts';
import { historyFileName } from '../src/node/history/log-file.ts';

const ENTRIES = 100_000;
const RUNS = 15;
const GOAL_MS = 50;
const T0 = Date.parse('2025-01-01T00:00:00Z');
const URL_ = 'http://127.0.0.1:8787/SendHeartbeat';

function requestLine(i: number): RequestLine {
  const time = new Date(T0 + i * 1000).toISOString();
  const body = JSON.stringify({
    AgentVersion: '1.2.3',
    DeviceName: `camera-${i % 5000}`,
    DeviceFleetName: `fleet-${i % 40}`,
    AgentMetrics: [{ Dimension: 'agent', MetricName: 'cpu-utilization', Value: i % 100, Timestamp: (T0 + i * 1000) / 1000 }],
    Models: [
      {
        ModelName: `detector-${i % 7}`,
        ModelVersion: '3',
        LatestInference: (T0 + i * 1000) / 1000,
        ModelMetrics: [{ Dimension: 'model', MetricName: 'latency-ms', Value: 8.1, Timestamp: (T0 + i * 1000) / 1000 }],
      },
    ],
  });
  const headers = redactHeaders({
    'content-type': 'application/json',
    host: '127.0.0.1:8787',
    'x-amz-date': time.replace(/[-:]/g, '').replace(/\.\d{3}/, ''),
    'x-amz-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    'amz-sdk-invocation-id': `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    'amz-sdk-request': 'attempt=1; max=3',
    authorization: `AWS4-HMAC-SHA256 Credential=AKIAHBCOMPOSERDEMO01/20250101/us-east-1/sagemaker/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=${'0'.repeat(64)}`,
  });
  return {
    v: LOG_VERSION,
    type: 'request',
    id: `entry-${i}`,
    time,
    operation: 'SendHeartbeat',
    target: { kind: 'local', url: 'http://127.0.0.1:8787', region: 'us-east-1' },
    request: { method: 'POST', url: URL_, headers, body },
    tags: ['bench'],
  };
}

function outcomeLine(i: number): OutcomeLine {
  const outcome: OutcomeLine['outcome'] =
    i % 11 === 0
      ? { kind: 'service-error', status: 429, errorType: 'ThrottlingException', message: 'Rate exceeded', requestId: 'r', retried: true }
      : i % 13 === 0
        ? { kind: 'transport-error', code: 'timeout', message: 'The read timed out.', retried: true }
        : { kind: 'success', status: 200, requestId: `req-${i}`, headers: { 'x-amzn-requestid': `req-${i}` }, body: '' };
  const startedAt = new Date(T0 + i * 1000).toISOString();
  return {
    v: LOG_VERSION,
    type: 'outcome',
    id: `entry-${i}`,
    time: new Date(T0 + i * 1000 + 4).toISOString(),
    outcome,
    attempts: [{ attempt: 1, startedAt, status: 200, durationMs: 3.2 }],
    timings: { connectMs: 0.3, firstByteMs: 3, totalMs: 3.2 },
  };
}

const QUERIES: Array<[string, IndexQuery]> = [
  ['text "camera-42"', { text: 'camera-42' }],
  ['device camera-4242', { deviceName: 'camera-4242' }],
  ['status ThrottlingException', { status: 'ThrottlingException' }],
  ['time range (1 hour)', { sinceMs: T0 + 50_000_000, untilMs: T0 + 50_000_000 + 3_600_000 }],
  ['page 200 of everything', { offset: 10_000, limit: 50 }],
];

/** The peer's linear scan: the same filters over fully parsed lines. */
function naiveQuery(lines: LogLine[], q: IndexQuery): number {
  const outcomes = new Map<string, OutcomeLine>();
  for (const line of lines) if (line.type === 'outcome') outcomes.set(line.id, line);
  let total = 0;
  for (const line of lines) {
    if (line.type !== 'request') continue;
    const doc = JSON.parse(line.request.body) as { DeviceName: string; DeviceFleetName: string; Models?: { ModelName: string }[] };
    const time = Date.parse(line.time);
    const outcome = outcomes.get(line.id)?.outcome;
    if (
      q.text &&
      ![doc.DeviceName, doc.DeviceFleetName, ...(doc.Models ?? []).map((m) => m.ModelName)].some((n) => n.toLowerCase().includes(q.text!))
    )
      continue;
    if (q.deviceName && doc.DeviceName !== q.deviceName) continue;
    if (q.status && !(outcome?.kind === 'service-error' && outcome.errorType === q.status)) continue;
    if (q.sinceMs !== undefined && time < q.sinceMs) continue;
    if (q.untilMs !== undefined && time >= q.untilMs) continue;
    total++;
  }
  return total;
}

async function time<T>(fn: () => Promise<T> | T): Promise<[number, T]> {
  const start = performance.now();
  const result = await fn();
  return [performance.now() - start, result];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'hb-bench-history-'));
  try {
    const chunks: string[] = [];
    for (let i = 0; i < ENTRIES; i++) chunks.push(JSON.stringify(requestLine(i)), JSON.stringify(outcomeLine(i)));
    const file = join(dir, historyFileName(1));
    writeFileSync(file, chunks.join('\n') + '\n');
    console.log(
      `history of ${ENTRIES.toLocaleString('en-US')} entries (${(chunks.reduce((n, c) => n + c.length + 1, 0) / 1e6).toFixed(0)} MB, request + outcome lines)`,
    );

    const opens: number[] = [];
    let index: HistoryIndex | undefined;
    for (let i = 0; i < 3; i++) {
      const [ms, opened] = await time(() => HistoryIndex.open(dir));
      opens.push(ms);
      index = opened;
    }
    const [loadMs, lines] = await time(async () =>
      (await readFile(file, 'utf8'))
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as LogLine),
    );
    console.log(
      `open: HistoryIndex.open ${median(opens).toFixed(0)} ms (median of 3); peer readFile + JSON.parse every line ${loadMs.toFixed(0)} ms`,
    );
    if (index!.size !== ENTRIES) throw new Error(`The index holds ${index!.size} entries, not ${ENTRIES}.`);

    let worst = 0;
    for (const [name, query] of QUERIES) {
      const ours: number[] = [];
      let total = 0;
      for (let i = 0; i < RUNS; i++) {
        const [ms, page] = await time(() => index!.query(query));
        ours.push(ms);
        total = page.total;
      }
      const theirs: number[] = [];
      let naiveTotal = 0;
      for (let i = 0; i < 3; i++) {
        const [ms, n] = await time(() => naiveQuery(lines, query));
        theirs.push(ms);
        naiveTotal = n;
      }
      if (query.offset === undefined && naiveTotal !== total)
        throw new Error(`${name}: the index found ${total}, the linear scan ${naiveTotal}.`);
      const p50 = median(ours);
      worst = Math.max(worst, p50);
      console.log(
        `query ${name}: ${total.toLocaleString('en-US')} matches, p50 ${p50.toFixed(1)} ms, max ${Math.max(...ours).toFixed(1)} ms; linear scan of parsed lines ${median(theirs).toFixed(0)} ms → ${(median(theirs) / p50).toFixed(0)}× faster (goal p50 < ${GOAL_MS} ms)`,
      );
    }
    console.log(
      `worst query p50 ${worst.toFixed(1)} ms at ${ENTRIES.toLocaleString('en-US')} entries: ${worst < GOAL_MS ? 'meets' : 'MISSES'} the goal (< ${GOAL_MS} ms)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
