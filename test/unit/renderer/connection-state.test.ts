// @vitest-environment jsdom
/** Issue 14 item 20: the top bar follows the host's event stream (connected / reconnecting / disconnected). */
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mount } from '@vue/test-utils';
import { createPinia } from 'pinia';
import { createHttpApi } from '../../../src/renderer/platform/http.ts';
import { streamStatus, type StreamState } from '../../../src/renderer/platform/sse.ts';
import { EVENTS_ROUTE } from '../../../src/common/api-args.ts';
import TopBar from '../../../src/renderer/components/TopBar.vue';
import { useSessionStore } from '../../../src/renderer/stores/session.ts';

const TOKEN = 'tok_0123456789abcdefABCDEF';
let server: Server | undefined;
const open = new Set<ServerResponse>();

async function eventHost(status = 200): Promise<string> {
  server = createServer((req, res) => {
    if (req.url !== EVENTS_ROUTE) return void res.writeHead(404).end();
    res.writeHead(status, { 'content-type': 'text/event-stream' });
    if (status !== 200) return void res.end();
    res.write(': connected\n\n');
    open.add(res);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
async function stopHost(): Promise<void> {
  for (const res of open) res.destroy();
  open.clear();
  server?.closeAllConnections();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
}
afterEach(stopHost);

const until = async (check: () => boolean, ms = 5000): Promise<void> => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('event stream state', () => {
  it('connected while the stream is open; reconnecting, then disconnected, once the host is gone', async () => {
    const base = await eventHost();
    const status = streamStatus();
    const seen: StreamState[] = [];
    status.listen((s) => seen.push(s));
    const stop = createHttpApi({ baseUrl: base, token: TOKEN, reconnectMs: 20, status }).subscribe(() => undefined);
    await until(() => status.state === 'connected');
    await stopHost();
    await until(() => status.state === 'disconnected');
    stop();
    expect(seen).toEqual(['connected', 'reconnecting', 'disconnected']);
  });

  it('comes back to connected when the host answers again, and has the history queried again (events were lost)', async () => {
    const base = await eventHost();
    const port = Number(new URL(base).port);
    const status = streamStatus();
    const events: string[] = [];
    const stop = createHttpApi({ baseUrl: base, token: TOKEN, reconnectMs: 30, status }).subscribe((e) => events.push(e.type));
    await until(() => status.state === 'connected');
    await stopHost();
    await until(() => status.state !== 'connected');
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' }).write(': hi\n\n');
      open.add(res);
    });
    await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
    await until(() => status.state === 'connected');
    expect(events).toEqual(['history-reset']);
    stop();
  });

  it('a refused token is disconnected at once (retrying will not help)', async () => {
    const base = await eventHost(401);
    const status = streamStatus();
    const stop = createHttpApi({ baseUrl: base, token: TOKEN, reconnectMs: 20, status }).subscribe(() => undefined);
    await until(() => status.state === 'disconnected');
    stop();
  });

  it('the top bar says so, instead of a green "Connected" that stays', async () => {
    const pinia = createPinia();
    const w = mount(TopBar, { global: { plugins: [pinia] } });
    const session = useSessionStore();
    session.setPlatformKind('http');
    session.setConnection('connected');
    await w.vm.$nextTick();
    const line = () => w.find('[data-testid="connection"]');
    const long = () => line().find('.long').text();
    expect(long()).toBe('Connected to the local host');
    session.setConnection('reconnecting');
    await w.vm.$nextTick();
    expect(long()).toMatch(/^Reconnecting/);
    expect(line().classes()).toContain('reconnecting');
    session.setConnection('disconnected');
    await w.vm.$nextTick();
    expect(long()).toMatch(/^Disconnected/);
    expect(line().classes()).toContain('disconnected');
    w.unmount();
  });
});
