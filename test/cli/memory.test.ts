/**
 * Issue 14, items 6 and 7: `validate --ndjson`, `replay` and `send` hold a bounded amount of the input,
 * whatever its size, from a file or a pipe. A 320 MB NDJSON file of realistic payloads is generated;
 * each command's peak RSS (VmHWM of the child, sampled from /proc) must stay below half the file's
 * size (before: validate peaked at 6x the input, send read it whole, replay from a pipe read it whole).
 * The peaks level off at ~110-120 MB here (Node's baseline plus V8's young generation), so the file
 * is large enough for "half" to be well above them.
 */
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolatedEnv } from './heartbeat-run.ts';

// The 320 MB input goes to RAM (/dev/shm) where there is one: written to a disk, it fills the page cache
// with dirty pages, and the kernel then throttles every process that writes, the other tests' servers
// included (an app host's history write stalled for seconds, failing an e2e test now and then).
const dir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'hb-memory-'));
const big = join(dir, 'big.ndjson');
const TARGET_BYTES = 320 * 1024 * 1024;
let size = 0;
let lines = 0;

beforeAll(async () => {
  const models = Array.from({ length: 25 }, (_, i) => ({
    ModelName: `model-${i}`,
    ModelVersion: '1.0',
    LatestSampleTime: 1_700_000_000,
    LatestInference: 1_700_000_000,
    ModelMetrics: [{ Dimension: 'd', MetricName: 'latency', Value: i, Timestamp: 1_700_000_000 }],
  }));
  const out = createWriteStream(big);
  while (size < TARGET_BYTES) {
    const line = `${JSON.stringify({ AgentVersion: '1.0', DeviceName: `dev-${lines}`, DeviceFleetName: 'fleet', Models: models })}\n`;
    size += line.length;
    lines++;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'close');
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Measured {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Peak resident set size, bytes. */
  peak: number;
}

/** Runs the built CLI, optionally with FILE piped into its standard input, and samples its VmHWM. */
function measure(args: string[], stdinFile?: string): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/heartbeat.js', ...args], { env: isolatedEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    let peak = 0;
    const sample = (): void => {
      try {
        const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (match) peak = Math.max(peak, Number(match[1]) * 1024);
      } catch {
        // exited between samples
      }
    };
    const sampler = setInterval(sample, 20);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdin.on('error', () => {});
    if (stdinFile) createReadStream(stdinFile).on('error', reject).pipe(child.stdin);
    else child.stdin.end();
    const killer = setTimeout(() => child.kill('SIGKILL'), 110_000);
    child.on('error', reject);
    // VmHWM of a zombie is gone: the last sample before exit is the peak (it only grows).
    child.on('exit', (code) => {
      clearInterval(sampler);
      clearTimeout(killer);
      child.on('close', () => resolve({ code, stdout, stderr, peak }));
    });
  });
}

describe('bounded memory on a 320 MB NDJSON input', () => {
  it('the input is as large as intended', () => {
    expect(statSync(big).size).toBeGreaterThanOrEqual(TARGET_BYTES);
  });

  it('validate --ndjson FILE streams it', async () => {
    const run = await measure(['validate', '--ndjson', big]);
    expect([run.code, run.stderr]).toEqual([0, `${big}: ${lines} payloads, valid SendHeartbeat requests.\n`]);
    expect(run.peak).toBeGreaterThan(0);
    expect(run.peak).toBeLessThan(size / 2);
  }, 120_000);

  it('replay - --dry-run streams a pipe (and counts every line)', async () => {
    const run = await measure(['replay', '-', '--dry-run', '--output', 'json'], big);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ items: lines, sent: lines, ok: lines, failed: 0 });
    expect(run.peak).toBeLessThan(size / 2);
  }, 120_000);

  it('send refuses it after reading at most the 16 MiB a single document may have', async () => {
    const run = await measure(['send', big, '--local']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`heartbeat: ${big} is larger than 16 MiB; send takes one payload; for NDJSON, use heartbeat replay.\n`);
    expect(run.peak).toBeLessThan(size / 2);
  }, 120_000);
});
