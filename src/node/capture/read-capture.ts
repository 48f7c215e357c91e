/**
 * Captures from files (docs/captures.md): each file — or `-` for standard input, a pipe, a FIFO — is read
 * once as a stream, decoded as UTF-8 (bytes that are not UTF-8 read as U+FFFD), its format detected from
 * its name and first 64 KB unless given, and fed chunk by chunk to the capture reader, so records come out
 * as the file is read, in bounded memory (one line, one HAR entry, or one cli-input document at a time).
 */
import { createCaptureReader } from '../../common/capture/reader.ts';
import { DETECT_HEAD_CHARS, detectCaptureFormat } from '../../common/capture/detect.ts';
import type { CaptureFormat, CaptureRecord, FormatGuess } from '../../common/capture/types.ts';
import type { Operation } from '../../common/model/index.ts';
import { inputName, openInputStream, PayloadSourceError, unreadableBecause, type ReadPosition } from '../engine/payloads.ts';

/** A record of a capture, with the file it came from. */
export type CaptureFileRecord = CaptureRecord & {
  /** The path as given (`-` for standard input). */
  file: string;
  /** What messages call it: the path, or "stdin". */
  name: string;
};

export interface ReadCaptureOptions {
  /** Read every file as this format; default: detected per file. */
  format?: CaptureFormat;
  /** The operation of bare payloads (NDJSON lines, cli-input documents); default SendHeartbeat. */
  operation?: Operation;
  /** Told each file's format before its records: the guess and why when it was detected, none when given. */
  onFormat?: (file: string, format: CaptureFormat, guess?: FormatGuess) => void;
  /** Moved on as bytes are read, over all the files (for a progress bar). */
  position?: ReadPosition;
  /** "Now" (epoch ms) for relative timestamps; default the clock. */
  now?: number;
}

/**
 * The records of every file in turn. A file that cannot be opened or read ends the reading with a
 * PayloadSourceError ("Cannot read FILE: it does not exist."), as `heartbeat replay` has always done;
 * anything wrong inside a file is a problem record and the rest is read on.
 */
export async function* readCaptureFiles(files: string[], options: ReadCaptureOptions = {}): AsyncGenerator<CaptureFileRecord> {
  const position = options.position ?? { bytes: 0 };
  for (const file of files) {
    const name = inputName(file);
    const decoder = new TextDecoder('utf-8');
    let reader: ReturnType<typeof createCaptureReader> | undefined;
    let head = '';
    const start = (): ReturnType<typeof createCaptureReader> => {
      let format = options.format;
      let guess: FormatGuess | undefined;
      if (format === undefined) {
        guess = detectCaptureFormat(head, file === '-' ? '' : file);
        format = guess.format;
      }
      options.onFormat?.(file, format, guess);
      return createCaptureReader(format, {
        name,
        ...(options.operation ? { operation: options.operation } : {}),
        ...(options.now !== undefined ? { now: options.now } : {}),
      });
    };
    const tag = (records: CaptureRecord[]): CaptureFileRecord[] => records.map((r) => Object.assign(r, { file, name }));
    try {
      for await (const chunk of openInputStream(file)) {
        position.bytes += chunk.length;
        const text = decoder.decode(chunk, { stream: true });
        if (reader) {
          yield* tag(reader.push(text));
          continue;
        }
        head += text;
        if (head.length < DETECT_HEAD_CHARS) continue;
        reader = start();
        const first = head;
        head = '';
        yield* tag(reader.push(first));
      }
    } catch (error) {
      throw new PayloadSourceError(`Cannot read ${name}: ${unreadableBecause(error)}.`);
    }
    const rest = decoder.decode();
    if (!reader) {
      head += rest;
      reader = start();
      yield* tag(reader.push(head));
    } else if (rest) yield* tag(reader.push(rest));
    yield* tag(reader.end());
  }
}
