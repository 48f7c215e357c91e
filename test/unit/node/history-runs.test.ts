/**
 * A fleet run's summary is one history entry (issue 17, docs/history.md#fleet-run-entries): a `run` line,
 * checked like every line, listed, searched, forgotten, pruned and compacted among sends, exported as
 * JSON lines (and skipped by replay) but not as HAR, recorded durably by the store, the CLI's log and
 * the app's host, and never sent again.
 */
import { appendFileSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { fleetRunSummary, outcomeLine, requestLine, runLine, T0 } from './history-lines.ts';
import { checkHistoryLine, type RunLine } from '../../../src/common/log/entry.ts';
import { readPayloads } from '../../../src/node/engine/payloads.ts';
import { exportHistory } from '../../../src/node/history/export.ts';
import { HistoryIndex } from '../../../src/node/history/history-index.ts';
import { historyFileName, nodeWriterFs, type WriterFs } from '../../../src/node/history/log-file.ts';
import { compact } from '../../../src/node/history/maintenance.ts';
import { HistoryStore, openHistoryLog } from '../../../src/node/history/store.ts';

const dir = () => mkdtempSync(join(tmpdir(), 'hb-runs-'));
const json = (line: unknown): string => JSON.stringify(line) + '\n';
/** Sends 1..3 and 600 around two runs: run-1 (3 failed) ends at T0 + 562 s, run-2 (none failed) 20 s later. */
const mixed = (): string =>
  [1, 2, 3].map((i) => json(requestLine(i)) + json(outcomeLine(i, 200))).join('') +
  json(runLine('run-1')) +
  json(
    runLine('run-2', { scenario: 'Dock-Night', startedAt: new Date(T0 + 520_000).toISOString(), totals: { sent: 10, ok: 10, failed: 0 } }),
  ) +
  json(requestLine(600)) +
  json(outcomeLine(600, 429));

describe('checkHistoryLine: run lines', () => {
  it('accepts a run summary as the engine reports it, with or without tags and a run log', () => {
    expect(checkHistoryLine(JSON.parse(JSON.stringify(runLine())))).toEqual({ line: runLine() });
    const { runLog: _runLog, ...noLog } = fleetRunSummary();
    expect('line' in checkHistoryLine({ ...runLine(), summary: noLog, tags: ['ci'] })).toBe(true);
  });

  it('names what a foreign or damaged run line lacks', () => {
    const line = runLine();
    const s = line.summary;
    const problem = (value: unknown): string | undefined => {
      const checked = checkHistoryLine(value);
      return 'problem' in checked ? checked.problem : undefined;
    };
    const cases: Array<[unknown, string]> = [
      [{ ...line, summary: undefined }, 'it has no run summary'],
      [{ ...line, summary: { ...s, scenario: '' } }, 'its run summary has no scenario'],
      [{ ...line, summary: { ...s, startedAt: 'soon' } }, 'its run summary has no start time'],
      [{ ...line, summary: { ...s, target: 'local' } }, 'its run summary has no target'],
      [{ ...line, summary: { ...s, stopped: 'no' } }, 'its run summary has no seed or stopped flag'],
      [{ ...line, summary: { ...s, devices: -1 } }, 'its run summary has no devices'],
      [{ ...line, summary: { ...s, totals: { sent: 1, ok: 1 } } }, 'its run summary has no totals'],
      [
        { ...line, summary: { ...s, operations: { SendHeartbeat: { sent: 1, ok: 1, failed: 0 } } } },
        'its run summary has an operation without counts',
      ],
      [{ ...line, summary: { ...s, lag: { p50Ms: '1' } } }, 'its run summary has no lag'],
      [{ ...line, summary: { ...s, deployments: null } }, 'its run summary has no deployments'],
      [{ ...line, summary: { ...s, runLog: 7 } }, 'its run log is not a path'],
      [{ ...line, tags: [1] }, 'its tags are not text'],
      [{ ...line, time: 'later' }, 'its time "later" is not a date and time'],
      [{ ...line, type: 'runs' }, 'its type "runs" is not request, outcome, exchange, run or forget'],
    ];
    for (const [value, expected] of cases) expect(problem(value)).toBe(expected);
  });
});

describe('the index: a run among sends', () => {
  it('lists a run as one entry, searchable by its scenario, with its facts; bad run lines are skipped with a warning', async () => {
    const d = dir();
    const file = historyFileName(1);
    const torn = JSON.stringify(runLine('run-torn')).slice(0, 200);
    writeFileSync(join(d, file), mixed() + torn + '\n' + json({ ...runLine('run-foreign'), summary: { scenario: 'x' } }));
    const index = await HistoryIndex.open(d);
    expect(index.query().entries.map((e) => [e.id, e.state])).toEqual([
      ['id-600', 'service-error'],
      ['run-2', 'success'],
      ['run-1', 'service-error'],
      ['id-3', 'success'],
      ['id-2', 'success'],
      ['id-1', 'success'],
    ]);
    expect(index.summary('run-1')).toEqual({
      id: 'run-1',
      time: new Date(T0 + 562_000).toISOString(),
      kind: 'run',
      operation: 'fleet-run',
      state: 'service-error',
      durationMs: 62_000,
      run: { scenario: 'warehouse-demo', devices: 50, sent: 12_340, failed: 3, elapsedMs: 62_000, stopped: false },
    });
    expect(index.summary('id-1')).not.toHaveProperty('kind');
    expect(index.warnings.map((w) => [w.line, w.problem])).toEqual([
      [11, 'it is not JSON'],
      [12, 'its run summary has no start time'],
    ]);
    expect(index.query({ text: 'WAREHOUSE' }).entries.map((e) => e.id)).toEqual(['run-1']);
    expect(index.query({ text: 'dock' }).entries.map((e) => e.id)).toEqual(['run-2']);
    expect(index.query({ status: 'ok' }).entries.map((e) => e.id)).toEqual(['run-2', 'id-3', 'id-2', 'id-1']);
    expect(index.query({ status: 'error' }).entries.map((e) => e.id)).toEqual(['id-600', 'run-1']);
    expect(index.query({ fleetName: 'fleet-1' }).entries.map((e) => e.id)).toEqual(['id-1']);
    expect(index.query({ sinceMs: T0 + 550_000, untilMs: T0 + 570_000 }).entries.map((e) => e.id)).toEqual(['run-1']);
    expect(await index.get('run-1')).toEqual({ run: runLine('run-1') });
  });

  it('forgets a run like any entry, keeps it through compaction, and counts it in prune', async () => {
    const d = dir();
    writeFileSync(join(d, historyFileName(1)), mixed());
    writeFileSync(join(d, historyFileName(2)), json(requestLine(700)) + json(outcomeLine(700, 200)));
    // Compaction of finished files keeps both runs (and reads them back the same).
    expect(await compact(d)).toMatchObject({ filesIn: 2, filesOut: 1, dropped: 0 });
    const compacted = readdirSync(d).filter((f) => f.startsWith('history-'));
    expect(compacted).toHaveLength(1);
    expect(readFileSync(join(d, compacted[0]!), 'utf8')).toContain(JSON.stringify(runLine('run-1')));
    const store = await HistoryStore.open(d, { follow: false });
    try {
      expect(await store.index.get('run-2')).toEqual({
        run: runLine('run-2', {
          scenario: 'Dock-Night',
          startedAt: new Date(T0 + 520_000).toISOString(),
          totals: { sent: 10, ok: 10, failed: 0 },
        }),
      });
      expect(await store.forget({ text: 'warehouse-demo' })).toBe(1);
      expect(store.index.summary('run-1')).toBeUndefined();
      const onDisk = readdirSync(d)
        .filter((f) => f.startsWith('history-'))
        .map((f) => readFileSync(join(d, f), 'utf8'))
        .join('');
      expect(onDisk).toContain('"run-2"');
      expect(onDisk).not.toContain('"run-1"');
      // Newest 2 kept: id-700 and id-600; run-2 is older and goes.
      expect(await store.prune({ keep: 2 })).toBe(4);
      expect(store.index.query().entries.map((e) => e.id)).toEqual(['id-700', 'id-600']);
    } finally {
      await store.close();
    }
  });
});

describe('recording a run', () => {
  it('HistoryStore.recordRun resolves with the id once fsynced and listed', async () => {
    const d = dir();
    const events: string[] = [];
    const fs: WriterFs = {
      ...nodeWriterFs,
      write: (fd, buffer, offset, length) => (events.push('write'), nodeWriterFs.write(fd, buffer, offset, length)),
      datasync: async (fd) => (events.push('datasync'), nodeWriterFs.datasync(fd)),
    };
    const store = await HistoryStore.open(d, { fs, follow: false });
    try {
      await store.record(requestLine(1), true);
      events.length = 0;
      const id = await store.recordRun(fleetRunSummary(), ['ci']);
      expect(events).toEqual(['write', 'datasync']);
      expect(store.index.query().entries.map((e) => [e.id, e.kind])).toEqual([
        [id, 'run'],
        ['id-1', undefined],
      ]);
      expect(await store.index.get(id)).toEqual({
        run: { v: 1, type: 'run', id, time: new Date(T0 + 562_000).toISOString(), summary: fleetRunSummary(), tags: ['ci'] },
      });
    } finally {
      await store.close();
    }
  });

  it("the CLI's append-only log records it too; a summary readers would skip is refused, nothing written", async () => {
    const d = dir();
    const log = await openHistoryLog(d);
    const id = await log.recordRun(fleetRunSummary({ stopped: true }));
    await expect(log.recordRun(fleetRunSummary({ startedAt: 'now' }))).rejects.toThrow(
      "The fleet run's summary cannot be recorded in the history: its run summary has no start time.",
    );
    await expect(log.recordRun({ ...fleetRunSummary(), totals: { sent: Number.NaN, ok: 0, failed: 0 } })).rejects.toMatchObject({
      code: 'INTERNAL',
    });
    await log.close();
    const index = await HistoryIndex.open(d);
    expect(index.query().entries).toMatchObject([{ id, kind: 'run', run: { stopped: true } }]);
    expect(index.warnings).toEqual([]);
  });
});

describe('export and replay', () => {
  it('JSON lines include the run line as written; HAR leaves it out', async () => {
    const d = dir();
    writeFileSync(join(d, historyFileName(1)), mixed());
    const index = await HistoryIndex.open(d);
    const jsonl = join(d, 'out.jsonl');
    expect(await exportHistory(index, {}, 'jsonl', jsonl)).toBe(6);
    const lines = readFileSync(jsonl, 'utf8').trimEnd().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { type: string; id: string }).id)).toEqual([
      'id-1',
      'id-1',
      'id-2',
      'id-2',
      'id-3',
      'id-3',
      'run-1',
      'run-2',
      'id-600',
      'id-600',
    ]);
    expect(JSON.parse(lines[6]!) as RunLine).toEqual(runLine('run-1'));
    expect(await exportHistory(index, { text: 'warehouse' }, 'jsonl', jsonl)).toBe(1);
    const har = join(d, 'out.har');
    expect(await exportHistory(index, {}, 'har', har)).toBe(4);
    const entries = (JSON.parse(readFileSync(har, 'utf8')) as { log: { entries: Array<{ _id: string }> } }).log.entries;
    expect(entries.map((e) => e._id)).toEqual(['id-1', 'id-2', 'id-3', 'id-600']);
    expect(await exportHistory(index, { text: 'warehouse' }, 'har', har)).toBe(0);
    expect(JSON.parse(readFileSync(har, 'utf8'))).toMatchObject({ log: { entries: [] } });
  });

  it('replay of an export sends its requests and skips run lines silently, even first in the file', async () => {
    const d = dir();
    writeFileSync(join(d, historyFileName(1)), mixed());
    const index = await HistoryIndex.open(d);
    const jsonl = join(d, 'out.jsonl');
    await exportHistory(index, {}, 'jsonl', jsonl);
    const first = join(d, 'run-first.jsonl');
    writeFileSync(first, json(runLine('run-9')) + readFileSync(jsonl, 'utf8'));
    for (const file of [jsonl, first]) {
      const items: unknown[] = [];
      for await (const item of readPayloads([file])) items.push(item);
      expect(items).toHaveLength(4);
      expect(items.every((i) => typeof i === 'object' && i !== null && 'body' in i && !('problem' in i))).toBe(true);
      expect(items.map((i) => JSON.parse((i as { body: string }).body).DeviceName)).toEqual([
        'device-1',
        'device-2',
        'device-3',
        'device-600',
      ]);
    }
  });
});

describe("the app's host", () => {
  it('lists a recorded run, gives its whole summary, and refuses to send it again', async () => {
    const { startHostServices } = await import('../../../src/node/host/services.ts');
    const d = dir();
    writeFileSync(join(d, historyFileName(1)), json(requestLine(1)) + json(outcomeLine(1, 200)));
    const services = await startHostServices({ historyDir: d, settingsFile: join(d, 'settings.json') });
    try {
      const events: unknown[] = [];
      services.api.subscribe((event) => event.type === 'history' && events.push(event.entry));
      const id = await services.recordRun(fleetRunSummary(), ['ci']);
      const page = await services.api.history.query({});
      expect(page.entries.map((e) => e.id)).toEqual([id, 'id-1']);
      const facts = { scenario: 'warehouse-demo', devices: 50, sent: 12_340, failed: 3, elapsedMs: 62_000, stopped: false };
      expect(page.entries[0]).toEqual({
        id,
        time: new Date(T0 + 562_000).toISOString(),
        kind: 'run',
        operation: 'fleet-run',
        status: 'error',
        durationMs: 62_000,
        run: facts,
      });
      expect(page.entries[1]).not.toHaveProperty('kind');
      // History events are batched (HISTORY_BATCH_MS): the run's comes within a moment.
      await vi.waitFor(() => expect(events).toEqual([page.entries[0]]), { timeout: 2000, interval: 20 });
      expect(await services.api.history.get(id)).toEqual({ ...page.entries[0], summary: fleetRunSummary(), tags: ['ci'] });
      expect((await services.api.history.query({ text: 'warehouse' })).total).toBe(1);
      expect((await services.api.history.query({ status: 'success' })).total).toBe(1);
      await expect(services.api.replay(id)).rejects.toThrow(
        "That entry is a fleet run's summary, not a request, so it cannot be sent again.",
      );
      const exported = await services.api.history.export({}, 'jsonl');
      expect(
        exported.text
          .trimEnd()
          .split('\n')
          .map((l) => (JSON.parse(l) as { type: string }).type),
      ).toEqual(['request', 'outcome', 'run']);
      expect(JSON.parse((await services.api.history.export({}, 'har')).text).log.entries).toHaveLength(1);
      expect(await services.api.history.clear({ query: { text: 'warehouse' } })).toEqual({ removed: 1 });
      expect((await services.api.history.query({})).entries.map((e) => e.id)).toEqual(['id-1']);
    } finally {
      await services.close();
    }
  });

  it('a run line another process appends appears in the app within its poll', async () => {
    const { startHostServices } = await import('../../../src/node/host/services.ts');
    const d = dir();
    const services = await startHostServices({ historyDir: d, settingsFile: join(d, 'settings.json') });
    try {
      appendFileSync(join(d, historyFileName(1)), json(runLine('run-other')));
      const deadline = Date.now() + 3000;
      while ((await services.api.history.query({})).total === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect((await services.api.history.query({})).entries).toMatchObject([{ id: 'run-other', kind: 'run' }]);
    } finally {
      await services.close();
    }
  });
});
