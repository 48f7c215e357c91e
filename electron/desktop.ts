/**
 * The desktop app's main process, given Electron's modules (a stand-in in tests): one instance, the
 * app:// protocol, a hardened session and window, the same host services as browser mode (the embedded
 * endpoint on a loopback port, manual keys encrypted with safeStorage), the IPC handlers and the menu.
 * Quitting stops the services first.
 */
import { join } from 'node:path';
import type * as Electron from 'electron';
import type { BrowserWindow } from 'electron';
import { sentenceOf } from '../src/node/host/host-error.ts';
import { startHostServices, type HostOptions, type HostServices } from '../src/node/host/services.ts';
import { MENU_CHANNEL, type MenuCommand } from './channels.ts';
import { exportHistoryToFile, pickFile } from './file-dialogs.ts';
import { forwardHostEvents, registerApiHandlers, sendToAppPage } from './ipc.ts';
import { createSafeKeyStore } from './key-store.ts';
import { menuTemplate, type MenuActions } from './menu.ts';
import { APP_SCHEME } from './origin.ts';
import { APP_SCHEME_PRIVILEGES, createAppProtocolHandler } from './protocol.ts';
import { hardenContents, hardenSession } from './security.ts';
import { createMainWindow } from './window.ts';
import { readWindowState, rememberWindowState } from './window-state.ts';

export type DesktopElectron = Pick<typeof Electron, 'app' | 'BrowserWindow' | 'dialog' | 'ipcMain' | 'Menu' | 'protocol' | 'safeStorage' | 'screen' | 'session' | 'shell'>;

export interface DesktopOptions {
  /** The bundled preload (dist/electron/preload.cjs). */
  preloadPath: string;
  /** The built renderer (dist/ui). */
  uiDir: string;
  /** Default: the CLI's history folder ($HEARTBEAT_HISTORY_DIR or the user data folder), shared with it. */
  historyDir?: string;
  /** Preferred port of the embedded endpoint (default 8787, as `heartbeat ui`); a free one when taken. */
  endpointPort?: number;
  /** HEARTBEAT_DEV=1 turns dev tools on in an unpackaged app. */
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  /** Where start-up notes go (the endpoint moved to another port); default stderr. */
  log?: (line: string) => void;
}

export interface DesktopApp {
  services: HostServices;
  window(): BrowserWindow | undefined;
}

const DEFAULT_ENDPOINT_PORT = 8787;

/** Call at once, before `ready`: the scheme's privileges can be registered only then. */
export function startDesktop(electron: DesktopElectron, options: DesktopOptions): Promise<DesktopApp | undefined> {
  const { app } = electron;
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return Promise.resolve(undefined);
  }
  app.enableSandbox();
  electron.protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
  app.on('web-contents-created', (_event, contents) => hardenContents(contents, electron.shell));
  return app.whenReady().then(() => whenReady(electron, options));
}

async function startServices(options: DesktopOptions, base: HostOptions): Promise<HostServices> {
  const port = options.endpointPort ?? DEFAULT_ENDPOINT_PORT;
  const withDir = { ...base, ...(options.historyDir ? { historyDir: options.historyDir } : {}) };
  try {
    return await startHostServices({ ...withDir, endpoint: { port } });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || port === 0) throw error;
    const services = await startHostServices({ ...withDir, endpoint: { port: 0 } });
    const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
    log(`heartbeat: port ${port} is taken; the embedded endpoint uses ${services.endpoint.url} instead.`);
    return services;
  }
}

async function whenReady(electron: DesktopElectron, options: DesktopOptions): Promise<DesktopApp | undefined> {
  const { app, dialog } = electron;
  const platform = options.platform ?? process.platform;
  const devTools = !app.isPackaged && options.env?.HEARTBEAT_DEV === '1';
  const userData = app.getPath('userData');

  hardenSession(electron.session.defaultSession);
  electron.protocol.handle(APP_SCHEME, createAppProtocolHandler(options.uiDir));

  let services: HostServices;
  try {
    services = await startServices(options, { manualKeyStore: createSafeKeyStore(electron.safeStorage, join(userData, 'manual-keys.bin')) });
  } catch (error) {
    dialog.showErrorBox('Heartbeat Composer could not start', sentenceOf(error));
    app.quit();
    return undefined;
  }

  let window: BrowserWindow | undefined;
  const page = () => (window && !window.isDestroyed() ? window.webContents : undefined);
  registerApiHandlers(electron.ipcMain, services.api, page);
  forwardHostEvents(services.api, page);

  const stateFile = join(userData, 'window-state.json');
  const openWindow = (): void => {
    const state = readWindowState(stateFile, electron.screen.getAllDisplays().map((display) => display.workArea));
    const opened = createMainWindow({ BrowserWindow: electron.BrowserWindow, preloadPath: options.preloadPath, devTools, state });
    rememberWindowState(opened, stateFile);
    opened.on('closed', () => {
      if (window === opened) window = undefined;
    });
    window = opened;
  };
  openWindow();

  const actions = menuActions(electron, services, () => window);
  electron.Menu.setApplicationMenu(electron.Menu.buildFromTemplate(menuTemplate(actions, { mac: platform === 'darwin', devTools })));

  app.on('second-instance', () => {
    if (!window) return openWindow();
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('activate', () => {
    if (!window) openWindow();
  });
  app.on('window-all-closed', () => {
    if (platform !== 'darwin') app.quit();
  });
  let stopping: Promise<void> | undefined;
  app.on('will-quit', (event) => {
    if (stopping) return;
    event.preventDefault();
    stopping = services
      .close()
      .catch(() => undefined)
      .then(() => app.quit());
  });
  return { services, window: () => window };
}

function menuActions(electron: DesktopElectron, services: HostServices, window: () => BrowserWindow | undefined): MenuActions {
  const { app, dialog, shell } = electron;
  const send = (command: MenuCommand): void => void sendToAppPage(window()?.webContents, MENU_CHANNEL, command);
  const failed = (title: string) => (error: unknown) => dialog.showErrorBox(title, sentenceOf(error));
  const pick = (command: 'open' | 'import'): void => {
    const current = window();
    if (current) pickFile(dialog, current, command).then((picked) => picked && send(picked), failed('The file could not be opened'));
  };
  return {
    open: () => pick('open'),
    import: () => pick('import'),
    save: () => send({ command: 'save' }),
    exportHistory(format) {
      const current = window();
      if (current) exportHistoryToFile(dialog, current, services.api, format).catch(failed('The history could not be exported'));
    },
    openHistoryFolder: () => void shell.openPath(services.settings().historyDir),
    about() {
      const detail = [`Version ${app.getVersion()}, Electron ${process.versions.electron ?? '?'}`, `Embedded endpoint: ${services.endpoint.url}`, `History: ${services.settings().historyDir}`].join('\n');
      const box = { type: 'info' as const, title: 'About Heartbeat Composer', message: 'Heartbeat Composer', detail };
      const current = window();
      void (current ? dialog.showMessageBox(current, box) : dialog.showMessageBox(box));
    },
  };
}
