/**
 * The composer in Chromium (Debian's /usr/bin/chromium), against peers measured in the same run:
 * - start-up: from spawning `heartbeat ui` (the built CLI) to an interactive composer (form field and
 *   Monaco rendered), next to spawning a trivial node:http server and loading a one-line page from it;
 * - sync: form → JSON and JSON → form with a 1,000-model payload (goal ≤ 50 ms), next to what the
 *   same page needs just to JSON.parse + JSON.stringify that document once (the floor of any sync).
 * Medians of 3 rounds each.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM, launchChromium, ROOT } from '../test/e2e/browser.ts';
import { measureSync, replaceJson, thousandModels } from '../test/e2e/measure-sync.ts';

const ROUNDS = 3;

const TRIVIAL = `import { createServer } from 'node:http';
const server = createServer((req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>t</title><p id="ready">ready</p>'));
server.listen(0, '127.0.0.1', () => console.log('open http://127.0.0.1:' + server.address().port + '/'));`;

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const ms = (n: number): string => `${n.toFixed(1)} ms`;

/** Spawns a server and resolves with the URL from its "open URL" line. */
function spawnServer(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, HEARTBEAT_HISTORY_DIR: mkdtempSync(join(tmpdir(), 'hb-bench-ui-')) },
    });
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const url = /^open (\S+)$/m.exec(out)?.[1];
      if (url) resolve({ child, url });
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function composerStartup(browser: Browser): Promise<number> {
  // Wide enough for Form and JSON side by side (narrow windows show them as tabs).
  const page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
  const start = performance.now();
  const { child, url } = await spawnServer(['bin/heartbeat.js', 'ui', '--port', '0', '--endpoint-port', '0', '--no-open']);
  await page.goto(url);
  await page.locator('#f-DeviceName').waitFor();
  await page.locator('.monaco-editor .view-lines').waitFor({ timeout: 30_000 });
  const elapsed = performance.now() - start;
  await page.close();
  await stop(child);
  return elapsed;
}

async function trivialStartup(browser: Browser): Promise<number> {
  const page = await browser.newPage();
  const start = performance.now();
  const { child, url } = await spawnServer(['--input-type=module', '-e', TRIVIAL]);
  await page.goto(url);
  await page.locator('#ready').waitFor();
  const elapsed = performance.now() - start;
  await page.close();
  await stop(child);
  return elapsed;
}

async function syncRounds(page: Page): Promise<{ formToJson: number; jsonToForm: number; floor: number }> {
  const big = thousandModels();
  await replaceJson(page, big);
  await page.keyboard.press('ControlOrMeta+Home');
  await page.getByText('1000 rows').first().waitFor({ timeout: 30_000 });
  const f: number[] = [];
  const j: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const { formToJson, jsonToForm } = await measureSync(page, `r${round}`);
    f.push(formToJson);
    j.push(jsonToForm);
  }
  const floors = await page.evaluate((text) => {
    const out: number[] = [];
    for (let i = 0; i < 5; i++) {
      const start = performance.now();
      JSON.stringify(JSON.parse(text), null, 2);
      out.push(performance.now() - start);
    }
    return out;
  }, big);
  return { formToJson: median(f), jsonToForm: median(j), floor: median(floors) };
}

export async function run(): Promise<void> {
  if (!existsSync(CHROMIUM)) return void console.log(`skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`);
  if (!existsSync(join(ROOT, 'dist', 'ui', 'index.html')) || !existsSync(join(ROOT, 'dist', 'cli.cjs')))
    return void console.log('skipped: run `npm run build` first');
  const browser = await launchChromium();
  try {
    const ours: number[] = [];
    const peer: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      peer.push(await trivialStartup(browser));
      ours.push(await composerStartup(browser));
    }
    console.log(
      `start-up to an interactive composer: ${ms(median(ours))}; trivial server + page: ${ms(median(peer))}; ratio ${(median(ours) / median(peer)).toFixed(2)}×`,
    );

    const context = await browser.newContext({ viewport: { width: 1500, height: 950 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const page = await context.newPage();
    const { child, url } = await spawnServer(['bin/heartbeat.js', 'ui', '--port', '0', '--endpoint-port', '0', '--no-open']);
    try {
      await page.goto(url);
      await page.locator('.monaco-editor .view-lines').waitFor({ timeout: 30_000 });
      const sync = await syncRounds(page);
      console.log(
        `1,000-model sync: form → JSON ${ms(sync.formToJson)}, JSON → form ${ms(sync.jsonToForm)} (goal ≤ 50 ms); JSON.parse+stringify floor ${ms(sync.floor)}; ratios ${(sync.formToJson / sync.floor).toFixed(1)}× and ${(sync.jsonToForm / sync.floor).toFixed(1)}× the floor`,
      );
    } finally {
      await stop(child);
    }
  } finally {
    await browser.close();
  }
}
