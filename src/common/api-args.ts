/**
 * Argument checks for HeartbeatApi calls that cross a process boundary (the loopback HTTP host, Electron
 * IPC): the shape of each argument, so a host never hands a service something it was not written for.
 * Deeper checks (a valid region, readable files, the payload's own validity) stay with the services.
 * Returns a sentence for the first problem, or undefined when the arguments are acceptable.
 */
import { HTTP_ROUTES, type HeartbeatApi } from './api.ts';
import { isOperation } from './model/index.ts';

export type ApiMethod =
  | 'send'
  | 'cancel'
  | 'history.query'
  | 'history.get'
  | 'history.export'
  | 'history.clear'
  | 'history.prune'
  | 'replay'
  | 'credentials.profiles'
  | 'credentials.registerManualKeys'
  | 'credentials.manualKeys'
  | 'credentials.forgetManualKeys'
  | 'endpoint.info'
  | 'endpoint.setFaults'
  | 'endpoint.reset'
  | 'settings.get'
  | 'settings.update';

type Check = (value: unknown, name: string) => string | undefined;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const str =
  (max: number, optional = false): Check =>
  (v, name) =>
    v === undefined && optional ? undefined : typeof v === 'string' && v.length <= max ? undefined : `${name} must be text of at most ${max} characters.`;
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
    v === undefined && optional ? undefined : typeof v === 'string' && values.includes(v) ? undefined : `${name} must be one of ${values.join(', ')}.`;
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
    v === undefined || (Number.isInteger(v) && (v as number) >= min && (v as number) <= max) ? undefined : `${name} must be a whole number${unit} from ${min} to ${max}.`;
const sendOptions = obj({ timeoutMs: whole(100, 600_000, ' of milliseconds'), maxAttempts: whole(1, 10), skipValidation: bool }, true);
const operation: Check = (v, name) => (typeof v === 'string' && isOperation(v) ? undefined : `${name} must be SendHeartbeat, GetDeviceRegistration or GetDeployments.`);
const historyQuery = obj(
  { text: str(500, true), device: str(200, true), fleet: str(200, true), status: oneOf(['success', 'error', 'pending'], true), from: str(64, true), to: str(64, true), limit: num(), cursor: str(32, true) },
  true,
);
/** Clearing everything is its own explicit choice: a missing query never means "all". */
const clearSelection: Check = (v, name) => {
  if (isObject(v) && 'all' in v) return v.all === true && Object.keys(v).length === 1 ? undefined : `${name} must be { all: true } or { query: {...} }.`;
  if (!isObject(v) || !isObject(v.query)) return `${name} must be { query: {...} } (what the filters select) or { all: true }.`;
  return obj({ query: historyQuery })(v, name);
};

const ARGUMENTS: Record<ApiMethod, Record<string, Check>> = {
  send: { request: obj({ id: str(128), operation, body: str(64 * 1024 * 1024), target, credentials, options: sendOptions }) },
  cancel: { id: str(128) },
  'history.query': { query: historyQuery },
  'history.get': { id: str(128) },
  'history.export': { query: historyQuery, format: oneOf(['jsonl', 'har']) },
  'history.clear': { selection: clearSelection },
  'history.prune': { rule: obj({ olderThanDays: whole(1, 36_500), keep: whole(0, 100_000_000) }) },
  replay: { id: str(128), overrides: obj({ sendId: str(128, true), target: (v, n) => (v === undefined ? undefined : target(v, n)), credentials: (v, n) => (v === undefined ? undefined : credentials(v, n)), options: sendOptions }, true) },
  'credentials.profiles': {},
  'credentials.registerManualKeys': { keys: obj({ accessKeyId: str(128), secretAccessKey: str(256), sessionToken: str(8192, true) }) },
  'credentials.manualKeys': {},
  'credentials.forgetManualKeys': { id: str(64) },
  'endpoint.info': {},
  'endpoint.setFaults': { faults: anyObject() },
  'endpoint.reset': {},
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

/** The HTTP binding's route of each method (see HTTP_ROUTES). */
export const HTTP_ROUTE_OF: Readonly<Record<ApiMethod, string>> = {
  send: HTTP_ROUTES.send,
  cancel: HTTP_ROUTES.cancel,
  'history.query': HTTP_ROUTES.historyQuery,
  'history.get': HTTP_ROUTES.historyGet,
  'history.export': HTTP_ROUTES.historyExport,
  'history.clear': HTTP_ROUTES.historyClear,
  'history.prune': HTTP_ROUTES.historyPrune,
  replay: HTTP_ROUTES.replay,
  'credentials.profiles': HTTP_ROUTES.credentialProfiles,
  'credentials.registerManualKeys': HTTP_ROUTES.credentialManual,
  'credentials.manualKeys': HTTP_ROUTES.credentialManualList,
  'credentials.forgetManualKeys': HTTP_ROUTES.credentialManualForget,
  'endpoint.info': HTTP_ROUTES.endpointInfo,
  'endpoint.setFaults': HTTP_ROUTES.endpointFaults,
  'endpoint.reset': HTTP_ROUTES.endpointReset,
  'settings.get': HTTP_ROUTES.settingsGet,
  'settings.update': HTTP_ROUTES.settingsUpdate,
};

/* eslint-disable @typescript-eslint/no-explicit-any -- each argument's shape was checked by checkApiArgs */
/** Calls one method of `api` with named arguments that passed checkApiArgs (the hosts' one dispatcher). */
export function callApi(api: HeartbeatApi, method: ApiMethod, a: Record<string, any>): Promise<unknown> {
  switch (method) {
    case 'send':
      return api.send(a.request);
    case 'cancel':
      return api.cancel(a.id);
    case 'history.query':
      return api.history.query(a.query ?? {});
    case 'history.get':
      return api.history.get(a.id).then((entry) => entry ?? null);
    case 'history.export':
      return api.history.export(a.query ?? {}, a.format);
    case 'history.clear':
      return api.history.clear(a.selection);
    case 'history.prune':
      return api.history.prune(a.rule);
    case 'replay':
      return api.replay(a.id, a.overrides);
    case 'credentials.profiles':
      return api.credentials.profiles();
    case 'credentials.registerManualKeys':
      return api.credentials.registerManualKeys(a.keys);
    case 'credentials.manualKeys':
      return api.credentials.manualKeys();
    case 'credentials.forgetManualKeys':
      return api.credentials.forgetManualKeys(a.id);
    case 'endpoint.info':
      return api.endpoint.info();
    case 'endpoint.setFaults':
      return api.endpoint.setFaults(a.faults);
    case 'endpoint.reset':
      return api.endpoint.reset();
    case 'settings.get':
      return api.settings.get();
    case 'settings.update':
      return api.settings.update(a.patch);
  }
}
/* eslint-enable @typescript-eslint/no-explicit-any */

/**
 * A HeartbeatApi whose every method is `call(method, namedArguments)`: the one shape every client of
 * a host has (the HTTP client, the Electron preload's bridge, the argument-checking wrapper), so the
 * named arguments of each method are written down once, beside their checks. Hosts answer `null`
 * where the API says undefined (JSON and structured clone), which `history.get` turns back.
 */
export function apiClient(call: <T>(method: ApiMethod, args: Record<string, unknown>) => Promise<T>, subscribe: HeartbeatApi['subscribe']): HeartbeatApi {
  return {
    send: (request) => call('send', { request }),
    cancel: (id) => call('cancel', { id }),
    history: {
      query: (query) => call('history.query', { query }),
      get: (id) => call<Awaited<ReturnType<HeartbeatApi['history']['get']>> | null>('history.get', { id }).then((entry) => entry ?? undefined),
      export: (query, format) => call('history.export', { query, format }),
      clear: (selection) => call('history.clear', { selection }),
      prune: (rule) => call('history.prune', { rule }),
    },
    replay: (id, overrides) => call('replay', overrides === undefined ? { id } : { id, overrides }),
    credentials: {
      profiles: () => call('credentials.profiles', {}),
      registerManualKeys: (keys) => call('credentials.registerManualKeys', { keys }),
      manualKeys: () => call('credentials.manualKeys', {}),
      forgetManualKeys: (id) => call('credentials.forgetManualKeys', { id }),
    },
    endpoint: {
      info: () => call('endpoint.info', {}),
      setFaults: (faults) => call('endpoint.setFaults', { faults }),
      reset: () => call('endpoint.reset', {}),
    },
    settings: {
      get: () => call('settings.get', {}),
      update: (patch) => call('settings.update', { patch }),
    },
    subscribe,
  };
}

/** `api` with every call's arguments checked first, so each host refuses the same calls alike. */
export function withArgumentChecks(api: HeartbeatApi, refuse: (sentence: string) => Error = (s) => new Error(s)): HeartbeatApi {
  const call = <T>(method: ApiMethod, args: Record<string, unknown>): Promise<T> => {
    const problem = checkApiArgs(method, args);
    return problem ? Promise.reject(refuse(problem)) : (callApi(api, method, args) as Promise<T>);
  };
  return apiClient(call, (listener) => api.subscribe(listener));
}
