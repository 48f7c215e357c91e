/**
 * The preload as Electron runs it (with a stand-in `electron` module): what it exposes to the page,
 * and that subscriptions hand the page the payload only, never Electron's event object.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { HeartbeatApi, HostEvent } from '../../src/common/api.ts';
import type { DesktopBridge, MenuCommand } from '../../electron/channels.ts';
import { EVENT_CHANNEL, MENU_CHANNEL, READ_PICKED_CHANNEL } from '../../electron/channels.ts';
import { FakeIpcMain, FakeWebContents, connectRenderer } from './fake-electron.ts';

const exposed = new Map<string, unknown>();
const ipcMain = new FakeIpcMain();
const contents = new FakeWebContents();
const ipcRenderer = connectRenderer(ipcMain, contents);

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => exposed.set(key, value) },
  ipcRenderer,
}));

/** Every key path of an object: nested objects by dotted path, functions as leaves. */
function shape(value: object, prefix = ''): string[] {
  return Object.entries(value)
    .flatMap(([key, v]) => (typeof v === 'function' ? [`${prefix}${key}`] : shape(v as object, `${prefix}${key}.`)))
    .sort();
}

/** The HeartbeatApi's methods by dotted path; the compiler fails this object when the interface changes. */
const HEARTBEAT_API_METHODS: Record<keyof HeartbeatApi, true | Record<string, true>> = {
  send: true,
  cancel: true,
  history: { query: true, get: true, export: true, clear: true, prune: true } satisfies Record<keyof HeartbeatApi['history'], true>,
  replay: true,
  credentials: { profiles: true, registerManualKeys: true, manualKeys: true, forgetManualKeys: true } satisfies Record<
    keyof HeartbeatApi['credentials'],
    true
  >,
  endpoint: {
    info: true,
    setFaults: true,
    reset: true,
    exchange: true,
    fleetReport: true,
    deploymentPlans: true,
    createDeploymentPlan: true,
    cancelDeploymentPlan: true,
  } satisfies Record<keyof HeartbeatApi['endpoint'], true>,
  fleet: { start: true, pause: true, resume: true, stop: true, state: true, devices: true, device: true } satisfies Record<
    keyof HeartbeatApi['fleet'],
    true
  >,
  captures: { open: true, append: true, finish: true, info: true, rows: true, item: true, issues: true, close: true } satisfies Record<
    keyof HeartbeatApi['captures'],
    true
  >,
  runs: { start: true, pause: true, resume: true, cancel: true, state: true, export: true } satisfies Record<
    keyof HeartbeatApi['runs'],
    true
  >,
  environments: { get: true, save: true } satisfies Record<keyof HeartbeatApi['environments'], true>,
  settings: { get: true, update: true } satisfies Record<keyof HeartbeatApi['settings'], true>,
  subscribe: true,
};
const expectedPaths = Object.entries(HEARTBEAT_API_METHODS)
  .flatMap(([key, v]) => (v === true ? [key] : Object.keys(v).map((k) => `${key}.${k}`)))
  .sort();

let heartbeat: HeartbeatApi;
let desktop: DesktopBridge;

beforeAll(async () => {
  await import('../../electron/preload.ts');
  heartbeat = exposed.get('heartbeat') as HeartbeatApi;
  desktop = exposed.get('heartbeatDesktop') as DesktopBridge;
});

describe('preload', () => {
  it('exposes exactly the HeartbeatApi, the menu subscription and picked-file reads, nothing generic', () => {
    expect([...exposed.keys()].sort()).toEqual(['heartbeat', 'heartbeatDesktop']);
    expect(shape(heartbeat)).toEqual(expectedPaths);
    expect(shape(desktop)).toEqual(['onMenuCommand', 'readPickedFile']);
    const everything = [...shape(heartbeat), ...shape(desktop)];
    for (const generic of ['invoke', 'send', 'on', 'once', 'removeListener', 'ipcRenderer', 'postMessage', 'sendSync'])
      expect(everything.filter((p) => p.split('.').pop() === generic && p !== 'send')).toEqual([]);
  });

  it('invokes one channel per method with named arguments, and unwraps outcomes into values or Errors', async () => {
    const seen: unknown[][] = [];
    ipcMain.handle(
      'heartbeat:history.export',
      async (_event, ...args) => (seen.push(args), { ok: true, result: { fileName: 'x.har', mediaType: 'application/json', text: '{}' } }),
    );
    ipcMain.handle('heartbeat:history.get', async () => ({ ok: true, result: null }));
    ipcMain.handle('heartbeat:cancel', async () => ({ ok: false, error: { message: 'Nothing to cancel.' } }));
    ipcMain.handle('heartbeat:endpoint.info', async () => 'not an outcome');
    expect(await heartbeat.history.export({ text: 'cam' }, 'har')).toMatchObject({ fileName: 'x.har' });
    expect(seen).toEqual([[{ query: { text: 'cam' }, format: 'har' }]]);
    expect(await heartbeat.history.get('missing')).toBeUndefined();
    await expect(heartbeat.cancel('x')).rejects.toThrow(new Error('Nothing to cancel.'));
    await expect(heartbeat.endpoint.info()).rejects.toThrow(/does not understand/);
  });

  it('hands subscribers the event payload only, and detaches from IPC when the last one leaves', () => {
    const received: unknown[][] = [];
    const first = heartbeat.subscribe((...args: unknown[]) => received.push(args));
    const second = heartbeat.subscribe((...args: unknown[]) => received.push(args));
    expect(ipcRenderer.listenerCount(EVENT_CHANNEL)).toBe(1);
    const event: HostEvent = {
      type: 'history',
      entry: { id: 'h1', time: '2024-01-01T00:00:00Z', operation: 'SendHeartbeat', status: 'success' },
    };
    contents.send(EVENT_CHANNEL, event);
    expect(ipcRenderer.events.length).toBeGreaterThan(0);
    expect(received).toEqual([[event], [event]]);
    for (const args of received) for (const arg of args) expect(ipcRenderer.events).not.toContain(arg);
    first();
    first();
    expect(ipcRenderer.listenerCount(EVENT_CHANNEL)).toBe(1);
    second();
    expect(ipcRenderer.listenerCount(EVENT_CHANNEL)).toBe(0);
    contents.send(EVENT_CHANNEL, event);
    expect(received).toHaveLength(2);
  });

  it('delivers menu commands the same way, and refuses a subscription without a function', () => {
    const commands: unknown[][] = [];
    const stop = desktop.onMenuCommand((...args: unknown[]) => commands.push(args));
    const command: MenuCommand = { command: 'open', fileName: 'cam.json', text: '{}' };
    contents.send(MENU_CHANNEL, command);
    stop();
    contents.send(MENU_CHANNEL, { command: 'save' });
    expect(commands).toEqual([[command]]);
    expect(() => heartbeat.subscribe('not a function' as never)).toThrow(/function/);
  });

  it('reads a picked file on its own channel with named arguments, bytes or a sentence back', async () => {
    const seen: unknown[][] = [];
    ipcMain.handle(READ_PICKED_CHANNEL, async (_event, ...args) => {
      seen.push(args);
      const { file } = args[0] as { file: string };
      return file === 'known'
        ? { ok: true, result: new Uint8Array([104, 105]) }
        : { ok: false, error: { message: 'That file was not picked.' } };
    });
    expect([...(await desktop.readPickedFile('known', 10, 2))]).toEqual([104, 105]);
    expect(seen).toEqual([[{ file: 'known', offset: 10, length: 2 }]]);
    await expect(desktop.readPickedFile('other', 0, 1)).rejects.toThrow(new Error('That file was not picked.'));
  });
});
