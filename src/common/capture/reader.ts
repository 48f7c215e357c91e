/**
 * createCaptureReader: a capture's text in chunks split anywhere (mid-line, mid-character pair) → records
 * (items, problems, skips) as soon as each is complete, in file order, items numbered 0, 1, 2… Pure: it runs in
 * the browser and in Node (docs/captures.md). Never throws on bad input: every broken part is a problem with
 * its line and why, and the rest stays runnable.
 */
import type { Operation } from '../model/index.ts';
import { CommandReader } from './commands.ts';
import { DocumentReader } from './document.ts';
import { HarReader } from './har.ts';
import { JsonLinesReader } from './json-lines.ts';
import { LineSplitter, type TextLine } from './lines.ts';
import type { CaptureFormat, CaptureRecord } from './types.ts';

export interface CaptureReaderOptions {
  /** The file's name, for sources `name:line`. */
  name: string;
  /** The operation of a bare payload (an NDJSON payload line, a cli-input document); default SendHeartbeat. */
  operation?: Operation;
  /** "Now" (epoch milliseconds) for relative timestamps of the aws and cli-input formats; default the clock. */
  now?: number;
}

export interface CaptureReader {
  /** The records `text` completes. */
  push(text: string): CaptureRecord[];
  /** The records held until the end of the text; the reader takes no more text after it. */
  end(): CaptureRecord[];
}

interface LineHandler {
  line(line: TextLine, out: CaptureRecord[]): void;
  end(out: CaptureRecord[]): void;
}

function lineReader(handler: LineHandler): { push(text: string, out: CaptureRecord[]): void; end(out: CaptureRecord[]): void } {
  const splitter = new LineSplitter();
  const lines: TextLine[] = [];
  return {
    push(text, out) {
      lines.length = 0;
      splitter.push(text, lines);
      for (const line of lines) handler.line(line, out);
    },
    end(out) {
      lines.length = 0;
      splitter.end(lines);
      for (const line of lines) handler.line(line, out);
      handler.end(out);
    },
  };
}

export function createCaptureReader(format: CaptureFormat, options: CaptureReaderOptions): CaptureReader {
  const { name, now } = options;
  const operation = options.operation ?? 'SendHeartbeat';
  let inner: { push(text: string, out: CaptureRecord[]): void; end(out: CaptureRecord[]): void };
  switch (format) {
    case 'ndjson':
      inner = lineReader(new JsonLinesReader(name, 'ndjson', operation));
      break;
    case 'history-jsonl':
    case 'endpoint-capture':
      inner = lineReader(new JsonLinesReader(name, 'log', operation));
      break;
    case 'curl':
    case 'aws-cli':
      inner = lineReader(new CommandReader(name, format, operation, now));
      break;
    case 'har': {
      const har = new HarReader(name);
      inner = { push: (text, out) => har.push(text, out), end: (out) => har.end(out) };
      break;
    }
    case 'cli-input-json':
    case 'cli-input-yaml': {
      const doc = new DocumentReader(name, format, operation, now);
      inner = { push: (text) => doc.push(text), end: (out) => doc.end(out) };
      break;
    }
  }
  let index = 0;
  let ended = false;
  const numbered = (records: CaptureRecord[]): CaptureRecord[] => {
    for (const record of records) if ('item' in record) record.item.index = index++;
    return records;
  };
  return {
    push(text) {
      if (ended || !text) return [];
      const out: CaptureRecord[] = [];
      inner.push(text, out);
      return numbered(out);
    },
    end() {
      if (ended) return [];
      ended = true;
      const out: CaptureRecord[] = [];
      inner.end(out);
      return numbered(out);
    },
  };
}

/** Reads a whole text at once (tests, small files). */
export function readCaptureText(format: CaptureFormat, text: string, options: CaptureReaderOptions): CaptureRecord[] {
  const reader = createCaptureReader(format, options);
  return [...reader.push(text), ...reader.end()];
}
