/**
 * The JSON-lines record shared by the send side's history log and the embedded endpoint's capture,
 * so either file can be searched, exported and replayed by the same code.
 *
 * A history send writes a `request` line (before the request leaves) and later an `outcome`
 * line with the same id; a crash in between leaves a visible pending entry. The endpoint's capture
 * writes one `exchange` line per received request, holding both halves. A fleet run writes one `run`
 * line, its summary (docs/history.md#fleet-run-entries). Secrets never appear: the
 * Authorization signature and X-Amz-Security-Token are redacted before a line is built.
 */
import type { FleetRunSummary } from '../fleet/summary.ts';
import type { Operation } from '../model/index.ts';

export const LOG_VERSION = 1;

export interface LoggedRequest {
  method: string;
  url: string;
  /** Lower-case header names; Authorization's signature and the security token are redacted. */
  headers: Record<string, string>;
  /** The wire body, as text. */
  body: string;
}

export interface AttemptRecord {
  /** 1-based. */
  attempt: number;
  /** ISO 8601 time the attempt started. */
  startedAt: string;
  status?: number;
  errorType?: string;
  message?: string;
  /** Milliseconds waited before this attempt (backoff). */
  delayMs?: number;
  durationMs: number;
}

export interface Timings {
  /** Milliseconds from start: each phase is present when it happened. */
  connectMs?: number;
  tlsMs?: number;
  firstByteMs?: number;
  totalMs: number;
}

export type TransportErrorCode = 'refused' | 'reset' | 'timeout' | 'tls' | 'dns' | 'aborted' | 'other';

export type Outcome =
  | { kind: 'success'; status: number; requestId?: string; headers: Record<string, string>; body: string }
  | {
      kind: 'service-error';
      status: number;
      errorType: string;
      message: string;
      requestId?: string;
      retried: boolean;
      diagnosis?: string;
      headers?: Record<string, string>;
      body?: string;
    }
  | { kind: 'transport-error'; code: TransportErrorCode; message: string; retried: boolean }
  | { kind: 'cancelled'; message: string };

/** Where a request was sent: the embedded endpoint, a region, or a custom URL. */
export interface TargetRecord {
  kind: 'local' | 'region' | 'url';
  url: string;
  region: string;
}

export interface RequestLine {
  v: typeof LOG_VERSION;
  type: 'request';
  id: string;
  /** ISO 8601. */
  time: string;
  operation: Operation;
  target: TargetRecord;
  request: LoggedRequest;
  tags?: string[];
}

export interface OutcomeLine {
  v: typeof LOG_VERSION;
  type: 'outcome';
  id: string;
  time: string;
  outcome: Outcome;
  attempts: AttemptRecord[];
  timings?: Timings;
}

/** The endpoint's verdict on a received request. */
export interface Verdict {
  status: number;
  /** x-amzn-ErrorType, absent on success. */
  errorType?: string;
  message?: string;
  requestId: string;
  handlingMs: number;
}

export interface ExchangeLine {
  v: typeof LOG_VERSION;
  type: 'exchange';
  id: string;
  time: string;
  operation: Operation | 'unknown';
  /** The client's address as the endpoint saw it. */
  remote?: string;
  request: LoggedRequest;
  verdict: Verdict;
}

export type LogLine = RequestLine | OutcomeLine | ExchangeLine;

/** Header values that must never be written: the signature part of Authorization and the token. */
export function redactHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [rawName, rawValue] of Object.entries(headers)) {
    if (rawValue === undefined) continue;
    const name = rawName.toLowerCase();
    const value = Array.isArray(rawValue) ? rawValue.join(', ') : rawValue;
    if (name === 'authorization') out[name] = value.replace(/Signature=[^,\s]*/g, 'Signature=REDACTED');
    else if (name === 'x-amz-security-token') out[name] = 'REDACTED';
    else out[name] = value;
  }
  return out;
}

/**
 * A history line that hides entries: written by `history prune`, the app's Clear and retention, so that
 * entries in files another live process still appends to vanish at once; their bytes go when that file
 * is compacted (docs/history.md).
 */
export interface ForgetLine {
  v: typeof LOG_VERSION;
  type: 'forget';
  id: string;
  time: string;
  /** The ids of the entries forgotten. */
  ids: string[];
}

/**
 * A fleet run's summary: the run's one history entry (its requests go to its run log, not the history).
 * Not a LogLine: nothing replays or re-sends it, and `heartbeat replay` of an export skips it.
 */
export interface RunLine {
  v: typeof LOG_VERSION;
  type: 'run';
  id: string;
  /** ISO 8601: the run's end. */
  time: string;
  summary: FleetRunSummary;
  tags?: string[];
}

/** Every line of a history file. */
export type HistoryLine = LogLine | ForgetLine | RunLine;

/** True for a parsed value that is a run line (shape unchecked): what replay skips. */
export function isRunLine(value: unknown): value is RunLine {
  const line = value as Partial<RunLine> | null;
  return typeof line === 'object' && line !== null && line.v === LOG_VERSION && line.type === 'run' && typeof line.id === 'string';
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const OUTCOME_KINDS = ['success', 'service-error', 'transport-error', 'cancelled'];

function requestProblem(r: unknown): string | undefined {
  if (!isRecord(r)) return 'it has no request';
  if (!isStr(r.method) || !isStr(r.url) || !isStr(r.body)) return 'its request lacks a method, URL or body';
  if (!isRecord(r.headers) || !Object.values(r.headers).every(isStr)) return 'its request headers are not text';
  return undefined;
}

function outcomeProblem(line: Record<string, unknown>): string | undefined {
  const o = line.outcome;
  if (!isRecord(o) || !OUTCOME_KINDS.includes(o.kind as string)) return 'it has no outcome of a known kind';
  if ((o.kind === 'success' || o.kind === 'service-error') && !isNum(o.status)) return 'its outcome has no HTTP status';
  if (o.kind === 'service-error' && !isStr(o.errorType)) return 'its service error has no error type';
  if (o.kind === 'transport-error' && !isStr(o.code)) return 'its transport error has no code';
  if (!Array.isArray(line.attempts) || !line.attempts.every((a) => isRecord(a) && isNum(a.durationMs)))
    return 'its attempts are not a list of attempts';
  if (line.timings !== undefined && !(isRecord(line.timings) && isNum(line.timings.totalMs))) return 'its timings have no total';
  return undefined;
}

const isCount = (v: unknown): v is number => isNum(v) && v >= 0;
const optionalNum = (v: unknown): boolean => v === undefined || isNum(v);

/** Why a run line's summary is not one readers can show (every field the list and the inspector read), or undefined. */
function runProblem(line: Record<string, unknown>): string | undefined {
  const s = line.summary;
  if (!isRecord(s)) return 'it has no run summary';
  if (!isStr(s.scenario) || s.scenario === '') return 'its run summary has no scenario';
  if (!isStr(s.startedAt) || Number.isNaN(Date.parse(s.startedAt))) return 'its run summary has no start time';
  if (!isRecord(s.target) || !isStr(s.target.url) || !isStr(s.target.region) || !isStr(s.target.kind))
    return 'its run summary has no target';
  if (!isNum(s.seed) || typeof s.stopped !== 'boolean') return 'its run summary has no seed or stopped flag';
  for (const name of ['elapsedMs', 'devices', 'registered', 'unregistered'] as const)
    if (!isCount(s[name])) return `its run summary has no ${name}`;
  const totals = s.totals;
  if (!isRecord(totals) || !isCount(totals.sent) || !isCount(totals.ok) || !isCount(totals.failed)) return 'its run summary has no totals';
  if (!isRecord(s.operations)) return 'its run summary has no operations';
  for (const stats of Object.values(s.operations))
    if (
      !isRecord(stats) ||
      !isCount(stats.sent) ||
      !isCount(stats.ok) ||
      !isCount(stats.failed) ||
      !isRecord(stats.failedByType) ||
      !Object.values(stats.failedByType).every(isCount) ||
      !optionalNum(stats.p50Ms) ||
      !optionalNum(stats.p99Ms)
    )
      return 'its run summary has an operation without counts';
  if (!isRecord(s.lag) || !optionalNum(s.lag.p50Ms) || !optionalNum(s.lag.p99Ms) || !optionalNum(s.lag.maxMs))
    return 'its run summary has no lag';
  const d = s.deployments;
  if (!isRecord(d) || !isCount(d.applied) || !isCount(d.succeeded) || !isCount(d.failed)) return 'its run summary has no deployments';
  if (s.runLog !== undefined && !isStr(s.runLog)) return 'its run log is not a path';
  if (line.tags !== undefined && !(Array.isArray(line.tags) && line.tags.every(isStr))) return 'its tags are not text';
  return undefined;
}

/**
 * Checks every field a reader relies on: the line as a HistoryLine, or why it is not one (for a
 * warning naming the file and line). A line of another program or version is a problem too.
 */
export function checkHistoryLine(value: unknown): { line: HistoryLine } | { problem: string } {
  if (!isRecord(value)) return { problem: 'it is not a JSON object' };
  if (value.v !== LOG_VERSION) return { problem: `its version is ${JSON.stringify(value.v)}, not ${LOG_VERSION}` };
  if (!isStr(value.id) || value.id === '' || value.id.length > 200) return { problem: 'it has no id' };
  if (value.time === undefined) return { problem: 'it has no time' };
  if (!isStr(value.time) || Number.isNaN(Date.parse(value.time)))
    return { problem: `its time ${JSON.stringify(value.time)} is not a date and time` };
  let problem: string | undefined;
  switch (value.type) {
    case 'request':
      problem = !isStr(value.operation)
        ? 'it has no operation'
        : !isRecord(value.target) || !isStr(value.target.url) || !isStr(value.target.region) || !isStr(value.target.kind)
          ? 'it has no target'
          : requestProblem(value.request);
      break;
    case 'outcome':
      problem = outcomeProblem(value);
      break;
    case 'exchange':
      problem = !isStr(value.operation)
        ? 'it has no operation'
        : !isRecord(value.verdict) || !isNum(value.verdict.status) || !isStr(value.verdict.requestId)
          ? 'it has no verdict'
          : requestProblem(value.request);
      break;
    case 'forget':
      problem = Array.isArray(value.ids) && value.ids.every(isStr) ? undefined : 'its ids are not a list of ids';
      break;
    case 'run':
      problem = runProblem(value);
      break;
    default:
      problem = `its type ${JSON.stringify(value.type)} is not request, outcome, exchange, run or forget`;
  }
  return problem ? { problem } : { line: value as unknown as HistoryLine };
}

/** The request with its Authorization's access key id cut to the last 4 characters (what the UI and exports show). */
export function maskKeyId<T extends LoggedRequest>(request: T): T {
  const authorization = request.headers.authorization;
  if (!authorization) return request;
  const masked = authorization.replace(/Credential=([^/,\s]*)/, (_m, id: string) => `Credential=…${id.slice(-4)}`);
  return { ...request, headers: { ...request.headers, authorization: masked } };
}

/** Parses one line of a log; undefined for a torn, blank or foreign line. */
export function parseLogLine(text: string): LogLine | undefined {
  if (!text.trim()) return undefined;
  try {
    return asLogLine(JSON.parse(text));
  } catch {
    return undefined; // torn or foreign line
  }
}

/** The parsed JSON value of a line, when it is one of our log lines. */
export function asLogLine(value: unknown): LogLine | undefined {
  const line = value as Partial<LogLine> | null;
  return line &&
    line.v === LOG_VERSION &&
    (line.type === 'request' || line.type === 'outcome' || line.type === 'exchange') &&
    typeof line.id === 'string'
    ? (line as LogLine)
    : undefined;
}
