/**
 * Issue 14 item 2: with 8787 and 8788 taken (by this test when they are free; when something else
 * already holds them, that is the situation under test anyway), `heartbeat ui` and the desktop main
 * process both start, on free ports, and say which. Before the fix the endpoint's listen() error lost
 * its EADDRINUSE code, so neither fell back and both refused to start.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDesktop } from '../../electron/desktop.ts';
import { isolatedEnv } from '../cli/heartbeat-run.ts';
import { createFakeElectron } from './fake-electron.ts';

const BUSY = [8787, 8788];

/** Holds `port` on 127.0.0.1; undefined when it is already taken (by another program). */
function hold(port: number): Promise<Server | undefined> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => (error.code === 'EADDRINUSE' ? resolve(undefined) : reject(error)));
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

/** True when a connection to 127.0.0.1:port is accepted (something listens there). */
const taken = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

const portOf = (url: string) => Number(new URL(url).port);

describe('busy default ports (8787 and 8788)', () => {
  const held: Server[] = [];
  /** The ports this test holds: for those the fallback must happen; a port another program holds may be freed meanwhile. */
  const ours = new Set<number>();

  beforeAll(async () => {
    for (const port of BUSY) {
      const server = await hold(port);
      if (!server) continue;
      held.push(server);
      ours.add(port);
    }
    for (const port of BUSY) expect(await taken(port), `port ${port} should be taken`).toBe(true);
  });
  afterAll(async () => {
    await Promise.all(held.map((server) => new Promise((resolve) => server.close(resolve))));
  });

  it('heartbeat ui starts on free ports and says the defaults were taken', async () => {
    const env = isolatedEnv();
    const child = spawn(process.execPath, ['bin/heartbeat.js', 'ui', '--no-open'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    let stdout = '';
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await Promise.race([
      new Promise<void>((resolve) =>
        child.stdout.setEncoding('utf8').on('data', (d: string) => {
          stdout += d;
          if (stdout.split('\n').length > 4) resolve();
        }),
      ),
      exited.then((code) => {
        throw new Error(`ui exited with ${code}: ${stderr}`);
      }),
    ]);
    const lines = stdout.split('\n');
    const origin = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(lines[0]!)?.[1];
    const endpoint = /^embedded endpoint (http:\/\/127\.0\.0\.1:\d+) /.exec(lines[2]!)?.[1];
    expect(origin, stdout).toBeDefined();
    expect(endpoint, stdout).toBeDefined();
    if (ours.has(8788)) expect(portOf(origin!)).not.toBe(8788);
    if (ours.has(8787)) expect(portOf(endpoint!)).not.toBe(8787);
    if (portOf(origin!) !== 8788) expect(stderr).toContain('heartbeat ui: port 8788 is taken; the UI uses a free port instead.');
    if (portOf(endpoint!) !== 8787)
      expect(stderr).toContain('heartbeat ui: port 8787 is taken; the embedded endpoint uses a free port instead.');
    expect((await fetch(origin!)).status).toBe(200);
    expect((await fetch(`${endpoint}/SendHeartbeat`, { method: 'POST' })).status).toBe(403);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    clearTimeout(killer);
  });

  it('the desktop main process starts its endpoint on a free port and says which', async () => {
    const fake = createFakeElectron();
    const dir = mkdtempSync(join(tmpdir(), 'hb-desktop-busy-'));
    mkdirSync(join(dir, 'ui'));
    writeFileSync(join(dir, 'ui', 'index.html'), '<!doctype html><div id="app"></div>');
    const log: string[] = [];
    // No endpointPort: the default, 8787, as the real app.
    const starting = startDesktop(fake.electron, {
      preloadPath: '/app/preload.cjs',
      uiDir: join(dir, 'ui'),
      historyDir: join(dir, 'history'),
      env: {},
      platform: 'linux',
      log: (line) => log.push(line),
    });
    fake.app.ready();
    const app = await starting;
    try {
      expect(fake.calls.errorBoxes).toEqual([]);
      expect(app).toBeDefined();
      const url = app!.services.endpoint.url;
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      if (ours.has(8787)) expect(portOf(url)).not.toBe(8787);
      if (portOf(url) !== 8787) expect(log).toEqual([`heartbeat: port 8787 is taken; the embedded endpoint uses ${url} instead.`]);
      expect(fake.windows).toHaveLength(1);
    } finally {
      await app?.services.close();
    }
  });
});
