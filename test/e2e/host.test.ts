/**
 * The composer against the real browser-mode host in Chromium: `heartbeat ui` (built binary) serves the
 * UI; Send goes through the host to the embedded endpoint and lands in the history. The token is needed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { isolatedEnv } from '../cli/heartbeat-run.ts';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = join(import.meta.dirname, '..', '..');
const SHOTS = join(ROOT, 'test-results');

describe.skipIf(!existsSync(CHROMIUM))('composer with the browser-mode host', () => {
  let child: ChildProcess;
  let browser: Browser;
  let origin = '';
  let url = '';

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    child = spawn(process.execPath, ['bin/heartbeat.js', 'ui', '--port', '0', '--endpoint-port', '0', '--no-open'], { cwd: ROOT, env: isolatedEnv(), stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child.stdout!.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        const open = /^open (\S+)$/m.exec(out)?.[1];
        if (open) {
          url = open;
          origin = new URL(open).origin;
          resolve();
        }
      });
      child.on('exit', (code) => reject(new Error(`heartbeat ui exited with ${code}`)));
    });
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    child?.kill('SIGTERM');
  });

  it('sends to the embedded endpoint with Ctrl+Enter: 200 in the inspector and an entry in the history', async () => {
    const page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
    await page.goto(url);
    await expect.poll(() => page.getByTestId('connection').innerText(), { timeout: 15_000 }).toContain('Connected to the local host');
    await page.getByLabel('DeviceName', { exact: true }).fill('cam-e2e-host');
    await page.keyboard.press('ControlOrMeta+Enter');
    await expect.poll(() => page.getByTestId('inspector-status').innerText(), { timeout: 15_000 }).toMatch(/200/);
    await page.screenshot({ path: join(SHOTS, 'composer-sent-via-host.png') });
    const token = new URL(url).hash.replace('#token=', '');
    const found = await page.evaluate(
      async ({ token }) => (await fetch('/api/history/query', { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ query: { device: 'cam-e2e-host' } }) })).json(),
      { token },
    );
    expect(found.result.entries).toMatchObject([{ deviceName: 'cam-e2e-host', status: 'success', httpStatus: 200 }]);
    await page.close();
  }, 60_000);

  it('without the token the page stays offline, and the host refuses its calls', async () => {
    const page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
    await page.goto(origin);
    await expect.poll(() => page.getByTestId('connection').innerText(), { timeout: 15_000 }).toContain('Not connected');
    const status = await page.evaluate(async () => (await fetch('/api/endpoint/info', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status);
    expect(status).toBe(401);
    await page.close();
  }, 60_000);
});
