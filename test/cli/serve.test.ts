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

describe('heartbeat serve', () => {
  it('prints "listening on URL" first, serves, and on SIGTERM exits 0 with the capture flushed', async () => {
    const capture = join(dir, 'capture.jsonl');
    const child = spawn(process.execPath, ['bin/heartbeat.js', 'serve', '--port', '0', '--capture', capture], { stdio: ['ignore', 'pipe', 'pipe'] });
    const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    let stdout = '';
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const firstLine = await new Promise<string>((resolve, reject) => {
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        stdout += d;
        if (stdout.includes('\n')) resolve(stdout.split('\n')[0]);
      });
      child.on('exit', (code) => reject(new Error(`serve exited early with ${code}: ${stderr}`)));
    });
    expect(firstLine).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+$/);
    const url = firstLine.slice('listening on '.length);
    const res = await sendSigned(url);
    expect(res.status).toBe(200);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    clearTimeout(killer);
    expect(stdout).toContain('AWS_ACCESS_KEY_ID=AKIAHBCOMPOSERDEMO01');
    expect(stdout).toMatch(/admin API: http:\/\/127\.0\.0\.1:\d+\/__admin\/ \(token [0-9a-f]{32}\)/);
    expect(stdout).toMatch(/ 200 SendHeartbeat warehouse-east\/camera-017 /);
    const lines = (await readFile(capture, 'utf8')).trim().split('\n').map(parseLogLine) as ExchangeLine[];
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ type: 'exchange', operation: 'SendHeartbeat', verdict: { status: 200 } });
  });

  it('refuses bad flags with one sentence and exit 2', async () => {
    const latency = await runCli(['serve', '--latency', 'fast']);
    expect([latency.code, latency.stderr]).toEqual([2, 'heartbeat: --latency must be milliseconds like 200 or 200±50 (jitter not above the latency), not "fast".\n']);
    const half = await runCli(['serve', '--access-key-id', 'AKIA1']);
    expect([half.code, half.stderr]).toEqual([2, 'heartbeat: --access-key-id and --secret-access-key go together; pass both or neither.\n']);
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
