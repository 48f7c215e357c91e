/**
 * The built files as Electron would load them, with a stand-in `electron` module: dist/electron/main.cjs
 * starts the app on the real dist/ui, and dist/electron/preload.cjs runs where only `electron` can be
 * required (as in a sandboxed renderer). Needs the build (`npm test` runs `npm run build` first).
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { READ_PICKED_CHANNEL } from '../../electron/channels.ts';
import { API_METHODS } from '../../src/common/api-args.ts';
import { UI_CSP } from '../../src/node/host/static-files.ts';
import { createFakeElectron } from './fake-electron.ts';

const DIST = join(import.meta.dirname, '..', '..', 'dist');
const MAIN = join(DIST, 'electron', 'main.cjs');
const PRELOAD = join(DIST, 'electron', 'preload.cjs');

type Loader = (request: string, parent: unknown, isMain: boolean) => unknown;
const moduleInternals = Module as unknown as { _load: Loader };

describe('built desktop bundles', () => {
  const fake = createFakeElectron();
  const originalLoad = moduleInternals._load;
  const originalHistory = process.env.HEARTBEAT_HISTORY_DIR;

  afterAll(async () => {
    moduleInternals._load = originalLoad;
    if (originalHistory === undefined) delete process.env.HEARTBEAT_HISTORY_DIR;
    else process.env.HEARTBEAT_HISTORY_DIR = originalHistory;
    if (!fake.app.quitted) fake.app.quit();
  });

  it('main.cjs starts the app: the real UI over app://, the preload beside it, IPC answered', async () => {
    expect(existsSync(MAIN), 'run "npm run build" first').toBe(true);
    process.env.HEARTBEAT_HISTORY_DIR = mkdtempSync(join(tmpdir(), 'hb-bundle-history-'));
    moduleInternals._load = (request, parent, isMain) => (request === 'electron' ? fake.electron : originalLoad(request, parent, isMain));
    createRequire(import.meta.url)(MAIN);
    expect(fake.calls.privileged).toHaveLength(1);
    fake.app.ready();
    await expect.poll(() => fake.windows.length).toBe(1);
    const window = fake.windows[0]!;
    expect(window.loaded).toBe('app://heartbeat/index.html');
    expect(window.options.webPreferences).toMatchObject({
      preload: PRELOAD,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
    });
    const page = await fake.calls.protocolHandlers.get('app')!(new Request('app://heartbeat/index.html'));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(UI_CSP);
    expect(await page.text()).toBe(readFileSync(join(DIST, 'ui', 'index.html'), 'utf8'));
    // Every API method's channel, and the desktop bridge's picked-file reads.
    await expect.poll(() => fake.ipcMain.handlers.size).toBe(API_METHODS.length + 1);
    expect(fake.ipcMain.handlers.has(READ_PICKED_CHANNEL)).toBe(true);
    const contents = window.webContents;
    const info = await fake.ipcMain.invoke({ sender: contents, senderFrame: contents.mainFrame }, 'heartbeat:endpoint.info', {});
    expect(info).toMatchObject({ ok: true, result: { running: true, url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) } });
  });

  it('main.cjs stops the host before it lets the app quit', async () => {
    const { result } = (await fake.ipcMain.invoke(
      { sender: fake.windows[0]!.webContents, senderFrame: fake.windows[0]!.webContents.mainFrame },
      'heartbeat:endpoint.info',
      {},
    )) as { result: { url: string } };
    fake.windows[0]!.close();
    await expect.poll(() => fake.app.quitted).toBe(true);
    await expect(fetch(result.url)).rejects.toThrow();
  });

  it('preload.cjs needs nothing but electron, and exposes the two bridges', () => {
    const exposed = new Map<string, unknown>();
    const required: string[] = [];
    const sandboxRequire = (name: string) => {
      required.push(name);
      if (name !== 'electron') throw new Error(`module not found: ${name}`);
      return {
        contextBridge: { exposeInMainWorld: (key: string, value: unknown) => exposed.set(key, value) },
        ipcRenderer: { invoke: async () => undefined, on: () => undefined, removeListener: () => undefined },
      };
    };
    const module = { exports: {} };
    runInNewContext(readFileSync(PRELOAD, 'utf8'), { require: sandboxRequire, module, exports: module.exports, console });
    expect(required).toEqual(['electron']);
    expect([...exposed.keys()]).toEqual(['heartbeat', 'heartbeatDesktop']);
    expect(Object.keys(exposed.get('heartbeat') as object).sort()).toEqual([
      'cancel',
      'captures',
      'credentials',
      'endpoint',
      'environments',
      'fleet',
      'history',
      'replay',
      'runs',
      'send',
      'settings',
      'subscribe',
    ]);
  });
});
