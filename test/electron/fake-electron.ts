/**
 * A stand-in for the parts of Electron the desktop shell uses, for tests on machines without the
 * binary. IPC behaves as Electron's does where it matters here: arguments and answers are structured-
 * cloned, a handler is registered once per channel, a missing handler rejects, and listeners get an
 * event object first (which the bridge must not pass on).
 */
import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DesktopElectron } from '../../electron/desktop.ts';
import { APP_ENTRY_URL } from '../../electron/origin.ts';

type Listener = (...args: unknown[]) => void;

export class FakeFrame {
  constructor(
    public url: string,
    public parent: FakeFrame | null = null,
  ) {}
}

export class FakeWebContents extends EventEmitter {
  readonly mainFrame: FakeFrame;
  readonly sent: { channel: string; payload: unknown }[] = [];
  windowOpenHandler?: (details: { url: string }) => { action: string };
  destroyed = false;
  /** Where `send` delivers, like the renderer process of this webContents. */
  renderer?: FakeIpcRenderer;

  constructor(url = APP_ENTRY_URL) {
    super();
    this.mainFrame = new FakeFrame(url);
  }
  getURL(): string {
    return this.mainFrame.url;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  send(channel: string, payload: unknown): void {
    const copy = structuredClone(payload);
    this.sent.push({ channel, payload: copy });
    this.renderer?.deliver(channel, copy);
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
  /** Emits an event the way Electron does for will-navigate & co.; true when a listener prevented it. */
  emitPreventable(name: string, ...args: unknown[]): boolean {
    let prevented = false;
    this.emit(name, { preventDefault: () => (prevented = true) }, ...args);
    return prevented;
  }
}

export interface SenderEventLike {
  sender: unknown;
  senderFrame: FakeFrame | null;
}

export class FakeIpcMain {
  readonly handlers = new Map<string, (event: SenderEventLike, ...args: unknown[]) => unknown>();
  /** Every answer any handler gave, as the renderer received it. */
  readonly answers: unknown[] = [];

  handle(channel: string, listener: (event: SenderEventLike, ...args: unknown[]) => unknown): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  async invoke(event: SenderEventLike, channel: string, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`Error invoking remote method '${channel}': No handler registered for '${channel}'`);
    const answer = structuredClone(await handler(event, ...structuredClone(args)));
    this.answers.push(answer);
    return answer;
  }
}

export class FakeIpcRenderer {
  readonly listeners = new Map<string, Set<Listener>>();
  /** The event objects handed to listeners: the page must never see one. */
  readonly events: object[] = [];

  constructor(
    private readonly main: FakeIpcMain,
    private readonly from: () => SenderEventLike,
  ) {}

  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    return this.main.invoke(this.from(), channel, ...args);
  }
  on(channel: string, listener: Listener): this {
    if (!this.listeners.has(channel)) this.listeners.set(channel, new Set());
    this.listeners.get(channel)!.add(listener);
    return this;
  }
  removeListener(channel: string, listener: Listener): this {
    this.listeners.get(channel)?.delete(listener);
    return this;
  }
  listenerCount(channel: string): number {
    return this.listeners.get(channel)?.size ?? 0;
  }
  deliver(channel: string, payload: unknown): void {
    const event = { sender: this, senderId: 0, ports: [] };
    this.events.push(event);
    for (const listener of this.listeners.get(channel) ?? []) listener(event, payload);
  }
}

/** An IPC pair for one webContents: the renderer side invokes from that page's main frame. */
export function connectRenderer(main: FakeIpcMain, contents: FakeWebContents): FakeIpcRenderer {
  const renderer = new FakeIpcRenderer(main, () => ({ sender: contents, senderFrame: contents.mainFrame }));
  contents.renderer = renderer;
  return renderer;
}

/** safeStorage with a reversible, visibly non-plain "encryption". */
export class FakeSafeStorage {
  available = true;
  backend = 'gnome_libsecret';
  isEncryptionAvailable(): boolean {
    return this.available;
  }
  getSelectedStorageBackend(): string {
    return this.backend;
  }
  encryptString(text: string): Buffer {
    return Buffer.concat([Buffer.from('FAKE-ENC:'), Buffer.from(text, 'utf8').map((b) => b ^ 0x5a)]);
  }
  decryptString(blob: Buffer): string {
    if (!blob.subarray(0, 9).equals(Buffer.from('FAKE-ENC:')))
      throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    return Buffer.from(blob.subarray(9).map((b) => b ^ 0x5a)).toString('utf8');
  }
}

export interface FakeElectron {
  electron: DesktopElectron;
  app: FakeApp;
  windows: FakeWindow[];
  ipcMain: FakeIpcMain;
  safeStorage: FakeSafeStorage;
  calls: {
    privileged: { schemes: unknown; beforeReady: boolean }[];
    protocolHandlers: Map<string, (request: Request) => Promise<Response>>;
    permissionRequest?: (
      contents: unknown,
      permission: string,
      callback: (granted: boolean) => void,
      details: { requestingUrl?: string },
    ) => void;
    permissionCheck?: (contents: unknown, permission: string, origin: string) => boolean;
    beforeRequest?: {
      filter: { urls: string[] };
      listener: (details: { url: string }, callback: (r: { cancel: boolean }) => void) => void;
    };
    devicePermission?: (details: unknown) => boolean;
    /** The session's event listeners (select-hid-device …). */
    sessionEvents: EventEmitter;
    menu?: unknown;
    opened: string[];
    openedPaths: string[];
    /** shell.showItemInFolder calls. */
    shownItems: string[];
    /** The options of every native open dialog shown. */
    openDialogs: Record<string, unknown>[];
    errorBoxes: string[];
    messageBoxes: unknown[];
  };
  dialogAnswers: {
    open?: { canceled: boolean; filePaths: string[] };
    save?: { canceled: boolean; filePath?: string };
    /** The button index showMessageBox answers (default 0). */ messageBox?: number;
  };
}

export type FakeApp = EventEmitter & {
  isPackaged: boolean;
  gotLock: boolean;
  quitCalls: number;
  sandboxed: boolean;
  isReady: boolean;
  ready(): void;
  quit(): void;
  quitted: boolean;
};

export type FakeWindow = EventEmitter & {
  options: Record<string, unknown> & { webPreferences: Record<string, unknown> };
  webContents: FakeWebContents;
  loaded?: string;
  maximized: boolean;
  isDestroyed(): boolean;
  close(): void;
};

export function createFakeElectron(userData = mkdtempSync(join(tmpdir(), 'hb-electron-userdata-'))): FakeElectron {
  const windows: FakeWindow[] = [];
  const ipcMain = new FakeIpcMain();
  const safeStorage = new FakeSafeStorage();
  const dialogAnswers: FakeElectron['dialogAnswers'] = {};
  const calls: FakeElectron['calls'] = {
    privileged: [],
    protocolHandlers: new Map(),
    sessionEvents: new EventEmitter(),
    opened: [],
    openedPaths: [],
    shownItems: [],
    openDialogs: [],
    errorBoxes: [],
    messageBoxes: [],
  };
  let readyNow: () => void = () => undefined;
  const whenReady = new Promise<void>((resolve) => (readyNow = resolve));

  const app = Object.assign(new EventEmitter(), {
    isPackaged: false,
    gotLock: true,
    quitCalls: 0,
    sandboxed: false,
    isReady: false,
    quitted: false,
    ready() {
      app.isReady = true;
      readyNow();
    },
    requestSingleInstanceLock: () => app.gotLock,
    enableSandbox: () => void (app.sandboxed = true),
    whenReady: () => whenReady,
    getPath: (name: string) => (name === 'userData' ? userData : join(userData, name)),
    getVersion: () => '0.1.0',
    quit() {
      app.quitCalls++;
      let prevented = false;
      app.emit('will-quit', { preventDefault: () => (prevented = true) });
      if (!prevented) app.quitted = true;
    },
  }) as unknown as FakeApp;

  class BrowserWindow extends EventEmitter {
    readonly webContents = new FakeWebContents('about:blank');
    loaded?: string;
    maximized = false;
    private destroyed = false;
    constructor(readonly options: FakeWindow['options']) {
      super();
      windows.push(this as unknown as FakeWindow);
      app.emit('web-contents-created', {}, this.webContents);
    }
    loadURL(url: string): Promise<void> {
      this.loaded = url;
      this.webContents.mainFrame.url = url;
      return Promise.resolve();
    }
    maximize(): void {
      this.maximized = true;
    }
    isMaximized(): boolean {
      return this.maximized;
    }
    isMinimized(): boolean {
      return false;
    }
    show(): void {}
    restore(): void {}
    focus(): void {}
    getNormalBounds() {
      const o = this.options as unknown as { x?: number; y?: number; width: number; height: number };
      return { x: o.x ?? 100, y: o.y ?? 80, width: o.width, height: o.height };
    }
    isDestroyed(): boolean {
      return this.destroyed;
    }
    close(): void {
      this.emit('close');
      this.destroyed = true;
      this.webContents.destroyed = true;
      this.emit('closed');
      if (windows.every((w) => w.isDestroyed())) app.emit('window-all-closed');
    }
  }

  const electron = {
    app,
    BrowserWindow,
    ipcMain,
    safeStorage,
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown) => calls.privileged.push({ schemes, beforeReady: !app.isReady }),
      handle: (scheme: string, handler: (request: Request) => Promise<Response>) => calls.protocolHandlers.set(scheme, handler),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (h: FakeElectron['calls']['permissionRequest']) => (calls.permissionRequest = h),
        setPermissionCheckHandler: (h: FakeElectron['calls']['permissionCheck']) => (calls.permissionCheck = h),
        setDevicePermissionHandler: (h: FakeElectron['calls']['devicePermission']) => (calls.devicePermission = h),
        on: (event: string, listener: Listener) => calls.sessionEvents.on(event, listener),
        webRequest: {
          onBeforeRequest: (filter: { urls: string[] }, listener: NonNullable<FakeElectron['calls']['beforeRequest']>['listener']) =>
            (calls.beforeRequest = { filter, listener }),
        },
      },
    },
    shell: {
      openExternal: async (url: string) => void calls.opened.push(url),
      openPath: async (path: string) => (calls.openedPaths.push(path), ''),
      showItemInFolder: (path: string) => void calls.shownItems.push(path),
    },
    dialog: {
      showOpenDialog: async (...args: unknown[]) => (
        calls.openDialogs.push(args.at(-1) as Record<string, unknown>),
        dialogAnswers.open ?? { canceled: true, filePaths: [] }
      ),
      showSaveDialog: async () => dialogAnswers.save ?? { canceled: true },
      showErrorBox: (title: string, content: string) => void calls.errorBoxes.push(`${title}: ${content}`),
      showMessageBox: async (...args: unknown[]) => (calls.messageBoxes.push(args.at(-1)), { response: dialogAnswers.messageBox ?? 0 }),
    },
    Menu: {
      buildFromTemplate: (template: unknown) => ({ template }),
      setApplicationMenu: (menu: unknown) => void (calls.menu = menu),
    },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
  };
  return { electron: electron as unknown as DesktopElectron, app, windows, ipcMain, safeStorage, calls, dialogAnswers };
}
