/**
 * The history's files and their one writer per process (docs/history.md has the format and the
 * guarantees).
 *
 * Every process that writes the history (the app, `send`, `replay`, a fleet run) appends to files of its
 * own: `history-<start time>-<pid>-<random>.jsonl`, created with O_EXCL, never opened for writing by
 * anyone else. So no process ever truncates or rewrites bytes another process may be writing, lines of
 * two processes can never interleave, and a torn tail can only be the last line of a writer that died;
 * readers skip it (src/node/history/history-index.ts). Older versions wrote `history-000001.jsonl`, …;
 * those files are read like any other and never appended to.
 *
 * Appends are group-committed: lines that arrive while a write is in flight go out together in one
 * write, and durable lines written while an fsync is in flight share the next one. A line that need not
 * be durable is done once written (it is in the page cache: a kill -9 cannot lose it); a durable one once
 * an fsync that started after its write has finished (a power loss cannot lose it either).
 *
 * A failed write (ENOSPC, EIO) rejects its lines with one sentence and is cut back by this writer, the
 * file's only writer; when even that fails, the next write starts on a fresh line. The next append tries
 * again, so the writer recovers when space returns.
 */
import { closeSync, fdatasync, fsyncSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { HistoryLine } from '../../common/log/entry.ts';
import { AppError } from '../../common/errors.ts';

export const DEFAULT_MAX_FILE_BYTES = 64 * 1024 * 1024;
/** Every history file: a writer's (`history-<stamp>-<pid>-<rand>`), a compacted one (`…-x-<rand>`), or an old sequence number. */
const FILE = /^history-[0-9A-Za-z-]+\.jsonl$/;
const WRITER_FILE = /^history-\d{8}T\d{9}Z-(\d+|x)-[0-9a-f]+\.jsonl$/;

/** The name the versions before per-writer files used (still read, never written). */
export function historyFileName(sequence: number): string {
  return `history-${String(sequence).padStart(6, '0')}.jsonl`;
}

function stamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:.]/g, '');
}

/** A new file name for a writer (`pid`) or for the output of a compaction (`'x'`). */
export function newHistoryFileName(owner: number | 'x', timeMs = Date.now()): string {
  return `history-${stamp(timeMs)}-${owner}-${Math.floor(Math.random() * 0xffffffff)
    .toString(16)
    .padStart(8, '0')}.jsonl`;
}

/** The pid of the process that writes (or wrote) `file`; undefined for compacted and old files, which nobody appends to. */
export function writerPid(file: string): number | undefined {
  const owner = WRITER_FILE.exec(file)?.[1];
  return owner && owner !== 'x' ? Number(owner) : undefined;
}

export function isHistoryFile(name: string): boolean {
  return FILE.test(name);
}

/** The history files in `dir`, oldest first (names sort by creation time). */
export async function listHistoryFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return names.filter(isHistoryFile).sort();
}

/** Where an appended line landed. */
export interface LineLocation {
  file: string;
  offset: number;
  length: number;
}

/** The file operations a writer uses; tests inject failing ones. */
export interface WriterFs {
  /** Creates the file for appending; fails when it exists. */
  create(path: string): number;
  write(fd: number, buffer: Buffer, offset: number, length: number): number;
  truncate(fd: number, length: number): void;
  datasync(fd: number): Promise<void>;
  /** Makes a new file's directory entry durable. */
  syncDir(dir: string): void;
  close(fd: number): void;
}

/** The paths of the files writers of this process have open: compaction leaves them alone. */
export const openWriterFiles = new Set<string>();

export const nodeWriterFs: WriterFs = {
  create: (path) => openSync(path, 'ax'),
  write: (fd, buffer, offset, length) => writeSync(fd, buffer, offset, length),
  truncate: (fd, length) => ftruncateSync(fd, length),
  datasync: (fd) => new Promise((resolve, reject) => fdatasync(fd, (error) => (error ? reject(error) : resolve()))),
  syncDir(dir) {
    if (process.platform === 'win32') return; // directories cannot be opened for fsync there
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  },
  close: (fd) => closeSync(fd),
};

interface Pending {
  /** The line as written: its JSON and a newline. */
  text: string;
  durable: boolean;
  resolve: (location: LineLocation) => void;
  reject: (error: Error) => void;
}

export class HistoryWriteError extends AppError {
  constructor(message: string) {
    super('HISTORY', message);
  }
}

export interface WriterOptions {
  maxFileBytes?: number;
  fs?: WriterFs;
}

interface OpenFile {
  name: string;
  fd: number;
  size: number;
}

export class HistoryWriter {
  private queue: Pending[] = [];
  private flushing = false;
  /** Durable lines written, waiting for an fsync that starts after their write. */
  private unsynced: Array<{ pending: Pending; at: LineLocation }> = [];
  private syncing: Promise<void> | undefined;
  private closed = false;
  /** The file being appended to; created at the first append, so a process that writes nothing leaves no file. */
  private current: OpenFile | undefined;
  /** A failed write could not be cut back: the next write starts with a newline. */
  private needsNewline = false;
  /** Every file this writer created (all but the current one are finished). */
  readonly files = new Set<string>();
  private readonly fs: WriterFs;
  private readonly maxFileBytes: number;

  private constructor(
    readonly dir: string,
    options: WriterOptions,
  ) {
    this.fs = options.fs ?? nodeWriterFs;
    this.maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  }

  static async open(dir: string, options: WriterOptions = {}): Promise<HistoryWriter> {
    try {
      await mkdir(dir, { recursive: true });
    } catch (error) {
      throw new HistoryWriteError(
        `Cannot open the history folder ${dir} (${(error as Error).message}); set HEARTBEAT_HISTORY_DIR to a writable folder.`,
      );
    }
    return new HistoryWriter(dir, options);
  }

  /** The file appended to now (undefined before the first append and after a rotation). */
  get currentFile(): string | undefined {
    return this.current?.name;
  }

  append(line: HistoryLine, durable: boolean): Promise<LineLocation> {
    if (this.closed) return Promise.reject(new HistoryWriteError('The history log is closed.'));
    return new Promise((resolve, reject) => {
      this.queue.push({ text: JSON.stringify(line) + '\n', durable, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        // Lines appended in this turn of the event loop go out in one write.
        setImmediate(() => void this.flush());
      }
    });
  }

  private failure(error: unknown): HistoryWriteError {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOSPC' ? 'the disk is full' : code === 'EDQUOT' ? 'the disk quota is used up' : (error as Error).message;
    return new HistoryWriteError(`Cannot write the history log in ${this.dir} (${why}); free disk space or set HEARTBEAT_HISTORY_DIR.`);
  }

  private openFile(): OpenFile {
    const name = newHistoryFileName(process.pid);
    const fd = this.fs.create(join(this.dir, name));
    this.files.add(name);
    openWriterFiles.add(join(this.dir, name));
    this.fs.syncDir(this.dir);
    this.needsNewline = false;
    return { name, fd, size: 0 };
  }

  /**
   * Writes what is queued. The write itself is synchronous: appending a few kilobytes to the page
   * cache takes microseconds, while a write through the thread pool costs several times that in
   * hand-offs between threads, once or twice per send in a replay. Only fsyncs (which wait for the
   * disk) go through the thread pool.
   */
  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      let from = 0;
      while (from < batch.length) {
        let file: OpenFile;
        try {
          if (this.current && this.current.size >= this.maxFileBytes) await this.finishFile();
          file = this.current ??= this.openFile();
        } catch (error) {
          const failure = this.failure(error);
          for (let i = from; i < batch.length; i++) batch[i]!.reject(failure);
          break;
        }
        // Cut the batch where the file would pass its size limit.
        let to = from;
        let text = this.needsNewline ? '\n' : '';
        const lead = text.length;
        let bytes = lead;
        const lengths: number[] = [];
        while (to < batch.length) {
          const length = Buffer.byteLength(batch[to]!.text, 'utf8');
          if (to > from && file.size + bytes + length > this.maxFileBytes) break;
          text += batch[to]!.text;
          lengths.push(length);
          bytes += length;
          to++;
        }
        const buffer = Buffer.from(text, 'utf8');
        const start = file.size;
        let written = 0;
        try {
          // One write of whole lines; a short write (never seen on local disks) is continued.
          while (written < buffer.length) written += this.fs.write(file.fd, buffer, written, buffer.length - written);
        } catch (error) {
          this.cutBack(file, start, written);
          const failure = this.failure(error);
          for (let i = from; i < to; i++) batch[i]!.reject(failure);
          from = to;
          continue;
        }
        file.size += buffer.length;
        this.needsNewline = false;
        let offset = start + lead;
        let durable = false;
        for (let i = from; i < to; i++) {
          const pending = batch[i]!;
          const length = lengths[i - from]!;
          const at = { file: file.name, offset, length: length - 1 };
          if (pending.durable) {
            this.unsynced.push({ pending, at });
            durable = true;
          } else pending.resolve(at);
          offset += length;
        }
        if (durable) this.syncing ??= this.sync();
        from = to;
      }
    }
    this.flushing = false;
  }

  /** After a failed write: cut the file back to where the write began; if that fails too, start the next write on a fresh line. */
  private cutBack(file: OpenFile, start: number, written: number): void {
    if (written === 0) return;
    try {
      this.fs.truncate(file.fd, start);
    } catch {
      file.size = start + written;
      this.needsNewline = true;
    }
  }

  /** fsyncs until no durable line waits: each fsync covers every line written before it started. */
  private async sync(): Promise<void> {
    while (this.unsynced.length > 0) {
      const covered = this.unsynced;
      this.unsynced = [];
      try {
        // Lines written are in the current file: a file is finished only once its lines are synced.
        await this.fs.datasync(this.current!.fd);
        for (const { pending, at } of covered) pending.resolve(at);
      } catch (error) {
        const failure = this.failure(error);
        for (const { pending } of covered) pending.reject(failure);
      }
    }
    this.syncing = undefined;
  }

  /** Closes the current file once its durable lines are synced; the next append starts a new file. */
  private async finishFile(): Promise<void> {
    while (this.syncing) await this.syncing;
    const file = this.current;
    this.current = undefined;
    if (!file) return;
    openWriterFiles.delete(join(this.dir, file.name));
    this.fs.close(file.fd);
  }

  /** Waits for what is queued, then finishes the current file: later appends go to a new one (used before compacting). */
  async rotate(): Promise<void> {
    await this.drain();
    await this.finishFile();
  }

  private async drain(): Promise<void> {
    while (this.flushing || this.queue.length > 0 || this.syncing) {
      if (this.syncing) await this.syncing;
      else await new Promise((r) => setTimeout(r, 1));
    }
  }

  /** Waits for queued lines (written, and fsynced where asked), then closes the file. */
  async close(): Promise<void> {
    this.closed = true;
    await this.drain();
    await this.finishFile();
  }
}
