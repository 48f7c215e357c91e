/**
 * HeartbeatApi's `captures` (docs/captures.md): a capture's text arrives in chunks (from the page's file
 * picker, a drop or a paste), is read by the format's incremental reader as it comes, and is kept here,
 * indexed: the page asks for the rows it shows, so a 100 MB capture never sits in the page.
 */
import { randomUUID } from 'node:crypto';
import type { HeartbeatApi } from '../../common/api.ts';
import type { CaptureInfo, CaptureRow, RunItemResult } from '../../common/capture/api-types.ts';
import { detectCaptureFormat } from '../../common/capture/detect.ts';
import { createCaptureReader } from '../../common/capture/reader.ts';
import type { CaptureItem, CaptureProblem, CaptureRecord, CaptureSkip } from '../../common/capture/types.ts';
import type { EventHub } from './events.ts';
import { HostError } from './host-error.ts';

/** Captures kept at once; opening another closes the oldest that no run is using. */
export const MAX_CAPTURES = 8;
/** At most this many capture events a second per capture while it is read. */
const EVENT_INTERVAL_MS = 250;

export interface Capture {
  info: CaptureInfo;
  items: CaptureItem[];
  problems: CaptureProblem[];
  skipped: CaptureSkip[];
  /** Set while a run uses the capture (the run service's). */
  busy: boolean;
}

/** A run's results by capture index, as the run service keeps them (for the table's rows and filters). */
export interface RunResults {
  captureId: string;
  result(index: number): RunItemResult | undefined;
  /** Capture indexes matching a filter, in index order. */
  matching(filter: 'failed' | 'differs'): number[];
}

export interface CaptureService {
  api: HeartbeatApi['captures'];
  get(id: string): Capture | undefined;
  close(): void;
}

export function createCaptureService(deps: {
  events: EventHub;
  /** A run's results, by run id (from the run service). */
  runResults(runId: string): RunResults | undefined;
  /** The capture is being closed: stop its runs. */
  closing(captureId: string): void;
}): CaptureService {
  const captures = new Map<string, Capture & { reader?: ReturnType<typeof createCaptureReader>; lastEvent: number }>();

  const find = (id: string): Capture & { reader?: ReturnType<typeof createCaptureReader>; lastEvent: number } => {
    const capture = captures.get(id);
    if (!capture) throw new HostError('There is no open capture by that id (it was closed, or the app restarted): open the file again.');
    return capture;
  };
  const snapshot = (c: Capture): CaptureInfo => ({ ...c.info, operations: { ...c.info.operations } });
  const emit = (c: Capture & { lastEvent: number }, force = false): void => {
    const now = Date.now();
    if (!force && now - c.lastEvent < EVENT_INTERVAL_MS) return;
    c.lastEvent = now;
    deps.events.emit({ type: 'capture', info: snapshot(c) });
  };
  const take = (c: Capture, records: CaptureRecord[]): void => {
    for (const record of records) {
      if ('item' in record) {
        const item = record.item;
        c.items.push(item);
        c.info.items++;
        c.info.operations[item.operation] = (c.info.operations[item.operation] ?? 0) + 1;
        if (item.recorded) c.info.recorded++;
      } else if ('problem' in record) {
        c.problems.push(record.problem);
        c.info.problems++;
      } else {
        c.skipped.push(record.skip);
        c.info.skipped++;
      }
    }
  };
  const fail = (c: Capture, error: unknown): never => {
    c.info.state = 'failed';
    c.info.error = (error as Error).message ?? String(error);
    throw new HostError(`Cannot read ${c.info.name}: ${c.info.error}`);
  };
  const rowOf = (item: CaptureItem, result: RunItemResult | undefined): CaptureRow => {
    const { body: _body, ...row } = item;
    return result ? { ...row, result } : row;
  };

  const api: HeartbeatApi['captures'] = {
    async open(request) {
      if (captures.size >= MAX_CAPTURES) {
        const oldest = [...captures.values()].find((c) => !c.busy);
        if (!oldest) throw new HostError(`${MAX_CAPTURES} captures are open and running: close one first.`);
        await api.close(oldest.info.id);
      }
      const id = randomUUID();
      const capture = {
        info: {
          id,
          name: request.name,
          format: request.format ?? 'ndjson',
          state: 'reading',
          items: 0,
          problems: 0,
          skipped: 0,
          recorded: 0,
          operations: {},
          bytesRead: 0,
          ...(request.size !== undefined ? { size: request.size } : {}),
        } satisfies CaptureInfo as CaptureInfo,
        items: [],
        problems: [],
        skipped: [],
        busy: false,
        lastEvent: 0,
        ...(request.format ? { reader: createCaptureReader(request.format, { name: request.name }) } : {}),
      };
      captures.set(id, capture);
      return snapshot(capture);
    },
    async append(id, text) {
      const c = find(id);
      if (c.info.state !== 'reading') throw new HostError(`${c.info.name} is already read whole; open it again to read it anew.`);
      if (!c.reader) {
        // Detected from the first chunk (the page sends 1 MiB at a time: enough for every format's tell).
        const guess = detectCaptureFormat(text, c.info.name);
        c.info.guess = guess;
        c.info.format = guess.format;
        c.reader = createCaptureReader(guess.format, { name: c.info.name });
      }
      try {
        take(c, c.reader.push(text));
      } catch (error) {
        fail(c, error);
      }
      c.info.bytesRead += text.length;
      emit(c);
      return snapshot(c);
    },
    async finish(id) {
      const c = find(id);
      if (c.info.state === 'reading') {
        try {
          take(c, (c.reader ?? createCaptureReader(c.info.format, { name: c.info.name })).end());
        } catch (error) {
          fail(c, error);
        }
        c.info.state = 'ready';
        delete c.reader;
      }
      emit(c, true);
      return snapshot(c);
    },
    async info(id) {
      const c = captures.get(id);
      return c ? snapshot(c) : undefined;
    },
    async rows(id, query) {
      const c = find(id);
      const results = query.runId ? deps.runResults(query.runId) : undefined;
      if (query.runId && (!results || results.captureId !== id)) throw new HostError('There is no run by that id for this capture.');
      const filter = query.filter ?? 'all';
      if (filter === 'all') {
        const rows = c.items.slice(query.offset, query.offset + query.limit).map((item) => rowOf(item, results?.result(item.index)));
        return { total: c.items.length, rows };
      }
      if (!results) throw new HostError(`The filter "${filter}" needs a run: give its runId.`);
      const indexes = results.matching(filter);
      const rows = indexes.slice(query.offset, query.offset + query.limit).map((i) => rowOf(c.items[i]!, results.result(i)));
      return { total: indexes.length, rows };
    },
    async item(id, index) {
      return find(id).items[index];
    },
    async issues(id, offset, limit) {
      const c = find(id);
      // One list in file order would need a merge; the page shows problems first, then skipped parts.
      const problems = c.problems.slice(offset, offset + limit);
      const skipOffset = Math.max(0, offset - c.problems.length);
      const skipped = c.skipped.slice(skipOffset, skipOffset + Math.max(0, limit - problems.length));
      return { problems, skipped };
    },
    async close(id) {
      if (!captures.has(id)) return false;
      deps.closing(id);
      captures.delete(id);
      return true;
    },
  };
  return {
    api,
    get: (id) => captures.get(id),
    close() {
      for (const id of captures.keys()) deps.closing(id);
      captures.clear();
    },
  };
}
