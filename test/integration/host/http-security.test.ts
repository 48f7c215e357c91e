/** The loopback host refuses what is not its own page: no token, a foreign Origin, another Host, CORS. */
import { request as httpRequest } from 'node:http';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENTS_ROUTE, routeOf } from '../../../src/common/api-args.ts';
import { DEMO_CREDENTIALS } from '../../../src/common/demo.ts';
import { startUiHost, type UiHost } from '../../../src/node/host/http-host.ts';
import { startHostFixture, type HostFixture } from '../../contract/host-fixture.ts';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

let fixture: HostFixture;
let host: UiHost;
let port: number;
const answers: string[] = [];

/** A raw request, so tests can set Host and Origin as an attacker's page would. */
function raw(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        answers.push(text);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const api = (route: string, args: unknown, headers: Record<string, string> = {}) =>
  raw('POST', route, { authorization: `Bearer ${host.token}`, 'content-type': 'application/json', ...headers }, JSON.stringify(args));

beforeAll(async () => {
  fixture = await startHostFixture();
  const uiDir = mkdtempSync(join(tmpdir(), 'heartbeat-ui-'));
  mkdirSync(join(uiDir, 'assets'));
  writeFileSync(join(uiDir, 'index.html'), '<!doctype html><title>composer</title>');
  writeFileSync(join(uiDir, 'assets', 'app-1234.js'), 'export {};');
  writeFileSync(join(fixture.dir, 'outside.txt'), 'not for the browser');
  host = await startUiHost({ api: fixture.services.api, uiDir });
  port = Number(new URL(host.origin).port);
});
afterAll(async () => {
  await host?.close();
  await fixture?.close();
});

describe('loopback UI host', () => {
  it('binds 127.0.0.1 and hands out a long random token in the URL fragment', () => {
    expect(host.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(host.url).toBe(`${host.origin}#token=${host.token}`);
    expect(host.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('serves the UI with a CSP without unsafe-eval, and nothing outside its folder', async () => {
    const page = await raw('GET', '/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('composer');
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self';/);
    expect(page.headers['content-security-policy']).not.toContain('unsafe-eval');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect((await raw('GET', '/assets/app-1234.js')).headers['content-type']).toMatch(/javascript/);
    expect((await raw('GET', '/../outside.txt')).status).toBe(404);
    expect((await raw('GET', '/%2e%2e/outside.txt')).status).toBe(404);
    expect((await raw('GET', '/assets/%2e%2e/%2e%2e/outside.txt')).status).toBe(404);
    expect((await raw('POST', '/')).status).toBe(405);
  });

  it('answers the API with the token, and refuses a missing or wrong token', async () => {
    expect((await api(routeOf('endpoint.info'), {})).status).toBe(200);
    const missing = await raw('POST', routeOf('endpoint.info'), { 'content-type': 'application/json' }, '{}');
    expect(missing.status).toBe(401);
    expect(JSON.parse(missing.body).error.message).toMatch(/access token/);
    expect((await api(routeOf('endpoint.info'), {}, { authorization: `Bearer ${host.token.slice(0, -1)}x` })).status).toBe(401);
    expect((await raw('GET', EVENTS_ROUTE)).status).toBe(401);
  });

  it('refuses a foreign Origin, a cross-site fetch and another Host name (DNS rebinding), even with the token', async () => {
    expect((await api(routeOf('endpoint.info'), {}, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await api(routeOf('endpoint.info'), {}, { origin: `http://127.0.0.1:${port + 1}` })).status).toBe(403);
    expect((await api(routeOf('endpoint.info'), {}, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await api(routeOf('endpoint.info'), {}, { host: `evil.example:${port}` })).status).toBe(421);
    expect((await raw('GET', '/', { host: 'rebind.example' })).status).toBe(421);
    expect((await api(routeOf('endpoint.info'), {}, { origin: `http://127.0.0.1:${port}` })).status).toBe(200);
    expect((await api(routeOf('endpoint.info'), {}, { origin: `http://localhost:${port}`, host: `localhost:${port}` })).status).toBe(200);
  });

  it('never sends CORS headers, even to a preflight', async () => {
    const preflight = await raw('OPTIONS', routeOf('send'), {
      origin: `http://127.0.0.1:${port}`,
      'access-control-request-method': 'POST',
    });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    const ok = await api(routeOf('endpoint.info'), {});
    expect(ok.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses wrong methods, content types, unknown routes and malformed arguments with sentences', async () => {
    expect((await raw('GET', routeOf('endpoint.info'), { authorization: `Bearer ${host.token}` })).status).toBe(405);
    expect((await api(routeOf('endpoint.info'), {}, { 'content-type': 'text/plain' })).status).toBe(415);
    expect((await api('/api/shell/exec', {})).status).toBe(404);
    const notJson = await raw(
      'POST',
      routeOf('send'),
      { authorization: `Bearer ${host.token}`, 'content-type': 'application/json' },
      '{"request":',
    );
    expect(notJson.status).toBe(400);
    expect(JSON.parse(notJson.body).error.message).toMatch(/not a JSON object/);
    const extra = await api(routeOf('cancel'), { id: 'x', command: 'rm -rf /' });
    expect(extra.status).toBe(400);
    expect(JSON.parse(extra.body).error.message).toMatch(/"command" is not an argument of cancel/);
    const badTarget = await api(routeOf('send'), {
      request: {
        id: 'a',
        operation: 'SendHeartbeat',
        body: '{}',
        target: { kind: 'local', url: 'http://evil' },
        credentials: { kind: 'demo' },
      },
    });
    expect(JSON.parse(badTarget.body).error.message).toMatch(/unknown field "url"/);
  });

  it('streams events as server-sent events to a token holder', async () => {
    const controller = new AbortController();
    const response = await fetch(`${host.origin}api/events`, {
      headers: { authorization: `Bearer ${host.token}` },
      signal: controller.signal,
    });
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = response.body!.getReader();
    await api(routeOf('send'), {
      request: {
        id: 'sse-1',
        operation: 'SendHeartbeat',
        body: JSON.stringify({ AgentVersion: '1', DeviceName: 'cam-sse', DeviceFleetName: 'f' }),
        target: { kind: 'local' },
        credentials: { kind: 'demo' },
      },
    });
    let text = '';
    while (!text.includes('cam-sse')) text += new TextDecoder().decode((await reader.read()).value);
    expect(text).toMatch(/^: connected/);
    expect(text).toMatch(/data: \{"type":"(history|endpoint-activity)"/);
    controller.abort();
  });

  it('never puts a secret or a signature in any answer', async () => {
    await api(routeOf('credentials.registerManualKeys'), {
      keys: { accessKeyId: 'AKIAMANUALKEY0000001', secretAccessKey: 'manual-secret-never-echoed-000000' },
    });
    await api(routeOf('history.export'), { query: {}, format: 'har' });
    const all = answers.join('\n');
    expect(all).not.toContain(DEMO_CREDENTIALS.secretAccessKey);
    expect(all).not.toContain('manual-secret-never-echoed');
    expect(all).not.toMatch(/Signature=[0-9a-f]{64}/);
  });
});
