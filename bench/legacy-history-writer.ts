/**
 * The history writer as it was before one file per writer (commit f583afa, src/node/history/log-file.ts),
 * kept only as the peer of `npm run bench history-writers`: every process appended to one shared
 * history-NNNNNN.jsonl and "repaired" a torn tail on open. Not used by the app.
 */
import { writeSync } from 'node:fs';
import { mkdir, open, readdir, appendFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { LogLine } from '../src/common/log/entry.ts';

export const DEFAULT_MAX_FILE_BYTES = 64 * 1024 * 1024;
export const TORN_FILE = 'torn-lines.txt';
const FILE = /^history-(\d{6})\.jsonl$/;

export function historyFileName(sequence: number): string {
  return `history-${String(sequence).padStart(6, '0')}.jsonl`;
}

export async function listHistoryFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return names.filter((n) => FILE.test(n)).sort();
}

/** Where an appended line landed, so an index can find it again. */
export interface LineLocation {
  file: string;
  offset: number;
  length: number;
}

interface Pending {
  /** The line as written: its JSON and a newline. */
  text: string;
  /** Its length in UTF-8 bytes. */
  bytes: number;
  durable: boolean;
  resolve: (location: LineLocation) => void;
  reject: (error: Error) => void;
}

export class HistoryWriteError extends Error {}

export class HistoryWriter {
  private queue: Pending[] = [];
  private flushing = false;
  /** Durable lines written, waiting for an fsync that starts after their write. */
  private unsynced: Array<{ pending: Pending; at: LineLocation }> = [];
  private syncing: Promise<void> | undefined;
  private closed = false;

  private constructor(
    readonly dir: string,
    private handle: FileHandle,
    private file: string,
    private size: number,
    private sequence: number,
    private readonly maxFileBytes: number,
  ) {}

  static async open(dir: string, options: { maxFileBytes?: number } = {}): Promise<HistoryWriter> {
    try {
      await mkdir(dir, { recursive: true });
      const files = await listHistoryFiles(dir);
      const last = files.at(-1);
      const sequence = last ? Number(FILE.exec(last)![1]) : 1;
      const file = last ?? historyFileName(1);
      const size = await repairTornTail(dir, file);
      const handle = await open(join(dir, file), 'a');
      return new HistoryWriter(dir, handle, file, size, sequence, options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES);
    } catch (error) {
      throw new HistoryWriteError(
        `Cannot open the history folder ${dir} (${(error as Error).message}); set HEARTBEAT_HISTORY_DIR to a writable folder.`,
      );
    }
  }

  append(line: LogLine, durable: boolean): Promise<LineLocation> {
    if (this.closed) return Promise.reject(new HistoryWriteError('The history log is closed.'));
    return new Promise((resolve, reject) => {
      const text = JSON.stringify(line) + '\n';
      this.queue.push({ text, bytes: Buffer.byteLength(text, 'utf8'), durable, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        // Lines appended in this turn of the event loop go out in one write.
        setImmediate(() => void this.flush());
      }
    });
  }

  private failure(error: unknown): HistoryWriteError {
    return new HistoryWriteError(
      `Cannot write the history log in ${this.dir} (${(error as Error).message}); free disk space or set HEARTBEAT_HISTORY_DIR.`,
    );
  }

  /**
   * Writes what is queued. The write itself is synchronous: appending a few kilobytes to the page
   * cache takes microseconds, while a write through the thread pool costs several times that in
   * hand-offs between threads, once or twice per send in a replay. Only fsyncs (which wait for the
   * disk) and rotation go through the thread pool.
   */
  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      let from = 0;
      try {
        // Cut the batch where the current file would pass its size limit, rotating between the pieces.
        while (from < batch.length) {
          if (this.size >= this.maxFileBytes) await this.rotate();
          let to = from;
          let bytes = 0;
          while (to < batch.length && (to === from || this.size + bytes + batch[to]!.bytes <= this.maxFileBytes))
            bytes += batch[to++]!.bytes;
          let text = '';
          for (let i = from; i < to; i++) text += batch[i]!.text;
          const buffer = Buffer.from(text, 'utf8');
          const start = this.size;
          // One write per piece: an O_APPEND write of whole lines, so lines never interleave.
          for (let written = 0; written < buffer.length;) written += writeSync(this.handle.fd, buffer, written, buffer.length - written);
          this.size += buffer.length;
          let offset = start;
          let durable = false;
          for (let i = from; i < to; i++) {
            const pending = batch[i]!;
            const at = { file: this.file, offset, length: pending.bytes - 1 };
            if (pending.durable) {
              this.unsynced.push({ pending, at });
              durable = true;
            } else pending.resolve(at);
            offset += pending.bytes;
          }
          if (durable) this.syncing ??= this.sync();
          from = to;
        }
      } catch (error) {
        const failure = this.failure(error);
        for (let i = from; i < batch.length; i++) batch[i]!.reject(failure);
      }
    }
    this.flushing = false;
  }

  /** fsyncs until no durable line waits: each fsync covers every line written before it started. */
  private async sync(): Promise<void> {
    while (this.unsynced.length > 0) {
      const covered = this.unsynced;
      this.unsynced = [];
      try {
        await this.handle.datasync();
        for (const { pending, at } of covered) pending.resolve(at);
      } catch (error) {
        const failure = this.failure(error);
        for (const { pending } of covered) pending.reject(failure);
      }
    }
    this.syncing = undefined;
  }

  private async rotate(): Promise<void> {
    // The lines written to this file are made durable through its handle before it closes.
    while (this.syncing) await this.syncing;
    await this.handle.close();
    this.sequence += 1;
    this.file = historyFileName(this.sequence);
    this.handle = await open(join(this.dir, this.file), 'a');
    this.size = 0;
  }

  /** Waits for queued lines (written, and fsynced where asked), then closes the file. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.flushing || this.queue.length > 0 || this.syncing) {
      if (this.syncing) await this.syncing;
      else await new Promise((r) => setTimeout(r, 1));
    }
    await this.handle.close();
  }
}

/** Cuts a torn last line off `file` (keeping it in torn-lines.txt); returns the resulting size. */
async function repairTornTail(dir: string, file: string): Promise<number> {
  const path = join(dir, file);
  let handle: FileHandle;
  try {
    handle = await open(path, 'r+');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  try {
    const { size } = await handle.stat();
    if (size === 0) return 0;
    // Look back for the last newline in bounded steps.
    const step = 64 * 1024;
    let end = size;
    let lastNewline = -1;
    while (end > 0 && lastNewline < 0) {
      const start = Math.max(0, end - step);
      const chunk = Buffer.alloc(end - start);
      await handle.read(chunk, 0, chunk.length, start);
      const at = chunk.lastIndexOf(0x0a);
      if (at >= 0) lastNewline = start + at;
      end = start;
    }
    const keep = lastNewline + 1;
    if (keep === size) return size;
    const torn = Buffer.alloc(size - keep);
    await handle.read(torn, 0, torn.length, keep);
    await appendFile(
      join(dir, TORN_FILE),
      Buffer.concat([Buffer.from(`${new Date().toISOString()} ${file}@${keep}: `), torn, Buffer.from('\n')]),
    );
    await handle.truncate(keep);
    await handle.datasync();
    return keep;
  } finally {
    await handle.close();
  }
}
