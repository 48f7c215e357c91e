/**
 * Issue 14, item 13: every documented example runs. Every `heartbeat …` / `npx heartbeat …` line of a
 * fenced block in README.md and docs/*.md, and every line of the Examples section of each command's
 * --help, is run in bash against the built CLI, in a throwaway folder holding the files the examples
 * name (copies of examples/, a real history export, the endpoint config from docs/endpoint.md) and a
 * throwaway history, and must exit 0 without "Unexpected failure" (before: `history search cam-1
 * --status error --since -1d` exited 2, `replay --debug` was an unknown option).
 *
 * What is changed to run them here, and only this:
 * - `npx heartbeat` is `heartbeat` (a shim on PATH running bin/heartbeat.js); `pbpaste` is a shim
 *   printing an aws command line (the clipboard);
 * - sends go to a `heartbeat serve --port 0` the test starts: HEARTBEAT_SERVE_URL points `--local` at
 *   it, URLs on 127.0.0.1:8787/8080 become its URL, and a send to an AWS region (`--region` without
 *   `--endpoint-url`) gets `--endpoint-url` of that endpoint, so nothing is sent to the internet
 *   (HTTP(S)_PROXY point at a closed port as well, loopback excepted);
 * - the profile `dev` and the environment hold the endpoint's demo keys;
 * - `serve` and `ui` run on free ports (`--port 0`, `--endpoint-port 0`; `ui --no-open`) until their
 *   start-up lines are out (serve: `listening on …`; ui: `listening on …` and `open …`), then get SIGTERM
 *   and must exit 0.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS } from '../../src/common/demo.ts';

const root = resolve('.');
const cli = join(root, 'bin/heartbeat.js');

/** Joins `\`-continued lines, drops `# comments` (outside quotes), keeps lines that run heartbeat. */
function commandLines(text: string): string[] {
  const joined = text.replace(/\\\n\s*/g, ' ');
  const out: string[] = [];
  for (const raw of joined.split('\n')) {
    let line = '';
    let quote = '';
    for (let i = 0; i < raw.length; i++) {
      const c = raw[i]!;
      if (quote) {
        if (c === quote) quote = '';
      } else if (c === "'" || c === '"') quote = c;
      else if (c === '#' && (i === 0 || /\s/.test(raw[i - 1]!))) break;
      line += c;
    }
    line = line.trim();
    if (/(^|[|&;]\s*)(npx )?heartbeat\s/.test(line)) out.push(line);
  }
  return out;
}

function fencedBlocks(markdown: string): string {
  return [...markdown.matchAll(/^```[^\n]*\n([\s\S]*?)^```/gm)].map((m) => m[1]!).join('\n');
}

const docs = [
  'README.md',
  ...readdirSync('docs')
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
const registered = [...readFileSync('src/cli/main.ts', 'utf8').matchAll(/^ {2}([\w-]+): async \(\) =>/gm)].map((m) => m[1]!);
const helps = await Promise.all(
  registered.map(async (name) => [name, ((await import(`../../src/cli/commands/${name}.ts`)) as { help: string }).help] as const),
);

const examples: Array<[where: string, line: string]> = [
  ...docs.flatMap((file) => commandLines(fencedBlocks(readFileSync(file, 'utf8'))).map((line) => [file, line] as [string, string])),
  ...helps.flatMap(([name, help]) => {
    // Every Examples section (a help may hold a subcommand's too), each up to its first unindented line.
    const sections = help.split(/^Examples:\n/m).slice(1);
    return sections
      .flatMap((section) => commandLines(section.split(/\n\S/)[0]!))
      .map((line) => [`heartbeat ${name} --help`, line] as [string, string]);
  }),
];

const dir = mkdtempSync(join(tmpdir(), 'hb-examples-'));
const work = join(dir, 'work');
const bin = join(dir, 'bin');
let serveUrl = '';
let served: ChildProcess | undefined;

function environment(): NodeJS.ProcessEnv {
  return {
    PATH: `${bin}:${process.env.PATH}`,
    HOME: dir,
    XDG_CACHE_HOME: join(dir, 'cache'),
    HEARTBEAT_HISTORY_DIR: join(dir, 'history'),
    HEARTBEAT_SERVE_URL: serveUrl,
    AWS_ACCESS_KEY_ID: DEMO_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: DEMO_CREDENTIALS.secretAccessKey,
    AWS_REGION: 'us-east-1',
    AWS_CONFIG_FILE: join(dir, 'aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    HTTPS_PROXY: 'http://127.0.0.1:9',
    HTTP_PROXY: 'http://127.0.0.1:9',
    NO_PROXY: '127.0.0.1,localhost',
  };
}

/** The example as run here (see the header). */
function adapt(line: string): string {
  let command = line.replace(/\bnpx heartbeat\b/g, 'heartbeat').replace(/http:\/\/127\.0\.0\.1:(8787|8080)\b/g, serveUrl);
  const sub = /\bheartbeat\s+(\w[\w-]*)/.exec(command)?.[1];
  if (sub === 'serve' && !/--port\b/.test(command)) command += ' --port 0';
  if (sub === 'ui') {
    if (!/--port\b/.test(command)) command += ' --port 0';
    if (!/--endpoint-port\b/.test(command)) command += ' --endpoint-port 0';
    if (!/--no-open\b/.test(command)) command += ' --no-open';
  }
  if (sub === 'send' || sub === 'replay') {
    if (/--region\b/.test(command) && !/--endpoint-url\b/.test(command) && !/--local\b/.test(command))
      command += ` --endpoint-url ${serveUrl}`;
  }
  return command;
}

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command line in bash; a long-running one (`until` given) gets SIGTERM once its output matches. */
function bash(command: string, until?: RegExp): Promise<Ran> {
  return new Promise((done, fail) => {
    const child = spawn('bash', ['-c', until ? `exec ${command}` : command], {
      cwd: work,
      env: environment(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let signalled = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      if (until && !signalled && until.test(stdout)) {
        signalled = true;
        child.kill('SIGTERM');
      }
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const killer = setTimeout(() => child.kill('SIGKILL'), 25_000);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(killer);
      done({ code, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  mkdirSync(bin);
  mkdirSync(work);
  writeFileSync(join(bin, 'heartbeat'), `#!/bin/sh\nexec "${process.execPath}" "${cli}" "$@"\n`);
  writeFileSync(
    join(bin, 'pbpaste'),
    `#!/bin/sh\necho "aws sagemaker-edge send-heartbeat --device-name cam-1 --device-fleet-name f --agent-version 1.0"\n`,
  );
  chmodSync(join(bin, 'heartbeat'), 0o755);
  chmodSync(join(bin, 'pbpaste'), 0o755);
  writeFileSync(
    join(dir, 'aws-credentials'),
    `[dev]\naws_access_key_id = ${DEMO_CREDENTIALS.accessKeyId}\naws_secret_access_key = ${DEMO_CREDENTIALS.secretAccessKey}\n`,
  );
  writeFileSync(join(dir, 'aws-config'), '[profile dev]\nregion = eu-west-1\n');

  // The files the examples name.
  cpSync(join(root, 'examples'), join(work, 'examples'), { recursive: true });
  const healthy = readFileSync(join(root, 'examples/healthy-device.json'), 'utf8');
  for (const name of ['payload.json', 'heartbeat.json']) writeFileSync(join(work, name), healthy);
  const payload = (i: number) =>
    JSON.stringify({
      AgentVersion: '1.0',
      DeviceName: `camera-0${i}`,
      DeviceFleetName: 'warehouse-east',
      AgentMetrics: [{ Dimension: 'cpu', MetricName: 'load', Value: i, Timestamp: 1_700_000_000 + i }],
    });
  writeFileSync(join(work, 'captured.ndjson'), [1, 2, 3, 4].map(payload).join('\n') + '\n');
  // docs/variables.md: its template, an environments file beside it, and the app's (the configuration folder's).
  writeFileSync(join(work, 'template.json'), /```json\n([\s\S]*?)```/.exec(readFileSync(join(root, 'docs/variables.md'), 'utf8'))![1]!);
  const environments =
    'environments:\n  default:\n    device: sim-000\n    fleet: demo-fleet\n  demo:\n    device: sim-001\n    fleet: demo-fleet\n';
  writeFileSync(join(work, 'environments.yaml'), environments);
  const template = JSON.stringify(JSON.parse(readFileSync(join(work, 'template.json'), 'utf8')));
  writeFileSync(join(work, 'items.ndjson'), `${template}\n${template}\n`);
  mkdirSync(join(dir, '.config', 'heartbeat-composer'), { recursive: true });
  writeFileSync(join(dir, '.config', 'heartbeat-composer', 'environments.yaml'), environments);
  writeFileSync(join(work, 'fleet.yaml'), /```yaml\n([\s\S]*?)```/.exec(readFileSync(join(root, 'docs/endpoint.md'), 'utf8'))![1]!);
  // A Locust run's --csv output (real, test/fixtures/locust) where the `fleet report --from-locust` examples look.
  mkdirSync(join(work, 'fleet-demo-locust'));
  for (const prefix of [join(work, 'run'), join(work, 'fleet-demo-locust/run')])
    for (const part of ['stats.csv', 'failures.csv', 'stats_history.csv', 'heartbeat_fleet.json'])
      cpSync(join(root, `test/fixtures/locust/smoke_${part}`), `${prefix}_${part}`);

  // A real endpoint for the sends; its own start-up is an example of its own further down.
  served = spawn(process.execPath, [cli, 'serve', '--port', '0', '--quiet'], { env: environment(), stdio: ['ignore', 'pipe', 'inherit'] });
  serveUrl = await new Promise<string>((done, fail) => {
    let out = '';
    served!.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /^listening on (\S+)\n/.exec(out);
      if (m) done(m[1]!);
    });
    served!.on('exit', (code) => fail(new Error(`heartbeat serve exited with ${code}`)));
  });

  // Files made by the tool itself: a request of another operation, cli-input-yaml, a history export.
  const made = async (command: string, file: string) => {
    const run = await bash(`${command} > ${file}`);
    expect(run.code, `${command}: ${run.stderr}`).toBe(0);
  };
  await made('heartbeat skeleton --operation GetDeployments', 'request.json');
  await made('heartbeat skeleton --format yaml', 'capture.yaml');
  await made('heartbeat skeleton --format yaml', 'payload.yaml');
  expect((await bash('heartbeat send examples/healthy-device.json --local && heartbeat history --export jsonl export.jsonl')).code).toBe(0);
}, 60_000);

afterAll(() => {
  served?.kill('SIGTERM');
});

describe('every documented example runs', () => {
  it('finds the examples (README, docs/, every --help)', () => {
    const where = new Set(examples.map(([w]) => w));
    expect(where).toContain('README.md');
    expect(where).toContain('docs/endpoint.md');
    expect(where).toContain('docs/sending.md');
    for (const name of registered) expect(where, `heartbeat ${name} --help has examples`).toContain(`heartbeat ${name} --help`);
    expect(examples.length).toBeGreaterThanOrEqual(40);
    expect(examples.map(([, line]) => line)).toEqual(
      expect.arrayContaining(['npx heartbeat history search cam-1 --status error --since -1d']),
    );
  });

  it.each(examples)('%s: %s', async (_where, line) => {
    const command = adapt(line);
    const sub = /\bheartbeat\s+(\w[\w-]*)/.exec(command)?.[1];
    const until =
      sub === 'serve'
        ? /^listening on http:\/\/127\.0\.0\.1:\d+\n/
        : sub === 'ui'
          ? /^listening on http:\/\/127\.0\.0\.1:\d+\nopen http:\/\/\S+\n/
          : undefined;
    const run = await bash(command, until);
    expect(run.stderr).not.toMatch(/Unexpected failure|\n\s+at /);
    expect(run.code, `${command}\n${run.stderr}`).toBe(0);
    if (until) expect(run.stdout).toMatch(until);
  });
});

/**
 * The shipped fleet scenarios (the fleet view's picks): each starts with a comment saying what it shows and
 * how to run it, `heartbeat fleet validate` accepts it, its dry run plans requests, and the small ones run
 * for a few seconds against the test's endpoint as their comment says (`--local`), every request accepted.
 * (The rollout's plan and its stage-2 failure: test/unit/fleet/caption.test.ts.)
 */
describe('the fleet examples', () => {
  const scenarios: Array<[file: string, devices: number, live: boolean]> = [
    ['examples/fleet-demo.yaml', 24, true],
    ['examples/fleet-rollout.yaml', 40, true],
    ['examples/fleet-load.yaml', 5000, false],
  ];

  it.each(scenarios)('%s: a comment first, then valid; its dry run plans every device', async (file, devices) => {
    const text = readFileSync(join(root, file), 'utf8');
    expect(text.split('\n')[0]).toMatch(/^# \S/);
    const comment = text.slice(0, text.search(/^[^#\n]/m));
    expect(comment).toContain(`heartbeat fleet run ${file} --local`);
    const valid = await bash(`heartbeat fleet validate ${file}`);
    expect(valid.code, valid.stderr).toBe(0);
    expect(valid.stdout + valid.stderr).toContain(`${devices} devices: good.`);
    const dry = await bash(`heartbeat fleet run ${file} --dry-run --duration 2s --start-time 2026-11-30T09:00:00Z`);
    expect(dry.code, dry.stderr).toBe(0);
    const registrations = dry.stdout.split('\n').filter((l) => l.includes('"operation":"GetDeviceRegistration"'));
    expect(registrations).toHaveLength(devices);
  });

  it.each(scenarios.filter(([, , live]) => live))('%s runs against the endpoint with --local', async (file, devices) => {
    const run = await bash(`heartbeat fleet run ${file} --local --duration 3s --run-log - --output json`);
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as { devices: number; registered: number; totals: { sent: number; failed: number } };
    expect(summary.devices).toBe(devices);
    expect(summary.registered).toBe(devices);
    expect(summary.totals.failed).toBe(0);
    expect(summary.totals.sent).toBeGreaterThan(devices);
  });
});
