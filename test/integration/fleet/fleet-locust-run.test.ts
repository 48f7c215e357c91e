/**
 * A fleet scenario exported to Locust (issue 20), run for real on loopback: the embedded endpoint, a Locust
 * master and 2 workers (Debian's python3-locust), 20 devices for 8 s. Every request is accepted (Locust's
 * --csv statistics: 0 failures), the workers ran disjoint sets of devices that together are the 20, the
 * endpoint's registry holds exactly the 20 devices with heartbeats, and a staged deployment plan created
 * while they run reaches them and comes back in their DeploymentResults. Skipped, with one sentence, where
 * /usr/bin/python3 cannot import locust.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS } from '../../../src/common/demo.ts';
import { parseScenario } from '../../../src/common/fleet/scenario.ts';
import { startEndpoint, type RunningEndpoint } from '../../../src/node/endpoint/index.ts';
import { readPayloads, type ReplayItem } from '../../../src/node/engine/payloads.ts';
import { createRewriter } from '../../../src/node/engine/rewrite.ts';
import { fleetExportFiles, writeExport } from '../../../src/node/fleet/locust/export.ts';
import { readLocustRun } from '../../../src/node/fleet/locust/from-locust.ts';
import { exportReplay } from '../../../src/node/fleet/locust/replay-export.ts';

const PYTHON = '/usr/bin/python3';
const HAS_LOCUST = existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import locust'], { stdio: 'ignore' }).status === 0;
if (!HAS_LOCUST) console.warn('Locust run skipped: /usr/bin/python3 cannot import locust (Debian: apt install python3-locust).');

const DEVICES = 20;
const SCENARIO = `name: locust-loopback
seed: 20
fleets:
  - name: locust-fleet
    devices: ${DEVICES}
    deviceName: 'lc-{n:02}'
    interval: 500ms
    jitter: 10%
    deploymentPoll: 1s
    applyTime: 300ms
    clockSkew: -1s..1s
    agentMetrics:
      - { dimension: agent, name: CpuUtilization, value: { randomWalk: { start: 20, step: 2, min: 0, max: 100 } } }
    models:
      - name: detector
        version: '1.0'
        metrics:
          - { dimension: model/detector, name: InferenceLatency, value: { sine: { mean: 40, amplitude: 10, period: 10s, noise: 1 } } }
`;

const children: ChildProcess[] = [];
const endpoints: RunningEndpoint[] = [];

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const endpoint of endpoints) await endpoint.close();
});

/** A port free on 127.0.0.1 right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

interface Locust {
  child: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
}

function locust(args: string[], cwd: string, env: NodeJS.ProcessEnv): Locust {
  const child = spawn(PYTHON, ['-m', 'locust', '-f', join(cwd, 'locustfile.py'), ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let text = '';
  child.stdout!.on('data', (b: Buffer) => (text += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (text += b.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, output: () => text, exit };
}

const csvRows = (file: string): string[][] =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(','));

/** A Locust master (on a free port, with `args`) and 2 workers of the test in `dir`, against `url` with the demo keys. */
async function masterAndWorkers(dir: string, url: string, region: string, args: string[]): Promise<{ master: Locust; workers: Locust[] }> {
  const masterPort = await freePort();
  const env = {
    PATH: process.env.PATH,
    HOME: dir,
    AWS_ACCESS_KEY_ID: DEMO_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: DEMO_CREDENTIALS.secretAccessKey,
    AWS_REGION: region,
  };
  const master = locust(
    [
      '--master',
      '--master-bind-host=127.0.0.1',
      `--master-bind-port=${masterPort}`,
      '--expect-workers=2',
      '--headless',
      `--host=${url}`,
      '--only-summary',
      ...args,
    ],
    dir,
    env,
  );
  const workers = [1, 2].map(() => locust(['--worker', '--master-host=127.0.0.1', `--master-port=${masterPort}`], dir, env));
  return { master, workers };
}

describe.skipIf(!HAS_LOCUST)('a fleet scenario on Locust: master + 2 workers on loopback', () => {
  it('20 devices for 8 s: all accepted, each device once, registered with heartbeats, a staged deployment comes back', async () => {
    const parsed = parseScenario(SCENARIO);
    expect(parsed.problems).toEqual([]);
    const dir = mkdtempSync(join(tmpdir(), 'hb-locust-run-'));
    writeExport(dir, fleetExportFiles(parsed.scenario!, 'locust-loopback.yaml'));
    const endpoint = await startEndpoint({ port: 0 });
    endpoints.push(endpoint);
    const admin = endpoint.admin;
    const prefix = join(dir, 'run');
    const { master, workers } = await masterAndWorkers(dir, endpoint.url, endpoint.region, [
      `-u=${DEVICES}`,
      `-r=${DEVICES}`,
      '--run-time=8s',
      `--csv=${prefix}`,
    ]);

    // Once every device has sent a heartbeat, a staged plan: half the fleet, then all of it.
    const deadline = Date.now() + 20_000;
    const beating = (): number => admin.devices().filter((d) => d.counts.heartbeats > 0).length;
    while (beating() < DEVICES && Date.now() < deadline && master.child.exitCode === null) await new Promise((r) => setTimeout(r, 100));
    expect(beating(), master.output()).toBe(DEVICES);
    admin.createDeploymentPlan({
      name: 'detector-2-0',
      fleet: 'locust-fleet',
      model: { handle: 'detector', s3Url: 's3://models/detector-2.0.tar.gz' },
      stages: [
        { name: 'half', percent: 50 },
        { name: 'all', percent: 100 },
      ],
    });

    const [masterCode, ...workerCodes] = await Promise.all([master.exit, ...workers.map((w) => w.exit)]);
    expect(masterCode, master.output()).toBe(0);
    expect(workerCodes).toEqual([0, 0]);

    // Locust's statistics: every request accepted.
    const stats = csvRows(`${prefix}_stats.csv`);
    const byName = Object.fromEntries(stats.slice(1).map((r) => [r[1], { requests: Number(r[2]), failures: Number(r[3]) }]));
    expect(Object.keys(byName).sort()).toEqual(['Aggregated', 'GetDeployments', 'GetDeviceRegistration', 'SendHeartbeat']);
    expect(byName.GetDeviceRegistration!.requests).toBe(DEVICES);
    expect(byName.SendHeartbeat!.requests).toBeGreaterThan(DEVICES * 8);
    expect(byName.Aggregated!.failures).toBe(0);
    expect(csvRows(`${prefix}_failures.csv`)).toHaveLength(1);

    // Each worker ran its own devices; together they are the scenario's, each once.
    const ran = workers.map((w) => {
      const m = /this process ran (\d+) devices: ([\d,]*)/.exec(w.output());
      expect(m, w.output()).not.toBeNull();
      return m![2]!.split(',').map(Number);
    });
    expect(ran.every((numbers) => numbers.length > 0)).toBe(true);
    expect([...ran[0]!, ...ran[1]!].sort((a, b) => a - b)).toEqual(Array.from({ length: DEVICES }, (_, i) => i + 1));

    // The registry: exactly the 20 devices, each with heartbeats and the plan's result.
    const devices = admin.devices();
    expect(devices.map((d) => d.deviceName).sort()).toEqual(
      Array.from({ length: DEVICES }, (_, i) => `lc-${String(i + 1).padStart(2, '0')}`),
    );
    for (const d of devices) {
      expect(d.deviceFleetName).toBe('locust-fleet');
      expect(d.counts.heartbeats).toBeGreaterThan(5);
      expect(d.lastDeploymentResult, d.deviceName).toMatchObject({
        DeploymentName: 'detector-2-0',
        DeploymentStatus: 'SUCCESS',
        DeploymentModels: [
          {
            ModelHandle: 'detector',
            ModelName: 'detector',
            ModelVersion: '2.0',
            DesiredState: 'DEPLOY',
            State: 'DEPLOY',
            Status: 'SUCCESS',
          },
        ],
      });
      expect(d.models.map((m) => [m.modelName, m.modelVersion])).toContainEqual(['detector', '2.0']);
    }
    const plan = admin.deploymentPlan('detector-2-0')!;
    expect(plan.status).toBe('succeeded');
    expect(plan.stages.map((s) => [s.name, s.status])).toEqual([
      ['half', 'succeeded'],
      ['all', 'succeeded'],
    ]);

    // The master's own account: lag, devices, deployments (for heartbeat fleet report --from-locust).
    const fleet = JSON.parse(readFileSync(`${prefix}_heartbeat_fleet.json`, 'utf8')) as Record<string, unknown>;
    expect(fleet).toMatchObject({ scenario: 'locust-loopback', seed: 20, devices: DEVICES, registered: DEVICES, unregistered: 0 });
    expect(fleet.deployments).toEqual({ applied: DEVICES, succeeded: DEVICES, failed: 0 });
    expect(fleet.refusedAttempts).toEqual({});
    // … and all of it as a run's summary (heartbeat fleet report --from-locust).
    const report = readLocustRun(prefix).summary;
    expect(report).toMatchObject({ scenario: 'locust-loopback', devices: DEVICES, registered: DEVICES, totals: { failed: 0 } });
    expect(report.totals.sent).toBe(byName.Aggregated!.requests);
    expect(report.deployments).toEqual({ applied: DEVICES, succeeded: DEVICES, failed: 0 });
    expect(report.lag.p99Ms).toBeLessThan(250);
  }, 40_000);

  it('a capture replayed by master + 2 workers: every item once, names and shifted timestamps as heartbeat replay rewrites them, at the rate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hb-locust-replay-'));
    // The golden dry run without its first line (a registration), so the first payload has timestamps to shift from; one unreadable line.
    const lines = readFileSync('test/fixtures/fleet/small.golden.ndjson', 'utf8').trim().split('\n').slice(1);
    lines.splice(5, 0, '{ not json');
    const input = join(dir, 'input.ndjson');
    writeFileSync(input, `${lines.join('\n')}\n`);
    const rewrite = { timestamps: 'shift' as const, deviceName: 'rp-{n}', fleetName: 'replayed' };
    const result = await exportReplay(readPayloads([input]), join(dir, 'test'), { rewrite, concurrency: 4, rate: 20, files: [input] });
    expect(result).toMatchObject({ items: lines.length - 1, unreadable: 1 });
    const capture = join(dir, 'capture.jsonl');
    const endpoint = await startEndpoint({ port: 0, capturePath: capture });
    endpoints.push(endpoint);
    const { master, workers } = await masterAndWorkers(join(dir, 'test'), endpoint.url, endpoint.region, [
      '-u=4',
      '-r=4',
      '--run-time=25s',
    ]);
    const [masterCode, ...workerCodes] = await Promise.all([master.exit, ...workers.map((w) => w.exit)]);
    expect(masterCode, master.output()).toBe(0);
    expect(workerCodes).toEqual([0, 0]);
    expect(master.output()).toMatch(/all 18 items sent/);
    const sent = workers.map((w) => Number(/this process sent (\d+) items/.exec(w.output())?.[1]));
    expect(sent.every((n) => n > 0)).toBe(true);
    expect(sent[0]! + sent[1]!).toBe(18);

    const exchanges = readFileSync(capture, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { time: string; request: { body: string }; verdict: { status: number } });
    expect(exchanges).toHaveLength(18);
    expect(exchanges.every((e) => e.verdict.status === 200)).toBe(true);
    const times = exchanges.map((e) => Date.parse(e.time)).sort((a, b) => a - b);
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(750); // 18 items at 20/s
    const bodies = new Map(exchanges.map((e) => [(JSON.parse(e.request.body) as { DeviceName: string }).DeviceName, e.request.body]));
    // The run's start (the master's clock) is where the first payload's latest timestamp went.
    const first = JSON.parse(bodies.get('rp-1')!) as { AgentMetrics: Array<{ Timestamp: number }> };
    const startMs = Math.round(Math.max(...first.AgentMetrics.map((m) => m.Timestamp)) * 1000);
    const expected = createRewriter(rewrite, () => startMs);
    let sequence = 0;
    for await (const item of readPayloads([input])) {
      if ('problem' in item) continue;
      sequence++;
      expect(bodies.get(`rp-${sequence}`), `item ${sequence}`).toBe(expected(item as ReplayItem, sequence));
    }
    expect(sequence).toBe(18);
  }, 40_000);
});
