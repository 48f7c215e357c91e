/**
 * Issue 13 in the app: sends made by the CLI into the app's history folder appear in the running app's
 * history list within a second, and a malformed line written by hand is one notice, not a broken app.
 */
import { appendFileSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { heartbeat } from '../cli/heartbeat-run.ts';
import { CHROMIUM, launchChromium, startUiHost, watchPageErrors, type UiHost } from './harness.ts';

describe.skipIf(!existsSync(CHROMIUM))('the history of the running app follows other writers', () => {
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

  it('shows a CLI send live, and one notice for a malformed line', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const errors = watchPageErrors(page);
    await page.goto(host.url);
    await page.getByRole('heading', { name: 'History' }).waitFor();
    const payload = join(host.env.HOME!, 'cli-live.json');
    writeFileSync(payload, JSON.stringify({ AgentVersion: '1.0', DeviceName: 'cli-live-1', DeviceFleetName: 'live' }));
    const sent = await heartbeat(['send', payload, '--local'], host.env);
    expect(sent.code, sent.stderr).toBe(0);
    const started = Date.now();
    await page.locator('[data-testid="history-entry"]', { hasText: 'cli-live-1' }).waitFor({ timeout: 3000 });
    expect(Date.now() - started).toBeLessThan(1500);

    const dir = host.env.HEARTBEAT_HISTORY_DIR!;
    const file = readdirSync(dir).find((f) => f.startsWith('history-'))!;
    appendFileSync(join(dir, file), '{"v":1,"type":"request","id":"zzz"}\n');
    await page.locator('[data-testid="history-notice"]').waitFor({ timeout: 3000 });
    expect(await page.locator('[data-testid="history-notice"]').textContent()).toContain(`${file} line 3 (it has no time)`);
    // The app still works: the list still has the CLI's entry, and the page had no error.
    expect(await page.locator('[data-testid="history-entry"]', { hasText: 'cli-live-1' }).count()).toBe(1);
    errors.expectNone();
    await page.close();
  }, 60_000);
});
