/**
 * Ctrl+C during `heartbeat replay`: a slow embedded endpoint (`heartbeat serve --latency 200`), many
 * payloads, SIGINT once some are through. The replay stops cleanly: exit 130, a JSON summary flagged
 * `stopped`, and a history with whole lines, one outcome for every request it sent.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { parseLogLine, type OutcomeLine } from '../../src/common/log/entry.ts';
import { historyText, isolatedEnv } from './heartbeat-run.ts';

const PAYLOADS = 500;
const children: ChildProcess[] = [];
afterAll(() => children.forEach((c) => c.kill('SIGKILL')));

function start(args: string[], env: NodeJS.ProcessEnv = process.env) {
  const child = spawn(process.execPath, ['bin/heartbeat.js', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, stdout: () => stdout, stderr: () => stderr };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !condition(); waited += 50) {
    if (waited > 15_000) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const historyLines = (dir: string): string[] => historyText(dir).split('\n');

it('stops cleanly on SIGINT: exit 130, a stopped summary, whole history lines for what was sent', async () => {
  const serve = start(['serve', '--port', '0', '--latency', '200', '--quiet']);
  await until(() => /^listening on (\S+)\n/.test(serve.stdout()), 'heartbeat serve to listen');
  const url = /^listening on (\S+)\n/.exec(serve.stdout())![1]!;

  const env = isolatedEnv({ HEARTBEAT_LOCAL_URL: url });
  const payloads = join(env.HOME!, 'payloads.ndjson');
  writeFileSync(
    payloads,
    Array.from({ length: PAYLOADS }, (_, i) =>
      JSON.stringify({ AgentVersion: '1.0', DeviceName: `dev-${i}`, DeviceFleetName: 'fleet-int' }),
    ).join('\n') + '\n',
  );
  const historyDir = env.HEARTBEAT_HISTORY_DIR!;

  const replay = start(['replay', payloads, '--local', '--concurrency', '4', '--output', 'json'], env);
  // At 200 ms per send and 4 in flight, 500 payloads take ~25 s; interrupt once 12 are answered.
  await until(() => historyLines(historyDir).filter((l) => l.includes('"type":"outcome"')).length >= 12, 'some replayed sends to finish');
  replay.child.kill('SIGINT');
  expect(await replay.exited).toBe(130);

  const summary = JSON.parse(replay.stdout()) as {
    sent: number;
    ok: number;
    failed: number;
    failedByType: Record<string, number>;
    stopped: boolean;
  };
  expect(summary.stopped).toBe(true);
  expect(summary.sent).toBeGreaterThanOrEqual(12);
  expect(summary.sent).toBeLessThan(PAYLOADS);
  expect(summary.ok).toBeGreaterThanOrEqual(12);
  // Sends in flight at the interrupt are cancelled, nothing else fails.
  expect(Object.keys(summary.failedByType).filter((t) => t !== 'cancelled')).toEqual([]);
  expect(summary.ok + summary.failed).toBe(summary.sent);

  const raw = historyText(historyDir);
  expect(raw.endsWith('\n')).toBe(true);
  const lines = raw.trimEnd().split('\n').map(parseLogLine);
  expect(lines.every(Boolean)).toBe(true); // no torn or foreign line
  const requests = lines.filter((l) => l!.type === 'request');
  const outcomes = lines.filter((l) => l!.type === 'outcome');
  expect(requests).toHaveLength(summary.sent);
  expect(outcomes.map((l) => l!.id).sort()).toEqual(requests.map((l) => l!.id).sort());
  const states = outcomes.map((l) => (l as OutcomeLine).outcome.kind);
  expect(states.filter((k) => k === 'success')).toHaveLength(summary.ok);

  serve.child.kill('SIGTERM');
  expect(await serve.exited).toBe(0);
}, 60_000);
