/**
 * Which format a capture is in (docs/captures.md#detection), from its first ~64 KB and its file name: what
 * the text says decides when it is unambiguous (a HAR's `{"log":`, a history or capture line, a curl or
 * aws command); the name settles the rest (one JSON line: .ndjson/.jsonl vs .json; .yaml/.yml).
 */
import { isOperation } from '../model/index.ts';
import type { CaptureFormat, FormatGuess } from './types.ts';

/** How much of the start of a file detection looks at. */
export const DETECT_HEAD_CHARS = 64 * 1024;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function parseObject(text: string): Record<string, unknown> | undefined {
  if (!text.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

const LOG_TYPES: Record<string, string> = {
  request: 'a request line',
  outcome: 'an outcome line',
  run: 'a fleet run line',
  forget: 'a forget line',
};

/** What one JSON-object line is, as a format and the words for it; undefined for a plain payload. */
function lineKind(value: Record<string, unknown>): { format: CaptureFormat; what: string } | undefined {
  if (value.v === 1 && typeof value.type === 'string') {
    if (value.type === 'exchange') return { format: 'endpoint-capture', what: "an exchange line of the endpoint's capture" };
    const what = LOG_TYPES[value.type];
    if (what) return { format: 'history-jsonl', what: `${what} of a history export` };
  }
  if (typeof value.operation === 'string' && isOperation(value.operation) && isObject(value.body))
    return {
      format: 'ndjson',
      what: `an {operation, body} line of a ${'status' in value ? 'fleet run log' : 'fleet dry run'}`,
    };
  return undefined;
}

const COMMAND = /^(?:\$\s+)?(?:[A-Za-z_][A-Za-z0-9_]*=\S*\s+)*(?:\S*\/)?(curl|aws)(?:\s|$)/;

export function detectCaptureFormat(head: string, fileName = ''): FormatGuess {
  const name = fileName.toLowerCase();
  const ext = /\.([a-z0-9]+)$/.exec(name)?.[1] ?? '';
  const text = head.replace(/^\uFEFF/, '');
  const start = text.trimStart();
  const byName = (): FormatGuess | undefined => {
    const said = `the file name ends in .${ext}`;
    if (ext === 'har') return { format: 'har', reason: said };
    if (ext === 'ndjson' || ext === 'jsonl') return { format: 'ndjson', reason: said };
    if (ext === 'yaml' || ext === 'yml') return { format: 'cli-input-yaml', reason: said };
    if (ext === 'json') return { format: 'cli-input-json', reason: said };
    if (ext === 'curl') return { format: 'curl', reason: said };
    return undefined;
  };

  if (/^\{\s*"log"\s*:/.test(start)) return { format: 'har', reason: 'the text starts with {"log": (a HAR document)' };
  if (!start) return byName() ?? { format: 'ndjson', reason: 'the file is empty' };

  // The text's lines; the last is torn when the head was cut (it fills the whole sample).
  const lines = text.split('\n');
  const torn = head.length >= DETECT_HEAD_CHARS && lines.length > 1 ? lines.pop()! : '';
  const nonBlank: { at: number; text: string }[] = [];
  for (let i = 0; i < lines.length && nonBlank.length < 50; i++) {
    const line = lines[i]!.trim();
    if (line) nonBlank.push({ at: i + 1, text: line });
  }
  const first = nonBlank[0]!;
  const firstObject = parseObject(first.text);

  if (firstObject) {
    const kind = lineKind(firstObject);
    if (kind) return { format: kind.format, reason: `the first line is ${kind.what}` };
    if (nonBlank.length > 1 || torn.trim())
      return { format: 'ndjson', reason: 'the first line is a JSON object and more lines follow (NDJSON: one payload per line)' };
    if (ext === 'ndjson' || ext === 'jsonl') return byName()!;
    if (ext === 'har') return byName()!;
    return { format: 'cli-input-json', reason: 'the text is one JSON document on one line' };
  }

  const command = COMMAND.exec(nonBlank.find((l) => !l.text.startsWith('#'))?.text ?? '');
  if (command)
    return command[1] === 'curl'
      ? { format: 'curl', reason: 'the text starts with a curl command' }
      : { format: 'aws-cli', reason: 'the text starts with an aws command line' };

  if (ext === 'har') return byName()!;

  // A torn or foreign first line of a JSON-lines file: the next line that is a JSON object says which.
  const later = nonBlank.slice(1).find((l) => parseObject(l.text) !== undefined);
  if (later) {
    const kind = lineKind(parseObject(later.text)!);
    if (kind) return { format: kind.format, reason: `line ${later.at} is ${kind.what} (line ${first.at} is not one)` };
    if (ext !== 'json' && ext !== 'yaml' && ext !== 'yml' && parseObject(text.trim()) === undefined)
      return { format: 'ndjson', reason: `line ${later.at} is a JSON object on its own line (NDJSON; line ${first.at} is not one)` };
  }
  if (start.startsWith('{') || start.startsWith('[')) {
    if (ext === 'ndjson' || ext === 'jsonl') return byName()!;
    return {
      format: 'cli-input-json',
      reason: start.startsWith('[') ? 'the text is JSON that starts with [' : 'the text is one JSON document over several lines',
    };
  }

  const named = byName();
  if (named) return named;
  if (ext === 'sh') {
    const found = nonBlank.map((l) => COMMAND.exec(l.text)?.[1]).find((c) => c !== undefined);
    return found === 'aws'
      ? { format: 'aws-cli', reason: 'the file name ends in .sh and its first command is an aws command line' }
      : { format: 'curl', reason: 'the file name ends in .sh and its first command is not an aws command line' };
  }
  if (/^(?:---|[A-Za-z_"'][^:\n]*:(?:\s|$))/.test(first.text))
    return { format: 'cli-input-yaml', reason: 'the text is YAML (it starts with a "key:")' };
  return { format: 'ndjson', reason: 'nothing else matched: read as one payload per line' };
}
