/**
 * Reading the CLI's inputs: a file path (a regular file, a pipe, a FIFO, /dev/stdin, `<(…)`) or `-`
 * for standard input, always as a stream read once. A whole document is read up to
 * MAX_DOCUMENT_BYTES; NDJSON is read line by line (src/node/engine/payloads.ts), in bounded memory.
 */
import { stat } from 'node:fs/promises';
import { isatty } from 'node:tty';
import { MAX_LINE_BYTES, openInputStream, splitLines, unreadableBecause, type Line } from '../node/engine/payloads.ts';
import { isAppError } from '../common/errors.ts';
import { CliError } from './cli-error.ts';

export interface Input {
  /** What to call the input in messages: the path, or "standard input". */
  name: string;
  text: string;
}

/** The largest single JSON document a command reads whole (16 MiB); NDJSON lines have the same limit. */
export const MAX_DOCUMENT_BYTES = MAX_LINE_BYTES;
export const MAX_DOCUMENT_TEXT = '16 MiB';

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Checks FILE (or standard input for `-` or no FILE) can be read; returns the path to stream and its name. */
async function checkInput(file: string | undefined): Promise<{ path: string; name: string }> {
  if (file === undefined || file === '-') {
    // isatty(0), not process.stdin.isTTY: creating process.stdin makes a pipe non-blocking (see openInputStream).
    if (isatty(0)) throw new CliError('No input: give a FILE, or pipe a document into standard input.');
    return { path: '-', name: 'standard input' };
  }
  if (file === '') throw new CliError('The FILE is an empty string; give a path, or - for standard input.');
  let info;
  try {
    info = await stat(file);
  } catch (error) {
    throw new CliError(`Cannot read ${file}: ${unreadableBecause(error)}.`);
  }
  if (info.isDirectory()) throw new CliError(`Cannot read ${file}: it is a folder.`);
  return { path: file, name: file };
}

/**
 * Reads FILE, or standard input for `-` or no file, whole: at most MAX_DOCUMENT_BYTES (`tooLarge` says
 * what to do instead). Fails with one sentence when unreadable, too large, not UTF-8, or empty (only
 * white space) unless `emptyAllowed`.
 */
export async function readInput(
  file: string | undefined,
  tooLarge = 'a single document may be at most that large',
  options: { emptyAllowed?: boolean } = {},
): Promise<Input> {
  const { path, name } = await checkInput(file);
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of openInputStream(path)) {
      size += chunk.length;
      if (size > MAX_DOCUMENT_BYTES) throw new CliError(`${name} is larger than ${MAX_DOCUMENT_TEXT}; ${tooLarge}.`);
      chunks.push(chunk);
    }
  } catch (error) {
    if (isAppError(error)) throw error;
    throw new CliError(`Cannot read ${name}: ${unreadableBecause(error)}.`);
  }
  const bytes = Buffer.concat(chunks, size);
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    throw new CliError(`Cannot read ${name}: it is not UTF-8 text (invalid byte at offset ${at}).`);
  }
  if (!options.emptyAllowed && text.trim() === '') throw new CliError(`Cannot read ${name}: it is empty.`);
  return { name, text };
}

/** FILE (or standard input) line by line, each line at most MAX_DOCUMENT_BYTES; one line held at a time. */
export async function readInputLines(file: string | undefined): Promise<{ name: string; lines: AsyncGenerator<Line> }> {
  const { path, name } = await checkInput(file);
  const lines = async function* (): AsyncGenerator<Line> {
    try {
      yield* splitLines(openInputStream(path), MAX_DOCUMENT_BYTES);
    } catch (error) {
      throw new CliError(`Cannot read ${name}: ${unreadableBecause(error)}.`);
    }
  };
  return { name, lines: lines() };
}

/** The offset of the first byte of BYTES that is not UTF-8 (the start of its sequence). */
export function firstInvalidUtf8(bytes: Buffer): number {
  let lo = 0;
  let hi = bytes.length;
  // The shortest invalid prefix, by bisection (decoding is all-or-nothing).
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, mid + 1), { stream: true });
      lo = mid + 1;
    } catch {
      hi = mid;
    }
  }
  // lo is the byte where decoding broke; report the start of the sequence it belongs to.
  let start = lo;
  while (start > 0 && lo - start < 3 && (bytes[start - 1] & 0xc0) === 0x80) start--;
  if (start > 0 && lo - start < 3 && bytes[start - 1] >= 0xc0) start--;
  return start;
}
