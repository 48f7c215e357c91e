/**
 * The JSON-lines record shared by the send side's history log and the embedded endpoint's capture,
 * so either file can be searched, exported and replayed by the same code.
 *
 * A history send writes a `request` line (fsynced before the request leaves) and later an `outcome`
 * line with the same id; a crash in between leaves a visible pending entry. The endpoint's capture
 * writes one `exchange` line per received request, holding both halves. Secrets never appear: the
 * Authorization signature and X-Amz-Security-Token are redacted before a line is built.
 */
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
  | { kind: 'service-error'; status: number; errorType: string; message: string; requestId?: string; retried: boolean; diagnosis?: string; headers?: Record<string, string>; body?: string }
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
  return line && line.v === LOG_VERSION && (line.type === 'request' || line.type === 'outcome' || line.type === 'exchange') && typeof line.id === 'string' ? (line as LogLine) : undefined;
}
