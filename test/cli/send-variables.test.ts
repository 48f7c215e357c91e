/**
 * `heartbeat send --env FILE --environment NAME --var K=V` against the embedded endpoint started in this
 * process: the endpoint receives the resolved body; and the shared vectors
 * (test/fixtures/variables/cases.json) resolve to exactly the text the common resolver gives
 * (--now and --seed fix the time and the generator), both printed (--print-resolved) and as received.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { startEndpoint, type RunningEndpoint } from '../../src/node/endpoint/index.ts';
import { heartbeat, isolatedEnv } from './heartbeat-run.ts';
import { VECTORS } from '../unit/variables/vectors.ts';

const dir = mkdtempSync(join(tmpdir(), 'hb-send-vars-'));
const write = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
/** Every vector's environment in one file, as a user's environments.yaml would hold them. */
const envFile = write(
  'environments.yaml',
  stringify({
    environments: Object.fromEntries(VECTORS.flatMap((c) => (c.environment ? [[c.environment.name, c.environment.variables]] : []))),
  }),
);

describe('heartbeat send with variables', () => {
  let endpoint: RunningEndpoint;
  beforeAll(async () => {
    endpoint = await startEndpoint();
  });
  afterAll(() => endpoint.close());

  const received = (stdout: string): string => {
    const { outcome } = JSON.parse(stdout) as { outcome: { kind: string; requestId: string } };
    expect(outcome.kind).toBe('success');
    return endpoint.admin.exchange(outcome.requestId)!.request.body;
  };

  it('--env, --environment and --var: the endpoint receives the resolved body; the file keeps its placeholders', async () => {
    const template = JSON.stringify(
      {
        AgentVersion: '1.0',
        DeviceName: '{{device}}',
        DeviceFleetName: '{{fleet}}',
        AgentMetrics: [{ Dimension: '{{device}}', MetricName: 'temperature', Value: '{{random:20:30}}', Timestamp: '{{now}}' }],
      },
      null,
      2,
    );
    const file = write('template.json', template);
    const env = isolatedEnv({ HEARTBEAT_LOCAL_URL: endpoint.url });
    const before = Math.floor(Date.now() / 1000);
    const run = await heartbeat(
      ['send', file, '--env', envFile, '--environment', 'vectors-demo', '--var', 'fleet=cli-fleet', '--output', 'json'],
      env,
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const body = JSON.parse(received(run.stdout)) as {
      DeviceName: string;
      DeviceFleetName: string;
      AgentMetrics: Array<{ Dimension: string; Value: number; Timestamp: number }>;
    };
    expect(body).toMatchObject({ DeviceName: 'sim-001', DeviceFleetName: 'cli-fleet', AgentMetrics: [{ Dimension: 'sim-001' }] });
    const metric = body.AgentMetrics[0]!;
    expect(Number.isInteger(metric.Value) && metric.Value >= 20 && metric.Value <= 30).toBe(true);
    expect(metric.Timestamp).toBeGreaterThanOrEqual(before);
    expect(metric.Timestamp).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
    expect(endpoint.admin.devices().map((d) => d.deviceName)).toContain('sim-001');
  });

  it('--debug lists what was substituted', async () => {
    const file = write('debug.json', '{"DeviceName":"cam-dbg","DeviceFleetName":"{{fleet}}"}');
    const run = await heartbeat(
      ['send', file, '--operation', 'GetDeviceRegistration', '--env', envFile, '--environment', 'vectors-demo', '--debug'],
      isolatedEnv({ HEARTBEAT_LOCAL_URL: endpoint.url }),
    );
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('Variables:\n{{fleet}} = demo-fleet\n');
  });

  it('refuses with one sentence and exit 2: an unknown variable (FILE:LINE:COL), a missing file, an unknown environment, a bad --var', async () => {
    const file = write('unknown.json', '{\n  "AgentVersion": "1.0",\n  "DeviceName": "cam-1",\n  "DeviceFleetName": "{{fleet}}"\n}');
    const env = isolatedEnv({ HEARTBEAT_LOCAL_URL: endpoint.url });
    const unknown = await heartbeat(['send', file], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe(
      `${file}:4:23 /DeviceFleetName: {{fleet}} is not defined: no environment is chosen; the built-ins are now, uuid, random:MIN:MAX and device.\n` +
        `heartbeat: ${file} has 1 placeholder with no value; define it in the environment (--env, --environment) or with --var NAME=VALUE.\n`,
    );
    const missing = await heartbeat(['send', file, '--env', join(dir, 'nope.yaml')], env);
    expect([missing.code, missing.stderr]).toEqual([2, `heartbeat: The environments file ${join(dir, 'nope.yaml')} does not exist.\n`]);
    const several = await heartbeat(['send', file, '--env', envFile, '--environment', 'prod'], env);
    expect(several.code).toBe(2);
    expect(several.stderr).toMatch(/^heartbeat: There is no environment "prod" in .*environments\.yaml; it has "vectors-demo", /);
    const bad = await heartbeat(['send', file, '--var', 'fleet'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^heartbeat: --var takes NAME=VALUE/);
    const badFile = write('bad.yaml', 'environments:\n  demo:\n    x y: 1\n');
    const problem = await heartbeat(['send', file, '--env', badFile], env);
    expect([problem.code, problem.stderr]).toEqual([
      2,
      `heartbeat: ${badFile}:3:5: "x y" is not a variable name (letters, digits, _ - . ; starting with a letter or _).\n`,
    ]);
  });

  describe('the shared vectors resolve as the common resolver does', () => {
    for (const c of VECTORS)
      it(c.name, async () => {
        const file = write(`vector-${VECTORS.indexOf(c)}.json`, c.template);
        const args = [
          'send',
          file,
          '--operation',
          c.operation,
          '--now',
          String(c.now),
          '--seed',
          String(c.seed),
          ...(c.environment ? ['--env', envFile, '--environment', c.environment.name] : []),
          ...Object.entries(c.vars ?? {}).flatMap(([k, v]) => ['--var', `${k}=${v}`]),
        ];
        const env = isolatedEnv({ HEARTBEAT_LOCAL_URL: endpoint.url });
        const printed = await heartbeat([...args, '--print-resolved'], env);
        if (c.problems) {
          expect(printed.code).toBe(2);
          for (const placeholder of c.problems) expect(printed.stderr).toContain(placeholder);
          return;
        }
        expect([printed.code, printed.stdout]).toEqual([0, c.expected]);
        expect(printed.stderr).toBe(c.substitutions!.map((s) => `${s.placeholder} = ${s.value}\n`).join(''));
        const sent = await heartbeat([...args, '--output', 'json'], env);
        expect(sent.code).toBe(0);
        expect(received(sent.stdout)).toBe(c.expected);
      });
  });
});
