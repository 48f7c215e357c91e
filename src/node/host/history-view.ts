/**
 * The history as the UI sees it: HeartbeatApi's query, summary and entry shapes, mapped from the
 * log's index (src/node/history). Paging cursors are offsets, opaque to the caller.
 */
import type { HistoryEntry, HistoryPage, HistoryQuery, HistoryStatus, HistorySummary, LoggedRequest } from '../../common/api.ts';
import type { EntryState, IndexQuery, IndexSummary, StoredEntry } from '../history/history-index.ts';
import { runFacts } from '../history/history-entries.ts';
import { maskKeyId } from '../../common/log/entry.ts';
import { HostError } from './host-error.ts';

export const DEFAULT_PAGE = 50;
export const MAX_PAGE = 500;

export function statusOf(state: EntryState): HistoryStatus {
  return state === 'success' ? 'success' : state === 'pending' ? 'pending' : 'error';
}

function instant(text: string | undefined, name: string): number | undefined {
  if (text === undefined || text === '') return undefined;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new HostError(`"${text}" is not a date and time for "${name}"; use ISO 8601, e.g. 2026-11-23T10:00:00Z.`);
  return ms;
}

/** The index query for an API query; throws a HostError sentence for a bad bound or cursor. */
export function indexQuery(query: HistoryQuery): IndexQuery {
  const offset = query.cursor === undefined ? 0 : Number(query.cursor);
  if (!Number.isInteger(offset) || offset < 0)
    throw new HostError('The history cursor is not one this host gave out; start again from the first page.');
  const limit = Math.min(MAX_PAGE, Math.max(1, Math.floor(query.limit ?? DEFAULT_PAGE)));
  const sinceMs = instant(query.from, 'from');
  const untilMs = instant(query.to, 'to');
  const status = query.status === 'success' ? 'success' : query.status === 'error' ? 'not-ok' : query.status;
  return {
    ...(query.text ? { text: query.text } : {}),
    ...(query.device ? { deviceName: query.device } : {}),
    ...(query.fleet ? { fleetName: query.fleet } : {}),
    ...(status ? { status } : {}),
    ...(sinceMs !== undefined ? { sinceMs } : {}),
    ...(untilMs !== undefined ? { untilMs } : {}),
    offset,
    limit,
  };
}

export function summaryOf(entry: IndexSummary): HistorySummary {
  return {
    id: entry.id,
    time: entry.time,
    ...(entry.kind ? { kind: entry.kind } : {}),
    operation: entry.operation,
    ...(entry.deviceName ? { deviceName: entry.deviceName } : {}),
    ...(entry.fleetName ? { fleetName: entry.fleetName } : {}),
    status: statusOf(entry.state),
    ...(entry.status !== undefined ? { httpStatus: entry.status } : {}),
    ...(entry.errorType ? { errorType: entry.errorType } : {}),
    ...(entry.durationMs !== undefined ? { durationMs: entry.durationMs } : {}),
    ...(entry.run ? { run: entry.run } : {}),
  };
}

export function pageOf(found: { total: number; entries: IndexSummary[] }, query: IndexQuery): HistoryPage {
  const next = (query.offset ?? 0) + found.entries.length;
  return { total: found.total, entries: found.entries.map(summaryOf), ...(next < found.total ? { nextCursor: String(next) } : {}) };
}

/**
 * The request as the UI may see it: the log already holds no signature or token; the access key id in
 * Authorization's Credential is cut to its last 4 characters as well (docs/architecture.md#security-model: the UI sees no more).
 */
export function requestForUi(request: LoggedRequest): LoggedRequest {
  return maskKeyId(request);
}

/** A whole entry from its stored lines and its index summary. */
export function entryOf(stored: StoredEntry, summary: HistorySummary): HistoryEntry {
  const { kind: _kind, run: _run, ...common } = summary;
  if (stored.run) {
    const { summary: run, tags } = stored.run;
    return { ...common, kind: 'run', run: runFacts(run), summary: run, ...(tags ? { tags } : {}) };
  }
  const { request, outcome } = stored;
  const target =
    request.type === 'request' ? request.target : { kind: 'url' as const, url: new URL(request.request.url).origin, region: '' };
  return {
    ...common,
    target,
    request: requestForUi(request.request),
    ...(outcome ? { outcome: outcome.outcome, attempts: outcome.attempts } : {}),
    ...(outcome?.timings ? { timings: outcome.timings } : {}),
  };
}
