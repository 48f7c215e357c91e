/**
 * The engine against servers that fail in every way the issue lists: each gives the right outcome
 * kind, retries exactly where AWS standard mode does, and never outlives its timeout.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { LogLine, TargetRecord } from '../../../src/common/log/entry.ts';
import { DEMO_CREDENTIALS } from '../../../src/common/demo.ts';
import { startEndpoint } from '../../../src/node/endpoint/index.ts';
import { createEngine, realSleep, send, type EngineOptions } from '../../../src/node/engine/send.ts';
import { createTransport, type TransportOptions } from '../../../src/node/transport/dispatcher.ts';
import {
  closedPort,
  respond,
  selfSignedCertificate,
  serviceError,
  startFaultServer,
  type FaultServer,
  type Handler,
} from './fault-server.ts';

const CREDS = { accessKeyId: 'AKIAFAULTTEST0000001', secretAccessKey: 'fault/test/secret' };
const BODY = JSON.stringify({ AgentVersion: '1.0', DeviceName: 'dev-1', DeviceFleetName: 'fleet-1' });
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function server(handler: Handler, options?: Parameters<typeof startFaultServer>[1]): Promise<FaultServer> {
  const s = await startFaultServer(handler, options);
  cleanups.push(() => s.close());
  return s;
}

/** An engine with recorded, instant sleeps and random() = 0.5, so backoff is deterministic. */
async function engineFor(transportOptions: TransportOptions = {}, options: Partial<EngineOptions> = {}) {
  const transport = await createTransport({ connectTimeoutMs: 1000, readTimeoutMs: 1000, env: {}, ...transportOptions });
  cleanups.push(() => transport.close());
  const sleeps: number[] = [];
  const engine = createEngine({ transport, random: () => 0.5, sleep: async (ms) => void sleeps.push(ms), ...options });
  return { engine, sleeps };
}

const target = (url: string): TargetRecord => ({ kind: 'url', url, region: 'us-east-1' });

describe('transport faults', () => {
  it('connection refused: transport error "refused", retried with full-jitter backoff', async () => {
    const port = await closedPort();
    const { engine, sleeps } = await engineFor();
    const result = await send(engine, {
      operation: 'SendHeartbeat',
      body: BODY,
      target: target(`http://127.0.0.1:${port}`),
      credentials: CREDS,
    }).response;
    expect(result.outcome).toMatchObject({ kind: 'transport-error', code: 'refused', retried: true });
    expect(result.attempts).toHaveLength(3);
    expect(sleeps).toEqual([50, 100]); // 0.5 × 100 ms, 0.5 × 200 ms
    expect(result.attempts.map((a) => a.delayMs)).toEqual([undefined, 50, 100]);
  });

  it('reset mid-body: transport error "reset", retried', async () => {
    const s = await server((_r, socket) => {
      socket.write('HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n0123456789');
      setTimeout(() => socket.resetAndDestroy(), 20);
    });
    const { engine } = await engineFor();
    const result = await send(engine, { operation: 'SendHeartbeat', body: BODY, target: target(s.url), credentials: CREDS }).response;
    expect(result.outcome).toMatchObject({ kind: 'transport-error', code: 'reset' });
    expect(s.requests).toHaveLength(3);
  });

  it('wrong Content-Length (fewer bytes, then close): "reset", retried', async () => {
    const s = await server((_r, socket) => socket.end('HTTP/1.1 200 OK\r\ncontent-length: 50\r\n\r\nshort'));
    const { engine } = await engineFor();
    const result = await send(engine, { operation: 'SendHeartbeat', body: BODY, target: target(s.url), credentials: CREDS }).response;
    expect(result.outcome).toMatchObject({ kind: 'transport-error', code: 'reset' });
    expect(s.requests).toHaveLength(3);
  });

  it('stalled headers: "timeout" after the read timeout, each attempt bounded', async () => {
    const s = await server(() => {});
    const { engine } = await engineFor({ readTimeoutMs: 200 });
    const started = Date.now();
    const result = await send(engine, { operation: 'SendHeartbeat', body: BODY, target: target(s.url), credentials: CREDS }).response;
    expect(result.outcome).toMatchObject({ kind: 'transport-error', code: 'timeout' });
    expect((result.outcome as { message: string }).message).toMatch(/no response within 0\.2 s/);
    expect(result.attempts).toHaveLength(3);
    for (const a of result.attempts) expect(a.durationMs).toBeLessThan(1500);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('stalled body: "timeout" once the body stops for the read timeout', async () => {
    const s = await server((_r, socket) => socket.write('HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n0123456789'));
    const { engine } = await engineFor({ readTimeoutMs: 200 }, { maxAttempts: 1 });
    const result = await send(engine, { operation: 'SendHeartbeat', body: BODY, target: target(s.url), credentials: CREDS }).response;
    expect(result.outcome).toMatchObject({ kind: 'transport-error', code: 'timeout', retried: false });
    expect((result.outcome as { message: string }).message).toMatch(/stopped sending the response body/);
    expect(result.attempts[0]!.durationMs).toBeLessThan(1500);
  });

  it('cancel stops a send in flight at once', async () => {
    const s = await server(() => {});
    const { engine } = await engineFor({ readTimeoutMs: 10_000 });
    const handle = send(engine, { operation: 'SendHeartbeat', body: BODY, target: target(s.url), credentials: CREDS });
    setTimeout(() => handle.cancel(), 100);
    const started = Date.now();
    const result = await handle.response;
    expect(result.outcome.kind).toBe('cancelled');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(s.requests).toHaveLength(1);
  });

  it('caps the response body', async () => {
    const big = 'x'.repeat(3 * 1024 * 1024);
    const s = await server((_r, socket) => respond(socket, 200, {}, big));
    const { engine } = await engineFor({ bodyLimit: 1024 * 1024 });
    const result = await send(engine, { operation: 'SendHeartbeat', body: BODY, target: target(s.url), credentials: CREDS }).response;
    expect(result.outcome.kind).toBe('success');
    expect((result.outcome as { body: string }).body.length).toBe(1024 * 1024);
  });
});

describe('service error storms', () => {
  for (const [status, type] of [
    [500, 'InternalServiceException'],
    [503, 'ServiceUnavailable'],
  ] as const) {
    it(`${status} storm: retried up to max attempts with 100 ms base backoff`, async () => {
      const s = await server((_r, socket) => serviceError(socket, status, type, 'boom'));
      const { engine, sleeps } = await engineFor();
      const result = await send(engine, {
        operation: 'SendHeartbeat',
        body: BODY,
        target: target(s.url),
        credentials: CREDS,
        maxAttempts: 4,
      }).response;
      expect(result.outcome).toMatchObject({ kind: 'service-error', status, errorType: type, retried: true });
      expect(s.requests).toHaveLength(4);
      expect(sleeps).toEqual([50, 100, 200]);
    });
  }

  it('429 storm: throttling backoff (500 ms base) and Retry-After respected', async () => {
    const s = await server((_r, socket, i) =>
      serviceError(socket, 429, 'ThrottlingException', 'Rate exceeded', i === 2 ? { 'retry-after': '3' } : {}),
    );
    const { engine, sleeps } = await engineFor();
    const result = await send(engine, { operation: 'SendHeartbeat', body: BODY, target: target(s.url), credentials: CREDS }).response;
    expect(result.outcome).toMatchObject({ kind: 'service-error', status: 429, errorType: 'ThrottlingException' });
    expect(s.requests).toHaveLength(3);
    expect(sleeps).toEqual([250, 3000]); // 0.5 × 500; then max(0.5 × 1000, Retry-After 3 s)
  });

  it('never retries other 4xx', async () => {
    const s = await server((_r, socket) => serviceError(socket, 400, 'ValidationException', '1 validation error detected'));
    const { engine, sleeps } = await engineFor();
    const result = await send(engine, { operation: 'SendHeartbeat', body: BODY, target: target(s.url), credentials: CREDS }).response;
    expect(result.outcome).toMatchObject({ kind: 'service-error', status: 400, retried: false });
    // The answer as it came, for the inspector and the HAR export: headers and body.
    expect(result.outcome.kind === 'service-error' && result.outcome.headers?.['x-amzn-errortype']).toBe('ValidationException');
    expect(result.outcome.kind === 'service-error' && JSON.parse(result.outcome.body ?? '{}')).toEqual({
      message: '1 validation error detected',
    });
    expect(s.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('marks every attempt with amz-sdk-invocation-id and amz-sdk-request, re-signing each', async () => {
    const s = await server((_r, socket, i) => (i < 3 ? serviceError(socket, 503, 'ServiceUnavailable', 'busy') : respond(socket, 200)));
    const { engine } = await engineFor();
    const result = await send(engine, { operation: 'SendHeartbeat', body: BODY, target: target(s.url), credentials: CREDS }).response;
    expect(result.outcome).toMatchObject({ kind: 'success', status: 200 });
    expect(s.requests.map((r) => r.headers['amz-sdk-request'])).toEqual(['attempt=1; max=3', 'attempt=2; max=3', 'attempt=3; max=3']);
    expect(new Set(s.requests.map((r) => r.headers['amz-sdk-invocation-id'])).size).toBe(1);
    expect(new Set(s.requests.map((r) => r.headers.authorization)).size).toBe(3);
    expect(s.requests.every((r) => r.path === '/SendHeartbeat' && r.body === BODY)).toBe(true);
    expect(result.attempts.map((a) => a.status)).toEqual([503, 503, 200]);
  });

  it('corrects clock skew from Date and re-signs with the server time', async () => {
    const serverAhead = 2 * 3600_000;
    const s = await server((r, socket) => {
      const serverNow = Date.now() + serverAhead;
      const date = r.headers['x-amz-date']!.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z');
      const headers = { date: new Date(serverNow).toUTCString() };
      if (Math.abs(Date.parse(date) - serverNow) > 300_000)
        serviceError(socket, 403, 'InvalidSignatureException', 'Signature not yet current: ...', headers);
      else respond(socket, 200, headers);
    });
    const { engine } = await engineFor();
    const result = await send(engine, { operation: 'SendHeartbeat', body: BODY, target: target(s.url), credentials: CREDS }).response;
    expect(result.outcome.kind).toBe('success');
    expect(result.attempts.map((a) => a.status)).toEqual([403, 200]);
    expect(Math.abs(engine.clock.offsetMs - serverAhead)).toBeLessThan(5000);
  });

  it('without a correctable skew, a 403 is final and diagnosed', async () => {
    const s = await server((_r, socket) =>
      serviceError(socket, 403, 'UnrecognizedClientException', 'The security token included in the request is invalid.'),
    );
    const { engine } = await engineFor();
    const result = await send(engine, { operation: 'SendHeartbeat', body: BODY, target: target(s.url), credentials: CREDS }).response;
    expect(result.outcome).toMatchObject({ kind: 'service-error', status: 403, retried: false });
    expect((result.outcome as { diagnosis?: string }).diagnosis).toMatch(/access key ending in 0001/);
  });
});

describe('TLS and timings', () => {
  const cert = selfSignedCertificate();

  it('self-signed certificate: refused without --ca-bundle (not retried), accepted with it', async () => {
    const s = await server((_r, socket) => respond(socket, 200), { tls: { key: cert.key, cert: cert.cert } });
    const plain = await engineFor();
    const refused = await send(plain.engine, { operation: 'SendHeartbeat', body: BODY, target: target(s.url), credentials: CREDS })
      .response;
    expect(refused.outcome).toMatchObject({ kind: 'transport-error', code: 'tls', retried: false });
    expect(refused.attempts).toHaveLength(1);
    const bundled = await engineFor({ caBundle: cert.certPath });
    const ok = await send(bundled.engine, { operation: 'SendHeartbeat', body: BODY, target: target(s.url), credentials: CREDS }).response;
    expect(ok.outcome.kind).toBe('success');
    expect(ok.timings!.tlsMs).toBeGreaterThanOrEqual(ok.timings!.connectMs!);
    const unverified = await engineFor({ verifySsl: false });
    expect(
      (await send(unverified.engine, { operation: 'SendHeartbeat', body: BODY, target: target(s.url), credentials: CREDS }).response)
        .outcome.kind,
    ).toBe('success');
  });

  it('reuses the connection: connect phase on the first send only', async () => {
    const s = await server((_r, socket) => respond(socket, 200));
    const { engine } = await engineFor();
    const first = await send(engine, { operation: 'SendHeartbeat', body: BODY, target: target(s.url), credentials: CREDS }).response;
    // undici frees the connection a tick after the body ends; a send in the same tick would open another.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = await send(engine, { operation: 'SendHeartbeat', body: BODY, target: target(s.url), credentials: CREDS }).response;
    expect(first.timings!.connectMs).toBeGreaterThanOrEqual(0);
    expect(first.timings!.firstByteMs).toBeGreaterThanOrEqual(first.timings!.connectMs!);
    expect(second.timings!.connectMs).toBeUndefined();
    expect(s.connections).toBe(1);
  });

  it('goes through HTTPS_PROXY / HTTP_PROXY, and around it for NO_PROXY hosts', async () => {
    const s = await server((_r, socket) => respond(socket, 200));
    const seen: string[] = [];
    const net = await import('node:net');
    const proxy = net.createServer((client) => {
      client.once('data', (chunk) => {
        const line = chunk.toString('latin1').split('\r\n')[0]!;
        seen.push(line);
        const [, hostPort] = line.split(' ');
        const [host, port] = hostPort!.split(':');
        const upstream = net.connect(Number(port), host!, () => {
          client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
          upstream.pipe(client).pipe(upstream);
        });
        upstream.on('error', () => client.destroy());
      });
      client.on('error', () => {});
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => proxy.close(() => resolve())));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as import('node:net').AddressInfo).port}`;
    const via = await engineFor({ env: { HTTP_PROXY: proxyUrl, HTTPS_PROXY: proxyUrl } });
    expect(
      (await send(via.engine, { operation: 'SendHeartbeat', body: BODY, target: target(s.url), credentials: CREDS }).response).outcome.kind,
    ).toBe('success');
    expect(seen).toEqual([`CONNECT 127.0.0.1:${s.port} HTTP/1.1`]);
    const around = await engineFor({ env: { HTTP_PROXY: proxyUrl, NO_PROXY: '127.0.0.1' } });
    expect(
      (await send(around.engine, { operation: 'SendHeartbeat', body: BODY, target: target(s.url), credentials: CREDS }).response).outcome
        .kind,
    ).toBe('success');
    expect(seen).toHaveLength(1);
  });
});

describe('work kept across the sends of one engine', () => {
  it('signs each credentials with its own keys: a signer is reused per credentials, never across them', async () => {
    const endpoint = await startEndpoint();
    cleanups.push(() => endpoint.close());
    const { engine } = await engineFor();
    const at = (credentials: { accessKeyId: string; secretAccessKey: string }) =>
      send(engine, {
        operation: 'SendHeartbeat',
        body: BODY,
        target: { kind: 'url', url: endpoint.url, region: endpoint.region },
        credentials,
        maxAttempts: 1,
      }).response;
    const demo = { accessKeyId: DEMO_CREDENTIALS.accessKeyId, secretAccessKey: DEMO_CREDENTIALS.secretAccessKey };
    expect((await at(demo)).outcome).toMatchObject({ kind: 'success', status: 200 });
    // Same access key id, another secret: a cached signing key of the first would make this pass.
    expect((await at({ ...demo, secretAccessKey: 'not-the-demo-secret' })).outcome).toMatchObject({
      kind: 'service-error',
      status: 403,
      errorType: 'InvalidSignatureException',
    });
    expect((await at(demo)).outcome).toMatchObject({ kind: 'success', status: 200 });
    expect((await at({ ...demo })).outcome).toMatchObject({ kind: 'success', status: 200 });
  });

  it('cancel during a retry backoff ends the send without waiting the backoff out', async () => {
    const s = await server((_r, socket) => serviceError(socket, 429, 'ThrottlingException', 'Rate exceeded'));
    // random() = 1: the first throttling backoff is the full 500 ms.
    const { engine } = await engineFor({}, { sleep: realSleep, random: () => 1 });
    const handle = send(engine, { operation: 'SendHeartbeat', body: BODY, target: target(s.url), credentials: CREDS });
    const started = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(s.requests).toHaveLength(1);
    handle.cancel();
    const result = await handle.response;
    expect(result.outcome.kind).toBe('cancelled');
    expect(Date.now() - started).toBeLessThan(450);
    expect(s.requests).toHaveLength(1);
  });

  it('a cancel before the request reaches a connection ends the send, and nothing is sent', async () => {
    const s = await server((_r, socket) => respond(socket, 200));
    const { engine } = await engineFor();
    const handle = send(engine, { operation: 'SendHeartbeat', body: BODY, target: target(s.url), credentials: CREDS });
    handle.cancel();
    expect((await handle.response).outcome.kind).toBe('cancelled');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(s.requests).toHaveLength(0);
  });

  it('log lines carry ISO times of when they were made', async () => {
    const s = await server((_r, socket) => respond(socket, 200));
    const lines: LogLine[] = [];
    const { engine } = await engineFor({}, { history: { record: async (line) => void lines.push(line) } });
    for (let i = 0; i < 3; i++) {
      const before = Date.now();
      const result = await send(engine, { operation: 'SendHeartbeat', body: BODY, target: target(s.url), credentials: CREDS }).response;
      const after = Date.now();
      const times = [...lines.splice(0).map((l) => l.time), ...result.attempts.map((a) => a.startedAt)];
      expect(times).toHaveLength(3);
      for (const time of times) {
        expect(new Date(Date.parse(time)).toISOString()).toBe(time);
        expect(Date.parse(time)).toBeGreaterThanOrEqual(before);
        expect(Date.parse(time)).toBeLessThanOrEqual(after);
      }
      await new Promise((resolve) => setTimeout(resolve, 7 + i * 400));
    }
  });
});
