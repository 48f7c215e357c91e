/**
 * JSON text → value, plus where every member sits in the text.
 *
 * Why not JSON.parse: it silently keeps the last of duplicate keys and cannot say where a value is.
 * Why not a library: the ones that report positions recurse per nesting level (10,000 levels of
 * nesting overflow the stack) and do not report duplicates. This parser is iterative, strict
 * RFC 8259, refuses nesting deeper than MAX_JSON_DEPTH (so no later recursive walk, JSON.stringify
 * included, can overflow the stack on a parsed document), and fast enough for 10 MB payloads: it builds no pointer strings while parsing. Each
 * container gets a flat table of offsets; pointers and line/column are computed on demand.
 * Columns count UTF-16 code units, 1-based, as Monaco and most editors do.
 */
import { appendPointer, joinPointer, parentPointer, splitPointer } from './pointer.ts';

export interface Position {
  line: number;
  column: number;
  offset: number;
}

/** Offsets of a member's key (objects only) and value, end exclusive. */
export interface Location {
  keyStart?: number;
  keyEnd?: number;
  valueStart: number;
  valueEnd: number;
}

export interface JsonParseError {
  kind: 'syntax' | 'duplicate-key';
  /** JSON Pointer of the value being parsed (for duplicates: the duplicated member). */
  path: string;
  message: string;
  offset: number;
  line: number;
  column: number;
}

export interface ParsedJson {
  /** The value; undefined when a syntax error stopped the parse. */
  value: unknown;
  errors: JsonParseError[];
  /** Offsets of the value at `pointer` (and its key), or undefined. Needs `positions` (the default). */
  location(pointer: string): Location | undefined;
  /** Every pointer's location, built on first use (costly for huge documents: prefer `location`). */
  readonly locations: Map<string, Location>;
  /** Line and column of an offset. */
  positionAt(offset: number): Position;
  /** Where to show something about `pointer`: its key, else its value, else its nearest located ancestor. */
  locate(pointer: string): Position;
}

/** Objects and arrays may nest this deep (the root container is level 1). Deeper input is refused before anything walks it recursively. */
export const MAX_JSON_DEPTH = 64;
/** The one sentence every reader (endpoint, CLI, app) gives for deeper input. */
export const TOO_DEEP_MESSAGE = `Objects and arrays nest more than ${MAX_JSON_DEPTH} levels deep here; a document may nest at most ${MAX_JSON_DEPTH} levels.`;

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

type Container = Record<string, unknown> | unknown[];

/**
 * Offsets of a container's children. Arrays: [valueStart, valueEnd] per item. Objects: [keyStart,
 * keyEnd, valueStart, valueEnd] per member, in `keys` order (kept apart from Object.keys, which
 * puts integer-like keys first).
 */
interface Table {
  keys?: string[];
  offsets: number[];
}

interface Frame {
  isObject: boolean;
  container: Container;
  table: Table | undefined;
  key: string;
  keyStart: number;
  keyEnd: number;
  valueStart: number;
  start: number;
}

class SyntaxFailure {
  constructor(
    readonly message: string,
    readonly offset: number,
  ) {}
}

function describeChar(text: string, offset: number): string {
  if (offset >= text.length) return 'the end of the input';
  const code = text.codePointAt(offset)!;
  if (code < 0x20 || code === 0x7f || code === 0xfffd) return `the character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return `"${String.fromCodePoint(code)}"`;
}

function hex4(code: number): string {
  return code.toString(16).toUpperCase().padStart(4, '0');
}

export function parseJson(text: string, options: { positions?: boolean } = {}): ParsedJson {
  const withPositions = options.positions !== false;
  const tables = new Map<Container, Table>();
  const errors: JsonParseError[] = [];
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const length = text.length;
  let pos = bom;
  let root: unknown;
  let rootStart = bom;
  let rootEnd = bom;
  const stack: Frame[] = [];
  let inValue = false;

  const skipWhitespace = (): void => {
    let c = text.charCodeAt(pos);
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = text.charCodeAt(++pos);
  };

  const pathOfStack = (extra?: string | number): string => {
    const tokens: (string | number)[] = [];
    for (const f of stack) tokens.push(f.isObject ? f.key : (f.container as unknown[]).length);
    if (extra !== undefined) tokens.push(extra);
    return joinPointer(tokens);
  };

  const readString = (): string => {
    const start = pos; // at the opening quote
    let i = pos + 1;
    let escaped = false;
    for (;;) {
      if (i >= length) throw new SyntaxFailure('Unterminated string: expected a closing ".', start);
      const c = text.charCodeAt(i);
      if (c === 0x22) break;
      if (c === 0x5c) {
        escaped = true;
        i += 2;
        continue;
      }
      if (c < 0x20)
        throw new SyntaxFailure(`Unescaped control character U+${hex4(c)} in a string: write it as an escape such as \\n or \\u00XX.`, i);
      i++;
    }
    pos = i + 1;
    if (!escaped) return text.slice(start + 1, i);
    try {
      return JSON.parse(text.slice(start, i + 1)) as string;
    } catch {
      const bad = /\\(?:u(?![0-9a-fA-F]{4})|[^"\\/bfnrtu])/.exec(text.slice(start, i + 1));
      throw new SyntaxFailure(
        'Invalid escape sequence in a string: use \\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX.',
        bad ? start + bad.index : start,
      );
    }
  };

  const readScalar = (): unknown => {
    const c = text.charCodeAt(pos);
    if (c === 0x22) return readString();
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      NUMBER.lastIndex = pos;
      const m = NUMBER.exec(text);
      if (!m || m[0] === '-') throw new SyntaxFailure('Invalid number: expected a digit after "-".', pos);
      pos += m[0].length;
      return Number(m[0]);
    }
    if (c === 0x74 && text.startsWith('true', pos)) return ((pos += 4), true);
    if (c === 0x66 && text.startsWith('false', pos)) return ((pos += 5), false);
    if (c === 0x6e && text.startsWith('null', pos)) return ((pos += 4), null);
    if (pos >= length) throw new SyntaxFailure('Unexpected end of input: expected a JSON value.', pos);
    throw new SyntaxFailure(
      `Expected a JSON value (object, array, string, number, true, false or null), found ${describeChar(text, pos)}.`,
      pos,
    );
  };

  // Parses an object key and colon into the frame; leaves pos at the value.
  const readKey = (frame: Frame): void => {
    skipWhitespace();
    if (text.charCodeAt(pos) !== 0x22)
      throw new SyntaxFailure(`Expected a member name in double quotes, found ${describeChar(text, pos)}.`, pos);
    frame.keyStart = pos;
    frame.key = readString();
    frame.keyEnd = pos;
    skipWhitespace();
    if (text.charCodeAt(pos) !== 0x3a)
      throw new SyntaxFailure(`Expected ":" after the member name "${frame.key}", found ${describeChar(text, pos)}.`, pos);
    pos++;
    skipWhitespace();
  };

  // Attaches a finished value to the innermost open container, or makes it the root.
  const attach = (value: unknown, valueStart: number, valueEnd: number): void => {
    const top = stack.length > 0 ? stack[stack.length - 1] : undefined;
    if (!top) {
      root = value;
      rootStart = valueStart;
      rootEnd = valueEnd;
      return;
    }
    if (!top.isObject) {
      (top.container as unknown[]).push(value);
      top.table?.offsets.push(valueStart, valueEnd);
      return;
    }
    const obj = top.container as Record<string, unknown>;
    const key = top.key;
    if (Object.hasOwn(obj, key)) {
      const where = positionAt(top.keyStart);
      errors.push({
        kind: 'duplicate-key',
        path: pathOfStack(),
        message: `Duplicate key "${key}": a member may appear only once (JSON.parse would silently keep the last one).`,
        offset: top.keyStart,
        line: where.line,
        column: where.column,
      });
      if (top.table) top.table.offsets.splice(top.table.keys!.indexOf(key) * 4, 4, top.keyStart, top.keyEnd, valueStart, valueEnd);
    } else if (top.table) {
      top.table.keys!.push(key);
      top.table.offsets.push(top.keyStart, top.keyEnd, valueStart, valueEnd);
    }
    // defineProperty keeps "__proto__" an ordinary own member instead of setting the prototype.
    if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
    else obj[key] = value;
  };

  const open = (isObject: boolean): Frame => {
    if (stack.length >= MAX_JSON_DEPTH) throw new SyntaxFailure(TOO_DEEP_MESSAGE, pos);
    const container: Container = isObject ? {} : [];
    const table: Table | undefined = withPositions ? (isObject ? { keys: [], offsets: [] } : { offsets: [] }) : undefined;
    if (table) tables.set(container, table);
    return { isObject, container, table, key: '', keyStart: 0, keyEnd: 0, valueStart: 0, start: pos };
  };

  let starts: number[] | undefined;
  function positionAt(offset: number): Position {
    if (!starts) {
      starts = [bom];
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    }
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: Math.max(1, offset - starts[lo] + 1), offset };
  }

  try {
    skipWhitespace();
    if (pos >= length) throw new SyntaxFailure('The document is empty: expected a JSON value.', pos);
    value: for (;;) {
      // At the start of a value.
      inValue = true;
      const start = pos;
      const c = text.charCodeAt(pos);
      if (c === 0x7b || c === 0x5b) {
        const frame = open(c === 0x7b);
        pos++;
        skipWhitespace();
        if (text.charCodeAt(pos) !== (frame.isObject ? 0x7d : 0x5d)) {
          stack.push(frame);
          inValue = false;
          if (frame.isObject) readKey(frame);
          frame.valueStart = pos;
          continue value;
        }
        pos++;
        attach(frame.container, start, pos);
      } else {
        const scalar = readScalar();
        attach(scalar, start, pos);
      }
      // After a complete value: close containers, or move on to the next member.
      inValue = false;
      while (stack.length > 0) {
        const frame = stack[stack.length - 1];
        skipWhitespace();
        const next = text.charCodeAt(pos);
        const close = frame.isObject ? 0x7d : 0x5d;
        if (next === 0x2c) {
          pos++;
          skipWhitespace();
          if (text.charCodeAt(pos) === close)
            throw new SyntaxFailure(`Trailing comma: expected a ${frame.isObject ? 'member' : 'value'} after ",".`, pos);
          if (frame.isObject) readKey(frame);
          frame.valueStart = pos;
          continue value;
        }
        if (next !== close) {
          const expected = frame.isObject ? '"," or "}" after a member' : '"," or "]" after a value';
          throw new SyntaxFailure(`Expected ${expected}, found ${describeChar(text, pos)}.`, pos);
        }
        pos++;
        stack.pop();
        attach(frame.container, frame.start, pos);
      }
      skipWhitespace();
      if (pos < length)
        throw new SyntaxFailure(`Unexpected ${describeChar(text, pos)} after the JSON value: a document holds exactly one value.`, pos);
      break;
    }
  } catch (failure) {
    if (!(failure instanceof SyntaxFailure)) throw failure;
    const where = positionAt(failure.offset);
    // A failure inside a value points at that value; one between members at the container.
    const path = inValue
      ? pathOfStack()
      : joinPointer(stack.slice(0, -1).map((f) => (f.isObject ? f.key : (f.container as unknown[]).length)));
    errors.push({ kind: 'syntax', path, message: failure.message, offset: failure.offset, line: where.line, column: where.column });
    root = undefined;
  }

  const parsedRoot = root;
  const location = (pointer: string): Location | undefined => {
    if (parsedRoot === undefined || !withPositions) return undefined;
    let node: unknown = parsedRoot;
    let loc: Location = { valueStart: rootStart, valueEnd: rootEnd };
    for (const token of splitPointer(pointer)) {
      const table = node !== null && typeof node === 'object' ? tables.get(node as Container) : undefined;
      if (!table) return undefined;
      if (Array.isArray(node)) {
        if (!/^(0|[1-9]\d*)$/.test(token) || Number(token) >= node.length) return undefined;
        const i = Number(token);
        loc = { valueStart: table.offsets[2 * i], valueEnd: table.offsets[2 * i + 1] };
        node = node[i];
      } else {
        const i = table.keys!.indexOf(token);
        if (i < 0) return undefined;
        const o = table.offsets;
        loc = { keyStart: o[4 * i], keyEnd: o[4 * i + 1], valueStart: o[4 * i + 2], valueEnd: o[4 * i + 3] };
        node = (node as Record<string, unknown>)[token];
      }
    }
    return loc;
  };

  let all: Map<string, Location> | undefined;
  const buildAll = (): Map<string, Location> => {
    const map = new Map<string, Location>();
    if (parsedRoot === undefined || !withPositions) return map;
    map.set('', { valueStart: rootStart, valueEnd: rootEnd });
    const work: [unknown, string][] = [[parsedRoot, '']];
    while (work.length) {
      const [node, pointer] = work.pop()!;
      const table = node !== null && typeof node === 'object' ? tables.get(node as Container) : undefined;
      if (!table) continue;
      if (Array.isArray(node)) {
        const o = table.offsets;
        node.forEach((child, i) => {
          const p = appendPointer(pointer, i);
          map.set(p, { valueStart: o[2 * i], valueEnd: o[2 * i + 1] });
          work.push([child, p]);
        });
      } else {
        const o = table.offsets;
        table.keys!.forEach((key, i) => {
          const p = appendPointer(pointer, key);
          map.set(p, { keyStart: o[4 * i], keyEnd: o[4 * i + 1], valueStart: o[4 * i + 2], valueEnd: o[4 * i + 3] });
          work.push([(node as Record<string, unknown>)[key], p]);
        });
      }
    }
    return map;
  };

  const locate = (pointer: string): Position => {
    for (let p = pointer; ; p = parentPointer(p)) {
      const loc = location(p);
      if (loc) return positionAt(loc.keyStart ?? loc.valueStart);
      if (p === '') return positionAt(bom);
    }
  };

  return {
    value: parsedRoot,
    errors,
    location,
    get locations() {
      return (all ??= buildAll());
    },
    positionAt,
    locate,
  };
}
