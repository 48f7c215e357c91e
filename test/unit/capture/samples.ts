/** Capture texts of every format, shared by the capture reader's tests. */
import type { ExchangeLine, OutcomeLine, RequestLine, RunLine } from '../../../src/common/log/entry.ts';
import type { Operation } from '../../../src/common/model/index.ts';
import { emitAwsCli, emitCliInputJson, emitCliInputYaml, emitCurl } from '../../../src/common/formats/index.ts';
import type { CaptureFormat, CaptureItem, CaptureProblem, CaptureRecord, CaptureSkip } from '../../../src/common/capture/types.ts';

export const items = (records: CaptureRecord[]): CaptureItem[] => records.flatMap((r) => ('item' in r ? [r.item] : []));
export const problems = (records: CaptureRecord[]): CaptureProblem[] => records.flatMap((r) => ('problem' in r ? [r.problem] : []));
export const skips = (records: CaptureRecord[]): CaptureSkip[] => records.flatMap((r) => ('skip' in r ? [r.skip] : []));

export const heartbeat = (device: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  AgentVersion: '1.0',
  DeviceName: device,
  DeviceFleetName: 'fleet-a',
  AgentMetrics: [{ Dimension: 'cpu', MetricName: 'usage', Value: 12.5, Timestamp: 1763797700 }],
  ...extra,
});

const TIME = '2025-11-22T07:48:20.000Z';
const target = { kind: 'local' as const, url: 'http://127.0.0.1:8900', region: 'us-east-1' };

export function requestLine(id: string, body: unknown, operation: Operation = 'SendHeartbeat'): RequestLine {
  return {
    v: 1,
    type: 'request',
    id,
    time: TIME,
    operation,
    target,
    request: {
      method: 'POST',
      url: `${target.url}/${operation}`,
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    },
  };
}

export function outcomeLine(id: string, outcome: OutcomeLine['outcome']): OutcomeLine {
  return { v: 1, type: 'outcome', id, time: TIME, outcome, attempts: [{ attempt: 1, startedAt: TIME, durationMs: 3 }] };
}

export function exchangeLine(
  id: string,
  body: unknown,
  operation: ExchangeLine['operation'],
  verdict: Partial<ExchangeLine['verdict']>,
): ExchangeLine {
  return {
    v: 1,
    type: 'exchange',
    id,
    time: TIME,
    operation,
    remote: '127.0.0.1',
    request: {
      method: 'POST',
      url: `/${operation === 'unknown' ? 'SendHeartbeats' : operation}`,
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    },
    verdict: { status: 200, requestId: `rid-${id}`, handlingMs: 1, ...verdict },
  };
}

export const runLine: RunLine = {
  v: 1,
  type: 'run',
  id: 'run-1',
  time: TIME,
  summary: {
    scenario: 'demo',
    startedAt: TIME,
    target,
    seed: 1,
    stopped: false,
    elapsedMs: 1000,
    devices: 2,
    registered: 2,
    unregistered: 0,
    totals: { sent: 2, ok: 2, failed: 0 },
    operations: { SendHeartbeat: { sent: 2, ok: 2, failed: 0, failedByType: {} } },
    lag: {},
    deployments: { applied: 0, succeeded: 0, failed: 0 },
  } as unknown as RunLine['summary'],
};

const lines = (...values: unknown[]): string => values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join('\n') + '\n';

/** One text per format, each with items and at least one broken or skipped part where the format has them. */
export const SAMPLES: Record<string, { format: CaptureFormat; text: string; name: string }> = {
  ndjson: {
    format: 'ndjson',
    name: 'payloads.ndjson',
    text: lines(
      heartbeat('cam-1'),
      '',
      '{"AgentVersion":"1.0","DeviceName":"cam-2"',
      heartbeat('cam-3 ünïcödé 😀'),
      '[1,2]',
      { operation: 'GetDeployments', body: { DeviceName: 'cam-4', DeviceFleetName: 'fleet-a' } },
      '\t',
      heartbeat('cam-5'),
    ),
  },
  history: {
    format: 'history-jsonl',
    name: 'export.jsonl',
    text: lines(
      requestLine('a', heartbeat('cam-1')),
      outcomeLine('a', { kind: 'success', status: 200, headers: {}, body: '' }),
      runLine,
      requestLine('b', heartbeat('-bad')),
      outcomeLine('b', {
        kind: 'service-error',
        status: 400,
        errorType: 'ValidationException',
        message: "1 validation error detected: Value '-bad' at 'deviceName' failed to satisfy constraint",
        retried: false,
      }),
      '{"v":1,"type":"request","id":"torn"',
      requestLine('c', { DeviceName: 'cam-3', DeviceFleetName: 'fleet-a' }, 'GetDeviceRegistration'),
      requestLine('d', heartbeat('cam-4')),
      { v: 1, type: 'forget', id: 'f', time: TIME, ids: ['zzz'] },
      outcomeLine('d', { kind: 'transport-error', code: 'refused', message: 'connection refused', retried: true }),
      outcomeLine('c', { kind: 'cancelled', message: 'cancelled by the user' }),
      { v: 1, type: 'request', id: 'e', time: TIME, operation: 'SendHeartbeat' },
    ),
  },
  capture: {
    format: 'endpoint-capture',
    name: 'capture.jsonl',
    text: lines(
      exchangeLine('x1', heartbeat('cam-1'), 'SendHeartbeat', {}),
      exchangeLine('x2', '{not json', 'unknown', { status: 404, errorType: 'UnknownOperationException', message: 'no such path' }),
      exchangeLine('x3', heartbeat('-bad'), 'SendHeartbeat', { status: 400, errorType: 'ValidationException', message: 'bad name' }),
      'not json at all',
      exchangeLine('x4', { DeviceName: 'cam-4', DeviceFleetName: 'fleet-a' }, 'GetDeployments', {}),
    ),
  },
  har: {
    format: 'har',
    name: 'app-export.har',
    text:
      '{"log":{"version":"1.2","creator":{"name":"heartbeat-composer","version":"0.1.0"},"entries":[\n' +
      [
        {
          request: { method: 'POST', url: 'http://127.0.0.1:8900/SendHeartbeat', postData: { text: JSON.stringify(heartbeat('cam-1')) } },
          response: { status: 200, headers: [], content: { text: '' } },
        },
        { request: { method: 'GET', url: 'https://example.com/index.html?q={x}' }, response: { status: 200 } },
        {
          request: { method: 'POST', url: 'http://127.0.0.1:8900/SendHeartbeat', postData: { text: JSON.stringify(heartbeat('-bad')) } },
          response: {
            status: 400,
            headers: [{ name: 'x-amzn-errortype', value: 'ValidationException:http://internal' }],
            content: { text: '{"message":"bad \\"name\\" } ]"}' },
          },
        },
        { request: { method: 'POST', url: 'http://127.0.0.1:8900/GetDeployments' }, response: { status: 200 } },
        {
          request: {
            method: 'POST',
            url: 'http://127.0.0.1:1/GetDeviceRegistration',
            postData: { text: '{"DeviceName":"cam-5","DeviceFleetName":"fleet-a"}' },
          },
          response: { status: 0, headers: [], content: { text: '' } },
          _error: 'connect ECONNREFUSED 127.0.0.1:1',
        },
      ]
        .map((e) => JSON.stringify(e))
        .join(',\n') +
      '\n]}}\n',
  },
  curl: {
    format: 'curl',
    name: 'commands.sh',
    text:
      '# copied from the app\n' +
      emitCurl(heartbeat('cam-1'), { endpointUrl: 'http://127.0.0.1:8900' }) +
      '\n$ ' +
      emitCurl({ DeviceName: 'cam-2', DeviceFleetName: 'fleet-a' }, { operation: 'GetDeployments' }) +
      'curl -X POST https://example.com/upload --data-binary \'{"a":1}\'\n' +
      'curl --data-binary \'{"AgentVersion": "1.0",\n  "DeviceName": "cam-4"}\' http://h/SendHeartbeat\n' +
      "curl --data-binary '{oops' http://h/SendHeartbeat\n" +
      emitCurl(heartbeat("cam-6 it's"), {}),
  },
  aws: {
    format: 'aws-cli',
    name: 'commands.txt',
    text:
      emitAwsCli(heartbeat('cam-1'), { style: 'shorthand' }) +
      '\n' +
      emitAwsCli(
        { DeviceName: 'cam-2', DeviceFleetName: 'fleet-a' },
        { operation: 'GetDeviceRegistration', endpointUrl: 'http://127.0.0.1:8900' },
      ) +
      'aws sagemaker-edge send-heartbeat --device-nmae cam-3\n' +
      '$ AWS_PROFILE=dev aws sagemaker-edge get-deployments --device-name cam-4 --device-fleet-name fleet-a\n',
  },
  json: {
    format: 'cli-input-json',
    name: 'request.json',
    text: emitCliInputJson(heartbeat('cam-1', { Models: [{ ModelName: 'm', ModelVersion: '1', LatestSampleTime: 1763797700.5 }] }), {
      isoTimestamps: true,
    }),
  },
  yaml: {
    format: 'cli-input-yaml',
    name: 'request.yaml',
    text: emitCliInputYaml(heartbeat('cam-1'), { isoTimestamps: true }),
  },
};
