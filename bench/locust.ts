/**
 * Runs a Locust locustfile (Debian's python3-locust, one process, headless) against `url` and returns its
 * aggregated requests per second; undefined, with a sentence, where Locust is missing. Any failed request
 * is an error: a peer is compared only when it did the same work.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_CREDENTIALS, DEMO_REGION } from '../src/common/demo.ts';

const PYTHON = '/usr/bin/python3';

export function runLocust(
  locustfile: string,
  url: string,
  options: { users: number; seconds: number; env?: Record<string, string> },
): number | undefined {
  const probe = spawnSync(PYTHON, ['-c', 'import locust.contrib.fasthttp'], { stdio: 'ignore' });
  if (probe.status !== 0) {
    console.log("  (Locust skipped: Debian's python3-locust is not installed; apt-get install python3-locust)");
    return undefined;
  }
  const dir = mkdtempSync(join(tmpdir(), 'hb-bench-locust-'));
  try {
    const run = spawnSync(
      PYTHON,
      [
        '-m',
        'locust',
        '-f',
        locustfile,
        '--headless',
        '-u',
        String(options.users),
        '-r',
        '1000',
        '--run-time',
        `${options.seconds}s`,
        '--host',
        url,
        '--csv',
        join(dir, 'run'),
        '--only-summary',
        '--loglevel',
        'WARNING',
      ],
      {
        env: {
          ...process.env,
          AWS_ACCESS_KEY_ID: DEMO_CREDENTIALS.accessKeyId,
          AWS_SECRET_ACCESS_KEY: DEMO_CREDENTIALS.secretAccessKey,
          AWS_REGION: DEMO_REGION,
          ...options.env,
        },
        encoding: 'utf8',
        timeout: (options.seconds + 50) * 1000,
      },
    );
    const csv = readFileSync(join(dir, 'run_stats.csv'), 'utf8').trim().split('\n');
    const header = csv[0]!.split(',').map((h) => h.replace(/"/g, ''));
    const total = csv
      .at(-1)!
      .split(',')
      .map((v) => v.replace(/"/g, ''));
    const failures = Number(total[header.indexOf('Failure Count')]);
    if (failures > 0) throw new Error(`Locust: ${failures} failed requests (${run.stderr.slice(-300)})`);
    return Number(total[header.indexOf('Requests/s')]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
