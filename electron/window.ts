/**
 * The app window: sandboxed, context-isolated, no Node in the page or its workers, web security on,
 * dev tools only in development; it shows our page from app:// once that is ready to paint.
 */
import type { BrowserWindow, BrowserWindowConstructorOptions } from 'electron';
import { APP_ENTRY_URL } from './origin.ts';
import { MIN_SIZE, type WindowState } from './window-state.ts';

export interface MainWindowOptions {
  /** Electron's BrowserWindow class (a stand-in in tests). */
  BrowserWindow: new (options: BrowserWindowConstructorOptions) => BrowserWindow;
  /** The bundled preload (dist/electron/preload.cjs). */
  preloadPath: string;
  devTools: boolean;
  state: WindowState;
}

export function createMainWindow({ BrowserWindow, preloadPath, devTools, state }: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}),
    width: state.width,
    height: state.height,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    title: 'Heartbeat Composer',
    show: false,
    webPreferences: {
      preload: preloadPath,
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
      devTools,
    },
  });
  if (state.maximized) window.maximize();
  window.once('ready-to-show', () => window.show());
  window.loadURL(APP_ENTRY_URL).catch((error: unknown) => console.error(`heartbeat: the app page did not load: ${String(error)}`));
  return window;
}
