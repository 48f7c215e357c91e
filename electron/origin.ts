/**
 * The app's own origin: the renderer is served from `app://heartbeat/`, a privileged standard scheme
 * (never file://), so the page has a real origin for its CSP and main can tell our page from any other.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'heartbeat';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * True for a URL on exactly our origin. Compared by parts: Node gives custom schemes the origin "null",
 * and a prefix test would let `app://heartbeat.evil` or `app://heartbeat@x` through.
 */
export function isAppUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST && parsed.username === '' && parsed.password === '';
}
