/** Bad input of every kind is answered correctly, and the server stays up. */
import { connect } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEndpoint, type RunningEndpoint } from '../../../src/node/endpoint/index.ts';
import { HEARTBEAT, rawRequest, sendSigned, sendSignedBytes, signed } from './helpers.ts';

let endpoint: RunningEndpoint;
beforeAll(async () => {
  endpoint = await startEndpoint({ maxBodyBytes: 64 * 1024, bodyTimeoutMs: 400, headersTimeoutMs: 400 });
});
afterAll(() => endpoint.close());
beforeEach(() => endpoint.admin.reset());

const message = (res: { json: () => Record<string, unknown> }) => res.json().message;

/** Writes `text` on a raw socket and returns everything the server sends until it closes (bounded). */
function rawExchange(port: number, text: string, waitMs = 5000): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let got = '';
    const timer = setTimeout(() => socket.destroy(), waitMs);
    socket.setEncoding('utf8').on('data', (d: string) => (got += d));
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(got);
    });
    socket.on('error', () => {});
    socket.write(text);
  });
}

const port = () => Number(new URL(endpoint.url).port);

async function stillUp(): Promise<void> {
  expect((await sendSigned(endpoint.url)).status).toBe(200);
}

describe('validation messages', () => {
  it('names every failing member in AWS style, nested lists as <list>.<n>.member', async () => {
    const body = {
      ...HEARTBEAT,
      AgentVersion: '',
      Models: [HEARTBEAT.Models[0], { ModelName: 'm', ModelMetrics: [{ Dimension: 'x'.repeat(1001) }] }],
      DeploymentResult: { DeploymentModels: [{ State: 'DEPLOYED' }] },
    };
    const res = await sendSigned(endpoint.url, { body });
    expect(res.status).toBe(400);
    expect(res.headers['x-amzn-errortype']).toBe('ValidationException');
    const text = String(message(res));
    // AgentVersion '' breaks both its length and its (unanchored) pattern: 5 errors.
    expect(text).toMatch(/^5 validation errors detected: Value '.*' failed to satisfy constraint: /);
    expect(text).toContain(
      "Value '' at 'agentVersion' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9 _\\.]+",
    );
    expect(text).toContain("Value '' at 'agentVersion' failed to satisfy constraint: Member must have length greater than or equal to 1");
    expect(text).toContain(
      "Value 'm' at 'models.2.member.modelName' failed to satisfy constraint: Member must have length greater than or equal to 4",
    );
    expect(text).toContain(
      `Value '${'x'.repeat(1001)}' at 'models.2.member.modelMetrics.1.member.dimension' failed to satisfy constraint: Member must have length less than or equal to 1000`,
    );
    expect(text).toContain(
      "Value 'DEPLOYED' at 'deploymentResult.deploymentModels.1.member.state' failed to satisfy constraint: Member must satisfy enum value set: [DEPLOY, UNDEPLOY]",
    );
  });

  it('missing required members are "Value null ... Member must not be null"; an empty body counts as {}', async () => {
    const res = await sendSigned(endpoint.url, { body: '' });
    expect(res.status).toBe(400);
    expect(String(message(res))).toMatch(/^3 validation errors detected: /);
    expect(String(message(res))).toContain("Value null at 'deviceName' failed to satisfy constraint: Member must not be null");
  });

  it('an unknown member is a ValidationException', async () => {
    const res = await sendSigned(endpoint.url, { body: { ...HEARTBEAT, DeviceNmae: 'x' } });
    expect(message(res)).toBe(
      `1 validation error detected: Value 'x' at 'deviceNmae' failed to satisfy constraint: Member is not defined by the model`,
    );
  });

  it('a value of the wrong JSON type (like an ISO timestamp string) is a SerializationException', async () => {
    const res = await sendSigned(endpoint.url, { body: { ...HEARTBEAT, AgentMetrics: [{ Timestamp: '2026-01-01T00:00:00Z' }] } });
    expect(res.status).toBe(400);
    expect(res.headers['x-amzn-errortype']).toBe('SerializationException');
    expect(message(res)).toBe(
      "Cannot deserialize the value '2026-01-01T00:00:00Z' at 'agentMetrics.1.member.timestamp': Member must be a number.",
    );
    const array = await sendSigned(endpoint.url, { body: '[1, 2]' });
    expect([array.headers['x-amzn-errortype'], message(array)]).toEqual([
      'SerializationException',
      'The request body must be a JSON object, not an array.',
    ]);
  });
});

describe('bodies', () => {
  it('malformed JSON, duplicate keys and trailing garbage are SerializationException', async () => {
    for (const [body, pattern] of [
      ['{"DeviceName": }', /not valid JSON/],
      ['{"AgentVersion":"1","AgentVersion":"2","DeviceName":"a","DeviceFleetName":"b"}', /Duplicate key "AgentVersion"/],
      [`${JSON.stringify(HEARTBEAT)} x`, /not valid JSON/],
      ['{"DeviceName": NaN}', /not valid JSON/],
    ] as const) {
      const res = await sendSigned(endpoint.url, { body });
      expect(res.status).toBe(400);
      expect(res.headers['x-amzn-errortype']).toBe('SerializationException');
      expect(message(res)).toMatch(pattern);
    }
  });

  it('a body that is not UTF-8 is a SerializationException, even when correctly signed', async () => {
    const bytes = Buffer.concat([
      Buffer.from('{"AgentVersion":"1","DeviceName":"caf'),
      Buffer.from([0xe9]),
      Buffer.from('","DeviceFleetName":"f"}'),
    ]);
    const res = await sendSignedBytes(endpoint.url, 'SendHeartbeat', bytes);
    expect([res.status, res.headers['x-amzn-errortype'], message(res)]).toEqual([
      400,
      'SerializationException',
      'The request body is not valid UTF-8; encode the JSON document as UTF-8.',
    ]);
  });

  it('a body over the limit gets 413, declared or streamed, and the server stays up', async () => {
    const declared = await rawExchange(
      port(),
      `POST /SendHeartbeat HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${10 * 1024 * 1024}\r\n\r\n{`,
    );
    expect(declared).toMatch(/^HTTP\/1\.1 413 /);
    expect(declared).toMatch(/x-amzn-ErrorType: RequestEntityTooLargeException/i);
    const big = { ...HEARTBEAT, Models: Array.from({ length: 400 }, (_, i) => ({ ...HEARTBEAT.Models[0], ModelName: `model-${i}` })) };
    const s = await signed(endpoint.url, { body: big });
    expect(s.body.length).toBeGreaterThan(64 * 1024);
    const streamed = await rawRequest(endpoint.url, {
      path: s.path,
      headers: { ...s.headers, 'transfer-encoding': 'chunked' },
      body: s.body,
    });
    expect([streamed.status, streamed.headers['x-amzn-errortype']]).toEqual([413, 'RequestEntityTooLargeException']);
    await stillUp();
  });

  it('accepts application/json (any case, charset utf-8), x-amz-json-1.1 and no Content-Type; rejects others with 415', async () => {
    for (const contentType of ['application/json', 'Application/JSON; charset=UTF-8', 'application/x-amz-json-1.1', null])
      expect((await sendSigned(endpoint.url, { contentType })).status).toBe(200);
    for (const contentType of ['application/x-www-form-urlencoded', 'text/plain', 'application/json; charset=latin1']) {
      const res = await sendSigned(endpoint.url, { contentType });
      expect([res.status, res.headers['x-amzn-errortype']]).toEqual([415, 'UnsupportedMediaTypeException']);
      expect(message(res)).toMatch(/send application\/json/);
    }
  });
});

describe('routing', () => {
  it('an unknown path is 404 UnknownOperationException; a wrong method is 405 with Allow', async () => {
    const unknown = await sendSigned(endpoint.url, { operation: 'SendHeartbeats' });
    expect([unknown.status, unknown.headers['x-amzn-errortype']]).toEqual([404, 'UnknownOperationException']);
    const get = await rawRequest(endpoint.url, { method: 'GET', path: '/SendHeartbeat' });
    expect([get.status, get.headers['x-amzn-errortype'], get.headers.allow]).toEqual([405, 'MethodNotAllowedException', 'POST']);
    expect(get.headers['x-amzn-requestid']).toBeTruthy();
  });
});

describe('slow and stalled clients', () => {
  it('a stalled body times out with 408 and closes; a stalled header block is dropped; others are served meanwhile', async () => {
    const body = rawExchange(
      port(),
      'POST /SendHeartbeat HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"Agent',
    );
    const headers = rawExchange(port(), 'POST /SendHeartbeat HTTP/1.1\r\nHost: x\r\nX-Slow: ');
    await stillUp();
    const started = Date.now();
    const [bodyAnswer, headerAnswer] = await Promise.all([body, headers]);
    expect(Date.now() - started).toBeLessThan(4000);
    expect(bodyAnswer).toMatch(/^HTTP\/1\.1 408 /);
    expect(bodyAnswer).toMatch(/x-amzn-ErrorType: RequestTimeoutException/i);
    expect(headerAnswer).toMatch(/^HTTP\/1\.1 408 |^$/);
    await stillUp();
  });
});

describe('many devices at once', () => {
  it('200 devices sending in parallel are all accepted and registered', async () => {
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => sendSigned(endpoint.url, { body: { ...HEARTBEAT, DeviceName: `device-${i}` } })),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(200);
    expect(endpoint.admin.devices()).toHaveLength(200);
    expect(endpoint.admin.stats()).toMatchObject({ received: 200, accepted: 200, rejected: 0 });
  });
});
