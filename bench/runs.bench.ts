/**
 * Captures and runs in the app (issue 19, docs/runs.md#performance), in Chromium against `heartbeat ui`, in
 * one run:
 * - opening a 100,000-item capture in the Runs view: first rows visible (goal ≤ 1 s), the whole file
 *   indexed (goal ≤ 5 s), the page's JS heap after (goal ≤ 400 MB) — next to the floor of the same file
 *   read and parsed line by line in Node (what indexing cannot beat);
 * - a UI run of 10,000 items at concurrency 32, next to `heartbeat replay` of the same file at the same
 *   concurrency (goal ≥ 0.8), both against the same embedded endpoint in a process of its own (as the CLI's
 *   endpoint would be: the app's own endpoint shares the app's process and would handicap the UI run).
 */
import { execFile } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { CHROMIUM, ensureUiBuilt, launchChromium, ROOT } from '../test/e2e/browser.ts';
import { DEMO_CREDENTIALS, DEMO_REGION } from '../src/common/demo.ts';
import { endpointServer, requireBuiltCli, serve, startUi, stop } from './servers.ts';

const OPEN_ITEMS = 100_000;
const RUN_ITEMS = 10_000;
const C = 32;

/** An NDJSON capture of `n` heartbeats from `n / 10` devices, like a device fleet's. */
function writeCapture(path: string, n: number): void {
  const now = Math.floor(Date.now() / 1000);
  const lines: string[] = [];
  for (let i = 0; i < n; i++)
    lines.push(
      JSON.stringify({
        AgentVersion: '1.4.2',
        DeviceName: `bench-dev-${String(i % Math.max(1, n / 10)).padStart(5, '0')}`,
        DeviceFleetName: 'bench-fleet',
        AgentMetrics: [
          { MetricName: 'CpuUtilization', Value: (i % 97) + 0.5, Timestamp: now },
          { MetricName: 'MemoryUtilization', Value: (i % 89) + 0.25, Timestamp: now },
        ],
        Models: [
          {
            ModelName: 'resnet50',
            ModelVersion: '2',
            ModelMetrics: [{ Dimension: 'Latency', MetricName: 'LatencyP99', Value: i % 50, Timestamp: now }],
          },
        ],
      }),
    );
  writeFileSync(path, lines.join('\n') + '\n');
}

/** The floor: the file read as a stream and each line parsed in Node (no page, no host, no HTTP). */
async function parseFloor(path: string): Promise<number> {
  const started = performance.now();
  let n = 0;
  for await (const line of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) if (line) n += JSON.parse(line) ? 1 : 0;
  if (n === 0) throw new Error('nothing parsed');
  return performance.now() - started;
}

const attr = (page: Page, id: string, name: string): Promise<string | null> => page.getByTestId(id).getAttribute(name);

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const until = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function heapMb(page: Page): Promise<number> {
  const client = await page.context().newCDPSession(page);
  await client.send('HeapProfiler.collectGarbage');
  await client.send('Performance.enable');
  const metrics = (await client.send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> };
  return (metrics.metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0) / 1024 / 1024;
}

export async function run(): Promise<void> {
  if (!existsSync(CHROMIUM)) {
    console.log('  (skipped: Debian Chromium is not installed at /usr/bin/chromium)');
    return;
  }
  requireBuiltCli('runs');
  ensureUiBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'hb-bench-captures-'));
  const big = join(dir, 'fleet-100k.ndjson');
  const small = join(dir, 'fleet-10k.ndjson');
  writeCapture(big, OPEN_ITEMS);
  writeCapture(small, RUN_ITEMS);
  const ui = await startUi('runs');
  const browser = await launchChromium();
  let stopServer = async (): Promise<void> => {};
  try {
    const server = await serve(endpointServer());
    const endpoint = server.url;
    stopServer = () => stop(server.child);
    const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    await page.goto(ui.url);
    await page.getByRole('tab', { name: 'Runs' }).click();
    const fileInput = page.locator('input[aria-label="Capture file"]');
    await fileInput.waitFor({ state: 'attached' });

    // Opening: the click-to-rows and click-to-indexed times of the page (the file streamed from the page to the host).
    const floorMs = await parseFloor(big);
    const opened = performance.now();
    await fileInput.setInputFiles(big);
    await waitFor(async () => (await page.locator('[role="row"][data-index]').count()) > 0, 30_000, 'the first rows');
    const firstRowsMs = performance.now() - opened;
    await waitFor(async () => (await attr(page, 'run-capture', 'data-state')) === 'ready', 120_000, 'the capture to be read');
    const indexedMs = performance.now() - opened;
    const items = Number(await attr(page, 'run-capture', 'data-items'));
    if (items !== OPEN_ITEMS) throw new Error(`the page indexed ${items} items, not ${OPEN_ITEMS}`);
    const heap = await heapMb(page);
    console.log(
      `open a ${OPEN_ITEMS.toLocaleString()}-item capture (${(statSync(big).size / 1048576).toFixed(0)} MB NDJSON) in the Runs view: first rows ${firstRowsMs.toFixed(0)} ms (goal ≤ 1,000); ` +
        `indexed whole ${indexedMs.toFixed(0)} ms (goal ≤ 5,000) = ${(indexedMs / floorMs).toFixed(1)}× the floor (read + JSON.parse per line in Node: ${floorMs.toFixed(0)} ms); page JS heap ${heap.toFixed(0)} MB (goal ≤ 400)`,
    );

    // A UI run of 10,000 items at c=32, then `heartbeat replay` of the same file at c=32, against the same endpoint.
    await fileInput.setInputFiles(small);
    await waitFor(async () => (await attr(page, 'run-capture', 'data-state')) === 'ready', 60_000, 'the 10k capture');
    await page.locator('#target-kind').selectOption('url');
    await page.getByLabel('Endpoint URL').fill(endpoint);
    await page.getByLabel('Endpoint URL').dispatchEvent('change');
    await page.getByLabel('Signing region').fill(DEMO_REGION);
    await page.getByLabel('Signing region').dispatchEvent('change');
    await page.getByLabel('Concurrency').fill(String(C));
    await page.getByLabel('Concurrency').dispatchEvent('change');
    const uiRun = async (): Promise<number> => {
      const before = await page
        .getByTestId('run-progress')
        .getAttribute('data-run', { timeout: 100 })
        .catch(() => null);
      await page.getByTestId('run-start').click();
      await waitFor(
        async () =>
          (await attr(page, 'run-progress', 'data-run')) !== before && (await attr(page, 'run-progress', 'data-state')) === 'finished',
        300_000,
        'the UI run',
      ).catch(async (error: Error) => {
        const message = await page
          .locator('.message')
          .textContent()
          .catch(() => '');
        throw new Error(`${error.message} (run ${await attr(page, 'run-progress', 'data-state')}; ${message})`);
      });
      const done = Number(await attr(page, 'run-progress', 'data-done'));
      const failed = Number(await attr(page, 'run-progress', 'data-failed'));
      if (done !== RUN_ITEMS || failed !== 0) throw new Error(`the UI run: ${done} done, ${failed} failed`);
      return Number(await attr(page, 'run-progress', 'data-rate'));
    };
    const cliRun = async (): Promise<number> => {
      const cli = await promisify(execFile)(
        process.execPath,
        [
          'bin/heartbeat.js',
          'replay',
          small,
          '--endpoint-url',
          endpoint,
          '--region',
          DEMO_REGION,
          '--concurrency',
          String(C),
          '--output',
          'json',
        ],
        {
          cwd: ROOT,
          maxBuffer: 64 * 1024 * 1024,
          env: {
            ...process.env,
            HEARTBEAT_HISTORY_DIR: mkdtempSync(join(tmpdir(), 'hb-bench-runs-cli-')),
            AWS_ACCESS_KEY_ID: DEMO_CREDENTIALS.accessKeyId,
            AWS_SECRET_ACCESS_KEY: DEMO_CREDENTIALS.secretAccessKey,
            AWS_CONFIG_FILE: join(dir, 'none'),
            AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none'),
          },
        },
      );
      const summary = JSON.parse(cli.stdout) as { ok: number; ratePerSecond: number };
      if (summary.ok !== RUN_ITEMS) throw new Error(`heartbeat replay: ${summary.ok} ok of ${RUN_ITEMS}`);
      return summary.ratePerSecond;
    };
    // A warm-up of each (the endpoint learns the devices, both processes compile their hot paths), then
    // three rounds in turn; the best of each is compared.
    await uiRun();
    await cliRun();
    const uiRates: number[] = [];
    const cliRates: number[] = [];
    for (let round = 0; round < 3; round++) {
      uiRates.push(await uiRun());
      cliRates.push(await cliRun());
    }
    const uiRate = Math.max(...uiRates);
    const cliRate = Math.max(...cliRates);
    console.log(
      `run ${RUN_ITEMS.toLocaleString()} items at c=${C} against the embedded endpoint in its own process (${availableParallelism()} cores; best of 3 after a warm-up each): the Runs view ${uiRate.toFixed(0)}/s (${uiRates.map((r) => r.toFixed(0)).join(', ')}), ` +
        `heartbeat replay ${cliRate.toFixed(0)}/s (${cliRates.map((r) => r.toFixed(0)).join(', ')}) → ${(uiRate / cliRate).toFixed(2)} of the CLI (goal ≥ 0.8)`,
    );
  } finally {
    await stopServer();
    await browser.close();
    ui.child.kill('SIGTERM');
  }
}
