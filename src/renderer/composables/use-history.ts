/**
 * The history's I/O: query pages with the sidebar's filters, open an entry into the composer and the
 * inspector, re-send one, export, clear. Live entries arrive from the host's event stream.
 */
import { watch } from 'vue';
import type { CredentialRef, HistoryQuery, TargetSpec } from '../../common/api.ts';
import { useDocumentStore } from '../stores/document.ts';
import { useHistoryStore, type HistoryFilters } from '../stores/history.ts';
import { exchangeOfEntry, exchangeOfResult, useInspectorStore } from '../stores/inspector.ts';
import { useSessionStore } from '../stores/session.ts';
import { errorSentence } from '../platform/errors.ts';
import { isOperation } from '../../common/model/index.ts';
import { usePlatform } from './platform.ts';
import { useHostEvents } from './host-events.ts';
import { confirmDemoKeys, newSendId } from './use-send.ts';

const PAGE = 50;

/** The API query for the sidebar's filters; local date-times become ISO 8601 instants. */
export function queryOf(filters: HistoryFilters): HistoryQuery {
  const iso = (local: string): string | undefined => {
    if (!local) return undefined;
    const ms = new Date(local).getTime();
    return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
  };
  const q: HistoryQuery = { limit: PAGE };
  if (filters.text.trim()) q.text = filters.text.trim();
  if (filters.device.trim()) q.device = filters.device.trim();
  if (filters.fleet.trim()) q.fleet = filters.fleet.trim();
  if (filters.status) q.status = filters.status;
  const from = iso(filters.from);
  const to = iso(filters.to);
  if (from) q.from = from;
  if (to) q.to = to;
  return q;
}

/** Saves text as a file through the browser (Electron turns it into a save dialog). */
export function download(fileName: string, mediaType: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: mediaType }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function useHistory() {
  const { api } = usePlatform();
  const history = useHistoryStore();
  const documentStore = useDocumentStore();
  const inspector = useInspectorStore();
  const session = useSessionStore();
  let generation = 0;

  async function refresh(): Promise<void> {
    const mine = ++generation;
    history.setLoading(true);
    try {
      const page = await api.history.query(queryOf(history.filters));
      if (mine !== generation) return;
      history.setPage(page, false);
      history.setError(undefined);
    } catch (error) {
      if (mine === generation) history.setError(errorSentence(error));
    } finally {
      if (mine === generation) history.setLoading(false);
    }
  }

  async function loadMore(): Promise<void> {
    if (!history.nextCursor || history.loading) return;
    history.setLoading(true);
    try {
      history.setPage(await api.history.query({ ...queryOf(history.filters), cursor: history.nextCursor }), true);
    } catch (error) {
      history.setError(errorSentence(error));
    } finally {
      history.setLoading(false);
    }
  }

  /**
   * Loads the entry's body into the composer for the entry's operation (one undoable edit, the
   * operation with it) and shows its exchange; a fleet run's
   * entry (no request) only shows its summary in the inspector, leaving the composer as it is.
   */
  async function open(id: string): Promise<void> {
    try {
      const entry = await api.history.get(id);
      if (!entry) {
        history.setError('That entry is no longer in the history; it was cleared or its file removed.');
        return;
      }
      if (entry.kind === 'run') {
        inspector.showRun(entry);
        if (session.send.status !== 'sending') session.setSendState({ status: 'idle' });
        return;
      }
      if (isOperation(entry.operation)) documentStore.load(entry.request.body, entry.operation, 'history');
      else documentStore.setText(entry.request.body, 'history');
      inspector.show(exchangeOfEntry(entry));
      if (session.send.status !== 'sending') session.setSendState({ status: 'idle' });
    } catch (error) {
      history.setError(errorSentence(error));
    }
  }

  /**
   * Sends the entry's body again, newly signed, to its original target, with the credentials picked in
   * the top bar (the API takes no other override from here). A failure replaces what the inspector
   * showed: the previous answer is not this one's.
   */
  async function resend(id: string): Promise<void> {
    if (session.send.status === 'sending') return;
    const credentials: CredentialRef = session.credentials;
    if (credentials.kind === 'demo') {
      const entry = await api.history.get(id).catch(() => undefined);
      const target: TargetSpec | undefined =
        entry && entry.kind !== 'run' && entry.target.kind !== 'local'
          ? { kind: 'url', url: entry.target.url, region: entry.target.region }
          : undefined;
      if (!(await confirmDemoKeys(api, credentials, target))) return;
    }
    const sendId = newSendId();
    session.setSendState({ status: 'sending', id: sendId, startedAt: Date.now() });
    try {
      const result = await api.replay(id, { sendId, credentials });
      inspector.show(exchangeOfResult(result, 'replay'));
      session.setSendState({ status: 'done', result });
      history.changed();
    } catch (error) {
      inspector.show(undefined);
      session.setSendState({ status: 'failed', message: errorSentence(error) });
    }
  }

  async function exportAs(format: 'jsonl' | 'har'): Promise<void> {
    try {
      const { limit: _limit, ...query } = queryOf(history.filters);
      const file = await api.history.export(query, format);
      download(file.fileName, file.mediaType, file.text);
    } catch (error) {
      history.setError(errorSentence(error));
    }
  }

  /**
   * Deletes what the filters select, or (only when asked for in so many words) the whole history; the
   * number deleted, or undefined when the host refused. The list is asked for again afterwards.
   */
  async function clear(scope: 'selection' | 'all'): Promise<number | undefined> {
    try {
      const { limit: _limit, ...query } = queryOf(history.filters);
      const { removed } = await api.history.clear(scope === 'all' ? { all: true } : { query });
      history.clearPicks();
      if (scope === 'all' || !history.filtered) history.setPage({ entries: [], total: 0 }, false);
      await refresh();
      return removed;
    } catch (error) {
      history.setError(errorSentence(error));
      return undefined;
    }
  }

  /** Bodies of two sent entries, for the diff (a fleet run has none). */
  async function bodies(ids: string[]): Promise<{ id: string; time: string; body: string }[]> {
    const entries = await Promise.all(ids.map((id) => api.history.get(id)));
    return entries.flatMap((e) => (e && e.kind !== 'run' ? [{ id: e.id, time: e.time, body: e.request.body }] : []));
  }

  let pending: ReturnType<typeof setTimeout> | undefined;
  /** Refreshes once after a burst of filter changes or events. */
  function refreshSoon(delayMs = 200): void {
    clearTimeout(pending);
    pending = setTimeout(() => void refresh(), delayMs);
  }

  // A send of this window is in the list whether or not its event arrived (a reconnecting stream loses events).
  watch(
    () => history.revision,
    () => refreshSoon(0),
  );
  useHostEvents((event) => {
    // Entries were cleared or pruned (here or by another process), or live events were dropped: ask again.
    if (event.type === 'history-reset') return refreshSoon(0);
    if (event.type === 'notice') return history.setNotice(event.message);
    if (event.type !== 'history') return;
    // A filtered list cannot know whether the entry matches: ask again.
    if (history.filtered) refreshSoon();
    else history.upsert(event.entry);
  });

  return { refresh, refreshSoon, loadMore, open, resend, exportAs, clear, bodies };
}
