/**
 * The composer against the real browser-mode host in Chromium: `heartbeat ui` (built binary) serves the
 * UI; Send goes through the host to the embedded endpoint and lands in the history. The token is needed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DEMO_CREDENTIALS } from '../../src/common/demo.ts';
import { isolatedEnv } from '../cli/heartbeat-run.ts';
import { serveStatic } from './static-server.ts';
import { CHROMIUM, launchChromium, ROOT } from './browser.ts';
import { watchPageErrors, type PageErrors } from './harness.ts';

const SHOTS = join(ROOT, 'test-results');

describe.skipIf(!existsSync(CHROMIUM))('composer with the browser-mode host', () => {
  let child: ChildProcess;
  let browser: Browser;
  let origin = '';
  let url = '';

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    const env = isolatedEnv();
    // A profile with the demo key id and a wrong secret: the endpoint must refuse its signature.
    writeFileSync(
      env.AWS_SHARED_CREDENTIALS_FILE!,
      `[wrong-secret]\naws_access_key_id = ${DEMO_CREDENTIALS.accessKeyId}\naws_secret_access_key = not-the-demo-secret-at-all-0000\n`,
    );
    child = spawn(process.execPath, ['bin/heartbeat.js', 'ui', '--port', '0', '--endpoint-port', '0', '--no-open'], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
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
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    child?.kill('SIGTERM');
  });

  // Every page of the app must run without an uncaught error or a console error (issue 14 item 22).
  let watched: PageErrors[] = [];
  const watch = <P extends Page>(page: P): P => {
    const errors = watchPageErrors(page);
    watched.push(errors);
    return page;
  };
  afterEach(() => {
    const all = watched;
    watched = [];
    for (const errors of all) errors.expectNone();
  });

  it('sends to the embedded endpoint with Ctrl+Enter: 200 in the inspector and an entry in the history', async () => {
    const page = watch(await browser.newPage({ viewport: { width: 1500, height: 950 } }));
    await page.goto(url);
    await expect.poll(() => page.getByTestId('connection').innerText(), { timeout: 15_000 }).toContain('Connected to the local host');
    await page.getByLabel('DeviceName', { exact: true }).fill('cam-e2e-host');
    await page.keyboard.press('ControlOrMeta+Enter');
    await expect.poll(() => page.getByTestId('inspector-status').innerText(), { timeout: 15_000 }).toMatch(/200/);
    await page.screenshot({ path: join(SHOTS, 'composer-sent-via-host.png') });
    const token = new URL(url).hash.replace('#token=', '');
    const found = await page.evaluate(
      async ({ token }) =>
        (
          await fetch('/api/history/query', {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify({ query: { device: 'cam-e2e-host' } }),
          })
        ).json(),
      { token },
    );
    expect(found.result.entries).toMatchObject([{ deviceName: 'cam-e2e-host', status: 'success', httpStatus: 200 }]);
    await page.close();
  }, 60_000);

  it('without the token the page stays offline, and the host refuses its calls', async () => {
    const page = watch(await browser.newPage({ viewport: { width: 1500, height: 950 } }));
    watched.at(-1)!.allow(/401 \(Unauthorized\)/); // the refused call below, on purpose
    await page.goto(origin);
    await expect.poll(() => page.getByTestId('connection').innerText(), { timeout: 15_000 }).toContain('Not connected');
    const status = await page.evaluate(
      async () =>
        (await fetch('/api/endpoint/info', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status,
    );
    expect(status).toBe(401);
    await page.close();
  }, 60_000);

  async function openComposer(): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width: 1500, height: 950 },
      permissions: ['clipboard-read', 'clipboard-write'],
    });
    const page = watch(await context.newPage());
    await page.goto(url);
    await expect.poll(() => page.getByTestId('connection').innerText(), { timeout: 15_000 }).toContain('Connected to the local host');
    return page;
  }
  const outcome = (page: Page) => page.getByTestId('outcome').innerText();

  it('re-sends an entry from the history: a new 200, and a second entry arrives live', async () => {
    const page = await openComposer();
    await page.getByLabel('DeviceName', { exact: true }).fill('cam-e2e-resend');
    await page.keyboard.press('ControlOrMeta+Enter');
    await expect.poll(() => outcome(page), { timeout: 15_000 }).toMatch(/200/);
    const entries = page.getByTestId('history-entry').filter({ hasText: 'cam-e2e-resend' });
    await expect.poll(() => entries.count(), { timeout: 10_000 }).toBe(1);
    await page.getByRole('button', { name: /^Re-send cam-e2e-resend/ }).click();
    await expect.poll(() => page.getByTestId('inspector-origin').innerText(), { timeout: 15_000 }).toMatch(/^Re-send/);
    expect(await outcome(page)).toMatch(/200/);
    await expect.poll(() => entries.count(), { timeout: 10_000 }).toBe(2);
    // Open the older one: its body comes back into the composer.
    await page.getByLabel('DeviceName', { exact: true }).fill('something-else');
    await entries
      .last()
      .getByRole('button', { name: /^Open cam-e2e-resend/ })
      .click();
    await expect.poll(() => page.getByLabel('DeviceName', { exact: true }).inputValue()).toBe('cam-e2e-resend');
    await page.screenshot({ path: join(SHOTS, 'history-resend.png') });
    await page.context().close();
  }, 60_000);

  it('imports a cli-input-json file with ISO timestamps into both views', async () => {
    const page = await openComposer();
    const file = {
      name: 'captured.json',
      mimeType: 'application/json',
      buffer: Buffer.from(
        JSON.stringify({
          AgentVersion: '2.0',
          DeviceName: 'cam-imported',
          DeviceFleetName: 'fleet-i',
          AgentMetrics: [{ Dimension: 'agent', MetricName: 'cpu-usage', Value: 1, Timestamp: '2026-11-23T10:00:00Z' }],
        }),
      ),
    };
    await page.getByLabel('Open a request file').setInputFiles(file);
    await expect.poll(() => page.getByLabel('DeviceName', { exact: true }).inputValue(), { timeout: 10_000 }).toBe('cam-imported');
    expect(await page.getByTestId('io-notice').innerText()).toContain('"captured.json"');
    const jsonView = () =>
      page.evaluate(() => Array.from(document.querySelectorAll('.monaco-editor .view-line'), (l) => l.textContent).join('\n'));
    await expect.poll(jsonView, { timeout: 10_000 }).toMatch(/"Timestamp":\s1795428000/);
    expect(await page.getByTestId('document-status').innerText()).toBe('Valid SendHeartbeat request');
    await page.context().close();
  }, 60_000);

  it('copies the request as a curl command that the embedded endpoint accepts', async () => {
    const page = await openComposer();
    await page.getByLabel('DeviceName', { exact: true }).fill('cam-by-curl');
    await page.getByRole('button', { name: 'Copy as' }).click();
    await page.getByRole('menuitem', { name: 'curl command' }).click();
    await expect.poll(() => page.getByTestId('io-notice').innerText()).toBe('Copied as curl command.');
    const command = await page.evaluate(() => navigator.clipboard.readText());
    expect(command).toMatch(/^curl .*--aws-sigv4 aws:amz:us-east-1:sagemaker/s);
    expect(command).toContain('cam-by-curl');
    // Run it as a user would, with the demo keys in the environment.
    const run = await new Promise<{ code: number; out: string }>((resolve) =>
      execFile(
        'bash',
        ['-c', command],
        {
          env: {
            PATH: process.env.PATH,
            AWS_ACCESS_KEY_ID: DEMO_CREDENTIALS.accessKeyId,
            AWS_SECRET_ACCESS_KEY: DEMO_CREDENTIALS.secretAccessKey,
          },
          timeout: 15_000,
        },
        (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, out: stdout + stderr }),
      ),
    );
    expect(run, run.out).toMatchObject({ code: 0 });
    await page.getByRole('tab', { name: 'Endpoint' }).click();
    await expect.poll(() => page.locator('#side-endpoint').innerText(), { timeout: 10_000 }).toContain('cam-by-curl');
    await page.context().close();
  }, 60_000);

  it('wrong keys: InvalidSignatureException, with the diagnosis in plain words and the signature report', async () => {
    const page = await openComposer();
    await page.getByLabel('Credentials').selectOption('profile:wrong-secret');
    await page.getByLabel('DeviceName', { exact: true }).fill('cam-wrong-keys');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await expect.poll(() => outcome(page), { timeout: 15_000 }).toMatch(/403/);
    expect(await outcome(page)).toContain('InvalidSignatureException');
    expect(await page.getByTestId('diagnosis').innerText()).toMatch(/secret/i);
    expect(await page.getByTestId('signature-report').innerText()).toContain('AWS4-HMAC-SHA256');
    await page.screenshot({ path: join(SHOTS, 'wrong-keys-diagnosis.png'), fullPage: true });
    await page.context().close();
  }, 60_000);

  it('endpoint panel faults reach the sends: every attempt throttled (3 attempts, 429), then "No faults" and a 200', async () => {
    const page = await openComposer();
    await page.getByRole('tab', { name: 'Endpoint' }).click();
    await page.getByLabel('Fail every Nth (0 = off)').fill('1');
    await page.getByLabel('Error type').selectOption({ label: 'ThrottlingException (429)' });
    await page.getByLabel('Retry-After (s)').fill('0');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByLabel('DeviceName', { exact: true }).fill('cam-throttled');
    await page.keyboard.press('ControlOrMeta+Enter');
    await page.getByRole('tab', { name: 'Response' }).click();
    await expect.poll(() => outcome(page), { timeout: 20_000 }).toMatch(/429/);
    expect(await outcome(page)).toContain('ThrottlingException');
    expect(await outcome(page)).toMatch(/3 attempts/);
    await page.getByRole('tab', { name: 'Endpoint' }).click();
    await expect.poll(() => page.locator('#side-endpoint').innerText()).toContain('injected');
    await page.screenshot({ path: join(SHOTS, 'endpoint-faults.png') });
    await page.getByRole('button', { name: 'No faults' }).click();
    await page.keyboard.press('ControlOrMeta+Enter');
    await page.getByRole('tab', { name: 'Response' }).click();
    await expect.poll(() => outcome(page), { timeout: 20_000 }).toMatch(/200/);
    await page.context().close();
  }, 60_000);

  it('a row of the Endpoint tab opens that request in the inspector (click and Enter), signature redacted; Back returns', async () => {
    const page = await openComposer();
    await page.getByLabel('DeviceName', { exact: true }).fill('cam-e2e-exchange');
    await page.keyboard.press('ControlOrMeta+Enter');
    await expect.poll(() => outcome(page), { timeout: 15_000 }).toMatch(/200/);
    await page.getByRole('tab', { name: 'Endpoint' }).click();
    const row = page.getByRole('button', { name: /^Open request \S+ SendHeartbeat cam-e2e-exchange 200 in the inspector$/ });
    await row.click();
    const view = page.getByTestId('endpoint-request');
    await expect.poll(() => page.getByRole('tab', { name: 'Response' }).getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => view.getByTestId('endpoint-request-request').innerText(), { timeout: 10_000 }).toContain('POST /SendHeartbeat');
    const text = await view.innerText();
    expect(text).toContain('SendHeartbeat · cam-e2e-exchange');
    expect(text).toMatch(/Signature=REDACTED/);
    expect(text).not.toMatch(/Signature=[0-9a-f]{64}/);
    expect(text).not.toContain(DEMO_CREDENTIALS.secretAccessKey);
    expect(await view.getByTestId('endpoint-verdict').innerText()).toContain('200 OK');
    expect(await view.getByLabel('Request body').innerText()).toContain('"DeviceName": "cam-e2e-exchange"');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('endpoint-request-title');
    // Back to the list, on the same row; Enter opens it again.
    await view.getByRole('button', { name: 'Back to the latest requests' }).click();
    await expect.poll(() => row.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('endpoint-request-title');
    expect(await view.getByTestId('endpoint-request-answer').innerText()).toContain('x-amzn-requestid');
    await page.screenshot({ path: join(SHOTS, 'endpoint-exchange.png') });
    await page.context().close();
  }, 60_000);

  it('a slow re-send shows progress and can be cancelled from the top bar', async () => {
    const page = await openComposer();
    await page.getByLabel('DeviceName', { exact: true }).fill('cam-e2e-cancel');
    await page.keyboard.press('ControlOrMeta+Enter');
    await expect.poll(() => outcome(page), { timeout: 15_000 }).toMatch(/200/);
    await page.getByRole('tab', { name: 'Endpoint' }).click();
    await page.getByLabel('Latency (ms)').fill('8000');
    await page.getByRole('button', { name: 'Apply' }).click();
    const started = Date.now();
    await page
      .getByRole('button', { name: /^Re-send cam-e2e-cancel/ })
      .first()
      .click();
    await page.getByRole('tab', { name: 'Response' }).click();
    await page.getByRole('progressbar', { name: 'Sending the request' }).waitFor({ state: 'visible', timeout: 5_000 });
    await page.getByRole('banner').getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => outcome(page), { timeout: 5_000 }).toMatch(/ancel/);
    expect(Date.now() - started).toBeLessThan(7_000);
    await page.getByRole('tab', { name: 'Endpoint' }).click();
    await page.getByRole('button', { name: 'No faults' }).click();
    await page.context().close();
  }, 60_000);

  it('manual keys typed into the dialog sign the request; the secret field is emptied', async () => {
    const page = await openComposer();
    await page.getByLabel('Credentials').selectOption({ label: 'Enter keys…' });
    const dialog = page.getByRole('dialog', { name: /keys/i });
    await dialog.getByLabel('Access key id').fill(DEMO_CREDENTIALS.accessKeyId);
    await dialog.getByLabel('Secret access key').fill(DEMO_CREDENTIALS.secretAccessKey);
    await dialog.getByRole('button', { name: 'Use these keys' }).click();
    await expect
      .poll(() => page.getByLabel('Credentials').locator('option:checked').innerText())
      .toBe(`Manual keys …${DEMO_CREDENTIALS.accessKeyId.slice(-4)}`);
    await page.getByLabel('DeviceName', { exact: true }).fill('cam-manual-keys');
    await page.keyboard.press('ControlOrMeta+Enter');
    await expect.poll(() => outcome(page), { timeout: 15_000 }).toMatch(/200/);
    expect(await page.locator('#manual-secret').inputValue()).toBe('');
    await page.context().close();
  }, 60_000);

  it('compares two history entries in a diff view, and names every control of the page', async () => {
    const page = await openComposer();
    await page.getByLabel('Search history').fill('cam-e2e-resend');
    const boxes = page.getByTestId('history-entry').getByRole('checkbox');
    await expect.poll(() => boxes.count(), { timeout: 10_000 }).toBe(2);
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await page.getByRole('button', { name: 'Compare' }).click();
    const diff = page.getByRole('dialog', { name: 'Compare request bodies' });
    await diff.locator('.monaco-diff-editor').waitFor({ timeout: 15_000 });
    await expect.poll(() => diff.locator('.monaco-diff-editor .view-line').count()).toBeGreaterThan(3);
    await page.screenshot({ path: join(SHOTS, 'history-compare.png') });
    await page.keyboard.press('Escape');
    await expect.poll(() => diff.count()).toBe(0);

    const unnamed = await page.evaluate(() => {
      const named = (el: Element): boolean => {
        const id = el.getAttribute('id');
        const labelledBy = el.getAttribute('aria-labelledby');
        return Boolean(
          el.getAttribute('aria-label')?.trim() ||
          (labelledBy && document.getElementById(labelledBy)?.textContent?.trim()) ||
          (id && document.querySelector(`label[for="${id}"]`)?.textContent?.trim()) ||
          el.closest('label')?.textContent?.trim() ||
          (el.tagName === 'BUTTON' && el.textContent?.trim()),
        );
      };
      return Array.from(document.querySelectorAll('button, input, select, textarea'))
        .filter((el) => !el.closest('.monaco-editor') && !named(el))
        .map((el) => el.outerHTML.slice(0, 120));
    });
    expect(unnamed).toEqual([]);
    await page.context().close();
  }, 60_000);

  it('a page of a foreign origin cannot use the host, even holding the token', async () => {
    const token = new URL(url).hash.replace('#token=', '');
    const count = async (page: Page) =>
      page.evaluate(
        async ({ token }) =>
          (
            await (
              await fetch('/api/history/query', {
                method: 'POST',
                headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
                body: '{"query":{}}',
              })
            ).json()
          ).result.total as number,
        { token },
      );
    const page = await openComposer();
    const before = await count(page);
    expect(before).toBeGreaterThan(0);
    const foreign = await serveStatic(join(ROOT, 'dist', 'ui'));
    try {
      const attacker = await browser.newPage();
      await attacker.goto(foreign.url);
      const outcome = await attacker.evaluate(
        async ({ origin, token }) => {
          const withToken = await fetch(`${origin}/api/history/clear`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: '{}',
          }).then(
            (r) => `answered ${r.status}`,
            () => 'blocked',
          );
          // A "simple" cross-site POST goes out without a preflight; the host must still refuse it.
          await fetch(`${origin}/api/history/clear`, {
            method: 'POST',
            mode: 'no-cors',
            headers: { 'content-type': 'text/plain' },
            body: '{}',
          }).catch(() => undefined);
          return withToken;
        },
        { origin, token },
      );
      expect(outcome).toBe('blocked');
      await attacker.close();
    } finally {
      await foreign.close();
    }
    expect(await count(page)).toBe(before);
    await page.context().close();
  }, 60_000);
});
