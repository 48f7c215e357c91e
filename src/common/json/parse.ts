/**
 * JSON text → value, plus where every member sits in the text.
 *
 * Why not JSON.parse: it silently keeps the last of duplicate keys and cannot say where a value is.
 * Why not a library: the ones that report positions recurse per nesting level (10,000 levels of
 * nesting overflow the stack) and do not report duplicates. This parser is iterative, strict
 * RFC 8259, and records only offsets; line/column are computed on demand from a line table.
 * Columns count UTF-16 code units, 1-based, as Monaco and most editors do.
 */
import { appendPointer, parentPointer } from './pointer.ts';

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
  /** Pointer → offsets. Empty when parsed with `positions: false`. */
  locations: Map<string, Location>;
  /** Line and column of an offset. */
  positionAt(offset: number): Position;
  /** Where to show something about `pointer`: its key, else its value, else its nearest located ancestor. */
  locate(pointer: string): Position;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WHITESPACE = /[ \t\n\r]*/y;

interface Frame {
  kind: 'object' | 'array';
  container: Record<string, unknown> | unknown[];
  pointer: string;
  /** Key of the member being parsed (objects). */
  key: string;
  keyStart: number;
  keyEnd: number;
  valueStart: number;
  /** Start offset of the container itself. */
  start: number;
}

class SyntaxFailure {
  constructor(
    readonly message: string,
    readonly offset: number,
    readonly path: string,
  ) {}
}

function describeChar(text: string, offset: number): string {
  if (offset >= text.length) return 'the end of the input';
  const code = text.codePointAt(offset)!;
  if (code < 0x20 || code === 0x7f || code === 0xfffd) return `the character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return `"${String.fromCodePoint(code)}"`;
}

function lineStarts(text: string): number[] {
  const starts = [text.charCodeAt(0) === 0xfeff ? 1 : 0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

export function parseJson(text: string, options: { positions?: boolean } = {}): ParsedJson {
  const withPositions = options.positions !== false;
  const locations = new Map<string, Location>();
  const errors: JsonParseError[] = [];
  let starts: number[] | undefined;
  const positionAt = (offset: number): Position => {
    starts ??= lineStarts(text);
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: Math.max(1, offset - starts[lo] + 1), offset };
  };
  const locate = (pointer: string): Position => {
    for (let p = pointer; ; p = parentPointer(p)) {
      const loc = locations.get(p);
      if (loc) return positionAt(loc.keyStart ?? loc.valueStart);
      if (p === '') return positionAt(text.charCodeAt(0) === 0xfeff ? 1 : 0);
    }
  };

  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const skipWhitespace = (): void => {
    WHITESPACE.lastIndex = pos;
    WHITESPACE.test(text);
    pos = WHITESPACE.lastIndex;
  };

  const readString = (path: string): string => {
    const start = pos; // at the opening quote
    let i = pos + 1;
    let escaped = false;
    for (;;) {
      if (i >= text.length) throw new SyntaxFailure('Unterminated string: expected a closing ".', start, path);
      const c = text.charCodeAt(i);
      if (c === 0x22) break;
      if (c === 0x5c) {
        escaped = true;
        i += 2;
        continue;
      }
      if (c < 0x20) throw new SyntaxFailure(`Unescaped control character U+${c.toString(16).toUpperCase().padStart(4, '0')} in a string: write it as an escape such as \\n or \\u00XX.`, i, path);
      i++;
    }
    pos = i + 1;
    if (!escaped) return text.slice(start + 1, i);
    try {
      return JSON.parse(text.slice(start, i + 1)) as string;
    } catch {
      const bad = /\\(?:u(?![0-9a-fA-F]{4})|[^"\\/bfnrtu])/.exec(text.slice(start, i + 1));
      const at = bad ? start + bad.index : start;
      throw new SyntaxFailure('Invalid escape sequence in a string: use \\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX.', at, path);
    }
  };

  // Reads a scalar at pos, or returns a new frame for an object/array.
  const readValue = (path: string): { value: unknown; frame?: Frame } => {
    const c = text.charCodeAt(pos);
    const start = pos;
    switch (c) {
      case 0x7b: // {
        pos++;
        return { value: undefined, frame: { kind: 'object', container: {}, pointer: path, key: '', keyStart: 0, keyEnd: 0, valueStart: 0, start } };
      case 0x5b: // [
        pos++;
        return { value: undefined, frame: { kind: 'array', container: [], pointer: path, key: '', keyStart: 0, keyEnd: 0, valueStart: 0, start } };
      case 0x22:
        return { value: readString(path) };
      case 0x74:
        if (text.startsWith('true', pos)) return (pos += 4), { value: true };
        break;
      case 0x66:
        if (text.startsWith('false', pos)) return (pos += 5), { value: false };
        break;
      case 0x6e:
        if (text.startsWith('null', pos)) return (pos += 4), { value: null };
        break;
      default:
        if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
          NUMBER.lastIndex = pos;
          const m = NUMBER.exec(text);
          if (m && m[0] !== '-') {
            pos += m[0].length;
            return { value: Number(m[0]) };
          }
          throw new SyntaxFailure(`Invalid number: expected a digit after "-".`, pos, path);
        }
    }
    if (pos >= text.length) throw new SyntaxFailure('Unexpected end of input: expected a JSON value.', pos, path);
    throw new SyntaxFailure(`Expected a JSON value (object, array, string, number, true, false or null), found ${describeChar(text, pos)}.`, pos, path);
  };

  let root: unknown;
  const stack: Frame[] = [];

  const record = (pointer: string, loc: Location): void => {
    if (withPositions) locations.set(pointer, loc);
  };

  // Attach a finished value to the frame on top of the stack (or make it the root).
  const attach = (value: unknown, valueStart: number, valueEnd: number): void => {
    const top = stack[stack.length - 1];
    if (!top) {
      root = value;
      record('', { valueStart, valueEnd });
      return;
    }
    if (top.kind === 'array') {
      const arr = top.container as unknown[];
      record(appendPointer(top.pointer, arr.length), { valueStart, valueEnd });
      arr.push(value);
      return;
    }
    const obj = top.container as Record<string, unknown>;
    const pointer = appendPointer(top.pointer, top.key);
    if (Object.prototype.hasOwnProperty.call(obj, top.key)) {
      const where = positionAt(top.keyStart);
      errors.push({ kind: 'duplicate-key', path: pointer, message: `Duplicate key "${top.key}": a member may appear only once (JSON.parse would silently keep the last one).`, offset: top.keyStart, line: where.line, column: where.column });
    }
    // defineProperty keeps "__proto__" an ordinary own member instead of setting the prototype.
    Object.defineProperty(obj, top.key, { value, enumerable: true, writable: true, configurable: true });
    record(pointer, { keyStart: top.keyStart, keyEnd: top.keyEnd, valueStart, valueEnd });
  };

  // Parses an object key and colon; leaves pos at the value.
  const readKey = (frame: Frame): void => {
    skipWhitespace();
    if (text.charCodeAt(pos) !== 0x22) {
      throw new SyntaxFailure(`Expected a member name in double quotes, found ${describeChar(text, pos)}.`, pos, frame.pointer);
    }
    frame.keyStart = pos;
    frame.key = readString(frame.pointer);
    frame.keyEnd = pos;
    skipWhitespace();
    if (text.charCodeAt(pos) !== 0x3a) throw new SyntaxFailure(`Expected ":" after the member name "${frame.key}", found ${describeChar(text, pos)}.`, pos, appendPointer(frame.pointer, frame.key));
    pos++;
    skipWhitespace();
  };

  try {
    skipWhitespace();
    if (pos >= text.length) throw new SyntaxFailure('The document is empty: expected a JSON value.', pos, '');
    const rootStart = pos;
    let pending: { value: unknown; frame?: Frame } = readValue('');
    for (;;) {
      if (pending.frame) {
        const frame = pending.frame;
        stack.push(frame);
        skipWhitespace();
        const close = frame.kind === 'object' ? 0x7d : 0x5d;
        if (text.charCodeAt(pos) === close) {
          pos++;
          stack.pop();
          attach(frame.container, frame.start, pos);
        } else {
          if (frame.kind === 'object') readKey(frame);
          const childPath = frame.kind === 'object' ? appendPointer(frame.pointer, frame.key) : appendPointer(frame.pointer, (frame.container as unknown[]).length);
          frame.valueStart = pos;
          pending = readValue(childPath);
          continue;
        }
      } else {
        const top = stack[stack.length - 1];
        attach(pending.value, top ? top.valueStart : rootStart, pos);
      }
      // After a complete value: close containers or move to the next member.
      let advanced = false;
      while (stack.length > 0) {
        const frame = stack[stack.length - 1];
        skipWhitespace();
        const c = text.charCodeAt(pos);
        const close = frame.kind === 'object' ? 0x7d : 0x5d;
        if (c === 0x2c) {
          pos++;
          skipWhitespace();
          if (text.charCodeAt(pos) === close) throw new SyntaxFailure(`Trailing comma: expected a ${frame.kind === 'object' ? 'member' : 'value'} after ",".`, pos, frame.pointer);
          if (frame.kind === 'object') readKey(frame);
          const childPath = frame.kind === 'object' ? appendPointer(frame.pointer, frame.key) : appendPointer(frame.pointer, (frame.container as unknown[]).length);
          frame.valueStart = pos;
          pending = readValue(childPath);
          advanced = true;
          break;
        }
        if (c === close) {
          pos++;
          stack.pop();
          attach(frame.container, frame.start, pos);
          continue;
        }
        const expected = frame.kind === 'object' ? '"," or "}"' : '"," or "]"';
        throw new SyntaxFailure(`Expected ${expected} after a ${frame.kind === 'object' ? 'member' : 'value'}, found ${describeChar(text, pos)}.`, pos, frame.pointer);
      }
      if (advanced) continue;
      skipWhitespace();
      if (pos < text.length) throw new SyntaxFailure(`Unexpected ${describeChar(text, pos)} after the JSON value: a document holds exactly one value.`, pos, '');
      break;
    }
  } catch (failure) {
    if (!(failure instanceof SyntaxFailure)) throw failure;
    const where = positionAt(failure.offset);
    errors.push({ kind: 'syntax', path: failure.path, message: failure.message, offset: failure.offset, line: where.line, column: where.column });
    return { value: undefined, errors, locations, positionAt, locate };
  }
  return { value: root, errors, locations, positionAt, locate };
}
