/**
 * What the preload hands the page: a HeartbeatApi whose every method is one `invoke` on its own
 * channel, and the desktop bridge. Failures arrive as typed outcomes and become rejected Errors with
 * the host's sentence. Subscribers receive the payload only, never Electron's event object (which
 * would give the page `sender`, and with it a way back into IPC).
 */
import type { HeartbeatApi, HostEvent } from '../src/common/api.ts';
import { apiClient, type ApiMethod } from '../src/common/api-args.ts';
import {
  channelOf,
  EVENT_CHANNEL,
  MENU_CHANNEL,
  READ_PICKED_CHANNEL,
  type DesktopBridge,
  type IpcOutcome,
  type MenuCommand,
} from './channels.ts';

type IpcListener = (event: unknown, ...args: unknown[]) => void;

/** The part of Electron's ipcRenderer the bridge uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: IpcListener): unknown;
  removeListener(channel: string, listener: IpcListener): unknown;
}

function unwrap<T>(outcome: unknown): T {
  const o = outcome as IpcOutcome<T> | null;
  if (o && typeof o === 'object' && o.ok === true) return o.result;
  if (o && typeof o === 'object' && o.ok === false && typeof o.error?.message === 'string') throw new Error(o.error.message);
  throw new Error('The app host gave an answer this window does not understand; restart the app.');
}

/** Listeners of one channel behind a single ipcRenderer listener, attached while anyone listens. */
function topic<T>(ipc: IpcRendererLike, channel: string): (listener: (payload: T) => void) => () => void {
  const listeners = new Set<(payload: T) => void>();
  const relay: IpcListener = (_event, payload) => {
    for (const listener of [...listeners]) {
      try {
        listener(payload as T);
      } catch (error) {
        console.error(error);
      }
    }
  };
  return (listener) => {
    if (typeof listener !== 'function') throw new TypeError('Subscribe with a function.');
    // A wrapper per subscription, so subscribing the same function twice unsubscribes each on its own.
    const entry = (payload: T): void => listener(payload);
    if (listeners.size === 0) ipc.on(channel, relay);
    listeners.add(entry);
    return () => {
      if (listeners.delete(entry) && listeners.size === 0) ipc.removeListener(channel, relay);
    };
  };
}

export function createApiBridge(ipc: IpcRendererLike): HeartbeatApi {
  const call = <T>(method: ApiMethod, args: Record<string, unknown>): Promise<T> =>
    ipc.invoke(channelOf(method), args).then((outcome) => unwrap<T>(outcome));
  return apiClient(call, topic<HostEvent>(ipc, EVENT_CHANNEL));
}

export function createDesktopBridge(ipc: IpcRendererLike): DesktopBridge {
  return {
    onMenuCommand: topic<MenuCommand>(ipc, MENU_CHANNEL),
    readPickedFile: (file, offset, length) =>
      ipc.invoke(READ_PICKED_CHANNEL, { file, offset, length }).then((outcome) => unwrap<Uint8Array<ArrayBuffer>>(outcome)),
  };
}
