/**
 * The IPC vocabulary shared by main and preload: one prefixed channel per HeartbeatApi method, one
 * channel main pushes host events on, and the channels of the desktop-only bridge (menu commands, picked files).
 * Nothing else crosses, and only the preload knows these names.
 */
import type { ApiMethod } from '../src/common/api-args.ts';

/** `heartbeat:history.query` and so on: the channel of one HeartbeatApi method. */
export const channelOf = (method: ApiMethod): string => `heartbeat:${method}`;

/** Main → renderer: one HostEvent per message. */
export const EVENT_CHANNEL = 'heartbeat:event';

/** Main → renderer: a command chosen in the application menu (MenuCommand). */
export const MENU_CHANNEL = 'heartbeat-desktop:menu';

/** Renderer → main: a piece of a file the user picked in the menu's Open dialog (DesktopBridge.readPickedFile). */
export const READ_PICKED_CHANNEL = 'heartbeat-desktop:read-picked';

/** What every invoke answers: a result or one sentence, never a thrown error with its stack. */
export type IpcOutcome<T = unknown> = { ok: true; result: T } | { ok: false; error: { message: string } };

export type { DesktopBridge, MenuCommand } from '../src/common/api.ts';
