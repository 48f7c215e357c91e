/**
 * Issue 19 item 4 in real Chromium against the real browser-mode host: the operation picker, a
 * GetDeviceRegistration and a GetDeployments sent to the embedded endpoint with their answers read
 * (the registration and its CacheTTL in words, the deployment of a staged plan as a list), the
 * history's entries with their operations, opening one back into the composer, and an undo of the
 * conversion in the JSON view that brings the operation back. Zero page errors. Screenshots of the
 * picker and both answers, light and dark, narrow and wide, go to test-results/.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM, launchChromium, ROOT, startUiHost, watchPageErrors, type UiHost, callHost } from './harness.ts';
import { ensureUiBuilt } from './browser.ts';
import { replaceJson } from './measure-sync.ts';

const SHOTS = join(ROOT, 'test-results');
const FLEET = 'fleet-ops';
const CHECKSUM = '3f786850e387550fdab836ed7e6dc881de23001b';

describe.skipIf(!existsSync(CHROMIUM))('the three operations in the composer', () => {
  let host: UiHost;
  let browser: Browser;

  /** Calls the host's API the way the page does, with the launch token. */
  const call = (page: Page, route: string, body: unknown) => callHost(page, host, route, body);

  /** The status line's words, the operation included where a narrow composer hides it (the picker beside it names it). */
  const statusText = async (status: ReturnType<Page['getByTestId']>): Promise<string> =>
    ((await status.textContent()) ?? '').replace(/\s+/g, ' ').trim();

  beforeAll(async () => {
    ensureUiBuilt(240_000);
    mkdirSync(SHOTS, { recursive: true });
    host = await startUiHost();
    browser = await launchChromium();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await host?.stop();
  });

  const CONFIGS = [
    { name: 'wide', width: 1600, height: 950 },
    { name: 'narrow', width: 1280, height: 800 },
    { name: 'stacked', width: 760, height: 1000 },
  ] as const;

  for (const theme of ['light', 'dark'] as const)
    for (const size of CONFIGS)
      it(`${size.name} ${theme}: picks, sends and reads GetDeviceRegistration and GetDeployments`, async () => {
        const device = `cam-ops-${size.name}-${theme}`;
        const context = await browser.newContext({ viewport: { width: size.width, height: size.height }, colorScheme: theme });
        const page = await context.newPage();
        const errors = watchPageErrors(page);
        await page.goto(host.url);
        await expect.poll(() => page.getByTestId('connection').innerText(), { timeout: 15_000 }).toContain('Connected');
        // A staged plan that hands one deployment to this device.
        const created = await call(page, '/api/endpoint/createDeploymentPlan', {
          plan: {
            name: `resnet-${size.name}-${theme}`,
            fleet: FLEET,
            model: { handle: 'resnet50-v2', s3Url: 's3://edge-models/resnet50/v2.tar.gz', checksum: { type: 'SHA1', sum: CHECKSUM } },
            stages: [{ name: 'canary', devices: [device] }],
          },
        });
        expect(created.error).toBeUndefined();

        const picker = page.getByLabel('Operation', { exact: true });
        const status = page.getByTestId('document-status');
        const answer = page.getByTestId('answer-summary');
        const inspector = page.locator('section.inspector');
        expect(await picker.inputValue()).toBe('SendHeartbeat');

        // The picker, from the keyboard: focus it and choose GetDeviceRegistration.
        await picker.focus();
        await picker.selectOption('GetDeviceRegistration');
        await expect.poll(() => statusText(status)).toBe('Valid GetDeviceRegistration request');
        expect(await page.getByTestId('operation-notice').innerText()).toMatch(
          /^Now GetDeviceRegistration: kept DeviceName and DeviceFleetName; dropped AgentVersion, AgentMetrics and Models/,
        );
        expect(await page.getByLabel('AgentVersion', { exact: true }).count()).toBe(0);
        await page.getByLabel('DeviceName', { exact: true }).fill(device);
        await page.getByLabel('DeviceFleetName', { exact: true }).fill(FLEET);
        await page.locator('.composer-head').screenshot({ path: join(SHOTS, `operations-picker-${size.name}-${theme}.png`) });
        await page.screenshot({ path: join(SHOTS, `operations-composer-${size.name}-${theme}.png`) });

        await page.keyboard.press('ControlOrMeta+Enter');
        await expect.poll(() => answer.innerText(), { timeout: 15_000 }).toBe('REGISTERED, cache for 1 h');
        expect(await page.getByTestId('exchange-operation').innerText()).toBe('GetDeviceRegistration');
        await inspector.scrollIntoViewIfNeeded();
        await inspector.screenshot({ path: join(SHOTS, `operations-registration-${size.name}-${theme}.png`) });

        await picker.selectOption('GetDeployments');
        await expect.poll(() => statusText(status)).toBe('Valid GetDeployments request');
        await page.keyboard.press('ControlOrMeta+Enter');
        const deployment = page.getByTestId('deployment');
        await expect.poll(() => deployment.count(), { timeout: 15_000 }).toBe(1);
        const text = await deployment.innerText();
        for (const part of [
          `resnet-${size.name}-${theme}`,
          'Model',
          'ROLLBACK_ON_FAILURE',
          'resnet50-v2',
          's3://edge-models/resnet50/v2.tar.gz',
          `SHA1 ${CHECKSUM}`,
          'DEPLOY',
        ])
          expect(text).toContain(part);
        // The raw body is one click away.
        const response = inspector.locator('summary', { hasText: /^Response$/ });
        await response.click();
        await expect.poll(() => inspector.getByLabel('Response body').innerText()).toContain('"Deployments"');
        await response.click();
        await inspector.scrollIntoViewIfNeeded();
        await inspector.screenshot({ path: join(SHOTS, `operations-deployments-${size.name}-${theme}.png`) });

        // The history shows each entry's operation; opening the registration brings its operation back.
        {
          const entries = page.getByTestId('history-entry').filter({ hasText: device });
          await expect.poll(() => entries.count(), { timeout: 10_000 }).toBe(2);
          expect(await entries.getByTestId('history-operation').allInnerTexts()).toEqual(['GetDeployments', 'GetDeviceRegistration']);
          await page.getByRole('button', { name: new RegExp(`^Open ${device} GetDeviceRegistration`) }).click();
          await expect.poll(() => picker.inputValue()).toBe('GetDeviceRegistration');
          await expect.poll(() => answer.innerText()).toBe('REGISTERED, cache for 1 h');
        }
        errors.expectNone();
        await context.close();
      }, 90_000);

  it('an undo of the conversion in the JSON view brings back the heartbeat and its operation; completion and markers follow', async () => {
    const context = await browser.newContext({
      viewport: { width: 1500, height: 950 },
      permissions: ['clipboard-read', 'clipboard-write'],
    });
    const page = await context.newPage();
    const errors = watchPageErrors(page);
    await page.goto(host.url);
    await page.locator('.monaco-editor .view-lines').waitFor({ timeout: 30_000 });
    const picker = page.getByLabel('Operation', { exact: true });
    const status = page.getByTestId('document-status');
    await expect.poll(() => statusText(status)).toBe('Valid SendHeartbeat request');
    await picker.selectOption('GetDeployments');
    await expect.poll(() => statusText(status)).toBe('Valid GetDeployments request');
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => picker.inputValue()).toBe('SendHeartbeat');
    await expect.poll(() => statusText(status)).toBe('Valid SendHeartbeat request');
    expect(await page.getByLabel('AgentVersion', { exact: true }).inputValue()).toBe('1.20230901');
    await page.getByRole('button', { name: 'Redo' }).click();
    await expect.poll(() => picker.inputValue()).toBe('GetDeployments');

    // The JSON view's completion offers GetDeployments' members, not the heartbeat's.
    await replaceJson(page, '{\n  "DeviceName": "d1",\n  \n}');
    await page.keyboard.press('ControlOrMeta+Home');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('End');
    await page.keyboard.type('"');
    const rows = page.locator('.suggest-widget .monaco-list-row');
    await rows.first().waitFor();
    const offered = await rows.allInnerTexts();
    expect(offered).toContain('DeviceFleetName');
    expect(offered).not.toContain('AgentVersion');
    await page.keyboard.press('Escape');
    // A heartbeat member typed into a GetDeployments request is marked at its place, in the JSON and in the status.
    await replaceJson(page, '{\n  "DeviceName": "d1",\n  "DeviceFleetName": "f",\n  "AgentVersion": "1"\n}');
    await expect.poll(() => statusText(status)).toBe('1 problem');
    await expect.poll(() => page.locator('.monaco-editor .squiggly-error').count()).toBeGreaterThan(0);
    expect(await picker.inputValue()).toBe('GetDeployments');
    await page.screenshot({ path: join(SHOTS, 'operations-json-marker.png') });
    errors.expectNone();
    await context.close();
  }, 60_000);
});
