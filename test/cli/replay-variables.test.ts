/**
 * `heartbeat replay --env/--environment/--var/--now/--seed` (docs/variables.md): each item resolved after
 * its rewrites and before signing, against a real embedded endpoint; `{{device}}` follows --device-name;
 * an item with a placeholder that has no value is not sent and is listed; without a variable option the
 * capture's text goes as captured.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEndpoint, type RunningEndpoint } from '../../src/node/endpoint/index.ts';
import { heartbeat, isolatedEnv } from './heartbeat-run.ts';
import { DEMO_CREDENTIALS } from '../../src/common/demo.ts';

describe('heartbeat replay with variables', () => {
  let endpoint: RunningEndpoint;
  let dir: string;
  let capture: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hb-replay-vars-'));
    capture = join(dir, 'capture.jsonl');
    endpoint = await startEndpoint({ capturePath: capture });
  });
  afterAll(async () => {
    await endpoint.close();
  });

  const env = (): NodeJS.ProcessEnv =>
    isolatedEnv({
      AWS_ACCESS_KEY_ID: DEMO_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: DEMO_CREDENTIALS.secretAccessKey,
      AWS_REGION: 'us-east-1',
    });

  interface Body {
    DeviceName: string;
    DeviceFleetName: string;
    AgentMetrics: Array<{ Dimension: string; Timestamp: unknown; Value: unknown }>;
  }

  const template = (n: number): string =>
    JSON.stringify({
      AgentVersion: '1.0',
      DeviceName: `orig-${n}`,
      DeviceFleetName: '{{fleet}}',
      AgentMetrics: [{ Dimension: '{{device}}', MetricName: 'CpuUtilization', Value: '{{random:1:9}}', Timestamp: '{{now}}' }],
    });

  it('resolves each item after its rewrites: {{device}} is the renamed DeviceName, --var beats the environment, --now fixes the time', async () => {
    const input = join(dir, 'items.ndjson');
    writeFileSync(input, [1, 2, 3].map(template).join('\n') + '\n');
    const envFile = join(dir, 'environments.yaml');
    writeFileSync(envFile, 'environments:\n  lab:\n    fleet: lab-fleet\n');
    const run = await heartbeat(
      [
        'replay',
        input,
        '--endpoint-url',
        endpoint.url,
        '--env',
        envFile,
        '--var',
        'fleet=override-fleet',
        '--now',
        '1764500000',
        '--seed',
        '3',
        '--device-name',
        'sim-{n}',
        '--output',
        'json',
      ],
      env(),
    );
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ items: 3, ok: 3, sent: 3 });
    const bodies = readFileSync(capture, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse((JSON.parse(l) as { request: { body: string } }).request.body) as Body);
    expect(bodies.map((b) => b.DeviceName).sort()).toEqual(['sim-1', 'sim-2', 'sim-3']);
    for (const body of bodies) {
      expect(body.DeviceFleetName).toBe('override-fleet');
      expect(body.AgentMetrics[0].Dimension).toBe(body.DeviceName);
      expect(body.AgentMetrics[0].Timestamp).toBe(1764500000);
      expect(typeof body.AgentMetrics[0].Value).toBe('number');
    }
  });

  it('an item with an unknown variable is not sent and is listed; without a variable option the text goes as captured', async () => {
    const input = join(dir, 'unknown.ndjson');
    writeFileSync(input, template(9) + '\n');
    const refused = await heartbeat(['replay', input, '--endpoint-url', endpoint.url, '--now', '1764500000', '--output', 'json'], env());
    expect(refused.code).toBe(1);
    const summary = JSON.parse(refused.stdout) as {
      sent: number;
      failedByType: Record<string, number>;
      failures: Array<{ source: string; message: string }>;
    };
    expect(summary.sent).toBe(0);
    expect(summary.failedByType).toEqual({ 'unresolved-variable': 1 });
    expect(summary.failures[0]!.source).toBe(`${input}:1`);
    expect(summary.failures[0]!.message).toMatch(/\{\{fleet\}\}/);
    // No variable option: "{{fleet}}" is sent as it is (and the endpoint refuses it for its pattern).
    const plain = await heartbeat(['replay', input, '--endpoint-url', endpoint.url, '--output', 'json'], env());
    expect(JSON.parse(plain.stdout)).toMatchObject({ sent: 1 });
  });
});
