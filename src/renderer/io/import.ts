/**
 * Reading a request from a file, a paste or a drop: which format the text is in, and the composer
 * text it becomes. A wire JSON document is taken byte for byte (the composer sends exactly what it
 * shows); other formats are converted to indented wire JSON with epoch-second timestamps.
 */
import { parseJson } from '../../common/json/parse.ts';
import { emitCliInputJson, importText, isError, type FormatProblem, type ImportFormat } from '../../common/formats/index.ts';

export type ImportChoice = ImportFormat | 'auto';

/** The format of `text`, from the file name when it says, else from the first characters. */
export function detectFormat(text: string, fileName = ''): ImportFormat {
  const name = fileName.toLowerCase();
  if (name.endsWith('.yaml') || name.endsWith('.yml')) return 'cli-input-yaml';
  const start = text.replace(/^\uFEFF/, '').trimStart();
  if (/^(?:\$\s*)?aws\s/.test(start)) return 'shorthand';
  if (start.startsWith('{') || start.startsWith('[') || name.endsWith('.json')) return 'cli-input-json';
  return 'cli-input-yaml';
}

export interface ImportResult {
  /** The composer text, or undefined when nothing usable could be read. */
  text?: string;
  format: ImportFormat;
  problems: FormatProblem[];
  /** From an `aws ... --endpoint-url/--region` command line. */
  endpointUrl?: string;
  region?: string;
}

export function importForComposer(raw: string, choice: ImportChoice, fileName = '', now?: number): ImportResult {
  const text = raw.replace(/^\uFEFF/, '');
  const format = choice === 'auto' ? detectFormat(text, fileName) : choice;
  const imported = importText(format, text, 'SendHeartbeat', now);
  const errors = imported.problems.filter(isError);
  const extra = { ...(imported.endpointUrl ? { endpointUrl: imported.endpointUrl } : {}), ...(imported.region ? { region: imported.region } : {}) };
  if (format === 'json' || format === 'cli-input-json') {
    // Nothing converted (no ISO timestamps): keep the bytes. A syntax error is kept too, for the JSON view to point at.
    const converted = imported.doc !== undefined && JSON.stringify(parseJson(text, { positions: false }).value) !== JSON.stringify(imported.doc);
    if (!converted) return { text, format, problems: imported.problems, ...extra };
  }
  if (imported.doc === undefined || errors.length > 0) return { format, problems: imported.problems, ...extra };
  return { text: emitCliInputJson(imported.doc), format, problems: imported.problems, ...extra };
}
