/** Admin API, SSE, faults, config, auto-registration, capture and registry persistence. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { get, type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLogLine, type ExchangeLine } from '../../../src/common/log/entry.ts';
import { AdminApi, isLoopback } from '../../../src/node/endpoint/admin-api.ts';
import {
  loadCredentialsFile,
  parseEndpointConfig,
  parseLatency,
  startEndpoint,
  type RunningEndpoint,
} from '../../../src/node/endpoint/index.ts';
import { HEARTBEAT, rawRequest, sendSigned } from './helpers.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hb-endpoint-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const adminGet = (ep: RunningEndpoint, path: string, headers: Record<string, string> = { authorization: `Bearer ${ep.adminToken}` }) =>
  rawRequest(ep.url, { method: 'GET', path, headers });

describe('admin API', () => {
  let ep: RunningEndpoint;
  beforeAll(async () => {
    ep = await startEndpoint({ adminToken: 'test-token-123' });
  });
  afterAll(() => ep.close());

  it('needs the token (Bearer or x-heartbeat-admin-token), compared exactly', async () => {
    expect((await adminGet(ep, '/__admin/stats', {})).status).toBe(401);
    expect((await adminGet(ep, '/__admin/stats', { authorization: 'Bearer test-token-12' })).status).toBe(401);
    expect((await adminGet(ep, '/__admin/stats', { 'x-heartbeat-admin-token': 'test-token-123' })).status).toBe(200);
    const denied = await adminGet(ep, '/__admin/devices', { authorization: 'Bearer nope' });
    expect(denied.json().message).toMatch(/admin token is missing or wrong/);
  });

  it('says what it is on GET /__admin/health, without the token', async () => {
    const health = await adminGet(ep, '/__admin/health', {});
    expect([health.status, health.json()]).toEqual([200, { service: 'heartbeat-composer-endpoint', region: 'us-east-1', anyRegion: true }]);
    expect((await rawRequest(ep.url, { method: 'POST', path: '/__admin/health' })).status).toBe(401);
  });

  it('answers only loopback callers', () => {
    expect(['127.0.0.1', '::1', '::ffff:127.0.0.1', '127.8.0.1'].map(isLoopback)).toEqual([true, true, true, true]);
    expect(['10.0.0.1', '::ffff:192.168.1.2', 'fe80::1', undefined].map(isLoopback)).toEqual([false, false, false, false]);
  });

  it('refuses a caller that is not on loopback with 403, before looking at the token', async () => {
    const api = new AdminApi(ep.admin, 'test-token-123');
    /** The handler with a request as node:http hands it over, from `remoteAddress`. */
    const call = async (remoteAddress: string, headers: Record<string, string>) => {
      const req = { url: '/__admin/stats', method: 'GET', headers, socket: { remoteAddress } } as unknown as IncomingMessage;
      const answer = { status: 0, body: '' };
      const res = {
        setHeader: () => res,
        writeHead: (status: number) => ((answer.status = status), res),
        end: (text: string) => ((answer.body = text), res),
      };
      await api.handle(req, res as unknown as ServerResponse, 'req-1');
      return answer;
    };
    const token = { authorization: 'Bearer test-token-123' };
    expect((await call('127.0.0.1', token)).status).toBe(200);
    for (const remote of ['192.0.2.1', '::ffff:192.0.2.1', '2001:db8::1']) {
      for (const headers of [token, {}]) {
        const answer = await call(remote, headers);
        expect([answer.status, JSON.parse(answer.body)]).toEqual([
          403,
          { message: 'The admin API answers only on loopback; call it from the same machine.' },
        ]);
      }
    }
  });

  it('serves devices, one device, recent heartbeats and stats', async () => {
    ep.admin.reset();
    await sendSigned(ep.url);
    await sendSigned(ep.url, { body: { ...HEARTBEAT, DeviceName: 'bad name!' } });
    const devices = (await adminGet(ep, '/__admin/devices')).json().devices as Array<{ deviceName: string }>;
    expect(devices.map((d) => d.deviceName)).toEqual(['camera-017']);
    expect((await adminGet(ep, '/__admin/devices/warehouse-east/camera-017')).json()).toMatchObject({
      deviceName: 'camera-017',
      counts: { heartbeats: 1 },
    });
    expect((await adminGet(ep, '/__admin/devices/warehouse-east/nobody')).status).toBe(404);
    const recent = (await adminGet(ep, '/__admin/heartbeats?limit=1')).json().heartbeats as Array<{ status: number; errorType: string }>;
    expect(recent).toHaveLength(1);
    expect(recent[0]).toMatchObject({ status: 400, errorType: 'ValidationException' });
    const stats = (await adminGet(ep, '/__admin/stats')).json();
    expect(stats).toMatchObject({
      received: 2,
      accepted: 1,
      rejected: 1,
      rejectedByReason: { ValidationException: 1 },
      byOperation: { SendHeartbeat: { received: 2, accepted: 1 } },
    });
    expect((stats.handlingMs as { p99: number }).p99).toBeGreaterThan(0);
    expect((await adminGet(ep, '/__admin/nothing')).status).toBe(404);
  });

  it('streams every exchange as server-sent events', async () => {
    const events: string[] = [];
    const req = get(`${ep.url}/__admin/events`, { headers: { authorization: `Bearer ${ep.adminToken}` } });
    const response = await new Promise<import('node:http').IncomingMessage>((resolve) => req.on('response', resolve));
    expect(response.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    const arrived = new Promise<void>((resolve) => {
      let buffer = '';
      response.setEncoding('utf8').on('data', (d: string) => {
        buffer += d;
        const frames = buffer.split('\n\n');
        buffer = frames.pop() ?? '';
        events.push(...frames.filter((f) => f.includes('event: exchange')));
        if (events.length >= 2) resolve();
      });
    });
    await sendSigned(ep.url, { body: { ...HEARTBEAT, DeviceName: 'sse-device' } });
    await sendSigned(ep.url, { operation: 'GetDeployments', body: { DeviceName: 'sse-device', DeviceFleetName: 'warehouse-east' } });
    await Promise.race([arrived, new Promise((_, reject) => setTimeout(() => reject(new Error('no SSE events within 5 s')), 5000))]);
    req.destroy();
    const data = events.map((e) => JSON.parse(/^data: (.*)$/m.exec(e)![1]) as { operation: string; deviceName: string; status: number });
    expect(data.map((d) => [d.operation, d.deviceName, d.status])).toEqual([
      ['SendHeartbeat', 'sse-device', 200],
      ['GetDeployments', 'sse-device', 200],
    ]);
  });

  it('reads and replaces fault settings; latency delays answers; invalid settings are refused', async () => {
    const put = (body: string) =>
      rawRequest(ep.url, {
        method: 'PUT',
        path: '/__admin/faults',
        headers: { authorization: `Bearer ${ep.adminToken}`, 'content-type': 'application/json' },
        body,
      });
    expect((await put('{"latencyMs": 150}')).json()).toEqual({
      latencyMs: 150,
      latencyJitterMs: 0,
      errorRate: 0,
      failEveryNth: 0,
      errorType: 'InternalServiceException',
      retryAfterSeconds: 1,
    });
    const started = performance.now();
    expect((await sendSigned(ep.url)).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    const bad = await put('{"errorRate": 2}');
    expect([bad.status, bad.json().message]).toEqual([400, 'errorRate must be a number from 0 to 1.']);
    expect((await put('{"errorType": "Boom", "errorRate": 0.5}')).status).toBe(400);
    expect((await adminGet(ep, '/__admin/faults')).json()).toMatchObject({ latencyMs: 150 });
    const reset = await rawRequest(ep.url, {
      method: 'POST',
      path: '/__admin/reset',
      headers: { 'x-heartbeat-admin-token': ep.adminToken },
    });
    expect(reset.status).toBe(200);
    expect((await adminGet(ep, '/__admin/faults')).json()).toMatchObject({ latencyMs: 0 });
    expect((await adminGet(ep, '/__admin/stats')).json()).toMatchObject({ received: 0 });
    expect((await adminGet(ep, '/__admin/devices')).json()).toEqual({ devices: [] });
  });

  it('every Nth request fails with the chosen error', async () => {
    ep.admin.setFaults({ failEveryNth: 3, errorType: 'ThrottlingException' });
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await sendSigned(ep.url)).status);
    expect(statuses).toEqual([200, 200, 429, 200, 200, 429]);
    ep.admin.setFaults({});
  });

  it('parses latency flags', () => {
    expect([parseLatency('200'), parseLatency('200±50'), parseLatency('200+-50'), parseLatency('50±60'), parseLatency('fast')]).toEqual([
      { latencyMs: 200, latencyJitterMs: 0 },
      { latencyMs: 200, latencyJitterMs: 50 },
      { latencyMs: 200, latencyJitterMs: 50 },
      undefined,
      undefined,
    ]);
  });
});

describe('config, registration and deployments', () => {
  const config = parseEndpointConfig(`
cacheTTL: 120
fleets:
  - name: north
    deployments:
      - { DeploymentName: fleet-wide, Type: Model, Definitions: [{ ModelHandle: det, S3Url: "s3://b/det.tgz", State: DEPLOY }] }
devices:
  - name: gate-1
    fleet: north
    registration: REGISTERED
    deployments:
      - { DeploymentName: gate-only, FailureHandlingPolicy: DO_NOTHING }
`);

  it('hands out device then fleet deployments, and refuses bad config with a sentence', async () => {
    const ep = await startEndpoint({ config, autoRegister: false });
    try {
      const deployments = await sendSigned(ep.url, {
        operation: 'GetDeployments',
        body: { DeviceName: 'gate-1', DeviceFleetName: 'north' },
      });
      expect((deployments.json().Deployments as Array<{ DeploymentName: string }>).map((d) => d.DeploymentName)).toEqual([
        'gate-only',
        'fleet-wide',
      ]);
      const registration = await sendSigned(ep.url, {
        operation: 'GetDeviceRegistration',
        body: { DeviceName: 'gate-1', DeviceFleetName: 'north' },
      });
      expect(registration.json()).toEqual({ DeviceRegistration: 'REGISTERED', CacheTTL: '120' });
      // --no-auto-register: the heartbeat is accepted, but the device stays unknown.
      expect((await sendSigned(ep.url)).status).toBe(200);
      expect(ep.admin.devices().map((d) => d.deviceName)).toEqual(['gate-1']);
      const unknown = await sendSigned(ep.url, {
        operation: 'GetDeviceRegistration',
        body: { DeviceName: 'camera-017', DeviceFleetName: 'warehouse-east' },
      });
      expect(unknown.json().DeviceRegistration).toBe('NOT_REGISTERED');
    } finally {
      await ep.close();
    }
    expect(() => parseEndpointConfig('devices: [{ name: a, fleet: f, deployments: [{ Type: Docker }] }]')).toThrow(
      'the endpoint config: devices[0].deployments[0].Type must be one of Model, not "Docker"; see docs/endpoint.md for the format.',
    );
    expect(() => parseEndpointConfig('fleets: [{ nme: x }]')).toThrow(/fleets\[0\] has unknown key "nme"/);
    // Patterns in words, never a raw regex.
    expect(() => parseEndpointConfig('devices: [{ name: a, fleet: f, deployments: [{ DeploymentName: "bad name!" }] }]')).toThrow(
      'the endpoint config: devices[0].deployments[0].DeploymentName "bad name!" does not match the pattern: letters, digits and hyphens; starts and ends with a letter or digit; see docs/endpoint.md for the format.',
    );
  });

  it('with auto-registration, a device that asks before its first heartbeat is registered by asking', async () => {
    const ep = await startEndpoint({ config });
    try {
      const ask = () =>
        sendSigned(ep.url, { operation: 'GetDeviceRegistration', body: { DeviceName: 'sim-001', DeviceFleetName: 'simulated' } });
      expect((await ask()).json()).toEqual({ DeviceRegistration: 'REGISTERED', CacheTTL: '120' });
      expect(ep.admin.devices().find((d) => d.deviceName === 'sim-001')).toMatchObject({
        deviceFleetName: 'simulated',
        source: 'registration',
        registration: 'REGISTERED',
      });
      await ask();
      expect(ep.admin.devices().find((d) => d.deviceName === 'sim-001')!.counts.registrationChecks).toBe(2);
    } finally {
      await ep.close();
    }
  });

  it('loads accepted keys from an AWS credentials INI file or a JSON list', async () => {
    const ini = join(dir, 'credentials');
    await writeFile(
      ini,
      '[default]\naws_access_key_id = AKIAONE\naws_secret_access_key = s1\n\n[other]\naws_access_key_id=AKIATWO\naws_secret_access_key=s2\n',
    );
    expect(await loadCredentialsFile(ini)).toEqual([
      { accessKeyId: 'AKIAONE', secretAccessKey: 's1' },
      { accessKeyId: 'AKIATWO', secretAccessKey: 's2' },
    ]);
    const json = join(dir, 'keys.json');
    await writeFile(json, '[{"accessKeyId": "AKIA3", "secretAccessKey": "s3"}]');
    expect(await loadCredentialsFile(json)).toEqual([{ accessKeyId: 'AKIA3', secretAccessKey: 's3' }]);
    const ep = await startEndpoint({ credentials: await loadCredentialsFile(ini) });
    try {
      expect((await sendSigned(ep.url, { credentials: { accessKeyId: 'AKIATWO', secretAccessKey: 's2' } })).status).toBe(200);
      expect((await sendSigned(ep.url)).headers['x-amzn-errortype']).toBe('UnrecognizedClientException');
    } finally {
      await ep.close();
    }
  });
});

describe('capture and persistence', () => {
  it('captures one ExchangeLine per request with the signature redacted, flushed on close', async () => {
    const capturePath = join(dir, 'capture.jsonl');
    const ep = await startEndpoint({ capturePath });
    await sendSigned(ep.url);
    await sendSigned(ep.url, { body: '{nope' });
    await rawRequest(ep.url, { path: '/Nowhere' });
    await ep.close();
    const lines = (await readFile(capturePath, 'utf8')).trim().split('\n').map(parseLogLine) as ExchangeLine[];
    expect(lines.map((l) => [l.type, l.operation, l.verdict.status, l.verdict.errorType])).toEqual([
      ['exchange', 'SendHeartbeat', 200, undefined],
      ['exchange', 'SendHeartbeat', 400, 'SerializationException'],
      ['exchange', 'unknown', 404, 'UnknownOperationException'],
    ]);
    expect(lines[0].request.headers.authorization).toMatch(/Signature=REDACTED$/);
    expect(lines[0].request.url).toBe(`${ep.url}/SendHeartbeat`);
    expect(JSON.parse(lines[0].request.body)).toEqual(HEARTBEAT);
    expect(lines[1].request.body).toBe('{nope');
  });

  it('keeps the registry across restarts with a state file', async () => {
    const statePath = join(dir, 'state.json');
    const first = await startEndpoint({ statePath });
    await sendSigned(first.url);
    await first.close();
    const second = await startEndpoint({ statePath });
    try {
      expect(second.admin.device('warehouse-east', 'camera-017')).toMatchObject({
        source: 'heartbeat',
        agentVersion: '1.2.3',
        counts: { heartbeats: 1 },
      });
      await sendSigned(second.url);
      expect(second.admin.device('warehouse-east', 'camera-017')?.counts.heartbeats).toBe(2);
    } finally {
      await second.close();
    }
  });
});
