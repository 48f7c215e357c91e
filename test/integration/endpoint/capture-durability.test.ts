/**
 * Issue 13 item 5: capture as durable as the history. An answered request is in the capture file
 * before its answer leaves (a kill -9 of `heartbeat serve --capture` loses none), --capture-max-bytes
 * rotates within its bound, and a failed write (a full disk) is said once, resumes, and never glues the
 * next line onto a cut one.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ExchangeLine } from '../../../src/common/log/entry.ts';
import { CaptureWriter, rotatedName, type WriteFunction } from '../../../src/node/endpoint/capture.ts';
import { startEndpoint } from '../../../src/node/endpoint/index.ts';
import { HEARTBEAT, sendSigned, signed } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'hb-capture-'));

/** The lines of a capture file that parse, and those that do not. */
function readCapture(file: string): { lines: ExchangeLine[]; broken: string[] } {
  const lines: ExchangeLine[] = [];
  const broken: string[] = [];
  for (const text of readFileSync(file, 'utf8').split('\n')) {
    if (!text) continue;
    try {
      lines.push(JSON.parse(text) as ExchangeLine);
    } catch {
      broken.push(text);
    }
  }
  return { lines, broken };
}

function line(n: number, padding = 0): ExchangeLine {
  return {
    v: 1,
    type: 'exchange',
    id: `id-${n}`,
    time: new Date(1_763_797_700_000 + n).toISOString(),
    operation: 'SendHeartbeat',
    request: { method: 'POST', url: 'http://127.0.0.1/SendHeartbeat', headers: {}, body: `{"n":${n}}${' '.repeat(padding)}` },
    verdict: { status: 200, requestId: `rid-${n}`, handlingMs: 1 },
  } as ExchangeLine;
}

/** `heartbeat serve --port 0 …` as a child: its URL once it listens, its stdout/stderr so far, and a SIGTERM stop. */
async function serve(args: string[]) {
  const child = spawn(process.execPath, ['bin/heartbeat.js', 'serve', '--port', '0', '--quiet', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const seen = { out: '', err: '' };
  child.stderr.setEncoding('utf8').on('data', (d: string) => (seen.err += d));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      seen.out += d;
      const found = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(seen.out);
      // The start-up lines end with "capturing to …"; the SIGTERM handler is set in the same tick.
      if (found && /^capturing to .*\n/m.test(seen.out)) resolve(found[1]!);
    });
    void exited.then((code) => reject(new Error(`serve exited with ${code}: ${seen.err}`)));
  });
  return {
    url,
    seen,
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

describe('capture durability: kill -9 of heartbeat serve --capture', () => {
  it(
    'every request answered 200 is in the capture file (5 rounds, up to 1,000 requests each, killed mid-stream)',
    { timeout: 120_000 },
    async () => {
      for (let round = 0; round < 5; round++) {
        const file = join(dir, `killed-${round}.jsonl`);
        const child = spawn(process.execPath, ['bin/heartbeat.js', 'serve', '--port', '0', '--capture', file, '--quiet'], {
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
        let stderr = '';
        child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
        const url = await new Promise<string>((resolve, reject) => {
          let out = '';
          child.stdout.setEncoding('utf8').on('data', (d: string) => {
            out += d;
            const found = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(out);
            if (found) resolve(found[1]!);
          });
          child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
        });
        expect(url.startsWith('http://127.0.0.1:')).toBe(true);

        // Kill after a varying number of answers, while 32 requests are in flight.
        const killAfter = 100 + Math.floor(Math.random() * 600);
        const answered: string[] = [];
        const agent = new Agent({ keepAlive: true, maxSockets: 32 });
        let next = 0;
        let killed = false;
        const one = async (n: number): Promise<void> => {
          const s = await signed(url, { body: { ...HEARTBEAT, DeviceName: `cam-kill-${round}-${n}` } });
          const status = await new Promise<{ code: number; id: string } | undefined>((resolve) => {
            const req = request(new URL(s.path, url), { method: 'POST', headers: s.headers, agent }, (res) => {
              res.resume();
              res.on('end', () => resolve({ code: res.statusCode ?? 0, id: String(res.headers['x-amzn-requestid']) }));
              res.on('error', () => resolve(undefined));
            });
            req.on('error', () => resolve(undefined));
            req.end(s.body);
          });
          if (status?.code === 200) {
            answered.push(status.id);
            if (answered.length >= killAfter && !killed) {
              killed = true;
              child.kill('SIGKILL');
            }
          }
        };
        const worker = async (): Promise<void> => {
          while (!killed && next < 1000) await one(next++);
        };
        await Promise.all(Array.from({ length: 32 }, worker));
        if (!killed) child.kill('SIGKILL');
        await exited;
        agent.destroy();

        const captured = new Set(readCapture(file).lines.map((l) => l.verdict.requestId));
        const missing = answered.filter((id) => !captured.has(id));
        expect(answered.length, `round ${round}`).toBeGreaterThanOrEqual(Math.min(killAfter, 1000));
        expect(missing, `round ${round}: ${missing.length} of ${answered.length} answered requests missing from the capture`).toEqual([]);
      }
    },
  );
});

describe('capture rotation (--capture-max-bytes, --capture-files)', () => {
  it('rotates capture.jsonl → capture.1.jsonl …, keeps at most K files, each within the bound, the newest lines kept in order', async () => {
    const file = join(dir, 'rotate', 'capture.jsonl');
    mkdirSync(join(dir, 'rotate'));
    const maxBytes = 4000;
    const writer = await CaptureWriter.open(file, { maxBytes, files: 2 });
    for (let n = 0; n < 200; n++) writer.write(line(n));
    await writer.close();
    expect(readdirSync(join(dir, 'rotate')).sort()).toEqual(['capture.1.jsonl', 'capture.2.jsonl', 'capture.jsonl']);
    expect(rotatedName(file, 1)).toBe(join(dir, 'rotate', 'capture.1.jsonl'));
    const order = [rotatedName(file, 2), rotatedName(file, 1), file];
    const ids: string[] = [];
    for (const f of order) {
      expect(statSync(f).size, f).toBeLessThanOrEqual(maxBytes);
      const { lines, broken } = readCapture(f);
      expect(broken).toEqual([]);
      ids.push(...lines.map((l) => l.id));
    }
    // The newest lines, consecutive, ending with the last one written.
    const first = Number(ids[0]!.slice(3));
    expect(ids).toEqual(Array.from({ length: ids.length }, (_, i) => `id-${first + i}`));
    expect(ids.at(-1)).toBe('id-199');
    expect(ids.length).toBeGreaterThan(2 * (maxBytes / (JSON.stringify(line(199)).length + 1)) - 2);
  });

  it('a line larger than the bound goes alone into a fresh file; --capture-files 0 keeps no older file', async () => {
    const file = join(dir, 'capture-big.jsonl');
    const writer = await CaptureWriter.open(file, { maxBytes: 1000, files: 0 });
    writer.write(line(1));
    writer.write(line(2, 5000));
    expect(readCapture(file).lines.map((l) => l.id)).toEqual(['id-2']);
    writer.write(line(3));
    await writer.close();
    expect(readCapture(file).lines.map((l) => l.id)).toEqual(['id-3']);
    expect(existsSync(rotatedName(file, 1))).toBe(false);
  });

  it('the endpoint rotates its capture under real traffic and keeps the bound', async () => {
    const file = join(dir, 'endpoint-rotate.jsonl');
    const ep = await startEndpoint({ capturePath: file, captureOptions: { maxBytes: 6000, files: 3 } });
    try {
      for (let n = 0; n < 40; n++)
        expect((await sendSigned(ep.url, { body: { ...HEARTBEAT, DeviceName: `cam-rot-${n}` } })).status).toBe(200);
    } finally {
      await ep.close();
    }
    const files = [file, rotatedName(file, 1), rotatedName(file, 2), rotatedName(file, 3)];
    for (const f of files) expect(statSync(f).size, f).toBeLessThanOrEqual(6000);
    expect(existsSync(rotatedName(file, 4))).toBe(false);
    const last = readCapture(file).lines.at(-1);
    expect((JSON.parse(last!.request.body) as { DeviceName: string }).DeviceName).toBe('cam-rot-39');
  });
});

describe('heartbeat serve capture flags', () => {
  it("--capture-max-bytes and --capture-files rotate the real server's capture and say so at start", async () => {
    const folder = mkdtempSync(join(tmpdir(), 'hb-serve-rotate-'));
    const file = join(folder, 'capture.jsonl');
    const served = await serve(['--capture', file, '--capture-max-bytes', '5000', '--capture-files', '2']);
    try {
      expect(served.seen.out).toContain(`capturing to ${file} (rotated at 5000 bytes, at most 2 older files kept)`);
      for (let n = 0; n < 30; n++)
        expect((await sendSigned(served.url, { body: { ...HEARTBEAT, DeviceName: `cam-cli-rot-${n}` } })).status).toBe(200);
    } finally {
      expect(await served.stop()).toBe(0);
    }
    expect(readdirSync(folder).sort()).toEqual(['capture.1.jsonl', 'capture.2.jsonl', 'capture.jsonl']);
    for (const f of readdirSync(folder)) expect(statSync(join(folder, f)).size, f).toBeLessThanOrEqual(5000);
    expect(readCapture(file).lines.at(-1)?.request.body).toContain('cam-cli-rot-29');
  });

  it('refuses rotation flags without what they need, in one sentence with exit 2', async () => {
    const run = async (args: string[]) => {
      const child = spawn(process.execPath, ['bin/heartbeat.js', 'serve', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      let err = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      return { code, err: err.trim() };
    };
    expect(await run(['--capture-max-bytes', '1000'])).toEqual({
      code: 2,
      err: 'heartbeat: --capture-max-bytes and --capture-files need --capture FILE.',
    });
    expect(await run(['--capture', join(dir, 'x.jsonl'), '--capture-files', '2'])).toEqual({
      code: 2,
      err: 'heartbeat: --capture-files needs --capture-max-bytes to say when to rotate.',
    });
    expect(await run(['--capture', join(dir, 'x.jsonl'), '--capture-max-bytes', '0'])).toEqual({
      code: 2,
      err: 'heartbeat: --capture-max-bytes must be a whole number from 1 to 9007199254740991, not "0".',
    });
  });

  it.skipIf(!existsSync('/dev/full'))('a full disk (/dev/full) is said once on stderr; every request is still answered', async () => {
    const served = await serve(['--capture', '/dev/full']);
    try {
      for (let n = 0; n < 5; n++)
        expect((await sendSigned(served.url, { body: { ...HEARTBEAT, DeviceName: `cam-full-${n}` } })).status).toBe(200);
      const stats = (await (
        await fetch(`${served.url}/__admin/stats`, { headers: { authorization: `Bearer ${/token (\w+)/.exec(served.seen.out)?.[1]}` } })
      ).json()) as { captureError?: string };
      expect(stats.captureError).toMatch(/ENOSPC/);
    } finally {
      await served.stop();
    }
    const sentences = served.seen.err.split('\n').filter((l) => l.includes('capture'));
    expect(sentences).toEqual([
      'heartbeat serve: Writing the capture file /dev/full failed (ENOSPC); requests are not captured until a write succeeds again.',
    ]);
  });
});

describe('capture write failures', () => {
  it('says one sentence once, resumes when a write succeeds, and starts the next line on a fresh line after a cut one', async () => {
    const file = join(dir, 'enospc.jsonl');
    const problems: string[] = [];
    // Line 3 is cut after 40 bytes by a full disk; lines 4 and 5 fail outright; then the disk has room again.
    let call = 0;
    const failing: WriteFunction = (fd, buffer, offset, length) => {
      call++;
      const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      if (call === 3) return writeSync(fd, buffer, offset, 40);
      if (call >= 4 && call <= 6) throw full;
      return writeSync(fd, buffer, offset, length);
    };
    const writer = await CaptureWriter.open(file, { write: failing, onProblem: (s) => problems.push(s) });
    writer.write(line(1)); // call 1
    writer.write(line(2)); // call 2
    writer.write(line(3)); // call 3: 40 bytes; call 4: ENOSPC
    expect(writer.error).toMatch(/ENOSPC/);
    writer.write(line(4)); // call 5: ENOSPC
    writer.write(line(5)); // call 6: ENOSPC
    writer.write(line(6)); // call 7: written, with a newline first
    expect(writer.error).toBeUndefined();
    writer.write(line(7));
    await writer.close();

    expect(problems).toEqual([`Writing the capture file ${file} failed (ENOSPC); requests are not captured until a write succeeds again.`]);
    const { lines, broken } = readCapture(file);
    expect(lines.map((l) => l.id)).toEqual(['id-1', 'id-2', 'id-6', 'id-7']);
    expect(broken).toEqual([`${JSON.stringify(line(3))}\n`.slice(0, 40)]);
  });

  it('a second outage after a recovery is said again', async () => {
    const problems: string[] = [];
    let fail = false;
    const writer = await CaptureWriter.open(join(dir, 'twice.jsonl'), {
      write: (fd, b, o, l) => {
        if (fail) throw Object.assign(new Error('EIO'), { code: 'EIO' });
        return writeSync(fd, b, o, l);
      },
      onProblem: (s) => problems.push(s),
    });
    for (const outage of [true, false, true, true, false]) {
      fail = outage;
      writer.write(line(1));
    }
    await writer.close();
    expect(problems).toHaveLength(2);
    expect(readCapture(join(dir, 'twice.jsonl'))).toEqual({ lines: [line(1), line(1)], broken: [] });
  });
});
