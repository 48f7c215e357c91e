/**
 * What a fleet run makes of each request's result (run.ts): the answer its device sees, the error type
 * the statistics count it under, latencies in an HDR histogram, and run-log timestamps.
 */
import * as hdr from 'hdr-histogram-js';
import type { EdgeDeployment, Operation } from '../../common/model/index.ts';
import type { DeviceAnswer } from '../../common/fleet/device.ts';
import type { OperationStats } from '../../common/fleet/summary.ts';
import type { EngineResult } from '../engine/send.ts';

/** Microseconds, 2 significant digits, up to an hour: a few KB whatever the run's length. */
export function histogram(): hdr.Histogram {
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000,
    numberOfSignificantValueDigits: 2,
    useWebAssembly: false,
  });
}

export const ms = (micros: number): number => Math.round(micros / 10) / 100;

/** A percentile in ms; never above the largest value recorded (HDR reports a bucket's upper edge). */
export const percentileMs = (h: hdr.Histogram, p: number): number => ms(Math.min(h.getValueAtPercentile(p), h.maxValue));

export function emptyOperation(): OperationStats {
  return { sent: 0, ok: 0, failed: 0, failedByType: {} };
}

/** The answer a device sees: parsed registration and deployments, or a failure. */
export function answerOf(operation: Operation, result: EngineResult): DeviceAnswer {
  const outcome = result.outcome;
  if (outcome.kind !== 'success') return { operation, ok: false };
  if (operation === 'SendHeartbeat') return { operation, ok: true };
  let parsed: Record<string, unknown> = {};
  try {
    const value: unknown = outcome.body ? JSON.parse(outcome.body) : {};
    if (value && typeof value === 'object' && !Array.isArray(value)) parsed = value as Record<string, unknown>;
  } catch {
    return { operation, ok: false };
  }
  if (operation === 'GetDeviceRegistration') {
    const ttl = Number(parsed.CacheTTL);
    return {
      operation,
      ok: true,
      registration: typeof parsed.DeviceRegistration === 'string' ? parsed.DeviceRegistration : '',
      ...(Number.isFinite(ttl) && ttl > 0 ? { cacheTtlSeconds: ttl } : {}),
    };
  }
  const deployments = Array.isArray(parsed.Deployments) ? (parsed.Deployments as EdgeDeployment[]) : [];
  return { operation, ok: true, deployments: deployments.filter((d) => d && typeof d === 'object') };
}

export function errorTypeOf(result: EngineResult): string {
  const o = result.outcome;
  if (o.kind === 'service-error') return o.errorType;
  if (o.kind === 'transport-error') return `transport:${o.code}`;
  return 'cancelled';
}

/** `new Date(ms).toISOString()` with the part up to the second made once a second. */
export function isoClock(): (epochMs: number) => string {
  let second = NaN;
  let prefix = '';
  return (epochMs) => {
    const s = Math.floor(epochMs / 1000);
    if (s !== second) {
      second = s;
      prefix = new Date(s * 1000).toISOString().slice(0, -4);
    }
    return `${prefix}${String(Math.floor(epochMs) - s * 1000).padStart(3, '0')}Z`;
  };
}
