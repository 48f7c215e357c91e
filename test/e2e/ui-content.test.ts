/**
 * Issue 14, the form, paste and wording items end to end: the real browser-mode host (`heartbeat ui`)
 * in Debian's Chromium. Number fields keep bad text and say so (18); the app's own "Copy as curl"
 * pastes back (19); completing a timestamp in the JSON view inserts now (26); the demo keys are not
 * sent past the embedded endpoint without a question (27); Clear… with a filter deletes only what the
 * filters select (1); a DNS error reads once (25).
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ensureUiBuilt } from './browser.ts';
import { CHROMIUM, launchChromium, startUiHost, watchPageErrors, type PageErrors, type UiHost } from './harness.ts';

describe.skipIf(!existsSync(CHROMIUM))('form, paste and wording in Chromium (issue 14)', () => {
  let host: UiHost;
  let browser: Browser;

  beforeAll(async () => {
    ensureUiBuilt();
    host = await startUiHost();
    browser = await launchChromium();
  }, 420_000);

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
  });

  async function open(): Promise<{ page: Page; errors: PageErrors }> {
    const context = await browser.newContext({
      viewport: { width: 1500, height: 950 },
      permissions: ['clipboard-read', 'clipboard-write'],
    });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const errors = watchPageErrors(page);
    await page.goto(host.url);
    await expect.poll(() => page.getByTestId('connection').innerText(), { timeout: 15_000 }).toContain('Connected');
    return { page, errors };
  }
  const jsonView = (page: Page) =>
    page.evaluate(() => Array.from(document.querySelectorAll('.monaco-editor .view-line'), (l) => l.textContent).join('\n'));
  const status = (page: Page) => page.getByTestId('document-status').innerText();

  async function paste(page: Page, text: string): Promise<void> {
    await page.getByRole('button', { name: 'Paste…' }).click();
    await page.getByLabel('Request text').fill(text);
    await page.getByRole('button', { name: 'Import' }).click();
  }

  it('a number field keeps "abc" after Tab, with the error at the field and the document invalid; a timestamp takes ISO 8601', async () => {
    const { page, errors } = await open();
    // The first metric's fields (the form shows a model's metric fields too, under the same labels).
    const value = page.locator('#f-AgentMetrics-0-Value');
    await value.fill('abc');
    await value.press('Tab');
    expect(await value.inputValue()).toBe('abc');
    expect(await value.getAttribute('aria-invalid')).toBe('true');
    const errorId = (await value.getAttribute('aria-describedby'))!.split(' ').find((id) => id.endsWith('-error'))!;
    expect(await page.locator(`#${errorId}`).innerText()).toContain('Value must be a number, not a string ("abc")');
    expect(await status(page)).toBe('1 problem');
    const timestamp = page.locator('#f-AgentMetrics-0-Timestamp');
    await timestamp.fill('2026-11-30T12:00:00Z');
    await timestamp.press('Tab');
    expect(await timestamp.inputValue()).toBe(String(Date.UTC(2026, 10, 30, 12) / 1000));
    await expect.poll(() => jsonView(page)).toMatch(new RegExp(`"Timestamp":\\s${Date.UTC(2026, 10, 30, 12) / 1000}`));
    errors.expectNone();
    await page.context().close();
  }, 60_000);

  it('"Copy as curl" pastes back as the same request, named curl, and the target stays the embedded endpoint', async () => {
    const { page, errors } = await open();
    await page.getByLabel('DeviceName', { exact: true }).fill('cam-round-trip');
    await page.getByRole('button', { name: 'Copy as' }).click();
    await page.getByRole('menuitem', { name: 'curl command' }).click();
    await expect.poll(() => page.getByTestId('io-notice').innerText()).toBe('Copied as curl command.');
    const curl = await page.evaluate(() => navigator.clipboard.readText());
    await page.getByLabel('DeviceName', { exact: true }).fill('something-else');
    await paste(page, curl);
    await expect.poll(() => page.getByTestId('io-notice').innerText()).toMatch(/^Loaded the pasted curl command\./);
    expect(await page.getByLabel('DeviceName', { exact: true }).inputValue()).toBe('cam-round-trip');
    expect(await page.locator('#target-kind').inputValue()).toBe('local');
    expect(await page.getByTestId('keep-target').count()).toBe(0);
    // An aws line with another endpoint switches the target, says so, and offers to keep the current one.
    await paste(
      page,
      'aws sagemaker-edge send-heartbeat --device-name cam-x --device-fleet-name f --agent-version 1.0 --endpoint-url https://edge.example.test',
    );
    await expect.poll(() => page.getByTestId('io-notice').innerText()).toContain('The target is now https://edge.example.test');
    expect(await page.locator('#target-kind').inputValue()).toBe('url');
    await page.getByTestId('keep-target').click();
    expect(await page.locator('#target-kind').inputValue()).toBe('local');
    errors.expectNone();
    await page.context().close();
  }, 60_000);

  it('completing a timestamp member in the JSON view inserts now, not 0', async () => {
    const { page, errors } = await open();
    await paste(
      page,
      '{\n  "AgentVersion": "1.0",\n  "DeviceName": "cam-complete",\n  "DeviceFleetName": "fleet",\n  "Models": [\n    {\n      "ModelName": "model-a",\n      "ModelVersion": "1"\n    }\n  ]\n}\n',
    );
    await expect.poll(() => jsonView(page)).toContain('cam-complete');
    await page.locator('.monaco-editor .view-line', { hasText: '"ModelVersion": "1"' }).click();
    await page.keyboard.press('End');
    await page.keyboard.type(',');
    await page.keyboard.press('Enter');
    await page.keyboard.type('"LatestInf');
    const widget = page.locator('.suggest-widget .monaco-list-row', { hasText: 'LatestInference' });
    await widget.first().waitFor({ state: 'visible' });
    const before = Math.floor(Date.now() / 1000);
    await page.keyboard.press('Enter');
    await expect.poll(() => jsonView(page)).toMatch(/"LatestInference":\s\d+/);
    const seconds = Number(/"LatestInference":\s(\d+)/.exec(await jsonView(page))![1]);
    expect(seconds).toBeGreaterThanOrEqual(before - 1);
    expect(seconds).toBeLessThanOrEqual(before + 5);
    errors.expectNone();
    await page.context().close();
  }, 60_000);

  it('asks before sending the demo keys past the embedded endpoint; a DNS error reads once', async () => {
    const { page, errors } = await open();
    await page.selectOption('#target-kind', 'url');
    await page.getByLabel('Endpoint URL').fill('http://nohost.invalid');
    await page.getByLabel('Endpoint URL').press('Tab');
    const asked: string[] = [];
    page.once('dialog', (dialog) => {
      asked.push(dialog.message());
      void dialog.dismiss();
    });
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await expect.poll(() => asked.length).toBe(1);
    expect(asked[0]).toMatch(/^Send with the demo keys to http:\/\/nohost\.invalid\?/);
    expect(await page.getByTestId('inspector-status').innerText()).not.toContain('nohost.invalid');
    page.once('dialog', (dialog) => void dialog.accept());
    await page.keyboard.press('ControlOrMeta+Enter');
    await expect.poll(() => page.getByTestId('outcome').innerText(), { timeout: 30_000 }).toContain('could not be resolved');
    const text = await page.getByTestId('inspector-status').innerText();
    expect(text.split('could not be resolved').length - 1, text).toBe(1);
    errors.expectNone();
    await page.context().close();
  }, 60_000);

  it('Clear… with a filter deletes only the entries the filters select', async () => {
    const { page, errors } = await open();
    for (const name of ['cam-keep-1', 'cam-drop-1']) {
      await page.getByLabel('DeviceName', { exact: true }).fill(name);
      await page.keyboard.press('ControlOrMeta+Enter');
      await expect.poll(() => page.getByTestId('history-entry').filter({ hasText: name }).count(), { timeout: 15_000 }).toBe(1);
    }
    await page.getByRole('searchbox').fill('cam-drop');
    await expect.poll(() => page.getByTestId('history-entry').count(), { timeout: 10_000 }).toBe(1);
    const asked: string[] = [];
    page.once('dialog', (dialog) => {
      asked.push(dialog.message());
      void dialog.accept();
    });
    await page.getByRole('button', { name: 'Clear…' }).click();
    await expect.poll(() => asked.length).toBe(1);
    expect(asked[0]).toMatch(/^Delete the 1 entry the filters select\?/);
    await expect.poll(() => page.getByTestId('history-entry').count(), { timeout: 10_000 }).toBe(0);
    await page.getByRole('searchbox').fill('');
    await expect.poll(() => page.getByTestId('history-entry').filter({ hasText: 'cam-keep-1' }).count(), { timeout: 10_000 }).toBe(1);
    errors.expectNone();
    await page.context().close();
  }, 60_000);
});
