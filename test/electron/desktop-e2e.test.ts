/**
 * The desktop app end to end through Playwright's Electron driver: compose → send → history in the
 * real window. It needs the Electron binary, which cannot be downloaded on the build machines, so
 * there it skips (saying so once); wherever `npx install-electron` has put the binary it runs.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ElectronApplication, Page } from 'playwright-core';
import { isolatedEnv } from '../cli/heartbeat-run.ts';

const ROOT = join(import.meta.dirname, '..', '..');

/** The binary the electron package points at, when it has been downloaded. */
function electronBinary(): string | undefined {
  const dir = join(ROOT, 'node_modules', 'electron');
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const binary = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : undefined;
}

const binary = electronBinary();
const SKIP_REASON =
  'the Electron binary is not installed here (it cannot be downloaded on this machine), so the desktop end-to-end test is skipped';
if (!binary) console.warn(`Skipping: ${SKIP_REASON}.`);

describe.skipIf(!binary)('desktop app in Electron (skipped when the Electron binary is absent)', () => {
  let app: ElectronApplication;
  let page: Page;

  beforeAll(async () => {
    const { _electron } = await import('playwright-core');
    const home = mkdtempSync(join(tmpdir(), 'hb-electron-e2e-'));
    app = await _electron.launch({
      executablePath: binary,
      args: [ROOT],
      cwd: ROOT,
      env: { ...isolatedEnv(), HOME: home, XDG_CONFIG_HOME: join(home, '.config') } as Record<string, string>,
    });
    page = await app.firstWindow();
    page.setDefaultTimeout(15_000);
  }, 60_000);

  afterAll(async () => {
    await app?.close();
  });

  it('shows the app from app:// with no Node in the page, connected to the desktop host', async () => {
    expect(page.url()).toBe('app://heartbeat/index.html');
    await expect.poll(() => page.getByTestId('connection').innerText()).toContain('Desktop app');
    expect(
      await page.evaluate(() => [
        typeof (globalThis as { require?: unknown }).require,
        typeof (globalThis as { process?: unknown }).process,
      ]),
    ).toEqual(['undefined', 'undefined']);
  });

  it('composes, sends to the embedded endpoint and finds the entry in the history', async () => {
    await page.getByLabel('DeviceName', { exact: true }).fill('cam-e2e-desktop');
    await page.keyboard.press('ControlOrMeta+Enter');
    await expect.poll(() => page.getByTestId('inspector-status').innerText()).toMatch(/200/);
    await expect.poll(() => page.getByTestId('history-entry').filter({ hasText: 'cam-e2e-desktop' }).count()).toBeGreaterThan(0);
    const found = await page.evaluate(async () =>
      (window as unknown as { heartbeat: { history: { query(q: object): Promise<{ entries: unknown[] }> } } }).heartbeat.history.query({
        device: 'cam-e2e-desktop',
      }),
    );
    expect(found.entries).toMatchObject([{ deviceName: 'cam-e2e-desktop', status: 'success', httpStatus: 200 }]);
  });
});
