/** `heartbeat serve` as a user runs it: the built binary, a real heartbeat, SIGTERM. */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLogLine, type ExchangeLine } from '../../src/common/log/entry.ts';
import { sendSigned } from '../integration/endpoint/helpers.ts';
import { runCli } from './run-cli.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hb-serve-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

interface Served {
  url: string;
  stdout: () => string;
  /** Sends the signal and resolves with the exit code (SIGKILL after 20 s so a hang fails the test). */
  stop: (signal: NodeJS.Signals) => Promise<number | null>;
}

/** Spawns the built `heartbeat serve` and waits for its start-up lines (up to the admin API line). */
async function serve(args: string[]): Promise<Served> {
  const child = spawn(process.execPath, ['bin/heartbeat.js', 'serve', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  void exited.then(() => clearTimeout(killer));
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const firstLine = await new Promise<string>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      if (/^admin API: .*\n/m.test(stdout)) resolve(stdout.split('\n')[0]);
    });
    void exited.then((code) => reject(new Error(`serve exited early with ${code}: ${stderr}`)));
  });
  expect(firstLine).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+$/);
  return {
    url: firstLine.slice('listening on '.length),
    stdout: () => stdout,
    stop: (signal) => {
      child.kill(signal);
      return exited;
    },
  };
}

async function capturedLines(file: string): Promise<ExchangeLine[]> {
  return (await readFile(file, 'utf8')).trim().split('\n').map(parseLogLine) as ExchangeLine[];
}

describe('heartbeat serve', () => {
  it('prints "listening on URL" first, serves, and on SIGTERM exits 0 with the capture flushed', async () => {
    const capture = join(dir, 'capture.jsonl');
    const served = await serve(['--capture', capture]);
    const res = await sendSigned(served.url);
    expect(res.status).toBe(200);
    expect(await served.stop('SIGTERM')).toBe(0);
    const stdout = served.stdout();
    expect(stdout).toContain('AWS_ACCESS_KEY_ID=AKIAHBCOMPOSERDEMO01');
    expect(stdout).toMatch(/admin API: http:\/\/127\.0\.0\.1:\d+\/__admin\/ \(token [0-9a-f]{32}\)/);
    expect(stdout).toMatch(/ 200 SendHeartbeat warehouse-east\/camera-017 /);
    const lines = await capturedLines(capture);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ type: 'exchange', operation: 'SendHeartbeat', verdict: { status: 200 } });
  });

  it('on SIGINT (Ctrl+C) exits 0 with the capture flushed', async () => {
    const capture = join(dir, 'capture-sigint.jsonl');
    const served = await serve(['--capture', capture, '--quiet']);
    for (const device of ['cam-1', 'cam-2', 'cam-3'])
      expect((await sendSigned(served.url, { body: { AgentVersion: '1.0', DeviceName: device, DeviceFleetName: 'f' } })).status).toBe(200);
    expect(await served.stop('SIGINT')).toBe(0);
    const lines = await capturedLines(capture);
    expect(lines.map((l) => [l.operation, l.verdict.status, (JSON.parse(l.request.body) as { DeviceName?: string }).DeviceName])).toEqual([
      ['SendHeartbeat', 200, 'cam-1'],
      ['SendHeartbeat', 200, 'cam-2'],
      ['SendHeartbeat', 200, 'cam-3'],
    ]);
  });

  it('accepts a scope naming any region by default, and only --region when it is set', async () => {
    const open = await serve(['--quiet']);
    try {
      expect(open.stdout()).toMatch(/^region: any /m);
      expect((await sendSigned(open.url, { region: 'eu-west-1' })).status).toBe(200);
    } finally {
      await open.stop('SIGTERM');
    }
    const pinned = await serve(['--quiet', '--region', 'us-east-1']);
    try {
      expect(pinned.stdout()).toMatch(/^region: us-east-1 only;/m);
      const refused = await sendSigned(pinned.url, { region: 'eu-west-1' });
      expect([refused.status, refused.headers['x-amzn-errortype'], refused.json().message]).toEqual([
        403,
        'InvalidSignatureException',
        "Credential should be scoped to a valid region, not 'eu-west-1'; this endpoint expects 'us-east-1'.",
      ]);
      expect((await sendSigned(pinned.url, { region: 'us-east-1' })).status).toBe(200);
    } finally {
      await pinned.stop('SIGTERM');
    }
  });

  it('refuses bad flags with one sentence and exit 2', async () => {
    const latency = await runCli(['serve', '--latency', 'fast']);
    expect([latency.code, latency.stderr]).toEqual([
      2,
      'heartbeat: --latency must be milliseconds like 200 or 200±50 (jitter not above the latency), not "fast".\n',
    ]);
    const half = await runCli(['serve', '--access-key-id', 'AKIA1']);
    expect([half.code, half.stderr]).toEqual([
      2,
      'heartbeat: --access-key-id and --secret-access-key go together; pass both or neither.\n',
    ]);
    const config = await runCli(['serve', '--config', join(dir, 'missing.yaml')]);
    expect(config.code).toBe(2);
    expect(config.stderr).toMatch(/^heartbeat: Cannot read the endpoint config .*missing\.yaml \(ENOENT\); check the path\.\n$/);
  });

  it('has --help', async () => {
    const help = await runCli(['serve', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: heartbeat serve \[options\]/);
  });
});
