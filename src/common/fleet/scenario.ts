/**
 * The scenario file of the fleet simulator (issue 17; YAML or JSON, the format is the contract): parsed
 * with the `yaml` package (a superset of JSON), checked in full, every problem at once with its line and
 * column, and defaults filled in. Nothing is sent for a scenario with a problem.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { parseDuration, parseDurationRange, parseFraction } from './durations.ts';
import { nestingDepth } from '../formats/cli-input.ts';
import { MAX_JSON_DEPTH, TOO_DEEP_MESSAGE } from '../json/parse.ts';
import { validate } from '../validation/validate.ts';
import { GENERATOR_NAMES, type CsvArgs, type GeneratorSpec } from './generators.ts';

export interface MetricSpec {
  dimension: string;
  name: string;
  value: GeneratorSpec;
  precision: number;
}

export interface ModelSpec {
  name: string;
  version: string;
  metrics: MetricSpec[];
}

export interface FleetSpec {
  name: string;
  devices: number;
  /** `{n}` is the device's number from 1, `{n:03}` zero-padded, `{fleet}` the fleet's name. */
  deviceName: string;
  agentVersion: string;
  intervalMs: number;
  /** ± this fraction of the interval. */
  jitter: number;
  startup: 'stagger' | 'together';
  deploymentPollMs: number;
  applyTimeMs: number;
  failureRate: number;
  clockSkewMs: { min: number; max: number };
  offline: { probability: number; durationMs: number };
  agentMetrics: MetricSpec[];
  models: ModelSpec[];
}

export interface Scenario {
  name: string;
  seed: number;
  durationMs?: number;
  fleets: FleetSpec[];
}

export interface ScenarioProblem {
  /** JSON pointer of the member, e.g. /fleets/0/interval. */
  path: string;
  message: string;
  line?: number;
  column?: number;
}

/**
 * Where a `csv` generator is, for the host side to read its file (src/node/fleet/load-scenario.ts): `csv`
 * is the generator's own settings object in the scenario, whose `values` the host fills in.
 */
export interface CsvSource {
  /** JSON pointer of the generator's settings, e.g. /fleets/0/agentMetrics/1/value/csv. */
  path: string;
  line?: number;
  column?: number;
  csv: CsvArgs;
}

/** The device name of number `n` (from 1) in `fleet`. */
export function deviceNameOf(template: string, n: number, fleet: string): string {
  return template
    .replace(/\{n(?::(0\d+))?\}/g, (_m, pad: string | undefined) => (pad ? String(n).padStart(Number(pad), '0') : String(n)))
    .replace(/\{fleet\}/g, fleet);
}

/** Where in the scenario a member of a fleet's heartbeat comes from. */
function scenarioPathOf(pointer: string, fleet: number): string {
  const at = `/fleets/${fleet}`;
  const member: Record<string, string> = {
    DeviceName: 'deviceName',
    DeviceFleetName: 'name',
    AgentVersion: 'agentVersion',
    Dimension: 'dimension',
    MetricName: 'name',
    ModelName: 'name',
    ModelVersion: 'version',
  };
  const parts = pointer.split('/').slice(1);
  const out: string[] = [];
  for (let k = 0; k < parts.length; k++) {
    const p = parts[k]!;
    if (p === 'AgentMetrics') out.push('agentMetrics');
    else if (p === 'Models') out.push('models');
    else if (p === 'ModelMetrics') out.push('metrics');
    else out.push(member[p] ?? p);
  }
  return `${at}/${out.join('/')}`;
}

/** Plain values of a YAML tree, with the offset of every member's value by JSON pointer. */
function plain(node: Node | null | undefined, path: string, offsets: Map<string, number>): unknown {
  if (node?.range) offsets.set(path, node.range[0]);
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      const at = `${path}/${key}`;
      if (isScalar(pair.key) && pair.key.range) offsets.set(at, pair.key.range[0]);
      out[key] = plain(pair.value as Node | null, at, offsets);
    }
    return out;
  }
  if (isSeq(node)) return node.items.map((item, i) => plain(item as Node, `${path}/${i}`, offsets));
  if (isScalar(node)) return node.value;
  return undefined;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Parses and checks a scenario; `scenario` is set only when there is no problem, and with it `csvSources`,
 * its csv generators in reading order (their files are not read here: no I/O).
 */
export function parseScenario(text: string): { scenario?: Scenario; problems: ScenarioProblem[]; csvSources?: CsvSource[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  const problems: ScenarioProblem[] = [];
  if (doc.errors.some((e) => /call stack/i.test(e.message)) || (doc.errors.length === 0 && nestingDepth(doc.contents) > MAX_JSON_DEPTH))
    return { problems: [{ path: '', message: TOO_DEEP_MESSAGE }] };
  for (const error of doc.errors) {
    const at = error.linePos?.[0];
    problems.push({
      path: '',
      message: `The scenario is not valid YAML or JSON: ${error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}.`,
      ...(at ? { line: at.line, column: at.col } : {}),
    });
  }
  if (problems.length > 0) return { problems };
  const offsets = new Map<string, number>();
  const root = plain(doc.contents as Node, '', offsets);
  const where = (path: string): { line?: number; column?: number } => {
    const offset = offsets.get(path);
    const at = offset === undefined ? undefined : lines.linePos(offset);
    return at ? { line: at.line, column: at.col } : {};
  };
  const problem = (path: string, message: string): void => {
    problems.push({ path, message, ...where(path) });
  };
  const csvSources: CsvSource[] = [];
  if (!isObj(root)) {
    problem('', 'A scenario is a mapping with name, seed and fleets.');
    return { problems };
  }
  const known = (obj: Obj, path: string, keys: readonly string[]): void => {
    for (const key of Object.keys(obj))
      if (!keys.includes(key)) problem(`${path}/${key}`, `"${key}" is not a member here; use ${keys.join(', ')}.`);
  };
  known(root, '', ['name', 'seed', 'duration', 'fleets']);
  const str = (obj: Obj, path: string, key: string, fallback?: string): string => {
    const v = obj[key];
    if (v === undefined && fallback !== undefined) return fallback;
    if (typeof v !== 'string' || v === '') problem(`${path}/${key}`, `${key} must be text${fallback === undefined ? ' (required)' : ''}.`);
    return typeof v === 'string' ? v : '';
  };
  const num = (obj: Obj, path: string, key: string, fallback: number, min: number, max: number, whole = false): number => {
    const v = obj[key];
    if (v === undefined) return fallback;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max || (whole && !Number.isInteger(v))) {
      problem(`${path}/${key}`, `${key} must be a ${whole ? 'whole ' : ''}number from ${min} to ${max}.`);
      return fallback;
    }
    return v;
  };
  const duration = (obj: Obj, path: string, key: string, fallback: number, min = 1): number => {
    const v = obj[key];
    if (v === undefined) return fallback;
    const ms = typeof v === 'string' ? parseDuration(v) : undefined;
    if (ms === undefined || ms < min) {
      problem(
        `${path}/${key}`,
        `${key} must be a duration like 500ms, 5s, 2m or 1h${min > 0 ? ' above zero' : ''}, not ${JSON.stringify(v)}.`,
      );
      return fallback;
    }
    return ms;
  };
  const fraction = (obj: Obj, path: string, key: string): number => {
    const v = obj[key];
    if (v === undefined) return 0;
    const f = typeof v === 'string' || typeof v === 'number' ? parseFraction(v) : undefined;
    if (f === undefined || f < 0 || f > 1) {
      problem(`${path}/${key}`, `${key} must be a fraction from 0 to 1 or a percentage like 10%, not ${JSON.stringify(v)}.`);
      return 0;
    }
    return f;
  };

  const generator = (v: unknown, path: string): GeneratorSpec => {
    if (typeof v === 'number') return { constant: v };
    if (!isObj(v) || Object.keys(v).length !== 1 || !GENERATOR_NAMES.includes(Object.keys(v)[0] as (typeof GENERATOR_NAMES)[number])) {
      problem(path, `A value is a number or one generator: ${GENERATOR_NAMES.join(', ')}.`);
      return { constant: 0 };
    }
    const [kind, args] = Object.entries(v)[0] as [string, unknown];
    const at = `${path}/${kind}`;
    const numbers = (list: unknown): number[] => {
      if (!Array.isArray(list) || list.length === 0 || !list.every((x) => typeof x === 'number')) {
        problem(at, `${kind} takes a non-empty list of numbers.`);
        return [0];
      }
      return list as number[];
    };
    if (kind === 'constant') return { constant: typeof args === 'number' ? args : (problem(at, 'constant takes a number.'), 0) };
    if (kind === 'sequence') return { sequence: numbers(args) };
    if (kind === 'pickOne') return { pickOne: numbers(args) };
    if (!isObj(args)) {
      problem(at, `${kind} takes a mapping of its settings.`);
      return { constant: 0 };
    }
    const n = (key: string, fallback?: number): number => {
      if (args[key] === undefined && fallback !== undefined) return fallback;
      if (typeof args[key] !== 'number' || !Number.isFinite(args[key])) problem(`${at}/${key}`, `${kind}.${key} must be a number.`);
      return typeof args[key] === 'number' ? (args[key] as number) : 0;
    };
    const seconds = (key: string): number => duration(args, at, key, 1000) / 1000;
    switch (kind) {
      case 'uniform':
        known(args, at, ['min', 'max']);
        return { uniform: { min: n('min'), max: n('max') } };
      case 'normal': {
        known(args, at, ['mean', 'sd', 'min', 'max']);
        const spec: { mean: number; sd: number; min?: number; max?: number } = { mean: n('mean'), sd: n('sd') };
        if (args.min !== undefined) spec.min = n('min');
        if (args.max !== undefined) spec.max = n('max');
        return { normal: spec };
      }
      case 'randomWalk':
        known(args, at, ['start', 'step', 'min', 'max']);
        return { randomWalk: { start: n('start'), step: n('step'), min: n('min'), max: n('max') } };
      case 'sine':
        known(args, at, ['mean', 'amplitude', 'period', 'noise']);
        return { sine: { mean: n('mean'), amplitude: n('amplitude'), period: seconds('period'), noise: n('noise', 0) } };
      case 'counter':
        known(args, at, ['start', 'rate']);
        return { counter: { start: n('start', 0), rate: n('rate') } };
      case 'decay':
        known(args, at, ['start', 'halfLife', 'floor']);
        return { decay: { start: n('start'), halfLife: seconds('halfLife'), floor: n('floor', 0) } };
      default: {
        known(args, at, ['file', 'column']);
        const { file, column } = args;
        if (typeof file !== 'string' || file.trim() === '')
          problem(
            file === undefined ? at : `${at}/file`,
            "csv.file must be the path of a CSV file, relative to the scenario's folder or absolute.",
          );
        const byName = typeof column === 'string' && column.trim() !== '';
        if (!byName && !(typeof column === 'number' && Number.isInteger(column) && column >= 1))
          problem(
            column === undefined ? at : `${at}/column`,
            "csv.column must be a name in the CSV file's header row or a column number from 1.",
          );
        const csv: CsvArgs = { file: typeof file === 'string' ? file : '', column: byName || typeof column === 'number' ? column : '' };
        csvSources.push({ path: at, ...where(at), csv });
        return { csv };
      }
    }
  };
  const metrics = (v: unknown, path: string): MetricSpec[] => {
    if (v === undefined) return [];
    if (!Array.isArray(v)) {
      problem(path, 'Metrics are a list of { dimension, name, value }.');
      return [];
    }
    return v.map((m, i) => {
      const at = `${path}/${i}`;
      if (!isObj(m)) {
        problem(at, 'A metric is a mapping of dimension, name, value and precision.');
        return { dimension: '', name: '', value: { constant: 0 }, precision: 3 };
      }
      known(m, at, ['dimension', 'name', 'value', 'precision']);
      return {
        dimension: str(m, at, 'dimension'),
        name: str(m, at, 'name'),
        value: generator(m.value, `${at}/value`),
        precision: num(m, at, 'precision', 3, 0, 10, true),
      };
    });
  };

  const name = str(root, '', 'name');
  const seed = num(root, '', 'seed', 0, 0, 4294967295, true);
  const durationMs = root.duration === undefined ? undefined : duration(root, '', 'duration', 0);
  const fleetsRaw = root.fleets;
  const fleets: FleetSpec[] = [];
  if (!Array.isArray(fleetsRaw) || fleetsRaw.length === 0) problem('/fleets', 'fleets must be a list of at least one fleet.');
  else {
    fleetsRaw.forEach((f, i) => {
      const at = `/fleets/${i}`;
      if (!isObj(f)) return problem(at, 'A fleet is a mapping (name, devices, deviceName, interval, …).');
      known(f, at, [
        'name',
        'devices',
        'deviceName',
        'agentVersion',
        'interval',
        'jitter',
        'startup',
        'deploymentPoll',
        'applyTime',
        'failureRate',
        'clockSkew',
        'offline',
        'agentMetrics',
        'models',
      ]);
      const fleetName = str(f, at, 'name');
      const deviceName = str(f, at, 'deviceName', '{fleet}-{n}');
      if (!deviceName.includes('{n'))
        problem(`${at}/deviceName`, 'deviceName must contain {n} (or {n:03}) so every device has its own name.');
      const startup = f.startup ?? 'stagger';
      if (startup !== 'stagger' && startup !== 'together') problem(`${at}/startup`, 'startup must be stagger or together.');
      let clockSkewMs = { min: 0, max: 0 };
      if (f.clockSkew !== undefined) {
        const range = typeof f.clockSkew === 'string' ? parseDurationRange(f.clockSkew) : undefined;
        if (!range) problem(`${at}/clockSkew`, `clockSkew must be a duration or a range like -2s..2s, not ${JSON.stringify(f.clockSkew)}.`);
        else clockSkewMs = range;
      }
      let offline = { probability: 0, durationMs: 0 };
      if (f.offline !== undefined) {
        if (!isObj(f.offline)) problem(`${at}/offline`, 'offline is { probability, duration }.');
        else {
          known(f.offline, `${at}/offline`, ['probability', 'duration']);
          offline = {
            probability: fraction(f.offline, `${at}/offline`, 'probability'),
            durationMs: duration(f.offline, `${at}/offline`, 'duration', 30_000),
          };
        }
      }
      const models: ModelSpec[] = [];
      if (f.models !== undefined) {
        if (!Array.isArray(f.models)) problem(`${at}/models`, 'models is a list of { name, version, metrics }.');
        else
          f.models.forEach((m, j) => {
            const mat = `${at}/models/${j}`;
            if (!isObj(m)) return problem(mat, 'A model is a mapping of name, version and metrics.');
            known(m, mat, ['name', 'version', 'metrics']);
            models.push({ name: str(m, mat, 'name'), version: String(m.version ?? '1.0'), metrics: metrics(m.metrics, `${mat}/metrics`) });
          });
      }
      fleets.push({
        name: fleetName,
        devices: num(f, at, 'devices', 1, 1, 100_000, true),
        deviceName,
        agentVersion: str(f, at, 'agentVersion', '1.0'),
        intervalMs: duration(f, at, 'interval', 5000),
        jitter: fraction(f, at, 'jitter'),
        startup: startup === 'together' ? 'together' : 'stagger',
        deploymentPollMs: duration(f, at, 'deploymentPoll', 30_000),
        applyTimeMs: duration(f, at, 'applyTime', 3000, 0),
        failureRate: fraction(f, at, 'failureRate'),
        clockSkewMs,
        offline,
        agentMetrics: metrics(f.agentMetrics, `${at}/agentMetrics`),
        models,
      });
    });
    // The names the devices will send must pass the service's own constraints: a sample heartbeat of
    // the first and the last device of each fleet is validated, and its problems put at the scenario's lines.
    fleets.forEach((f, i) => {
      const seen = new Set<string>();
      for (const n of [1, f.devices]) {
        const sample = {
          AgentVersion: f.agentVersion,
          DeviceName: deviceNameOf(f.deviceName, n, f.name),
          DeviceFleetName: f.name,
          ...(f.agentMetrics.length
            ? { AgentMetrics: f.agentMetrics.map((m) => ({ Dimension: m.dimension, MetricName: m.name, Value: 0, Timestamp: 0 })) }
            : {}),
          ...(f.models.length
            ? {
                Models: f.models.map((m) => ({
                  ModelName: m.name,
                  ModelVersion: m.version,
                  ...(m.metrics.length
                    ? { ModelMetrics: m.metrics.map((x) => ({ Dimension: x.dimension, MetricName: x.name, Value: 0, Timestamp: 0 })) }
                    : {}),
                })),
              }
            : {}),
        };
        for (const error of validate(sample).errors) {
          const where = scenarioPathOf(error.path, i);
          if (!seen.has(where)) problem(where, error.message);
          seen.add(where);
        }
      }
    });
    const names = new Set<string>();
    fleets.forEach((f, i) => {
      if (names.has(f.name)) problem(`/fleets/${i}/name`, `Two fleets are named "${f.name}"; give each its own name.`);
      names.add(f.name);
    });
  }
  // In reading order, as a person fixes them.
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  if (problems.length > 0) return { problems };
  return { scenario: { name, seed, ...(durationMs !== undefined ? { durationMs } : {}), fleets }, problems, csvSources };
}
