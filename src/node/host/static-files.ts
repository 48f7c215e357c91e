/**
 * The built renderer's files, served read-only with the same CSP as index.html's meta tag (a header
 * also covers the workers) and no path outside the UI folder reachable.
 */
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

/** No unsafe-eval anywhere: validators are generated code, Monaco's workers are files of their own. */
export const UI_CSP =
  "default-src 'self'; script-src 'self'; worker-src 'self' blob:; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.ttf': 'font/ttf',
  '.woff2': 'font/woff2',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** The media type a UI file is served with. */
export function contentTypeOf(file: string): string {
  return TYPES[extname(file)] ?? 'application/octet-stream';
}

/** The headers every answer of the UI carries, in browser mode and from Electron's app:// alike. */
export const UI_SECURITY_HEADERS = Object.freeze({
  'content-security-policy': UI_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
});

export async function serveStaticFile(root: string, path: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('Method not allowed.');
    return;
  }
  const base = normalize(root + sep);
  const file = normalize(join(base, path === '/' ? 'index.html' : path));
  if (!file.startsWith(base) || path.includes('\0')) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found.');
    return;
  }
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found.');
    return;
  }
  res.writeHead(200, {
    'content-type': contentTypeOf(file),
    'content-length': body.length,
    ...UI_SECURITY_HEADERS,
    // Hashed assets never change; the page itself is always fetched fresh.
    'cache-control': file.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-store',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}
