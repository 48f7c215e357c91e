/**
 * The AWS SDK v3 "standard" retry mode (docs/architecture.md#aws-facts), written out so every decision is visible and
 * testable: which failures retry, full-jitter backoff, Retry-After, the shared retry quota.
 */
import type { TransportErrorCode } from '../../common/log/entry.ts';

export const DEFAULT_MAX_ATTEMPTS = 3;
export const BASE_DELAY_MS = 100;
export const THROTTLING_BASE_DELAY_MS = 500;
export const MAX_BACKOFF_MS = 20_000;

const THROTTLING_CODES = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottledException',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'TransactionInProgressException',
  'RequestLimitExceeded',
  'BandwidthLimitExceeded',
  'LimitExceededException',
  'RequestThrottled',
  'SlowDown',
  'PriorRequestNotComplete',
  'EC2ThrottledException',
]);
const TRANSIENT_CODES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);
const TRANSIENT_STATUS = new Set([500, 502, 503, 504]);
const RETRYABLE_TRANSPORT: ReadonlySet<TransportErrorCode> = new Set(['refused', 'reset', 'timeout', 'dns']);

export type Failure =
  { kind: 'service'; status: number; errorType: string; clockSkewCorrected: boolean } | { kind: 'transport'; code: TransportErrorCode };

export type RetryClass = 'throttling' | 'transient' | 'timeout' | 'clock-skew' | 'none';

export function classifyFailure(failure: Failure): RetryClass {
  if (failure.kind === 'transport') {
    if (!RETRYABLE_TRANSPORT.has(failure.code)) return 'none';
    return failure.code === 'timeout' ? 'timeout' : 'transient';
  }
  if (failure.status === 429 || THROTTLING_CODES.has(failure.errorType)) return 'throttling';
  if (TRANSIENT_STATUS.has(failure.status) || TRANSIENT_CODES.has(failure.errorType)) return 'transient';
  // The SDK retries once its clock offset has been corrected from the server's Date (then re-signs).
  if (failure.clockSkewCorrected) return 'clock-skew';
  return 'none';
}

/** Full jitter: random × min(base × 2^(retry-1), 20 s), base 500 ms after throttling, else 100 ms. */
export function backoffMs(retry: number, retryClass: RetryClass, random: () => number): number {
  const base = retryClass === 'throttling' ? THROTTLING_BASE_DELAY_MS : BASE_DELAY_MS;
  return Math.floor(random() * Math.min(base * 2 ** (retry - 1), MAX_BACKOFF_MS));
}

/** Retry-After in seconds or as an HTTP date → milliseconds from now (capped at the backoff cap). */
export function retryAfterMs(value: string | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  let ms: number | undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) ms = Number(trimmed) * 1000;
  else {
    const at = Date.parse(trimmed);
    if (!Number.isNaN(at)) ms = Math.max(0, at - now);
  }
  return ms === undefined ? undefined : Math.min(ms, MAX_BACKOFF_MS);
}

/**
 * The SDK's retry token bucket (500 tokens; a retry costs 5, after a timeout 10; a success returns what
 * its retries took, or 1): a failing endpoint stops being retried instead of being hammered.
 */
export class RetryQuota {
  static readonly CAPACITY = 500;
  private available = RetryQuota.CAPACITY;

  acquire(retryClass: RetryClass): number | undefined {
    const cost = retryClass === 'timeout' ? 10 : 5;
    if (cost > this.available) return undefined;
    this.available -= cost;
    return cost;
  }

  release(spent: number): void {
    this.available = Math.min(RetryQuota.CAPACITY, this.available + (spent > 0 ? spent : 1));
  }

  get tokens(): number {
    return this.available;
  }
}
