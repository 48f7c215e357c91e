/**
 * `heartbeat fleet report --from-locust PREFIX` (issue 20): Locust's --csv files (as Locust 2.12 writes them,
 * a distributed run's quoted error names included) and the exported locustfile's PREFIX_heartbeat_fleet.json
 * read back as the summary `heartbeat fleet run` prints (the same describeRun text, the same JSON shape) and
 * the same HTML report (renderRunReport); the exit status follows the failures as a run's does.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorTypeOf, readLocustRun } from '../../src/node/fleet/locust/from-locust.ts';
import { heartbeat, isolatedEnv } from './heartbeat-run.ts';

const dir = mkdtempSync(join(tmpdir(), 'hb-locust-report-'));
const env = isolatedEnv();
const PERCENTILES = '50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%';

function writeRun(prefix: string, options: { failures?: boolean; fleetJson?: boolean; fullHistory?: boolean } = {}): void {
  writeFileSync(
    `${prefix}_stats.csv`,
    [
      `Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,${PERCENTILES}`,
      'POST,GetDeployments,24,0,1,1.5,0.9,4.1,56.0,4.0,0.0,1,1,3,3,3,4,4,4,4,4,4',
      'POST,GetDeviceRegistration,6,0,4,4.2,2,8,56.0,1.0,0.0,4,4,5,5,8,8,8,8,8,8,8',
      `POST,SendHeartbeat,60,${options.failures ? 3 : 0},1,1.4,0.6,5,310.9,10.0,${options.failures ? '0.5' : '0.0'},1,2,2,2,4,5,5,7,9,9,9`,
      `,Aggregated,90,${options.failures ? 3 : 0},1,1.6,0.6,8,225.9,15.0,0.5,1,2,2,3,4,5,5,8,8,8,8`,
    ].join('\n') + '\n',
  );
  writeFileSync(
    `${prefix}_failures.csv`,
    [
      'Method,Name,Error,Occurrences',
      ...(options.failures ? ["POST,SendHeartbeat,'ThrottlingException',2", 'POST,SendHeartbeat,transport:reset,1'] : []),
    ].join('\n') + '\n',
  );
  const history = [`Timestamp,User Count,Type,Name,Requests/s,Failures/s,${PERCENTILES},Total Request Count,Total Failure Count,x,y,z,w,v`];
  for (let s = 0; s < 5; s++) {
    if (options.fullHistory)
      history.push(`${1796040000 + s},6,POST,SendHeartbeat,${10 + s}.000000,0.000000,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1`);
    history.push(
      `${1796040000 + s},6,,Aggregated,${15 + s}.000000,${s === 3 ? '0.500000' : '0.000000'},1,2,2,3,4,5,5,8,8,8,8,1,1,1,1,1,1,1`,
    );
  }
  writeFileSync(`${prefix}_stats_history.csv`, history.join('\n') + '\n');
  if (options.fleetJson)
    writeFileSync(
      `${prefix}_heartbeat_fleet.json`,
      JSON.stringify({
        scenario: 'smoke',
        seed: 3,
        scenarioDevices: 6,
        target: 'http://127.0.0.1:8787',
        startedAt: '2026-11-30T12:00:00Z',
        startMs: 1796040000000,
        endedAt: 1796040005500,
        devices: 6,
        registered: 5,
        unregistered: 1,
        offline: 0,
        deploying: 1,
        unregisteredDevices: ['smoke-6'],
        deployments: { applied: 4, succeeded: 3, failed: 1 },
        refusedAttempts: { ThrottlingException: 5 },
        lag: { p50Ms: 1, p99Ms: 16, maxMs: 20 },
      }),
    );
}

describe('heartbeat fleet report --from-locust', () => {
  it("reads Locust's statistics and the locustfile's account into a run's summary", () => {
    const prefix = join(dir, 'full');
    writeRun(prefix, { failures: true, fleetJson: true });
    const run = readLocustRun(prefix);
    expect(run.summary).toMatchObject({
      scenario: 'smoke',
      seed: 3,
      target: { kind: 'local', url: 'http://127.0.0.1:8787', region: '' },
      startedAt: '2026-11-30T12:00:00Z',
      elapsedMs: 5500,
      devices: 6,
      registered: 5,
      unregistered: 1,
      deploying: 1,
      totals: { sent: 90, ok: 87, failed: 3 },
      lag: { p50Ms: 1, p99Ms: 16, maxMs: 20 },
      deployments: { applied: 4, succeeded: 3, failed: 1 },
      refusedAttempts: { ThrottlingException: 5 },
      unregisteredDevices: ['smoke-6'],
    });
    expect(run.summary.operations.SendHeartbeat).toEqual({
      sent: 60,
      ok: 57,
      failed: 3,
      failedByType: { ThrottlingException: 2, 'transport:reset': 1 },
      p50Ms: 1,
      p99Ms: 7,
    });
    expect(run.failures).toContainEqual({
      device: '(all devices)',
      operation: 'SendHeartbeat',
      errorType: 'ThrottlingException',
      count: 2,
    });
    expect(run.series!.t).toEqual([0, 1000, 2000, 3000, 4000]);
    expect(run.series!.rejected).toEqual([0, 0, 0, 0.5, 0]);
    // Without --csv-full-history, heartbeats per second is the total rate times the heartbeats' share (60 of 90).
    expect(run.series!.heartbeatsPerSecond[0]).toBe(10);
    writeRun(join(dir, 'history'), { fullHistory: true });
    expect(readLocustRun(join(dir, 'history')).series!.heartbeatsPerSecond).toEqual([10, 11, 12, 13, 14]);
  });

  it("takes off the quotes of a distributed run's error names", () => {
    expect(errorTypeOf("'ThrottlingException'")).toBe('ThrottlingException');
    expect(errorTypeOf('"it\'s"')).toBe("it's");
    expect(errorTypeOf('transport:refused')).toBe('transport:refused');
  });

  it('prints the run summary (text and JSON), writes the HTML report, exits as a run does', async () => {
    const prefix = join(dir, 'cli');
    writeRun(prefix, { failures: true, fleetJson: true });
    const html = join(dir, 'report.html');
    const text = await heartbeat(['fleet', 'report', '--from-locust', prefix, '--html', html], env);
    expect(text.code).toBe(1);
    expect(text.stdout.split('\n')).toEqual([
      'fleet run smoke (seed 3): 6 devices against http://127.0.0.1:8787 for 5.5 s; 90 requests, 87 ok, 3 failed.',
      '  GetDeviceRegistration         6 sent        6 ok      0 failed  p50 4 ms, p99 8 ms',
      '  SendHeartbeat                60 sent       57 ok      3 failed (ThrottlingException 2, transport:reset 1)  p50 1 ms, p99 7 ms',
      '  GetDeployments               24 sent       24 ok      0 failed  p50 1 ms, p99 4 ms',
      '  schedule lag: p50 1 ms, p99 16 ms, max 20 ms',
      '  devices: 5 registered, 1 unregistered; deployments: 4 applied, 3 succeeded, 1 failed',
      '  not registered at the target (they kept asking and sent no heartbeat): smoke-6',
      '',
    ]);
    expect(text.stderr).toContain(`Report: ${html}.`);
    const report = readFileSync(html, 'utf8');
    expect(report).toMatch(/^<!DOCTYPE html>/i);
    expect(report).toContain('Fleet run report: smoke');
    expect(report).toContain('ThrottlingException');
    expect((report.match(/<svg/g) ?? []).length).toBe(3);
    const json = await heartbeat(['fleet', 'report', '--from-locust', prefix, '--output', 'json'], env);
    expect(JSON.parse(json.stdout)).toMatchObject({ scenario: 'smoke', totals: { sent: 90, failed: 3 } });
    const clean = join(dir, 'clean');
    writeRun(clean);
    const ok = await heartbeat(['fleet', 'report', '--from-locust', clean], env);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^fleet run clean \(seed 0\): 0 devices against {2}for 4\.0 s; 90 requests, 90 ok, 0 failed\./);
  });

  it('refuses what it cannot read with one sentence', async () => {
    for (const [args, sentence] of [
      [['fleet', 'report'], /Name the run to report: --from-locust PREFIX/],
      [['fleet', 'report', '--from-locust', join(dir, 'none')], /There is no .*none_stats\.csv: name the prefix Locust's --csv was given/],
      [['fleet', 'report', '--from-locust', join(dir, 'cli'), '--output', 'xml'], /--output must be text or json/],
    ] as const) {
      const r = await heartbeat([...args], env);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(sentence);
    }
  });

  it("reads a real Locust run's files (test/fixtures/locust: the exported locustfile, Locust 2.12, a heartbeat serve)", () => {
    const run = readLocustRun('test/fixtures/locust/smoke');
    expect(run.summary).toMatchObject({ scenario: 'smoke', seed: 3, devices: 6, registered: 6, totals: { sent: 88, ok: 88, failed: 0 } });
    expect(run.summary.operations.GetDeviceRegistration).toMatchObject({ sent: 6, ok: 6, failed: 0 });
    expect(run.series!.t.length).toBeGreaterThanOrEqual(5);
    expect(run.failures).toEqual([]);
  });
});
