/** History lines for the history tests: request `i` at T0 + i s, its outcome 5 ms later; a fleet run's line. */
import type { FleetRunSummary } from '../../../src/common/fleet/summary.ts';
import { LOG_VERSION, type OutcomeLine, type RequestLine, type RunLine } from '../../../src/common/log/entry.ts';

export const T0 = Date.parse('2024-05-01T00:00:00Z');

export function requestLine(i: number, device = `device-${i}`): RequestLine {
  return {
    v: LOG_VERSION,
    type: 'request',
    id: `id-${i}`,
    time: new Date(T0 + i * 1000).toISOString(),
    operation: 'SendHeartbeat',
    target: { kind: 'local', url: 'http://127.0.0.1:1', region: 'us-east-1' },
    request: {
      method: 'POST',
      url: 'http://127.0.0.1:1/SendHeartbeat',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        AgentVersion: '1',
        DeviceName: device,
        DeviceFleetName: `fleet-${i % 10}`,
        Models: [{ ModelName: `model-${i % 3}` }],
      }),
    },
  };
}

/** With `status`: a success (200) or a throttling error; without: every 5th throttled, every 7th refused, the rest 200. */
export function outcomeLine(i: number, status?: number): OutcomeLine {
  const throttled: OutcomeLine['outcome'] = {
    kind: 'service-error',
    status: status ?? 429,
    errorType: 'ThrottlingException',
    message: 'slow down',
    retried: true,
  };
  const success: OutcomeLine['outcome'] = { kind: 'success', status: 200, headers: {}, body: '' };
  const outcome: OutcomeLine['outcome'] =
    status !== undefined
      ? status === 200
        ? success
        : throttled
      : i % 5 === 0
        ? throttled
        : i % 7 === 0
          ? { kind: 'transport-error', code: 'refused', message: 'refused', retried: true }
          : success;
  return {
    v: LOG_VERSION,
    type: 'outcome',
    id: `id-${i}`,
    time: new Date(T0 + i * 1000 + 5).toISOString(),
    outcome,
    attempts: [{ attempt: 1, startedAt: new Date(T0).toISOString(), durationMs: 5 }],
    timings: { totalMs: 5 },
  };
}

/** A fleet run's summary as the run engine reports it: 50 devices, 12,340 requests, 3 failed, 62 s. */
export function fleetRunSummary(overrides: Partial<FleetRunSummary> = {}): FleetRunSummary {
  const ops = (sent: number, failedByType: Record<string, number>, p50Ms: number, p99Ms: number) => {
    const failed = Object.values(failedByType).reduce((a, b) => a + b, 0);
    return { sent, ok: sent - failed, failed, failedByType, p50Ms, p99Ms };
  };
  return {
    scenario: 'warehouse-demo',
    seed: 42,
    target: { kind: 'local', url: 'http://127.0.0.1:8787', region: 'us-east-1' },
    startedAt: new Date(T0 + 500_000).toISOString(),
    stopped: false,
    elapsedMs: 62_000,
    devices: 50,
    registered: 48,
    unregistered: 2,
    offline: 0,
    deploying: 0,
    inFlight: 0,
    ratePerSecond: 0,
    operations: {
      SendHeartbeat: ops(12_000, { ThrottlingException: 2, 'transport:refused': 1 }, 3.2, 41),
      GetDeviceRegistration: ops(100, {}, 2.1, 9.5),
      GetDeployments: ops(240, {}, 2.4, 12),
    },
    lag: { p50Ms: 0.8, p99Ms: 14, maxMs: 120 },
    deployments: { applied: 4, succeeded: 3, failed: 1 },
    totals: { sent: 12_340, ok: 12_337, failed: 3 },
    runLog: '/tmp/history/fleet-runs/warehouse-demo-20240501T000820Z.ndjson',
    ...overrides,
  };
}

/** The run line of `fleetRunSummary`, timed at the run's end (T0 + 562 s). */
export function runLine(id = 'run-1', overrides: Partial<FleetRunSummary> = {}): RunLine {
  const summary = fleetRunSummary(overrides);
  return {
    v: LOG_VERSION,
    type: 'run',
    id,
    time: new Date(Date.parse(summary.startedAt) + summary.elapsedMs).toISOString(),
    summary,
  };
}
