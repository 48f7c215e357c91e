/**
 * Reading a request from a file, a paste or a drop: which format the text is in, and the composer
 * text it becomes. A wire JSON document is taken byte for byte (the composer sends exactly what it
 * shows); other formats are converted to indented wire JSON with epoch-second timestamps. Everything
 * "Copy as" writes pastes back: the aws command line, curl, the JavaScript, Python and R programs,
 * cli-input-json and cli-input-yaml.
 */
import { parseJson } from '../../common/json/parse.ts';
import { detectCaptureFormat } from '../../common/capture/detect.ts';
import type { Operation } from '../../common/model/index.ts';
import {
  emitCliInputJson,
  importText,
  isError,
  parseCurlCommand,
  parseProgram,
  programLanguage,
  type FormatProblem,
  type ImportFormat,
  type ProgramLanguage,
} from '../../common/formats/index.ts';

/** What the composer reads: the shared import formats, plus what only a paste brings (curl, programs). */
export type ComposerFormat = ImportFormat | 'curl' | ProgramLanguage;
export type ImportChoice = ComposerFormat | 'auto';

/** The format of `text`, from the file name when it says, else from the first characters. */
export function detectFormat(text: string, fileName = ''): ComposerFormat {
  const name = fileName.toLowerCase();
  if (name.endsWith('.yaml') || name.endsWith('.yml')) return 'cli-input-yaml';
  const start = text.replace(/^\uFEFF/, '').trimStart();
  if (/^(?:\$\s*)?aws\s/.test(start)) return 'shorthand';
  if (/^(?:\$\s*)?curl\s/.test(start)) return 'curl';
  if (start.startsWith('{') || start.startsWith('[') || name.endsWith('.json')) return 'cli-input-json';
  return programLanguage(start) ?? 'cli-input-yaml';
}

/** The name of what was read, for "Loaded … (wire JSON)": JSON with ISO timestamps is cli-input-json, other JSON is the wire document. */
export function formatLabel(format: ComposerFormat, converted: boolean): string {
  switch (format) {
    case 'json':
      return 'wire JSON';
    case 'cli-input-json':
      return converted ? 'cli-input-json, ISO timestamps converted' : 'wire JSON';
    case 'cli-input-yaml':
      return 'cli-input-yaml';
    case 'shorthand':
      return 'aws CLI command';
    case 'curl':
      return 'curl command';
    case 'js':
      return 'JavaScript program';
    case 'python':
      return 'Python program';
    case 'r':
      return 'R program';
  }
}

export interface ImportResult {
  /** The composer text, or undefined when nothing usable could be read. */
  text?: string;
  format: ComposerFormat;
  /** What the text was, in words ("wire JSON", "curl command"). */
  label: string;
  problems: FormatProblem[];
  /** From an `aws ... --endpoint-url/--region` command line, a curl URL, a program's client. */
  endpointUrl?: string;
  region?: string;
  /** The operation the text names (an aws command, a curl URL, a program's call); a JSON or YAML document names none. */
  operation?: Operation;
}

function read(
  format: ComposerFormat,
  text: string,
  now?: number,
): { doc: unknown; problems: FormatProblem[]; endpointUrl?: string; region?: string; operation?: Operation } {
  if (format === 'curl') return parseCurlCommand(text);
  if (format === 'js' || format === 'python' || format === 'r') return parseProgram(text, format);
  const { operation, ...imported } = importText(format, text, 'SendHeartbeat', now);
  // Only a command line says which operation it is; a document is read as SendHeartbeat's (a superset) and the composer decides.
  return format === 'shorthand' ? { ...imported, operation } : imported;
}

export function importForComposer(raw: string, choice: ImportChoice, fileName = '', now?: number): ImportResult {
  const text = raw.replace(/^\uFEFF/, '');
  const format = choice === 'auto' ? detectFormat(text, fileName) : choice;
  const imported = read(format, text, now);
  const errors = imported.problems.filter(isError);
  const extra = {
    ...(imported.endpointUrl ? { endpointUrl: imported.endpointUrl } : {}),
    ...(imported.region ? { region: imported.region } : {}),
    ...(imported.operation ? { operation: imported.operation } : {}),
  };
  if (format === 'json' || format === 'cli-input-json') {
    // Nothing converted (no ISO timestamps): keep the bytes. A syntax error is kept too, for the JSON view to point at.
    const converted =
      imported.doc !== undefined && JSON.stringify(parseJson(text, { positions: false }).value) !== JSON.stringify(imported.doc);
    if (!converted) return { text, format, label: formatLabel(format, false), problems: imported.problems, ...extra };
  }
  const label = formatLabel(format, true);
  if (imported.doc === undefined || errors.length > 0) return { format, label, problems: imported.problems, ...extra };
  return { text: emitCliInputJson(imported.doc), format, label, problems: imported.problems, ...extra };
}

/**
 * True when a file or paste holds many requests (or a format only a capture has: a HAR, a history or
 * endpoint capture's lines): it opens in the Run view rather than the composer (docs/captures.md).
 * `head` is the text's start (DETECT_HEAD_CHARS), `whole` says whether it is all of it.
 */
export function opensAsCapture(head: string, fileName = '', whole = true): boolean {
  const { format } = detectCaptureFormat(head, fileName);
  const lines = head.split('\n').filter((l) => l.trim() !== '');
  switch (format) {
    case 'har':
    case 'history-jsonl':
    case 'endpoint-capture':
      return true;
    case 'ndjson':
      return !whole || lines.length > 1;
    case 'curl':
    case 'aws-cli':
      return !whole || lines.filter((l) => /^\s*(?:\$\s+)?(?:curl|aws)\s/.test(l)).length > 1;
    default:
      return false;
  }
}
