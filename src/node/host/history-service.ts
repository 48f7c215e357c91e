/**
 * The history as the app uses it: queries, entries, export, clear and prune over the store that follows
 * every writer's file (docs/history.md), the retention of the settings applied at start and hourly, and
 * what the index reads as host events (entries of any process, resets, one notice for skipped lines).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FleetRunSummary, HeartbeatApi, HistorySummary, HostSettings } from '../../common/api.ts';
import { exportHistory } from '../history/export.ts';
import type { HistoryWarning } from '../history/history-index.ts';
import { compact } from '../history/maintenance.ts';
import { HistoryStore } from '../history/store.ts';
import type { EventHub } from './events.ts';
import { HostError, sentenceOf } from './host-error.ts';
import { entryOf, indexQuery, pageOf, summaryOf } from './history-view.ts';

const DAY_MS = 86_400_000;
/** History events wait this long to go to windows together (a send's request and outcome become one)… */
export const HISTORY_BATCH_MS = 250;
/** …one event an entry up to this many; more become one `history-reset` (query again). */
export const HISTORY_BATCH_LIMIT = 20;
/** While entries flood in, a batch (one `history-reset`) at most this often. */
export const HISTORY_FLOOD_MS = 1000;

/** One sentence for lines the history skipped, however many. */
function skippedNotice(warnings: HistoryWarning[]): string {
  const first = warnings[0]!;
  const more = warnings.length - 1;
  return `The history skipped ${warnings.length} unreadable line${warnings.length === 1 ? '' : 's'}: ${first.file} line ${first.line} (${first.problem})${more > 0 ? ` and ${more} more` : ''}.`;
}

export interface HistoryService {
  api: HeartbeatApi['history'];
  store: HistoryStore;
  /** What the index said at start, for each new subscriber. */
  startupNotice: string | undefined;
  /** Applies the settings' retention now (at start, hourly, and when it changes). */
  applyRetention(): Promise<void>;
  /** Records a fleet run's summary as one entry (fsynced, and listed, before it resolves); its id. */
  recordRun(summary: FleetRunSummary, tags?: string[]): Promise<string>;
  close(): Promise<void>;
}

export async function createHistoryService(
  dir: string,
  settings: () => HostSettings,
  events: EventHub,
  busy: () => boolean,
): Promise<HistoryService> {
  const store = await HistoryStore.open(dir);
  // Entries reach windows one event each, but a flood (a run or a replay: thousands a second) becomes
  // one `history-reset` (query again) per HISTORY_BATCH_MS: more than HISTORY_BATCH_LIMIT entries in a
  // batch are not sent one by one.
  let held = new Map<string, HistorySummary>();
  let batch: ReturnType<typeof setTimeout> | undefined;
  /** The last batch was a flood: the next waits HISTORY_FLOOD_MS (a list refreshed once a second keeps up). */
  let flooding = false;
  const flush = (): void => {
    batch = undefined;
    const entries = held;
    held = new Map();
    flooding = entries.size > HISTORY_BATCH_LIMIT;
    if (flooding) events.emit({ type: 'history-reset' });
    else for (const entry of entries.values()) events.emit({ type: 'history', entry });
  };
  const stopEvents = store.index.onChange((change) => {
    if (change.rebuilt) {
      held.clear();
      events.emit({ type: 'history-reset' });
    } else {
      for (const entry of change.entries) held.set(entry.id, summaryOf(entry));
      batch ??= setTimeout(flush, flooding ? HISTORY_FLOOD_MS : HISTORY_BATCH_MS);
    }
    if (change.warnings.length > 0) events.emit({ type: 'notice', message: skippedNotice(change.warnings) });
  });
  let retentionNotice: string | undefined;
  async function applyRetention(): Promise<void> {
    const { retentionDays, retentionKeep } = settings();
    if (!retentionDays && !retentionKeep) return;
    try {
      await store.prune({
        ...(retentionDays ? { olderThanMs: retentionDays * DAY_MS } : {}),
        ...(retentionKeep ? { keep: retentionKeep } : {}),
      });
      retentionNotice = undefined;
    } catch (error) {
      const message = `The history retention could not be applied (${sentenceOf(error).replace(/\.$/, '')}).`;
      if (message !== retentionNotice) events.emit({ type: 'notice', message });
      retentionNotice = message;
    }
  }
  // Every `heartbeat send` leaves a small file of its own: merging the finished ones at start and hourly
  // keeps the folder (which the index lists every poll) to a few files.
  const upkeep = async (): Promise<void> => {
    await applyRetention();
    await compact(dir).catch(() => undefined);
  };
  void upkeep();
  const timer = setInterval(() => void upkeep(), 60 * 60_000);
  timer.unref();

  const api: HeartbeatApi['history'] = {
    async query(query) {
      const q = indexQuery(query);
      return pageOf(store.index.query(q), q);
    },
    async get(id) {
      const summary = store.index.summary(id);
      const stored = summary ? await store.index.get(id) : undefined;
      return summary && stored ? entryOf(stored, summaryOf(summary)) : undefined;
    },
    async export(query, format) {
      if (format !== 'jsonl' && format !== 'har') throw new HostError('Export as "jsonl" or "har".');
      const folder = await mkdtemp(join(tmpdir(), 'heartbeat-export-'));
      try {
        const file = join(folder, `export.${format}`);
        await exportHistory(store.index, { ...indexQuery(query), offset: 0, limit: Number.MAX_SAFE_INTEGER }, format, file);
        const stamp = new Date().toISOString().replace(/[:.]/g, '-');
        return {
          fileName: `heartbeat-history-${stamp}.${format}`,
          mediaType: format === 'har' ? 'application/json' : 'application/x-ndjson',
          text: await readFile(file, 'utf8'),
        };
      } finally {
        await rm(folder, { recursive: true, force: true });
      }
    },
    async clear(selection) {
      if (busy()) throw new HostError('Sends are still in flight; wait for them (or cancel them) before clearing the history.', 'CONFLICT');
      const { offset: _offset, limit: _limit, ...query } = 'all' in selection ? {} : indexQuery(selection.query);
      return { removed: await store.forget('all' in selection ? 'all' : query) };
    },
    async prune(rule) {
      if (rule.olderThanDays === undefined && rule.keep === undefined)
        throw new HostError('Say what to prune: entries older than some days, or all but the newest N.');
      const removed = await store.prune({
        ...(rule.olderThanDays !== undefined ? { olderThanMs: rule.olderThanDays * DAY_MS } : {}),
        ...(rule.keep !== undefined ? { keep: rule.keep } : {}),
      });
      return { removed };
    },
  };
  return {
    api,
    store,
    startupNotice: store.index.warnings.length > 0 ? skippedNotice(store.index.warnings) : undefined,
    applyRetention,
    recordRun: (summary, tags) => store.recordRun(summary, tags),
    async close() {
      stopEvents();
      clearTimeout(batch);
      clearInterval(timer);
      await store.close();
    },
  };
}
