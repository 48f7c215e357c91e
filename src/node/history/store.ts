/**
 * The history as one object for a long-running process (the app's host): this process's writer, and an
 * index that follows every file in the folder, so entries written by any process appear (docs/history.md).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { FleetRunSummary } from '../../common/fleet/summary.ts';
import { AppError } from '../../common/errors.ts';
import { checkHistoryLine, LOG_VERSION, type LogLine, type RunLine } from '../../common/log/entry.ts';
import { HistoryIndex, type IndexQuery, type IndexOptions } from './history-index.ts';
import { HistoryWriter, type WriterOptions } from './log-file.ts';
import { compact } from './maintenance.ts';
import { historyDir } from './paths.ts';

export interface StoreOptions extends WriterOptions, IndexOptions {
  /** Follow the folder for other processes' lines (default true); every `pollMs` at the latest (default 500). */
  follow?: boolean;
  pollMs?: number;
}

/** Forget lines carry at most this many ids each. */
const IDS_PER_LINE = 1000;

export class HistoryStore {
  private stopFollowing: (() => void) | undefined;

  private constructor(
    readonly writer: HistoryWriter,
    readonly index: HistoryIndex,
  ) {}

  /** Opens the history in `dir` (default the user's history folder), indexes it and follows it. */
  static async open(dir: string = historyDir(), options: StoreOptions = {}): Promise<HistoryStore> {
    const writer = await HistoryWriter.open(dir, options);
    const index = await HistoryIndex.open(dir, options);
    const store = new HistoryStore(writer, index);
    if (options.follow !== false) store.stopFollowing = index.follow(options.pollMs);
    return store;
  }

  /** Appends a line; once it resolves, the index has read it back (and every line written before it). */
  async record(line: LogLine, durable: boolean): Promise<void> {
    await this.writer.append(line, durable);
    // The line is written (and durable where asked): a failed read of the folder must not fail the send;
    // the follower reads again within its poll.
    await this.index.refresh().catch(() => undefined);
  }

  /**
   * Appends a line (durable where asked) without reading it back into the index: the index's follower
   * picks it up with the folder's change (coalesced, a few reads a second), so a run of thousands of sends
   * a second is not held back by one folder read per line. The app's runs record this way
   * (docs/runs.md#performance).
   */
  async append(line: LogLine, durable: boolean): Promise<void> {
    await this.writer.append(line, durable);
  }

  /**
   * Records a fleet run's summary as one history entry (a `run` line, docs/history.md#fleet-run-entries);
   * resolves with its id once the line is fsynced and the index has read it back.
   */
  async recordRun(summary: FleetRunSummary, tags?: string[]): Promise<string> {
    const line = runLine(summary, tags);
    await this.writer.append(line, true);
    await this.index.refresh().catch(() => undefined);
    return line.id;
  }

  /**
   * Removes the entries the query selects (every entry without one): forget lines hide them at once
   * from every reader, then compaction removes their bytes from every finished file; a file another
   * live process still appends to keeps them until that process ends and a later compaction runs.
   * Returns how many entries were removed.
   */
  async forget(query: IndexQuery | 'all'): Promise<number> {
    await this.index.refresh();
    const ids = this.index.ids(query === 'all' ? {} : query);
    await forgetIds(this.writer, ids);
    // Finish this process's file too, so compaction can drop what it held.
    await this.writer.rotate();
    await compact(this.writer.dir);
    await this.index.refresh();
    return ids.length;
  }

  /** Keeps at most `keep` newest entries and none older than `olderThanMs`; returns how many went. */
  async prune(rule: PruneRule): Promise<number> {
    await this.index.refresh();
    const ids = pruneIds(this.index, rule);
    if (ids.length === 0) return 0;
    await forgetIds(this.writer, ids);
    await this.writer.rotate();
    await compact(this.writer.dir);
    await this.index.refresh();
    return ids.length;
  }

  async close(): Promise<void> {
    this.stopFollowing?.();
    await this.writer.close();
  }
}

export interface PruneRule {
  /** Entries older than this many milliseconds go. */
  olderThanMs?: number;
  /** Only the newest `keep` entries stay. */
  keep?: number;
}

/** The ids a prune rule removes, oldest first. */
export function pruneIds(index: HistoryIndex, rule: PruneRule, now = Date.now()): string[] {
  const all = index.ids();
  const byAge = rule.olderThanMs !== undefined ? index.ids({ untilMs: now - rule.olderThanMs }) : [];
  const byCount = rule.keep !== undefined ? all.slice(0, Math.max(0, all.length - rule.keep)) : [];
  return [...new Set([...byAge, ...byCount])];
}

/** Appends forget lines for `ids` (durably: a crash after this cannot bring them back). */
export async function forgetIds(writer: HistoryWriter, ids: string[]): Promise<void> {
  const time = new Date().toISOString();
  const writes: Array<Promise<unknown>> = [];
  for (let i = 0; i < ids.length; i += IDS_PER_LINE) {
    writes.push(
      writer.append(
        { v: LOG_VERSION, type: 'forget', id: `forget-${randomBytes(8).toString('hex')}`, time, ids: ids.slice(i, i + IDS_PER_LINE) },
        true,
      ),
    );
  }
  await Promise.all(writes);
}

/**
 * A fleet run's history line, timed at the run's end (its start plus its elapsed time). A summary that
 * readers would skip (checkHistoryLine) is refused rather than written: an AppError INTERNAL sentence.
 */
export function runLine(summary: FleetRunSummary, tags?: string[]): RunLine {
  const end = Date.parse(summary.startedAt) + summary.elapsedMs;
  const line: RunLine = {
    v: LOG_VERSION,
    type: 'run',
    id: randomUUID(),
    time: new Date(Number.isFinite(end) ? end : Date.now()).toISOString(),
    summary,
    ...(tags && tags.length > 0 ? { tags } : {}),
  };
  const checked = checkHistoryLine(JSON.parse(JSON.stringify(line)));
  if ('problem' in checked)
    throw new AppError('INTERNAL', `The fleet run's summary cannot be recorded in the history: ${checked.problem}.`);
  return line;
}

/** Appends to the history without an index: for commands that only write it (send, replay, fleet run). */
export interface HistoryLog {
  record(line: LogLine, durable: boolean): Promise<void>;
  /** Records a fleet run's summary as one entry; resolves with its id once the line is fsynced. */
  recordRun(summary: FleetRunSummary, tags?: string[]): Promise<string>;
  close(): Promise<void>;
}

/**
 * Opens a writer of this process's own file in `dir`. Unlike `HistoryStore.open` it reads nothing,
 * which a command that never queries the history would pay for at every start as the history grows.
 */
export async function openHistoryLog(dir: string = historyDir(), options: WriterOptions = {}): Promise<HistoryLog> {
  const writer = await HistoryWriter.open(dir, options);
  return {
    record: async (line, durable) => {
      await writer.append(line, durable);
    },
    recordRun: async (summary, tags) => {
      const line = runLine(summary, tags);
      await writer.append(line, true);
      return line.id;
    },
    close: () => writer.close(),
  };
}
