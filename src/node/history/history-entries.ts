/**
 * What the history index holds per entry and how it answers: the entry and query shapes, the query
 * matcher, the summary the UI lists, and reading an entry's lines back from disk by their locations.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { parseLogLine, type ExchangeLine, type OutcomeLine, type RequestLine } from '../../common/log/entry.ts';
import type { LineLocation } from './log-file.ts';

export type EntryState = 'pending' | 'success' | 'service-error' | 'transport-error' | 'cancelled';

export interface IndexSummary {
  id: string;
  time: string;
  operation: string;
  deviceName?: string;
  fleetName?: string;
  state: EntryState;
  status?: number;
  errorType?: string;
  durationMs?: number;
}

export interface Indexed {
  id: string;
  timeMs: number;
  operation: string;
  deviceName?: string;
  fleetName?: string;
  /** Lower-case device, fleet and model names, for text search. */
  text: string;
  state: EntryState;
  status?: number;
  errorType?: string;
  durationMs?: number;
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

export interface StoredEntry {
  request: RequestLine | ExchangeLine;
  outcome?: OutcomeLine;
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
    operation: e.operation,
    ...(e.deviceName ? { deviceName: e.deviceName } : {}),
    ...(e.fleetName ? { fleetName: e.fleetName } : {}),
    state: e.state,
    ...(e.status !== undefined ? { status: e.status } : {}),
    ...(e.errorType ? { errorType: e.errorType } : {}),
    ...(e.durationMs !== undefined ? { durationMs: e.durationMs } : {}),
  };
}

export async function readEntry(dir: string, handles: Map<string, FileHandle>, entry: Indexed): Promise<StoredEntry | undefined> {
  const request = await readLine(dir, handles, entry.request);
  if (!request || request.id !== entry.id || (request.type !== 'request' && request.type !== 'exchange')) return undefined;
  const outcome = entry.outcome ? await readLine(dir, handles, entry.outcome) : undefined;
  return outcome?.type === 'outcome' ? { request, outcome } : { request };
}

async function readLine(dir: string, handles: Map<string, FileHandle>, at: LineLocation): Promise<ReturnType<typeof parseLogLine>> {
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
  return bytesRead === at.length ? parseLogLine(buffer.toString('utf8')) : undefined;
}
