import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'hb-convert-'));
const file = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const healthy = 'examples/healthy-device.json';

describe('heartbeat convert', () => {
  it('json → yaml → json gives the document back', async () => {
    const yaml = await runCli(['convert', healthy, '--from', 'json', '--to', 'yaml']);
    expect(yaml).toMatchObject({ code: 0, stderr: '' });
    const json = await runCli(['convert', '-', '--from', 'cli-input-yaml', '--to', 'json'], { input: yaml.stdout });
    expect(json).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(json.stdout)).toEqual(JSON.parse(await import('node:fs').then((fs) => fs.readFileSync(healthy, 'utf8'))));
  });

  it('converts ISO timestamps from cli-input-json to epoch seconds', async () => {
    const run = await runCli(['convert', '--from', 'cli-input-json', '--to', 'json'], {
      input: '{"AgentVersion":"1","DeviceName":"d","DeviceFleetName":"f","Models":[{"LatestInference":"2026-01-01T00:00:00Z"}]}',
    });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).Models[0].LatestInference).toBe(1767225600);
  });

  it('aws-cli export parses back with --from shorthand, endpoint and region included', async () => {
    const out = await runCli([
      'convert',
      'examples/failed-deployment-rollback.json',
      '--from',
      'json',
      '--to',
      'aws-cli',
      '--endpoint-url',
      'http://127.0.0.1:8080',
      '--region',
      'eu-west-1',
      '--style',
      'shorthand',
    ]);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^aws sagemaker-edge send-heartbeat \\\n/);
    expect(out.stdout).toContain('--endpoint-url http://127.0.0.1:8080');
    const back = await runCli(['convert', '--from', 'shorthand', '--to', 'json'], { input: out.stdout });
    expect(back).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(back.stdout)).toEqual(
      JSON.parse(await import('node:fs').then((fs) => fs.readFileSync('examples/failed-deployment-rollback.json', 'utf8'))),
    );
    // The endpoint and region of the command line carry over to the next export.
    const curl = await runCli(['convert', '--from', 'shorthand', '--to', 'curl'], { input: out.stdout });
    expect(curl.stdout).toContain('--aws-sigv4 aws:amz:eu-west-1:sagemaker');
    expect(curl.stdout.trim().endsWith('http://127.0.0.1:8080/SendHeartbeat')).toBe(true);
  });

  it('the curl export is valid bash (bash -n)', async () => {
    const out = await runCli(['convert', healthy, '--from', 'json', '--to', 'curl']);
    expect(out.code).toBe(0);
    expect(spawnSync('bash', ['-n'], { input: out.stdout }).status).toBe(0);
  });

  it('writes js, python and r snippets', async () => {
    for (const [to, text] of [
      ['js', 'new SendHeartbeatCommand('],
      ['python', 'client.send_heartbeat('],
      ['r', 'svc$send_heartbeat('],
    ]) {
      const run = await runCli(['convert', healthy, '--from', 'json', '--to', to]);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(text);
    }
  });

  it('converts an invalid document but warns on stderr with every error (exit 0)', async () => {
    const run = await runCli(['convert', 'examples/invalid-payload.json', '--from', 'json', '--to', 'yaml']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('ModelNmae: pallet-detector');
    expect(run.stderr).toContain('warning: /Models/0/ModelNmae: ModelNmae is not a member of Model. Did you mean ModelName?');
    expect(run.stderr).toMatch(/warning: the converted SendHeartbeat request is not valid \(8 errors above\)/);
  });

  it('fails with exit 2 and located errors when the input cannot be read', async () => {
    const run = await runCli(['convert', file('dup.yaml', 'DeviceName: a\nDeviceName: b\n'), '--from', 'cli-input-yaml', '--to', 'json']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/dup\.yaml:2:1: Duplicate key/);
    expect(run.stderr).toMatch(
      /heartbeat: .*dup\.yaml could not be read as cli-input-yaml \(1 error above\); fix it and convert again\.\n$/,
    );
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('says in one sentence what is wrong with the options', async () => {
    const cases: [string[], RegExp][] = [
      [['convert', healthy, '--to', 'json'], /^heartbeat: --from is required: one of json, cli-input-json, cli-input-yaml, shorthand\.\n$/],
      [['convert', healthy, '--from', 'xml', '--to', 'json'], /^heartbeat: --from must be one of .* not "xml"\.\n$/],
      [['convert', healthy, '--from', 'json', '--to', 'go'], /^heartbeat: --to must be one of .* not "go"\.\n$/],
      [
        ['convert', join(dir, 'missing.json'), '--from', 'json', '--to', 'json'],
        /^heartbeat: Cannot read .*missing\.json: it does not exist\.\n$/,
      ],
      [
        ['convert', healthy, '--from', 'json', '--to', 'aws-cli', '--endpoint-url', 'localhost'],
        /^heartbeat: --endpoint-url must be an http/,
      ],
    ];
    for (const [args, message] of cases) {
      const run = await runCli(args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(message);
    }
  });

  it('has --help with examples', async () => {
    const run = await runCli(['convert', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: heartbeat convert/);
    expect(run.stdout).toContain('Examples:');
  });
});
