/**
 * `heartbeat fleet` as a user runs it (the built CLI): validate with line:col problems, example, and the
 * golden `run --dry-run` output (test/fixtures/fleet: a scenario and the requests it makes; a change to
 * the schedule, the PRNG or a generator shows here, and a Locust export must print the same lines).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkText } from '../../src/common/validation/check-text.ts';
import { heartbeat, historyText, isolatedEnv } from './heartbeat-run.ts';

const dir = mkdtempSync(join(tmpdir(), 'hb-fleet-'));
const env = isolatedEnv();
const GOLDEN = ['fleet', 'run', 'test/fixtures/fleet/small.yaml', '--dry-run', '--duration', '12s', '--start-time', '2026-11-30T12:00:00Z'];

describe('heartbeat fleet', () => {
  it('validate: a good scenario exits 0 with one line; a bad one lists every problem at FILE:LINE:COL and exits 1', async () => {
    const good = await heartbeat(['fleet', 'validate', 'examples/fleet-warehouse.yaml'], env);
    expect(good).toMatchObject({ code: 0, stderr: 'examples/fleet-warehouse.yaml: warehouse-demo, 1 fleet, 50 devices: good.\n' });
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'name: b\nfleets:\n  - name: f\n    devices: 0\n    interval: soon\n');
    const run = await heartbeat(['fleet', 'validate', bad], env);
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n').filter(Boolean)).toEqual([
      `${bad}:4:14 /fleets/0/devices: devices must be a whole number from 1 to 100000.`,
      `${bad}:5:15 /fleets/0/interval: interval must be a duration like 500ms, 5s, 2m or 1h above zero, not "soon".`,
      `heartbeat: ${bad} has 2 problems; nothing was sent.`,
    ]);
  });

  it('example prints a scenario that validates', async () => {
    const example = await heartbeat(['fleet', 'example'], env);
    expect(example.code).toBe(0);
    const file = join(dir, 'example.yaml');
    writeFileSync(file, example.stdout);
    expect((await heartbeat(['fleet', 'validate', file], env)).code).toBe(0);
  });

  it('run --dry-run prints the golden requests: in order, valid, the same every time', async () => {
    const first = await heartbeat(GOLDEN, env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toBe(readFileSync('test/fixtures/fleet/small.golden.ndjson', 'utf8'));
    expect((await heartbeat(GOLDEN, env)).stdout).toBe(first.stdout);
    const lines = first.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { offsetMs: number; operation: 'SendHeartbeat'; body: unknown });
    expect(new Set(lines.map((l) => l.operation))).toEqual(new Set(['GetDeviceRegistration', 'SendHeartbeat', 'GetDeployments']));
    for (const l of lines) expect(checkText(JSON.stringify(l.body), l.operation).problems).toEqual([]);
  });

  it('run --local: registers its devices at an endpoint it starts, prints the summary, writes a run log that replay can send, one history entry', async () => {
    const file = join(dir, 'live.yaml');
    writeFileSync(
      file,
      "name: live\nseed: 2\nfleets:\n  - name: live-fleet\n    devices: 5\n    deviceName: 'live-{n}'\n    interval: 300ms\n    deploymentPoll: 500ms\n",
    );
    const runEnv = isolatedEnv();
    const runLog = join(dir, 'live.ndjson');
    const run = await heartbeat(['fleet', 'run', file, '--local', '--duration', '1500ms', '--run-log', runLog, '--output', 'json'], runEnv);
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as {
      totals: { sent: number; failed: number };
      operations: Record<string, { sent: number }>;
      runLog: string;
      unregisteredDevices: string[];
    };
    expect(summary.totals.failed).toBe(0);
    expect(summary.operations.GetDeviceRegistration!.sent).toBe(5);
    expect(summary.operations.GetDeployments!.sent).toBeGreaterThanOrEqual(5);
    expect(summary.unregisteredDevices).toEqual([]);
    expect(summary.runLog).toBe(runLog);
    const lines = readFileSync(runLog, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(summary.totals.sent);
    // The run's requests are not history entries; its summary is one.
    const history = historyText(runEnv.HEARTBEAT_HISTORY_DIR!);
    expect(
      history
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { type: string }).type),
    ).toEqual(['run']);
    // heartbeat replay sends the run log's requests again.
    const replayed = await heartbeat(['replay', runLog, '--local', '--output', 'json'], runEnv);
    expect(replayed.code, replayed.stderr).toBe(0);
    expect(JSON.parse(replayed.stdout)).toMatchObject({ items: summary.totals.sent, ok: summary.totals.sent, failed: 0 });
  }, 30_000);

  it('refuses what it cannot do with one sentence', async () => {
    for (const [args, sentence, code] of [
      [['fleet', 'run', 'examples/fleet-warehouse.yaml', '--scale', '0'], /--scale must be a positive number/, 2],
      [['fleet', 'run', 'examples/fleet-warehouse.yaml', '--rate-limit', 'fast'], /--rate-limit must be a positive number/, 2],
      [['fleet', 'run', 'examples/fleet-warehouse.yaml', '--start-time', 'now'], /--start-time is for a dry run/, 2],
      [['fleet', 'run', 'examples/fleet-warehouse.yaml', '--duration', 'soon'], /--duration must be a duration/, 2],
      [['fleet', 'run', 'test/fixtures/fleet/small.yaml', '--dry-run'], /needs an end: give --duration/, 2],
      [['fleet', 'run', 'examples/fleet-warehouse.yaml', '--dry-run', '--start-time', 'noon'], /--start-time must be ISO 8601/, 2],
      [['fleet', 'validate', join(dir, 'none.yaml')], /There is no file/, 2],
      [['fleet'], /Say what to do/, 2],
      [['fleet', 'launch'], /Unknown fleet command "launch"/, 2],
    ] as const) {
      const run = await heartbeat([...args], env);
      expect(run.code, args.join(' ')).toBe(code);
      expect(run.stderr).toMatch(sentence);
    }
  });
});
