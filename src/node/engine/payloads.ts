/**
 * What `replay` reads: history exports (request lines; outcome lines are skipped), the endpoint's
 * capture (exchange lines), NDJSON payload files, or one JSON payload per file. Streamed line by line.
 */
import { createReadStream } from 'node:fs';
import { stat, readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { asLogLine } from '../../common/log/entry.ts';
import { isOperation, type Operation } from '../../common/model/index.ts';

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

export class PayloadSourceError extends Error {}

/** A whole-file JSON document is one payload when the file is small and parses as one object. */
async function singleDocument(file: string): Promise<string | undefined> {
  const { size } = await stat(file);
  if (size > 8 * 1024 * 1024) return undefined;
  const text = await readFile(file, 'utf8');
  if (!text.trimStart().startsWith('{') || !/\n\s*\S/.test(text.trim())) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value) && asLogLine(value) === undefined) return text;
  } catch {
    // not a single document: read it as lines
  }
  return undefined;
}

/** How far a reader has got, in bytes of all its files together (for a progress bar). */
export interface ReadPosition {
  bytes: number;
}

/** The total size of the files when all are regular files (not a pipe or a device), else undefined. */
export async function totalBytes(files: string[]): Promise<number | undefined> {
  let total = 0;
  for (const file of files) {
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) return undefined;
    total += info.size;
  }
  return total;
}

export async function* readPayloads(files: string[], operation: Operation = 'SendHeartbeat', position: ReadPosition = { bytes: 0 }): AsyncGenerator<ReplayItem | ReplayProblem> {
  for (const file of files) {
    let size: number;
    try {
      size = (await stat(file)).size;
    } catch {
      throw new PayloadSourceError(`Cannot read ${file}: it does not exist or is not readable.`);
    }
    const fileStart = position.bytes;
    const whole = await singleDocument(file);
    if (whole !== undefined) {
      position.bytes = fileStart + size;
      yield { operation, body: whole, source: file };
      continue;
    }
    const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
    let number = 0;
    for await (const line of lines) {
      number++;
      position.bytes += Buffer.byteLength(line) + 1;
      if (!line.trim()) continue;
      const source = `${file}:${number}`;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        yield { problem: 'the line is not JSON (a torn or foreign line)', source };
        continue;
      }
      const logged = asLogLine(value);
      if (logged?.type === 'outcome') continue;
      if (logged) {
        if (!isOperation(logged.operation)) yield { problem: `the captured request was for an unknown operation`, source };
        else yield { operation: logged.operation, body: logged.request.body, source };
      } else if (!value || typeof value !== 'object' || Array.isArray(value)) yield { problem: 'the line is not a JSON object', source };
      else yield { operation, body: line, source };
    }
    position.bytes = fileStart + size; // exact at the end of each file, whatever its line endings
  }
}
