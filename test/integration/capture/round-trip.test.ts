/**
 * Every import format round-trips (docs/captures.md): what the app (or the endpoint, or the CLI) writes,
 * opened as a capture, gives the same requests — operation and body (or the same document once its
 * timestamps are converted), item for item — and carries the outcomes it recorded, a failed send included.
 * Real services throughout: sends through the HeartbeatApi of both hosts to the embedded endpoint, the
 * history's own exports, the endpoint's capture file, the CLI's fleet dry run and run log.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HeartbeatApi, SendResult } from '../../../src/common/api.ts';
import { observedOutcome } from '../../../src/common/capture/compare.ts';
import { detectCaptureFormat } from '../../../src/common/capture/detect.ts';
import type { CaptureFormat, CaptureItem, CaptureRecord } from '../../../src/common/capture/types.ts';
import { DEMO_CREDENTIALS } from '../../../src/common/demo.ts';
import { emitAwsCli, emitCliInputJson, emitCliInputYaml, emitCurl } from '../../../src/common/formats/index.ts';
import type { Operation } from '../../../src/common/model/index.ts';
import { readCaptureFiles } from '../../../src/node/capture/read-capture.ts';
import { startEndpoint, type RunningEndpoint } from '../../../src/node/endpoint/index.ts';
import { HEARTBEAT, rawRequest, sendSigned, signed } from '../endpoint/helpers.ts';
import { describeOnHosts } from '../host/on-hosts.ts';

const dir = mkdtempSync(join(tmpdir(), 'hb-capture-round-trip-'));

/** Reads a capture file as the app opens one (format detected); the records, and the format it was read as. */
async function open(path: string): Promise<{ format: CaptureFormat; reason: string; records: CaptureRecord[] }> {
  let format: CaptureFormat | undefined;
  let reason = '';
  const records: CaptureRecord[] = [];
  for await (const { file: _file, name: _name, ...record } of readCaptureFiles([path], {
    onFormat: (_f, f, guess) => {
      format = f;
      reason = guess?.reason ?? '';
    },
  }))
    records.push(record as CaptureRecord);
  return { format: format!, reason, records };
}

const itemsOf = (records: CaptureRecord[]): CaptureItem[] => records.flatMap((r) => ('item' in r ? [r.item] : []));
const unreadable = (records: CaptureRecord[]) => records.filter((r) => !('item' in r));

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The requests of the round trips: every operation, timestamps with millisecond fractions, non-ASCII text. */
const DOCS: { operation: Operation; doc: Record<string, unknown> }[] = [
  {
    operation: 'SendHeartbeat',
    doc: {
      ...HEARTBEAT,
      DeviceName: 'rt-cam-1',
      DeviceFleetName: 'rt-fleet',
      AgentMetrics: [{ Dimension: 'agent', MetricName: 'cpu-utilization', Value: 12.5, Timestamp: 1_763_797_703.25 }],
    },
  },
  { operation: 'GetDeviceRegistration', doc: { DeviceName: 'rt-cam-1', DeviceFleetName: 'rt-fleet' } },
  { operation: 'GetDeployments', doc: { DeviceName: 'rt-cam-1', DeviceFleetName: 'rt-fleet' } },
  // Invalid: the endpoint answers 400 ValidationException.
  { operation: 'SendHeartbeat', doc: { AgentVersion: `1.0 "quoted" it's ü 😀`, DeviceName: 'rt-bad_-name', DeviceFleetName: 'rt-fleet' } },
  { operation: 'SendHeartbeat', doc: { AgentVersion: '1.0', DeviceName: 'rt-cam-2', DeviceFleetName: 'rt-fleet' } },
];
const byDevice = (items: CaptureItem[]) => new Map(items.map((i) => [JSON.parse(i.body).DeviceName as string, i]));

describeOnHosts('captures round-trip: history exports', (host) => {
  let api: HeartbeatApi;
  const sent: { operation: Operation; body: string; result: SendResult }[] = [];
  beforeAll(async () => {
    api = host().api;
    for (const [n, { operation, doc }] of DOCS.entries()) {
      const body = JSON.stringify({ ...doc, DeviceName: `${doc.DeviceName}-${n}` });
      const result = await api.send({
        id: `rt-${n}`,
        operation,
        body,
        target: { kind: 'local' },
        credentials: { kind: 'demo' },
        options: { skipValidation: true, maxAttempts: 1 },
      });
      sent.push({ operation, body, result });
    }
    // A send that gets no answer: a port nothing listens on.
    const body = JSON.stringify({ AgentVersion: '1.0', DeviceName: 'rt-unanswered', DeviceFleetName: 'rt-fleet' });
    const result = await api.send({
      id: 'rt-refused',
      operation: 'SendHeartbeat',
      body,
      target: { kind: 'url', url: `http://127.0.0.1:${await closedPort()}`, region: 'us-east-1' },
      credentials: { kind: 'demo' },
      options: { maxAttempts: 1, timeoutMs: 5000 },
    });
    sent.push({ operation: 'SendHeartbeat', body, result });
    expect(sent.map((s) => s.result.outcome.kind)).toEqual([
      'success',
      'success',
      'success',
      'service-error',
      'success',
      'transport-error',
    ]);
    expect(sent[3]!.result.outcome).toMatchObject({ status: 400, errorType: 'ValidationException' });
  });

  it('JSON lines: the same requests, each with the outcome it had', async () => {
    const exported = await api.history.export({}, 'jsonl');
    const path = join(dir, `history-${Math.random().toString(16).slice(2)}.jsonl`);
    writeFileSync(path, exported.text);
    const { format, reason, records } = await open(path);
    expect([format, reason]).toEqual(['history-jsonl', 'the first line is a request line of a history export']);
    expect(unreadable(records)).toEqual([]);
    const items = itemsOf(records);
    expect(items).toHaveLength(sent.length);
    const found = byDevice(items);
    for (const s of sent) {
      const item = found.get(JSON.parse(s.body).DeviceName)!;
      expect(item, s.body).toBeDefined();
      expect([item.operation, item.body]).toEqual([s.operation, s.body]);
      expect(item.recorded).toEqual(observedOutcome(s.result.outcome));
      expect(item.url).toBe(s.result.request.url);
    }
  });

  it('HAR: the same requests, each with the status, error type and message it had (a transport error with its message)', async () => {
    const exported = await api.history.export({}, 'har');
    const path = join(dir, `history-${Math.random().toString(16).slice(2)}.har`);
    writeFileSync(path, exported.text);
    const { format, records } = await open(path);
    expect(format).toBe('har');
    expect(unreadable(records)).toEqual([]);
    const items = itemsOf(records);
    expect(items).toHaveLength(sent.length);
    const found = byDevice(items);
    const lines = exported.text.split('\n');
    for (const s of sent) {
      const item = found.get(JSON.parse(s.body).DeviceName)!;
      expect([item.operation, item.body]).toEqual([s.operation, s.body]);
      // One entry per line in the app's export: the item's line is its entry's.
      expect(JSON.parse(lines[item.line - 1]!.replace(/,$/, '')).request.postData.text).toBe(s.body);
      expect(item.source).toBe(`${path}:${item.line}`);
      const outcome = observedOutcome(s.result.outcome);
      // HAR has no place for the transport error's code: the kind and message come back.
      expect(item.recorded).toEqual(outcome.kind === 'transport-error' ? { kind: outcome.kind, message: outcome.message } : outcome);
    }
  });
});

describe('captures round-trip: the endpoint capture', () => {
  let endpoint: RunningEndpoint;
  const capturePath = join(dir, 'capture.jsonl');
  beforeAll(async () => {
    endpoint = await startEndpoint({ capturePath });
  });
  afterAll(async () => {
    await endpoint?.close();
  });

  it('exchange lines: the same requests, with the verdict of each; a request to no operation is skipped with its URL', async () => {
    const answers: { operation: Operation; body: string; status: number; errorType?: string; message?: string }[] = [];
    for (const [n, { operation, doc }] of DOCS.entries()) {
      const body = JSON.stringify({ ...doc, DeviceName: `${doc.DeviceName}-${n}` });
      const answer = await sendSigned(endpoint.url, { operation, body });
      const errorType = answer.headers['x-amzn-errortype'] as string | undefined;
      answers.push({
        operation,
        body,
        status: answer.status,
        ...(errorType ? { errorType, message: answer.json().message as string } : {}),
      });
    }
    // Signed with the wrong secret: 403 InvalidSignatureException, captured too.
    const wrong = JSON.stringify({ AgentVersion: '1.0', DeviceName: 'rt-wrong-key', DeviceFleetName: 'rt-fleet' });
    const refused = await sendSigned(endpoint.url, {
      body: wrong,
      credentials: { ...DEMO_CREDENTIALS, secretAccessKey: 'not-the-demo-secret' },
    });
    answers.push({
      operation: 'SendHeartbeat',
      body: wrong,
      status: refused.status,
      errorType: refused.headers['x-amzn-errortype'] as string,
      message: refused.json().message as string,
    });
    const stray = await signed(endpoint.url, { operation: 'SendHeartbeats' });
    expect((await rawRequest(endpoint.url, { path: stray.path, headers: stray.headers, body: stray.body })).status).toBeGreaterThanOrEqual(
      400,
    );
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 400, 200, 403]);

    const { format, records } = await open(capturePath);
    expect(format).toBe('endpoint-capture');
    const items = itemsOf(records);
    expect(items.map((i) => [i.operation, i.body])).toEqual(answers.map((a) => [a.operation, a.body]));
    expect(items.map((i) => i.recorded)).toEqual(
      answers.map((a) =>
        a.status < 300
          ? { kind: 'success', status: a.status }
          : { kind: 'service-error', status: a.status, errorType: a.errorType, message: a.message },
      ),
    );
    expect(unreadable(records)).toEqual([
      {
        skip: {
          line: answers.length + 1,
          source: `${capturePath}:${answers.length + 1}`,
          url: expect.stringMatching(/\/SendHeartbeats$/),
          reason: 'the endpoint could not tell which operation the request was for',
        },
      },
    ]);
  });
});

describe('captures round-trip: what the composer copies and the CLI writes', () => {
  const write = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const same = (items: CaptureItem[], expected = DOCS) =>
    expect(items.map((i) => [i.operation, JSON.parse(i.body)])).toEqual(expected.map((d) => [d.operation, d.doc]));

  it('curl ("Copy as curl"): one command after another', async () => {
    const text = DOCS.map(({ operation, doc }, n) =>
      emitCurl(doc, { operation, ...(n % 2 ? { endpointUrl: 'http://127.0.0.1:8787' } : {}) }),
    ).join('\n');
    const { format, records } = await open(write('commands.sh', text));
    expect(format).toBe('curl');
    expect(unreadable(records)).toEqual([]);
    same(itemsOf(records));
    // The app's curl sends exactly the body it shows.
    expect(itemsOf(records).map((i) => i.body)).toEqual(DOCS.map((d) => JSON.stringify(d.doc)));
  });

  it('aws ("Copy as aws CLI"): JSON and shorthand parameters', async () => {
    for (const style of ['json', 'shorthand'] as const) {
      const text = DOCS.map(({ operation, doc }) => emitAwsCli(doc, { operation, style, endpointUrl: 'http://127.0.0.1:8787' })).join('');
      const { format, records } = await open(write(`commands-${style}.txt`, text));
      expect(format).toBe('aws-cli');
      expect(unreadable(records)).toEqual([]);
      same(itemsOf(records));
    }
  });

  it('cli-input-json and cli-input-yaml, with ISO timestamps: the same document once converted', async () => {
    for (const { operation, doc } of DOCS)
      for (const [ext, emit] of [
        ['json', emitCliInputJson],
        ['yaml', emitCliInputYaml],
      ] as const) {
        const path = write(`request-${operation}.${ext}`, emit(doc, { operation, isoTimestamps: true }));
        if ('AgentMetrics' in doc) expect(readFileSync(path, 'utf8')).toContain('2025-11-22T07:48:23.250Z');
        const format: CaptureFormat = ext === 'json' ? 'cli-input-json' : 'cli-input-yaml';
        expect(detectCaptureFormat(readFileSync(path, 'utf8'), path).format).toBe(format);
        const records: CaptureRecord[] = [];
        for await (const { file: _f, name: _n, ...r } of readCaptureFiles([path], { operation })) records.push(r as CaptureRecord);
        expect(unreadable(records)).toEqual([]);
        same(itemsOf(records), [{ operation, doc }]);
      }
  });

  it('NDJSON payload lines', async () => {
    const sendHeartbeats = DOCS.filter((d) => d.operation === 'SendHeartbeat');
    const { format, records } = await open(write('payloads.ndjson', sendHeartbeats.map((d) => JSON.stringify(d.doc)).join('\n') + '\n'));
    expect(format).toBe('ndjson');
    same(itemsOf(records), sendHeartbeats);
    expect(itemsOf(records).map((i) => i.body)).toEqual(sendHeartbeats.map((d) => JSON.stringify(d.doc)));
  });

  it("NDJSON from the CLI: fleet run --dry-run's lines, and a fleet run's log with what each request got", async () => {
    // Spawned without blocking: the endpoint the run sends to answers from this process.
    const cli = (args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> =>
      new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ['bin/heartbeat.js', ...args], {
          env: { ...process.env, ...env },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
        child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
        const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
        child.on('error', reject);
        child.on('close', (code) => {
          clearTimeout(timer);
          if (code === 0) resolve(stdout);
          else reject(new Error(`heartbeat ${args.join(' ')} exited with ${code}: ${stderr}${stdout}`));
        });
      });
    const dry = await cli([
      'fleet',
      'run',
      'examples/fleet-demo.yaml',
      '--dry-run',
      '--duration',
      '3s',
      '--start-time',
      '2025-11-22T00:00:00Z',
    ]);
    const planned = dry
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { operation: Operation; body: unknown });
    const dryRun = await open(write('dry-run.ndjson', dry));
    expect([dryRun.format, dryRun.reason]).toEqual(['ndjson', 'the first line is an {operation, body} line of a fleet dry run']);
    expect(itemsOf(dryRun.records).map((i) => [i.operation, JSON.parse(i.body)])).toEqual(planned.map((p) => [p.operation, p.body]));
    expect(itemsOf(dryRun.records).every((i) => i.recorded === undefined)).toBe(true);

    const endpoint = await startEndpoint({});
    try {
      const runLog = join(dir, 'run-log.ndjson');
      await cli(
        [
          'fleet',
          'run',
          'examples/fleet-demo.yaml',
          '--endpoint-url',
          endpoint.url,
          '--duration',
          '2s',
          '--run-log',
          runLog,
          '--output',
          'json',
        ],
        {
          AWS_ACCESS_KEY_ID: DEMO_CREDENTIALS.accessKeyId,
          AWS_SECRET_ACCESS_KEY: DEMO_CREDENTIALS.secretAccessKey,
          AWS_REGION: 'us-east-1',
          HEARTBEAT_HISTORY_DIR: join(dir, 'fleet-history'),
        },
      );
      const logged = readFileSync(runLog, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { operation: Operation; body: unknown; status: number | null; errorType?: string });
      expect(logged.length).toBeGreaterThan(0);
      const run = await open(runLog);
      expect(run.format).toBe('ndjson');
      expect(itemsOf(run.records).map((i) => [i.operation, JSON.parse(i.body), i.recorded?.status])).toEqual(
        logged.map((l) => [l.operation, l.body, l.status]),
      );
    } finally {
      await endpoint.close();
    }
  });
});
