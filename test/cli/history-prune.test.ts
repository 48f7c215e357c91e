/** `heartbeat history prune` and the history's warnings as a user sees them (the built CLI). */
import { appendFileSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOG_VERSION } from '../../src/common/log/entry.ts';
import { newHistoryFileName } from '../../src/node/history/log-file.ts';
import { heartbeat, isolatedEnv } from './heartbeat-run.ts';

const DAY = 86_400_000;

/** A finished file of a process that is gone, with one entry per day for `days` days up to now. */
function seed(dir: string, days: number): void {
  mkdirSync(dir, { recursive: true });
  const now = Date.now();
  const lines = Array.from({ length: days }, (_, i) => {
    const time = new Date(now - (days - 1 - i) * DAY - 60_000).toISOString();
    const body = JSON.stringify({ AgentVersion: '1', DeviceName: `day-${i}`, DeviceFleetName: 'f' });
    return [
      {
        v: LOG_VERSION,
        type: 'request',
        id: `day-${i}`,
        time,
        operation: 'SendHeartbeat',
        target: { kind: 'local', url: 'http://127.0.0.1:1', region: 'us-east-1' },
        request: { method: 'POST', url: 'http://127.0.0.1:1/', headers: {}, body },
      },
      {
        v: LOG_VERSION,
        type: 'outcome',
        id: `day-${i}`,
        time,
        outcome: { kind: 'success', status: 200, headers: {}, body: '{}' },
        attempts: [{ attempt: 1, startedAt: time, durationMs: 1 }],
      },
    ]
      .map((l) => JSON.stringify(l) + '\n')
      .join('');
  });
  writeFileSync(join(dir, newHistoryFileName(4_194_400, now - days * DAY)), lines.join(''));
}

const total = async (env: NodeJS.ProcessEnv): Promise<number> =>
  JSON.parse((await heartbeat(['history', '--output', 'json', '--limit', '0'], env)).stdout).total;

describe('heartbeat history prune', () => {
  it('removes entries older than an age, then all but the newest N, from the disk too', async () => {
    const env = isolatedEnv();
    seed(env.HEARTBEAT_HISTORY_DIR!, 40);
    const dry = await heartbeat(['history', 'prune', '--older-than', '30d', '--dry-run'], env);
    expect(dry).toMatchObject({ code: 0, stderr: `Would remove 10 entries of 40 in ${env.HEARTBEAT_HISTORY_DIR}.\n` });
    expect(await total(env)).toBe(40);
    const run = await heartbeat(['history', 'prune', '--older-than', '30d'], env);
    expect(run).toMatchObject({ code: 0, stderr: `Removed 10 entries of 40 in ${env.HEARTBEAT_HISTORY_DIR}.\n` });
    expect(await total(env)).toBe(30);
    expect((await heartbeat(['history', 'prune', '--keep', '5'], env)).stderr).toBe(
      `Removed 25 entries of 30 in ${env.HEARTBEAT_HISTORY_DIR}.\n`,
    );
    const left = JSON.parse((await heartbeat(['history', '--output', 'json'], env)).stdout).entries.map(
      (e: { deviceName: string }) => e.deviceName,
    );
    expect(left).toEqual(['day-39', 'day-38', 'day-37', 'day-36', 'day-35']);
    const bytes = readdirSync(env.HEARTBEAT_HISTORY_DIR!)
      .map((f) => readFileSync(join(env.HEARTBEAT_HISTORY_DIR!, f), 'utf8'))
      .join('');
    expect(bytes).not.toContain('"day-34"');
    expect(bytes).not.toContain('"day-0"');
  });

  it('refuses what it cannot do with one sentence and exit 2', async () => {
    const env = isolatedEnv();
    for (const [args, sentence] of [
      [[], /Say what to prune/],
      [['--older-than', 'yesterday'], /--older-than must be a number of days, hours or minutes like 30d/],
      [['--keep', '-3'], /--keep must be a whole number/],
      [['--keep', '2', 'extra'], /Unexpected "extra"/],
    ] as const) {
      const run = await heartbeat(['history', 'prune', ...args], env);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(sentence);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('history reads past a malformed line and says so once', async () => {
    const env = isolatedEnv();
    seed(env.HEARTBEAT_HISTORY_DIR!, 3);
    const file = join(env.HEARTBEAT_HISTORY_DIR!, readdirSync(env.HEARTBEAT_HISTORY_DIR!)[0]!);
    appendFileSync(file, '{"v":1,"type":"request","id":"zzz"}\n{"v":1,"type":"request","id":"x","time":"x"}\n');
    const run = await heartbeat(['history', '--output', 'json'], env);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).total).toBe(3);
    expect(run.stderr).toBe(`Skipped 2 unreadable lines of the history: ${file.split('/').pop()} line 7 (it has no time) and more.\n`);
  });
});
