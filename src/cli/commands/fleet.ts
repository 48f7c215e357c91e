/**
 * `heartbeat fleet`: simulated devices from a scenario file (docs/fleet.md): check a scenario, print the
 * requests a run would make (`run --dry-run`), or run it against a target with live progress, a run log
 * and a summary.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { loadScenarioFile, type LoadedScenario } from '../../node/fleet/load-scenario.ts';
import { basename, join } from 'node:path';
import type { FleetRunStats, FleetRunSummary } from '../../common/fleet/summary.ts';
import { clock } from '../progress.ts';
import { prepare, TARGET_OPTIONS } from './send.ts';
import { historyDir } from '../../node/history/paths.ts';
import { openRunLog } from '../../node/fleet/run-log.ts';
import { scaleScenario } from '../../node/fleet/run.ts';
import { planRequests } from '../../common/fleet/schedule.ts';
import { deviceNameOf, type Scenario } from '../../common/fleet/scenario.ts';
import { parseDuration } from '../../common/fleet/durations.ts';
import { isoToEpoch } from '../../common/wire/timestamps.ts';
import { parseCommandLine } from '../args.ts';
import { CliError, EXIT } from '../cli-error.ts';
import { fleetExportFiles, totalDevices, writeExport } from '../../node/fleet/locust/export.ts';
import { readLocustRun } from '../../node/fleet/locust/from-locust.ts';
import { renderRunReport } from '../../common/fleet/report-html.ts';

export const summary = 'Simulated devices from a scenario file: check it, or list the requests a run would make.';

export const help = `Usage: heartbeat fleet validate SCENARIO
       heartbeat fleet example
       heartbeat fleet run SCENARIO [--local | --endpoint-url URL | --region R] [options]
       heartbeat fleet run SCENARIO --dry-run [--output ndjson] [--duration D] [--start-time T]
       heartbeat fleet export SCENARIO --to locust --out DIR [--scale K]
       heartbeat fleet report --from-locust PREFIX [--html FILE] [--output text|json]

${summary}
  validate SCENARIO    check a scenario (YAML or JSON): every problem with its line:column, exit 1
                       when there is any, 0 when it is good (and a one-line description)
  example              print a commented scenario to start from
  run SCENARIO         run the devices: each registers, sends heartbeats, polls for deployments,
                       applies them (and fails and rolls back as the scenario says), with live progress
                       on a terminal and a summary at the end (per operation: sent, ok, failed by type,
                       p50/p99 latency; schedule lag p99). Ctrl+C stops cleanly.
    --local            the embedded endpoint (the default): a running heartbeat serve / heartbeat ui,
                       else one started for the run, where the run registers its devices first
    --endpoint-url URL, --region R, --profile P, --max-attempts N, ...   as for heartbeat send
    --duration D       how long (default: the scenario's, else until Ctrl+C)
    --scale K          multiply every fleet's device count by K (0.5, 2, 10...)
    --rate-limit R     at most R requests per second, all devices together
    --run-log FILE     where the run log goes (one NDJSON line per request, replayable with heartbeat
                       replay); default a new file in the history folder's fleet-runs/; "-" for none
    --output text|json the summary as text (default) or one JSON object
  run SCENARIO --dry-run
                       print, without sending, every request the run would make, in order: one JSON
                       line per request {"offsetMs", "device", "operation", "body"}; the same for the
                       same scenario, seed and start time (devices taken as registered, no deployments)
    --duration D       how long (500ms, 5s, 2m, 1h); default the scenario's duration, which is then required
    --start-time T     the run's start for the bodies' timestamps: ISO 8601 or epoch seconds (default now)
  export SCENARIO --to locust --out DIR
                       write a folder that runs the scenario on Locust (docs/scale.md): locustfile.py
                       (one user per device, signed with SigV4, the target from --host, the devices
                       shared out over any number of workers), heartbeat_fleet.py (the simulator in
                       Python with the scenario embedded; its --dry-run prints what run --dry-run
                       prints), locust.conf and README.md (how to run it on one machine, on several,
                       on Kubernetes)
    --scale K          multiply every fleet's device count by K first
  report --from-locust PREFIX
                       a Locust run's --csv PREFIX output (PREFIX_stats.csv, _failures.csv,
                       _stats_history.csv and the exported locustfile's _heartbeat_fleet.json) as
                       the summary a run prints; exit status as for run
    --html FILE        also write the run's HTML report (as the app's Export report)
    --output text|json the summary as text (default) or one JSON object
  -h, --help           show this help
Exit status: 0 when every request succeeded, 1 when a request failed with a service error (or the
scenario has problems), 2 on bad input, 3 when only transport errors failed, 130 when stopped by Ctrl+C.

Examples:
  heartbeat fleet validate examples/fleet-warehouse.yaml
  heartbeat fleet example
  heartbeat fleet run examples/fleet-demo.yaml --local --duration 5s
  heartbeat fleet run examples/fleet-warehouse.yaml --dry-run --duration 10s --start-time 2026-11-30T12:00:00Z
  heartbeat fleet export examples/fleet-demo.yaml --to locust --out fleet-demo-locust
  heartbeat fleet report --from-locust fleet-demo-locust/run --html report.html`;

const EXAMPLE = `# A scenario for \`heartbeat fleet\` (docs/fleet.md). Durations: 500ms, 5s, 2m, 1h.
name: my-fleet
seed: 1 # same seed + same scenario = same requests, values and times per device
duration: 5m # optional for a real run; needed by --dry-run unless --duration is given
fleets:
  - name: demo-fleet
    devices: 10
    deviceName: 'demo-{n:02}' # {n} = 1..devices, {n:02} zero-pads, {fleet} the fleet's name
    agentVersion: '1.0'
    interval: 5s # a heartbeat every 5 s
    jitter: 10% # ± 10% of the interval
    startup: stagger # first requests spread over one interval (or: together)
    deploymentPoll: 30s
    clockSkew: 0s # or a range, -2s..2s: each device's clock is off by a fixed amount in it
    offline: { probability: 0, duration: 30s } # chance per heartbeat of going quiet for the duration
    agentMetrics:
      # Values: a number, or one generator: constant, uniform {min, max}, normal {mean, sd, min?, max?},
      # randomWalk {start, step, min, max}, sine {mean, amplitude, period, noise?}, counter {start, rate},
      # sequence [..], pickOne [..], decay {start, halfLife, floor}; precision: decimals (default 3).
      - { dimension: agent, name: CpuUtilization, value: { randomWalk: { start: 20, step: 2, min: 0, max: 100 } } }
    models:
      - name: detector
        version: '1.0'
        metrics:
          - { dimension: model/detector, name: InferenceLatency, value: { sine: { mean: 40, amplitude: 10, period: 60s } } }
`;

/** The scenario in `file`, its csv files read; its problems printed with line:column, and a CliError. */
async function load(file: string | undefined): Promise<Scenario> {
  if (!file) throw new CliError('Name a SCENARIO file (YAML or JSON); "heartbeat fleet example" prints one.');
  const info = await stat(file).catch((error: NodeJS.ErrnoException) => error);
  if (info instanceof Error) {
    const code = info.code;
    throw new CliError(code === 'ENOENT' ? `There is no file ${file}.` : `Cannot read ${file} (${code ?? info.message}).`);
  }
  if (info.isDirectory()) throw new CliError(`${file} is a folder; name a scenario file.`);
  let loaded: LoadedScenario;
  try {
    loaded = await loadScenarioFile(file);
  } catch (error) {
    throw new CliError(`Cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
  }
  const { scenario, problems } = loaded;
  if (scenario) return scenario;
  for (const p of problems) process.stderr.write(`${file}:${p.line ?? 1}:${p.column ?? 1} ${p.path || '(scenario)'}: ${p.message}\n`);
  throw new CliError(`${file} has ${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was sent.`, 'INVALID_PAYLOAD');
}

export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub?.startsWith('-')) throw new CliError(`Unknown option '${sub}'; see "heartbeat fleet --help".`);
  if (sub === 'example') {
    if (rest.length) throw new CliError(`fleet example takes nothing more (got "${rest[0]}").`);
    process.stdout.write(EXAMPLE);
    return EXIT.ok;
  }
  if (sub === 'validate') {
    const { positionals } = parseCommandLine('fleet validate', rest, {});
    if (positionals.length > 1) throw new CliError(`Validate one SCENARIO at a time (got ${positionals.length}).`);
    const scenario = await load(positionals[0]);
    const devices = scenario.fleets.reduce((n, f) => n + f.devices, 0);
    process.stderr.write(
      `${positionals[0]}: ${scenario.name}, ${scenario.fleets.length} fleet${scenario.fleets.length === 1 ? '' : 's'}, ${devices} device${devices === 1 ? '' : 's'}: good.\n`,
    );
    return EXIT.ok;
  }
  if (sub === 'run') {
    const { values, positionals } = parseCommandLine('fleet run', rest, {
      ...TARGET_OPTIONS,
      output: { type: 'string' },
      'dry-run': { type: 'boolean' },
      duration: { type: 'string' },
      'start-time': { type: 'string' },
      scale: { type: 'string' },
      'rate-limit': { type: 'string' },
      'run-log': { type: 'string' },
    });
    if (positionals.length !== 1) throw new CliError('Name one SCENARIO file: heartbeat fleet run SCENARIO.');
    const durationMs = values.duration !== undefined ? parseDuration(values.duration) : undefined;
    if (values.duration !== undefined && (durationMs === undefined || durationMs <= 0))
      throw new CliError(`--duration must be a duration like 30s or 10m, not "${values.duration}".`);
    if (values['dry-run']) return dryRun(positionals[0]!, values, durationMs);
    for (const flag of ['start-time'] as const)
      if (values[flag] !== undefined) throw new CliError(`--${flag} is for a dry run (--dry-run); a run starts now.`);
    const scale = scaleOf(values.scale);
    const rateLimit = values['rate-limit'] === undefined ? undefined : Number(values['rate-limit']);
    if (rateLimit !== undefined && !(rateLimit > 0 && Number.isFinite(rateLimit)))
      throw new CliError(`--rate-limit must be a positive number of requests per second, not "${values['rate-limit']}".`);
    const output = values.output ?? 'text';
    if (output !== 'text' && output !== 'json') throw new CliError(`--output must be text or json, not "${output}".`);
    return liveRun(positionals[0]!, { ...values, output }, { durationMs, scale, rateLimit });
  }
  if (sub === 'export') return exportScenario(rest);
  if (sub === 'report') return reportFromLocust(rest);
  throw new CliError(
    sub === undefined
      ? 'Say what to do: heartbeat fleet validate | example | run | export | report; see "heartbeat fleet --help".'
      : `Unknown fleet command "${sub}"; use validate, example, run, export or report.`,
  );
}

function scaleOf(text: string | undefined): number {
  const scale = text === undefined ? 1 : Number(text);
  if (!(scale > 0) || !Number.isFinite(scale)) throw new CliError(`--scale must be a positive number, not "${text}".`);
  return scale;
}

/** `fleet export SCENARIO --to locust --out DIR`: the scenario as a Locust test (src/node/fleet/locust/export.ts). */
async function exportScenario(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine('fleet export', argv, {
    to: { type: 'string' },
    out: { type: 'string' },
    scale: { type: 'string' },
  });
  if (positionals.length !== 1) throw new CliError('Name one SCENARIO file: heartbeat fleet export SCENARIO --to locust --out DIR.');
  if (values.to !== 'locust')
    throw new CliError(values.to === undefined ? 'Say what to export to: --to locust.' : `--to must be locust, not "${values.to}".`);
  if (!values.out) throw new CliError('Name the folder to write: --out DIR.');
  const scale = scaleOf(values.scale);
  const scenario = scaleScenario(await load(positionals[0]), scale);
  let written: string[];
  try {
    written = writeExport(values.out, fleetExportFiles(scenario, positionals[0]!));
  } catch (error) {
    throw new CliError(`Cannot export: ${(error as Error).message}`);
  }
  const devices = totalDevices(scenario);
  process.stderr.write(
    `Wrote ${written.length} files to ${values.out}: ${written.map((p) => basename(p)).join(', ')} (${scenario.name}, ${plural(devices, 'device')}).\n` +
      `Run it there: cd ${values.out} && locust --headless --host http://127.0.0.1:8787 (README.md: credentials, workers, Kubernetes).\n`,
  );
  return EXIT.ok;
}

/** `fleet report --from-locust PREFIX`: Locust's --csv output as a run's summary and HTML report (src/node/fleet/locust/from-locust.ts). */
function reportFromLocust(argv: string[]): number {
  const { values, positionals } = parseCommandLine('fleet report', argv, {
    'from-locust': { type: 'string' },
    html: { type: 'string' },
    output: { type: 'string' },
  });
  if (positionals.length > 0)
    throw new CliError(
      `fleet report takes no file of its own (got "${positionals[0]}"); name Locust's --csv prefix: --from-locust PREFIX.`,
    );
  const prefix = values['from-locust'];
  if (!prefix) throw new CliError("Name the run to report: --from-locust PREFIX (the prefix Locust's --csv was given).");
  const output = values.output ?? 'text';
  if (output !== 'text' && output !== 'json') throw new CliError(`--output must be text or json, not "${output}".`);
  let run;
  try {
    run = readLocustRun(prefix);
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  const { summary } = run;
  if (values.html !== undefined) {
    try {
      writeFileSync(
        values.html,
        renderRunReport({
          summary,
          ...(run.series ? { series: run.series } : {}),
          failures: run.failures,
          generatedAt: new Date().toISOString(),
        }),
      );
    } catch (error) {
      throw new CliError(`Cannot write ${values.html} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
    }
  }
  if (output === 'text')
    process.stderr.write(`Read ${run.files.join(', ')}.${values.html !== undefined ? ` Report: ${values.html}.` : ''}\n`);
  process.stdout.write(output === 'json' ? `${JSON.stringify(summary)}\n` : `${describeRun(summary, summary.unregisteredDevices)}\n`);
  if (summary.totals.failed === 0) return EXIT.ok;
  const types = Object.values(summary.operations).flatMap((o) => Object.keys(o.failedByType));
  return types.length > 0 && types.every((t) => t.startsWith('transport:')) ? EXIT.transport : EXIT.serviceError;
}

async function dryRun(file: string, values: { output?: string; 'start-time'?: string }, given: number | undefined): Promise<number> {
  if ((values.output ?? 'ndjson') !== 'ndjson') throw new CliError(`--output must be ndjson for a dry run, not "${values.output}".`);
  const scenario = await load(file);
  const durationMs = given ?? scenario.durationMs;
  if (durationMs === undefined) throw new CliError('A dry run needs an end: give --duration, or a duration in the scenario.');
  let startMs = Date.now();
  if (values['start-time'] !== undefined) {
    const text = values['start-time'];
    const seconds = /^\d+(\.\d+)?$/.test(text) ? Number(text) : isoToEpoch(text);
    if (seconds === undefined) throw new CliError(`--start-time must be ISO 8601 (2026-11-30T12:00:00Z) or epoch seconds, not "${text}".`);
    startMs = Math.round(seconds * 1000);
  }
  let buffer = '';
  for (const r of planRequests(scenario, durationMs, startMs)) {
    buffer += `${JSON.stringify({ offsetMs: r.offsetMs, device: r.device, operation: r.operation, body: r.body })}\n`;
    if (buffer.length > 1 << 16) {
      process.stdout.write(buffer);
      buffer = '';
    }
  }
  process.stdout.write(buffer);
  return EXIT.ok;
}

const plural = (n: number, word: string): string => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

/** The progress line: devices up, requests per second, failures, schedule lag. */
function progressOf(s: FleetRunStats): string {
  const failed = s.operations.SendHeartbeat.failed + s.operations.GetDeviceRegistration.failed + s.operations.GetDeployments.failed;
  const sent = s.operations.SendHeartbeat.sent + s.operations.GetDeviceRegistration.sent + s.operations.GetDeployments.sent;
  return [
    clock(s.elapsedMs / 1000),
    `${s.registered}/${s.devices} devices up${s.unregistered ? ` (${s.unregistered} unregistered)` : ''}${s.offline ? `, ${s.offline} offline` : ''}${s.deploying ? `, ${s.deploying} deploying` : ''}`,
    `${s.ratePerSecond}/s`,
    `${plural(sent, 'request')}`,
    `${failed} failed`,
    `lag p99 ${s.lag.p99Ms ?? 0} ms`,
  ].join(' · ');
}

function describeRun(s: FleetRunSummary, unregistered: string[]): string {
  const lines = [
    `${s.stopped ? 'Stopped: ' : ''}fleet run ${s.scenario} (seed ${s.seed}): ${plural(s.devices, 'device')} against ${s.target.url} for ${(s.elapsedMs / 1000).toFixed(1)} s; ${plural(s.totals.sent, 'request')}, ${s.totals.ok} ok, ${s.totals.failed} failed.`,
  ];
  for (const [op, o] of Object.entries(s.operations)) {
    if (o.sent === 0) continue;
    const types = Object.entries(o.failedByType)
      .sort((a, b) => b[1] - a[1])
      .map(([t, n]) => `${t} ${n}`)
      .join(', ');
    lines.push(
      `  ${op.padEnd(22)} ${String(o.sent).padStart(8)} sent ${String(o.ok).padStart(8)} ok ${String(o.failed).padStart(6)} failed${types ? ` (${types})` : ''}${o.p50Ms !== undefined ? `  p50 ${o.p50Ms} ms, p99 ${o.p99Ms} ms` : ''}`,
    );
  }
  lines.push(`  schedule lag: p50 ${s.lag.p50Ms ?? 0} ms, p99 ${s.lag.p99Ms ?? 0} ms, max ${s.lag.maxMs ?? 0} ms`);
  lines.push(
    `  devices: ${s.registered} registered, ${s.unregistered} unregistered; deployments: ${s.deployments.applied} applied, ${s.deployments.succeeded} succeeded, ${s.deployments.failed} failed`,
  );
  if (unregistered.length > 0)
    lines.push(
      `  not registered at the target (they kept asking and sent no heartbeat): ${unregistered.slice(0, 20).join(', ')}${unregistered.length > 20 ? ` … and ${unregistered.length - 20} more` : ''}`,
    );
  if (s.runLog) lines.push(`  run log: ${s.runLog}`);
  return lines.join('\n');
}

async function liveRun(
  file: string,
  values: Parameters<typeof prepare>[0] & { 'run-log'?: string },
  options: { durationMs: number | undefined; scale: number; rateLimit: number | undefined },
): Promise<number> {
  const scenario = scaleScenario(await load(file), options.scale);
  const runLogPath =
    values['run-log'] === '-'
      ? undefined
      : (values['run-log'] ?? join(historyDir(), 'fleet-runs', `${scenario.name}-${new Date().toISOString().replace(/[:.]/g, '')}.ndjson`));
  if (runLogPath && values['run-log'] === undefined) mkdirSync(join(historyDir(), 'fleet-runs'), { recursive: true });
  const prepared = await prepare(values);
  const stop = new AbortController();
  const onInterrupt = (): void => stop.abort();
  process.once('SIGINT', onInterrupt);
  const tty = process.stderr.isTTY === true;
  let summary: FleetRunSummary;
  let unregistered: string[];
  try {
    // An embedded endpoint started for this run registers the run's devices first (docs/fleet.md).
    const started = prepared.session.started;
    if (started) {
      const list: Array<{ name: string; fleet: string }> = [];
      for (const fleet of scenario.fleets)
        for (let n = 1; n <= fleet.devices; n++) list.push({ name: deviceNameOf(fleet.deviceName, n, fleet.name), fleet: fleet.name });
      started.registerDevices(list, 'run');
    }
    const runLog = runLogPath ? await openRunLog(runLogPath) : undefined;
    if (values.output === 'text') process.stderr.write(`${prepared.session.localNote ?? `Target: ${prepared.session.target.url}.`}\n`);
    const run = prepared.sends.fleet({
      scenario,
      target: prepared.session.target,
      credentials: prepared.session.credentials,
      ...(options.durationMs !== undefined ? { durationMs: options.durationMs } : {}),
      ...(options.rateLimit !== undefined ? { rateLimit: options.rateLimit } : {}),
      signal: stop.signal,
      ...(runLog ? { runLog } : {}),
      ...(tty ? { onStats: (s: FleetRunStats) => process.stderr.write(`\r\x1b[2K${progressOf(s)}`), statsIntervalMs: 500 } : {}),
    });
    summary = await run.done;
    await prepared.recordRun(summary, ['fleet']);
    const at = run.elapsedMs();
    unregistered = run.devices.filter((d) => d.status(at) === 'unregistered').map((d) => d.name);
  } finally {
    process.removeListener('SIGINT', onInterrupt);
    if (tty) process.stderr.write('\r\x1b[2K');
    await prepared.close();
  }
  if (values.output === 'json') process.stdout.write(`${JSON.stringify({ ...summary, unregisteredDevices: unregistered })}\n`);
  else process.stdout.write(`${describeRun(summary, unregistered)}\n`);
  if (summary.stopped) return 130;
  if (summary.totals.failed === 0) return EXIT.ok;
  const types = Object.values(summary.operations).flatMap((o) => Object.keys(o.failedByType));
  return types.every((t) => t.startsWith('transport:')) ? EXIT.transport : EXIT.serviceError;
}
