/**
 * Replay throughput at concurrency 32 against the embedded endpoint and a trivial loopback server:
 * our engine (signing, retries, durable history) next to @aws-sdk/client-sagemaker-edge sending the
 * same payloads at the same concurrency, and autocannon's ceiling (one pre-signed request replayed) on
 * the same target, and a Locust FastHttpUser locustfile (bench/locust/) signing the same heartbeats
 * (`heartbeat send` cold start is its own section, cold-start.bench.ts).
 * Both servers run in child processes (bench/servers.ts), so the load generators do not share their
 * event loop. Each runs warm (an untimed first round of WARM_UP sends), then once timed; ratios are what to read (goals: ≥ 5× the SDK, ≥ 0.4 of the ceiling).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error autocannon ships no type declarations; the one call below is typed by hand.
import autocannonUntyped from 'autocannon';
import { SagemakerEdgeClient, SendHeartbeatCommand } from '@aws-sdk/client-sagemaker-edge';
import { DEMO_CREDENTIALS, DEMO_REGION } from '../src/common/demo.ts';
import type { TargetRecord } from '../src/common/log/entry.ts';
import { replay } from '../src/node/engine/replay.ts';
import { createEngine } from '../src/node/engine/send.ts';
import { openHistoryLog } from '../src/node/history/store.ts';
import { HistoryWriter } from '../src/node/history/log-file.ts';
import { LOG_VERSION, redactHeaders } from '../src/common/log/entry.ts';
import { signRequest } from '../src/node/signing/sign.ts';
import { createTransport } from '../src/node/transport/dispatcher.ts';
import { createSigner } from '../src/node/signing/sign.ts';
import { Agent, request } from 'undici';
import { runLocust } from './locust.ts';
import { endpointServer, requireBuiltCli, serve, stop, trivialServer } from './servers.ts';

const C = 32;
/** Long enough that the JIT, the connection pools and the fsync rhythm settle (4,000 read ~40% low). */
const N = 20_000;
/** Each contestant first runs this many sends untimed, so all are measured warm (JIT, pools, caches). */
const WARM_UP = 2000;
const autocannon = autocannonUntyped as (options: Record<string, unknown>) => Promise<{ non2xx: number; requests: { average: number } }>;
const payload = (i: number) => ({
  AgentVersion: '1.0',
  DeviceName: `bench-${i % 500}`,
  DeviceFleetName: 'bench-fleet',
  AgentMetrics: [{ Dimension: 'cpu', MetricName: 'load', Value: i % 100, Timestamp: Math.floor(Date.now() / 1000) }],
});

async function ours(target: TargetRecord, n = N): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'hb-bench-'));
  // The history as `heartbeat replay` keeps it: appended (requests fsynced before they are sent), not indexed.
  const history = await openHistoryLog(dir);
  const transport = await createTransport({ env: {} });
  const engine = createEngine({ transport, history });
  async function* items() {
    for (let i = 0; i < n; i++) yield { operation: 'SendHeartbeat' as const, body: JSON.stringify(payload(i)), source: 'bench' };
  }
  const summary = await replay(engine, items(), { target, credentials: DEMO_CREDENTIALS, concurrency: C });
  await Promise.all([transport.close(), history.close()]);
  rmSync(dir, { recursive: true, force: true });
  if (summary.ok !== n) throw new Error(`our replay: ${summary.ok}/${n} ok (${JSON.stringify(summary.failedByType)})`);
  return summary.ratePerSecond;
}

async function sdk(url: string, n = N): Promise<number> {
  const client = new SagemakerEdgeClient({ endpoint: url, region: DEMO_REGION, credentials: DEMO_CREDENTIALS });
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: C }, async () => {
      while (next < n) {
        // The SDK takes Date objects for timestamps; it serializes them to the same epoch seconds.
        const p = payload(next++);
        await client.send(
          new SendHeartbeatCommand({ ...p, AgentMetrics: p.AgentMetrics.map((m) => ({ ...m, Timestamp: new Date(m.Timestamp * 1000) })) }),
        );
      }
    }),
  );
  client.destroy();
  return (n / (performance.now() - started)) * 1000;
}

/**
 * The floor under any engine built on our libraries: undici requests signed by the SigV4 core
 * (src/node/signing/sigv4.ts), at the same concurrency, with nothing else (no retries, history, timings
 * or outcomes). What our replay cannot beat without replacing them.
 */
async function bare(url: string, n = N, withHistory = false): Promise<number> {
  const agent = new Agent({ connections: C });
  const signer = createSigner(DEMO_CREDENTIALS, { region: DEMO_REGION });
  const dir = withHistory ? mkdtempSync(join(tmpdir(), 'hb-bench-floor-')) : undefined;
  const writer = dir ? await HistoryWriter.open(dir) : undefined;
  const target = { kind: 'url' as const, url, region: DEMO_REGION };
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: C }, async () => {
      while (next < n) {
        const id = `floor-${next}`;
        const body = JSON.stringify(payload(next++));
        const signed = signer.sign(
          { method: 'POST', url: `${url}/SendHeartbeat`, headers: { 'content-type': 'application/json' }, body },
          { report: false },
        );
        const { host: _host, ...headers } = signed.headers;
        // With history: the two lines any recorded send writes (the request before it leaves), one fsync covering both.
        if (writer)
          await writer.append(
            {
              v: LOG_VERSION,
              type: 'request',
              id,
              time: new Date().toISOString(),
              operation: 'SendHeartbeat',
              target,
              request: { method: 'POST', url: signed.url, headers: redactHeaders(signed.headers), body },
            },
            false,
          );
        const answer = await request(signed.url, { method: 'POST', headers, body, dispatcher: agent });
        await answer.body.dump();
        if (answer.statusCode !== 200) throw new Error(`bare undici + signer: HTTP ${answer.statusCode}`);
        if (writer)
          await writer.append(
            {
              v: LOG_VERSION,
              type: 'outcome',
              id,
              time: new Date().toISOString(),
              outcome: { kind: 'success', status: 200, headers: {}, body: '' },
              attempts: [{ attempt: 1, startedAt: new Date().toISOString(), durationMs: 1 }],
            },
            true,
          );
      }
    }),
  );
  const rate = (n / (performance.now() - started)) * 1000;
  await agent.close();
  await writer?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  return rate;
}

/** A Locust FastHttpUser locustfile signing the same heartbeats with hmac/hashlib, in one process. */
function locust(url: string): number | undefined {
  return runLocust('bench/locust/replay_locustfile.py', url, { users: C, seconds: 10 });
}

async function ceiling(url: string): Promise<number> {
  const body = JSON.stringify(payload(1));
  const signed = await signRequest(
    { method: 'POST', url: `${url}/SendHeartbeat`, headers: { 'content-type': 'application/json' }, body },
    DEMO_CREDENTIALS,
    { region: DEMO_REGION },
  );
  const { host: _host, ...headers } = signed.headers;
  const result = await autocannon({ url: `${url}/SendHeartbeat`, method: 'POST', headers, body, connections: C, duration: 5 });
  if (result.non2xx > 0) throw new Error(`autocannon: ${result.non2xx} non-2xx answers`);
  return result.requests.average;
}

export async function run(): Promise<void> {
  requireBuiltCli('replay');
  const endpoint = await serve(endpointServer());
  const trivial = await serve(trivialServer);
  try {
    for (const [name, url] of [
      ['embedded endpoint (child process)', endpoint.url],
      ['trivial server (child process)', trivial.url],
    ] as const) {
      const target: TargetRecord = { kind: 'url', url, region: DEMO_REGION };
      await ours(target, WARM_UP);
      const o = await ours(target);
      await sdk(url, WARM_UP);
      const s = await sdk(url);
      await bare(url, WARM_UP);
      const b = await bare(url);
      await bare(url, WARM_UP, true);
      const bh = await bare(url, N, true);
      const c = await ceiling(url);
      const l = locust(url);
      console.log(
        `${name}, c=${C}, ${N} payloads, ${availableParallelism()} cores: heartbeat replay ${o.toFixed(0)}/s, SDK ${s.toFixed(0)}/s, autocannon ceiling ${c.toFixed(0)}/s → ${(o / s).toFixed(2)}× the SDK (goal ≥ 5), ${(o / c).toFixed(2)} of the ceiling`,
      );
      if (l !== undefined)
        console.log(
          `  Locust FastHttpUser (one process, hmac/hashlib) ${l.toFixed(0)}/s → heartbeat replay ${(o / l).toFixed(2)}× Locust (goal ≥ 1.2)`,
        );
      console.log(
        `  floor: bare undici + the SigV4 core ${b.toFixed(0)}/s = ${(b / s).toFixed(2)}× the SDK, ${(b / c).toFixed(2)} of the ceiling; our replay reaches ${(o / b).toFixed(2)} of it (goal ≥ 0.8)`,
      );
      console.log(
        `  floor with the history (the same, plus the request and outcome lines, fsynced): ${bh.toFixed(0)}/s = ${(bh / b).toFixed(2)} of the floor; our replay reaches ${(o / bh).toFixed(2)} of it`,
      );
    }
  } finally {
    await Promise.all([stop(endpoint.child), stop(trivial.child)]);
  }
}
