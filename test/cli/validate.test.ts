import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'hb-validate-'));
const file = (name: string, content: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const valid = { AgentVersion: '1.0', DeviceName: 'dev-1', DeviceFleetName: 'fleet-1' };

describe('heartbeat validate', () => {
  it('exits 0 for a valid file and says so on stderr', async () => {
    const run = await runCli(['validate', file('ok.json', JSON.stringify(valid))]);
    expect(run).toMatchObject({ code: 0, stdout: '' });
    expect(run.stderr).toMatch(/ok\.json: valid SendHeartbeat request\./);
  });

  it('prints LINE:COL path: message for each problem and exits 1', async () => {
    const text =
      '{\n  "AgentVersion": "1.0",\n  "DeviceName": "-bad",\n  "DeviceFleetName": "f",\n  "Models": [{"ModelNmae": "resnet"}]\n}\n';
    const run = await runCli(['validate', '-'], { input: text });
    expect(run.code).toBe(1);
    expect(run.stdout.trim().split('\n')).toEqual([
      '3:3 /DeviceName: DeviceName "-bad" does not match the pattern: letters, digits, hyphens and underscores; starts and ends with a letter or digit, and no hyphen directly follows an underscore.',
      '5:15 /Models/0/ModelNmae: ModelNmae is not a member of Model. Did you mean ModelName?',
    ]);
  });

  it('prints one JSON line per payload with --format json', async () => {
    const run = await runCli(['validate', '--format', 'json'], { input: JSON.stringify({ ...valid, DeviceName: undefined }) });
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.valid).toBe(false);
    expect(report.errors).toEqual([expect.objectContaining({ path: '/DeviceName', message: 'DeviceName is required but missing.' })]);
  });

  it('checks every line with --ndjson, reporting a malformed line at path "" and going on', async () => {
    const input = [JSON.stringify(valid), '{"AgentVersion": ', '', JSON.stringify({ ...valid, DeviceName: 'no spaces' })].join('\n') + '\n';
    const run = await runCli(['validate', '--ndjson', '--format', 'json'], { input });
    expect(run.code).toBe(1);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toEqual({ valid: true, errors: [] });
    expect(lines[1].valid).toBe(false);
    expect(lines[1].errors[0]).toMatchObject({ path: '', line: 2 });
    expect(lines[1].errors[0].message).toMatch(/^Line 2 is not valid JSON: at column 18, unexpected end of input/);
    expect(lines[2].errors[0]).toMatchObject({ path: '/DeviceName', line: 4 });
  });

  it.each([
    ['an empty file', '', /1:1 \(document\): The document is empty/],
    ['binary garbage that is UTF-8', '\u0000\u0001\u0002garbage', /1:1 \(document\): Expected a JSON value .* U\+0000/],
    [
      'a number that overflows a double',
      JSON.stringify(valid).replace('}', ',"AgentMetrics":[{"Value":1e400}]}'),
      /\/AgentMetrics\/0\/Value: Value is out of range for a double/,
    ],
    [
      'a string where a number belongs',
      JSON.stringify({ ...valid, Models: [{ LatestInference: 'yesterday' }] }),
      /\/Models\/0\/LatestInference: LatestInference must be a number, not a string \("yesterday"\)/,
    ],
    [
      '10,000 levels of nesting',
      JSON.stringify(valid).replace('}', `,"Models":${'['.repeat(10_000)}${']'.repeat(10_000)}}`),
      /^1:\d+ \/Models(\/0)+: Objects and arrays nest more than 64 levels deep here; a document may nest at most 64 levels\.$/m,
    ],
    [
      'a duplicate key',
      '{"AgentVersion":"1","AgentVersion":"2","DeviceName":"d","DeviceFleetName":"f"}',
      /1:21 \/AgentVersion: Duplicate key "AgentVersion"/,
    ],
  ])('gives a clear error for %s', async (_what, content, expected) => {
    const run = await runCli(['validate', file('case.json', content)]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(expected);
    expect(run.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it('validates a 10 MB payload', async () => {
    const models = Array.from({ length: 60_000 }, (_, i) => ({
      ModelName: `model-${i}`,
      ModelVersion: '1.0',
      LatestInference: 1_700_000_000,
      ModelMetrics: [{ Dimension: 'd', MetricName: 'latency', Value: i, Timestamp: 1_700_000_000 }],
    }));
    const run = await runCli(['validate', file('big.json', JSON.stringify({ ...valid, Models: models }))]);
    expect(run.code).toBe(0);
  });

  it.each([
    [['validate', join(dir, 'missing.json')], /^heartbeat: Cannot read .*missing\.json: it does not exist\.\n$/],
    [['validate', dir], /it is a folder/],
    [['validate', '--format', 'xml', '-'], /^heartbeat: --format must be text or json, not "xml"\.\n$/],
    [['validate', '--operation', 'Nope', '-'], /--operation must be one of SendHeartbeat, GetDeviceRegistration, GetDeployments/],
    [['validate', '--bogus'], /^heartbeat: Unknown option '--bogus'; see "heartbeat validate --help"\.\n$/],
    [['frobnicate'], /Unknown command "frobnicate"/],
  ])('exits 2 with one sentence for %j', async (args, expected) => {
    const run = await runCli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(expected);
  });

  it('exits 2 when the input is not UTF-8', async () => {
    const run = await runCli(['validate', file('latin1.json', Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x7d]))]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/it is not UTF-8 text \(invalid byte at offset 2\)/);
  });

  it('has --help on the command and the program', async () => {
    const help = await runCli(['validate', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: heartbeat validate \[FILE\|-\]/);
    const top = await runCli(['--help']);
    expect(top.stdout).toMatch(/validate +Check heartbeat payloads/);
  });
});
