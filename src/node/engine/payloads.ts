/**
 * What `replay` reads: history exports (request lines; outcome lines are skipped), the endpoint's
 * capture (exchange lines), NDJSON payload files, or one JSON payload per file. Every input is read
 * once, as a stream — a file, `-` for standard input, a pipe, a FIFO, /dev/stdin, `<(…)` — line by
 * line, in bounded memory: one line (or one multi-line JSON document) of at most MAX_LINE_BYTES is
 * held at a time, whatever the size of the input.
 */
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { isatty } from 'node:tty';
import { asLogLine, isRunLine } from '../../common/log/entry.ts';
import { isOperation, type Operation } from '../../common/model/index.ts';
import { AppError } from '../../common/errors.ts';

/** The longest line, and the largest multi-line JSON document, an input may hold: 16 MiB. */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;

export interface ReplayItem {
  operation: Operation;
  /** The payload's JSON text. */
  body: string;
  /** file:line, for messages. */
  source: string;
}

export interface ReplayProblem {
  problem: string;
  source: string;
}

export class PayloadSourceError extends AppError {
  constructor(message: string) {
    super('BAD_INPUT', message);
  }
}

/** What to call an input in messages: its path, or "stdin" for `-`. */
export function inputName(file: string): string {
  return file === '-' ? 'stdin' : file;
}

/** One line of an input: its text, or why it could not be read (too long, not UTF-8). */
export interface Line {
  /** 1-based. */
  number: number;
  /** Without its line break (\n or \r\n). */
  text?: string;
  problem?: string;
  /** Bytes of the input through the end of this line, its line break included. */
  end: number;
}

/**
 * Splits a byte stream into lines without ever holding more than one line (at most `maxBytes`; a
 * longer one is counted and skipped, and reported as a problem). Each line is decoded as UTF-8 on its own.
 */
export async function* splitLines(chunks: AsyncIterable<Buffer | string>, maxBytes: number = MAX_LINE_BYTES): AsyncGenerator<Line> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let parts: Buffer[] = [];
  let length = 0;
  let tooLong = false;
  let number = 0;
  let end = 0;
  const line = (): Line => {
    number++;
    if (tooLong) return { number, problem: `the line is longer than ${maxBytes} bytes (${length})`, end };
    let bytes = parts.length === 1 ? parts[0]! : Buffer.concat(parts, length);
    if (bytes.length > 0 && bytes[bytes.length - 1] === 13) bytes = bytes.subarray(0, bytes.length - 1);
    try {
      return { number, text: decoder.decode(bytes), end };
    } catch {
      return { number, problem: 'the line is not UTF-8 text', end };
    }
  };
  for await (const raw of chunks) {
    const chunk = typeof raw === 'string' ? Buffer.from(raw) : raw;
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(10, start);
      const stop = newline === -1 ? chunk.length : newline;
      if (!tooLong) {
        if (length + stop - start > maxBytes) {
          tooLong = true;
          parts = [];
        } else if (stop > start) parts.push(chunk.subarray(start, stop));
      }
      length += stop - start;
      if (newline === -1) break;
      end += length + 1;
      yield line();
      parts = [];
      length = 0;
      tooLong = false;
      start = newline + 1;
    }
  }
  if (length > 0) {
    end += length;
    yield line();
  }
}

/**
 * Standard input as a byte stream. Read with fs reads on descriptor 0 rather than through
 * process.stdin: on a pipe or socket, process.stdin (a net.Socket) peaked at about twice the memory
 * under a slow consumer. (So nothing here touches process.stdin, whose creation makes the descriptor
 * non-blocking.) A non-blocking descriptor (EAGAIN) falls back to process.stdin; nothing is lost, as
 * the failed read read nothing.
 */
async function* stdinChunks(): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of createReadStream('', { fd: 0, autoClose: false })) yield chunk as Buffer;
    return;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EAGAIN' && code !== 'EWOULDBLOCK') throw error;
  }
  for await (const chunk of process.stdin) yield chunk as Buffer;
}

/** An input as a byte stream: standard input for `-`, else the file (or pipe, FIFO, device) at the path. */
export function openInputStream(file: string): AsyncIterable<Buffer> {
  return file === '-' ? stdinChunks() : createReadStream(file);
}

/** Why a file cannot be read, as the end of a sentence. */
export function unreadableBecause(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'it does not exist';
  if (code === 'EISDIR') return 'it is a folder';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return ((error as Error).message ?? String(error)).replace(/\.$/, '');
}

/** True when the start of a file cannot be text: a NUL byte, or bytes that are not UTF-8. */
export function looksBinary(head: Buffer): boolean {
  if (head.includes(0)) return true;
  try {
    // stream: an incomplete sequence cut off at the end of the sample is not an error.
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return false;
  } catch {
    return true;
  }
}

/**
 * Checks every input before anything is sent, so a mistyped path fails at once with one sentence
 * (and before the target's credentials are looked up): it exists, is not a folder, can be opened, and
 * (for a regular file) starts like text. `-` may be given once, and not from a terminal. Empty files
 * only are nothing to replay.
 */
export async function checkInputs(files: string[], stdinIsTerminal: boolean = isatty(0)): Promise<void> {
  let emptyFiles = 0;
  if (files.filter((f) => f === '-').length > 1) throw new PayloadSourceError('Standard input (-) can be read only once; give it once.');
  for (const file of files) {
    if (file === '-') {
      if (stdinIsTerminal)
        throw new PayloadSourceError('No input on stdin: pipe the payloads in (… | heartbeat replay -), or give a FILE.');
      continue;
    }
    if (file === '') throw new PayloadSourceError('An input FILE is an empty string; give a path, or - for standard input.');
    let info;
    try {
      info = await stat(file);
    } catch (error) {
      throw new PayloadSourceError(`Cannot read ${file}: ${unreadableBecause(error)}.`);
    }
    if (info.isDirectory()) throw new PayloadSourceError(`Cannot read ${file}: it is a folder; give the files in it.`);
    // Opening a FIFO waits for its writer, and reading one would take what replay is to read: check regular files only.
    if (!info.isFile()) continue;
    if (info.size === 0) {
      emptyFiles++;
      continue;
    }
    let head: Buffer;
    try {
      const handle = await open(file, 'r');
      try {
        const buffer = Buffer.alloc(Math.min(8192, info.size));
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
        head = buffer.subarray(0, bytesRead);
      } finally {
        await handle.close();
      }
    } catch (error) {
      throw new PayloadSourceError(`Cannot read ${file}: ${unreadableBecause(error)}.`);
    }
    if (looksBinary(head))
      throw new PayloadSourceError(`Cannot read ${file}: it is not text (a binary file?); replay reads JSON lines or one JSON document.`);
  }
  if (emptyFiles === files.length)
    throw new PayloadSourceError(`Nothing to replay: ${files.length === 1 ? `${files[0]} is` : 'the files are'} empty.`);
}

/** How far a reader has got, in bytes of all its files together (for a progress bar). */
export interface ReadPosition {
  bytes: number;
}

/** The total size of the files when all are regular files (not a pipe or a device), else undefined. */
export async function totalBytes(files: string[]): Promise<number | undefined> {
  let total = 0;
  for (const file of files) {
    if (file === '-') return undefined;
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) return undefined;
    total += info.size;
  }
  return total;
}

/** One line of an NDJSON, history export or capture file: a payload, a problem, or nothing to send. */
function lineItem(line: Line, name: string, operation: Operation): ReplayItem | ReplayProblem | undefined {
  const source = `${name}:${line.number}`;
  if (line.text === undefined) return { problem: line.problem ?? 'the line cannot be read', source };
  if (!line.text.trim()) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(line.text);
  } catch {
    return { problem: 'the line is not JSON (a torn or foreign line)', source };
  }
  // A fleet run's summary in a history export is no request: skipped silently, like an outcome line.
  if (isRunLine(value)) return undefined;
  const logged = asLogLine(value);
  if (logged?.type === 'outcome') return undefined;
  if (logged) {
    if (!isOperation(logged.operation)) return { problem: `the captured request was for an unknown operation`, source };
    return { operation: logged.operation, body: logged.request.body, source };
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { problem: 'the line is not a JSON object', source };
  // A fleet run log or `fleet run --dry-run` line: {"operation", "body", …} (a payload has neither member).
  const planned = value as { operation?: unknown; body?: unknown };
  if (
    typeof planned.operation === 'string' &&
    isOperation(planned.operation) &&
    planned.body &&
    typeof planned.body === 'object' &&
    !Array.isArray(planned.body)
  )
    return { operation: planned.operation, body: JSON.stringify(planned.body), source };
  return { operation, body: line.text, source };
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

export async function* readPayloads(
  files: string[],
  operation: Operation = 'SendHeartbeat',
  position: ReadPosition = { bytes: 0 },
): AsyncGenerator<ReplayItem | ReplayProblem> {
  for (const file of files) {
    const name = inputName(file);
    const fileStart = position.bytes;
    // A file whose first line starts a JSON object but is not one is read as one multi-line document
    // (a pretty-printed payload): its lines are gathered, up to MAX_LINE_BYTES, then parsed together.
    let mode: 'start' | 'gather' | 'lines' = 'start';
    let gathered: Line[] = [];
    let gatheredBytes = 0;
    const flush = function* (): Generator<ReplayItem | ReplayProblem> {
      for (const held of gathered) {
        const item = lineItem(held, name, operation);
        if (item) yield item;
      }
      gathered = [];
      mode = 'lines';
    };
    try {
      for await (const line of splitLines(openInputStream(file))) {
        position.bytes = fileStart + line.end;
        if (mode === 'start') {
          if (line.text !== undefined && !line.text.trim()) continue;
          if (line.text !== undefined && line.text.trimStart().startsWith('{') && !parses(line.text)) {
            mode = 'gather';
            gathered = [line];
            gatheredBytes = line.text.length;
            continue;
          }
          mode = 'lines';
        } else if (mode === 'gather') {
          gathered.push(line);
          gatheredBytes += (line.text?.length ?? 0) + 1;
          // An unindented line that is a whole JSON object is an NDJSON line (the first was torn), not
          // the inside of a pretty-printed document: stop gathering at once.
          if (line.text === undefined || gatheredBytes > MAX_LINE_BYTES || (line.text.startsWith('{') && parses(line.text))) yield* flush();
          continue;
        }
        const item = lineItem(line, name, operation);
        if (item) yield item;
      }
    } catch (error) {
      throw new PayloadSourceError(`Cannot read ${name}: ${unreadableBecause(error)}.`);
    }
    if (mode === 'gather') {
      const text = gathered.map((l) => l.text).join('\n');
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        value = undefined;
      }
      if (value && typeof value === 'object' && !Array.isArray(value) && asLogLine(value) === undefined)
        yield { operation, body: text, source: `${name}:${gathered[0]!.number}` };
      else yield* flush();
    }
  }
}
