/**
 * `heartbeat fleet export SCENARIO --to locust` (issue 20): the exported heartbeat_fleet.py's dry run prints
 * exactly the lines of `heartbeat fleet run SCENARIO --dry-run --output ndjson` — for the shipped examples,
 * the golden fixture and seeded random scenarios (every generator, jitter, offline spells, clock skew,
 * fractional milliseconds, numbers JSON writes with exponents, non-ASCII text) — and the Python helpers
 * agree with their TypeScript originals (js_number with JSON.stringify, the model version of an S3 URL).
 * The exported signer's unit test (AWS's SigV4 suite) is test/python/test_heartbeat_fleet.py, run here.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { modelVersionOfS3Url } from '../../src/common/endpoint-fleet-types.ts';
import { Prng } from '../../src/common/fleet/prng.ts';
import { isolatedEnv } from './heartbeat-run.ts';

const PYTHON = '/usr/bin/python3';
const HAS_PYTHON = existsSync(PYTHON);
if (!HAS_PYTHON) console.warn('Locust export parity skipped: /usr/bin/python3 is missing (Debian: apt install python3).');
const SRC = resolve('src/node/fleet/locust');
const START = '2026-11-30T12:00:00Z';
const dir = mkdtempSync(join(tmpdir(), 'hb-locust-export-'));
const env = isolatedEnv();

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A child's whole output (no buffer limit: a dry run of 5,000 devices prints megabytes). */
function run(command: string, args: string[], options: { cwd?: string; input?: string } = {}): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd: options.cwd, env });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
    child.stdin.end(options.input ?? '');
  });
}

const heartbeat = (args: string[]): Promise<Run> => run(process.execPath, ['bin/heartbeat.js', ...args]);

/** Exports `scenario` and runs both dry runs; the first line that differs, if any, is what the test shows. */
async function parity(scenario: string, duration: string): Promise<number> {
  const out = join(dir, `export-${Math.random().toString(36).slice(2)}`);
  const exported = await heartbeat(['fleet', 'export', scenario, '--to', 'locust', '--out', out]);
  expect(exported.code, exported.stderr).toBe(0);
  const [ts, py] = await Promise.all([
    heartbeat(['fleet', 'run', scenario, '--dry-run', '--output', 'ndjson', '--duration', duration, '--start-time', START]),
    run(PYTHON, [join(out, 'heartbeat_fleet.py'), '--dry-run', '--duration', duration, '--start-time', START]),
  ]);
  expect(ts.code, ts.stderr).toBe(0);
  expect(py.code, py.stderr).toBe(0);
  const a = ts.stdout.split('\n');
  const b = py.stdout.split('\n');
  const first = a.findIndex((line, i) => line !== b[i]);
  if (first >= 0 || a.length !== b.length)
    expect({ line: first + 1, python: b[first] ?? b[a.length] }).toEqual({ line: first + 1, typescript: a[first] });
  expect(ts.stdout.length).toBeGreaterThan(0);
  return a.length - 1;
}

/** A seeded random scenario (JSON, which the scenario parser reads as YAML): everything a dry run shows. */
function randomScenario(seed: number, csvFile: string): unknown {
  const r = new Prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r.float() * xs.length)]!;
  const num = (lo: number, hi: number): number => lo + (hi - lo) * r.float();
  const count = (lo: number, hi: number): number => lo + Math.floor(r.float() * (hi - lo + 1));
  const generators: Array<() => unknown> = [
    () => ({ constant: pick([5, 1e21, 1.5e-7, -3.25, 0, 123456789.125]) }),
    () => ({ uniform: { min: -5, max: num(0, 1000) } }),
    () => ({
      normal: { mean: num(-100, 100), sd: num(0, 50), ...(r.float() < 0.5 ? { min: -80 } : {}), ...(r.float() < 0.5 ? { max: 90 } : {}) },
    }),
    () => ({ randomWalk: { start: 50, step: num(0, 10), min: 0, max: 100 } }),
    () => ({
      sine: {
        mean: 40,
        amplitude: num(0, 20),
        period: pick(['7s', '60s', '1.5m', '333ms']),
        ...(r.float() < 0.7 ? { noise: num(0, 3) } : {}),
      },
    }),
    () => ({ counter: { start: num(0, 1000), rate: num(0, 50) } }),
    () => ({ sequence: [1, 2.5, 1e-7, 3, -0.5] }),
    () => ({ pickOne: [0.25, 0.5, 0.75, 1e21, 7] }),
    () => ({ decay: { start: 0.99, halfLife: pick(['30s', '10m', '1.5s']), floor: 0.5 } }),
    () => ({ csv: { file: csvFile, column: pick(['load', 2]) } }),
  ];
  const metric = (dimension: string, i: number): unknown => ({
    dimension,
    name: pick(['CpuUtilization', 'MemoryUsed', `Metric${i}`, 'Inference-Latency']),
    value: r.float() < 0.1 ? num(-1e6, 1e6) : pick(generators)(),
    ...(r.float() < 0.8 ? { precision: count(0, 10) } : {}),
  });
  const fleets = Array.from({ length: count(1, 3) }, (_, f) => ({
    name: `fleet${f}-${pick(['a', 'b_c', 'd-e'])}`,
    devices: count(1, 30),
    deviceName: pick(['{fleet}-{n}', 'dev-{n:03}', 'x{n}y{n:02}']),
    agentVersion: pick(['1.0', '2.0 "β" \\ ü €', '1.20210820.e20fa3a']),
    interval: pick(['700ms', '1s', '1234.5ms', '2s', '3s']),
    jitter: pick([0, '10%', 0.3, '50%']),
    startup: pick(['stagger', 'together']),
    deploymentPoll: pick(['2s', '5s', '1.5s', '30s']),
    ...pick([{}, { clockSkew: '-2s..2s' }, { clockSkew: '1s' }, { clockSkew: '-500ms..0s' }, { clockSkew: '-1.5s..2.25s' }]),
    ...pick([{}, { offline: { probability: 0.05, duration: '5s' } }, { offline: { probability: '20%', duration: '1500ms' } }]),
    agentMetrics: Array.from({ length: count(0, 3) }, (_, i) => metric('agent', i)),
    models: Array.from({ length: count(0, 2) }, (_, m) => ({
      name: `model-${m}x`,
      version: pick(['1.0', '2.5 beta', '3']),
      metrics: Array.from({ length: count(0, 3) }, (_, i) => metric(`model/m${m}`, i)),
    })),
  }));
  return { name: `random-${seed}`, seed: Math.floor(r.float() * 4294967296), fleets };
}

describe.skipIf(!HAS_PYTHON)('heartbeat fleet export --to locust: the Python dry run prints the TypeScript dry run', () => {
  it('writes the folder: heartbeat_fleet.py with the scenario, locustfile.py, locust.conf, README.md', async () => {
    const out = join(dir, 'demo');
    const r = await heartbeat(['fleet', 'export', 'examples/fleet-demo.yaml', '--to', 'locust', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      /^Wrote 4 files to .*: heartbeat_fleet\.py, locustfile\.py, locust\.conf, README\.md \(room-demo, 24 devices\)\./,
    );
    expect(readFileSync(join(out, 'locust.conf'), 'utf8')).toContain('users = 24\n');
    expect(readFileSync(join(out, 'locust.conf'), 'utf8')).not.toMatch(/^run-time/m); // a worker refuses one
    expect(readFileSync(join(out, 'README.md'), 'utf8')).toContain(
      'locust --headless --host http://127.0.0.1:8787 --csv run --run-time 900s\n',
    );
    const readme = readFileSync(join(out, 'README.md'), 'utf8');
    for (const part of [
      '## On one machine',
      '## On several machines',
      '## On Kubernetes',
      '## What each setting became',
      'dock-cam-01 … dock-cam-12',
    ])
      expect(readme).toContain(part);
    const py = readFileSync(join(out, 'heartbeat_fleet.py'), 'utf8');
    expect(py).toContain('"name": "dock-cameras"');
    // The folder is self-contained: the embedded scenario loads with nothing else.
    const loaded = spawnSync(PYTHON, ['-c', 'import heartbeat_fleet as h; s = h.load_scenario(); print(s["name"], h.total_devices(s))'], {
      cwd: out,
      encoding: 'utf8',
    });
    expect(loaded.stdout).toBe('room-demo 24\n');
    const scaled = await heartbeat([
      'fleet',
      'export',
      'examples/fleet-demo.yaml',
      '--to',
      'locust',
      '--out',
      join(dir, 'scaled'),
      '--scale',
      '0.5',
    ]);
    expect(scaled.stderr).toContain('(room-demo, 12 devices)');
  });

  it('the golden fixture: the same lines as test/fixtures/fleet/small.golden.ndjson', async () => {
    const out = join(dir, 'golden');
    expect((await heartbeat(['fleet', 'export', 'test/fixtures/fleet/small.yaml', '--to', 'locust', '--out', out])).code).toBe(0);
    const py = await run(PYTHON, [join(out, 'heartbeat_fleet.py'), '--dry-run', '--duration', '12s', '--start-time', START]);
    expect(py.stdout).toBe(readFileSync('test/fixtures/fleet/small.golden.ndjson', 'utf8'));
  });

  for (const [file, duration] of [
    ['examples/fleet-demo.yaml', '3m'],
    ['examples/fleet-rollout.yaml', '2m'],
    ['examples/fleet-warehouse.yaml', '10m'],
    ['examples/fleet-load.yaml', '2s'],
  ] as const)
    it(`${file} for ${duration}: identical lines`, async () => {
      expect(await parity(file, duration)).toBeGreaterThan(1000);
    });

  it('seeded random scenarios (every generator, jitter, offline, clock skew, csv, exponents, non-ASCII): identical lines', async () => {
    const csv = join(dir, 'load.csv');
    writeFileSync(csv, '\ufefftime,load\r\n0,12.5\r\n1, 1e3 \r\n\r\n2,-3.25\r\n3,"7"\r\n');
    let lines = 0;
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const file = join(dir, `random-${seed}.yaml`);
      writeFileSync(file, JSON.stringify(randomScenario(seed, csv), null, 1));
      const valid = await heartbeat(['fleet', 'validate', file]);
      expect(valid.code, `${file}: ${valid.stderr}`).toBe(0);
      lines += await parity(file, '90s');
    }
    expect(lines).toBeGreaterThan(3000);
  }, 60_000);

  it('js_number writes every double as JSON.stringify does (edge cases and 20,000 random bit patterns)', () => {
    const xs = [0, -0, 1, -1, 1.5, 1e21, 1e20, 999999999999999900000, 1e-6, 1e-7, 1.5e-7, 0.1, 0.1 + 0.2, 5e-324, Number.MAX_VALUE];
    xs.push(2 ** 53, 2 ** 53 + 2, 1796039999.544, -1e-300, 0.000001234, 1.2345678901234568e22, 123e-20);
    const r = new Prng(7);
    const bytes = Buffer.alloc(8);
    while (xs.length < 20_000) {
      bytes.writeUInt32BE(r.next(), 0);
      bytes.writeUInt32BE(r.next(), 4);
      const x = bytes.readDoubleBE(0);
      if (Number.isFinite(x)) xs.push(x);
      xs.push(Math.round(r.float() * 1e6) / 10 ** Math.floor(r.float() * 8));
    }
    const input = xs.map((x) => (bytes.writeDoubleBE(x, 0), bytes.toString('hex'))).join('\n');
    const py = spawnSync(
      PYTHON,
      [
        '-c',
        'import sys, struct, heartbeat_fleet as h\nfor l in sys.stdin.read().split():\n    print(h.js_number(struct.unpack(">d", bytes.fromhex(l))[0]))',
      ],
      { cwd: SRC, input, encoding: 'utf8', maxBuffer: 1 << 26 },
    );
    expect(py.stderr).toBe('');
    const ours = py.stdout.trim().split('\n');
    const theirs = xs.map((x) => JSON.stringify(x));
    expect(ours.filter((text, i) => text !== theirs[i])).toEqual([]);
    expect(ours).toHaveLength(xs.length);
  });

  it('model_version_of_s3_url reads an S3 URL as modelVersionOfS3Url does', () => {
    const urls = [
      's3://models/pallet-detector-2.5.tar.gz',
      'S3://b/x/aisle-detector-v3.1.TGZ',
      's3://b/x/model.zip',
      's3://b/x/model-2.5/',
      's3://b//',
      'https://x/y/name-v-1',
      's3://b/a-1-b-2.0.Tar.Gz',
      's3://b/ſ-1.tar.gz',
      's3://b/x-1\u2028y',
      'plain',
      '',
    ];
    const py = spawnSync(
      PYTHON,
      ['-c', 'import sys, json, heartbeat_fleet as h\nprint(json.dumps([h.model_version_of_s3_url(u) for u in json.load(sys.stdin)]))'],
      {
        cwd: SRC,
        input: JSON.stringify(urls),
        encoding: 'utf8',
      },
    );
    expect(py.stderr).toBe('');
    expect(JSON.parse(py.stdout)).toEqual(urls.map(modelVersionOfS3Url));
  });

  it("the exported signer passes AWS's SigV4 test suite; durations, start times, rounding (test/python/test_heartbeat_fleet.py)", () => {
    const py = spawnSync(PYTHON, ['test/python/test_heartbeat_fleet.py'], { encoding: 'utf8' });
    expect(py.status, py.stderr).toBe(0);
    expect(py.stderr).toMatch(/\nOK/);
    expect(Number(/Ran (\d+) tests/.exec(py.stderr)?.[1])).toBeGreaterThanOrEqual(6);
  });

  it('refuses what it cannot do with one sentence', async () => {
    for (const [args, sentence] of [
      [['fleet', 'export', 'examples/fleet-demo.yaml', '--out', join(dir, 'x')], /Say what to export to: --to locust/],
      [['fleet', 'export', 'examples/fleet-demo.yaml', '--to', 'k6', '--out', join(dir, 'x')], /--to must be locust, not "k6"/],
      [['fleet', 'export', 'examples/fleet-demo.yaml', '--to', 'locust'], /Name the folder to write: --out DIR/],
      [['fleet', 'export', 'examples/fleet-demo.yaml', '--to', 'locust', '--out', 'package.json'], /package\.json is a file/],
      [['fleet', 'export', '--to', 'locust', '--out', join(dir, 'x')], /Name one SCENARIO file/],
    ] as const) {
      const r = await heartbeat([...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(sentence);
    }
    const exported = join(dir, 'golden');
    const noDry = await run(PYTHON, [join(exported, 'heartbeat_fleet.py'), '--duration', '5s']);
    expect(noDry.code).toBe(2);
    expect(noDry.stderr).toMatch(/say --dry-run/);
    const noEnd = await run(PYTHON, [join(exported, 'heartbeat_fleet.py'), '--dry-run']);
    expect(noEnd.stderr).toMatch(/needs an end/);
  });

  it('heartbeat replay --export locust writes the items and the test; refuses what it cannot do with one sentence', async () => {
    const out = join(dir, 'replay');
    const r = await heartbeat([
      'replay',
      'test/fixtures/fleet/small.golden.ndjson',
      '--export',
      'locust',
      '--out',
      out,
      '--rewrite-timestamps',
      'now',
      '--concurrency',
      '3',
      '--rate',
      '50',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^Wrote .*: 19 items as a Locust test of 3 users\./);
    expect(JSON.parse(readFileSync(join(out, 'replay.json'), 'utf8'))).toMatchObject({
      items: 19,
      rewriteTimestamps: 'now',
      rate: 50,
      concurrency: 3,
    });
    const items = readFileSync(join(out, 'items.ndjson'), 'utf8').trim().split('\n');
    expect(items).toHaveLength(19);
    const heartbeatItem = JSON.parse(items[1]!) as { operation: string; timestamps: Array<[string, number]> };
    expect(heartbeatItem.operation).toBe('SendHeartbeat');
    expect(heartbeatItem.timestamps.slice(0, 3)).toEqual([
      ['/AgentMetrics/0/Timestamp', 1796039999.544],
      ['/AgentMetrics/1/Timestamp', 1796039999.544],
      ['/Models/0/LatestSampleTime', 1796039999.544],
    ]);
    expect(readFileSync(join(out, 'locust.conf'), 'utf8')).toContain('users = 3\n');
    expect(readFileSync(join(out, 'README.md'), 'utf8')).toContain('Every timestamp becomes the time its request is sent');
    for (const [args, sentence] of [
      [['--export', 'k6', '--out', out], /--export must be locust, not "k6"/],
      [['--export', 'locust'], /Name the folder to write: --out DIR/],
      [['--out', out], /Say what to export to: --export locust/],
      [['--export', 'locust', '--out', out, '--dry-run'], /leave out --dry-run/],
      [['--export', 'locust', '--out', out, '--local'], /whose target is Locust's --host; leave out --local/],
    ] as const) {
      const refused = await heartbeat(['replay', 'test/fixtures/fleet/small.golden.ndjson', ...args]);
      expect(refused.code, args.join(' ')).toBe(2);
      expect(refused.stderr).toMatch(sentence);
    }
    const empty = join(dir, 'empty.ndjson');
    writeFileSync(empty, '\n\n');
    const nothing = await heartbeat(['replay', empty, '--export', 'locust', '--out', join(dir, 'empty')]);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toMatch(/Nothing to replay/);
  });
});
