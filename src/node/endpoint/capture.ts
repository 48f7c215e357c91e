/**
 * `--capture FILE.jsonl`: one ExchangeLine (src/common/log/entry.ts) per received request, so captured
 * traffic can be searched and replayed with the same code as the send side's history log.
 *
 * Durability: each line is written synchronously (one write to a file opened O_APPEND) before the
 * request's answer is written, so a request that got an answer is in the file: a kill -9 of the process
 * cannot lose it (the data is in the OS page cache, which outlives the process). What a power loss or an
 * OS crash can lose: the lines the OS had not yet written back to the disk (on Linux typically the last
 * ~30 s), and the last line may be cut short. A graceful stop fsyncs the file.
 *
 * Rotation (`maxBytes`): before a line would take the file past maxBytes, FILE is renamed to FILE.1
 * (`capture.jsonl` → `capture.1.jsonl`), older ones shift to .2, .3 …, and at most `files` rotated files
 * are kept. A line longer than maxBytes goes alone into a fresh file.
 *
 * Write errors (a full disk): one sentence when capture stops, and capture resumes with the next write
 * that succeeds. A line cut short by a failed write is never continued: the next line starts on a
 * fresh line.
 */
import { closeSync, existsSync, fstatSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import type { ExchangeLine } from '../../common/log/entry.ts';

/** fs.writeSync's shape for a whole buffer from an offset: the number of bytes written, or a throw. */
export type WriteFunction = (fd: number, buffer: Buffer, offset: number, length: number) => number;

export interface CaptureOptions {
  /** Rotate before the file would grow past this many bytes. Default: never rotate. */
  maxBytes?: number;
  /** How many rotated files to keep (FILE.1 … FILE.K). Default 4. */
  files?: number;
  /** Told once, in one sentence, when capture stops (a failed write) — default: nothing (see `error`). */
  onProblem?: (sentence: string) => void;
  /** The write used for every line (tests inject failures). Default fs.writeSync. */
  write?: WriteFunction;
}

export const DEFAULT_CAPTURE_FILES = 4;

/** FILE with `.n` before its extension: capture.jsonl → capture.1.jsonl (capture → capture.1). */
export function rotatedName(path: string, n: number): string {
  const ext = extname(path);
  const stem = basename(path, ext);
  return join(dirname(path), `${stem}.${n}${ext}`);
}

const NEWLINE = Buffer.from('\n');

export class CaptureWriter {
  private failure: string | undefined;
  private fd: number | undefined;
  private size: number;
  /** The last write stopped inside a line: the next one starts with a newline. */
  private torn = false;
  /** A rotation failed and was reported; said again only after one succeeded. */
  private rotationFailed = false;
  private readonly maxBytes: number | undefined;
  private readonly files: number;
  private readonly writeBytes: WriteFunction;

  private constructor(
    readonly path: string,
    fd: number,
    private readonly options: CaptureOptions,
  ) {
    this.fd = fd;
    this.size = fstatSync(fd).size;
    this.maxBytes = options.maxBytes;
    this.files = options.files ?? DEFAULT_CAPTURE_FILES;
    this.writeBytes = options.write ?? ((f, b, o, l) => writeSync(f, b, o, l));
  }

  /** Opens FILE for appending; rejects with a sentence when it cannot be opened or the options are wrong. */
  static async open(path: string, options: CaptureOptions = {}): Promise<CaptureWriter> {
    if (options.maxBytes !== undefined && !(Number.isInteger(options.maxBytes) && options.maxBytes > 0))
      throw new Error(`The capture size limit must be a whole number of bytes above 0, not ${options.maxBytes}.`);
    if (options.files !== undefined && !(Number.isInteger(options.files) && options.files >= 0))
      throw new Error(`The number of rotated capture files must be a whole number from 0, not ${options.files}.`);
    let fd: number;
    try {
      fd = openSync(path, 'a');
    } catch (error) {
      throw new Error(
        `Cannot open the capture file ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); check that its folder exists and is writable.`,
        { cause: error },
      );
    }
    return new CaptureWriter(path, fd, options);
  }

  /** Why capture is stopped right now, if it is (cleared when a write succeeds again). */
  get error(): string | undefined {
    return this.failure;
  }

  /** Writes one line now, synchronously: call it before the answer leaves. Never throws. */
  write(line: ExchangeLine): void {
    if (this.fd === undefined) return;
    const text = Buffer.from(`${JSON.stringify(line)}\n`, 'utf8');
    const data = this.torn ? Buffer.concat([NEWLINE, text]) : text;
    if (this.maxBytes !== undefined && this.size > 0 && this.size + data.length > this.maxBytes) this.rotate();
    let written = 0;
    try {
      while (written < data.length) written += this.writeBytes(this.fd, data, written, data.length - written);
    } catch (error) {
      this.size += written;
      // Only a line begun and not finished needs the newline; a torn line stays torn until one succeeds.
      if (written > 0) this.torn = true;
      this.stopped(
        `Writing the capture file ${this.path} failed (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); requests are not captured until a write succeeds again.`,
      );
      return;
    }
    this.size += written;
    this.torn = false;
    this.failure = undefined;
  }

  /** Renames FILE to FILE.1 (shifting the older ones) and starts a new FILE; on failure keeps writing FILE. */
  private rotate(): void {
    try {
      if (this.files > 0) {
        rmSync(rotatedName(this.path, this.files), { force: true });
        for (let n = this.files - 1; n >= 1; n--) {
          const from = rotatedName(this.path, n);
          if (existsSync(from)) renameSync(from, rotatedName(this.path, n + 1));
        }
        renameSync(this.path, rotatedName(this.path, 1));
      } else rmSync(this.path, { force: true });
      const next = openSync(this.path, 'a');
      closeSync(this.fd!);
      this.fd = next;
      this.size = fstatSync(next).size;
      this.torn = false;
      this.rotationFailed = false;
    } catch (error) {
      if (!this.rotationFailed)
        this.options.onProblem?.(
          `Rotating the capture file ${this.path} failed (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); it keeps growing until a rotation succeeds.`,
        );
      this.rotationFailed = true;
    }
  }

  private stopped(sentence: string): void {
    if (this.failure === undefined) this.options.onProblem?.(sentence);
    this.failure = sentence;
  }

  /** Forces what was written to the disk and closes the file. */
  close(): Promise<void> {
    const fd = this.fd;
    if (fd === undefined) return Promise.resolve();
    this.fd = undefined;
    try {
      fsyncSync(fd);
    } catch {
      // Nothing more can be done at close; the lines are in the page cache.
    }
    closeSync(fd);
    return Promise.resolve();
  }
}
