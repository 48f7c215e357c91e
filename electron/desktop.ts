/**
 * The desktop app's main process, given Electron's modules (a stand-in in tests): one instance, the
 * app:// protocol, a hardened session and window, the same host services as browser mode (the embedded
 * endpoint on a loopback port, manual keys encrypted with safeStorage), the IPC handlers and the menu.
 * Quitting stops the services first.
 */
import { createServer as createNetServer } from 'node:net';
import { join } from 'node:path';
import type * as Electron from 'electron';
import type { BrowserWindow, OpenDialogOptions } from 'electron';
import { historyDir as defaultHistoryDir } from '../src/node/history/paths.ts';
import { sentenceOf } from '../src/node/host/host-error.ts';
import { startHostServices, type HostOptions, type HostServices } from '../src/node/host/services.ts';
import { MENU_CHANNEL, READ_PICKED_CHANNEL, type MenuCommand } from './channels.ts';
import { exportHistoryToFile, PickedFiles, pickFile } from './file-dialogs.ts';
import { forwardHostEvents, handleChecked, namedArguments, registerApiHandlers, sendToAppPage } from './ipc.ts';
import { createSafeKeyStore } from './key-store.ts';
import { menuTemplate, type MenuActions } from './menu.ts';
import { APP_SCHEME } from './origin.ts';
import { APP_SCHEME_PRIVILEGES, createAppProtocolHandler } from './protocol.ts';
import { hardenContents, hardenSession, type ConfirmExternal } from './security.ts';
import { PickedPaths, type PickPath } from './settings-paths.ts';
import { createMainWindow } from './window.ts';
import { readWindowState, rememberWindowState } from './window-state.ts';

export type DesktopElectron = Pick<
  typeof Electron,
  'app' | 'BrowserWindow' | 'dialog' | 'ipcMain' | 'Menu' | 'protocol' | 'safeStorage' | 'screen' | 'session' | 'shell'
>;

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
  const shown: Shown = {};
  const confirm = confirmExternal(electron.dialog, shown);
  app.on('web-contents-created', (_event, contents) => hardenContents(contents, electron.shell, confirm));
  return app.whenReady().then(() => whenReady(electron, options, shown));
}

/** The app window while there is one (the parent of main's dialogs). */
interface Shown {
  window?: BrowserWindow;
}

const parentOf = (shown: Shown): BrowserWindow | undefined => (shown.window && !shown.window.isDestroyed() ? shown.window : undefined);

/** A link that is not the app's documentation opens only when the user says so in a native dialog. */
function confirmExternal(dialog: DesktopElectron['dialog'], shown: Shown): ConfirmExternal {
  return async (url) => {
    const box = {
      type: 'question' as const,
      buttons: ['Cancel', 'Open in Browser'],
      defaultId: 0,
      cancelId: 0,
      noLink: true,
      title: 'Open a link',
      message: 'Open this link in your web browser?',
      detail: `${url}\n\nIt is not one of Heartbeat Composer's documentation links.`,
    };
    const parent = parentOf(shown);
    const { response } = await (parent ? dialog.showMessageBox(parent, box) : dialog.showMessageBox(box));
    return response === 1;
  };
}

/** The native dialog for a path setting: a folder for the history, a PEM file for the CA bundle. */
function pickPathNatively(dialog: DesktopElectron['dialog'], shown: Shown): PickPath {
  return async (setting, startAt) => {
    const options: OpenDialogOptions =
      setting === 'historyDir'
        ? {
            title: 'Choose the history folder',
            properties: ['openDirectory', 'createDirectory'],
            ...(startAt ? { defaultPath: startAt } : {}),
          }
        : {
            title: 'Choose the CA bundle',
            properties: ['openFile'],
            filters: [
              { name: 'PEM certificates', extensions: ['pem', 'crt', 'cer'] },
              { name: 'All files', extensions: ['*'] },
            ],
            ...(startAt ? { defaultPath: startAt } : {}),
          };
    const parent = parentOf(shown);
    const picked = await (parent ? dialog.showOpenDialog(parent, options) : dialog.showOpenDialog(options));
    return picked.canceled ? undefined : picked.filePaths[0];
  };
}

/** True when nothing listens on 127.0.0.1:port (a listener is opened there and closed at once). */
function loopbackPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createNetServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/**
 * The host services with the endpoint on the preferred port, or on a free one when it is taken (said on
 * the log). The port is checked first, so the services (which open the history before the endpoint) are
 * not started twice; a port taken between the check and the start falls back too.
 */
async function startServices(options: DesktopOptions, base: HostOptions): Promise<HostServices> {
  const port = options.endpointPort ?? DEFAULT_ENDPOINT_PORT;
  const withDir = { ...base, ...(options.historyDir ? { historyDir: options.historyDir } : {}) };
  const onFreePort = async (): Promise<HostServices> => {
    const services = await startHostServices({ ...withDir, endpoint: { port: 0 } });
    const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
    log(`heartbeat: port ${port} is taken; the embedded endpoint uses ${services.endpoint.url} instead.`);
    return services;
  };
  if (port !== 0 && !(await loopbackPortFree(port))) return onFreePort();
  try {
    return await startHostServices({ ...withDir, endpoint: { port } });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || port === 0) throw error;
    return onFreePort();
  }
}

async function whenReady(electron: DesktopElectron, options: DesktopOptions, shown: Shown): Promise<DesktopApp | undefined> {
  const { app, dialog } = electron;
  const platform = options.platform ?? process.platform;
  const devTools = !app.isPackaged && options.env?.HEARTBEAT_DEV === '1';
  const userData = app.getPath('userData');

  hardenSession(electron.session.defaultSession);
  electron.protocol.handle(APP_SCHEME, createAppProtocolHandler(options.uiDir));

  let services: HostServices;
  try {
    services = await startServices(options, {
      manualKeyStore: createSafeKeyStore(electron.safeStorage, join(userData, 'manual-keys.bin')),
    });
  } catch (error) {
    dialog.showErrorBox('Heartbeat Composer could not start', sentenceOf(error));
    app.quit();
    return undefined;
  }

  let window: BrowserWindow | undefined;
  const page = () => (window && !window.isDestroyed() ? window.webContents : undefined);
  // Path settings over IPC: only the defaults, the values at launch, and what the user picks natively.
  const launched = services.settings();
  const picked = new PickedPaths({
    historyDir: [launched.historyDir, options.historyDir, defaultHistoryDir(options.env ?? process.env)],
    caBundle: [launched.caBundle],
  });
  const pickPath = pickPathNatively(dialog, shown);
  registerApiHandlers(electron.ipcMain, services.api, page, {
    'settings.update': async (named) => ({ ...named, patch: await picked.check(named.patch as Record<string, unknown>, pickPath) }),
  });
  forwardHostEvents(services.api, page);
  // Files past 16 MiB picked in File > Open: the page reads them in pieces, by the id it was given.
  const largeFiles = new PickedFiles();
  handleChecked(electron.ipcMain, READ_PICKED_CHANNEL, page, (args) => largeFiles.read(namedArguments(args)));

  const stateFile = join(userData, 'window-state.json');
  const openWindow = (): void => {
    const state = readWindowState(
      stateFile,
      electron.screen.getAllDisplays().map((display) => display.workArea),
    );
    const opened = createMainWindow({ BrowserWindow: electron.BrowserWindow, preloadPath: options.preloadPath, devTools, state });
    rememberWindowState(opened, stateFile);
    opened.on('closed', () => {
      if (window === opened) window = shown.window = undefined;
    });
    window = shown.window = opened;
  };
  openWindow();

  const actions = menuActions(electron, services, () => window, largeFiles);
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

function menuActions(
  electron: DesktopElectron,
  services: HostServices,
  window: () => BrowserWindow | undefined,
  largeFiles: PickedFiles,
): MenuActions {
  const { app, dialog, shell } = electron;
  const send = (command: MenuCommand): void => void sendToAppPage(window()?.webContents, MENU_CHANNEL, command);
  const failed = (title: string) => (error: unknown) => dialog.showErrorBox(title, sentenceOf(error));
  const pick = (command: 'open' | 'import'): void => {
    const current = window();
    if (current)
      pickFile(dialog, current, command, largeFiles).then((picked) => picked && send(picked), failed('The file could not be opened'));
  };
  return {
    open: () => pick('open'),
    import: () => pick('import'),
    save: () => send({ command: 'save' }),
    presenter: () => send({ command: 'presenter' }),
    exportHistory(format) {
      const current = window();
      if (current) exportHistoryToFile(dialog, current, services.api, format).catch(failed('The history could not be exported'));
    },
    // Shown in the file manager, never opened (openPath would run whatever the path names).
    openHistoryFolder: () => shell.showItemInFolder(services.settings().historyDir),
    about() {
      const detail = [
        `Version ${app.getVersion()}, Electron ${process.versions.electron ?? '?'}`,
        `Embedded endpoint: ${services.endpoint.url}`,
        `History: ${services.settings().historyDir}`,
      ].join('\n');
      const box = { type: 'info' as const, title: 'About Heartbeat Composer', message: 'Heartbeat Composer', detail };
      const current = window();
      void (current ? dialog.showMessageBox(current, box) : dialog.showMessageBox(box));
    },
  };
}
