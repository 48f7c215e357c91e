/**
 * What the multi-writer history costs (issue 13): `heartbeat replay`'s engine at c=32 against the
 * embedded endpoint (a child process), recording into the history with today's writer (one file per
 * writer, docs/history.md), with the writer before it (one shared file, bench/legacy-history-writer.ts)
 * and with no history at all, in the same run, alternating, each warm. Goal: today's ≥ 0.9 of before.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_CREDENTIALS } from '../src/common/demo.ts';
import type { TargetRecord } from '../src/common/log/entry.ts';
import { replay } from '../src/node/engine/replay.ts';
import { createEngine, type HistorySink } from '../src/node/engine/send.ts';
import { openHistoryLog } from '../src/node/history/store.ts';
import { createTransport } from '../src/node/transport/dispatcher.ts';
import { HistoryWriter as LegacyWriter } from './legacy-history-writer.ts';
import { endpointServer, requireBuiltCli, serve, stop } from './servers.ts';

const C = 32;
const N = 4000;
const ROUNDS = 3;
const payload = (i: number) => ({
  AgentVersion: '1.0',
  DeviceName: `bench-${i % 500}`,
  DeviceFleetName: 'bench-fleet',
  AgentMetrics: [{ Dimension: 'cpu', MetricName: 'load', Value: i % 100, Timestamp: Math.floor(Date.now() / 1000) }],
});

type Kind = 'today' | 'before' | 'none';

async function sink(kind: Kind, dir: string): Promise<(HistorySink & { close(): Promise<void> }) | undefined> {
  if (kind === 'today') return openHistoryLog(dir);
  if (kind === 'none') return undefined;
  const writer = await LegacyWriter.open(dir);
  return { record: async (line, durable) => void (await writer.append(line, durable)), close: () => writer.close() };
}

async function rate(kind: Kind, target: TargetRecord, n: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'hb-bench-writers-'));
  const history = await sink(kind, dir);
  const transport = await createTransport({ env: {} });
  const engine = createEngine({ transport, ...(history ? { history } : {}) });
  async function* items() {
    for (let i = 0; i < n; i++) yield { operation: 'SendHeartbeat' as const, body: JSON.stringify(payload(i)), source: 'bench' };
  }
  const summary = await replay(engine, items(), { target, credentials: DEMO_CREDENTIALS, concurrency: C });
  await Promise.all([transport.close(), history?.close()]);
  rmSync(dir, { recursive: true, force: true });
  if (summary.ok !== n) throw new Error(`${kind}: ${summary.ok}/${n} ok`);
  return summary.ratePerSecond;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function run(): Promise<void> {
  requireBuiltCli('history-writers');
  const endpoint = await serve(endpointServer());
  try {
    const target: TargetRecord = { kind: 'local', url: endpoint.url, region: 'us-east-1' };
    const rates: Record<Kind, number[]> = { today: [], before: [], none: [] };
    for (const kind of ['today', 'before', 'none'] as const) await rate(kind, target, 1000); // warm-up
    for (let round = 0; round < ROUNDS; round++) {
      const order: Kind[] = round % 2 ? ['before', 'today', 'none'] : ['today', 'before', 'none'];
      for (const kind of order) rates[kind].push(await rate(kind, target, N));
    }
    const [today, before, none] = [median(rates.today), median(rates.before), median(rates.none)];
    console.log(
      `replay c=${C}, ${N} payloads, median of ${ROUNDS} (cores: ${(await import('node:os')).availableParallelism()}): history today ${today.toFixed(0)}/s, before ${before.toFixed(0)}/s, no history ${none.toFixed(0)}/s`,
    );
    console.log(`  today / before = ${(today / before).toFixed(2)} (goal ≥ 0.9); today / no history = ${(today / none).toFixed(2)}`);
  } finally {
    await stop(endpoint.child);
  }
}
