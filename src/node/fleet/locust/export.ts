/**
 * `heartbeat fleet export SCENARIO --to locust` (issue 20, docs/scale.md): a folder that runs the scenario
 * on Locust — heartbeat_fleet.py (the simulator in Python, the scenario embedded as JSON), locustfile.py
 * (one user per device), locust.conf and a README. The Python sources are the files beside this one;
 * the bundled CLI (dist/cli-commands/) reads them from the project's src/node/fleet/locust/.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GeneratorSpec } from '../../../common/fleet/generators.ts';
import { deviceNameOf, type FleetSpec, type MetricSpec, type Scenario } from '../../../common/fleet/scenario.ts';

export const PYTHON_SOURCES = ['heartbeat_fleet.py', 'locustfile.py', 'replay_locustfile.py'] as const;
export type PythonSource = (typeof PYTHON_SOURCES)[number];

/** The folder holding the Python sources: beside this file (from source) or the project's, seen from dist/cli-commands/. */
export function pythonSourceDir(): string {
  const candidates = [new URL('./', import.meta.url), new URL('../../src/node/fleet/locust/', import.meta.url)];
  for (const candidate of candidates) {
    const dir = fileURLToPath(candidate);
    if (existsSync(join(dir, 'heartbeat_fleet.py'))) return dir;
  }
  throw new Error('The Locust export sources (src/node/fleet/locust/*.py) are missing from this installation.');
}

export function pythonSource(name: PythonSource): string {
  return readFileSync(join(pythonSourceDir(), name), 'utf8');
}

const EMBED_START = 'SCENARIO_JSON = r"""\n';
const EMBED_END = '\n"""\n';

/**
 * JSON for a Python raw triple-quoted string: pretty, ASCII only (other characters as \u escapes, which
 * json.loads reads back), and never three quotes in a row (JSON text cannot have them: a quote inside a
 * string is escaped and one that ends a string is followed by , : } ] or a line end).
 */
export function embeddableJson(value: unknown): string {
  const text = JSON.stringify(value, null, 2).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (text.includes('"""') || text.endsWith('\\')) throw new Error('The scenario cannot be embedded as a Python raw string.');
  return text;
}

/** heartbeat_fleet.py with `embedded` as its SCENARIO_JSON. */
export function withEmbeddedJson(source: string, embedded: unknown): string {
  const start = source.indexOf(EMBED_START);
  const end = start < 0 ? -1 : source.indexOf(EMBED_END, start + EMBED_START.length);
  if (start < 0 || end < 0) throw new Error('heartbeat_fleet.py has no SCENARIO_JSON block to fill in.');
  return `${source.slice(0, start + EMBED_START.length)}${embeddableJson(embedded)}${source.slice(end)}`;
}

/** Where a number of the scenario is not finite (Infinity has no JSON form); undefined when all are. */
export function nonFiniteNumber(value: unknown, path = ''): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : path || '/';
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const at = nonFiniteNumber(value[i], `${path}/${i}`);
      if (at) return at;
    }
  } else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      const at = nonFiniteNumber(v, `${path}/${k}`);
      if (at) return at;
    }
  return undefined;
}

export const totalDevices = (scenario: Scenario): number => scenario.fleets.reduce((n, f) => n + f.devices, 0);

/** A duration in the scenario's own words: 500ms, 5s, 2m, 1h. */
export function durationText(ms: number): string {
  if (ms !== 0 && ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms !== 0 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

function generatorText(spec: GeneratorSpec): string {
  if ('csv' in spec) return `csv ${spec.csv.file} column ${spec.csv.column} (${spec.csv.values?.length ?? 0} rows, embedded)`;
  const [kind, args] = Object.entries(spec)[0] as [string, unknown];
  return `${kind} ${JSON.stringify(args)}`;
}

function metricRows(metrics: MetricSpec[], where: string): string[] {
  return metrics.map(
    (m) =>
      `| ${where} metric \`${m.dimension}/${m.name}\` | ${generatorText(m.value).replace(/\|/g, '\\|')}, precision ${m.precision} | the same values from the same stream (seed, fleet, device, \`${where === 'agent' ? 'agent' : `model/${where}`}/${m.dimension}/${m.name}\`) |`,
  );
}

function fleetTable(f: FleetSpec, index: number): string {
  const rows = [
    `| \`devices\` | ${f.devices} | device numbers ${index === 0 ? '' : 'continuing '}in run order; one Locust user each |`,
    `| \`deviceName\` | \`${f.deviceName}\` | ${deviceNameOf(f.deviceName, 1, f.name)} … ${deviceNameOf(f.deviceName, f.devices, f.name)} |`,
    `| \`agentVersion\` | ${f.agentVersion} | AgentVersion of every heartbeat |`,
    `| \`interval\`, \`jitter\` | ${durationText(f.intervalMs)} ± ${Math.round(f.jitter * 1000) / 10}% | the same heartbeat times (stream \`schedule\`), kept in real time by gevent sleeps |`,
    `| \`startup\` | ${f.startup} | first requests ${f.startup === 'stagger' ? `spread over one interval from the run's start` : `all at the run's start`} (the master's clock when the first device is handed out) |`,
    `| \`deploymentPoll\` | ${durationText(f.deploymentPollMs)} | a GetDeployments every ${durationText(f.deploymentPollMs)} |`,
    `| \`applyTime\`, \`failureRate\` | ${durationText(f.applyTimeMs)}, ${f.failureRate} | applying takes ${durationText(f.applyTimeMs)} and fails with probability ${f.failureRate} (stream \`deploy\`); the DeploymentResult rides on every heartbeat until one is accepted |`,
    `| \`clockSkew\` | ${f.clockSkewMs.min === f.clockSkewMs.max ? durationText(f.clockSkewMs.min) : `${durationText(f.clockSkewMs.min)}..${durationText(f.clockSkewMs.max)}`} | the same fixed skew per device (stream \`skew\`) in the bodies' timestamps; requests are signed with the machine's clock |`,
    `| \`offline\` | ${f.offline.probability > 0 ? `${f.offline.probability} for ${durationText(f.offline.durationMs)}` : 'none'} | the same spells (drawn before each heartbeat slot) |`,
    ...metricRows(f.agentMetrics, 'agent'),
    ...f.models.flatMap((m) => [
      `| model \`${m.name}\` ${m.version} | ${m.metrics.length} metric${m.metrics.length === 1 ? '' : 's'} | ModelName, ModelVersion, LatestSampleTime, LatestInference in every heartbeat |`,
      ...metricRows(m.metrics, m.name),
    ]),
  ];
  return [`### Fleet \`${f.name}\``, '', '| setting | value | in the Locust run |', '|---|---|---|', ...rows].join('\n');
}

function fleetReadme(scenario: Scenario, source: string, moduleBytes: number): string {
  const devices = totalDevices(scenario);
  const runTime = scenario.durationMs !== undefined ? `${Math.ceil(scenario.durationMs / 1000)}s` : undefined;
  const rt = runTime ? ` --run-time ${runTime}` : '';
  // Measured (docs/scale.md): one worker process sustains ~3,000 devices at one heartbeat a second and
  // ~10,000 at one per 10 s; planned with headroom from the fastest interval.
  const fastestS = Math.min(...scenario.fleets.map((f) => f.intervalMs)) / 1000;
  const perWorker = Math.max(100, Math.min(10_000, Math.round((2500 * fastestS) / 100) * 100));
  const workers = Math.max(1, Math.ceil(devices / perWorker));
  return `# ${scenario.name} on Locust

Written by \`heartbeat fleet export ${source} --to locust\` (Heartbeat Composer; docs/scale.md). The scenario
(seed ${scenario.seed}, ${devices.toLocaleString('en-US')} device${devices === 1 ? '' : 's'} in ${scenario.fleets.length} fleet${scenario.fleets.length === 1 ? '' : 's'}) is embedded in \`heartbeat_fleet.py\`; nothing else is read.

| file | what it is |
|---|---|
| \`heartbeat_fleet.py\` | the simulator in Python: the specified randomness, the value generators, the device's life (registration with CacheTTL, heartbeats, deployments, offline spells), SigV4 (hmac/hashlib), the standard retries; \`python3 heartbeat_fleet.py --dry-run --duration 10s --start-time 2026-11-30T12:00:00Z\` prints what \`heartbeat fleet run ${source} --dry-run --duration 10s --start-time 2026-11-30T12:00:00Z\` prints, line for line |
| \`locustfile.py\` | one Locust \`FastHttpUser\` per device, living its life in real time |
| \`locust.conf\` | the locustfile, users = ${devices} (one per device), spawn rate; read by \`locust\` started in this folder (the run time goes on the master's command line: a worker refuses one) |

Needs Locust 2.12 or later (Debian: \`apt install python3-locust\`; or \`pip install locust\`) and Python 3.7+.
Workers need only this folder: no botocore, no Node.

## Credentials and target

The devices sign with the standard variables: \`AWS_ACCESS_KEY_ID\`, \`AWS_SECRET_ACCESS_KEY\`
(\`AWS_SESSION_TOKEN\` for temporary keys), region \`AWS_REGION\` or \`AWS_DEFAULT_REGION\` (default
us-east-1). The target is Locust's \`--host\`:

- the embedded endpoint (\`heartbeat serve\`, http://127.0.0.1:8787): the demo keys
  \`AWS_ACCESS_KEY_ID=AKIAHBCOMPOSERDEMO01 AWS_SECRET_ACCESS_KEY=hbcDemoSecret/OnlyForTheEmbeddedEndpoint\`;
  it registers each device on its first GetDeviceRegistration;
- a region: \`--host https://edge.sagemaker.REGION.amazonaws.com\` with real keys (the devices must be
  registered there, or they keep asking and send no heartbeat).

## On one machine

One process (a few thousand devices at one heartbeat a second; docs/scale.md has the numbers):

\`\`\`
cd THIS_FOLDER
locust --headless --host http://127.0.0.1:8787 --csv run${rt}
\`\`\`

A master and one worker per core (\`nproc\`), all on this machine:

\`\`\`
locust --master --headless --expect-workers 4 --host http://127.0.0.1:8787 --csv run${rt} &
for i in 1 2 3 4; do locust --worker & done
\`\`\`

## On several machines

Copy this folder to every machine. On the master (workers connect to its port 5557):

\`\`\`
locust --master --headless --expect-workers 8 --host https://TARGET --csv run${rt}
\`\`\`

On each worker machine, one per core:

\`\`\`
locust --worker --master-host MASTER_ADDRESS
\`\`\`

## On Kubernetes (the Locust Helm chart)

With the community chart (\`helm repo add deliveryhero https://charts.deliveryhero.io/\`): both Python
files in the locustfile's ConfigMap (they are mounted in one folder, where the locustfile finds its
module; a ConfigMap holds at most 1 MiB, and heartbeat_fleet.py is ${Math.ceil(moduleBytes / 1024).toLocaleString('en-US')} KiB${moduleBytes > 1_000_000 ? ': too big, so put it in the image or a volume mounted beside the locustfile' : ''}), an image with Locust 2.12 or later:

\`\`\`
kubectl create configmap ${slug(scenario.name)}-locust --from-file=locustfile.py --from-file=heartbeat_fleet.py
helm install ${slug(scenario.name)} deliveryhero/locust \\
  --set loadtest.name=${slug(scenario.name)} \\
  --set loadtest.locust_locustfile_configmap=${slug(scenario.name)}-locust \\
  --set loadtest.locust_locustfile=locustfile.py \\
  --set loadtest.locust_host=https://TARGET \\
  --set loadtest.environment.AWS_ACCESS_KEY_ID=... \\
  --set loadtest.environment.AWS_SECRET_ACCESS_KEY=... \\
  --set image.tag=2.12.1 \\
  --set worker.replicas=${workers}
\`\`\`

Then start it from the master's web UI (\`kubectl port-forward\` to its service, port 8089) with
${devices} users and a spawn rate of ${Math.min(devices, 1000)}${runTime ? ` (and stop it after ${runTime}, the scenario's duration)` : ''}. ${workers} worker${workers === 1 ? '' : 's'}: about ${perWorker.toLocaleString('en-US')} devices
per worker at this scenario's fastest interval, one core and ${perWorker >= 5000 ? '512' : '256'} MiB each (measured: docs/scale.md). Key names differ
between chart versions (newer ones take the credentials from a Secret and can run headless):
\`helm show values deliveryhero/locust\` lists them.

## How the devices are spread over the workers

Each user asks the master for a device and gets the lowest device number not taken (a process run alone
hands them out itself); a stopped user gives its number back. So the users of all workers together are
exactly the scenario's ${devices} device${devices === 1 ? '' : 's'}, each once, whatever the number of workers and however Locust
spreads the users: run \`-u ${devices}\`. Fewer users leave devices out (the master says how many); more idle.

The devices' schedules count from the run's start: the master's clock when it hands out the first device.
\`HEARTBEAT_START_TIME\` (epoch seconds or ISO 8601) pins it, so a run's bodies can be compared with a dry
run's. Machines' clocks should agree (NTP): a device's timestamps are its worker's clock.

## Results

Locust's statistics have one request per send, named by its operation (GetDeviceRegistration,
SendHeartbeat, GetDeployments), its time the whole send with retries (3 attempts, full-jitter backoff,
Retry-After, as the composer retries); a failure is named by its error type (ThrottlingException,
transport:refused …). With \`--csv PREFIX\` the master also writes \`PREFIX_heartbeat_fleet.json\`
(schedule lag, devices registered and refused, deployments, retried attempts), and

\`\`\`
heartbeat fleet report --from-locust PREFIX [--html report.html]
\`\`\`

prints the same summary as \`heartbeat fleet run\` and writes the same HTML report.

## What each setting became

As parsed by the composer (defaults filled in; generators' periods and half-lives in seconds):

| scenario | value | in the Locust run |
|---|---|---|
| \`name\` | ${scenario.name} | the report's name |
| \`seed\` | ${scenario.seed} | the same streams (FNV-1a seeds, mulberry32): the same times and values per device |
| \`duration\` | ${scenario.durationMs !== undefined ? durationText(scenario.durationMs) : 'none'} | ${runTime ? `\`--run-time ${runTime}\` on the master's (or the one process's) command line` : 'none: the run goes until stopped, or give --run-time'} |

${scenario.fleets.map(fleetTable).join('\n\n')}
`;
}

function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'fleet'
  );
}

/** The files of a fleet export, by name. */
export function fleetExportFiles(scenario: Scenario, source: string): Record<string, string> {
  const at = nonFiniteNumber(scenario);
  if (at) throw new Error(`The scenario has a number that is not finite at ${at}; JSON (and so the export) cannot hold it.`);
  const devices = totalDevices(scenario);
  const conf = [
    "# Locust's settings for this scenario (README.md); command-line options override them.",
    'locustfile = locustfile.py',
    `users = ${devices}`,
    `spawn-rate = ${Math.min(devices, 1000)}`,
    "# The scenario's duration goes on the master's command line (--run-time; a worker refuses one): README.md.",
    '',
  ].join('\n');
  const module = withEmbeddedJson(pythonSource('heartbeat_fleet.py'), scenario);
  return {
    'heartbeat_fleet.py': module,
    'locustfile.py': pythonSource('locustfile.py'),
    'locust.conf': conf,
    'README.md': fleetReadme(scenario, source, Buffer.byteLength(module)),
  };
}

/** Writes `files` into `dir` (made when missing); refuses a dir that is a file. Returns the paths written. */
export function writeExport(dir: string, files: Record<string, string>): string[] {
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new Error(`${dir} is a file; name a folder for the export.`);
  mkdirSync(dir, { recursive: true });
  return Object.entries(files).map(([name, text]) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  });
}
