/**
 * The in-memory index of the history: built on open by streaming every file once, kept current as
 * lines are appended. It holds only what queries need (names, state, time) plus each line's file
 * offset; full entries are read back from disk on demand, so 100,000 entries stay small and fast.
 */
import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { parseLogLine, type ExchangeLine, type LogLine, type OutcomeLine, type RequestLine } from '../../common/log/entry.ts';
import { listHistoryFiles, type LineLocation } from './log-file.ts';

export type EntryState = 'pending' | 'success' | 'service-error' | 'transport-error' | 'cancelled';

export interface HistorySummary {
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

interface Indexed {
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
  request?: LineLocation;
  outcome?: LineLocation;
}

export interface HistoryQuery {
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

export interface HistoryPage {
  total: number;
  entries: HistorySummary[];
}

export interface HistoryEntry {
  request: RequestLine | ExchangeLine;
  outcome?: OutcomeLine;
}

function namesOf(body: string): { deviceName?: string; fleetName?: string; text: string } {
  try {
    const doc = JSON.parse(body) as { DeviceName?: unknown; DeviceFleetName?: unknown; Models?: unknown };
    const deviceName = typeof doc.DeviceName === 'string' ? doc.DeviceName : undefined;
    const fleetName = typeof doc.DeviceFleetName === 'string' ? doc.DeviceFleetName : undefined;
    const models = Array.isArray(doc.Models) ? doc.Models.map((m) => (m && typeof m === 'object' ? (m as { ModelName?: unknown }).ModelName : undefined)).filter((n): n is string => typeof n === 'string') : [];
    return { ...(deviceName ? { deviceName } : {}), ...(fleetName ? { fleetName } : {}), text: [deviceName, fleetName, ...models].filter(Boolean).join('\n').toLowerCase() };
  } catch {
    return { text: '' };
  }
}

export class HistoryIndex {
  private readonly entries: Indexed[] = [];
  private readonly byId = new Map<string, Indexed>();
  /** Outcome lines whose request line has not been seen (another file, or a lost line). */
  private readonly orphans = new Map<string, { line: OutcomeLine; at: LineLocation }>();

  private constructor(readonly dir: string) {}

  static async open(dir: string): Promise<HistoryIndex> {
    const index = new HistoryIndex(dir);
    for (const file of await listHistoryFiles(dir)) await index.scan(file);
    return index;
  }

  get size(): number {
    return this.entries.length;
  }

  /** Streams one file, indexing every complete, parseable line (torn or foreign lines are skipped). */
  private async scan(file: string): Promise<void> {
    let offset = 0;
    let rest: Buffer = Buffer.alloc(0);
    for await (const chunk of createReadStream(join(this.dir, file), { highWaterMark: 1 << 20 })) {
      let buffer = rest.length ? Buffer.concat([rest, chunk as Buffer]) : (chunk as Buffer);
      let start = 0;
      for (let nl = buffer.indexOf(0x0a, start); nl >= 0; nl = buffer.indexOf(0x0a, start)) {
        const line = parseLogLine(buffer.toString('utf8', start, nl));
        if (line) this.add(line, { file, offset: offset + start, length: nl - start });
        start = nl + 1;
      }
      offset += start;
      buffer = buffer.subarray(start);
      rest = Buffer.from(buffer);
    }
  }

  add(line: LogLine, at: LineLocation): void {
    if (line.type === 'outcome') {
      const entry = this.byId.get(line.id);
      if (entry) this.applyOutcome(entry, line, at);
      else this.orphans.set(line.id, { line, at });
      return;
    }
    if (this.byId.has(line.id)) return;
    const names = namesOf(line.request.body);
    const entry: Indexed = { id: line.id, timeMs: Date.parse(line.time), operation: line.operation, ...names, state: 'pending', request: at };
    if (line.type === 'exchange') {
      entry.state = line.verdict.status < 300 ? 'success' : 'service-error';
      entry.status = line.verdict.status;
      if (line.verdict.errorType) entry.errorType = line.verdict.errorType;
      entry.durationMs = line.verdict.handlingMs;
    }
    this.entries.push(entry);
    this.byId.set(line.id, entry);
    const orphan = this.orphans.get(line.id);
    if (orphan) {
      this.orphans.delete(line.id);
      this.applyOutcome(entry, orphan.line, orphan.at);
    }
  }

  private applyOutcome(entry: Indexed, line: OutcomeLine, at: LineLocation): void {
    const outcome = line.outcome;
    entry.outcome = at;
    entry.state = outcome.kind;
    if (outcome.kind === 'success' || outcome.kind === 'service-error') entry.status = outcome.status;
    if (outcome.kind === 'service-error') entry.errorType = outcome.errorType;
    if (outcome.kind === 'transport-error') entry.errorType = outcome.code;
    const duration = line.timings?.totalMs ?? line.attempts.reduce((sum, a) => sum + a.durationMs + (a.delayMs ?? 0), 0);
    entry.durationMs = Math.round(duration * 100) / 100;
  }

  private matcher(query: HistoryQuery): (entry: Indexed) => boolean {
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

  /** Newest first. */
  query(query: HistoryQuery = {}): HistoryPage {
    const matches = this.matcher(query);
    const offset = Math.max(0, query.offset ?? 0);
    const limit = Math.max(0, query.limit ?? 50);
    const page: HistorySummary[] = [];
    let total = 0;
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const entry = this.entries[i]!;
      if (!matches(entry)) continue;
      if (total >= offset && page.length < limit) page.push(summarize(entry));
      total++;
    }
    return { total, entries: page };
  }

  /** Every matching entry, oldest first, read back from disk (for export). */
  async *read(query: HistoryQuery = {}): AsyncGenerator<HistoryEntry> {
    const matches = this.matcher(query);
    const handles = new Map<string, FileHandle>();
    try {
      for (const entry of this.entries) {
        if (!matches(entry) || !entry.request) continue;
        const request = (await readLine(this.dir, handles, entry.request)) as RequestLine | ExchangeLine | undefined;
        if (!request) continue;
        const outcome = entry.outcome ? ((await readLine(this.dir, handles, entry.outcome)) as OutcomeLine | undefined) : undefined;
        yield outcome ? { request, outcome } : { request };
      }
    } finally {
      for (const handle of handles.values()) await handle.close();
    }
  }

  /** The list view of one entry, as `query` gives it. */
  summary(id: string): HistorySummary | undefined {
    const entry = this.byId.get(id);
    return entry && summarize(entry);
  }

  async get(id: string): Promise<HistoryEntry | undefined> {
    const entry = this.byId.get(id);
    if (!entry?.request) return undefined;
    const handles = new Map<string, FileHandle>();
    try {
      const request = (await readLine(this.dir, handles, entry.request)) as RequestLine | ExchangeLine | undefined;
      if (!request) return undefined;
      const outcome = entry.outcome ? ((await readLine(this.dir, handles, entry.outcome)) as OutcomeLine | undefined) : undefined;
      return outcome ? { request, outcome } : { request };
    } finally {
      for (const handle of handles.values()) await handle.close();
    }
  }
}

function summarize(e: Indexed): HistorySummary {
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

async function readLine(dir: string, handles: Map<string, FileHandle>, at: LineLocation): Promise<LogLine | undefined> {
  let handle = handles.get(at.file);
  if (!handle) {
    handle = await open(join(dir, at.file), 'r');
    handles.set(at.file, handle);
  }
  const buffer = Buffer.alloc(at.length);
  await handle.read(buffer, 0, at.length, at.offset);
  return parseLogLine(buffer.toString('utf8'));
}
