/** Reading the CLI's inputs: a file path or `-` for standard input, as UTF-8 text. */
import { readFile } from 'node:fs/promises';
import { CliError } from './cli-error.ts';

export interface Input {
  /** What to call the input in messages: the path, or "standard input". */
  name: string;
  text: string;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

export async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Reads FILE, or standard input for `-` or no file. Fails with one sentence when unreadable or not UTF-8. */
export async function readInput(file: string | undefined): Promise<Input> {
  const fromStdin = file === undefined || file === '-';
  const name = fromStdin ? 'standard input' : file;
  let bytes: Buffer;
  try {
    if (fromStdin && process.stdin.isTTY) throw new CliError('No input: give a FILE, or pipe a document into standard input.');
    bytes = fromStdin ? await readStdin() : await readFile(file);
  } catch (error) {
    if (error instanceof CliError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'it does not exist' : code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new CliError(`Cannot read ${name}: ${why}.`);
  }
  try {
    return { name, text: decoder.decode(bytes) };
  } catch {
    const at = firstInvalidUtf8(bytes);
    throw new CliError(`Cannot read ${name}: it is not UTF-8 text (invalid byte at offset ${at}).`);
  }
}

function firstInvalidUtf8(bytes: Buffer): number {
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
