/**
 * The append-only history files: history-000001.jsonl, history-000002.jsonl, ... (rotated by size).
 *
 * Appends are group-committed: lines that arrive while a write is in flight go out together in one
 * write and one fsync, so a 32-wide replay does not pay 32 fsyncs per round. On open, a torn last line
 * (a crash mid-write) is moved to torn-lines.txt and cut off, so the next entry starts on its own line.
 */
import { mkdir, open, readdir, appendFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { LogLine } from '../../common/log/entry.ts';

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
  line: LogLine;
  text: Buffer;
  durable: boolean;
  resolve: (location: LineLocation) => void;
  reject: (error: Error) => void;
}

export class HistoryWriteError extends Error {}

export class HistoryWriter {
  private queue: Pending[] = [];
  private flushing = false;
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
      throw new HistoryWriteError(`Cannot open the history folder ${dir} (${(error as Error).message}); set HEARTBEAT_HISTORY_DIR to a writable folder.`);
    }
  }

  append(line: LogLine, durable: boolean): Promise<LineLocation> {
    if (this.closed) return Promise.reject(new HistoryWriteError('The history log is closed.'));
    return new Promise((resolve, reject) => {
      this.queue.push({ line, text: Buffer.from(JSON.stringify(line) + '\n', 'utf8'), durable, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      try {
        // Cut the batch where the current file would pass its size limit, rotating between the pieces.
        let from = 0;
        while (from < batch.length) {
          if (this.size >= this.maxFileBytes) await this.rotate();
          let to = from;
          let bytes = 0;
          while (to < batch.length && (to === from || this.size + bytes + batch[to]!.text.length <= this.maxFileBytes)) bytes += batch[to++]!.text.length;
          const piece = batch.slice(from, to);
          const buffer = Buffer.concat(piece.map((p) => p.text));
          const start = this.size;
          // One write per piece: an O_APPEND write of whole lines, so lines never interleave.
          await this.handle.write(buffer, 0, buffer.length);
          this.size += buffer.length;
          if (piece.some((p) => p.durable)) await this.handle.datasync();
          let offset = start;
          for (const pending of piece) {
            pending.resolve({ file: this.file, offset, length: pending.text.length - 1 });
            offset += pending.text.length;
          }
          from = to;
        }
      } catch (error) {
        const failure = new HistoryWriteError(`Cannot write the history log in ${this.dir} (${(error as Error).message}); free disk space or set HEARTBEAT_HISTORY_DIR.`);
        for (const pending of batch) pending.reject(failure);
      }
    }
    this.flushing = false;
  }

  private async rotate(): Promise<void> {
    await this.handle.close();
    this.sequence += 1;
    this.file = historyFileName(this.sequence);
    this.handle = await open(join(this.dir, this.file), 'a');
    this.size = 0;
  }

  /** Waits for queued lines, then closes the file. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.flushing || this.queue.length > 0) await new Promise((r) => setTimeout(r, 1));
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
    await appendFile(join(dir, TORN_FILE), Buffer.concat([Buffer.from(`${new Date().toISOString()} ${file}@${keep}: `), torn, Buffer.from('\n')]));
    await handle.truncate(keep);
    await handle.datasync();
    return keep;
  } finally {
    await handle.close();
  }
}
