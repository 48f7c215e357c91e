/** History lines for the history tests: request `i` at T0 + i s, its outcome 5 ms later. */
import { LOG_VERSION, type OutcomeLine, type RequestLine } from '../../../src/common/log/entry.ts';

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
