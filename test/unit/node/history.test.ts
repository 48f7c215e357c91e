import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { outcomeLine, requestLine, T0 } from './history-lines.ts';
import { exportHistory } from '../../../src/node/history/export.ts';
import { HistoryIndex } from '../../../src/node/history/history-index.ts';
import { HistoryWriter, historyFileName } from '../../../src/node/history/log-file.ts';
import { historyDir } from '../../../src/node/history/paths.ts';
import { HistoryStore, openHistoryLog } from '../../../src/node/history/store.ts';

const dir = () => mkdtempSync(join(tmpdir(), 'hb-history-'));

describe('history paths', () => {
  it('prefers HEARTBEAT_HISTORY_DIR, then XDG_DATA_HOME, then platform folders', () => {
    expect(historyDir({ HEARTBEAT_HISTORY_DIR: '/x' }, 'linux', '/home/u')).toBe('/x');
    expect(historyDir({ XDG_DATA_HOME: '/data' }, 'linux', '/home/u')).toBe('/data/heartbeat-composer/history');
    expect(historyDir({}, 'linux', '/home/u')).toBe('/home/u/.local/share/heartbeat-composer/history');
    expect(historyDir({}, 'darwin', '/Users/u')).toBe('/Users/u/Library/Application Support/heartbeat-composer/history');
  });
});

describe('the history log', () => {
  it('keeps a pending entry when only the request line made it, and completes it with the outcome', async () => {
    const d = dir();
    const store = await HistoryStore.open(d);
    await store.record(requestLine(1), true);
    expect(store.index.query().entries[0]).toMatchObject({ id: 'id-1', state: 'pending', deviceName: 'device-1' });
    await store.record(outcomeLine(1), false);
    expect(store.index.query().entries[0]).toMatchObject({ id: 'id-1', state: 'success', status: 200 });
    await store.close();
    const reopened = await HistoryIndex.open(d);
    expect(reopened.query().entries[0]).toMatchObject({ id: 'id-1', state: 'success' });
    expect(await reopened.get('id-1')).toMatchObject({ request: { id: 'id-1', type: 'request' }, outcome: { type: 'outcome' } });
  });

  it('skips a torn last line of a dead writer without touching the file, and writes to a file of its own', async () => {
    const d = dir();
    const file = join(d, historyFileName(1));
    const torn = JSON.stringify(requestLine(1)) + '\n' + JSON.stringify(requestLine(2)).slice(0, 40);
    writeFileSync(file, torn);
    const index = await HistoryIndex.open(d);
    expect(index.size).toBe(1);
    expect(index.skipped.torn).toBe(1);
    expect(index.warnings).toEqual([{ file: historyFileName(1), line: 2, problem: expect.stringMatching(/torn/) }]);
    const writer = await HistoryWriter.open(d);
    await writer.append(requestLine(3), true);
    await writer.close();
    expect(readFileSync(file, 'utf8')).toBe(torn); // never repaired by cutting
    const mine = readdirSync(d).filter((f) => f !== historyFileName(1));
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatch(new RegExp(`^history-\\d{8}T\\d{9}Z-${process.pid}-[0-9a-f]{8}\\.jsonl$`));
    expect(readFileSync(join(d, mine[0]!), 'utf8')).toBe(JSON.stringify(requestLine(3)) + '\n');
    await index.refresh();
    expect(index.query().entries.map((e) => e.id)).toEqual(['id-3', 'id-1']);
  });

  it('group-commits concurrent appends without interleaving and rotates files by size', async () => {
    const d = dir();
    const store = await HistoryStore.open(d, { maxFileBytes: 4096 });
    await Promise.all(Array.from({ length: 200 }, (_, i) => store.record(requestLine(i), i % 2 === 0)));
    await store.close();
    const files = readdirSync(d).filter((f) => f.startsWith('history-'));
    expect(files.length).toBeGreaterThan(5);
    expect(files.every((f) => f.includes(`-${process.pid}-`))).toBe(true);
    const ids = files.flatMap((f) =>
      readFileSync(join(d, f), 'utf8')
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l).id as string),
    );
    expect(new Set(ids).size).toBe(200);
    expect((await HistoryIndex.open(d)).size).toBe(200);
  });

  it('hands back where each line landed, in bytes, whether or not it waited for the fsync', async () => {
    const d = dir();
    const writer = await HistoryWriter.open(d, { maxFileBytes: 8192 });
    // Multi-byte names: a location counted in characters would point into the wrong line.
    const lines = Array.from({ length: 120 }, (_, i) =>
      i % 3 === 2 ? outcomeLine(i) : requestLine(i, i % 2 ? `gerät-ü-${i}` : `device-😀-${i}`),
    );
    const at = await Promise.all(lines.map((line, i) => writer.append(line, i % 2 === 0)));
    await writer.close();
    expect(new Set(at.map((a) => a.file)).size).toBeGreaterThan(1);
    at.forEach((location, i) => {
      const bytes = readFileSync(join(d, location.file)).subarray(location.offset, location.offset + location.length);
      expect(JSON.parse(bytes.toString('utf8'))).toEqual(lines[i]);
    });
  });

  it('an append-only log (what send and replay use) writes the same lines the index reads back', async () => {
    const d = dir();
    const log = await openHistoryLog(d);
    await log.record(requestLine(1, 'cam-ü'), true);
    await log.record(outcomeLine(1), false);
    await log.close();
    const index = await HistoryIndex.open(d);
    expect(index.query().entries).toMatchObject([{ id: 'id-1', deviceName: 'cam-ü', state: 'success' }]);
  });

  it('answers text, status, time and paging queries correctly over 100,000 entries', async () => {
    const d = dir();
    const chunks: string[] = [];
    for (let i = 0; i < 100_000; i++)
      chunks.push(JSON.stringify(requestLine(i, i === 4242 ? 'Camera-Special' : `device-${i}`)), JSON.stringify(outcomeLine(i)));
    writeFileSync(join(d, historyFileName(1)), chunks.join('\n') + '\n');
    const index = await HistoryIndex.open(d);
    expect(index.size).toBe(100_000);
    expect(index.query({ text: 'camera-spec' })).toMatchObject({ total: 1, entries: [{ id: 'id-4242', deviceName: 'Camera-Special' }] });
    expect(index.query({ deviceName: 'Camera-Special' }).entries.map((e) => e.id)).toEqual(['id-4242']);
    expect(index.query({ deviceName: 'camera-special' }).total).toBe(0); // exact, unlike text
    expect(index.query({ fleetName: 'fleet-3' }).total).toBe(10_000);
    expect(index.query({ status: 'ThrottlingException' }).total).toBe(20_000);
    expect(index.query({ status: '429' }).total).toBe(20_000);
    expect(index.query({ status: 'refused' }).total).toBe(14_286 - 2_858); // multiples of 7 that are not multiples of 5
    expect(index.query({ status: 'error' }).total).toBe(20_000 + index.query({ status: 'transport-error' }).total);
    expect(index.query({ text: 'model-1' }).total).toBe(33_333);
    const page = index.query({ sinceMs: T0 + 1000_000, untilMs: T0 + 1010_000, limit: 3, offset: 2 });
    expect(page.total).toBe(10);
    expect(page.entries.map((e) => e.id)).toEqual(['id-1007', 'id-1006', 'id-1005']);
    expect(index.query({ text: 'fleet-3', status: 'ok', limit: 1 }).entries[0]!.id).toBe('id-99993');
  });

  it('exports JSON lines (replayable) and HAR 1.2', async () => {
    const d = dir();
    const store = await HistoryStore.open(d);
    for (const i of [1, 5, 7]) {
      await store.record(requestLine(i), true);
      await store.record(outcomeLine(i), false);
    }
    await store.record(requestLine(9), true); // pending: no outcome
    await store.close();
    const index = await HistoryIndex.open(d);
    const jsonl = join(d, 'out.jsonl');
    expect(await exportHistory(index, {}, 'jsonl', jsonl)).toBe(4);
    expect(
      readFileSync(jsonl, 'utf8')
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l).type),
    ).toEqual(['request', 'outcome', 'request', 'outcome', 'request', 'outcome', 'request']);
    const har = join(d, 'out.har');
    expect(await exportHistory(index, { status: 'error' }, 'har', har)).toBe(2);
    const log = JSON.parse(readFileSync(har, 'utf8')).log;
    expect(log.version).toBe('1.2');
    expect(log.entries.map((e: { response: { status: number } }) => e.response.status)).toEqual([429, 0]);
    expect(log.entries[1]._error).toBe('refused');
    expect(log.entries[0].request).toMatchObject({ method: 'POST', postData: { mimeType: 'application/json' } });
  });

  it('exports the access key id as its last 4 characters only (issue 14 item 16)', async () => {
    const d = dir();
    const log = await openHistoryLog(d);
    const signed = requestLine(1);
    signed.request.headers.authorization =
      'AWS4-HMAC-SHA256 Credential=AKIAEXPORTKEY0001234/20240501/us-east-1/sagemaker/aws4_request, SignedHeaders=host, Signature=REDACTED';
    await log.record(signed, true);
    await log.record(outcomeLine(1), false);
    await log.close();
    const index = await HistoryIndex.open(d);
    for (const format of ['jsonl', 'har'] as const) {
      const out = join(d, `out.${format}`);
      await exportHistory(index, {}, format, out);
      const text = readFileSync(out, 'utf8');
      expect(text).not.toContain('AKIAEXPORTKEY');
      expect(text).toContain('Credential=…1234/20240501');
    }
  });
});
