/**
 * Debian's Chromium for the end-to-end tests and `bench ui` (no test framework here, so the bench can use
 * it too): where it is, how it is launched, and a rebuild of dist/ui when the UI's sources are newer.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const ROOT = join(import.meta.dirname, '..', '..');
export const DIST_UI = join(ROOT, 'dist', 'ui');

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** Newest modification time under the UI's sources. */
function newestSource(): number {
  let newest = 0;
  const stack = [join(ROOT, 'src', 'renderer'), join(ROOT, 'src', 'common'), join(ROOT, 'index.html'), join(ROOT, 'vite.config.ts')];
  for (let guard = 0; stack.length && guard < 20_000; guard++) {
    const path = stack.pop()!;
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) continue;
    if (stat.isDirectory()) for (const name of readdirSync(path)) stack.push(join(path, name));
    else newest = Math.max(newest, stat.mtimeMs);
  }
  return newest;
}

/** Builds dist/ui when it is missing or older than its sources (a test run right after an edit). */
export function ensureUiBuilt(timeoutMs = 400_000): void {
  const built = statSync(join(DIST_UI, 'index.html'), { throwIfNoEntry: false });
  if (built && built.mtimeMs >= newestSource()) return;
  execFileSync(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
    timeout: timeoutMs,
  });
}
