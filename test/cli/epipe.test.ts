/**
 * Issue 14, item 31: a reader that stops (`| head`) closes the CLI's standard output; every command
 * then ends quietly, exit 0, no `write EPIPE` stack. Real bash pipelines into the real `head`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isolatedEnv } from './heartbeat-run.ts';

const dir = mkdtempSync(join(tmpdir(), 'hb-epipe-'));
const cli = resolve('bin/heartbeat.js');

interface Pipeline {
  /** What `head` printed so far. */
  stdout: () => string;
  exited: Promise<number | null>;
}

/** Runs `<heartbeat args> 2>FILE | head ...` in bash; the CLI's exit code and stderr land in files. */
function pipeline(args: string, head: string): Pipeline {
  const script = `"${process.execPath}" "${cli}" ${args} 2>cli.err | ${head}; echo "\${PIPESTATUS[0]}" > cli.code`;
  const child = spawn('bash', ['-c', script], { cwd: dir, env: isolatedEnv(), stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  const killer = setTimeout(() => child.kill('SIGKILL'), 25_000);
  return {
    stdout: () => out,
    exited: new Promise((done) => child.on('exit', (code) => (clearTimeout(killer), done(code)))),
  };
}

function cliResult(): { code: string; stderr: string } {
  return { code: readFileSync(join(dir, 'cli.code'), 'utf8').trim(), stderr: readFileSync(join(dir, 'cli.err'), 'utf8') };
}

function post(url: string): Promise<void> {
  return new Promise((done) => {
    const req = request(`${url}/SendHeartbeat`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', done);
    });
    req.on('error', () => done());
    req.end('{}');
  });
}

describe('a closed standard output', () => {
  it('heartbeat serve --port 0 | head -3: serve stops quietly with exit 0 at its next line', async () => {
    const run = pipeline('serve --port 0', 'head -3');
    const deadline = Date.now() + 20_000;
    while (!/^listening on (\S+)\n/.test(run.stdout())) {
      if (Date.now() > deadline) throw new Error(`no listening line: ${run.stdout()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const url = /^listening on (\S+)\n/.exec(run.stdout())![1]!;
    let ended = false;
    void run.exited.then(() => (ended = true));
    // Each request makes serve write a line; once head has gone, that write fails with EPIPE.
    while (!ended && Date.now() < deadline) {
      await post(url);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await run.exited).toBe(0);
    expect(run.stdout().split('\n')).toHaveLength(4);
    expect(cliResult()).toEqual({ code: '0', stderr: '' });
  });

  it('heartbeat validate --ndjson --format json BIG | head -1', async () => {
    const payload = JSON.stringify({ AgentVersion: '1.0', DeviceName: 'dev-1', DeviceFleetName: 'f' });
    writeFileSync(join(dir, 'many.ndjson'), `${payload}\n`.repeat(50_000));
    const run = pipeline('validate --ndjson --format json many.ndjson', 'head -1');
    expect(await run.exited).toBe(0);
    expect(run.stdout()).toBe('{"valid":true,"errors":[]}\n');
    expect(cliResult()).toEqual({ code: '0', stderr: '' });
  });

  it('heartbeat replay --output json (a summary larger than a pipe holds) | head -c 20', async () => {
    writeFileSync(join(dir, 'bad.ndjson'), 'not json\n'.repeat(5_000));
    const run = pipeline('replay bad.ndjson --dry-run --output json', 'head -c 20');
    expect(await run.exited).toBe(0);
    expect(run.stdout()).toBe('{"target":{"kind":"l');
    expect(cliResult()).toEqual({ code: '0', stderr: '' });
  });
});
