/**
 * The history's guarantees with several writers on one folder (docs/history.md), in one process:
 * bad lines are skipped with file:line warnings, a failed write is cut back or followed by a fresh line,
 * readers follow other writers' files, and clear/prune remove exactly what they select.
 */
import { appendFileSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { outcomeLine, requestLine, T0 } from './history-lines.ts';
import { HistoryIndex } from '../../../src/node/history/history-index.ts';
import { HistoryWriter, historyFileName, newHistoryFileName, nodeWriterFs, type WriterFs } from '../../../src/node/history/log-file.ts';
import { compact } from '../../../src/node/history/maintenance.ts';
import { HistoryStore } from '../../../src/node/history/store.ts';

const dir = () => mkdtempSync(join(tmpdir(), 'hb-store-'));
/** A pid above Linux's largest (2^22): no process has it. */
const DEAD_PID = 4_194_400;

const json = (line: unknown): string => JSON.stringify(line) + '\n';

/** Lines of every file in `d`, split on newlines (blank ones dropped). */
function allLines(d: string): string[] {
  return readdirSync(d)
    .filter((f) => f.startsWith('history-'))
    .flatMap((f) => readFileSync(join(d, f), 'utf8').split('\n'))
    .filter((l) => l !== '');
}

describe('reading bad lines', () => {
  it('skips every kind of bad line in the middle of a log with one warning each, naming file and line', async () => {
    const d = dir();
    const file = historyFileName(1);
    const huge = JSON.stringify({ ...requestLine(90), request: { ...requestLine(90).request, body: 'x'.repeat(5000) } });
    writeFileSync(
      join(d, file),
      Buffer.concat([
        Buffer.from(json(requestLine(1)) + json(outcomeLine(1))),
        Buffer.from('{"v":1,"type":"request","id":"zzz"}\n'), // 3: wrong shape
        Buffer.from(json({ ...requestLine(2), time: 'x' })), // 4: bad time
        Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x0a]), // 5: binary
        Buffer.from(huge + '\n'), // 6: longer than the limit below
        Buffer.from(json({ ...outcomeLine(3), outcome: { kind: 'success' } })), // 7: outcome without status
        Buffer.from('\n'), // 8: blank, silently
        Buffer.from(json({ v: 2, type: 'request', id: 'future' })), // 9: another version
        Buffer.from(json(requestLine(4)) + json(outcomeLine(4, 429))),
      ]),
    );
    const index = await HistoryIndex.open(d, { maxLineBytes: 4096 });
    expect(index.query().entries.map((e) => [e.id, e.state])).toEqual([
      ['id-4', 'service-error'],
      ['id-1', 'success'],
    ]);
    expect(index.warnings.map((w) => [w.file, w.line])).toEqual([
      [file, 3],
      [file, 4],
      [file, 5],
      [file, 6],
      [file, 7],
      [file, 9],
    ]);
    expect(index.warnings.map((w) => w.problem)).toEqual([
      'it has no time',
      'its time "x" is not a date and time',
      'it is not JSON',
      'it is longer than 4096 bytes',
      'its outcome has no HTTP status',
      'its version is 2, not 1',
    ]);
    expect(await index.get('id-4')).toMatchObject({ outcome: { outcome: { status: 429 } } });
  });

  it('opens the app host over such a log and tells the UI once', async () => {
    const { startHostServices } = await import('../../../src/node/host/services.ts');
    const d = dir();
    writeFileSync(
      join(d, historyFileName(1)),
      json(requestLine(1)) + '{"v":1,"type":"request","id":"zzz"}\n' + json({ ...requestLine(2), time: 'x' }),
    );
    const services = await startHostServices({ historyDir: d, settingsFile: join(d, 'settings.json') });
    try {
      const notices: string[] = [];
      services.api.subscribe((event) => event.type === 'notice' && notices.push(event.message));
      await new Promise((r) => setTimeout(r, 20));
      expect(notices).toEqual([`The history skipped 2 unreadable lines: ${historyFileName(1)} line 2 (it has no time) and 1 more.`]);
      expect((await services.api.history.query({})).total).toBe(1);
    } finally {
      await services.close();
    }
  });
});

describe('write failures', () => {
  /** File operations whose writes fail with `code` after writing `partial` bytes, while `failing` says so. */
  function failingFs(state: { failing: boolean; truncateFails?: boolean }, code = 'ENOSPC', partial = 10): WriterFs {
    return {
      ...nodeWriterFs,
      write(fd, buffer, offset, length) {
        if (!state.failing) return nodeWriterFs.write(fd, buffer, offset, length);
        if (offset === 0 && partial > 0) return nodeWriterFs.write(fd, buffer, 0, Math.min(partial, length)); // a short write first
        throw Object.assign(new Error(`${code}: no space left on device, write`), { code });
      },
      truncate(fd, length) {
        if (state.truncateFails) throw Object.assign(new Error('EIO: i/o error'), { code: 'EIO' });
        nodeWriterFs.truncate(fd, length);
      },
    };
  }

  it('rejects the lines of a failed write with one sentence, cuts the partial line back, and recovers', async () => {
    const d = dir();
    const state = { failing: false };
    const writer = await HistoryWriter.open(d, { fs: failingFs(state) });
    await writer.append(requestLine(1), true);
    state.failing = true;
    const failed = await Promise.allSettled([writer.append(requestLine(2), true), writer.append(requestLine(3), false)]);
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect((failed[0] as PromiseRejectedResult).reason.message).toBe(
      `Cannot write the history log in ${d} (the disk is full); free disk space or set HEARTBEAT_HISTORY_DIR.`,
    );
    state.failing = false; // space returns
    await writer.append(requestLine(4), true);
    await writer.close();
    expect(allLines(d)).toEqual([json(requestLine(1)).trim(), json(requestLine(4)).trim()]);
  });

  it('starts the next line on a fresh line when the partial write cannot be cut back', async () => {
    const d = dir();
    const state = { failing: false, truncateFails: true };
    const writer = await HistoryWriter.open(d, { fs: failingFs(state, 'EIO') });
    await writer.append(requestLine(1), true);
    state.failing = true;
    await expect(writer.append(requestLine(2), true)).rejects.toThrow(/Cannot write the history log/);
    state.failing = false;
    await writer.append(requestLine(3), true);
    await writer.close();
    const lines = allLines(d);
    expect(lines).toHaveLength(3);
    expect(lines[1]).toBe(json(requestLine(2)).slice(0, 10)); // the cut line, alone on its line
    expect(lines[2]).toBe(json(requestLine(3)).trim()); // never glued to it
    const index = await HistoryIndex.open(d);
    expect(index.query().entries.map((e) => e.id)).toEqual(['id-3', 'id-1']);
    expect(index.skipped).toEqual({ malformed: 1, torn: 0 });
  });
});

describe('many writers on one folder', () => {
  it("an app's store finds its own entries and another writer's, interleaved, and shows the other's live", async () => {
    const d = dir();
    const app = await HistoryStore.open(d, { pollMs: 200 });
    const other = await HistoryWriter.open(d); // what `heartbeat send` is, in another process
    const seen: string[] = [];
    app.index.onChange((change) => seen.push(...change.entries.map((e) => e.id)));
    for (let i = 0; i < 20; i++) {
      if (i % 2) await app.record(requestLine(i), true);
      else await other.append(requestLine(i), true);
    }
    await app.index.refresh();
    for (let i = 0; i < 20; i++) expect((await app.index.get(`id-${i}`))?.request?.id).toBe(`id-${i}`);
    // Without any call of the app: the follower reads the other writer's line within a second.
    seen.length = 0;
    await other.append(requestLine(100, 'from-the-cli'), false);
    const deadline = Date.now() + 1000;
    while (!seen.includes('id-100') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(seen).toContain('id-100');
    await other.close();
    await app.close();
  });

  it('clears exactly what a query selects, hides it from every reader at once, and removes its bytes from finished files', async () => {
    const d = dir();
    // A finished file of a process that is gone, holding errors and successes.
    writeFileSync(
      join(d, newHistoryFileName(DEAD_PID, T0)),
      [1, 2, 3, 4].map((i) => json(requestLine(i)) + json(outcomeLine(i, i % 2 ? 429 : 200))).join(''),
    );
    const app = await HistoryStore.open(d);
    const live = await HistoryWriter.open(d); // another live process
    await live.append(requestLine(5), true);
    await live.append(outcomeLine(5, 429), true);
    await app.record(requestLine(6), true);
    await app.record(outcomeLine(6, 429), true);
    await app.index.refresh();
    const reader = await HistoryIndex.open(d);
    expect(reader.query({ status: 'error' }).total).toBe(4);

    expect(await app.forget({ status: 'error' })).toBe(4);
    expect(app.index.query().entries.map((e) => e.id)).toEqual(['id-4', 'id-2']);
    await reader.refresh();
    expect(reader.query().entries.map((e) => e.id)).toEqual(['id-4', 'id-2']);
    // Bytes: gone from finished files (the dead process's and the app's own); the live writer's file keeps
    // id-5 until it finishes, hidden by the forget line.
    const text = readdirSync(d)
      .filter((f) => !f.includes(`-${process.pid}-`) || f === live.currentFile)
      .map((f) => [f, readFileSync(join(d, f), 'utf8')] as const);
    for (const [f, body] of text) {
      if (f === live.currentFile) expect(body).toContain('"id-5"');
      else for (const gone of ['id-1', 'id-3', 'id-6']) expect(body).not.toContain(`"${gone}"`);
    }
    // Nothing comes back when the live writer adds its next line or a new reader opens the folder.
    await live.append(requestLine(7), true);
    await live.close();
    expect((await HistoryIndex.open(d)).query().entries.map((e) => e.id)).toEqual(['id-7', 'id-4', 'id-2']);
    // Clearing everything is explicit.
    expect(await app.forget('all')).toBe(3);
    await app.close();
    expect(await compact(d)).toBeUndefined(); // nothing left to do
    expect((await HistoryIndex.open(d)).size).toBe(0);
    expect(allLines(d).filter((l) => !l.includes('"forget"'))).toEqual([]);
  });

  it('compacts many small finished files into one, leaving live files alone and dropping duplicates and bad lines', async () => {
    const d = dir();
    for (let f = 0; f < 10; f++)
      writeFileSync(
        join(d, newHistoryFileName(DEAD_PID, T0 + f)),
        json(requestLine(f)) + json(outcomeLine(f)) + (f === 3 ? '{"broken\n' : '') + (f === 4 ? json(requestLine(3)) : ''),
      );
    const live = await HistoryWriter.open(d);
    await live.append(requestLine(50), true);
    const result = await compact(d);
    expect(result).toEqual({ filesIn: 10, filesOut: 1, dropped: 2 });
    const names = readdirSync(d).filter((f) => f.startsWith('history-'));
    expect(names).toHaveLength(2);
    expect(names).toContain(live.currentFile);
    const index = await HistoryIndex.open(d);
    expect(index.size).toBe(11);
    expect(index.skipped).toEqual({ malformed: 0, torn: 0 });
    await live.close();
  });

  it('prunes by age and by count', async () => {
    const d = dir();
    const app = await HistoryStore.open(d);
    for (let i = 0; i < 10; i++) await app.record(requestLine(i), false);
    expect(await app.prune({ keep: 6 })).toBe(4);
    expect(app.index.ids()).toEqual(['id-4', 'id-5', 'id-6', 'id-7', 'id-8', 'id-9']);
    // Older than: everything before T0 + 7.5 s, measured from "now".
    expect(await app.prune({ olderThanMs: Date.now() - (T0 + 7500) })).toBe(4);
    expect(app.index.ids()).toEqual(['id-8', 'id-9']);
    await app.close();
    expect((await HistoryIndex.open(d)).ids()).toEqual(['id-8', 'id-9']);
  });

  it('a reader rebuilds when a file it read is compacted away, and get() still finds the entry', async () => {
    const d = dir();
    for (let f = 0; f < 3; f++) writeFileSync(join(d, newHistoryFileName(DEAD_PID, T0 + f)), json(requestLine(f)));
    const reader = await HistoryIndex.open(d);
    const rebuilt: boolean[] = [];
    reader.onChange((c) => rebuilt.push(c.rebuilt));
    await compact(d);
    expect((await reader.get('id-1'))?.request?.id).toBe('id-1');
    expect(rebuilt).toEqual([true]);
    appendFileSync(
      join(
        d,
        readdirSync(d).find((f) => f.startsWith('history-'))!,
      ),
      '',
    ); // untouched otherwise
    expect(reader.size).toBe(3);
  });
});

describe('retention in the app host', () => {
  it('applies the saved retention when it is saved (and at start), to entries of any writer', async () => {
    const { startHostServices } = await import('../../../src/node/host/services.ts');
    const d = dir();
    writeFileSync(join(d, newHistoryFileName(DEAD_PID, T0)), [1, 2, 3].map((i) => json(requestLine(i))).join(''));
    const settingsFile = join(d, 'settings.json');
    const services = await startHostServices({ historyDir: d, settingsFile });
    try {
      for (let i = 0; i < 3; i++)
        await services.api.send({
          id: `r-${i}`,
          operation: 'SendHeartbeat',
          body: JSON.stringify({ AgentVersion: '1', DeviceName: `r-${i}`, DeviceFleetName: 'f' }),
          target: { kind: 'local' },
          credentials: { kind: 'demo' },
        });
      expect((await services.api.history.query({})).total).toBe(6);
      await services.api.settings.update({ retentionKeep: 2 });
      const deadline = Date.now() + 3000;
      while ((await services.api.history.query({})).total > 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect((await services.api.history.query({})).entries.map((e) => e.deviceName)).toEqual(['r-2', 'r-1']);
      expect(JSON.parse(readFileSync(settingsFile, 'utf8'))).toMatchObject({ retentionKeep: 2, retentionDays: 0 });
      await expect(services.api.settings.update({ retentionDays: -1 })).rejects.toThrow(/whole number of days/);
      expect((await services.api.history.prune({ keep: 1 })).removed).toBe(1);
    } finally {
      await services.close();
    }
  });
});

describe('reading again after a failed read', () => {
  it('a read that fails does not stop later reads', async () => {
    const { mkdtempSync: mk, rmSync: rm, mkdirSync: md } = await import('node:fs');
    const d = mk(join(tmpdir(), 'hb-reread-'));
    const index = await HistoryIndex.open(d);
    // The folder replaced by a file: listing it fails (ENOTDIR) for a while.
    rm(d, { recursive: true });
    writeFileSync(d, 'not a folder');
    const first = index.refresh();
    const second = index.refresh(); // queued behind the failing one
    await expect(first).rejects.toThrow();
    await expect(second).rejects.toThrow();
    rm(d);
    md(d);
    writeFileSync(join(d, newHistoryFileName(DEAD_PID, T0)), json(requestLine(1)));
    const running = index.refresh();
    const queued = index.refresh();
    await Promise.all([running, queued]);
    expect(index.size).toBe(1);
  });
});

describe('upkeep in the app host', () => {
  it('merges the small files finished writers left (one per heartbeat send) when it starts', async () => {
    const { startHostServices } = await import('../../../src/node/host/services.ts');
    const d = dir();
    for (let f = 0; f < 6; f++) writeFileSync(join(d, newHistoryFileName(DEAD_PID, T0 + f)), json(requestLine(f)));
    const services = await startHostServices({ historyDir: d, settingsFile: join(d, 'settings.json') });
    try {
      const files = () => readdirSync(d).filter((f) => f.startsWith('history-'));
      const deadline = Date.now() + 3000;
      while (files().length > 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(files()).toHaveLength(1);
      expect((await services.api.history.query({})).total).toBe(6);
    } finally {
      await services.close();
    }
  });
});
