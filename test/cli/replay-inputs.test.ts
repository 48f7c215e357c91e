/**
 * Issue 14, items 6 and 12: `heartbeat replay` reads every kind of input a shell can hand it (a pipe
 * as `-` or /dev/stdin, `<(…)`, a FIFO), and its summary adds up and names every failed input line.
 * Against a loopback server that answers 400 ValidationException for devices named *-13.
 */
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { heartbeat, isolatedEnv, type Run } from './heartbeat-run.ts';

const payload = (i: number) => JSON.stringify({ AgentVersion: '1.0', DeviceName: `dev-${i}`, DeviceFleetName: 'fleet-p' });
const dir = mkdtempSync(join(tmpdir(), 'hb-replay-inputs-'));
const env = isolatedEnv({ AWS_ACCESS_KEY_ID: 'AKIAREPLAYINPUTS0001', AWS_SECRET_ACCESS_KEY: 'secret', AWS_REGION: 'us-east-1' });
const cli = resolve('bin/heartbeat.js');

/** Runs a bash command line with `heartbeat` the built CLI. */
function shell(command: string): Promise<Run> {
  return new Promise((done) => {
    execFile(
      'bash',
      ['-c', `heartbeat() { "${process.execPath}" "${cli}" "$@"; }\n${command}`],
      { env, cwd: dir, timeout: 30_000 },
      (error, stdout, stderr) => {
        done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

describe('replay inputs and summary', () => {
  let server: Server;
  let url: string;
  let received = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received++;
        if ((JSON.parse(body) as { DeviceName: string }).DeviceName.endsWith('-13')) {
          res.writeHead(400, { 'x-amzn-errortype': 'ValidationException', 'content-type': 'application/json' });
          res.end(JSON.stringify({ message: 'DeviceName dev-13 is refused' }));
        } else res.end();
      });
    });
    await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    writeFileSync(join(dir, 'five.ndjson'), Array.from({ length: 5 }, (_, i) => payload(i)).join('\n') + '\n');
  });
  afterAll(() => new Promise<void>((done) => server.close(() => done())));

  it.each([
    ['a pipe as -', 'cat five.ndjson | heartbeat replay - --endpoint-url URL --output json'],
    ['a pipe as /dev/stdin', 'cat five.ndjson | heartbeat replay /dev/stdin --endpoint-url URL --output json'],
    ['a process substitution', 'heartbeat replay <(cat five.ndjson) --endpoint-url URL --output json'],
    ['a FIFO', 'rm -f fifo && mkfifo fifo && (cat five.ndjson > fifo &) && heartbeat replay fifo --endpoint-url URL --output json'],
  ])('reads %s and sends every payload', async (_what, command) => {
    const before = received;
    const run = await shell(command.replace('URL', url));
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(JSON.parse(run.stdout)).toMatchObject({ items: 5, sent: 5, ok: 5, failed: 0, failures: [] });
    expect(received - before).toBe(5);
  });

  it('reads a pretty-printed document from a pipe as one payload', async () => {
    const run = await shell(`cat "${resolve('examples/healthy-device.json')}" | heartbeat replay - --dry-run --output json`);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ items: 1, sent: 1, ok: 1, failed: 0 });
  });

  it('a line longer than 16 MiB from a pipe is one unreadable item, not a crash', async () => {
    const run = await shell(
      `{ echo '${payload(1)}'; head -c 20000000 /dev/zero | tr '\\0' 'a'; echo; echo '${payload(2)}'; } | heartbeat replay - --dry-run --output json`,
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({
      items: 3,
      ok: 2,
      failed: 1,
      sent: 2,
      failures: [
        { source: 'stdin:2', errorType: 'unreadable', message: 'the line is longer than 16 MiB (20000000 characters); it is not read' },
      ],
    });
  });

  it('counts add up and every failure names its input line, status, error type and message', async () => {
    const file = join(dir, 'mixed.ndjson');
    const lines = [...Array.from({ length: 40 }, (_, i) => payload(i + 1)), 'not json', '[1, 2]'];
    writeFileSync(file, lines.join('\n') + '\n');
    const json = await heartbeat(['replay', file, '--endpoint-url', url, '--output', 'json', '--concurrency', '4'], env);
    expect(json.code).toBe(1);
    const summary = JSON.parse(json.stdout);
    expect(summary).toMatchObject({ items: 42, sent: 40, ok: 39, failed: 3, failedByType: { ValidationException: 1, unreadable: 2 } });
    expect(summary.ok + summary.failed).toBe(summary.items);
    expect(summary.sent).toBe(summary.items - summary.failedByType.unreadable);
    expect(summary.failures).toEqual([
      { source: `${file}:13`, status: 400, errorType: 'ValidationException', message: 'DeviceName dev-13 is refused' },
      { source: `${file}:41`, errorType: 'unreadable', message: 'the line is not JSON (a torn or foreign line)' },
      { source: `${file}:42`, errorType: 'unreadable', message: 'the line is not a JSON object' },
    ]);
    const text = await heartbeat(['replay', file, '--endpoint-url', url, '--concurrency', '4'], env);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(
      /^42 items: 39 ok, 3 failed \(unreadable 2, ValidationException 1\); 40 sent, p50 [\d.]+ ms, p99 [\d.]+ ms, [\d.]+\/s over [\d.]+ s\.\n/,
    );
    expect(text.stdout.split('\n').slice(1)).toEqual([
      'Failed:',
      `  ${file}:13  400 ValidationException: DeviceName dev-13 is refused`,
      `  ${file}:41  unreadable: the line is not JSON (a torn or foreign line)`,
      `  ${file}:42  unreadable: the line is not a JSON object`,
      '',
    ]);
  });

  it('a dry run adds up too', async () => {
    const file = join(dir, 'dry.ndjson');
    writeFileSync(file, [...Array.from({ length: 300 }, (_, i) => payload(i)), '{"torn":'].join('\n') + '\n');
    const run = await heartbeat(['replay', file, '--dry-run'], env);
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/^signed \(dry run\) 301 items: 300 ok, 1 failed \(unreadable 1\); 300 signed, /);
    expect(run.stdout).toContain(`\n  ${file}:301  unreadable: the line is not JSON (a torn or foreign line)\n`);
  });

  it('lists the first 20 failures in text and all of them in JSON, in input order', async () => {
    const file = join(dir, 'many-bad.ndjson');
    writeFileSync(file, [payload(1), ...Array.from({ length: 30 }, (_, i) => `bad ${i}`), payload(2)].join('\n') + '\n');
    const text = await heartbeat(['replay', file, '--dry-run', '--concurrency', '8'], env);
    const listed = text.stdout.split('\n').filter((l) => l.startsWith(`  ${file}:`));
    expect(listed).toEqual(
      Array.from({ length: 20 }, (_, i) => `  ${file}:${i + 2}  unreadable: the line is not JSON (a torn or foreign line)`),
    );
    expect(text.stdout).toContain('\n  … and 10 more (--output json lists every failure)\n');
    const json = JSON.parse((await heartbeat(['replay', file, '--dry-run', '--output', 'json'], env)).stdout);
    expect(json).toMatchObject({ items: 32, ok: 2, failed: 30, sent: 2 });
    expect(json.failures.map((f: { source: string }) => f.source)).toEqual(Array.from({ length: 30 }, (_, i) => `${file}:${i + 2}`));
  });

  it('--debug says which target is used (docs/sending.md)', async () => {
    const run = await heartbeat(['replay', join(dir, 'five.ndjson'), '--endpoint-url', url, '--debug'], env);
    // …and, once the file is opened, the format it is read as and why (docs/captures.md#detection).
    expect([run.code, run.stderr]).toEqual([
      0,
      `Target: ${url} (signed for us-east-1).\nReading ${join(dir, 'five.ndjson')} as ndjson: the first line is a JSON object and more lines follow (NDJSON: one payload per line).\n`,
    ]);
    const local = await heartbeat(['replay', join(dir, 'five.ndjson'), '--local', '--debug', '--dry-run'], env);
    expect(local.code).toBe(0);
    expect(local.stderr).toMatch(/^Target: a throwaway embedded endpoint at http:\/\/127\.0\.0\.1:\d+, started for this command/);
  });

  it('a missing input is reported before the target is set up (not as a credentials error)', async () => {
    const run = await heartbeat(['replay', join(dir, 'missing.ndjson'), '--endpoint-url', url], isolatedEnv());
    expect(run).toEqual({ code: 2, stdout: '', stderr: `heartbeat: Cannot read ${join(dir, 'missing.ndjson')}: it does not exist.\n` });
  });
});
