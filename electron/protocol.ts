/**
 * The `app://` protocol: serves the built renderer (dist/ui) read-only with the same strict CSP as
 * browser mode (UI_CSP: no unsafe-eval, Monaco's workers from 'self'/blob:). Only GET/HEAD of files
 * inside the UI folder; a path that escapes it — by `..`, an encoded separator, or a symbolic link —
 * is not found.
 */
import { readFile, realpath } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { contentTypeOf, UI_SECURITY_HEADERS } from '../src/node/host/static-files.ts';
import { APP_HOST, APP_SCHEME } from './origin.ts';

/** Registered before `ready`: a standard, secure origin, so 'self', workers and fetch behave as on https. */
export const APP_SCHEME_PRIVILEGES = { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } };

const SECURITY_HEADERS = UI_SECURITY_HEADERS;

const notFound = (): Response =>
  new Response('Not found.', { status: 404, headers: { 'content-type': 'text/plain', ...SECURITY_HEADERS } });

/** The file under `root` a URL path names, or undefined when it would lie outside. */
async function fileOf(root: string, pathname: string): Promise<string | undefined> {
  let path: string;
  try {
    path = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (path.includes('\0') || path.includes('\\')) return undefined;
  const file = resolve(root, `.${path === '/' ? '/index.html' : path}`);
  if (!file.startsWith(root + sep)) return undefined;
  try {
    const real = await realpath(file);
    return real.startsWith((await realpath(root)) + sep) ? real : undefined;
  } catch {
    return undefined;
  }
}

/** The handler for `protocol.handle('app', …)`, serving `uiDir`. */
export function createAppProtocolHandler(uiDir: string): (request: Request) => Promise<Response> {
  const root = resolve(uiDir);
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return new Response('Method not allowed.', { status: 405, headers: { allow: 'GET, HEAD', ...SECURITY_HEADERS } });
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return notFound();
    const file = await fileOf(root, url.pathname);
    if (!file) return notFound();
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      return notFound();
    }
    const headers = { 'content-type': contentTypeOf(file), 'cache-control': 'no-store', ...SECURITY_HEADERS };
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers });
  };
}
