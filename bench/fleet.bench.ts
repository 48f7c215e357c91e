/**
 * The fleet simulator (issue 17), against the embedded endpoint in a child process (`heartbeat serve`):
 * - sustained: 5,000 devices at one heartbeat a second each for 20 s — schedule lag p99 (goal ≤ 250 ms)
 *   and failures (goal 0), with this process's CPU;
 * - open-loop peak: 1,000 devices due every millisecond, 32 requests in flight — heartbeats per second
 *   next to a Locust FastHttpUser locustfile (bench/locust/fleet_locustfile.py) building and signing
 *   heartbeats of the same shape with 32 users in one process (goal ≥ 1.2× Locust);
 * - memory: the heap of 10,000 idle simulated devices in a run over the baseline (goal ≤ 2 KB a device).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { availableParallelism } from 'node:os';
import { DEMO_CREDENTIALS, DEMO_REGION } from '../src/common/demo.ts';
import { parseScenario, type Scenario } from '../src/common/fleet/scenario.ts';
import type { FleetRunSummary } from '../src/common/fleet/summary.ts';
import type { TargetRecord } from '../src/common/log/entry.ts';
import { createSendService } from '../src/node/services/send-service.ts';
import { createTransport } from '../src/node/transport/dispatcher.ts';
import { runLocust } from './locust.ts';
import { endpointServer, requireBuiltCli, serve, stop } from './servers.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function scenario(devices: number, interval: string, name: string): Scenario {
  const { scenario, problems } = parseScenario(`
name: ${name}
seed: 1
fleets:
  - name: ${name}
    devices: ${devices}
    deviceName: '${name}-{n}'
    agentVersion: '1.20210820.e20fa3a'
    interval: ${interval}
    jitter: 10%
    deploymentPoll: 30s
    agentMetrics:
      - { dimension: agent, name: CpuUtilization, value: { randomWalk: { start: 20, step: 2, min: 0, max: 100 } } }
    models:
      - name: pallet-detector
        version: '2.4'
        metrics:
          - { dimension: model/pallet-detector, name: InferenceLatency, value: { sine: { mean: 40, amplitude: 10, period: 60s, noise: 1 } } }
          - { dimension: model/pallet-detector, name: InferenceCount, value: { counter: { start: 0, rate: 5 } } }
`);
  if (!scenario) throw new Error(problems.map((p) => p.message).join('; '));
  return scenario;
}

async function fleetRun(
  url: string,
  s: Scenario,
  durationMs: number,
  maxInFlight?: number,
): Promise<{ summary: FleetRunSummary; cpu: number; heartbeatsPerSecond: number }> {
  const transport = await createTransport({ env: {}, ...(maxInFlight ? { connections: maxInFlight } : {}) });
  const sends = createSendService({ transport });
  const target: TargetRecord = { kind: 'url', url, region: DEMO_REGION };
  const cpu = process.cpuUsage();
  const started = performance.now();
  const summary = await sends.fleet({
    scenario: s,
    target,
    credentials: DEMO_CREDENTIALS,
    durationMs,
    ...(maxInFlight ? { maxInFlight } : {}),
  }).done;
  const elapsed = performance.now() - started;
  const used = process.cpuUsage(cpu);
  await sends.close();
  return {
    summary,
    cpu: (used.user + used.system) / 1000 / elapsed,
    heartbeatsPerSecond: (summary.operations.SendHeartbeat.ok / elapsed) * 1000,
  };
}

async function idleMemory(url: string): Promise<number> {
  const devices = 10_000;
  const transport = await createTransport({ env: {} });
  const sends = createSendService({ transport });
  gc();
  const before = process.memoryUsage().heapUsed;
  // Staggered over an hour: each device makes its first request somewhere in the hour, so nearly all stay idle.
  const run = sends.fleet({
    scenario: scenario(devices, '1h', 'idle'),
    target: { kind: 'url', url, region: DEMO_REGION },
    credentials: DEMO_CREDENTIALS,
    durationMs: 3_600_000,
  });
  await new Promise((resolve) => setTimeout(resolve, 1000));
  gc();
  const after = process.memoryUsage().heapUsed;
  run.stop();
  await run.done;
  await sends.close();
  return (after - before) / devices;
}

export async function run(): Promise<void> {
  requireBuiltCli('fleet');
  const endpoint = await serve(endpointServer());
  try {
    // Warm-up (JIT, pools), untimed.
    await fleetRun(endpoint.url, scenario(500, '100ms', 'warm'), 3000);

    const sustained = await fleetRun(endpoint.url, scenario(5000, '1s', 'sustained'), 20_000);
    const s = sustained.summary;
    console.log(
      `sustained, 5,000 devices at 1 heartbeat/s for 20 s, ${availableParallelism()} cores: ${sustained.heartbeatsPerSecond.toFixed(0)} heartbeats/s accepted, ${s.totals.failed} failed (goal 0); schedule lag p50 ${s.lag.p50Ms} ms, p99 ${s.lag.p99Ms} ms (goal ≤ 250), max ${s.lag.maxMs} ms; heartbeat latency p99 ${s.operations.SendHeartbeat.p99Ms} ms; simulator CPU ${(sustained.cpu * 100).toFixed(0)}% of a core`,
    );

    const peak = await fleetRun(endpoint.url, scenario(1000, '1ms', 'peak'), 10_000, 32);
    if (peak.summary.totals.failed > 0) throw new Error(`fleet peak: ${peak.summary.totals.failed} failed requests`);
    const locust = runLocust('bench/locust/fleet_locustfile.py', endpoint.url, { users: 32, seconds: 10, env: { FLEET_DEVICES: '1000' } });
    console.log(
      `open-loop peak, 1,000 devices due every ms, 32 in flight: ${peak.heartbeatsPerSecond.toFixed(0)} heartbeats/s (schedule lag grows by design)`,
    );
    if (locust !== undefined)
      console.log(
        `  Locust FastHttpUser (one process, 32 users, hmac/hashlib, heartbeats of the same shape) ${locust.toFixed(0)}/s → the simulator ${(peak.heartbeatsPerSecond / locust).toFixed(2)}× Locust (goal ≥ 1.2)`,
      );

    const perDevice = await idleMemory(endpoint.url);
    console.log(
      `memory: 10,000 idle simulated devices in a run: ${(perDevice / 1024).toFixed(2)} KB a device over the baseline (goal ≤ 2)`,
    );
  } finally {
    await stop(endpoint.child);
  }
}
