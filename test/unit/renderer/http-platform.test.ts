import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpApi } from '../../../src/renderer/platform/http.ts';
import { createPlatform, tokenFromHash } from '../../../src/renderer/platform/index.ts';
import { PlatformError } from '../../../src/renderer/platform/errors.ts';
import type { HostEvent } from '../../../src/common/api.ts';
import { routeOf } from '../../../src/common/api-args.ts';

const TOKEN = 'tok_0123456789abcdefABCDEF';
let server: Server | undefined;

async function host(handler: (req: IncomingMessage, body: string, res: ServerResponse) => void): Promise<string> {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => handler(req, body, res));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

describe('HTTP platform', () => {
  it('posts arguments with the bearer token and unwraps the result', async () => {
    const seen: { url?: string; auth?: string; body?: unknown }[] = [];
    const base = await host((req, body, res) => {
      seen.push({ url: req.url, auth: req.headers.authorization, body: JSON.parse(body) });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ result: ['default', 'prod'] }));
    });
    const api = createHttpApi({ baseUrl: base, token: TOKEN });
    expect(await api.credentials.profiles()).toEqual(['default', 'prod']);
    await api.history.export({ device: 'd' }, 'har');
    expect(seen[0]).toEqual({ url: routeOf('credentials.profiles'), auth: `Bearer ${TOKEN}`, body: {} });
    expect(seen[1]).toMatchObject({ url: routeOf('history.export'), body: { query: { device: 'd' }, format: 'har' } });
  });

  it("turns the host's error into its sentence, and a refusal into advice", async () => {
    const base = await host((req, _body, res) => {
      if (req.url === routeOf('replay'))
        res.writeHead(404).end(JSON.stringify({ error: { message: 'No history entry has id x: pick one from the list.' } }));
      else res.writeHead(401).end('');
    });
    const api = createHttpApi({ baseUrl: base, token: TOKEN });
    await expect(api.replay('x')).rejects.toThrow('No history entry has id x: pick one from the list.');
    const refused = await api.endpoint.info().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(PlatformError);
    expect((refused as PlatformError).code).toBe('unauthorized');
    expect((refused as PlatformError).message).toMatch(/open the URL/);
  });

  it('says the host is gone when nothing answers', async () => {
    const base = await host(() => undefined);
    server!.closeAllConnections();
    await new Promise((resolve) => server!.close(resolve));
    server = undefined;
    await expect(createHttpApi({ baseUrl: base, token: TOKEN }).credentials.profiles()).rejects.toThrow(/did not answer/);
  });

  it('streams server-sent events, split anywhere, until unsubscribed', async () => {
    const events: HostEvent[] = [
      {
        type: 'endpoint-activity',
        skipped: 0,
        activities: [
          {
            id: 'e1',
            time: '2026-11-23T00:00:00.000Z',
            operation: 'SendHeartbeat',
            status: 200,
            requestId: 'r1',
            handlingMs: 0.4,
            deviceName: 'cam-1',
          },
        ],
      },
    ];
    let auth: string | undefined;
    const base = await host((req, _body, res) => {
      auth = req.headers.authorization;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const wire = `: hello\r\n\r\ndata: ${JSON.stringify(events[0])}\r\n\r\ndata: not json\n\n`;
      // Cut the stream at awkward places, including between \r and \n.
      const cuts = [3, wire.indexOf('\r\n\r\ndata') + 1, wire.length - 5];
      let at = 0;
      for (const cut of cuts) {
        res.write(wire.slice(at, cut));
        at = cut;
      }
      res.write(wire.slice(at));
    });
    const api = createHttpApi({ baseUrl: base, token: TOKEN, reconnectMs: 50 });
    const received: HostEvent[] = [];
    const stop = api.subscribe((e) => received.push(e));
    for (let i = 0; i < 100 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    stop();
    expect(received).toEqual(events);
    expect(auth).toBe(`Bearer ${TOKEN}`);
  });
});

describe('createPlatform', () => {
  it('prefers the Electron bridge, then a token in the fragment, else offline', () => {
    const bridge = createHttpApi({ baseUrl: 'http://127.0.0.1:9', token: TOKEN });
    expect(createPlatform({ bridge, origin: 'http://127.0.0.1:9', hash: '' }).kind).toBe('electron');
    expect(createPlatform({ origin: 'http://127.0.0.1:9', hash: `#token=${TOKEN}` }).kind).toBe('http');
    expect(createPlatform({ origin: 'http://127.0.0.1:9', hash: '' }).kind).toBe('offline');
  });

  it('accepts only a plausible token', () => {
    expect(tokenFromHash(`#token=${TOKEN}&x=1`)).toBe(TOKEN);
    expect(tokenFromHash('#token=short')).toBeUndefined();
    expect(tokenFromHash('#token=has%20space%20in%20it%20and%20more')).toBeUndefined();
    expect(tokenFromHash('')).toBeUndefined();
  });
});
