/**
 * Reading back what "Copy as" writes, besides the AWS CLI line and cli-input-json/yaml (which have
 * their own importers): the `curl --aws-sigv4 …` command, and the JavaScript (SDK v3), Python (boto3)
 * and R (paws) programs. A program is not run: its request literal is read as data (strings, numbers,
 * booleans, null, objects, lists, and each language's date constructor as the SDK snippet writes it),
 * along with the region and endpoint of its client. Never throws.
 */
import { parseJson } from '../json/parse.ts';
import { isOperation, OPERATIONS, requestSchema, type Operation, type SchemaNode } from '../model/index.ts';
import { isoToEpoch } from '../wire/timestamps.ts';
import type { FormatParse, FormatProblem } from './problems.ts';
import { splitShellWords } from './shell.ts';
import { snakeName } from './target.ts';

export interface PastedRequest extends FormatParse {
  operation: Operation;
  endpointUrl?: string;
  region?: string;
}

export type ProgramLanguage = 'js' | 'python' | 'r';

// curl options that take a value (the value is skipped unless it is one we read).
const CURL_WITH_VALUE = new Set([
  '-H',
  '--header',
  '-u',
  '--user',
  '-X',
  '--request',
  '--aws-sigv4',
  '-d',
  '--data',
  '--data-binary',
  '--data-raw',
  '--data-ascii',
  '--json',
  '--url',
  '-o',
  '--output',
  '-m',
  '--max-time',
  '--connect-timeout',
  '--cacert',
  '--capath',
  '--cert',
  '--key',
  '-A',
  '--user-agent',
  '-x',
  '--proxy',
  '--retry',
  '-w',
  '--write-out',
]);
const CURL_DATA = new Set(['-d', '--data', '--data-binary', '--data-raw', '--data-ascii', '--json']);

function splitEndpoint(url: string): { endpointUrl: string; operation?: Operation } {
  const m = /^(.*?)\/([A-Za-z]+)\/?(?:[?#].*)?$/.exec(url);
  if (m && isOperation(m[2]) && /^[a-z][a-z0-9+.-]*:\/\/[^/]+$/i.test(m[1])) return { endpointUrl: m[1], operation: m[2] };
  return { endpointUrl: url.replace(/\/+$/, '') };
}

/** Reads a `curl … --data-binary '<JSON>' URL` command: the body is the wire document; the URL gives the endpoint and operation; `--aws-sigv4 aws:amz:REGION:sagemaker` the region. */
export function parseCurlCommand(text: string): PastedRequest {
  const split = splitShellWords(text.replace(/^\s*\$\s*/, ''));
  // Expansions ($AWS_ACCESS_KEY_ID in --user) are for the shell to fill in; only unreadable quoting matters here.
  const problems: FormatProblem[] = split.problems
    .filter((p) => p.message.includes('never closed') || p.message.includes('operator'))
    .map((p) => ({ path: '', message: p.message }));
  const words = split.words.map((w) => w.text);
  if (words[0] !== 'curl' && !/\/curl$/.test(words[0] ?? ''))
    return {
      doc: undefined,
      operation: 'SendHeartbeat',
      problems: [{ path: '', message: 'Not a curl command: expected "curl … --data-binary \'{…}\' URL".' }],
    };
  let body: string | undefined;
  let url: string | undefined;
  let region: string | undefined;
  for (let i = 1; i < words.length; i++) {
    const word = words[i];
    const eq = word.startsWith('--') ? word.indexOf('=') : -1;
    const name = eq === -1 ? word : word.slice(0, eq);
    if (name.startsWith('-') && name !== '-') {
      const takes = CURL_WITH_VALUE.has(name);
      const value = eq !== -1 ? word.slice(eq + 1) : takes ? words[++i] : undefined;
      if (!takes) continue;
      if (value === undefined) {
        problems.push({ path: '', message: `${name} needs a value.` });
        continue;
      }
      if (CURL_DATA.has(name)) body = value;
      else if (name === '--url') url = value;
      else if (name === '--aws-sigv4') region = /^aws:amz:([^:]+)(?::|$)/.exec(value)?.[1];
    } else url = word;
  }
  if (body === undefined)
    return {
      doc: undefined,
      operation: 'SendHeartbeat',
      problems: [...problems, { path: '', message: 'The curl command has no --data-binary body: it sends no request document.' }],
    };
  if (body.startsWith('@'))
    return {
      doc: undefined,
      operation: 'SendHeartbeat',
      problems: [
        ...problems,
        {
          path: '',
          message: `The body is read from the file "${body.slice(1, 61)}", which cannot be done here; paste the document itself.`,
        },
      ],
    };
  const parsed = parseJson(body);
  for (const e of parsed.errors)
    problems.push({ path: e.path, message: `In the --data-binary body: ${e.message}`, line: e.line, column: e.column });
  const result: PastedRequest = { doc: parsed.value, operation: 'SendHeartbeat', problems };
  if (url !== undefined) {
    const where = splitEndpoint(url);
    result.endpointUrl = where.endpointUrl;
    if (where.operation) result.operation = where.operation;
  } else problems.push({ path: '', message: 'The curl command has no URL; the current target is kept.', severity: 'warning' });
  if (region !== undefined) result.region = region;
  return result;
}

// ---- Programs -------------------------------------------------------------------------------------

type Token = { kind: 'string' | 'number' | 'name' | 'punct'; text: string; value?: unknown; at: number };

class ProgramError extends Error {
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(message);
  }
}

/** The body of a quoted string (either quote) as a JSON string literal: \\' is a quote, a bare " is escaped. */
function asJsonString(body: string): string {
  let out = '"';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '\\') {
      const d = body[++i] ?? '';
      out += d === "'" ? "'" : `\\${d}`;
    } else out += c === '"' ? '\\"' : c;
  }
  return `${out}"`;
}

function tokenize(src: string, language: ProgramLanguage): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
    } else if ((c === '#' && language !== 'js') || (c === '/' && src[i + 1] === '/' && language === 'js')) {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < src.length && src[j] !== c) j += src[j] === '\\' ? 2 : 1;
      if (j >= src.length) throw new ProgramError('A string is never closed.', i);
      const raw = src.slice(i, j + 1);
      let value: string;
      try {
        value = JSON.parse(asJsonString(raw.slice(1, -1))) as string;
      } catch {
        throw new ProgramError('A string has an escape this reader does not know.', i);
      }
      tokens.push({ kind: 'string', text: raw, value, at: i });
      i = j + 1;
    } else if (c === '`' && language === 'r') {
      const j = src.indexOf('`', i + 1);
      if (j === -1) throw new ProgramError('A `name` is never closed.', i);
      tokens.push({ kind: 'name', text: src.slice(i + 1, j).replace(/\\(.)/g, '$1'), at: i });
      i = j + 1;
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?L?/.exec(src.slice(i))!;
      tokens.push({ kind: 'number', text: m[0], value: Number(m[0].replace(/L$/, '')), at: i });
      i += m[0].length;
    } else if ((language === 'r' ? /[A-Za-z_.]/ : /[A-Za-z_$]/).test(c)) {
      const m = (language === 'r' ? /^[A-Za-z_.][A-Za-z0-9_.]*/ : /^[A-Za-z_$][A-Za-z0-9_$]*/).exec(src.slice(i))!;
      tokens.push({ kind: 'name', text: m[0], at: i });
      i += m[0].length;
    } else {
      tokens.push({ kind: 'punct', text: c, at: i });
      i++;
    }
  }
  return tokens;
}

/** Reads values from tokens, as one language writes them. */
class ValueReader {
  pos = 0;
  constructor(
    readonly tokens: Token[],
    readonly language: ProgramLanguage,
  ) {}

  peek(offset = 0): Token | undefined {
    return this.tokens[this.pos + offset];
  }
  next(): Token {
    const t = this.tokens[this.pos++];
    if (!t) throw new ProgramError('The program ends in the middle of the request.', Infinity);
    return t;
  }
  expect(text: string): void {
    const t = this.next();
    if (t.text !== text || t.kind === 'string') throw new ProgramError(`Expected "${text}" but found "${t.text.slice(0, 20)}".`, t.at);
  }
  is(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return !!t && t.kind !== 'string' && t.text === text;
  }

  /** `name = value` / `name: value` pairs (or plain values) up to `close`. */
  members(close: string, separator: string, schema: SchemaNode | undefined): { named: [string, unknown][]; plain: unknown[] } {
    const named: [string, unknown][] = [];
    const plain: unknown[] = [];
    while (!this.is(close)) {
      const t = this.peek();
      const keyed = t && (t.kind === 'name' || t.kind === 'string') && this.is(separator, 1);
      if (keyed) {
        this.pos += 2;
        const key = t.kind === 'string' ? String(t.value) : t.text;
        named.push([key, this.value(schema?.properties?.[key])]);
      } else plain.push(this.value(schema?.items));
      if (!this.is(close)) this.expect(',');
    }
    this.expect(close);
    return { named, plain };
  }

  record(pairs: [string, unknown][]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of pairs) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    return out;
  }

  /** Arguments of a call whose "(" was read: named ones as an object. */
  call(schema: SchemaNode | undefined): Record<string, unknown> {
    const { named, plain } = this.members(')', this.language === 'js' ? ':' : '=', schema);
    if (plain.length) throw new ProgramError('Every argument of the call must be named.', this.peek(-1)?.at ?? 0);
    return this.record(named);
  }

  value(schema: SchemaNode | undefined): unknown {
    const t = this.next();
    if (t.kind === 'string' || t.kind === 'number') return t.value;
    if (t.text === '-' && this.peek()?.kind === 'number') return -(this.next().value as number);
    const L = this.language;
    if (L === 'js') {
      if (t.text === '{') return this.record(this.members('}', ':', schema).named);
      if (t.text === '[') return this.members(']', ':', schema).plain;
      if (t.text === 'true' || t.text === 'false') return t.text === 'true';
      if (t.text === 'null') return null;
      if (t.text === 'NaN') return NaN;
      if (t.text === 'new' && this.is('Date', 0)) {
        this.pos++;
        this.expect('(');
        const arg = this.next();
        let seconds: number | undefined;
        if (arg.kind === 'string') seconds = isoToEpoch(String(arg.value));
        else if (arg.kind === 'number') {
          this.expect('*');
          const factor = this.next();
          seconds = factor.value === 1000 ? (arg.value as number) : undefined;
        }
        this.expect(')');
        if (seconds === undefined) throw new ProgramError('A Date is not written as an ISO time or seconds * 1000.', arg.at);
        return seconds;
      }
    } else if (L === 'python') {
      if (t.text === '{') return this.record(this.members('}', ':', schema).named);
      if (t.text === '[') return this.members(']', ':', schema).plain;
      if (t.text === 'True' || t.text === 'False') return t.text === 'True';
      if (t.text === 'None') return null;
      if (t.text === 'float' && this.is('(')) {
        this.pos++;
        const arg = this.next();
        this.expect(')');
        if (arg.kind === 'string' && /^[+-]?nan$/i.test(String(arg.value))) return NaN;
        throw new ProgramError('Only float("nan") is read.', arg.at);
      }
      if (t.text === 'datetime' && this.is('(')) {
        this.pos++;
        const parts: number[] = [];
        while (this.peek()?.kind === 'number') {
          parts.push(this.next().value as number);
          if (this.is(',')) this.pos++;
        }
        // tzinfo=timezone.utc: the snippet writes UTC times.
        if (this.is('tzinfo')) {
          this.pos++;
          this.expect('=');
          const zone = this.next().text + (this.is('.') ? (this.pos++, `.${this.next().text}`) : '');
          if (zone !== 'timezone.utc') throw new ProgramError('Only tzinfo=timezone.utc is read.', t.at);
        }
        this.expect(')');
        const [y, mo = 1, d = 1, h = 0, mi = 0, s = 0, us = 0] = parts;
        if (y === undefined) throw new ProgramError('A datetime needs at least a year.', t.at);
        return Date.UTC(y, mo - 1, d, h, mi, s) / 1000 + us / 1e6;
      }
    } else {
      if (t.text === 'list' && this.is('(')) {
        this.pos++;
        const { named, plain } = this.members(')', '=', schema);
        if (named.length && plain.length) throw new ProgramError('A list mixes named and unnamed items.', t.at);
        if (named.length) return this.record(named);
        if (plain.length || schema?.type === 'array') return plain;
        return schema?.type === 'object' ? {} : [];
      }
      if (t.text === 'TRUE' || t.text === 'FALSE') return t.text === 'TRUE';
      if (t.text === 'NULL') return null;
      if (t.text === 'NaN') return NaN;
      if (t.text === 'as.POSIXct' && this.is('(')) {
        this.pos++;
        const arg = this.next();
        const { named } = this.is(',')
          ? (this.pos++, this.members(')', '=', undefined))
          : (this.expect(')'), { named: [] as [string, unknown][] });
        const options = Object.fromEntries(named);
        if (options.tz !== undefined && options.tz !== 'UTC') throw new ProgramError('Only tz = "UTC" is read.', arg.at);
        if (arg.kind === 'number' && options.origin === '1970-01-01') return arg.value as number;
        const m = arg.kind === 'string' ? /^(\d{4}-\d{2}-\d{2})(?: (\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?$/.exec(String(arg.value)) : null;
        const seconds = m ? isoToEpoch(`${m[1]}T${m[2] ?? '00:00:00'}Z`) : undefined;
        if (seconds === undefined)
          throw new ProgramError('A POSIXct is not written as "YYYY-MM-DD HH:MM:SS" in UTC or seconds since 1970.', arg.at);
        return seconds;
      }
    }
    throw new ProgramError(`"${t.text.slice(0, 30)}" is not a value this reader knows.`, t.at);
  }
}

const LANGUAGE_NAMES: Record<ProgramLanguage, string> = { js: 'JavaScript', python: 'Python', r: 'R' };

/** Where the request's call opens, and which operation it is. */
function findCall(src: string, language: ProgramLanguage): { at: number; operation: Operation } | undefined {
  const pattern = language === 'js' ? /new\s+([A-Za-z]+)Command\s*\(/g : language === 'python' ? /\.([a-z_]+)\s*\(/g : /\$([a-z_]+)\s*\(/g;
  for (const m of src.matchAll(pattern)) {
    const op = language === 'js' ? (isOperation(m[1]) ? m[1] : undefined) : OPERATIONS.find((o) => snakeName(o) === m[1]);
    if (op) return { at: m.index + m[0].length, operation: op };
  }
  return undefined;
}

function readClient(src: string, language: ProgramLanguage): { region?: string; endpointUrl?: string } {
  const start =
    language === 'js'
      ? /new\s+SagemakerEdgeClient\s*\(/.exec(src)
      : language === 'python'
        ? /boto3\.client\s*\(/.exec(src)
        : /sagemakeredgemanager\s*\(\s*config\s*=\s*list\s*\(/.exec(src);
  if (!start) return {};
  try {
    const reader = new ValueReader(tokenize(src.slice(start.index + start[0].length), language), language);
    let config: Record<string, unknown>;
    if (language === 'js') {
      config = reader.value(undefined) as Record<string, unknown>;
    } else if (language === 'python') {
      if (reader.peek()?.kind === 'string') reader.pos += reader.is(',', 1) ? 2 : 1;
      config = reader.call(undefined);
    } else config = reader.call(undefined);
    const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
    const out: { region?: string; endpointUrl?: string } = {};
    const region = str(config.region ?? config.region_name);
    const endpoint = str(config.endpoint ?? config.endpoint_url);
    if (region) out.region = region;
    if (endpoint) out.endpointUrl = endpoint.replace(/\/+$/, '');
    return out;
  } catch {
    return {};
  }
}

/** Reads the request of a JavaScript (SDK v3), Python (boto3) or R (paws) program, as "Copy as" writes them. */
export function parseProgram(src: string, language: ProgramLanguage): PastedRequest {
  const call = findCall(src, language);
  const name = LANGUAGE_NAMES[language];
  if (!call) {
    const what =
      language === 'js' ? 'new SendHeartbeatCommand({ … })' : language === 'python' ? 'client.send_heartbeat(…)' : 'svc$send_heartbeat(…)';
    return {
      doc: undefined,
      operation: 'SendHeartbeat',
      problems: [{ path: '', message: `No request found in the ${name} program: expected ${what}.` }],
    };
  }
  const schema = requestSchema(call.operation);
  const before = src.slice(0, call.at);
  const line = (at: number): { line: number; column: number } => {
    const text = before + src.slice(call.at, call.at + at);
    const lines = text.split('\n');
    return { line: lines.length, column: lines[lines.length - 1].length + 1 };
  };
  let doc: unknown;
  try {
    const reader = new ValueReader(tokenize(src.slice(call.at), language), language);
    if (language === 'js') {
      doc = reader.is(')') ? {} : reader.value(schema);
      reader.expect(')');
    } else doc = reader.call(schema);
  } catch (error) {
    const e = error as ProgramError;
    const where = Number.isFinite(e.at) ? line(e.at) : {};
    return {
      doc: undefined,
      operation: call.operation,
      problems: [{ path: '', message: `The ${name} program could not be read: ${e.message}`, ...where }],
    };
  }
  return { doc, operation: call.operation, problems: [], ...readClient(src, language) };
}

/** Which program language a text is, by what the snippets start with; undefined for none. */
export function programLanguage(text: string): ProgramLanguage | undefined {
  if (/@aws-sdk\/client-sagemaker-edge|new\s+SagemakerEdgeClient\s*\(/.test(text)) return 'js';
  if (/^\s*(?:import\s+boto3|from\s+datetime\s+import)|boto3\.client\s*\(/m.test(text)) return 'python';
  if (/paws::sagemakeredgemanager\s*\(|\bsvc\$[a-z_]+\s*\(/.test(text)) return 'r';
  return undefined;
}
