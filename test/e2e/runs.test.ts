/**
 * Issue 19 items 1–3 in real Chromium against the real browser-mode host (docs/runs.md#the-run-view): a
 * HAR recorded by Chromium itself (Playwright's recordHar) opens in the Runs view with its non-Edge-Manager
 * entry listed as skipped; an NDJSON capture opened from the Runs view runs against the embedded endpoint
 * (start, live table, failed-only filter, re-run failed, cancel), its JUnit export downloads, an item opens
 * in the composer with its exchange in the inspector; a paste of many requests in the composer opens the
 * Runs view. Zero page errors. Screenshots in both themes go to test-results/.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM, launchChromium, ROOT, startUiHost, watchPageErrors, type UiHost, callHost } from './harness.ts';
import { ensureUiBuilt } from './browser.ts';

const SHOTS = join(ROOT, 'test-results');
const now = Math.floor(Date.now() / 1000);
const heartbeat = (device: string | undefined): string =>
  JSON.stringify({
    AgentVersion: '1.0',
    ...(device ? { DeviceName: device } : {}),
    DeviceFleetName: 'e2e-runs',
    AgentMetrics: [{ MetricName: 'CpuUtilization', Value: 12.5, Timestamp: now }],
  });

describe.skipIf(!existsSync(CHROMIUM))('the Runs view', () => {
  let host: UiHost;
  let browser: Browser;
  let dir: string;
  let endpointUrl: string;

  const call = (page: Page, route: string, body: unknown) => callHost(page, host, route, body);

  const attr = (page: Page, testId: string, name: string): Promise<string | null> => page.getByTestId(testId).getAttribute(name);

  async function openApp(
    theme: 'light' | 'dark',
    width = 1440,
    height = 900,
  ): Promise<{ page: Page; errors: ReturnType<typeof watchPageErrors> }> {
    const context = await browser.newContext({ viewport: { width, height }, colorScheme: theme, acceptDownloads: true });
    const page = await context.newPage();
    const errors = watchPageErrors(page);
    await page.goto(host.url);
    await expect.poll(() => page.getByTestId('connection').innerText(), { timeout: 15_000 }).toContain('Connected');
    return { page, errors };
  }

  beforeAll(async () => {
    ensureUiBuilt(240_000);
    mkdirSync(SHOTS, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'heartbeat-runs-e2e-'));
    host = await startUiHost();
    browser = await launchChromium();
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(host.url);
    endpointUrl = ((await call(page, '/api/endpoint/info', {})).result as { url: string }).url;
    await context.close();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await host?.stop();
  });

  it("opens a HAR recorded by Chromium's devtools, lists the other site's entry as skipped, and runs the rest", async () => {
    // Chromium records a HAR of a page on the endpoint's origin sending three (unsigned) heartbeats itself.
    const har = join(dir, 'chromium.har');
    const recording = await browser.newContext({ recordHar: { path: har, content: 'embed' } });
    const recorder = await recording.newPage();
    await recorder.goto(`${endpointUrl}/__admin/health`);
    await recorder.evaluate(
      async ({ bodies }) => {
        for (const body of bodies) await fetch('/SendHeartbeat', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      },
      { bodies: ['har-1', 'har-2', 'har-3'].map(heartbeat) },
    );
    await recording.close();
    expect(readFileSync(har, 'utf8')).toContain('"postData"');

    const { page, errors } = await openApp('dark');
    await page.getByTestId('view-runs').click();
    await page.locator('input[aria-label="Capture file"]').setInputFiles(har);
    await expect.poll(() => attr(page, 'run-capture', 'data-state'), { timeout: 10_000 }).toBe('ready');
    expect(await attr(page, 'run-capture', 'data-items')).toBe('3');
    expect(await page.getByTestId('run-format').inputValue()).toBe('har');
    await page.getByTestId('run-issues').locator('summary').click();
    await expect.poll(() => page.getByTestId('run-issues').innerText()).toMatch(/skipped.*\/__admin\/health/s);
    // Recorded unsigned (refused); signed now with the demo keys, accepted: each differs from the record.
    await page.getByTestId('run-expect').selectOption('recorded');
    await page.getByTestId('run-start').click();
    await expect.poll(() => attr(page, 'run-progress', 'data-state'), { timeout: 15_000 }).toBe('finished');
    await expect.poll(() => page.getByTestId('run-progress').innerText()).toMatch(/3 differ/);
    await page.getByTestId('run-filter-differs').check();
    await expect.poll(() => attr(page, 'run-table', 'data-total')).toBe('3');
    await page.screenshot({ path: join(SHOTS, 'runs-har-dark.png') });
    errors.expectNone();
    await page.context().close();
  });

  it('runs an NDJSON capture: live table, failed only, re-run failed, JUnit export, an item in the composer and the inspector; cancel', async () => {
    const lines = Array.from({ length: 40 }, (_, n) => heartbeat(n % 10 === 3 ? undefined : `e2e-run-${String(n).padStart(2, '0')}`));
    lines.splice(5, 0, '{"torn": ');
    const file = join(dir, 'fleet-capture.ndjson');
    writeFileSync(file, lines.join('\n') + '\n');
    const { page, errors } = await openApp('light');
    await page.getByTestId('view-runs').click();
    await page.locator('input[aria-label="Capture file"]').setInputFiles(file);
    await expect.poll(() => attr(page, 'run-capture', 'data-state'), { timeout: 10_000 }).toBe('ready');
    expect(await attr(page, 'run-capture', 'data-items')).toBe('40');
    await expect.poll(() => page.getByTestId('run-capture').innerText()).toMatch(/1 unreadable part/);
    await expect.poll(() => page.locator('[role="row"][data-index]').count()).toBeGreaterThan(10);

    await page.getByTestId('run-start').click();
    await expect.poll(() => attr(page, 'run-progress', 'data-state'), { timeout: 15_000 }).toBe('finished');
    expect(await attr(page, 'run-progress', 'data-done')).toBe('40');
    expect(await attr(page, 'run-progress', 'data-failed')).toBe('4');
    await expect.poll(() => page.getByTestId('run-result').first().innerText()).toBe('200');
    await page.screenshot({ path: join(SHOTS, 'runs-ndjson-light.png') });

    await page.getByTestId('run-filter-failed').check();
    await expect.poll(() => attr(page, 'run-table', 'data-total')).toBe('4');
    await expect.poll(() => page.getByTestId('run-result').allInnerTexts()).toEqual(Array(4).fill('400 ValidationException'));

    // Re-run failed: 4 sent again, the table still shows all 40 results.
    await page.getByTestId('run-rerun').click();
    await expect.poll(() => page.getByTestId('run-progress').innerText(), { timeout: 15_000 }).toMatch(/Finished: 4 of 4/);
    await page.getByTestId('run-filter-all').check();
    await expect.poll(() => attr(page, 'run-table', 'data-total')).toBe('40');

    // JUnit: a download with a testcase per item (and one for the torn line, an error), a failure per failed item.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('run-export-junit').click()]);
    const junit = readFileSync((await download.path())!, 'utf8');
    expect(junit).toMatch(/^<\?xml/);
    expect((junit.match(/<testcase /g) ?? []).length).toBe(41);
    expect((junit.match(/<failure /g) ?? []).length).toBe(4);
    expect((junit.match(/<error /g) ?? []).length).toBe(1);
    // Valid against the JUnit XSD (xmllint exits non-zero, failing the test, on a report that is not).
    execFileSync('xmllint', ['--noout', '--schema', join(ROOT, 'test/fixtures/junit/junit-10.xsd'), (await download.path())!], {
      stdio: 'pipe',
    });

    // An item: its request in the composer, its exchange in the inspector.
    await page.locator('[role="row"][data-index="3"]').click();
    await expect.poll(() => page.getByTestId('view-composer').getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => page.locator('#response-pane').innerText()).toMatch(/ValidationException/);

    // Cancel: a slow run (5 per second) stops where it is.
    await page.getByTestId('view-runs').click();
    await page.getByLabel('Rate (per s)').fill('5');
    await page.getByLabel('Rate (per s)').dispatchEvent('change');
    await page.getByTestId('run-start').click();
    await expect.poll(() => attr(page, 'run-progress', 'data-state')).toBe('running');
    await page.getByTestId('run-pause').click();
    await expect.poll(() => attr(page, 'run-progress', 'data-state')).toBe('paused');
    await page.getByTestId('run-pause').click();
    await page.getByTestId('run-cancel').click();
    await expect.poll(() => attr(page, 'run-progress', 'data-state'), { timeout: 10_000 }).toBe('cancelled');
    expect(Number(await attr(page, 'run-progress', 'data-done'))).toBeLessThan(40);
    errors.expectNone();
    await page.context().close();
  });

  it('a paste of many requests in the composer opens the Runs view', async () => {
    const { page, errors } = await openApp('light', 1280, 800);
    await page.getByRole('button', { name: 'Paste…' }).first().click();
    await page.locator('.paste-dialog textarea').fill(['p-1', 'p-2'].map(heartbeat).join('\n'));
    await page
      .locator('.paste-dialog')
      .getByRole('button', { name: /Import|Load|Open/ })
      .first()
      .click();
    await expect.poll(() => page.getByTestId('view-runs').getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => attr(page, 'run-capture', 'data-items'), { timeout: 10_000 }).toBe('2');
    errors.expectNone();
    await page.context().close();
  });
});
