/**
 * The in-memory index of the history, built by reading the files and kept current by reading them
 * again: `refresh()` reads what every file gained since the last look (from the last complete line on),
 * `follow()` does it when the folder changes (fs.watch, and a poll as a fallback), so entries written by
 * any process (the app, `send`, `replay`) appear. It trusts no counter of its own.
 *
 * It holds only what queries need (names, state, time) plus each line's file offset; full entries are
 * read back from disk on demand, so 100,000 entries stay small and fast. Every line is checked when read
 * (checkHistoryLine); a bad one is skipped with a warning naming its file and line, a torn tail (the last
 * line of a writer that died mid-write) is skipped and counted. When a file disappears or shrinks (a
 * compaction, a prune, a clear by another process) the index is rebuilt from the files.
 */
import { createReadStream, watch, type FSWatcher } from 'node:fs';
import { stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { checkHistoryLine, type HistoryLine, type OutcomeLine } from '../../common/log/entry.ts';
import {
  matcherOf,
  namesOf,
  readEntry,
  runEntry,
  summarize,
  type Indexed,
  type IndexPage,
  type IndexQuery,
  type IndexSummary,
  type StoredEntry,
} from './history-entries.ts';
import { listHistoryFiles, writerPid, type LineLocation } from './log-file.ts';

export type { EntryState, IndexPage, IndexQuery, IndexSummary, StoredEntry, StoredRun, StoredSend } from './history-entries.ts';

/** A line the index skipped: its file, its 1-based line number, and why. */
export interface HistoryWarning {
  file: string;
  line: number;
  problem: string;
}

/** What a refresh changed: entries added or completed, lines skipped, or everything (a rebuild). */
export interface IndexChange {
  entries: IndexSummary[];
  warnings: HistoryWarning[];
  rebuilt: boolean;
}

export interface IndexOptions {
  /** A line longer than this is skipped (default 64 MiB). */
  maxLineBytes?: number;
}

const MAX_WARNINGS = 1000;

interface FileState {
  /** Bytes read up to the end of the last complete line. */
  offset: number;
  /** Complete lines read. */
  lines: number;
  /** In a line longer than the limit, skipping to its end. */
  skipping: boolean;
  /** The bytes after the last newline when the writer is gone: a torn tail, reported once. */
  tornReported: boolean;
}

/** True when the process that writes a file may still be running (pid reuse errs on the safe side). */
export function writerAlive(file: string): boolean {
  const pid = writerPid(file);
  if (pid === undefined) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The entries' state: rebuilt from scratch when files disappear. */
class IndexState {
  entries: Indexed[] = [];
  readonly byId = new Map<string, Indexed>();
  /** Outcome lines whose request line has not been read (another file, or a lost line). */
  readonly orphans = new Map<string, { line: OutcomeLine; at: LineLocation }>();
  readonly forgotten = new Set<string>();
  readonly files = new Map<string, FileState>();
  skipped = 0;
  torn = 0;
}

export class HistoryIndex {
  private state = new IndexState();
  /** What a read adds to: the state itself, or a new one that replaces it when a rebuild is done. */
  private work = this.state;
  private running: Promise<void> | undefined;
  private rerun: Promise<void> | undefined;
  private readonly listeners = new Set<(change: IndexChange) => void>();
  /** The latest warnings (at most 1,000). */
  readonly warnings: HistoryWarning[] = [];
  private readonly maxLineBytes: number;
  /** Collected during one refresh. */
  private changed = new Map<string, Indexed>();
  private added: Indexed[] = [];
  private newWarnings: HistoryWarning[] = [];

  private constructor(
    readonly dir: string,
    options: IndexOptions,
  ) {
    this.maxLineBytes = options.maxLineBytes ?? 64 * 1024 * 1024;
  }

  static async open(dir: string, options: IndexOptions = {}): Promise<HistoryIndex> {
    const index = new HistoryIndex(dir, options);
    await index.refresh();
    return index;
  }

  get size(): number {
    return this.state.entries.length;
  }

  /** Lines skipped as malformed, and torn tails, since the last rebuild. */
  get skipped(): { malformed: number; torn: number } {
    return { malformed: this.state.skipped, torn: this.state.torn };
  }

  /** Called after each refresh that changed something. */
  onChange(listener: (change: IndexChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Reads what the files gained since the last call. Calls overlap safely: a call made while one runs
   * waits for a run that starts after it, so it sees every line written before it was made.
   */
  refresh(): Promise<void> {
    if (!this.running) {
      this.running = this.readFiles().finally(() => (this.running = undefined));
      return this.running;
    }
    // After the running read, whether it succeeded or failed: a failed read must not leave this promise
    // standing (every later call would get it back, and nothing would be read again).
    const again = (): Promise<void> => {
      this.rerun = undefined;
      return this.refresh();
    };
    this.rerun ??= this.running.then(again, again);
    return this.rerun;
  }

  /** Keeps the index current until the returned function is called: on every change in the folder, and every `pollMs` at the latest. */
  follow(pollMs = 500): () => void {
    let watcher: FSWatcher | undefined;
    let scheduled: NodeJS.Timeout | undefined;
    const kick = (): void => {
      if (scheduled) return;
      // Coalesce a burst of events (a replay in another process) into one read.
      scheduled = setTimeout(() => {
        scheduled = undefined;
        this.refresh().catch(() => undefined);
      }, 25);
    };
    const startWatching = (): void => {
      if (watcher) return;
      try {
        watcher = watch(this.dir, kick);
        watcher.on('error', () => {
          watcher?.close();
          watcher = undefined;
        });
      } catch {
        watcher = undefined; // no folder yet, or no watching on this file system: the poll covers it
      }
    };
    startWatching();
    const poll = setInterval(() => {
      startWatching();
      kick();
    }, pollMs);
    poll.unref();
    return () => {
      clearInterval(poll);
      if (scheduled) clearTimeout(scheduled);
      watcher?.close();
    };
  }

  private async readFiles(): Promise<void> {
    const names = await listHistoryFiles(this.dir);
    const present = new Set(names);
    let rebuild = [...this.state.files.keys()].some((name) => !present.has(name));
    const sizes = new Map<string, number>();
    for (const name of names) {
      try {
        sizes.set(name, (await stat(join(this.dir, name))).size);
      } catch {
        rebuild = true; // removed since listed
      }
    }
    if (!rebuild) for (const [name, size] of sizes) if (size < (this.state.files.get(name)?.offset ?? 0)) rebuild = true;
    // A rebuild reads into a new state, so queries meanwhile answer from the old one.
    this.work = rebuild ? new IndexState() : this.state;
    this.changed = new Map();
    this.added = [];
    this.newWarnings = [];
    try {
      for (const [name, size] of sizes) await this.readFile(name, size);
      this.settle();
      this.state = this.work;
    } finally {
      this.work = this.state;
    }
    const change: IndexChange = {
      entries: [...this.changed.values()].filter((e) => !e.gone).map(summarize),
      warnings: this.newWarnings,
      rebuilt: rebuild,
    };
    if (change.entries.length === 0 && change.warnings.length === 0 && !rebuild) return;
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch {
        // One broken listener must not stop the others.
      }
    }
  }

  private warn(file: string, line: number, problem: string): void {
    const warning = { file, line, problem };
    this.newWarnings.push(warning);
    if (this.warnings.length >= MAX_WARNINGS) this.warnings.shift();
    this.warnings.push(warning);
  }

  /** Reads `file` from where the last read stopped up to `size`, line by line. */
  private async readFile(file: string, size: number): Promise<void> {
    let state = this.work.files.get(file);
    if (!state) this.work.files.set(file, (state = { offset: 0, lines: 0, skipping: false, tornReported: false }));
    if (size <= state.offset) return;
    let offset = state.offset;
    let rest: Buffer = Buffer.alloc(0);
    let skipping = state.skipping;
    try {
      for await (const chunk of createReadStream(join(this.dir, file), { start: state.offset, end: size - 1, highWaterMark: 1 << 20 })) {
        const buffer = rest.length ? Buffer.concat([rest, chunk as Buffer]) : (chunk as Buffer);
        let start = 0;
        for (let nl = buffer.indexOf(0x0a, start); nl >= 0; nl = buffer.indexOf(0x0a, start)) {
          state.lines++;
          if (skipping || nl - start > this.maxLineBytes) {
            skipping = false;
            this.work.skipped++;
            this.warn(file, state.lines, `it is longer than ${this.maxLineBytes} bytes`);
          } else if (nl > start) this.line(buffer, start, nl, { file, offset: offset + start, length: nl - start }, state.lines);
          start = nl + 1;
        }
        offset += start;
        rest = start < buffer.length ? Buffer.from(buffer.subarray(start)) : Buffer.alloc(0);
        if (rest.length > this.maxLineBytes) {
          // Drop a line that will not fit; resume at the next newline.
          offset += rest.length;
          rest = Buffer.alloc(0);
          skipping = true;
        }
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // removed: the next refresh rebuilds
      throw error;
    }
    state.offset = offset;
    state.skipping = skipping;
    // Bytes after the last newline: a line being written, or the torn tail of a writer that died.
    if ((rest.length > 0 || skipping) && !state.tornReported && !writerAlive(file)) {
      state.tornReported = true;
      this.work.torn++;
      this.warn(file, state.lines + 1, 'it is torn (its writer stopped in the middle of writing it)');
    }
  }

  private line(buffer: Buffer, start: number, end: number, at: LineLocation, number: number): void {
    let value: unknown;
    try {
      value = JSON.parse(buffer.toString('utf8', start, end));
    } catch {
      this.work.skipped++;
      this.warn(at.file, number, 'it is not JSON');
      return;
    }
    const checked = checkHistoryLine(value);
    if ('problem' in checked) {
      this.work.skipped++;
      this.warn(at.file, number, checked.problem);
      return;
    }
    this.add(checked.line, at);
  }

  private add(line: HistoryLine, at: LineLocation): void {
    const s = this.work;
    if (line.type === 'forget') {
      for (const id of line.ids) {
        s.forgotten.add(id);
        s.orphans.delete(id);
        const entry = s.byId.get(id);
        if (entry) {
          entry.gone = true;
          s.byId.delete(id);
          this.changed.delete(id);
        }
      }
      return;
    }
    if (s.forgotten.has(line.id)) return;
    if (line.type === 'outcome') {
      const entry = s.byId.get(line.id);
      if (entry) this.applyOutcome(entry, line, at);
      else s.orphans.set(line.id, { line, at });
      return;
    }
    if (s.byId.has(line.id)) return; // the same line in a compacted copy
    const entry: Indexed =
      line.type === 'run'
        ? runEntry(line, at)
        : {
            id: line.id,
            timeMs: Date.parse(line.time),
            operation: line.operation,
            ...namesOf(line.request.body),
            state: 'pending',
            request: at,
          };
    if (line.type === 'exchange') {
      entry.state = line.verdict.status < 300 ? 'success' : 'service-error';
      entry.status = line.verdict.status;
      if (line.verdict.errorType) entry.errorType = line.verdict.errorType;
      entry.durationMs = line.verdict.handlingMs;
    }
    this.added.push(entry);
    s.byId.set(line.id, entry);
    this.changed.set(line.id, entry);
    const orphan = line.type === 'run' ? undefined : s.orphans.get(line.id);
    if (orphan) {
      s.orphans.delete(line.id);
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
    this.changed.set(entry.id, entry);
  }

  /** Merges the entries added by a read into the time-ordered list and drops forgotten ones. */
  private settle(): void {
    const s = this.work;
    const added = this.added.filter((e) => !e.gone).sort((a, b) => a.timeMs - b.timeMs);
    let entries = s.entries.some((e) => e.gone) ? s.entries.filter((e) => !e.gone) : s.entries;
    if (added.length > 0) {
      const last = entries.at(-1);
      if (!last || last.timeMs <= added[0]!.timeMs)
        entries = entries === s.entries ? (entries.push(...added), entries) : entries.concat(added);
      else {
        const merged: Indexed[] = new Array(entries.length + added.length);
        let i = 0;
        let j = 0;
        let k = 0;
        while (i < entries.length && j < added.length) merged[k++] = entries[i]!.timeMs <= added[j]!.timeMs ? entries[i++]! : added[j++]!;
        while (i < entries.length) merged[k++] = entries[i++]!;
        while (j < added.length) merged[k++] = added[j++]!;
        entries = merged;
      }
    }
    s.entries = entries;
    this.added = [];
  }

  /** Newest first. */
  query(query: IndexQuery = {}): IndexPage {
    const matches = matcherOf(query);
    const offset = Math.max(0, query.offset ?? 0);
    const limit = Math.max(0, query.limit ?? 50);
    const page: IndexSummary[] = [];
    let total = 0;
    const entries = this.state.entries;
    for (let i = entries.length - 1; i >= 0; i--) {
      const entry = entries[i]!;
      if (!matches(entry)) continue;
      if (total >= offset && page.length < limit) page.push(summarize(entry));
      total++;
    }
    return { total, entries: page };
  }

  /** The ids of every matching entry, oldest first (for clear and prune). */
  ids(query: IndexQuery = {}): string[] {
    const matches = matcherOf(query);
    return this.state.entries.filter(matches).map((e) => e.id);
  }

  /** Every matching entry, oldest first, read back from disk (for export). */
  async *read(query: IndexQuery = {}): AsyncGenerator<StoredEntry> {
    const matches = matcherOf(query);
    const handles = new Map<string, FileHandle>();
    try {
      for (const entry of [...this.state.entries]) {
        if (!matches(entry)) continue;
        const found = await readEntry(this.dir, handles, entry);
        if (found) yield found;
      }
    } finally {
      for (const handle of handles.values()) await handle.close();
    }
  }

  /** The list view of one entry, as `query` gives it. */
  summary(id: string): IndexSummary | undefined {
    const entry = this.state.byId.get(id);
    return entry && summarize(entry);
  }

  async get(id: string): Promise<StoredEntry | undefined> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const entry = this.state.byId.get(id);
      if (!entry) return undefined;
      const handles = new Map<string, FileHandle>();
      try {
        const found = await readEntry(this.dir, handles, entry);
        if (found) return found;
      } finally {
        for (const handle of handles.values()) await handle.close();
      }
      // Its file was compacted away since the last read: read the files again.
      await this.refresh();
    }
    return undefined;
  }
}
