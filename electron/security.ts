/**
 * The hardening every webContents and the session get: no navigation away from the app, no new
 * windows (an http(s) link opens in the system browser instead), no <webview>, every permission
 * denied but clipboard writes of our own page, and no request from the page to the network.
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

interface PreventableEvent {
  preventDefault(): void;
}

/** What the hardening uses of a webContents. */
export interface HardenableContents {
  on(event: 'will-navigate' | 'will-redirect' | 'will-attach-webview', listener: (event: PreventableEvent, ...rest: unknown[]) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

export interface ExternalOpener {
  openExternal(url: string): Promise<void>;
}

/** Blocks navigation, redirects away from the app, <webview> and new windows; opens safe links outside. */
export function hardenContents(contents: HardenableContents, shell: ExternalOpener): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event, url) => {
    if (typeof url !== 'string' || !isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const safe = externalUrl(url);
    if (safe) void shell.openExternal(safe).catch(() => undefined);
    return { action: 'deny' };
  });
}

/** What the hardening uses of a session. */
export interface HardenableSession {
  setPermissionRequestHandler(handler: (contents: unknown, permission: string, callback: (granted: boolean) => void, details: { requestingUrl?: string }) => void): void;
  setPermissionCheckHandler(handler: (contents: unknown, permission: string, requestingOrigin: string) => boolean): void;
  webRequest: {
    onBeforeRequest(filter: { urls: string[] }, listener: (details: { url: string }, callback: (response: { cancel: boolean }) => void) => void): void;
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

/** Denies every permission request and check but the one above, and every network request of the page. */
export function hardenSession(session: HardenableSession): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => callback(permissionGranted(permission, details?.requestingUrl)));
  // Chromium checks with an origin ("app://heartbeat"), which isAppUrl accepts as a URL without a path.
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => permissionGranted(permission, requestingOrigin));
  session.webRequest.onBeforeRequest(BLOCKED_REQUESTS, (_details, callback) => callback({ cancel: true }));
}
