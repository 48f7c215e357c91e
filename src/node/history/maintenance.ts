/**
 * Compaction: merges the history's finished files into few, leaving out forgotten entries (clear, prune,
 * retention), malformed lines, torn tails and duplicates. docs/history.md argues why it is safe while
 * other processes write:
 *
 * - It reads and removes only finished files: a file whose writer process is gone, an old-style or
 *   compacted file, or a file of this process that its writer has finished. A file another live process
 *   may append to is never touched (its forgotten entries stay hidden by forget lines until then).
 * - New files are written under a temporary name, fsynced and renamed into place before the sources are
 *   removed: a crash in between leaves duplicates, which readers and the next compaction skip by id.
 * - One compaction at a time per folder (compact.lock, taken with O_EXCL; a lock whose holder is gone is
 *   broken).
 */
import { createReadStream, fsyncSync, openSync, closeSync, writeSync } from 'node:fs';
import { open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { checkHistoryLine, type HistoryLine } from '../../common/log/entry.ts';
import { writerAlive } from './history-index.ts';
import { DEFAULT_MAX_FILE_BYTES, listHistoryFiles, newHistoryFileName, openWriterFiles, writerPid } from './log-file.ts';

const LOCK = 'compact.lock';
const STALE_LOCK_MS = 10 * 60_000;
const MAX_LINE_BYTES = 64 * 1024 * 1024;

export interface CompactResult {
  /** Files read and removed. */
  filesIn: number;
  /** Files written. */
  filesOut: number;
  /** Lines left out (forgotten, malformed, torn, duplicate). */
  dropped: number;
}

/** True when nobody appends to `file` any more. */
function finished(dir: string, file: string): boolean {
  if (writerPid(file) === process.pid) return !openWriterFiles.has(join(dir, file));
  return !writerAlive(file);
}

/** The complete lines of a file, parsed and checked (undefined for a bad one); a torn tail is not yielded. */
async function* linesOf(path: string): AsyncGenerator<{ text: string; line: HistoryLine | undefined }> {
  let rest: Buffer = Buffer.alloc(0);
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    const buffer = rest.length ? Buffer.concat([rest, chunk as Buffer]) : (chunk as Buffer);
    let start = 0;
    for (let nl = buffer.indexOf(0x0a, start); nl >= 0; nl = buffer.indexOf(0x0a, start)) {
      if (nl > start) {
        const text = buffer.toString('utf8', start, nl);
        let line: HistoryLine | undefined;
        try {
          const checked = checkHistoryLine(JSON.parse(text));
          line = 'line' in checked ? checked.line : undefined;
        } catch {
          line = undefined;
        }
        yield { text, line };
      }
      start = nl + 1;
    }
    rest = Buffer.from(buffer.subarray(start));
    if (rest.length > MAX_LINE_BYTES) rest = Buffer.alloc(0); // an absurd line: left out
  }
}

async function takeLock(dir: string): Promise<boolean> {
  const path = join(dir, LOCK);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    // Held: break it only when its holder is gone or it is very old.
    try {
      const pid = Number(await readFile(path, 'utf8'));
      const age = Date.now() - (await stat(path)).mtimeMs;
      let alive = Number.isInteger(pid) && pid > 0;
      if (alive && pid !== process.pid) {
        try {
          process.kill(pid, 0);
        } catch (error) {
          alive = (error as NodeJS.ErrnoException).code === 'EPERM';
        }
      }
      if (alive && age < STALE_LOCK_MS) return false;
      await unlink(path);
    } catch {
      // it went away meanwhile: try again
    }
  }
  return false;
}

function syncDir(dir: string): void {
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Compacts the finished files of `dir`. Does nothing (and returns undefined) when another process is
 * compacting, or when there is nothing to leave out and fewer than two small finished files.
 */
export async function compact(dir: string, options: { maxFileBytes?: number } = {}): Promise<CompactResult | undefined> {
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  if (!(await takeLock(dir))) return undefined;
  try {
    const files = await listHistoryFiles(dir);
    const closed = files.filter((f) => finished(dir, f));
    if (closed.length === 0) return undefined;
    // Pass 1: what is forgotten, and which ids live files still hold (their forget lines must stay).
    const forgotten = new Set<string>();
    const liveIds = new Set<string>();
    let droppable = 0;
    const closedSet = new Set(closed);
    for (const file of files) {
      const isClosed = closedSet.has(file);
      for await (const { line } of linesOf(join(dir, file))) {
        if (!line) {
          if (isClosed) droppable++;
          continue;
        }
        if (line.type === 'forget') for (const id of line.ids) forgotten.add(id);
        else if (!isClosed) liveIds.add(line.id);
      }
    }
    const sizes = await Promise.all(closed.map(async (f) => (await stat(join(dir, f))).size));
    const smallCount = sizes.filter((s) => s < maxFileBytes / 2).length;
    if (forgotten.size === 0 && droppable === 0 && smallCount < 2) return undefined;

    // Pass 2: write what survives into new files, then swap them in.
    const seen = new Set<string>();
    const written: Array<{ tmp: string; firstTimeMs: number }> = [];
    let fd: number | undefined;
    let size = 0;
    let dropped = 0;
    const finishTmp = (): void => {
      if (fd === undefined) return;
      fsyncSync(fd);
      closeSync(fd);
      fd = undefined;
    };
    try {
      for (const file of closed) {
        for await (const { text, line } of linesOf(join(dir, file))) {
          let out = text;
          if (!line) {
            dropped++;
            continue;
          }
          if (line.type === 'forget') {
            const kept = line.ids.filter((id) => liveIds.has(id));
            if (kept.length === 0) {
              dropped++;
              continue;
            }
            if (kept.length < line.ids.length) out = JSON.stringify({ ...line, ids: kept });
          } else if (forgotten.has(line.id)) {
            dropped++;
            continue;
          }
          const key = `${line.type}:${line.id}`;
          if (seen.has(key)) {
            dropped++;
            continue;
          }
          seen.add(key);
          const bytes = Buffer.from(out + '\n', 'utf8');
          if (fd !== undefined && size + bytes.length > maxFileBytes) finishTmp();
          if (fd === undefined) {
            const tmp = join(dir, `.compact-${process.pid}-${written.length}-${Date.now()}.tmp`);
            fd = openSync(tmp, 'wx');
            size = 0;
            written.push({ tmp, firstTimeMs: Date.parse(line.time) || Date.now() });
          }
          for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at, bytes.length - at);
          size += bytes.length;
        }
      }
      finishTmp();
    } catch (error) {
      // A failed compaction (a full disk) leaves the sources as they were.
      if (fd !== undefined) closeSync(fd);
      for (const { tmp } of written) await unlink(tmp).catch(() => undefined);
      throw error;
    }
    for (const { tmp, firstTimeMs } of written) await rename(tmp, join(dir, newHistoryFileName('x', firstTimeMs)));
    syncDir(dir);
    for (const file of closed) await unlink(join(dir, file)).catch(() => undefined);
    syncDir(dir);
    return { filesIn: closed.length, filesOut: written.length, dropped };
  } finally {
    await unlink(join(dir, LOCK)).catch(() => undefined);
  }
}
