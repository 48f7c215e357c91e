/**
 * The table of HeartbeatApi methods (docs/architecture.md#one-api-three-hosts): for each method, its
 * named arguments in call order with their checks. Everything else is derived from it: the method list,
 * the HTTP routes of browser mode (`/api/<method with / for .>`), the Electron IPC channels and preload
 * bridge (`apiClient`), and the dispatcher every host uses (`callApi`). Adding a method is two edits:
 * its type in `HeartbeatApi` (src/common/api.ts) and its row in `ARGUMENTS` below (the type forces it).
 *
 * The checks are of shape, so a host never hands a service something it was not written for; deeper
 * checks (a valid region, readable files, the payload's own validity) stay with the services. Each host
 * boundary checks once (the HTTP host, IPC, or `withArgumentChecks` for in-process callers).
 */
import type { HeartbeatApi } from './api.ts';
import { isOperation } from './model/index.ts';
import { CAPTURE_FORMATS } from './capture/types.ts';

/** The longest text chunk of `captures.append` (the page sends 1 MiB; JSON escaping stays under the HTTP host's 16 MiB body). */
export const CAPTURE_CHUNK_MAX = 4 * 1024 * 1024;

/** 'send' | 'history.query' | …: every method of HeartbeatApi but `subscribe`, by its dotted path. */
type MethodPaths<T, Prefix extends string = ''> = {
  [K in keyof T & string]: T[K] extends (...args: never[]) => unknown ? `${Prefix}${K}` : MethodPaths<T[K], `${Prefix}${K}.`>;
}[keyof T & string];
export type ApiMethod = Exclude<MethodPaths<HeartbeatApi>, 'subscribe'>;

type Check = (value: unknown, name: string) => string | undefined;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const str =
  (max: number, optional = false): Check =>
  (v, name) =>
    v === undefined && optional
      ? undefined
      : typeof v === 'string' && v.length <= max
        ? undefined
        : `${name} must be text of at most ${max} characters.`;
const num =
  (optional = true): Check =>
  (v, name) =>
    v === undefined && optional ? undefined : typeof v === 'number' && Number.isFinite(v) ? undefined : `${name} must be a number.`;
const obj =
  (fields: Record<string, Check>, optional = false): Check =>
  (v, name) => {
    if (v === undefined && optional) return undefined;
    if (!isObject(v)) return `${name} must be an object.`;
    for (const key of Object.keys(v)) if (!(key in fields)) return `${name} has an unknown field "${key}".`;
    for (const [key, check] of Object.entries(fields)) {
      const problem = check(v[key], `${name}.${key}`);
      if (problem) return problem;
    }
    return undefined;
  };
const oneOf =
  (values: readonly string[], optional = false): Check =>
  (v, name) =>
    v === undefined && optional
      ? undefined
      : typeof v === 'string' && values.includes(v)
        ? undefined
        : `${name} must be one of ${values.join(', ')}.`;
const bool: Check = (v, name) => (v === undefined || typeof v === 'boolean' ? undefined : `${name} must be true or false.`);
const anyObject =
  (optional = false): Check =>
  (v, name) =>
    (v === undefined && optional) || isObject(v) ? undefined : `${name} must be an object.`;

const target: Check = (v, name) => {
  if (!isObject(v)) return `${name} must be an object.`;
  if (v.kind === 'local') return obj({ kind: str(10) })(v, name);
  if (v.kind === 'region') return obj({ kind: str(10), region: str(64), fips: bool })(v, name);
  if (v.kind === 'url') return obj({ kind: str(10), url: str(2048), region: str(64) })(v, name);
  return `${name}.kind must be local, region or url.`;
};
const credentials: Check = (v, name) => {
  if (!isObject(v)) return `${name} must be an object.`;
  if (v.kind === 'demo' || v.kind === 'default-chain') return obj({ kind: str(20) })(v, name);
  if (v.kind === 'profile') return obj({ kind: str(20), profile: str(256) })(v, name);
  if (v.kind === 'manual') return obj({ kind: str(20), id: str(64) })(v, name);
  return `${name}.kind must be demo, default-chain, profile or manual.`;
};
/** A whole number from min to max (the same ranges as the settings of src/node/host/settings.ts). */
const whole =
  (min: number, max: number, unit = ''): Check =>
  (v, name) =>
    v === undefined || (Number.isInteger(v) && (v as number) >= min && (v as number) <= max)
      ? undefined
      : `${name} must be a whole number${unit} from ${min} to ${max}.`;
const positive: Check = (v, name) =>
  v === undefined || (typeof v === 'number' && Number.isFinite(v) && v > 0) ? undefined : `${name} must be a positive number.`;
const sendOptions = obj({ timeoutMs: whole(100, 600_000, ' of milliseconds'), maxAttempts: whole(1, 10), skipValidation: bool }, true);
const operation: Check = (v, name) =>
  typeof v === 'string' && isOperation(v) ? undefined : `${name} must be SendHeartbeat, GetDeviceRegistration or GetDeployments.`;
const historyQuery = obj(
  {
    text: str(500, true),
    device: str(200, true),
    fleet: str(200, true),
    status: oneOf(['success', 'error', 'pending'], true),
    from: str(64, true),
    to: str(64, true),
    limit: num(),
    cursor: str(32, true),
  },
  true,
);
const historyQueryArg: Check = (v, name) =>
  v === undefined ? `${name} is needed (an empty object for every entry).` : historyQuery(v, name);
/** Clearing everything is its own explicit choice: a missing query never means "all". */
const clearSelection: Check = (v, name) => {
  if (isObject(v) && 'all' in v)
    return v.all === true && Object.keys(v).length === 1 ? undefined : `${name} must be { all: true } or { query: {...} }.`;
  if (!isObject(v) || !isObject(v.query)) return `${name} must be { query: {...} } (what the filters select) or { all: true }.`;
  return obj({ query: historyQuery })(v, name);
};

const ARGUMENTS: Record<ApiMethod, Record<string, Check>> = {
  send: { request: obj({ id: str(128), operation, body: str(64 * 1024 * 1024), target, credentials, options: sendOptions }) },
  cancel: { id: str(128) },
  'history.query': { query: historyQueryArg },
  'history.get': { id: str(128) },
  'history.export': { query: historyQueryArg, format: oneOf(['jsonl', 'har']) },
  'history.clear': { selection: clearSelection },
  'history.prune': { rule: obj({ olderThanDays: whole(1, 36_500), keep: whole(0, 100_000_000) }) },
  replay: {
    id: str(128),
    overrides: obj(
      {
        sendId: str(128, true),
        target: (v, n) => (v === undefined ? undefined : target(v, n)),
        credentials: (v, n) => (v === undefined ? undefined : credentials(v, n)),
        options: sendOptions,
      },
      true,
    ),
  },
  'credentials.profiles': {},
  'credentials.registerManualKeys': { keys: obj({ accessKeyId: str(128), secretAccessKey: str(256), sessionToken: str(8192, true) }) },
  'credentials.manualKeys': {},
  'credentials.forgetManualKeys': { id: str(64) },
  'endpoint.info': {},
  'endpoint.setFaults': { faults: anyObject() },
  'endpoint.reset': {},
  'endpoint.exchange': { id: str(128) },
  'endpoint.fleetReport': { options: obj({ fleet: str(63, true), limit: whole(0, 1_000_000) }, true) },
  'endpoint.deploymentPlans': {},
  'endpoint.createDeploymentPlan': { plan: anyObject() },
  'endpoint.cancelDeploymentPlan': { name: str(63) },
  'fleet.start': {
    request: obj({
      scenario: str(16 * 1024 * 1024),
      baseDir: str(4096, true),
      target,
      credentials,
      durationMs: whole(1, 366 * 24 * 3_600_000, ' of milliseconds'),
      scale: positive,
      rateLimit: positive,
    }),
  },
  'fleet.stop': {},
  'fleet.pause': {},
  'fleet.resume': {},
  'fleet.state': {},
  'fleet.devices': {},
  'fleet.device': { name: str(255) },
  'captures.open': {
    request: obj({ name: str(1024), format: oneOf(CAPTURE_FORMATS, true), size: whole(0, Number.MAX_SAFE_INTEGER) }),
  },
  'captures.append': { id: str(64), text: str(CAPTURE_CHUNK_MAX) },
  'captures.finish': { id: str(64) },
  'captures.info': { id: str(64) },
  'captures.rows': {
    id: str(64),
    query: obj({
      offset: whole(0, Number.MAX_SAFE_INTEGER),
      limit: whole(0, 1000),
      runId: str(64, true),
      filter: oneOf(['all', 'failed', 'differs'], true),
    }),
  },
  'captures.item': { id: str(64), index: whole(0, Number.MAX_SAFE_INTEGER) },
  'captures.issues': { id: str(64), offset: whole(0, Number.MAX_SAFE_INTEGER), limit: whole(0, 1000) },
  'captures.close': { id: str(64) },
  'runs.start': {
    request: obj({
      captureId: str(64),
      target,
      credentials,
      concurrency: whole(1, 256),
      ratePerSecond: positive,
      maxAttempts: whole(1, 10),
      timestamps: oneOf(['keep', 'now', 'shift'], true),
      deviceName: str(255, true),
      fleetName: str(255, true),
      expect: (v, name) =>
        v === undefined || v === 'recorded' || v === '2xx' || (Number.isInteger(v) && (v as number) >= 100 && (v as number) <= 599)
          ? undefined
          : `${name} must be "recorded", "2xx" or an HTTP status from 100 to 599.`,
      items: (v, name) =>
        v === undefined || (Array.isArray(v) && v.length <= 10_000_000 && v.every((i) => Number.isInteger(i) && i >= 0))
          ? undefined
          : `${name} must be a list of item indexes.`,
      base: str(64, true),
    }),
  },
  'runs.pause': { id: str(64) },
  'runs.resume': { id: str(64) },
  'runs.cancel': { id: str(64) },
  'runs.state': { id: str(64) },
  'runs.export': { id: str(64), format: oneOf(['jsonl', 'junit']) },
  'environments.get': {},
  'environments.save': { text: str(1024 * 1024) },
  'settings.get': {},
  'settings.update': { patch: anyObject() },
};

/** Checks the named arguments of one call; a sentence for the first problem. */
export function checkApiArgs(method: ApiMethod, args: Record<string, unknown>): string | undefined {
  const expected = ARGUMENTS[method];
  for (const key of Object.keys(args)) if (!(key in expected)) return `"${key}" is not an argument of ${method}.`;
  for (const [key, check] of Object.entries(expected)) {
    const problem = check(args[key], key);
    if (problem) return problem;
  }
  return undefined;
}

export const API_METHODS = Object.keys(ARGUMENTS) as ApiMethod[];

/** Browser mode's route of a method: `POST /api/history/query` for `history.query` (docs/architecture.md#one-api-three-hosts). */
export const routeOf = (method: ApiMethod): string => `/api/${method.replace('.', '/')}`;

/** Browser mode's server-sent events: one `data:` line of a HostEvent per event. */
export const EVENTS_ROUTE = '/api/events';

type AnyMethod = (...args: unknown[]) => Promise<unknown>;

/** The function of `api` a method names, bound to its group. */
function methodOf(api: HeartbeatApi, method: ApiMethod): AnyMethod {
  const [group, name] = method.split('.') as [string, string | undefined];
  const owner = (name === undefined ? api : (api as unknown as Record<string, unknown>)[group]) as Record<string, AnyMethod>;
  return owner[name ?? group]!.bind(owner);
}

/** Where `withArgumentChecks` keeps the API it wraps, so a host that has checked calls past the wrapper. */
const UNCHECKED = Symbol('the API without argument checks');

/**
 * Calls one method with named arguments that passed checkApiArgs (the hosts' one dispatcher). Answers
 * `null` where the API says undefined (JSON and structured clone carry no undefined); `apiClient`
 * turns it back.
 */
export function callApi(api: HeartbeatApi, method: ApiMethod, args: Record<string, unknown>): Promise<unknown> {
  const target = (api as HeartbeatApi & { [UNCHECKED]?: HeartbeatApi })[UNCHECKED] ?? api;
  const values = Object.keys(ARGUMENTS[method]).map((name) => args[name]);
  return methodOf(target, method)(...values).then((result) => (result === undefined ? null : result));
}

/**
 * A HeartbeatApi whose every method is `call(method, namedArguments)`: the one shape every client of a
 * host has (the HTTP client, the Electron preload's bridge, the argument-checking wrapper), built from
 * the table, so no client is written by hand. Arguments left undefined are not sent.
 */
export function apiClient(
  call: <T>(method: ApiMethod, args: Record<string, unknown>) => Promise<T>,
  subscribe: HeartbeatApi['subscribe'],
): HeartbeatApi {
  const api: Record<string, unknown> = { subscribe };
  for (const method of API_METHODS) {
    const names = Object.keys(ARGUMENTS[method]);
    const invoke = (...values: unknown[]): Promise<unknown> => {
      const named: Record<string, unknown> = {};
      names.forEach((name, i) => {
        if (values[i] !== undefined) named[name] = values[i];
      });
      return call<unknown>(method, named).then((result) => (result === null ? undefined : result));
    };
    const [group, name] = method.split('.') as [string, string | undefined];
    if (name === undefined) api[group] = invoke;
    else ((api[group] ??= {}) as Record<string, unknown>)[name] = invoke;
  }
  return api as unknown as HeartbeatApi;
}

/** `api` with every call's arguments checked first, for callers in the host's own process (the CLI, tests). */
export function withArgumentChecks(api: HeartbeatApi, refuse: (sentence: string) => Error = (s) => new Error(s)): HeartbeatApi {
  const call = <T>(method: ApiMethod, args: Record<string, unknown>): Promise<T> => {
    const problem = checkApiArgs(method, args);
    return problem ? Promise.reject(refuse(problem)) : (callApi(api, method, args) as Promise<T>);
  };
  const checked = apiClient(call, (listener) => api.subscribe(listener));
  Object.defineProperty(checked, UNCHECKED, { value: api });
  return checked;
}
