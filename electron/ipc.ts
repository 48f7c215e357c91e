/**
 * Main's side of the IPC: one handler per HeartbeatApi method on its own channel (channels.ts). Every
 * handler first checks the sender — our window's webContents, its main frame, on the app:// origin —
 * then the arguments, with the same checks as the HTTP host (checkApiArgs), and answers a typed
 * outcome: the result, or one sentence. Nothing is ever thrown back across, so no stack reaches the page.
 */
import type { HeartbeatApi, Unsubscribe } from '../src/common/api.ts';
import { API_METHODS, callApi, checkApiArgs, type ApiMethod } from '../src/common/api-args.ts';
import { HostError, sentenceOf } from '../src/node/host/host-error.ts';
import { channelOf, EVENT_CHANNEL, type IpcOutcome } from './channels.ts';
import { isAppUrl } from './origin.ts';

/** What main reads of the frame that sent a message (Electron's WebFrameMain). */
export interface SenderFrame {
  url: string;
  parent: unknown;
}

/** What main reads of an invoke event (Electron's IpcMainInvokeEvent). */
export interface SenderEvent {
  sender: unknown;
  senderFrame: SenderFrame | null;
}

/** The part of Electron's ipcMain used here. */
export interface IpcMainLike {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Electron's own signature; each handler narrows its event
  handle(channel: string, listener: (event: any, ...args: any[]) => unknown): void;
  removeHandler(channel: string): void;
}

/** The webContents of the app window, or undefined while there is none. */
export type TrustedContents = () => unknown;

/** The one refusal a foreign sender gets: it learns nothing about why. */
export const FOREIGN_SENDER = 'The app host answers only the app’s own page.';

/** True when the message comes from the main frame of our window, showing a page of our origin. */
export function isTrustedSender(event: SenderEvent, trusted: unknown): boolean {
  const frame = event.senderFrame;
  return trusted !== undefined && event.sender === trusted && frame !== null && frame.parent === null && isAppUrl(frame.url);
}

const failure = (message: string): IpcOutcome => ({ ok: false, error: { message } });

/** Registers `run` on `channel` behind the sender check, answering typed outcomes. */
export function handleChecked(ipcMain: IpcMainLike, channel: string, trusted: TrustedContents, run: (args: unknown[]) => unknown): void {
  ipcMain.handle(channel, async (event: SenderEvent, ...args: unknown[]): Promise<IpcOutcome> => {
    if (!isTrustedSender(event, trusted())) return failure(FOREIGN_SENDER);
    try {
      return { ok: true, result: await run(args) };
    } catch (error) {
      return failure(sentenceOf(error));
    }
  });
}

/** The one object of named arguments every API invoke carries. */
export function namedArguments(args: unknown[]): Record<string, unknown> {
  const [named] = args;
  if (args.length !== 1 || named === null || typeof named !== 'object' || Array.isArray(named))
    throw new HostError('The app host takes one object of named arguments.');
  return named as Record<string, unknown>;
}

/**
 * Main's own checks of a method's named arguments after checkApiArgs (settings.update's paths): the
 * arguments to call with, or a thrown sentence.
 */
export type ArgumentGuards = Partial<Record<ApiMethod, (named: Record<string, unknown>) => Promise<Record<string, unknown>>>>;

/** Registers every API channel; the returned function removes them. */
export function registerApiHandlers(
  ipcMain: IpcMainLike,
  api: HeartbeatApi,
  trusted: TrustedContents,
  guards: ArgumentGuards = {},
): () => void {
  for (const method of API_METHODS) {
    const guard = guards[method];
    handleChecked(ipcMain, channelOf(method), trusted, async (args) => {
      const named = namedArguments(args);
      const problem = checkApiArgs(method, named);
      if (problem) throw new HostError(problem);
      return callApi(api, method, guard ? await guard(named) : named);
    });
  }
  return () => API_METHODS.forEach((method) => ipcMain.removeHandler(channelOf(method)));
}

/** What main needs of the window's webContents to push messages to it. */
export interface PageReceiver {
  send(channel: string, payload: unknown): void;
  isDestroyed(): boolean;
  getURL(): string;
}

/** Sends one message to the app window, only while it shows our page; false when it was not sent. */
export function sendToAppPage(page: PageReceiver | undefined, channel: string, payload: unknown): boolean {
  if (!page || page.isDestroyed() || !isAppUrl(page.getURL())) return false;
  page.send(channel, payload);
  return true;
}

/** Pushes every host event to the app window. */
export function forwardHostEvents(api: HeartbeatApi, page: () => PageReceiver | undefined): Unsubscribe {
  return api.subscribe((event) => void sendToAppPage(page(), EVENT_CHANNEL, event));
}
