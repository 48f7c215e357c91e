import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

describe('heartbeat skeleton', () => {
  it('prints a valid SendHeartbeat request that validate accepts', async () => {
    const skeleton = await runCli(['skeleton']);
    expect(skeleton).toMatchObject({ code: 0, stderr: '' });
    expect(Object.keys(JSON.parse(skeleton.stdout))).toEqual([
      'AgentMetrics',
      'Models',
      'AgentVersion',
      'DeviceName',
      'DeviceFleetName',
      'DeploymentResult',
    ]);
    const check = await runCli(['validate', '-'], { input: skeleton.stdout });
    expect(check.code).toBe(0);
  });

  it('prints YAML for another operation, which convert reads back', async () => {
    const yaml = await runCli(['skeleton', '--operation', 'GetDeployments', '--format', 'yaml']);
    expect(yaml.code).toBe(0);
    expect(yaml.stdout).toMatch(/^DeviceName: .+\nDeviceFleetName: .+\n$/);
    const json = await runCli(['convert', '--from', 'cli-input-yaml', '--to', 'json', '--operation', 'GetDeployments'], {
      input: yaml.stdout,
    });
    expect(json).toMatchObject({ code: 0, stderr: '' });
  });

  it('prints the AWS CLI placeholder skeleton with --aws', async () => {
    const run = await runCli(['skeleton', '--aws']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('"Timestamp": "1970-01-01T00:00:00"');
    expect(run.stdout).toContain('"Value": 0.0');
  });

  it('rejects a wrong operation or format in one sentence (exit 2)', async () => {
    const op = await runCli(['skeleton', '--operation', 'Heartbeat']);
    expect(op.code).toBe(2);
    expect(op.stderr).toBe(
      'heartbeat: --operation must be one of SendHeartbeat, GetDeviceRegistration, GetDeployments, not "Heartbeat".\n',
    );
    const format = await runCli(['skeleton', '--format', 'xml']);
    expect(format.stderr).toBe('heartbeat: --format must be json or yaml, not "xml".\n');
  });

  it('has --help', async () => {
    const run = await runCli(['skeleton', '--help']);
    expect(run.stdout).toMatch(/^Usage: heartbeat skeleton/);
  });
});
