/**
 * What the history index holds per entry and how it answers: the entry and query shapes, the query
 * matcher, the summary the UI lists, and reading an entry's lines back from disk by their locations.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { FleetRunSummary, HistoryRunFacts } from '../../common/api.ts';
import {
  checkHistoryLine,
  type ExchangeLine,
  type HistoryLine,
  type OutcomeLine,
  type RequestLine,
  type RunLine,
} from '../../common/log/entry.ts';
import type { LineLocation } from './log-file.ts';

export type EntryState = 'pending' | 'success' | 'service-error' | 'transport-error' | 'cancelled';

/** The operation a fleet run's entry lists as (not an operation of the service: nothing sends it). */
export const RUN_OPERATION = 'fleet-run';

export interface IndexSummary {
  id: string;
  time: string;
  /** Absent for a send; 'run' for a fleet run's summary (with `run`). */
  kind?: 'run';
  operation: string;
  deviceName?: string;
  fleetName?: string;
  state: EntryState;
  status?: number;
  errorType?: string;
  durationMs?: number;
  run?: HistoryRunFacts;
}

export interface Indexed {
  id: string;
  timeMs: number;
  kind?: 'run';
  operation: string;
  deviceName?: string;
  fleetName?: string;
  /** Lower-case device, fleet and model names, for text search. */
  text: string;
  state: EntryState;
  status?: number;
  errorType?: string;
  durationMs?: number;
  run?: HistoryRunFacts;
  /** The request, exchange or run line. */
  request: LineLocation;
  outcome?: LineLocation;
  /** Forgotten by a forget line; dropped from `entries` at the end of the read. */
  gone?: boolean;
}

export interface IndexQuery {
  /** Case-insensitive substring of the device, fleet or a model name. */
  text?: string;
  /** ok | error | not-ok (error or cancelled) | pending | cancelled | service-error | transport-error | 403 | 4xx | an error type or transport code. */
  status?: string;
  /** Exact device name. */
  deviceName?: string;
  /** Exact fleet name. */
  fleetName?: string;
  sinceMs?: number;
  untilMs?: number;
  offset?: number;
  limit?: number;
}

export interface IndexPage {
  total: number;
  entries: IndexSummary[];
}

/** An entry as written: a send's lines, or a fleet run's line (tell them apart by `run`). */
export type StoredEntry = StoredSend | StoredRun;

export interface StoredSend {
  request: RequestLine | ExchangeLine;
  outcome?: OutcomeLine;
  run?: undefined;
}

export interface StoredRun {
  run: RunLine;
  request?: undefined;
  outcome?: undefined;
}

/** What the list shows of a fleet run. */
export function runFacts(s: FleetRunSummary): HistoryRunFacts {
  return {
    scenario: s.scenario,
    devices: s.devices,
    sent: s.totals.sent,
    failed: s.totals.failed,
    elapsedMs: s.elapsedMs,
    stopped: s.stopped,
  };
}

/** A run line's entry: state 'success' when no request failed, else 'service-error' (docs/history.md#fleet-run-entries). */
export function runEntry(line: RunLine, at: LineLocation): Indexed {
  const s = line.summary;
  return {
    id: line.id,
    timeMs: Date.parse(line.time),
    kind: 'run',
    operation: RUN_OPERATION,
    text: s.scenario.toLowerCase(),
    state: s.totals.failed > 0 ? 'service-error' : 'success',
    durationMs: s.elapsedMs,
    run: runFacts(s),
    request: at,
  };
}

export function namesOf(body: string): { deviceName?: string; fleetName?: string; text: string } {
  try {
    const doc = JSON.parse(body) as { DeviceName?: unknown; DeviceFleetName?: unknown; Models?: unknown };
    const deviceName = typeof doc.DeviceName === 'string' ? doc.DeviceName : undefined;
    const fleetName = typeof doc.DeviceFleetName === 'string' ? doc.DeviceFleetName : undefined;
    const models = Array.isArray(doc.Models)
      ? doc.Models.map((m) => (m && typeof m === 'object' ? (m as { ModelName?: unknown }).ModelName : undefined)).filter(
          (n): n is string => typeof n === 'string',
        )
      : [];
    return {
      ...(deviceName ? { deviceName } : {}),
      ...(fleetName ? { fleetName } : {}),
      text: [deviceName, fleetName, ...models].filter(Boolean).join('\n').toLowerCase(),
    };
  } catch {
    return { text: '' };
  }
}

export function matcherOf(query: IndexQuery): (entry: Indexed) => boolean {
  const text = query.text?.toLowerCase();
  const status = query.status?.toLowerCase();
  const statusTest = ((): ((e: Indexed) => boolean) | undefined => {
    if (!status) return undefined;
    if (status === 'ok' || status === 'success') return (e) => e.state === 'success';
    if (status === 'error' || status === 'failed') return (e) => e.state === 'service-error' || e.state === 'transport-error';
    if (status === 'not-ok') return (e) => e.state !== 'success' && e.state !== 'pending';
    if (['pending', 'cancelled', 'service-error', 'transport-error'].includes(status)) return (e) => e.state === status;
    if (/^\d{3}$/.test(status)) return (e) => e.status === Number(status);
    if (/^\dxx$/.test(status)) return (e) => e.status !== undefined && Math.floor(e.status / 100) === Number(status[0]);
    return (e) => e.errorType?.toLowerCase() === status;
  })();
  return (e) =>
    (text === undefined || e.text.includes(text)) &&
    (query.deviceName === undefined || e.deviceName === query.deviceName) &&
    (query.fleetName === undefined || e.fleetName === query.fleetName) &&
    (query.sinceMs === undefined || e.timeMs >= query.sinceMs) &&
    (query.untilMs === undefined || e.timeMs < query.untilMs) &&
    (statusTest === undefined || statusTest(e));
}

export function summarize(e: Indexed): IndexSummary {
  return {
    id: e.id,
    time: new Date(e.timeMs).toISOString(),
    ...(e.kind ? { kind: e.kind } : {}),
    operation: e.operation,
    ...(e.deviceName ? { deviceName: e.deviceName } : {}),
    ...(e.fleetName ? { fleetName: e.fleetName } : {}),
    state: e.state,
    ...(e.status !== undefined ? { status: e.status } : {}),
    ...(e.errorType ? { errorType: e.errorType } : {}),
    ...(e.durationMs !== undefined ? { durationMs: e.durationMs } : {}),
    ...(e.run ? { run: e.run } : {}),
  };
}

export async function readEntry(dir: string, handles: Map<string, FileHandle>, entry: Indexed): Promise<StoredEntry | undefined> {
  const request = await readLine(dir, handles, entry.request);
  if (!request || request.id !== entry.id) return undefined;
  if (request.type === 'run') return entry.kind === 'run' ? { run: request } : undefined;
  if (request.type !== 'request' && request.type !== 'exchange') return undefined;
  const outcome = entry.outcome ? await readLine(dir, handles, entry.outcome) : undefined;
  return outcome?.type === 'outcome' ? { request, outcome } : { request };
}

/** The line at `at`, checked as when it was indexed; undefined when it is gone or is no longer that line. */
async function readLine(dir: string, handles: Map<string, FileHandle>, at: LineLocation): Promise<HistoryLine | undefined> {
  let handle = handles.get(at.file);
  if (!handle) {
    try {
      handle = await open(join(dir, at.file), 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    handles.set(at.file, handle);
  }
  const buffer = Buffer.alloc(at.length);
  const { bytesRead } = await handle.read(buffer, 0, at.length, at.offset);
  if (bytesRead !== at.length) return undefined;
  try {
    const checked = checkHistoryLine(JSON.parse(buffer.toString('utf8')));
    return 'line' in checked ? checked.line : undefined;
  } catch {
    return undefined;
  }
}
