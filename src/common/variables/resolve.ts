/**
 * Variables in a request's JSON text (docs/variables.md): `{{now}}`, `{{now:iso}}`, `{{uuid}}`,
 * `{{random:MIN:MAX}}`, `{{device}}` and the variables of an environment. Pure: the page (at send time,
 * and to validate the composer's document), the CLI's `send` and replay resolve with this one code.
 *
 * - A placeholder is `{{NAME}}` or `{{NAME:ARGS}}` inside a JSON string (a value or a member name),
 *   spaces allowed inside the braces; `{{` that does not spell one is plain text. A backslash right
 *   before `{{` (`"\\{{now}}"` in the JSON text) keeps the braces as text: the backslash is dropped.
 * - A string that is exactly one placeholder (`"Timestamp": "{{now}}"`) becomes a JSON number where the
 *   operation's model wants a number there and the value is one (a boolean likewise); with no model
 *   position (an unknown member, a member name, no operation), `now` and `random` give numbers and
 *   everything else text. Inside longer text the value is spliced in, JSON-escaped.
 * - Everything else in the text is kept byte for byte: what is sent is what the composer shows, with
 *   only the placeholders replaced.
 * - `{{device}}` is the request's DeviceName as sent: its value there, resolved first; where DeviceName
 *   is missing (or holds `{{device}}` itself) it is the `device` variable.
 */
import { parseJson, type ParsedJson } from '../json/parse.ts';
import { appendPointer } from '../json/pointer.ts';
import { requestSchema, schemaAt, type Operation } from '../model/index.ts';
import { epochToIso, nowEpoch } from '../wire/timestamps.ts';
import { Prng, fnv1a32 } from '../fleet/prng.ts';

/** Names that mean something without any environment. */
export const BUILT_IN_VARIABLES = ['now', 'uuid', 'random', 'device'] as const;

/** One-line descriptions of the built-ins (completion, docs, the environments dialog). */
export const BUILT_IN_HELP: ReadonlyArray<{ insert: string; label: string; detail: string }> = [
  { insert: 'now', label: '{{now}}', detail: 'the send time in epoch seconds (a number where the model wants one)' },
  { insert: 'now:iso', label: '{{now:iso}}', detail: 'the send time in ISO 8601 (2026-11-22T07:48:23Z)' },
  { insert: 'uuid', label: '{{uuid}}', detail: 'a random UUID (version 4), new at each place' },
  { insert: 'random:1:100', label: '{{random:MIN:MAX}}', detail: 'a whole number from MIN to MAX, new at each place' },
  { insert: 'device', label: '{{device}}', detail: "the request's DeviceName (or the device variable)" },
];

/** Where the values of `now`, `uuid` and `random` come from: injectable, so tests and `--seed` are deterministic. */
export interface VariableSources {
  /** Epoch milliseconds; read once per resolution, so every `{{now}}` of one request is the same instant. */
  now?: () => number;
  uuid?: () => string;
  /** A number in [0, 1). */
  random?: () => number;
}

export interface VariableContext extends VariableSources {
  /** The chosen environment's variables with the overrides (`--var`) laid over them. */
  variables: Readonly<Record<string, string>>;
  /** The environment's name, for the sentence about an unknown variable. */
  environmentName?: string;
  /** The request's operation: where its model wants a number, a whole-string placeholder becomes one. */
  operation?: Operation;
}

export interface VariableProblem {
  /** The placeholder as written, e.g. `{{fleet}}`. */
  placeholder: string;
  /** Where it starts in the text (UTF-16 offset) and how long it is. */
  offset: number;
  length: number;
  /** The JSON Pointer of the string that holds it, when the text parsed. */
  path?: string;
  message: string;
}

/** One placeholder replaced: what was written and the value it became (as text). */
export interface Substitution {
  placeholder: string;
  value: string;
  offset: number;
}

export interface ResolvedText {
  /** The text with every resolvable placeholder replaced (an unresolvable one is left as written). */
  text: string;
  substitutions: Substitution[];
  problems: VariableProblem[];
}

/** `{{ name }}` or `{{name:args}}` at a position (sticky). */
const PLACEHOLDER = /\{\{ *([A-Za-z_][A-Za-z0-9_.-]*)(?::([^{}"\\ ]*))? *\}\}/y;
const WHOLE = /^\{\{ *([A-Za-z_][A-Za-z0-9_.-]*)(?::([^{}"\\ ]*))? *\}\}$/;
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const INTEGER = /^[+-]?\d{1,16}$/;

/** True when `text` may hold a placeholder (the cheap test before anything is parsed). */
export const mayHavePlaceholders = (text: string): boolean => text.includes('{{');

/** The placeholders of a string's text (raw JSON string content or any text), with their offsets in it. */
export function findPlaceholders(text: string): Array<{ offset: number; length: number; name: string; args?: string }> {
  const found: Array<{ offset: number; length: number; name: string; args?: string }> = [];
  for (let i = text.indexOf('{{'); i >= 0; i = text.indexOf('{{', i + 1)) {
    if (i > 0 && text[i - 1] === '\\') continue;
    PLACEHOLDER.lastIndex = i;
    const m = PLACEHOLDER.exec(text);
    if (!m) continue;
    found.push({ offset: i, length: m[0].length, name: m[1]!, ...(m[2] !== undefined ? { args: m[2] } : {}) });
    i += m[0].length - 1;
  }
  return found;
}

/** Sources from a seed: the same seed gives the same uuids and random numbers (`--seed`, the shared test vectors). */
export function seededSources(seed: number | string): Required<Pick<VariableSources, 'uuid' | 'random'>> {
  const prng = new Prng(typeof seed === 'number' ? seed >>> 0 : fnv1a32(seed));
  return { random: () => prng.float(), uuid: () => uuidFromWords([prng.next(), prng.next(), prng.next(), prng.next()]) };
}

/** A version 4 UUID from 128 random bits. */
export function uuidFromWords(words: readonly number[]): string {
  const hex = words.map((w) => (w >>> 0).toString(16).padStart(8, '0')).join('');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function defaultUuid(): string {
  const c = globalThis.crypto;
  if (c?.randomUUID) return c.randomUUID();
  const words = new Uint32Array(4);
  if (c?.getRandomValues) c.getRandomValues(words);
  else for (let i = 0; i < 4; i++) words[i] = Math.floor(Math.random() * 2 ** 32);
  return uuidFromWords([...words]);
}

/** A value and what it is by nature: `now` and `random` are numbers, everything else text. */
type Value = { value: string; number: boolean } | { problem: string };

interface Resolution {
  ctx: VariableContext;
  nowSeconds: number;
  uuid: () => string;
  random: () => number;
  /** The request's DeviceName as sent, once known; undefined while DeviceName itself is resolved. */
  device: string | undefined;
  /** True while DeviceName itself is resolved. */
  inDeviceName: boolean;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

function unknown(name: string, ctx: VariableContext): string {
  const names = Object.keys(ctx.variables);
  const where =
    ctx.environmentName !== undefined
      ? `the environment "${ctx.environmentName}" has ${names.length ? names.join(', ') : 'no variables'}`
      : names.length
        ? `the variables given are ${names.join(', ')}`
        : 'no environment is chosen';
  return `{{${name}}} is not defined: ${where}; the built-ins are now, uuid, random:MIN:MAX and device.`;
}

function valueOf(name: string, args: string | undefined, r: Resolution): Value {
  const noArgs = (v: Value): Value =>
    args === undefined ? v : { problem: `{{${name}}} takes no argument: write {{${name}}}, not {{${name}:${args}}}.` };
  switch (name) {
    case 'now':
      if (args === 'iso') return { value: epochToIso(r.nowSeconds), number: false };
      return noArgs({ value: String(r.nowSeconds), number: true });
    case 'uuid':
      return noArgs({ value: r.uuid(), number: false });
    case 'random': {
      const parts = args?.split(':') ?? [];
      if (parts.length !== 2 || !parts.every((p) => INTEGER.test(p)))
        return {
          problem: `{{random${args !== undefined ? `:${args}` : ''}}} needs two whole numbers: {{random:MIN:MAX}}, e.g. {{random:1:100}}.`,
        };
      const [min, max] = parts.map(Number) as [number, number];
      if (min > max) return { problem: `{{random:${args}}}: MIN (${min}) is greater than MAX (${max}).` };
      return { value: String(min + Math.min(max - min, Math.floor(r.random() * (max - min + 1)))), number: true };
    }
    case 'device':
      if (r.device !== undefined) return noArgs({ value: r.device, number: false });
      if (Object.prototype.hasOwnProperty.call(r.ctx.variables, 'device')) return noArgs({ value: r.ctx.variables.device!, number: false });
      return {
        problem: r.inDeviceName
          ? '{{device}} in DeviceName needs a "device" variable: define one in the environment (or pass --var device=NAME).'
          : '{{device}} is the request\'s DeviceName: give the request a DeviceName, or define a "device" variable in the environment.',
      };
    default:
      if (!Object.prototype.hasOwnProperty.call(r.ctx.variables, name)) return { problem: unknown(name, r.ctx) };
      return noArgs({ value: r.ctx.variables[name]!, number: false });
  }
}

/** JSON string content for `value` (quotes excluded). */
const escapeJson = (value: string): string => JSON.stringify(value).slice(1, -1);

/** What the model wants at `pointer`, when it says. */
function expectedType(ctx: VariableContext, pointer: string | undefined): string | undefined {
  if (!ctx.operation || pointer === undefined) return undefined;
  const type = schemaAt(requestSchema(ctx.operation), pointer)?.type;
  return typeof type === 'string' ? type : undefined;
}

/**
 * Resolves the raw content of one JSON string literal (between its quotes). Returns the replacement
 * of the whole literal, quotes included, or undefined when it holds no placeholder or escape.
 */
function resolveLiteral(
  raw: string,
  start: number,
  closed: boolean,
  isKey: boolean,
  pointer: string | undefined,
  r: Resolution,
  out: ResolvedText,
): string | undefined {
  const whole = WHOLE.exec(raw);
  if (whole) {
    const [placeholder, name, args] = whole as unknown as [string, string, string | undefined];
    const v = valueOf(name, args, r);
    if ('problem' in v) {
      out.problems.push({
        placeholder,
        offset: start + 1,
        length: raw.length,
        ...(pointer !== undefined ? { path: pointer } : {}),
        message: v.problem,
      });
      return undefined;
    }
    out.substitutions.push({ placeholder, value: v.value, offset: start + 1 });
    const type = isKey ? 'string' : expectedType(r.ctx, pointer);
    const asNumber =
      type === 'number' || type === 'integer'
        ? JSON_NUMBER.test(v.value) && (type === 'number' || Number.isInteger(Number(v.value)))
        : type === undefined && v.number && !isKey;
    if (!closed) return `"${escapeJson(v.value)}`;
    if (asNumber) return v.value;
    if (type === 'boolean' && (v.value === 'true' || v.value === 'false')) return v.value;
    return `"${escapeJson(v.value)}"`;
  }
  let result = '';
  let last = 0;
  let changed = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 0x5c /* \ */) {
      // An escaped backslash right before `{{` keeps the braces as text; any other escape is copied whole.
      if (raw.charCodeAt(i + 1) === 0x5c && raw.startsWith('{{', i + 2)) {
        result += raw.slice(last, i) + '{{';
        last = i + 4;
        i += 3;
        changed = true;
      } else i++;
      continue;
    }
    if (c !== 0x7b || raw.charCodeAt(i + 1) !== 0x7b) continue;
    PLACEHOLDER.lastIndex = i;
    const m = PLACEHOLDER.exec(raw);
    if (!m) continue;
    const v = valueOf(m[1]!, m[2], r);
    if ('problem' in v)
      out.problems.push({
        placeholder: m[0],
        offset: start + 1 + i,
        length: m[0].length,
        ...(pointer !== undefined ? { path: pointer } : {}),
        message: v.problem,
      });
    else {
      out.substitutions.push({ placeholder: m[0], value: v.value, offset: start + 1 + i });
      result += raw.slice(last, i) + escapeJson(v.value);
      last = i + m[0].length;
      changed = true;
    }
    i += m[0].length - 1;
  }
  if (!changed) return undefined;
  return `"${result}${raw.slice(last)}${closed ? '"' : ''}`;
}

/** The offset of each string literal's opening quote that holds `{{`, with its JSON Pointer and whether it is a member name. */
function placesOf(parsed: ParsedJson): Map<number, { pointer: string; key: boolean }> {
  const places = new Map<number, { pointer: string; key: boolean }>();
  // Iterative: documents nest at most MAX_JSON_DEPTH levels, but there is no need for recursion.
  const stack: Array<{ value: unknown; pointer: string }> = [{ value: parsed.value, pointer: '' }];
  while (stack.length) {
    const { value, pointer } = stack.pop()!;
    if (typeof value === 'string') {
      if (value.includes('{{')) {
        const at = parsed.location(pointer);
        if (at) places.set(at.valueStart, { pointer, key: false });
      }
    } else if (Array.isArray(value)) value.forEach((item, i) => stack.push({ value: item, pointer: appendPointer(pointer, i) }));
    else if (value !== null && typeof value === 'object')
      for (const [name, item] of Object.entries(value)) {
        const child = appendPointer(pointer, name);
        if (name.includes('{{')) {
          const at = parsed.location(child);
          if (at?.keyStart !== undefined) places.set(at.keyStart, { pointer: child, key: true });
        }
        stack.push({ value: item, pointer: child });
      }
  }
  return places;
}

/** The end (closing quote's offset, or the text's length) of the string literal whose opening quote is at `q`. */
function literalEnd(text: string, q: number): number {
  let j = q + 1;
  while (j < text.length) {
    const c = text.charCodeAt(j);
    if (c === 0x5c) j += 2;
    else if (c === 0x22) return j;
    else j++;
  }
  return text.length;
}

/**
 * Resolves every placeholder of a request's JSON text. `parsed` may be given when the caller parsed the
 * text already. A text that is not JSON is still resolved string by string, with no model types and
 * with `{{device}}` from the `device` variable.
 */
export function resolveText(text: string, ctx: VariableContext, parsed?: ParsedJson): ResolvedText {
  const out: ResolvedText = { text, substitutions: [], problems: [] };
  if (!mayHavePlaceholders(text)) return out;
  const tree = parsed ?? parseJson(text);
  const places = tree.value !== undefined ? placesOf(tree) : new Map<number, { pointer: string; key: boolean }>();
  const r: Resolution = {
    ctx,
    nowSeconds: nowEpoch((ctx.now ?? Date.now)()),
    uuid: ctx.uuid ?? defaultUuid,
    random: ctx.random ?? Math.random,
    device: undefined,
    inDeviceName: false,
  };
  const replacements = new Map<number, { end: number; text: string }>();
  const literal = (q: number): void => {
    const end = literalEnd(text, q);
    const raw = text.slice(q + 1, end);
    const place = places.get(q);
    let isKey = place?.key ?? false;
    if (!place) {
      let k = end + 1;
      while (k < text.length && /\s/.test(text[k]!)) k++;
      isKey = text[k] === ':';
    }
    const replaced = resolveLiteral(raw, q, end < text.length, isKey, place?.pointer, r, out);
    if (replaced !== undefined) replacements.set(q, { end: Math.min(end + 1, text.length), text: replaced });
  };
  // DeviceName first: `{{device}}` anywhere else is its value as sent.
  const deviceAt = tree.value !== undefined ? tree.location('/DeviceName') : undefined;
  const deviceValue = (tree.value as { DeviceName?: unknown } | undefined)?.DeviceName;
  if (deviceAt && typeof deviceValue === 'string') {
    if (places.has(deviceAt.valueStart)) {
      const before = out.problems.length;
      r.inDeviceName = true;
      literal(deviceAt.valueStart);
      r.inDeviceName = false;
      const replaced = replacements.get(deviceAt.valueStart)?.text;
      if (out.problems.length === before) r.device = replaced === undefined ? deviceValue : String(JSON.parse(replaced));
    } else r.device = deviceValue;
  }
  for (let q = text.indexOf('"'); q >= 0; q = text.indexOf('"', literalEnd(text, q) + 1)) {
    if (replacements.has(q) || (deviceAt && q === deviceAt.valueStart && places.has(q))) continue;
    const end = literalEnd(text, q);
    if (text.slice(q + 1, end).includes('{{')) literal(q);
  }
  if (replacements.size === 0) return out;
  let result = '';
  let last = 0;
  for (const q of [...replacements.keys()].sort((a, b) => a - b)) {
    const { end, text: replaced } = replacements.get(q)!;
    result += text.slice(last, q) + replaced;
    last = end;
  }
  out.text = result + text.slice(last);
  out.substitutions.sort((a, b) => a.offset - b.offset);
  out.problems.sort((a, b) => a.offset - b.offset);
  return out;
}

/** The sentence that refuses a send with unresolved placeholders. */
export function unresolvedSentence(problems: ReadonlyArray<{ message: string }>): string {
  const first = problems[0];
  if (!first) return '';
  return problems.length === 1 ? first.message : `${first.message} (and ${plural(problems.length - 1, 'more unresolved placeholder')})`;
}

/** A placeholder and what it became, for people (the inspector, `send --debug`). */
export interface SubstitutionLine {
  placeholder: string;
  value: string;
}

/** Substitutions as short lines for people: `{{now}} = 1764000000`, the same placeholder and value once. */
export function describeSubstitutions(substitutions: readonly Substitution[]): SubstitutionLine[] {
  const seen = new Set<string>();
  const lines: SubstitutionLine[] = [];
  for (const s of substitutions) {
    const key = `${s.placeholder}\u0000${s.value}`;
    if (seen.has(key)) continue;
    seen.add(key);
    lines.push({ placeholder: s.placeholder, value: s.value });
  }
  return lines;
}

export interface VariableResolverOptions extends VariableSources {
  /** The chosen environment's variables (from the environments file), if any. */
  environment?: Readonly<Record<string, string>>;
  environmentName?: string;
  /** `--var K=V` overrides: they beat the environment's values. */
  vars?: Readonly<Record<string, string>>;
}

/** Per-item resolution for a batch (replay): the same environment and sources, one call per request text. */
export interface VariableResolver {
  (text: string, options?: { operation?: Operation }): ResolvedText;
  /** Its variables and sources: what checkText takes to check a text as it will be sent. */
  readonly context: VariableContext;
}

/**
 * A resolver over one environment and overrides: replay calls it once per item, after its rewrites
 * (--rewrite-timestamps, --device-name, --fleet-name) and before signing, so `{{device}}` is the item's
 * DeviceName after --device-name.
 */
export function createVariableResolver(options: VariableResolverOptions): VariableResolver {
  const ctx: VariableContext = {
    variables: { ...options.environment, ...options.vars },
    ...(options.environmentName !== undefined ? { environmentName: options.environmentName } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.uuid ? { uuid: options.uuid } : {}),
    ...(options.random ? { random: options.random } : {}),
  };
  const resolve = (text: string, call: { operation?: Operation } = {}): ResolvedText =>
    resolveText(text, call.operation ? { ...ctx, operation: call.operation } : ctx);
  return Object.assign(resolve, { context: ctx });
}
