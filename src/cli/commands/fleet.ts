/**
 * `heartbeat fleet`: simulated devices from a scenario file (docs/fleet.md). This stage checks scenarios
 * and prints, without sending, every request a run would make (`run --dry-run`); sending them is the next
 * stage of the fleet work (issue 17) and says so.
 */
import { readFileSync } from 'node:fs';
import { planRequests } from '../../common/fleet/schedule.ts';
import { parseScenario, type Scenario } from '../../common/fleet/scenario.ts';
import { parseDuration } from '../../common/fleet/durations.ts';
import { isoToEpoch } from '../../common/wire/timestamps.ts';
import { parseCommandLine } from '../args.ts';
import { CliError, EXIT } from '../cli-error.ts';

export const summary = 'Simulated devices from a scenario file: check it, or list the requests a run would make.';

export const help = `Usage: heartbeat fleet validate SCENARIO
       heartbeat fleet example
       heartbeat fleet run SCENARIO --dry-run [--output ndjson] [--duration D] [--start-time T]

${summary}
  validate SCENARIO    check a scenario (YAML or JSON): every problem with its line:column, exit 1
                       when there is any, 0 when it is good (and a one-line description)
  example              print a commented scenario to start from
  run SCENARIO --dry-run
                       print, without sending, every request the run would make, in order: one JSON
                       line per request {"offsetMs", "device", "operation", "body"}; the same for the
                       same scenario, seed and start time (devices taken as registered, no deployments)
    --duration D       how long (500ms, 5s, 2m, 1h); default the scenario's duration, which is then required
    --start-time T     the run's start for the bodies' timestamps: ISO 8601 or epoch seconds (default now)
  -h, --help           show this help
Sending a scenario's requests (run without --dry-run) is not built yet.

Examples:
  heartbeat fleet validate examples/fleet-warehouse.yaml
  heartbeat fleet example
  heartbeat fleet run examples/fleet-warehouse.yaml --dry-run --duration 10s --start-time 2026-11-30T12:00:00Z`;

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

function load(file: string | undefined): Scenario {
  if (!file) throw new CliError('Name a SCENARIO file (YAML or JSON); "heartbeat fleet example" prints one.');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(
      code === 'ENOENT'
        ? `There is no file ${file}.`
        : code === 'EISDIR'
          ? `${file} is a folder; name a scenario file.`
          : `Cannot read ${file} (${code ?? (error as Error).message}).`,
    );
  }
  const { scenario, problems } = parseScenario(text);
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
    const scenario = load(positionals[0]);
    const devices = scenario.fleets.reduce((n, f) => n + f.devices, 0);
    process.stderr.write(
      `${positionals[0]}: ${scenario.name}, ${scenario.fleets.length} fleet${scenario.fleets.length === 1 ? '' : 's'}, ${devices} device${devices === 1 ? '' : 's'}: good.\n`,
    );
    return EXIT.ok;
  }
  if (sub === 'run') {
    const { values, positionals } = parseCommandLine('fleet run', rest, {
      'dry-run': { type: 'boolean' },
      output: { type: 'string', default: 'ndjson' },
      duration: { type: 'string' },
      'start-time': { type: 'string' },
    });
    if (!values['dry-run'])
      throw new CliError("Sending a scenario's requests is not built yet; add --dry-run to list the requests the run would make.");
    if (values.output !== 'ndjson') throw new CliError(`--output must be ndjson for a dry run, not "${values.output}".`);
    if (positionals.length !== 1) throw new CliError('Name one SCENARIO file: heartbeat fleet run SCENARIO --dry-run.');
    const scenario = load(positionals[0]);
    const durationMs = values.duration !== undefined ? parseDuration(values.duration) : scenario.durationMs;
    if (durationMs === undefined || durationMs <= 0)
      throw new CliError(
        values.duration !== undefined
          ? `--duration must be a duration like 30s or 10m, not "${values.duration}".`
          : 'A dry run needs an end: give --duration, or a duration in the scenario.',
      );
    let startMs = Date.now();
    if (values['start-time'] !== undefined) {
      const text = values['start-time'];
      const seconds = /^\d+(\.\d+)?$/.test(text) ? Number(text) : isoToEpoch(text);
      if (seconds === undefined)
        throw new CliError(`--start-time must be ISO 8601 (2026-11-30T12:00:00Z) or epoch seconds, not "${text}".`);
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
  throw new CliError(
    sub === undefined
      ? 'Say what to do: heartbeat fleet validate | example | run; see "heartbeat fleet --help".'
      : `Unknown fleet command "${sub}"; use validate, example or run.`,
  );
}
