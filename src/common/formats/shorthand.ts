/**
 * AWS CLI shorthand for the structure and list-of-structure parameters (--models, --agent-metrics,
 * --deployment-result), typed by the model as the AWS CLI does it: numbers are numbers because the
 * model says so, a single value where the model wants a list becomes a one-item list, and timestamps
 * (ISO 8601 or epoch strings) become epoch seconds.
 */
import { appendPointer } from '../json/pointer.ts';
import type { SchemaNode } from '../model/index.ts';
import { parseTimestamp } from '../wire/timestamps.ts';
import { lineColumn, type FormatParse, type FormatProblem } from './problems.ts';
import { parseShorthandSyntax, shorthandString, ShorthandSyntaxError, type RawShorthand } from './shorthand-syntax.ts';

const DECIMAL = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

/** True for a parameter the AWS CLI accepts in shorthand: a structure, or a list of structures. */
export function takesShorthand(schema: SchemaNode): boolean {
  return schema.type === 'object' || (schema.type === 'array' && schema.items?.type === 'object');
}

/** Types untyped shorthand values by the schema; reports values that cannot have the model's type. */
export function typeShorthand(
  raw: RawShorthand,
  schema: SchemaNode | undefined,
  path: string,
  problems: FormatProblem[],
  now?: number,
): unknown {
  if (!schema) return raw; // an unknown member: validation names it (with "did you mean").
  if (schema.type === 'array') {
    const items = Array.isArray(raw) ? raw : [raw];
    return items.map((item, i) => typeShorthand(item, schema.items, appendPointer(path, i), problems, now));
  }
  if (schema.type === 'object') {
    if (typeof raw !== 'object' || Array.isArray(raw)) {
      problems.push({
        path,
        message: `${label(path)} must be a structure written as {Key=value,...}, not ${Array.isArray(raw) ? 'a list' : `the value "${short(raw)}"`}.`,
        severity: 'warning',
      });
      return raw;
    }
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(raw)) {
      const sub = Object.prototype.hasOwnProperty.call(schema.properties ?? {}, key) ? schema.properties![key] : undefined;
      Object.defineProperty(out, key, {
        value: typeShorthand(value, sub, appendPointer(path, key), problems, now),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  if (typeof raw !== 'string') {
    const hint = Array.isArray(raw) && schema.type === 'string' ? ' Quote a value that contains commas, or write each comma as \\,.' : '';
    problems.push({
      path,
      message: `${label(path)} must be a single value, not ${Array.isArray(raw) ? 'a list' : 'a structure'}.${hint}`,
      severity: 'warning',
    });
    return raw;
  }
  if (schema['x-timestamp']) {
    const seconds = parseTimestamp(raw, now);
    if (seconds === undefined)
      problems.push({
        path,
        message: `${label(path)} "${short(raw)}" is neither ISO 8601 (2026-11-22T07:48:23Z) nor epoch seconds.`,
        severity: 'warning',
      });
    return seconds ?? raw;
  }
  if (schema.type === 'number' || schema.type === 'integer') {
    if (!DECIMAL.test(raw)) {
      problems.push({ path, message: `${label(path)} must be a number, not "${short(raw)}".`, severity: 'warning' });
      return raw;
    }
    return Number(raw);
  }
  if (schema.type === 'boolean') {
    if (/^true$/i.test(raw)) return true;
    if (/^false$/i.test(raw)) return false;
    problems.push({ path, message: `${label(path)} must be true or false, not "${short(raw)}".`, severity: 'warning' });
    return raw;
  }
  return raw;
}

function label(path: string): string {
  return path === '' ? 'The value' : path;
}

function short(text: string): string {
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

/**
 * Parses the words of one shorthand parameter. A list of structures takes one word per item (the
 * shell's words, as `--models A=1 A=2` gives them); a structure takes one word.
 */
export function parseShorthand(words: readonly string[], schema: SchemaNode, path = '', now?: number): FormatParse {
  const problems: FormatProblem[] = [];
  const isList = schema.type === 'array';
  if (!isList && words.length !== 1)
    return { doc: undefined, problems: [{ path, message: `A structure takes exactly one shorthand value, not ${words.length}.` }] };
  const raws: RawShorthand[] = [];
  for (const [i, word] of words.entries()) {
    try {
      raws.push(parseShorthandSyntax(word));
    } catch (error) {
      if (!(error instanceof ShorthandSyntaxError)) throw error;
      const at = lineColumn(word, error.index);
      const where = isList && words.length > 1 ? ` in item ${i + 1}` : '';
      problems.push({
        path: isList ? appendPointer(path, i) : path,
        message: `Shorthand syntax error${where} at column ${at.column}: ${error.message}`,
        line: at.line,
        column: at.column,
      });
    }
  }
  if (problems.length) return { doc: undefined, problems };
  const doc = typeShorthand(isList ? raws : raws[0], schema, path, problems, now);
  return { doc, problems };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function emitValue(value: unknown, schema: SchemaNode | undefined): string {
  if (Array.isArray(value)) return `[${value.map((v) => emitValue(v, schema?.items)).join(',')}]`;
  if (isPlainObject(value)) return `{${emitMembers(value, schema)}}`;
  if (typeof value === 'string') return shorthandString(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`${value} cannot be written in shorthand.`);
    return String(value);
  }
  if (typeof value === 'boolean') return String(value);
  throw new TypeError(`A ${value === null ? 'null' : typeof value} cannot be written in shorthand.`);
}

function emitMembers(value: Record<string, unknown>, schema: SchemaNode | undefined): string {
  return Object.entries(value)
    .map(([key, v]) => {
      if (!/^[A-Za-z0-9\-_.#/:]+$/.test(key)) throw new TypeError(`The member name "${key}" cannot be written in shorthand.`);
      return `${key}=${emitValue(v, schema?.properties?.[key])}`;
    })
    .join(',');
}

/**
 * The shorthand words for one parameter value (one word per item of a list of structures), or
 * undefined when shorthand cannot say it exactly: empty lists and structures, nulls, member names
 * the syntax has no room for, or a string the AWS CLI's quoting would misread (a quoted value
 * ending in a backslash before another quote). Every result is parsed back before it is returned,
 * so a caller can rely on parse(emit(x)) == x and fall back to JSON otherwise.
 */
export function emitShorthand(value: unknown, schema: SchemaNode): string[] | undefined {
  let words: string[];
  try {
    if (schema.type === 'array') {
      if (!Array.isArray(value) || value.length === 0 || !value.every((v) => isPlainObject(v) && Object.keys(v).length > 0))
        return undefined;
      words = value.map((item) => emitMembers(item as Record<string, unknown>, schema.items));
    } else {
      if (!isPlainObject(value) || Object.keys(value).length === 0) return undefined;
      words = [emitMembers(value, schema)];
    }
  } catch {
    return undefined;
  }
  const back = parseShorthand(words, schema);
  return back.problems.length === 0 && sameValue(back.doc, value) ? words : undefined;
}

/** Deep equality of JSON-shaped values (member order ignored). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') return Object.is(a, b) || a === b;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && sameValue(a[k], b[k]));
  }
  return false;
}
