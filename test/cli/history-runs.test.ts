/** A fleet run's entry as a user of the CLI sees it: listed by `heartbeat history`, exported, and skipped by `heartbeat replay`. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newHistoryFileName } from '../../src/node/history/log-file.ts';
import { outcomeLine, requestLine, runLine } from '../unit/node/history-lines.ts';
import { heartbeat, isolatedEnv } from './heartbeat-run.ts';

describe('heartbeat history and replay with a fleet run entry', () => {
  it('lists the run on one line, exports it in JSON lines only, and a replay of the export skips it', async () => {
    const env = isolatedEnv({
      AWS_ACCESS_KEY_ID: 'AKIARUNENTRYTEST0001',
      AWS_SECRET_ACCESS_KEY: 'secret/run/entry',
      AWS_REGION: 'us-east-1',
    });
    const dir = env.HEARTBEAT_HISTORY_DIR!;
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, newHistoryFileName(4_194_400)),
      [requestLine(1, 'cam-1'), outcomeLine(1, 200), runLine('run-1', { stopped: true })].map((l) => JSON.stringify(l) + '\n').join(''),
    );
    const list = await heartbeat(['history'], env);
    expect(list.code).toBe(0);
    expect(list.stdout.split('\n')[0]).toBe(
      `${runLine().time}  run-1  fleet run warehouse-demo · 50 devices · 12340 sent · 3 failed · stopped  62 s`,
    );
    expect(list.stdout.split('\n')[1]).toMatch(/id-1 +cam-1 +fleet-1 +200 {2}5 ms$/);
    const json = JSON.parse((await heartbeat(['history', 'search', 'warehouse', '--output', 'json'], env)).stdout);
    expect(json).toMatchObject({ total: 1, entries: [{ id: 'run-1', kind: 'run', operation: 'fleet-run', state: 'service-error' }] });

    const jsonl = join(env.HOME!, 'export.jsonl');
    expect((await heartbeat(['history', '--export', 'jsonl', jsonl], env)).stderr).toMatch(/^Exported 2 entries/);
    expect(readFileSync(jsonl, 'utf8')).toContain('"type":"run"');
    const har = join(env.HOME!, 'export.har');
    expect((await heartbeat(['history', '--export', 'har', har], env)).stderr).toMatch(/^Exported 1 entry/);
    const replay = await heartbeat(['replay', jsonl, '--endpoint-url', 'http://127.0.0.1:9', '--dry-run'], env);
    expect(replay).toMatchObject({ code: 0, stderr: '' });
    expect(replay.stdout).toMatch(/^signed \(dry run\) 1 item: 1 ok, 0 failed;/);
  });
});
