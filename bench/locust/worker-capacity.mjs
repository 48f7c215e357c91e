// How many devices at one heartbeat a second one Locust worker process sustains (docs/scale.md): for each
// device count, `heartbeat fleet export` of the load scenario's fleet (one agent metric, a model with two,
// 1 s ± 10%, GetDeployments every 30 s), a `heartbeat serve` child as the target, a Locust master and ONE
// worker (Debian's /usr/bin/python3 and python3-locust), run for SECONDS; printed: heartbeats per second in
// the steady part (after the first 5 s) against the scenario's, failures, schedule lag p50/p99/max (the
// exported locustfile's account), and the worker's CPU (utime + stime from /proc over the steady part).
//
//   node scripts/build-cli.mjs && node bench/locust/worker-capacity.mjs [SECONDS] [DEVICES...]
//   (default 30 s; 500 1000 1500 2000 2500 3000); INTERVAL=10s for another heartbeat interval (the poll
//   stays 30 s). The worker's resident memory is read at the end of the steady part.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';

const PYTHON = '/usr/bin/python3';
if (spawnSync(PYTHON, ['-c', 'import locust'], { stdio: 'ignore' }).status !== 0) {
  console.log('skipped: /usr/bin/python3 cannot import locust (Debian: apt install python3-locust).');
  process.exit(0);
}
const [secondsArg, ...countArgs] = process.argv.slice(2);
const SECONDS = Number(secondsArg ?? 30);
const COUNTS = countArgs.length > 0 ? countArgs.map(Number) : [500, 1000, 1500, 2000, 2500, 3000];
const INTERVAL = process.env.INTERVAL ?? '1s';
const WARMUP_S = 5;
const TICK = 100; // clock ticks a second (getconf CLK_TCK on Linux)

const scenario = (devices) => `name: worker-capacity
seed: 1
fleets:
  - name: load-fleet
    devices: ${devices}
    deviceName: 'load-{n:05}'
    agentVersion: '1.20210820.e20fa3a'
    interval: ${INTERVAL}
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
`;

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const cpuSeconds = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICK;
};

function started(child) {
  let text = '';
  child.stdout.on('data', (b) => (text += b));
  child.stderr.on('data', (b) => (text += b));
  return { child, output: () => text, exit: new Promise((resolve) => child.on('close', resolve)) };
}

async function measure(devices) {
  const dir = mkdtempSync(join(tmpdir(), 'hb-worker-capacity-'));
  writeFileSync(join(dir, 'scenario.yaml'), scenario(devices));
  const out = join(dir, 'locust');
  const exported = spawnSync(process.execPath, [
    'bin/heartbeat.js',
    'fleet',
    'export',
    join(dir, 'scenario.yaml'),
    '--to',
    'locust',
    '--out',
    out,
  ]);
  if (exported.status !== 0) throw new Error(exported.stderr.toString());
  const serve = started(
    spawn(process.execPath, ['bin/heartbeat.js', 'serve', '--port', '0', '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'] }),
  );
  while (!/listening on (\S+)/.test(serve.output())) await new Promise((r) => setTimeout(r, 50));
  const url = /listening on (\S+)/.exec(serve.output())[1];
  const port = await freePort();
  const env = {
    PATH: process.env.PATH,
    HOME: dir,
    AWS_ACCESS_KEY_ID: 'AKIAHBCOMPOSERDEMO01',
    AWS_SECRET_ACCESS_KEY: 'hbcDemoSecret/OnlyForTheEmbeddedEndpoint',
  };
  const prefix = join(out, 'run');
  const locust = (args) =>
    started(spawn(PYTHON, ['-m', 'locust', '-f', 'locustfile.py', ...args], { cwd: out, env, stdio: ['ignore', 'pipe', 'pipe'] }));
  const master = locust([
    '--master',
    '--master-bind-host=127.0.0.1',
    `--master-bind-port=${port}`,
    '--expect-workers=1',
    '--headless',
    `-u=${devices}`,
    `-r=${devices}`,
    `--run-time=${SECONDS}s`,
    `--host=${url}`,
    `--csv=${prefix}`,
    '--csv-full-history',
    '--only-summary',
  ]);
  const worker = locust(['--worker', '--master-host=127.0.0.1', `--master-port=${port}`]);
  // The steady part: from WARMUP_S after the devices are all spawned to the end of the run.
  while (!/All users spawned/.test(master.output()) && master.child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, WARMUP_S * 1000));
  const cpu0 = cpuSeconds(worker.child.pid);
  const serveCpu0 = cpuSeconds(serve.child.pid);
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, (SECONDS - WARMUP_S - 2) * 1000));
  const cpu1 = cpuSeconds(worker.child.pid);
  const serveCpu1 = cpuSeconds(serve.child.pid);
  const rssMb = Math.round(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${worker.child.pid}/status`, 'utf8'))[1]) / 1024);
  const t1 = performance.now();
  await Promise.all([master.exit, worker.exit]);
  serve.child.kill('SIGTERM');
  await serve.exit;
  const stats = readFileSync(`${prefix}_stats.csv`, 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(','));
  const heartbeats = stats.find((r) => r[1] === 'SendHeartbeat');
  const aggregated = stats.find((r) => r[1] === 'Aggregated');
  const history = readFileSync(`${prefix}_stats_history.csv`, 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(','));
  const beatRows = history.filter((r) => r[3] === 'SendHeartbeat').map((r) => [Number(r[0]), Number(r[4])]);
  const from = beatRows.length > 0 ? beatRows[0][0] + WARMUP_S + 1 : 0;
  const steady = beatRows.filter(([t]) => t >= from && t <= from + SECONDS - WARMUP_S - 3).map(([, rate]) => rate);
  const fleet = JSON.parse(readFileSync(`${prefix}_heartbeat_fleet.json`, 'utf8'));
  return {
    devices,
    heartbeatsPerSecond: steady.length ? Math.round(steady.reduce((a, b) => a + b, 0) / steady.length) : Number(heartbeats?.[9] ?? 0),
    requests: Number(aggregated?.[2] ?? 0),
    failures: Number(aggregated?.[3] ?? 0),
    lag: fleet.lag,
    steadyLag: fleet.lagAfterSpawn,
    workerCpu: Math.round(((cpu1 - cpu0) / ((t1 - t0) / 1000)) * 100),
    rssMb,
    serveCpu: Math.round(((serveCpu1 - serveCpu0) / ((t1 - t0) / 1000)) * 100),
    latency: heartbeats ? `${heartbeats[11]}/${heartbeats[18]}` : '',
    cpuWarning: /exceeded cpu threshold|CPU usage above/.test(master.output() + worker.output()),
  };
}

console.log(
  `one Locust worker process (Debian python3-locust), a heartbeat every ${INTERVAL} ± 10%, ${SECONDS} s per row, ${cpus().length} cores, the target a heartbeat serve child`,
);
console.log(
  'devices  heartbeats/s (steady)  requests  failed  lag p50/p99/max ms (whole run; steady)  worker CPU  worker RSS  heartbeat p50/p99 ms  serve CPU',
);
for (const devices of COUNTS) {
  const r = await measure(devices);
  console.log(
    `${String(r.devices).padStart(7)}  ${String(r.heartbeatsPerSecond).padStart(21)}  ${String(r.requests).padStart(8)}  ${String(r.failures).padStart(6)}  ${`${r.lag.p50Ms}/${r.lag.p99Ms}/${r.lag.maxMs}; ${r.steadyLag.p50Ms}/${r.steadyLag.p99Ms}/${r.steadyLag.maxMs}`.padStart(40)}  ${String(r.workerCpu).padStart(9)}%  ${`${r.rssMb} MB`.padStart(10)}  ${r.latency.padStart(19)}  ${String(r.serveCpu).padStart(8)}%${r.cpuWarning ? ' (Locust: CPU over 90%)' : ''}`,
  );
}
