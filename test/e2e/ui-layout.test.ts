/**
 * Issue 14 items 4, 5, 20-24 in a real Chromium against the real browser-mode host: the columns keep a
 * usable width (or stack) and can be resized and collapsed, the keyboard reaches everything in few
 * steps, the connection line follows the host, the draft survives a reload, and no page error occurs.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CHROMIUM, ROOT, launchChromium, startUiHost, watchPageErrors, type PageErrors, type UiHost } from './harness.ts';

const SHOTS = join(ROOT, 'test-results');

describe.skipIf(!existsSync(CHROMIUM))('UI layout, keyboard and robustness', () => {
  let host: UiHost;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let errors: PageErrors[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    host = await startUiHost();
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await host?.stop();
  });
  afterEach(async () => {
    for (const e of errors) e.expectNone();
    errors = [];
    for (const c of contexts.splice(0)) await c.close();
  });

  async function openApp(width = 1440, height = 900, url = host.url, colorScheme: 'light' | 'dark' = 'light'): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height }, colorScheme });
    contexts.push(context);
    const page = await context.newPage();
    errors.push(watchPageErrors(page));
    await page.goto(url);
    await expect.poll(() => page.getByTestId('connection').getAttribute('class'), { timeout: 15_000 }).toMatch(/\bconnected\b/);
    return page;
  }
  const outcome = (page: Page) => page.getByTestId('outcome').innerText();
  async function sendAs(page: Page, device: string): Promise<void> {
    await page.getByLabel('DeviceName', { exact: true }).fill(device);
    await page.keyboard.press('ControlOrMeta+Enter');
    await expect.poll(() => outcome(page), { timeout: 15_000 }).toMatch(/200/);
    await expect.poll(() => page.getByTestId('history-entry').filter({ hasText: device }).count(), { timeout: 10_000 }).toBeGreaterThan(0);
  }

  it('Compare opens without a single page error, moves the focus into its dialog and back to Compare', async () => {
    const page = await openApp();
    await sendAs(page, 'cam-cmp-a');
    await sendAs(page, 'cam-cmp-b');
    const boxes = page.getByTestId('history-entry').getByRole('checkbox');
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    const compare = page.getByRole('button', { name: 'Compare' });
    await compare.focus();
    await page.keyboard.press('Enter');
    const diff = page.getByRole('dialog', { name: 'Compare request bodies' });
    await diff.locator('.monaco-diff-editor .view-line').first().waitFor({ timeout: 15_000 });
    expect(await page.evaluate(() => Boolean(document.activeElement?.closest('dialog')))).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => diff.count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Compare');
    // Twice: each open used to throw again.
    await page.keyboard.press('Enter');
    await diff.locator('.monaco-diff-editor .view-line').first().waitFor({ timeout: 15_000 });
    await page.getByRole('button', { name: 'Close the comparison' }).click();
    await expect.poll(() => diff.count()).toBe(0);
  }, 90_000);

  const box = async (page: Page, selector: string) => (await page.locator(selector).boundingBox()) ?? { x: 0, y: 0, width: 0, height: 0 };

  for (const [width, height] of [
    [1000, 700],
    [1280, 800],
    [1440, 900],
    [1920, 900],
  ] as const) {
    it(`at ${width}×${height} every column keeps a usable width after Send, and the top bar is one row`, async () => {
      const page = await openApp(width, height, host.url, width === 1280 ? 'dark' : 'light');
      await page.getByLabel('DeviceName', { exact: true }).fill(`cam-w${width}`);
      await page.keyboard.press('ControlOrMeta+Enter');
      await expect.poll(() => outcome(page), { timeout: 15_000 }).toMatch(/200/);
      const response = await box(page, '#response-pane');
      const composer = await box(page, '#composer-pane');
      expect(response.width).toBeGreaterThanOrEqual(340);
      expect(response.height).toBeGreaterThanOrEqual(300);
      expect(composer.width).toBeGreaterThanOrEqual(520);
      // Side by side: the response is right of the composer, not under it.
      expect(response.x).toBeGreaterThanOrEqual(composer.x + composer.width);
      expect(await page.getByTestId('outcome').isVisible()).toBe(true);
      const history = page.locator('#history-pane');
      if (width >= 1280) expect((await box(page, '#history-pane')).width).toBeGreaterThanOrEqual(200);
      else expect(await history.isVisible()).toBe(false); // a rail at 1000 px, its button brings it back
      expect((await box(page, 'header.top-bar')).height).toBeLessThan(56);
      // Form and JSON side by side from 1280 px.
      const tabs = page.getByRole('tablist', { name: 'Composer views' });
      if (width >= 1280) {
        expect(await tabs.count()).toBe(0);
        const form = await box(page, '#pane-form');
        const json = await box(page, '#pane-json');
        expect(form.width).toBeGreaterThan(250);
        expect(json.x).toBeGreaterThanOrEqual(form.x + form.width - 1);
      } else expect(await tabs.count()).toBe(1);
      await page.screenshot({ path: join(SHOTS, `layout-${width}.png`) });
    }, 60_000);
  }

  for (const [width, colorScheme] of [
    [420, 'light'],
    [360, 'dark'],
  ] as const) {
    it(`at ${width} px the top bar wraps instead of overlapping, and the fleet's grid ends above its charts`, async () => {
      const page = await openApp(width, 800, host.url, colorScheme);
      const parts = await page.evaluate(() =>
        [
          ...document.querySelectorAll(
            'header.top-bar label, header.top-bar select, header.top-bar button, header.top-bar [data-testid=connection]',
          ),
        ].map((el) => {
          const r = el.getBoundingClientRect();
          return {
            name: el.id || el.textContent?.trim().slice(0, 20) || el.tagName,
            left: r.left,
            right: r.right,
            top: r.top,
            bottom: r.bottom,
          };
        }),
      );
      expect(parts.length).toBeGreaterThanOrEqual(6);
      for (const [i, a] of parts.entries()) {
        expect(a.right, `${a.name} fits the window`).toBeLessThanOrEqual(width);
        for (const b of parts.slice(i + 1)) {
          const overlap =
            Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
          expect(overlap, `${a.name} overlaps ${b.name}`).toBe(false);
        }
      }
      expect((await box(page, '#credentials')).width).toBeGreaterThanOrEqual(60);
      await page.getByRole('tab', { name: 'Fleet' }).click();
      // Before a run: the grid and the charts say what will show there.
      await expect.poll(() => page.getByTestId('device-grid-empty').isVisible()).toBe(true);
      expect(await page.getByText('No data yet: the chart fills while a run goes.').count()).toBeGreaterThanOrEqual(3);
      await page.getByRole('button', { name: 'Start' }).click();
      await expect.poll(() => page.getByTestId('device-grid-empty').count(), { timeout: 15_000 }).toBe(0);
      await expect.poll(() => page.getByText('No data yet: the chart fills while a run goes.').count(), { timeout: 15_000 }).toBe(0);
      await expect.poll(async () => (await box(page, '[data-testid=device-grid]')).height, { timeout: 15_000 }).toBeGreaterThan(20);
      const side = await box(page, 'aside[aria-label="Charts and controls"]');
      const gridBox = await box(page, '[data-testid=device-grid]');
      expect(gridBox.y + gridBox.height).toBeLessThanOrEqual(side.y);
      await page.getByRole('button', { name: 'Stop' }).click();
    }, 60_000);
  }

  it('under 930 px the panes stack, each still readable', async () => {
    const page = await openApp(900, 800);
    await page.keyboard.press('ControlOrMeta+Enter');
    await expect.poll(() => outcome(page), { timeout: 15_000 }).toMatch(/200/);
    const response = await box(page, '#response-pane');
    const composer = await box(page, '#composer-pane');
    expect(response.y).toBeGreaterThanOrEqual(composer.y + composer.height);
    expect(response.width).toBeGreaterThan(800);
    expect(response.height).toBeGreaterThanOrEqual(400);
    expect((await box(page, '#history-pane')).height).toBeGreaterThanOrEqual(300);
  }, 60_000);

  it('separators resize with the keyboard and collapse with Enter; the sizes are remembered', async () => {
    const page = await openApp(1440, 900);
    const separator = page.getByRole('separator', { name: 'History width' });
    const before = Number(await separator.getAttribute('aria-valuenow'));
    const widthBefore = (await box(page, '#history-pane')).width;
    await separator.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(Number(await separator.getAttribute('aria-valuenow'))).toBe(before + 32);
    expect(Math.round((await box(page, '#history-pane')).width - widthBefore)).toBe(32);
    const response = page.getByRole('separator', { name: 'Response column width' });
    await response.focus();
    await page.keyboard.press('End');
    const widest = Number(await response.getAttribute('aria-valuenow'));
    expect(widest).toBe(Number(await response.getAttribute('aria-valuemax')));
    expect((await box(page, '#composer-pane')).width).toBeGreaterThanOrEqual(519);
    await page.keyboard.press('Home');
    expect(Number(await response.getAttribute('aria-valuenow'))).toBe(340);
    // Enter collapses the history to a rail; the size comes back with it.
    await separator.focus();
    await page.keyboard.press('Enter');
    expect(await page.locator('#history-pane').isVisible()).toBe(false);
    expect(await separator.getAttribute('aria-valuetext')).toBe('collapsed');
    await page.reload();
    await page.locator('#composer-pane').waitFor();
    expect(await page.locator('#history-pane').isVisible()).toBe(false);
    await page.getByRole('button', { name: 'History', exact: true }).click();
    expect(Number(await separator.getAttribute('aria-valuenow'))).toBe(before + 32);
    expect(Number(await response.getAttribute('aria-valuenow'))).toBe(340);
    // Dragging with the mouse.
    const handle = await box(page, '.inspector-separator');
    await page.mouse.move(handle.x + handle.width / 2, handle.y + 200);
    await page.mouse.down();
    await page.mouse.move(handle.x + handle.width / 2 - 100, handle.y + 200, { steps: 4 });
    await page.mouse.up();
    expect(Number(await response.getAttribute('aria-valuenow'))).toBe(440);
  }, 60_000);

  it('keyboard: skip links, one tab stop for the history list, arrows/Home/End/Enter inside it, Paste gives the focus back', async () => {
    const page = await openApp(1440, 900);
    for (let i = 0; i < 21; i++) {
      // Ctrl+Enter while a send is still in flight sends nothing: wait for Send to be back.
      await page.getByRole('banner').getByRole('button', { name: 'Send', exact: true }).waitFor({ timeout: 15_000 });
      await page.getByLabel('DeviceName', { exact: true }).fill(`cam-kb-${String(i).padStart(2, '0')}`);
      await page.keyboard.press('ControlOrMeta+Enter');
      await expect
        .poll(
          () =>
            page
              .getByTestId('history-entry')
              .filter({ hasText: `cam-kb-${String(i).padStart(2, '0')}` })
              .count(),
          { timeout: 15_000 },
        )
        .toBe(1);
    }
    await page.getByLabel('Search history').fill('cam-kb-');
    await expect.poll(() => page.getByTestId('history-entry').count(), { timeout: 10_000 }).toBe(21);
    // From the top of the page: the first Tab reaches "Skip to composer".
    await page.reload();
    await page.locator('#composer-pane').waitFor();
    await expect.poll(() => page.getByTestId('history-entry').count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(21);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to composer');
    // Without the skip links: Tab through everything to the first form field; the 21 entries are one stop.
    const stops: string[] = [];
    for (let i = 0; i < 80; i++) {
      await page.keyboard.press('Tab');
      const where = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement;
        return `${el.closest('.entries') ? 'entry ' : ''}${el.getAttribute('aria-label') ?? el.id ?? el.textContent}`;
      });
      stops.push(where);
      if (where === 'AgentVersion' || where.endsWith('AgentVersion')) break;
    }
    expect(stops.filter((s) => s.startsWith('entry ')).length).toBe(1);
    expect(stops.length).toBeLessThan(35);
    // Inside the list: arrows, Home, End; Enter opens.
    await page.getByLabel('Search history').fill('cam-kb-');
    await expect.poll(() => page.getByTestId('history-entry').count(), { timeout: 10_000 }).toBe(21);
    const entryStop = page.locator('.entries [tabindex="0"]');
    await entryStop.focus();
    const focusedLabel = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? '');
    expect(await focusedLabel()).toMatch(/^Open cam-kb-20/);
    await page.keyboard.press('ArrowDown');
    expect(await focusedLabel()).toMatch(/^Open cam-kb-19/);
    await page.keyboard.press('End');
    expect(await focusedLabel()).toMatch(/^Open cam-kb-00/);
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowRight');
    expect(await focusedLabel()).toMatch(/^Re-send cam-kb-19/);
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    expect(await focusedLabel()).toMatch(/^Pick cam-kb-19/);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByLabel('DeviceName', { exact: true }).inputValue()).toBe('cam-kb-19');
    expect(await page.locator('.entries [tabindex="0"]').count()).toBe(1);
    // Skip links move the focus into their pane.
    for (const [name, id] of [
      ['Skip to history', 'history-pane'],
      ['Skip to response', 'response-pane'],
      ['Skip to composer', 'composer-pane'],
    ]) {
      await page.getByRole('link', { name }).focus();
      await page.keyboard.press('Enter');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe(id);
    }
    // From another view, a skip link brings the composer back first.
    await page.getByRole('tab', { name: 'Runs' }).click();
    await page.getByRole('link', { name: 'Skip to composer' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('composer-pane');
    expect(await page.getByRole('tab', { name: 'Composer' }).getAttribute('aria-selected')).toBe('true');
    // Paste: the focus goes back to its button when the dialog closes.
    await page.getByRole('button', { name: 'Paste…' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: 'Paste a request' }).waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog', { name: 'Paste a request' }).count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Paste…');
  }, 120_000);

  it('the composer draft survives a reload, and a new window starts from the last draft', async () => {
    const page = await openApp(1440, 900);
    await page.getByLabel('DeviceName', { exact: true }).fill('cam-draft-kept');
    await page.waitForTimeout(600);
    await page.reload();
    await expect.poll(() => page.getByLabel('DeviceName', { exact: true }).inputValue(), { timeout: 10_000 }).toBe('cam-draft-kept');
    const second = await page.context().newPage();
    errors.push(watchPageErrors(second));
    await second.goto(host.url);
    await expect.poll(() => second.getByLabel('DeviceName', { exact: true }).inputValue(), { timeout: 10_000 }).toBe('cam-draft-kept');
  }, 60_000);

  it('the connection line says when the host is gone, instead of staying green', async () => {
    const own = await startUiHost();
    try {
      const page = await openApp(1440, 900, own.url);
      errors.at(-1)!.allow(/ERR_CONNECTION_REFUSED|Failed to load resource/); // the stream's retries once the host is gone
      const line = page.getByTestId('connection');
      expect(await line.getAttribute('class')).toContain('connected');
      // The JSON view fully loaded first (its language support is a chunk of its own, from the host).
      await expect.poll(() => page.locator('.monaco-editor .view-lines').innerText(), { timeout: 15_000 }).toMatch(/\d{4}-\d\d-\d\dT/);
      // Monaco starts its editor worker on demand; once the host is gone that script cannot load, and
      // Monaco reports the worker's error event as uncaught. Accepted only when a worker script failed.
      const failedWorkers: string[] = [];
      page.on('requestfailed', (r) => {
        if (/\.worker-[\w-]+\.js$/.test(new URL(r.url()).pathname)) failedWorkers.push(r.url());
      });
      await own.stop();
      await expect.poll(() => line.innerText(), { timeout: 10_000 }).toMatch(/^Reconnecting|^Disconnected/);
      await expect.poll(() => line.innerText(), { timeout: 15_000 }).toMatch(/^Disconnected/);
      await page.screenshot({ path: join(SHOTS, 'connection-lost.png'), clip: { x: 0, y: 0, width: 1440, height: 60 } });
      if (failedWorkers.length) errors.at(-1)!.allow(/^pageerror: Event$/);
    } finally {
      await own.stop();
    }
  }, 60_000);

  it('the response column reads well: Authorization in a few lines, error types never cut, a one-row top bar with a custom URL', async () => {
    const page = await openApp(1440, 900);
    await page.getByRole('tab', { name: 'Endpoint' }).click();
    await page.getByLabel('Fail every Nth (0 = off)').fill('1');
    await page.getByLabel('Error type').selectOption({ label: 'ThrottlingException (429)' });
    await page.getByLabel('Retry-After (s)').fill('0');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByLabel('DeviceName', { exact: true }).fill('cam-cramped');
    await page.keyboard.press('ControlOrMeta+Enter');
    await page.getByRole('tab', { name: 'Response' }).click();
    await expect.poll(() => outcome(page), { timeout: 20_000 }).toMatch(/429/);
    await page.getByRole('tab', { name: 'Endpoint' }).click();
    await page.getByRole('button', { name: 'No faults' }).click();
    await page.getByRole('tab', { name: 'Response' }).click();
    await page.evaluate(() => document.querySelectorAll<HTMLDetailsElement>('#side-response details').forEach((d) => (d.open = true)));
    const measures = await page.evaluate(() => {
      const cell = [...document.querySelectorAll('#side-response th')].find((th) => th.textContent === 'authorization')
        ?.nextElementSibling as HTMLElement;
      const lineHeight = parseFloat(getComputedStyle(cell).lineHeight) || 15;
      /** How many lines the word takes where it first appears under `root` (1 = not broken). */
      const linesOf = (root: Element, word: string): number => {
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const at = node.textContent!.indexOf(word);
          if (at === -1) continue;
          const range = document.createRange();
          range.setStart(node, at);
          range.setEnd(node, at + word.length);
          return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
        }
        return -1;
      };
      const attempts = document.querySelector('#side-response table.attempts')!;
      const row = [...document.querySelectorAll('[data-testid="history-entry"]')].find((li) => li.textContent!.includes('cam-cramped'))!;
      return {
        authorizationLines: Math.round(cell.getBoundingClientRect().height / lineHeight),
        inAttempts: linesOf(attempts, 'ThrottlingException'),
        inHistory: linesOf(row, 'ThrottlingException'),
        historyClipped: [...row.querySelectorAll<HTMLElement>('.badge')].some((b) => b.scrollWidth > b.clientWidth + 1),
      };
    });
    expect(measures.authorizationLines).toBeLessThanOrEqual(6);
    expect(measures).toMatchObject({ inAttempts: 1, inHistory: 1, historyClipped: false });
    await page.screenshot({ path: join(SHOTS, 'layout-response-1440.png') });
    await page.getByLabel('Target').selectOption('url');
    expect((await box(page, 'header.top-bar')).height).toBeLessThan(56);
    await page.setViewportSize({ width: 1000, height: 700 });
    expect((await box(page, 'header.top-bar')).height).toBeLessThan(56);
  }, 60_000);
});
