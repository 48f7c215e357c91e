/**
 * The preload of the app window (sandboxed, context-isolated): exposes exactly the HeartbeatApi as
 * `window.heartbeat` and the desktop bridge as `window.heartbeatDesktop`. No generic invoke, send or
 * on reaches the page. Bundled into one CommonJS file, since a sandboxed preload can only require
 * `electron`'s renderer modules.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createApiBridge, createDesktopBridge } from './bridge.ts';

contextBridge.exposeInMainWorld('heartbeat', createApiBridge(ipcRenderer));
contextBridge.exposeInMainWorld('heartbeatDesktop', createDesktopBridge(ipcRenderer));
