/**
 * Shared set-up of the end-to-end tests: the real browser-mode host (`heartbeat ui`, built binary) on
 * port 0, Debian's Chromium, and a watch on every page for uncaught errors and console errors — a
 * test that leaves any fails (issue 14 item 22: zero page errors in every e2e test).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { expect } from 'vitest';
import type { ConsoleMessage, Page } from 'playwright-core';
import { isolatedEnv } from '../cli/heartbeat-run.ts';

export { CHROMIUM, launchChromium, ROOT } from './browser.ts';
import { ROOT } from './browser.ts';

export interface UiHost {
  child: ChildProcess;
  /** The URL `heartbeat ui` printed (with the token in the fragment). */
  url: string;
  origin: string;
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

/** Starts `heartbeat ui --port 0 --endpoint-port 0 --no-open` in an isolated home; `prepare` may write files into it first. */
export async function startUiHost(prepare?: (env: NodeJS.ProcessEnv) => void): Promise<UiHost> {
  const env = isolatedEnv();
  prepare?.(env);
  const child = spawn(process.execPath, ['bin/heartbeat.js', 'ui', '--port', '0', '--endpoint-port', '0', '--no-open'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const open = /^open (\S+)$/m.exec(out)?.[1];
      if (open) resolve(open);
    });
    child.on('exit', (code) => reject(new Error(`heartbeat ui exited with ${code}`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    url,
    origin: new URL(url).origin,
    env,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

export interface PageErrors {
  /** Every uncaught error and console error the page had, less the allowed ones. */
  readonly list: string[];
  /** Accepts console errors matching `pattern` (a test that provokes them on purpose, e.g. a refused call). */
  allow(pattern: RegExp): void;
  /** Fails the test if the page had any. */
  expectNone(): void;
}

/** Collects `pageerror` events and console errors of `page`. */
export function watchPageErrors(page: Page): PageErrors {
  const list: string[] = [];
  const allowed: RegExp[] = [];
  page.on('pageerror', (error) => list.push(`pageerror: ${error.message}${error.stack ? `\n${error.stack}` : ''}`));
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() === 'error') list.push(`console error: ${message.text()}`);
  });
  const remaining = (): string[] => list.filter((line) => !allowed.some((p) => p.test(line)));
  return {
    get list() {
      return remaining();
    },
    allow: (pattern) => void allowed.push(pattern),
    expectNone: () => expect(remaining(), 'errors in the page').toEqual([]),
  };
}

/** Calls the host's API from the page, the way the page does (with the launch token): its `{ result }` or `{ error }` answer. */
export async function callHost(page: Page, host: UiHost, route: string, body: unknown): Promise<{ result?: unknown; error?: unknown }> {
  const token = new URL(host.url).hash.replace('#token=', '');
  return page.evaluate(
    async ({ route, body, token }) =>
      (
        await fetch(route, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        })
      ).json(),
    { route, body, token },
  );
}
