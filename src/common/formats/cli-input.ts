/**
 * What `aws ... --cli-input-json` and `--cli-input-yaml` read: the request document itself, where
 * timestamps may also be ISO 8601 or epoch strings (converted here to epoch-second numbers, the wire
 * form). Parsing never throws: every problem comes back with a path and, where known, a line/column.
 */
import { isDocument, isMap, isPair, isSeq, LineCounter, parseDocument, stringify, type YAMLError } from 'yaml';
import { MAX_JSON_DEPTH, parseJson, TOO_DEEP_MESSAGE } from '../json/parse.ts';
import { forEachTimestamp, requestSchema, type Operation } from '../model/index.ts';
import { epochToIso, normalizeTimestamps } from '../wire/timestamps.ts';
import type { FormatParse, FormatProblem } from './problems.ts';

export interface ImportOptions {
  operation?: Operation;
  /** "Now" for relative timestamps (epoch milliseconds); defaults to the clock. */
  now?: number;
}

export interface EmitOptions {
  operation?: Operation;
  /** Write timestamps as ISO 8601 strings (readable; sub-millisecond fractions are rounded) instead of epoch seconds. */
  isoTimestamps?: boolean;
}

function convertTimestamps(doc: unknown, options: ImportOptions): FormatProblem[] {
  // The value stays as written and validation flags it too, so this is a warning.
  return normalizeTimestamps(requestSchema(options.operation ?? 'SendHeartbeat'), doc, options.now).map((p) => ({
    ...p,
    severity: 'warning' as const,
  }));
}

/** Parses cli-input-json text. Syntax errors and duplicate keys come with line and column. */
export function parseCliInputJson(text: string, options: ImportOptions = {}): FormatParse {
  const parsed = parseJson(text);
  const problems: FormatProblem[] = parsed.errors.map((e) => ({ path: e.path, message: e.message, line: e.line, column: e.column }));
  if (parsed.value === undefined) return { doc: undefined, problems };
  for (const p of convertTimestamps(parsed.value, options)) {
    const at = parsed.locate(p.path);
    problems.push({ ...p, line: at.line, column: at.column });
  }
  return { doc: parsed.value, problems };
}

/** A copy of `doc` with every timestamp (per the model) as an ISO 8601 string. */
export function withIsoTimestamps(doc: unknown, operation: Operation = 'SendHeartbeat'): unknown {
  const copy: unknown = structuredClone(doc);
  forEachTimestamp(requestSchema(operation), copy, (_path, value, set) => {
    if (typeof value === 'number' && Number.isFinite(value)) set(epochToIso(value));
  });
  return copy;
}

/** cli-input-json text: the document, indented, with a final newline. */
export function emitCliInputJson(doc: unknown, options: EmitOptions = {}): string {
  const out = options.isoTimestamps ? withIsoTimestamps(doc, options.operation) : doc;
  return `${JSON.stringify(out, null, 2)}\n`;
}

function yamlProblem(error: YAMLError): FormatProblem {
  const at = error.linePos?.[0];
  // The yaml package's messages end with a code excerpt after a colon and newline; keep the sentence.
  const sentence = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  const message =
    error.code === 'DUPLICATE_KEY'
      ? 'Duplicate key: a member may appear only once (a YAML mapping must have unique keys).'
      : error.code === 'MULTIPLE_DOCS'
        ? 'The YAML holds more than one document (a second "---"); give exactly one request.'
        : `YAML syntax error: ${sentence.replace(/\.?$/, '.')}`;
  return { path: '', message, ...(at ? { line: at.line, column: at.col } : {}) };
}

/**
 * Parses cli-input-yaml text (YAML 1.2 core schema, so `2026-11-22` stays a string until the
 * timestamp conversion): syntax errors and duplicate keys come with line and column; a stream of
 * several documents is an error.
 */
/** How deep maps and sequences nest under `node` (iterative: a deep document cannot overflow the stack here). */
export function nestingDepth(node: unknown): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[node, 0]];
  while (stack.length > 0) {
    const [n, depth] = stack.pop()!;
    if (isMap(n) || isSeq(n)) {
      deepest = Math.max(deepest, depth + 1);
      for (const item of n.items) stack.push([isPair(item) ? item.value : item, depth + 1]);
    }
  }
  return deepest;
}

export function parseCliInputYaml(text: string, options: ImportOptions = {}): FormatParse {
  const lineCounter = new LineCounter();
  let document;
  try {
    document = parseDocument(text, { uniqueKeys: true, prettyErrors: true, lineCounter, schema: 'core', strict: true });
  } catch (error) {
    return { doc: undefined, problems: [{ path: '', message: `YAML could not be read: ${(error as Error).message.split('\n')[0]}` }] };
  }
  if (!isDocument(document)) return { doc: undefined, problems: [{ path: '', message: 'YAML could not be read as one document.' }] };
  // Nesting past the limit is refused as in JSON (and before the parser's own recursion can overflow).
  if (document.errors.some((e) => /call stack/i.test(e.message)))
    return { doc: undefined, problems: [{ path: '', message: TOO_DEEP_MESSAGE }] };
  const problems = document.errors.map(yamlProblem);
  if (problems.length) return { doc: undefined, problems };
  if (nestingDepth(document.contents) > MAX_JSON_DEPTH) return { doc: undefined, problems: [{ path: '', message: TOO_DEEP_MESSAGE }] };
  let doc: unknown;
  try {
    doc = document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return { doc: undefined, problems: [{ path: '', message: `YAML could not be read: ${(error as Error).message.split('\n')[0]}` }] };
  }
  if (doc === null && text.trim() === '')
    return { doc: undefined, problems: [{ path: '', message: 'The document is empty: expected a YAML mapping of request members.' }] };
  problems.push(...convertTimestamps(doc, options));
  return { doc, problems };
}

/** cli-input-yaml text. Strings that YAML would read as something else are quoted; nothing is folded. */
export function emitCliInputYaml(doc: unknown, options: EmitOptions = {}): string {
  const out = options.isoTimestamps ? withIsoTimestamps(doc, options.operation) : doc;
  return stringify(out, { lineWidth: 0, schema: 'core', blockQuote: false, doubleQuotedAsJSON: true });
}
