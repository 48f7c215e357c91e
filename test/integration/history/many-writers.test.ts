/**
 * One history folder, many writers (docs/history.md): two `replay` processes, a loop of `send`, a process
 * that opens the history again and again, and the app's host sending too, all at once; then kill -9 of
 * writers at random points while another writer goes on. Every request goes to 127.0.0.1 and every loop
 * is bounded in count and time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkHistoryLine, type HistoryLine } from '../../../src/common/log/entry.ts';
import { HistoryIndex } from '../../../src/node/history/history-index.ts';
import { startHostServices, type HostServices } from '../../../src/node/host/services.ts';

const root = mkdtempSync(join(tmpdir(), 'hb-writers-'));

function payloads(name: string, count: number, prefix: string): string {
  const file = join(root, name);
  writeFileSync(
    file,
    Array.from({ length: count }, (_, i) =>
      JSON.stringify({ AgentVersion: '1.0', DeviceName: `${prefix}-${i}`, DeviceFleetName: 'writers' }),
    ).join('\n') + '\n',
  );
  return file;
}

function cli(
  args: string[],
  env: NodeJS.ProcessEnv,
): { child: ChildProcess; done: Promise<{ code: number | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, ['bin/heartbeat.js', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
  return { child, done };
}

interface FileLines {
  file: string;
  complete: HistoryLine[];
  bad: number;
  /** Bytes after the last newline. */
  tail: string;
}

function readFolder(dir: string): FileLines[] {
  return readdirSync(dir)
    .filter((f) => f.startsWith('history-'))
    .map((file) => {
      const raw = readFileSync(join(dir, file), 'utf8');
      const parts = raw.split('\n');
      const tail = parts.pop()!;
      let bad = 0;
      const complete: HistoryLine[] = [];
      for (const text of parts) {
        if (text === '') continue;
        let checked: ReturnType<typeof checkHistoryLine>;
        try {
          checked = checkHistoryLine(JSON.parse(text));
        } catch {
          bad++;
          continue;
        }
        if ('line' in checked) complete.push(checked.line);
        else bad++;
      }
      return { file, complete, bad, tail };
    });
}

describe('many processes on one history folder', () => {
  let services: HostServices;
  let env: NodeJS.ProcessEnv;
  const historyDir = join(root, 'history');

  beforeAll(async () => {
    services = await startHostServices({ historyDir, settingsFile: join(root, 'settings.json') });
    env = {
      HEARTBEAT_HISTORY_DIR: historyDir,
      HEARTBEAT_LOCAL_URL: services.endpoint.url,
      HEARTBEAT_CODE_CACHE: 'off',
      HOME: root,
      AWS_CONFIG_FILE: join(root, 'none'),
      AWS_SHARED_CREDENTIALS_FILE: join(root, 'none'),
    };
  });
  afterAll(async () => {
    await services?.close();
  });

  it('loses and hides nothing while the app, two replays, sends and readers share it', async () => {
    const a = cli(['replay', payloads('a.ndjson', 1500, 'rep-a'), '--local', '--concurrency', '32', '--output', 'json'], env);
    const b = cli(['replay', payloads('b.ndjson', 1500, 'rep-b'), '--local', '--concurrency', '32', '--output', 'json'], env);
    const one = payloads('one.json', 1, 'send');
    const sendLoop = async (): Promise<number[]> => {
      const codes: number[] = [];
      for (let i = 0; i < 6; i++) codes.push((await cli(['send', one, '--local'], env).done).code ?? -1);
      return codes;
    };
    const readerLoop = async (): Promise<number[]> => {
      const codes: number[] = [];
      for (let i = 0; i < 6; i++) codes.push((await cli(['history', '--limit', '1', '--output', 'json'], env).done).code ?? -1);
      return codes;
    };
    const appSends = (async () => {
      const ids: string[] = [];
      for (let i = 0; i < 40; i++) {
        const result = await services.api.send({
          id: `app-${i}`,
          operation: 'SendHeartbeat',
          body: JSON.stringify({ AgentVersion: '1.0', DeviceName: `app-${i}`, DeviceFleetName: 'writers' }),
          target: { kind: 'local' },
          credentials: { kind: 'demo' },
        });
        ids.push(result.historyId);
        // The app finds its own entry at once, whatever the others wrote meanwhile.
        expect((await services.api.history.get(result.historyId))?.id).toBe(result.historyId);
      }
      return ids;
    })();
    const [ra, rb, s1, s2, reads, appIds] = await Promise.all([a.done, b.done, sendLoop(), sendLoop(), readerLoop(), appSends]);
    expect([ra.code, rb.code], ra.stderr + rb.stderr).toEqual([0, 0]);
    expect([...s1, ...s2, ...reads].every((c) => c === 0)).toBe(true);
    expect(appIds).toHaveLength(40);

    const folder = readFolder(historyDir);
    expect(folder.every((f) => f.bad === 0 && f.tail === '')).toBe(true); // no torn or glued line
    const lines = folder.flatMap((f) => f.complete);
    const requests = lines.filter((l) => l.type === 'request');
    const outcomes = new Set(lines.filter((l) => l.type === 'outcome').map((l) => l.id));
    expect(requests.every((r) => outcomes.has(r.id))).toBe(true);
    expect(requests.length).toBe(3000 + 12 + 40);
    expect(requests.length).toBe(services.endpoint.admin.stats().received);

    // The running app shows every entry any process wrote, within a second, without being asked to re-read.
    const deadline = Date.now() + 1500;
    while ((await services.api.history.query({ limit: 1 })).total < requests.length && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect((await services.api.history.query({ limit: 1 })).total).toBe(requests.length);
    for (const request of requests.filter((_, i) => i % 37 === 0))
      expect((await services.api.history.get(request.id))?.id).toBe(request.id);
  }, 120_000);

  it('kill -9 of writers at random points loses no complete line and glues none, while another writer goes on', async () => {
    const dir = join(root, 'killed');
    const killEnv = { ...env, HEARTBEAT_HISTORY_DIR: dir };
    const steady = cli(
      ['replay', payloads('steady.ndjson', 3000, 'steady'), '--local', '--concurrency', '4', '--rate', '400', '--output', 'json'],
      killEnv,
    );
    const small = payloads('small.ndjson', 400, 'victim');
    const one = payloads('victim.json', 1, 'victim-send');
    // A fixed sequence of pseudo-random delays: the same rounds every run.
    let seed = 7;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const rounds = 24;
    for (let round = 0; round < rounds; round++) {
      const victim = cli(round % 4 === 3 ? ['send', one, '--local'] : ['replay', small, '--local', '--concurrency', '16'], killEnv);
      await new Promise((r) => setTimeout(r, 60 + random() * 400));
      victim.child.kill('SIGKILL');
      await victim.done;
    }
    const steadyResult = await steady.done;
    expect(steadyResult.code, steadyResult.stderr).toBe(0);
    const summary = JSON.parse(steadyResult.stdout) as { sent: number };

    const folder = readFolder(dir);
    // No glued or broken complete line anywhere; a torn tail only in a killed writer's file.
    expect(folder.reduce((n, f) => n + f.bad, 0)).toBe(0);
    const steadyFiles = folder.filter((f) => f.complete.some((l) => l.type === 'request' && l.request.body.includes('"steady-')));
    expect(steadyFiles.every((f) => f.tail === '')).toBe(true);
    const steadyRequests = steadyFiles.flatMap((f) => f.complete).filter((l) => l.type === 'request');
    expect(steadyRequests.length).toBe(summary.sent);
    expect(steadyFiles.flatMap((f) => f.complete).filter((l) => l.type === 'outcome').length).toBe(summary.sent);
    const torn = folder.filter((f) => f.tail !== '').length;
    expect(torn).toBeLessThanOrEqual(rounds);
    // Readers index every complete line, skipping at most the torn tails.
    const index = await HistoryIndex.open(dir);
    const requestLines = folder.flatMap((f) => f.complete).filter((l) => l.type === 'request').length;
    expect(index.size).toBe(requestLines);
    expect(index.skipped).toEqual({ malformed: 0, torn });
  }, 120_000);
});
