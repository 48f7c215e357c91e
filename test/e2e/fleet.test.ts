/**
 * The fleet view (issue 18) in real Chromium against the real browser-mode host and its embedded
 * endpoint: the small example's grid shows every device and the charts get data; a device opens, its
 * latest heartbeat as read-only Monaco JSON in the device panel and in the Response column (following
 * its heartbeats); a fault button shows on the error chart; the rollout example's staged plan fails at
 * stage 2, the timeline says so, and a device whose apply failed lists the failure and the rollback;
 * presenter mode toggles and back, in its high-contrast palette; the HTML report downloads with the
 * summary; every control has a name; no page errors.
 */
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { CHROMIUM, launchChromium, startUiHost, watchPageErrors, type UiHost } from './harness.ts';

/** Buttons, inputs and selects of `scope` without an accessible name (a label, aria-label or text). */
async function unnamedControls(page: Page, scope: string): Promise<string[]> {
  return page.evaluate((selector) => {
    const root = document.querySelector(selector)!;
    const out: string[] = [];
    for (const el of root.querySelectorAll<HTMLElement>('button, input, select, textarea, [tabindex="0"]')) {
      if (el.closest('.monaco-editor') || el.offsetParent === null) continue;
      const labelled =
        el.getAttribute('aria-label') ||
        el.getAttribute('aria-labelledby') ||
        (el.id && document.querySelector(`label[for="${el.id}"]`)) ||
        el.closest('label')?.textContent?.trim() ||
        el.textContent?.trim() ||
        el.getAttribute('title');
      if (!labelled) out.push(el.outerHTML.slice(0, 120));
    }
    return out;
  }, scope);
}

const SCENARIO = `name: e2e-fleet
seed: 1
fleets:
  - name: e2e
    devices: 24
    deviceName: 'e2e-{n:02}'
    interval: 1s
    jitter: 10%
    agentMetrics:
      - { dimension: agent, name: CpuUtilization, value: { randomWalk: { start: 20, step: 2, min: 0, max: 100 } } }
    models:
      - name: detector
        version: '1.0'
        metrics:
          - { dimension: model/detector, name: InferenceLatency, value: { sine: { mean: 40, amplitude: 10, period: 30s } } }
`;

/** The text of the read-only Monaco view inside `scope` (its rendered lines; Monaco draws spaces as no-break spaces). */
async function monacoText(scope: Locator): Promise<string> {
  const lines = scope.locator('.monaco-editor .view-lines');
  if ((await lines.count()) === 0) return '';
  return ((await lines.first().textContent()) ?? '').replace(/\u00a0/g, ' ');
}

/** Ends a run a failed test left going, so the next one can start its own. */
async function stopAnyRun(page: Page): Promise<void> {
  const button = page.getByTestId('fleet-start');
  if ((await button.textContent())?.includes('Stop')) {
    await button.click();
    await expect.poll(async () => button.textContent(), { timeout: 10_000 }).toContain('Start');
  }
}

describe.skipIf(!existsSync(CHROMIUM))('the fleet view', () => {
  let host: UiHost;
  let browser: Browser;
  beforeAll(async () => {
    host = await startUiHost();
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await host?.stop();
  });

  it('runs an opened scenario file: grid, charts, a device, a fault on the error chart, pause, presenter mode, the report', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    const errors = watchPageErrors(page);
    await page.goto(host.url);
    await page.getByRole('tab', { name: 'Fleet' }).click();
    const view = page.getByTestId('fleet-view');
    await view.waitFor();
    expect(await unnamedControls(page, '[data-testid="fleet-view"]')).toEqual([]);

    // Open a scenario file (no offline spells, so every device stays healthy for the checks below).
    await page.getByLabel('Open a scenario file').setInputFiles({ name: 'e2e.yaml', mimeType: 'text/yaml', buffer: Buffer.from(SCENARIO) });
    await expect.poll(async () => page.getByLabel('Example scenario').inputValue()).toBe('');
    await page.getByTestId('fleet-start').click();
    const grid = page.getByTestId('device-grid');
    // Every device in the grid, healthy within a few seconds (1 s interval, staggered).
    await expect.poll(async () => grid.getAttribute('aria-label'), { timeout: 10_000 }).toMatch(/^24 devices: (2[0-4]) healthy/);
    // The charts have points.
    const rate = page.getByRole('img', { name: /^Heartbeats per second: latest heartbeats\/s [\d.]+ \/s$/ });
    await rate.waitFor({ timeout: 10_000 });
    await expect
      .poll(async () => Number(/([\d.]+) \/s$/.exec((await rate.getAttribute('aria-label')) ?? '')?.[1]), { timeout: 10_000 })
      .toBeGreaterThan(0);

    // A device opens: keyboard on the grid (Home, Enter).
    await grid.focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('Enter');
    const device = page.getByRole('region', { name: 'Selected device' });
    await device.waitFor();
    expect(await device.textContent()).toMatch(/e2e-01[\s\S]*healthy/);
    // Its latest heartbeat (watched from now: the next one, within its 1 s interval) as read-only Monaco
    // JSON, and a chart of its metrics.
    const latest = device.getByTestId('device-heartbeat');
    await expect.poll(async () => monacoText(latest), { timeout: 8000 }).toContain('"DeviceName": "e2e-01"');
    expect(await latest.locator('.monaco-editor').count()).toBe(1);
    await page.getByRole('img', { name: /^e2e-01: / }).waitFor();
    // Read-only: typing changes nothing.
    await latest.locator('.view-lines').click();
    await page.keyboard.type('xyz');
    expect(await monacoText(latest)).not.toContain('xyz');
    // It follows the heartbeats while the device is open (every value moves each second).
    const before = await monacoText(latest);
    await expect.poll(async () => monacoText(latest), { timeout: 6000 }).not.toBe(before);
    expect(await device.getByTestId('device-deployments').textContent()).toContain('No deployment yet.');

    // A fault shows on the error chart within 2 s (plus the chart's half-second step).
    await page.getByRole('button', { name: '20% errors (15 s)' }).click();
    await page
      .getByRole('img', { name: /^Accepted and rejected per second: .*InternalServiceException\/s [1-9]/ })
      .waitFor({ timeout: 4000 });
    await page.getByRole('button', { name: 'No faults' }).click();
    expect(await page.getByTestId('fleet-caption').textContent()).toBeTruthy();

    // Presenter mode: the shortcut and back with Esc; the editor and filters hide, the grid stays; its
    // high-contrast palette (presenter-palette.ts, light here) is what the page computes.
    const computed = (locator: Locator, property: string): Promise<string> =>
      locator.evaluate((el, p) => getComputedStyle(el).getPropertyValue(p).trim(), property);
    expect(await computed(view, '--state-h')).not.toBe('#019451');
    await page.keyboard.press('Control+Shift+P');
    await expect.poll(async () => view.getAttribute('class')).toContain('presenter');
    expect(await page.getByRole('button', { name: 'Presenter mode' }).count()).toBe(0);
    await grid.waitFor();
    expect(await view.getAttribute('data-palette')).toBe('presenter-light');
    expect(await computed(view, 'background-color')).toBe('rgb(255, 255, 255)');
    expect(await computed(page.getByTestId('fleet-caption'), 'color')).toBe('rgb(0, 0, 0)');
    expect(await computed(view, '--state-h')).toBe('#019451');
    expect(await computed(page.locator('.legend .c-h').first(), 'color')).toBe('rgb(1, 148, 81)');
    // The legend stays for the room, with the ✕ of a failed deployment.
    expect(await page.getByRole('list', { name: 'Colours' }).textContent()).toContain('last deployment failed');
    await page.keyboard.press('Escape');
    await expect.poll(async () => view.getAttribute('class')).not.toContain('presenter');
    expect(await view.getAttribute('data-palette')).toBe('theme-light');

    // Open in composer: the heartbeat becomes the composer's document; the Response column (the
    // inspector) shows the device too, its heartbeat in read-only Monaco, still following it; back to the fleet.
    await device.getByRole('button', { name: 'Open in composer' }).click();
    await expect.poll(async () => page.getByRole('tab', { name: 'Composer' }).getAttribute('aria-selected')).toBe('true');
    await expect.poll(async () => page.locator('#composer-view').textContent()).toContain('e2e-01');
    const inspected = page.locator('#response-pane').getByTestId('fleet-device');
    await inspected.waitFor();
    expect(await page.locator('#response-pane').getByTestId('inspector-origin').textContent()).toContain('simulated device');
    const inInspector = inspected.getByTestId('device-heartbeat');
    await expect.poll(async () => monacoText(inInspector), { timeout: 8000 }).toContain('"DeviceName": "e2e-01"');
    const shown = await monacoText(inInspector);
    await expect.poll(async () => monacoText(inInspector), { timeout: 6000 }).not.toBe(shown);
    await page.getByRole('tab', { name: 'Fleet' }).click();

    // Pause and resume.
    await page.getByTestId('fleet-pause').click();
    await expect.poll(async () => page.getByTestId('fleet-caption').textContent()).toMatch(/^Paused/);
    expect(await page.getByTestId('fleet-pause').textContent()).toContain('Resume');
    await page.getByTestId('fleet-pause').click();
    await expect.poll(async () => page.getByTestId('fleet-caption').textContent()).not.toMatch(/^Paused/);

    // Stop; the report downloads as one HTML file holding the summary.
    await page.getByTestId('fleet-start').click();
    await expect.poll(async () => page.getByTestId('fleet-start').textContent(), { timeout: 10_000 }).toContain('Start');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export report' }).click()]);
    const html = readFileSync((await download.path())!, 'utf8');
    expect(download.suggestedFilename()).toMatch(/^fleet-run-e2e-fleet-.*\.html$/);
    expect(html).toContain('e2e-fleet');
    expect(html).not.toContain('<script');
    errors.allow(/the server responded with a status of 500/);
    errors.expectNone();
    await page.close();
  }, 90_000);

  it("a run in the host's worker thread (HEARTBEAT_FLEET_RUN_IN=worker: the built host runs itself as the worker)", async () => {
    const workerHost = await startUiHost((env) => (env.HEARTBEAT_FLEET_RUN_IN = 'worker'));
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors = watchPageErrors(page);
    try {
      await page.goto(workerHost.url);
      await page.getByRole('tab', { name: 'Fleet' }).click();
      await page
        .getByLabel('Open a scenario file')
        .setInputFiles({ name: 'e2e.yaml', mimeType: 'text/yaml', buffer: Buffer.from(SCENARIO) });
      await expect.poll(async () => page.getByLabel('Example scenario').inputValue()).toBe('');
      await page.getByTestId('fleet-start').click();
      const grid = page.getByTestId('device-grid');
      await expect.poll(async () => grid.getAttribute('aria-label'), { timeout: 15_000 }).toMatch(/^24 devices: (2[0-4]) healthy/);
      await grid.focus();
      await page.keyboard.press('End');
      await page.keyboard.press('Enter');
      const device = page.getByRole('region', { name: 'Selected device' });
      await expect
        .poll(async () => monacoText(device.getByTestId('device-heartbeat')), { timeout: 8000 })
        .toContain('"DeviceName": "e2e-24"');
      await page.getByTestId('fleet-start').click();
      await expect.poll(async () => page.getByTestId('fleet-start').textContent(), { timeout: 10_000 }).toContain('Start');
      expect(await page.getByRole('button', { name: 'Export report' }).isEnabled()).toBe(true);
      errors.expectNone();
    } finally {
      await page.close();
      await workerHost.stop();
    }
  }, 60_000);

  it('the rollout example: its staged plan fails at stage 2, and the timeline says so', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const errors = watchPageErrors(page);
    await page.goto(host.url);
    await page.getByRole('tab', { name: 'Fleet' }).click();
    await page.getByTestId('fleet-start').waitFor();
    await stopAnyRun(page);
    await page.getByLabel('Example scenario').selectOption('rollout');
    await page.getByTestId('fleet-start').click();
    const grid = page.getByTestId('device-grid');
    await expect.poll(async () => grid.getAttribute('aria-label'), { timeout: 10_000 }).toMatch(/^40 devices: 40 healthy/);
    await page.getByRole('button', { name: "Start the example's rollout" }).click();
    const plan = page.locator('[data-status]', { hasText: 'aisle-detector-3-1' });
    await expect.poll(async () => plan.getAttribute('data-status'), { timeout: 45_000 }).toBe('failed');
    const text = (await plan.textContent()) ?? '';
    expect(text).toMatch(/Stage 1 \(canary\): succeeded/);
    expect(text).toMatch(/Stage 2 \(half\): failed/);
    expect(text).toMatch(/Stage 3 \(all\): (pending|cancelled)/);
    expect(await page.getByTestId('fleet-caption').textContent()).toMatch(/aisle-detector-3-1|Stage 2|failed|roll/i);

    // aisle-cam-03, the canary whose apply failed (seed 42): its deployment history says FAIL, rolled back, and why.
    await grid.focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    const device = page.getByRole('region', { name: 'Selected device' });
    await expect.poll(async () => device.locator('h3').first().textContent()).toContain('aisle-cam-03');
    const failed = device.getByTestId('device-deployments').locator('li[data-status="FAIL"]');
    await failed.waitFor({ timeout: 5000 });
    expect(await failed.getAttribute('data-rolled-back')).toBe('true');
    const history = (await failed.textContent()) ?? '';
    expect(history).toContain('aisle-detector-3-1');
    expect(history).toContain('rolled back');
    expect(history).toContain('aisle-detector 3.1: DEPLOY FAIL, now DEPLOY');
    expect(history).toMatch(/Simulated failure loading aisle-detector 3\.1/);
    expect(history).toContain('The deployment failed and was rolled back to the previous models.');
    expect(await device.locator('dl').textContent()).toMatch(/aisle-detector 3\.0[\s\S]*aisle-detector-3-1: FAIL/);
    await page.getByTestId('fleet-start').click();
    errors.expectNone();
    await page.close();
  }, 90_000);
});
