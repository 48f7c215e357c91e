/**
 * Fault injection for demos and for testing clients' retries: added latency (fixed or with jitter),
 * an error rate with a chosen error type, and failing every Nth request. Settings can change while the
 * endpoint runs (admin API); faults apply to well-formed, authenticated requests, after validation and
 * before anything is recorded, so a retried heartbeat is recorded once.
 */
import type { FaultSettings } from '../../common/api.ts';
import { internalFault, throttling, type ServiceError } from './errors.ts';

export const INJECTABLE_ERRORS = ['InternalServiceException', 'ThrottlingException'] as const;
export type InjectableError = (typeof INJECTABLE_ERRORS)[number];

export type ResolvedFaults = Required<FaultSettings>;

export const NO_FAULTS: ResolvedFaults = Object.freeze({
  latencyMs: 0,
  latencyJitterMs: 0,
  errorRate: 0,
  failEveryNth: 0,
  errorType: 'InternalServiceException',
  retryAfterSeconds: 1,
});

/** "200", "200±50" or "200+-50" (milliseconds); undefined when malformed. */
export function parseLatency(text: string): { latencyMs: number; latencyJitterMs: number } | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:(?:±|\+-|\+\/-)\s*(\d+(?:\.\d+)?))?\s*(?:ms)?\s*$/.exec(text);
  if (!m) return undefined;
  const latencyMs = Number(m[1]);
  const latencyJitterMs = m[2] === undefined ? 0 : Number(m[2]);
  return latencyJitterMs <= latencyMs ? { latencyMs, latencyJitterMs } : undefined;
}

/** Checks settings from a flag, an option or the admin API; returns the resolved settings or a sentence. */
export function resolveFaults(input: unknown, base: ResolvedFaults = NO_FAULTS): ResolvedFaults | string {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return 'Fault settings must be a JSON object.';
  const out: ResolvedFaults = { ...base };
  for (const [name, value] of Object.entries(input)) {
    switch (name) {
      case 'latencyMs':
      case 'latencyJitterMs':
      case 'retryAfterSeconds':
        if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 600_000)
          return `${name} must be a number from 0 to 600000.`;
        out[name] = value;
        break;
      case 'failEveryNth':
        if (!Number.isInteger(value) || (value as number) < 0) return 'failEveryNth must be a whole number (0 turns it off).';
        out.failEveryNth = value as number;
        break;
      case 'errorRate':
        if (typeof value !== 'number' || !(value >= 0 && value <= 1)) return 'errorRate must be a number from 0 to 1.';
        out.errorRate = value;
        break;
      case 'errorType':
        if (!(INJECTABLE_ERRORS as readonly unknown[]).includes(value)) return `errorType must be ${INJECTABLE_ERRORS.join(' or ')}.`;
        out.errorType = value as InjectableError;
        break;
      default:
        return `Unknown fault setting "${name}"; use latencyMs, latencyJitterMs, errorRate, failEveryNth, errorType or retryAfterSeconds.`;
    }
  }
  if (out.latencyJitterMs > out.latencyMs) return 'latencyJitterMs must not be larger than latencyMs.';
  return out;
}

export class FaultInjector {
  private count = 0;

  constructor(
    private current: ResolvedFaults = NO_FAULTS,
    private readonly random: () => number = Math.random,
  ) {}

  get settings(): ResolvedFaults {
    return this.current;
  }

  set settings(next: ResolvedFaults) {
    this.current = next;
    this.count = 0;
  }

  /** Milliseconds to wait before answering this request. */
  latency(): number {
    const { latencyMs, latencyJitterMs } = this.current;
    if (latencyMs <= 0) return 0;
    return Math.max(0, latencyMs + (this.random() * 2 - 1) * latencyJitterMs);
  }

  /** The injected error for this request, if any. */
  nextError(): ServiceError | undefined {
    this.count++;
    const { failEveryNth, errorRate } = this.current;
    const fail = (failEveryNth > 0 && this.count % failEveryNth === 0) || (errorRate > 0 && this.random() < errorRate);
    if (!fail) return undefined;
    return this.current.errorType === 'ThrottlingException' ? throttling(this.current.retryAfterSeconds) : internalFault();
  }
}
