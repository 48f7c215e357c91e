/** The app:// protocol handler: the built UI with the strict CSP, nothing outside its folder. */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAppProtocolHandler } from '../../electron/protocol.ts';
import { UI_CSP } from '../../src/node/host/static-files.ts';

let handler: (request: Request) => Promise<Response>;

beforeAll(() => {
  const base = mkdtempSync(join(tmpdir(), 'hb-protocol-'));
  const ui = join(base, 'ui');
  mkdirSync(join(ui, 'assets'), { recursive: true });
  writeFileSync(join(ui, 'index.html'), '<!doctype html><div id="app"></div>');
  writeFileSync(join(ui, 'assets', 'editor.worker.js'), 'self.onmessage = () => {};');
  writeFileSync(join(base, 'secret.txt'), 'outside the UI folder');
  symlinkSync(join(base, 'secret.txt'), join(ui, 'assets', 'link.txt'));
  handler = createAppProtocolHandler(ui);
});

const get = (url: string, method = 'GET') => handler(new Request(url, { method }));

describe('app:// protocol', () => {
  it('serves the page and its workers with the strict CSP header (no unsafe-eval)', async () => {
    const page = await get('app://heartbeat/index.html');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(UI_CSP);
    expect(UI_CSP).not.toContain('unsafe-eval');
    expect(UI_CSP).toContain("worker-src 'self' blob:");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await page.text()).toContain('<div id="app">');
    const root = await get('app://heartbeat/');
    expect(await root.text()).toContain('<div id="app">');
    const worker = await get('app://heartbeat/assets/editor.worker.js');
    expect(worker.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(worker.headers.get('content-security-policy')).toBe(UI_CSP);
  });

  it('refuses paths that escape the UI folder, by any spelling', async () => {
    for (const url of [
      'app://heartbeat/%2e%2e/secret.txt',
      'app://heartbeat/..%2fsecret.txt',
      'app://heartbeat/assets/..%2f..%2fsecret.txt',
      'app://heartbeat/..%5csecret.txt',
      'app://heartbeat/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      'app://heartbeat/index.html%00.js',
      'app://heartbeat/%E0%A4%A',
      'app://heartbeat/assets/link.txt',
    ]) {
      const response = await get(url);
      expect(response.status, url).toBe(404);
      expect(await response.text(), url).not.toContain('outside the UI folder');
    }
  });

  it('answers only GET and HEAD, only for our host, and 404 for folders and missing files', async () => {
    expect((await get('app://heartbeat/index.html', 'POST')).status).toBe(405);
    const head = await get('app://heartbeat/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect((await get('app://other/index.html')).status).toBe(404);
    expect((await get('app://heartbeat/assets/')).status).toBe(404);
    expect((await get('app://heartbeat/nothing.js')).status).toBe(404);
  });
});
