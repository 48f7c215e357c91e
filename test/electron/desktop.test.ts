/**
 * The main process end to end with a stand-in `electron`: what it sets up before and after `ready`, the
 * window it opens, the IPC it answers, the menu, and a clean quit — with the real host services.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { MENU_CHANNEL, READ_PICKED_CHANNEL } from '../../electron/channels.ts';
import { startDesktop, type DesktopApp, type DesktopOptions } from '../../electron/desktop.ts';
import { FOREIGN_SENDER } from '../../electron/ipc.ts';
import { API_METHODS } from '../../src/common/api-args.ts';
import { UI_CSP } from '../../src/node/host/static-files.ts';
import { createFakeElectron, FakeFrame, FakeWebContents, type FakeElectron } from './fake-electron.ts';

const started: DesktopApp[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((app) => app.services.close()));
});

function options(extra: Partial<DesktopOptions> = {}): DesktopOptions {
  const dir = mkdtempSync(join(tmpdir(), 'hb-desktop-'));
  const uiDir = join(dir, 'ui');
  mkdirSync(uiDir);
  writeFileSync(join(uiDir, 'index.html'), '<!doctype html><div id="app"></div>');
  return {
    preloadPath: '/app/dist/electron/preload.cjs',
    uiDir,
    historyDir: join(dir, 'history'),
    endpointPort: 0,
    env: {},
    platform: 'linux',
    ...extra,
  };
}

async function launch(fake: FakeElectron, opts = options()): Promise<DesktopApp> {
  const starting = startDesktop(fake.electron, opts);
  fake.app.ready();
  const app = await starting;
  if (!app) throw new Error('the desktop app did not start');
  started.push(app);
  return app;
}

function menuItem(fake: FakeElectron, path: string[]): MenuItemConstructorOptions {
  let items = (fake.calls.menu as { template: MenuItemConstructorOptions[] }).template;
  let found: MenuItemConstructorOptions | undefined;
  for (const label of path) {
    found = items.find((item) => item.label === label);
    if (!found) throw new Error(`no menu item "${label}" among ${items.map((i) => i.label ?? i.role).join(', ')}`);
    items = (found.submenu ?? []) as MenuItemConstructorOptions[];
  }
  return found!;
}
const click = (item: MenuItemConstructorOptions) => (item.click as () => void)();

describe('desktop main process', () => {
  it('quits at once as a second instance, touching nothing', async () => {
    const fake = createFakeElectron();
    fake.app.gotLock = false;
    expect(await startDesktop(fake.electron, options())).toBeUndefined();
    expect(fake.app.quitCalls).toBe(1);
    expect(fake.calls.privileged).toEqual([]);
    expect(fake.windows).toEqual([]);
  });

  it('registers app:// as privileged and enables the sandbox before ready', async () => {
    const fake = createFakeElectron();
    const starting = startDesktop(fake.electron, options());
    expect(fake.app.sandboxed).toBe(true);
    expect(fake.calls.privileged).toEqual([
      { schemes: [{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }], beforeReady: true },
    ]);
    expect(fake.windows).toEqual([]);
    fake.app.ready();
    started.push((await starting)!);
    expect(fake.windows).toHaveLength(1);
  });

  it('opens one sandboxed, isolated window on app://, with no dev tools outside development', async () => {
    const fake = createFakeElectron();
    await launch(fake);
    expect(fake.windows).toHaveLength(1);
    const [window] = fake.windows;
    expect(window!.options.webPreferences).toEqual({
      preload: '/app/dist/electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      disableBlinkFeatures: 'Auxclick',
      devTools: false,
    });
    expect(window!.loaded).toBe('app://heartbeat/index.html');
    const view = menuItem(fake, ['&View']).submenu as MenuItemConstructorOptions[];
    expect(view.map((i) => i.role)).not.toContain('toggleDevTools');
  });

  it('allows dev tools only in an unpackaged app with HEARTBEAT_DEV=1', async () => {
    const dev = createFakeElectron();
    await launch(dev, options({ env: { HEARTBEAT_DEV: '1' } }));
    expect(dev.windows[0]!.options.webPreferences.devTools).toBe(true);
    expect((menuItem(dev, ['&View']).submenu as MenuItemConstructorOptions[]).map((i) => i.role)).toContain('toggleDevTools');
    const packaged = createFakeElectron();
    packaged.app.isPackaged = true;
    await launch(packaged, options({ env: { HEARTBEAT_DEV: '1' } }));
    expect(packaged.windows[0]!.options.webPreferences.devTools).toBe(false);
  });

  it('hardens the window, the session and the protocol it serves', async () => {
    const fake = createFakeElectron();
    const opts = options();
    await launch(fake, opts);
    const contents = fake.windows[0]!.webContents;
    expect(contents.emitPreventable('will-navigate', 'https://evil.example/')).toBe(true);
    expect(contents.windowOpenHandler?.({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    let granted: boolean | undefined;
    fake.calls.permissionRequest!(contents, 'media', (g) => (granted = g), { requestingUrl: 'app://heartbeat/index.html' });
    expect(granted).toBe(false);
    expect(fake.calls.permissionCheck!(contents, 'geolocation', 'app://heartbeat')).toBe(false);
    expect(fake.calls.beforeRequest?.filter.urls).toContain('https://*/*');
    const page = await fake.calls.protocolHandlers.get('app')!(new Request('app://heartbeat/index.html'));
    expect(page.headers.get('content-security-policy')).toBe(UI_CSP);
    expect(await page.text()).toContain('<div id="app">');
  });

  it('hosts the services with the embedded endpoint on loopback, answering only its window over IPC', async () => {
    const fake = createFakeElectron();
    const app = await launch(fake);
    expect(app.services.endpoint.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    // One channel per API method, and the picked-file reads of the desktop bridge.
    expect([...fake.ipcMain.handlers.keys()].sort()).toEqual([...API_METHODS.map((m) => `heartbeat:${m}`), READ_PICKED_CHANNEL].sort());
    const contents = fake.windows[0]!.webContents;
    const info = (await fake.ipcMain.invoke({ sender: contents, senderFrame: contents.mainFrame }, 'heartbeat:endpoint.info', {})) as {
      ok: boolean;
      result: { url: string };
    };
    expect(info).toMatchObject({ ok: true, result: { url: app.services.endpoint.url } });
    const stranger = new FakeWebContents();
    expect(await fake.ipcMain.invoke({ sender: stranger, senderFrame: stranger.mainFrame }, 'heartbeat:endpoint.info', {})).toEqual({
      ok: false,
      error: { message: FOREIGN_SENDER },
    });
    const frame = new FakeFrame('app://heartbeat/index.html', contents.mainFrame);
    expect(await fake.ipcMain.invoke({ sender: contents, senderFrame: frame }, 'heartbeat:endpoint.info', {})).toMatchObject({ ok: false });
  });

  it('has a menu that opens and saves through the page, and exports the history natively', async () => {
    const fake = createFakeElectron();
    await launch(fake);
    expect((fake.calls.menu as { template: MenuItemConstructorOptions[] }).template.map((m) => m.label)).toEqual([
      '&File',
      '&Edit',
      '&View',
      '&Help',
    ]);
    const contents = fake.windows[0]!.webContents;

    click(menuItem(fake, ['&File', 'Save Request…']));
    expect(contents.sent.at(-1)).toEqual({ channel: MENU_CHANNEL, payload: { command: 'save' } });

    const dir = mkdtempSync(join(tmpdir(), 'hb-menu-'));
    writeFileSync(join(dir, 'cam.json'), '{"DeviceName":"cam-menu"}');
    fake.dialogAnswers.open = { canceled: false, filePaths: [join(dir, 'cam.json')] };
    click(menuItem(fake, ['&File', 'Open Request…']));
    await expect
      .poll(() => contents.sent.at(-1))
      .toEqual({ channel: MENU_CHANNEL, payload: { command: 'open', fileName: 'cam.json', text: '{"DeviceName":"cam-menu"}' } });

    fake.dialogAnswers.open = { canceled: false, filePaths: [join(dir, 'missing.json')] };
    click(menuItem(fake, ['&File', 'Import…']));
    await expect.poll(() => fake.calls.errorBoxes).toEqual(['The file could not be opened: "missing.json" could not be read.']);

    fake.dialogAnswers.save = { canceled: false, filePath: join(dir, 'history.har') };
    click(menuItem(fake, ['&File', 'Export History', 'As HAR…']));
    await expect.poll(() => readFileSync(join(dir, 'history.har'), { encoding: 'utf8', flag: 'a+' })).toContain('"version":"1.2"');

    click(menuItem(fake, ['&Help', 'About Heartbeat Composer']));
    await expect.poll(() => fake.calls.messageBoxes).toHaveLength(1);
  });

  it('opens a file past 16 MiB as pieces the page reads by an id, only from its own page, and only that file', async () => {
    const fake = createFakeElectron();
    await launch(fake);
    const contents = fake.windows[0]!.webContents;
    const dir = mkdtempSync(join(tmpdir(), 'hb-large-'));
    const line = JSON.stringify({ AgentVersion: '1.0', DeviceName: 'cam-é', DeviceFleetName: 'fleet' }) + '\n';
    const text = line.repeat(Math.ceil((17 * 1024 * 1024) / Buffer.byteLength(line)));
    const path = join(dir, 'big.ndjson');
    writeFileSync(path, text);
    const size = Buffer.byteLength(text);
    fake.dialogAnswers.open = { canceled: false, filePaths: [path] };
    click(menuItem(fake, ['&File', 'Open Request…']));
    await expect.poll(() => (contents.sent.at(-1)?.payload as { command?: string } | undefined)?.command).toBe('open-file');
    const command = contents.sent.at(-1)!.payload as { command: 'open-file'; fileName: string; size: number; file: string };
    expect(command).toMatchObject({ fileName: 'big.ndjson', size });
    expect(command.file).toMatch(/^[0-9a-f-]{36}$/);
    expect(command.file).not.toContain(dir);

    const read = (sender: unknown, frame: unknown, named: unknown) =>
      fake.ipcMain.invoke({ sender, senderFrame: frame } as never, READ_PICKED_CHANNEL, named) as Promise<{
        ok: boolean;
        result?: Uint8Array;
        error?: { message: string };
      }>;
    // The whole file, in pieces of at most 4 MiB however many are asked for.
    const pieces: Buffer[] = [];
    for (let offset = 0; ;) {
      const answer = await read(contents, contents.mainFrame, { file: command.file, offset, length: 64 * 1024 * 1024 });
      expect(answer.ok).toBe(true);
      const bytes = answer.result!;
      expect(bytes.byteLength).toBeLessThanOrEqual(4 * 1024 * 1024);
      if (bytes.byteLength === 0) break;
      pieces.push(Buffer.from(bytes));
      offset += bytes.byteLength;
    }
    expect(Buffer.concat(pieces).equals(Buffer.from(text))).toBe(true);

    // Another page, an id never given, a path in place of the id, bad numbers: a sentence each, no bytes.
    const stranger = new FakeWebContents();
    expect(await read(stranger, stranger.mainFrame, { file: command.file, offset: 0, length: 10 })).toEqual({
      ok: false,
      error: { message: FOREIGN_SENDER },
    });
    for (const named of [
      { file: 'f00d', offset: 0, length: 10 },
      { file: path, offset: 0, length: 10 },
    ])
      expect(await read(contents, contents.mainFrame, named)).toEqual({
        ok: false,
        error: { message: 'That file was not picked in this session; open it again from File > Open.' },
      });
    for (const named of [
      { file: command.file, offset: -1, length: 10 },
      { file: command.file, offset: 0, length: 0 },
      { file: command.file, offset: '0', length: 1 },
    ])
      expect(await read(contents, contents.mainFrame, named)).toMatchObject({
        ok: false,
        error: { message: expect.stringMatching(/whole offset/) },
      });

    // Import keeps its limit: an aws command is never that large.
    fake.dialogAnswers.open = { canceled: false, filePaths: [path] };
    click(menuItem(fake, ['&File', 'Import…']));
    await expect.poll(() => fake.calls.errorBoxes.at(-1)).toMatch(/"big\.ndjson" is 17\.\d MiB; a request can be at most 16 MiB\./);
  });

  it('takes path settings over IPC only when picked in a native dialog this session (or the defaults), and shows the history folder without opening it', async () => {
    const fake = createFakeElectron();
    const opts = options();
    const app = await launch(fake, opts);
    const contents = fake.windows[0]!.webContents;
    const update = (patch: Record<string, unknown>) =>
      fake.ipcMain.invoke({ sender: contents, senderFrame: contents.mainFrame }, 'heartbeat:settings.update', { patch }) as Promise<{
        ok: boolean;
        result?: { historyDir: string; caBundle: string };
        error?: { message: string };
      }>;
    const start = app.services.settings();
    expect(start.historyDir).toBe(opts.historyDir);

    // A UNC path (SMB) or any path the page typed: main asks in its own dialog, never showing a network path; cancelling refuses.
    for (const historyDir of ['\\\\attacker.example\\share\\history', '//attacker.example/share/history', '/tmp/typed-by-the-page']) {
      expect(await update({ historyDir }), historyDir).toEqual({
        ok: false,
        error: {
          message: 'The history folder was not changed: the desktop app uses a folder only when it is chosen in its folder dialog.',
        },
      });
    }
    expect(fake.calls.openDialogs.map((d) => [d.properties, d.defaultPath])).toEqual([
      [['openDirectory', 'createDirectory'], undefined],
      [['openDirectory', 'createDirectory'], undefined],
      [['openDirectory', 'createDirectory'], '/tmp/typed-by-the-page'],
    ]);
    expect(await update({ caBundle: '/etc/ssl/private/key.pem' })).toEqual({
      ok: false,
      error: { message: 'The CA bundle was not changed: the desktop app uses a file only when it is chosen in its file dialog.' },
    });
    expect(fake.calls.openDialogs.at(-1)).toMatchObject({ properties: ['openFile'] });
    expect(app.services.settings()).toEqual(start);

    // What the user picks is what is saved; picked once, it is accepted again without asking.
    const chosen = mkdtempSync(join(tmpdir(), 'hb-picked-history-'));
    fake.dialogAnswers.open = { canceled: false, filePaths: [chosen] };
    expect(await update({ historyDir: '/tmp/typed-by-the-page' })).toMatchObject({ ok: true, result: { historyDir: chosen } });
    const dialogs = fake.calls.openDialogs.length;
    fake.dialogAnswers.open = undefined;
    expect(await update({ historyDir: chosen })).toMatchObject({ ok: true, result: { historyDir: chosen } });
    // The folder the app started with, no CA bundle, and fields that are no paths: no dialog.
    expect(await update({ historyDir: start.historyDir, caBundle: '', maxAttempts: 2 })).toMatchObject({
      ok: true,
      result: { historyDir: start.historyDir, caBundle: '' },
    });
    expect(fake.calls.openDialogs).toHaveLength(dialogs);

    click(menuItem(fake, ['&File', 'Show History Folder']));
    expect(fake.calls.shownItems).toEqual([start.historyDir]);
    expect(fake.calls.openedPaths).toEqual([]);
  });

  it("opens the app's documentation links in the browser at once, and other links only after a native confirmation", async () => {
    const fake = createFakeElectron();
    await launch(fake);
    const contents = fake.windows[0]!.webContents;
    const doc = 'https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_edge_SendHeartbeat.html';
    expect(contents.windowOpenHandler?.({ url: doc })).toEqual({ action: 'deny' });
    await expect.poll(() => fake.calls.opened).toEqual([doc]);
    expect(fake.calls.messageBoxes).toEqual([]);

    fake.dialogAnswers.messageBox = 0; // Cancel
    contents.windowOpenHandler?.({ url: 'https://attacker.example/login' });
    await expect.poll(() => fake.calls.messageBoxes).toHaveLength(1);
    expect(fake.calls.messageBoxes[0]).toMatchObject({
      type: 'question',
      buttons: ['Cancel', 'Open in Browser'],
      defaultId: 0,
      cancelId: 0,
      detail: expect.stringContaining('https://attacker.example/login'),
    });
    await new Promise((r) => setTimeout(r, 10));
    expect(fake.calls.opened).toEqual([doc]);

    fake.dialogAnswers.messageBox = 1; // Open in Browser
    contents.windowOpenHandler?.({ url: 'https://example.org/page' });
    await expect.poll(() => fake.calls.opened).toEqual([doc, 'https://example.org/page']);
  });

  it('denies devices and frame navigation in the session and window it sets up', async () => {
    const fake = createFakeElectron();
    await launch(fake);
    expect(fake.calls.devicePermission?.({ deviceType: 'usb', origin: 'app://heartbeat' })).toBe(false);
    for (const event of ['select-hid-device', 'select-serial-port', 'select-usb-device'])
      expect(fake.calls.sessionEvents.listenerCount(event), event).toBe(1);
    const contents = fake.windows[0]!.webContents;
    let prevented = false;
    contents.emit('will-frame-navigate', { url: 'https://evil.example/', isMainFrame: false, preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
    expect(contents.emitPreventable('select-bluetooth-device', [], () => undefined)).toBe(true);
  });

  it('remembers the window bounds, and quits by stopping the services first', async () => {
    const fake = createFakeElectron();
    const app = await launch(fake);
    const window = fake.windows[0]!;
    window.close();
    expect(JSON.parse(readFileSync(join(fake.electron.app.getPath('userData'), 'window-state.json'), 'utf8'))).toEqual({
      x: 100,
      y: 80,
      width: 1400,
      height: 900,
      maximized: false,
    });
    expect(app.window()).toBeUndefined();
    await expect.poll(() => fake.app.quitted).toBe(true);
    await expect(fetch(app.services.endpoint.url)).rejects.toThrow();
    started.splice(started.indexOf(app), 1);

    const again = createFakeElectron(fake.electron.app.getPath('userData'));
    await launch(again);
    expect(again.windows[0]!.options).toMatchObject({ x: 100, y: 80, width: 1400, height: 900 });
  });
});
