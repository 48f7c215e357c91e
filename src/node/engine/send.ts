/**
 * One send: sign, log the request durably, send, retry as the SDK's standard mode, log the outcome.
 * Returns `{ id, cancel, response }` at once (Hoppscotch-style), so a UI can cancel a send in flight.
 */
import { randomUUID } from 'node:crypto';
import {
  LOG_VERSION,
  redactHeaders,
  type AttemptRecord,
  type LoggedRequest,
  type LogLine,
  type Outcome,
  type TargetRecord,
  type Timings,
} from '../../common/log/entry.ts';
import type { Operation } from '../../common/model/index.ts';
import type { Credentials } from '../credentials/credentials.ts';
import { createSigner, SIGNING_NAME, type SignedRequest, type Signer } from '../signing/sign.ts';
import type { SigningReport } from '../signing/report.ts';
import { withoutUserinfo } from '../targets/userinfo.ts';
import { TransportFailure } from '../transport/errors.ts';
import { sendOnce } from '../transport/send-once.ts';
import type { Transport } from '../transport/dispatcher.ts';
import { SkewClock } from './clock.ts';
import { diagnose403, parseServiceError, requestIdOf, successOutcome } from './outcome.ts';
import { backoffMs, classifyFailure, DEFAULT_MAX_ATTEMPTS, retryAfterMs, RetryQuota, type Failure } from './retry.ts';

export const USER_AGENT = 'heartbeat-composer/0.1.0';

/** Where lines go; `durable` lines are fsynced before the promise resolves. */
export interface HistorySink {
  record(line: LogLine, durable: boolean): Promise<void>;
}

export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

export interface Engine {
  transport: Transport;
  clock: SkewClock;
  quota: RetryQuota;
  maxAttempts: number;
  random: () => number;
  sleep: Sleep;
  history?: HistorySink;
  /** Signers by credentials (the same object each send, for a replay) and scope, reused across sends. */
  signers: WeakMap<Credentials, Map<string, Signer>>;
}

export interface EngineOptions {
  transport: Transport;
  maxAttempts?: number;
  history?: HistorySink;
  /** Injectable for deterministic tests. */
  random?: () => number;
  sleep?: Sleep;
  localNow?: () => number;
}

export const realSleep: Sleep = (ms, signal) =>
  new Promise((resolve) => {
    if (signal.aborted || ms <= 0) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });

export function createEngine(options: EngineOptions): Engine {
  return {
    transport: options.transport,
    clock: new SkewClock(options.localNow),
    quota: new RetryQuota(),
    maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    random: options.random ?? Math.random,
    sleep: options.sleep ?? realSleep,
    signers: new WeakMap(),
    ...(options.history ? { history: options.history } : {}),
  };
}

/** The engine's signer for these credentials and scope, kept per replay, not per send (it caches parsed URLs). */
function signerFor(engine: Engine, credentials: Credentials, region: string, service: string): Signer {
  let byScope = engine.signers.get(credentials);
  if (!byScope) {
    byScope = new Map();
    engine.signers.set(credentials, byScope);
  }
  const scope = `${region}\n${service}`;
  let signer = byScope.get(scope);
  if (!signer) {
    signer = createSigner(credentials, { region, service });
    byScope.set(scope, signer);
  }
  return signer;
}

export interface SendInput {
  operation: Operation;
  /** The wire body (JSON text). */
  body: string;
  target: TargetRecord;
  credentials: Credentials;
  /** Signing name; `sagemaker` unless a test needs otherwise. */
  service?: string;
  maxAttempts?: number;
  tags?: string[];
  /** Build the signature report (default true; bulk replay turns it off). */
  report?: boolean;
}

export interface EngineResult {
  id: string;
  outcome: Outcome;
  attempts: AttemptRecord[];
  timings?: Timings;
  /** The report of the last signing. */
  report?: SigningReport;
  request: LoggedRequest;
}

export interface SendHandle {
  id: string;
  cancel(): void;
  /** The send's result once its outcome line is durable (fsynced): what "done" means. */
  response: Promise<EngineResult>;
  /**
   * The same result as soon as the answer is in (its outcome line then goes out with the next group
   * commit): a replay frees the slot for the next request here and counts the send at `response`.
   */
  answered: Promise<EngineResult>;
}

/**
 * The cancellation of one send. An AbortController per send costs several microseconds (and its
 * listeners more), a large share of a replay's per-request work; this one is plain fields, and makes
 * a real AbortSignal only when a retry's sleep asks for one.
 */
class SendCancel {
  aborted = false;
  reason: Error | undefined;
  private listeners: Array<() => void> = [];
  private controller: AbortController | undefined;

  cancel(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = Object.assign(new Error('This operation was aborted'), { name: 'AbortError' });
    const listeners = this.listeners;
    this.listeners = [];
    for (const listener of listeners) listener();
    this.controller?.abort(this.reason);
  }

  addEventListener(_type: 'abort', listener: () => void): void {
    if (!this.aborted) this.listeners.push(listener);
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    const at = this.listeners.indexOf(listener);
    if (at >= 0) this.listeners.splice(at, 1);
  }

  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }
}

/** `new Date().toISOString()`, with the part up to the seconds made once a second (a replay logs thousands a second). */
let isoSecond = NaN;
let isoPrefix = '';
function isoNow(): string {
  const now = Date.now();
  const second = Math.floor(now / 1000);
  if (second !== isoSecond) {
    isoSecond = second;
    isoPrefix = new Date(second * 1000).toISOString().slice(0, -4);
  }
  const ms = now - second * 1000;
  return `${isoPrefix}${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}Z`;
}

export function send(engine: Engine, input: SendInput): SendHandle {
  const id = randomUUID();
  const cancel = new SendCancel();
  const running = run(engine, input, id, cancel);
  return {
    id,
    cancel: () => cancel.cancel(),
    answered: running.then((r) => r.result),
    response: running.then(async (r) => {
      await r.durable;
      return r.result;
    }),
  };
}

async function run(
  engine: Engine,
  input: SendInput,
  id: string,
  signal: SendCancel,
): Promise<{ result: EngineResult; durable: Promise<void> | undefined }> {
  const maxAttempts = Math.max(1, input.maxAttempts ?? engine.maxAttempts);
  const service = input.service ?? SIGNING_NAME;
  // A target from an older history line may still carry userinfo: it is neither sent nor recorded again.
  const target = input.target.url.includes('@') ? { ...input.target, url: withoutUserinfo(input.target.url) } : input.target;
  const url = `${target.url}/${input.operation}`;
  const invocationId = randomUUID();
  const signer = signerFor(engine, input.credentials, target.region, service);
  const signAttempt = (attempt: number): SignedRequest =>
    signer.sign(
      {
        method: 'POST',
        url,
        headers: {
          'content-type': 'application/json',
          'user-agent': USER_AGENT,
          'amz-sdk-invocation-id': invocationId,
          'amz-sdk-request': `attempt=${attempt}; max=${maxAttempts}`,
        },
        body: input.body,
      },
      { signingDate: new Date(engine.clock.now()), report: input.report ?? true },
    );

  let signed = signAttempt(1);
  const logged: LoggedRequest = { method: 'POST', url, headers: redactHeaders(signed.headers), body: input.body };
  const time = isoNow();
  // Written (to the page cache: a kill -9 cannot lose it) before the request leaves; made durable by the
  // fsync that covers its outcome line, before the send is reported done (docs/history.md).
  await engine.history?.record(
    {
      v: LOG_VERSION,
      type: 'request',
      id,
      time,
      operation: input.operation,
      target,
      request: logged,
      ...(input.tags?.length ? { tags: input.tags } : {}),
    },
    false,
  );

  const attempts: AttemptRecord[] = [];
  let outcome: Outcome | undefined;
  let timings: Timings | undefined;
  let retryCost = 0;
  let delayMs = 0;
  // The whole send, backoff waits and re-signing included: what "took" means to the user.
  const sendStarted = performance.now();
  let phasesOffset = 0;
  for (let attempt = 1; attempt <= maxAttempts && !outcome; attempt++) {
    if (attempt > 1) signed = signAttempt(attempt);
    const startedAt = isoNow();
    const started = performance.now();
    const record: AttemptRecord = { attempt, startedAt, durationMs: 0, ...(attempt > 1 ? { delayMs } : {}) };
    attempts.push(record);
    let failure: Failure;
    let candidate: Outcome;
    let retryAfter: number | undefined;
    try {
      if (signal.aborted) throw new TransportFailure('aborted', 'The request was cancelled.');
      const raw = await sendOnce(engine.transport, signed, signal);
      timings = raw.timings;
      phasesOffset = started - sendStarted;
      record.status = raw.status;
      record.durationMs = raw.timings.totalMs;
      const skewMs = engine.clock.skewFrom(raw.headers.date);
      const corrected = engine.clock.observe(raw.headers.date);
      if (raw.status >= 200 && raw.status < 300) {
        outcome = successOutcome(raw);
        engine.quota.release(retryCost);
        break;
      }
      const error = parseServiceError(raw);
      record.errorType = error.errorType;
      record.message = error.message;
      const requestId = requestIdOf(raw.headers);
      const diagnosis =
        raw.status === 403
          ? diagnose403(error, {
              ...(skewMs !== undefined ? { skewMs } : {}),
              region: target.region,
              service,
              host: new URL(url).host,
              accessKeyIdLast4: input.credentials.accessKeyId.slice(-4),
            })
          : undefined;
      candidate = {
        kind: 'service-error',
        status: raw.status,
        errorType: error.errorType,
        message: error.message,
        ...(requestId ? { requestId } : {}),
        retried: attempt > 1,
        ...(diagnosis ? { diagnosis } : {}),
        headers: raw.headers,
        body: raw.body,
      };
      failure = { kind: 'service', status: raw.status, errorType: error.errorType, clockSkewCorrected: corrected };
      retryAfter = retryAfterMs(raw.headers['retry-after'], Date.now());
    } catch (error) {
      if (!(error instanceof TransportFailure)) throw error;
      record.durationMs = Math.round((performance.now() - started) * 100) / 100;
      record.errorType = error.code;
      record.message = error.message;
      if (error.code === 'aborted' || signal.aborted) {
        outcome = { kind: 'cancelled', message: 'The send was cancelled.' };
        break;
      }
      candidate = { kind: 'transport-error', code: error.code, message: error.message, retried: attempt > 1 };
      failure = { kind: 'transport', code: error.code };
    }
    const retryClass = classifyFailure(failure);
    const cost = retryClass === 'none' || attempt >= maxAttempts ? undefined : engine.quota.acquire(retryClass);
    if (cost === undefined) {
      outcome = candidate;
      break;
    }
    retryCost += cost;
    delayMs = Math.max(backoffMs(attempt, retryClass, engine.random), retryAfter ?? 0);
    await engine.sleep(delayMs, signal.signal);
    if (signal.aborted) outcome = { kind: 'cancelled', message: 'The send was cancelled.' };
  }
  const final = outcome ?? { kind: 'cancelled', message: 'The send was cancelled.' };
  timings = wholeSend(timings, phasesOffset, performance.now() - sendStarted);
  const durable = engine.history?.record(
    { v: LOG_VERSION, type: 'outcome', id, time: isoNow(), outcome: final, attempts, ...(timings ? { timings } : {}) },
    true,
  );
  // Settled here too, so a failed write is never an unhandled rejection when only `answered` is awaited.
  durable?.catch(() => undefined);
  return {
    result: {
      id,
      outcome: final,
      attempts,
      ...(timings ? { timings } : {}),
      ...(signed.report ? { report: signed.report } : {}),
      request: logged,
    },
    durable,
  };
}

/**
 * The send's timings on one timeline from its first attempt's start: totalMs is the whole wall time
 * (every attempt, backoff and Retry-After waits included; each attempt's own time is its durationMs),
 * and the phases of the last attempt that got an answer are moved by when that attempt started.
 */
function wholeSend(last: Timings | undefined, lastOffsetMs: number, totalMs: number): Timings {
  const at = (ms: number | undefined): number | undefined => (ms === undefined ? undefined : Math.round((ms + lastOffsetMs) * 100) / 100);
  const out: Timings = { totalMs: Math.round(Math.max(totalMs, last ? last.totalMs + lastOffsetMs : 0) * 100) / 100 };
  const connectMs = at(last?.connectMs);
  const tlsMs = at(last?.tlsMs);
  const firstByteMs = at(last?.firstByteMs);
  if (connectMs !== undefined) out.connectMs = connectMs;
  if (tlsMs !== undefined) out.tlsMs = tlsMs;
  if (firstByteMs !== undefined) out.firstByteMs = firstByteMs;
  return out;
}
