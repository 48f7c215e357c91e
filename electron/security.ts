/**
 * The hardening every webContents and the session get: no navigation of any frame, no new windows (an
 * http(s) link opens in the system browser instead: the app's own documentation links at once, any
 * other only after the user confirms it in a native dialog), no <webview>, every permission and device
 * (HID, serial, USB, Bluetooth) denied but clipboard writes of our own page, and no request from the
 * page to the network.
 */
import { isAppUrl } from './origin.ts';

/** The one web link form main hands to the system browser: http(s), a host, no credentials in it. */
export function externalUrl(url: string): string | undefined {
  if (typeof url !== 'string' || url.length > 2048) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
  if (!parsed.hostname || parsed.username || parsed.password) return undefined;
  return parsed.href;
}

/**
 * The app's own documentation links, opened without asking: the service's and the AWS CLI's
 * documentation for the operations the app composes, and SigV4's (the inspector's diagnoses point there).
 * Each is a URL prefix on https://docs.aws.amazon.com, compared on the parsed URL.
 */
export const DOCUMENTATION_LINKS: readonly string[] = [
  'https://docs.aws.amazon.com/sagemaker/',
  'https://docs.aws.amazon.com/cli/latest/reference/sagemaker-edge/',
  'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv',
  'https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request',
];

/** True for a link of DOCUMENTATION_LINKS (after externalUrl's checks: https, no credentials, no port). */
export function isDocumentationLink(url: string): boolean {
  const safe = externalUrl(url);
  if (!safe) return false;
  const parsed = new URL(safe);
  return parsed.protocol === 'https:' && parsed.port === '' && DOCUMENTATION_LINKS.some((prefix) => safe.startsWith(prefix));
}

interface PreventableEvent {
  preventDefault(): void;
}

/** What the hardening uses of a webContents. */
export interface HardenableContents {
  on(
    event: 'will-navigate' | 'will-frame-navigate' | 'will-redirect' | 'will-attach-webview' | 'select-bluetooth-device',
    listener: (event: PreventableEvent, ...rest: unknown[]) => void,
  ): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

export interface ExternalOpener {
  openExternal(url: string): Promise<void>;
}

/** Asks the user (a native dialog) whether to open a link that is not the app's documentation. */
export type ConfirmExternal = (url: string) => Promise<boolean>;

/** Opens `url` in the system browser: documentation links at once, other http(s) links once confirmed, nothing else. */
export async function openExternalLink(url: string, shell: ExternalOpener, confirm: ConfirmExternal): Promise<boolean> {
  const safe = externalUrl(url);
  if (!safe) return false;
  if (!isDocumentationLink(safe) && !(await confirm(safe))) return false;
  await shell.openExternal(safe);
  return true;
}

/**
 * Blocks navigation of every frame, redirects away from the app, <webview>, Bluetooth device picking and
 * new windows; links go to the system browser through openExternalLink.
 */
export function hardenContents(contents: HardenableContents, shell: ExternalOpener, confirm: ConfirmExternal): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  // Sub-frames too (will-navigate is the main frame's only); the page never navigates, any frame.
  contents.on('will-frame-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event, url) => {
    if (typeof url !== 'string' || !isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  // Without preventDefault Electron would pick the first device found; an empty id cancels the request.
  contents.on('select-bluetooth-device', (event, _devices, callback) => {
    event.preventDefault();
    if (typeof callback === 'function') callback('');
  });
  contents.setWindowOpenHandler(({ url }) => {
    void openExternalLink(url, shell, confirm).catch(() => undefined);
    return { action: 'deny' };
  });
}

/** What the hardening uses of a session. */
export interface HardenableSession {
  setPermissionRequestHandler(
    handler: (contents: unknown, permission: string, callback: (granted: boolean) => void, details: { requestingUrl?: string }) => void,
  ): void;
  setPermissionCheckHandler(handler: (contents: unknown, permission: string, requestingOrigin: string) => boolean): void;
  setDevicePermissionHandler(handler: (details: unknown) => boolean): void;
  on(
    event: 'select-hid-device' | 'select-serial-port' | 'select-usb-device',
    listener: (event: PreventableEvent, ...rest: unknown[]) => void,
  ): unknown;
  webRequest: {
    onBeforeRequest(
      filter: { urls: string[] },
      listener: (details: { url: string }, callback: (response: { cancel: boolean }) => void) => void,
    ): void;
  };
}

/**
 * The one permission granted: writing plain text to the clipboard (the composer's "Copy as"), and only
 * to our own page. Chromium sanitizes what is written; reading the clipboard stays denied.
 */
export function permissionGranted(permission: string, requestingUrl: string | undefined): boolean {
  return permission === 'clipboard-sanitized-write' && typeof requestingUrl === 'string' && isAppUrl(requestingUrl);
}

/** The network schemes the page may never reach: it talks to the host over IPC only. */
export const BLOCKED_REQUESTS = { urls: ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*'] };

/** The callback is the last argument of each select-*-device event (after details, or a port list and a webContents). */
function cancelDevicePick(event: PreventableEvent, rest: unknown[], cancelled: '' | undefined): void {
  event.preventDefault();
  const callback = rest.at(-1);
  if (typeof callback !== 'function') return;
  if (cancelled === undefined) (callback as () => void)();
  else (callback as (id: string) => void)(cancelled);
}

/**
 * Denies every permission request and check but the one above, every device (HID, serial, USB: the
 * device permission handler says no, and every device picker is cancelled), and every network request of
 * the page.
 */
export function hardenSession(session: HardenableSession): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(permissionGranted(permission, details?.requestingUrl)),
  );
  // Chromium checks with an origin ("app://heartbeat"), which isAppUrl accepts as a URL without a path.
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => permissionGranted(permission, requestingOrigin));
  session.setDevicePermissionHandler(() => false);
  // HID and USB cancel with no device id, serial with an empty one (Electron's documented forms).
  session.on('select-hid-device', (event, ...rest) => cancelDevicePick(event, rest, undefined));
  session.on('select-usb-device', (event, ...rest) => cancelDevicePick(event, rest, undefined));
  session.on('select-serial-port', (event, ...rest) => cancelDevicePick(event, rest, ''));
  session.webRequest.onBeforeRequest(BLOCKED_REQUESTS, (_details, callback) => callback({ cancel: true }));
}
