/**
 * Minimal edits to JSON text: change one value, insert or remove one member or array element, move
 * or duplicate an element — touching only the characters that must change.
 *
 * Why: the form view edits the same text the JSON view shows. Re-serialising the whole document on
 * every keystroke would reorder nothing but would reformat everything, drop the user's layout and
 * make undo useless. Splicing at the offsets parseJson records keeps key order, formatting and every
 * member the form does not show, and yields one small edit that an editor can put on its undo stack.
 */
import { parseJson, type ParsedJson, type Location } from './parse.ts';
import { appendPointer, getAt, parentPointer, splitPointer } from './pointer.ts';

/** Replace `length` characters at `offset` with `text`. */
export interface TextEdit {
  offset: number;
  length: number;
  text: string;
}

export type JsonChange =
  /** Set a member or element (created, with missing parents, when absent). `order` gives, for an
   * object's pointer, the member names in the order new members should take among their siblings. */
  | { op: 'set'; pointer: string; value: unknown; order?: MemberOrder }
  /** Remove a member or an array element. */
  | { op: 'remove'; pointer: string }
  /** Insert `value` into the array at `pointer` (the array) before `index` (or at the end); a missing
   * array is created, placed by `order`. */
  | { op: 'insert'; pointer: string; index?: number; value: unknown; order?: MemberOrder }
  /** Move the element at `pointer` (an element) to index `to` of the same array. */
  | { op: 'move'; pointer: string; to: number }
  /** Insert a copy of the element at `pointer` right after it, keeping its text as written. */
  | { op: 'duplicate'; pointer: string };

export type MemberOrder = (objectPointer: string) => readonly string[] | undefined;

export class JsonEditError extends Error {}

/** Applies `change` to `text`; `parsed` may be passed when the caller already has it. */
export function applyChange(text: string, change: JsonChange, parsed: ParsedJson = parseJson(text)): { text: string; edit: TextEdit } {
  const edit = editFor(text, change, parsed);
  return { text: text.slice(0, edit.offset) + edit.text + text.slice(edit.offset + edit.length), edit };
}

/** Shorthand for a `set` change: the new text. */
export function applyEdit(text: string, pointer: string, value: unknown, order?: MemberOrder): string {
  return applyChange(text, { op: 'set', pointer, value, order }).text;
}

export function editFor(text: string, change: JsonChange, parsed: ParsedJson = parseJson(text)): TextEdit {
  if (parsed.value === undefined || parsed.errors.some((e) => e.kind === 'syntax')) {
    throw new JsonEditError('The JSON text has a syntax error; fix it before editing the document from the form.');
  }
  const ctx = new Context(text, parsed, change.op === 'set' || change.op === 'insert' ? change.order : undefined);
  switch (change.op) {
    case 'set':
      return ctx.set(change.pointer, change.value);
    case 'remove':
      return ctx.remove(change.pointer);
    case 'insert':
      return ctx.insert(change.pointer, change.index, change.value);
    case 'move':
      return ctx.move(change.pointer, change.to);
    case 'duplicate':
      return ctx.duplicate(change.pointer);
  }
}

class Context {
  private readonly unit: string;
  private readonly compact: boolean;
  /** What the document writes between a key and its value (": " or ":"). */
  private readonly colon: string;

  constructor(
    private readonly text: string,
    private readonly parsed: ParsedJson,
    private readonly order: MemberOrder | undefined,
  ) {
    const root = parsed.location('')!;
    const newline = text.indexOf('\n', root.valueStart);
    this.compact = newline === -1 || newline >= root.valueEnd;
    this.unit = detectIndentUnit(text, parsed);
    // The colon style of the first member found, checking the root's first member, then its first item's.
    this.colon = this.compact ? ':' : ': ';
    const sample = firstMember(parsed);
    if (sample) this.colon = /:[ \t]/.test(text.slice(sample.keyEnd, sample.valueStart)) ? ': ' : ':';
  }

  set(pointer: string, value: unknown): TextEdit {
    const loc = this.parsed.location(pointer);
    if (loc)
      return {
        offset: loc.valueStart,
        length: loc.valueEnd - loc.valueStart,
        text: this.serialize(value, this.lineIndent(loc.keyStart ?? loc.valueStart)),
      };
    if (pointer === '') throw new JsonEditError('The document has no root value.');
    const parent = parentPointer(pointer);
    const token = splitPointer(pointer).pop()!;
    const container = getAt(this.parsed.value, parent);
    if (container === undefined) {
      // Create the missing parent holding just this member or element.
      if (/^\d+$/.test(token) && token !== '0') throw new JsonEditError(`Cannot create element ${token} of a missing array.`);
      return this.set(parent, token === '0' || token === '-' ? [value] : { [token]: value });
    }
    if (Array.isArray(container)) {
      const index = token === '-' ? container.length : Number(token);
      if (index !== container.length) throw new JsonEditError(`Element ${token} is beyond the end of the array at "${parent}".`);
      return this.insert(parent, index, value);
    }
    if (container === null || typeof container !== 'object') throw new JsonEditError(`The value at "${parent}" is not an object.`);
    return this.addMember(parent, token, value, this.order?.(parent));
  }

  remove(pointer: string): TextEdit {
    const loc = this.parsed.location(pointer);
    if (!loc || pointer === '') throw new JsonEditError(`Nothing to remove at "${pointer}".`);
    const siblings = this.children(parentPointer(pointer));
    const i = siblings.findIndex((s) => s.pointer === pointer);
    const start = (l: Location): number => l.keyStart ?? l.valueStart;
    if (siblings.length === 1) {
      const container = this.parsed.location(parentPointer(pointer))!;
      return { offset: container.valueStart + 1, length: container.valueEnd - container.valueStart - 2, text: '' };
    }
    if (i < siblings.length - 1) {
      // Remove from this member up to the next one: `"A": 1,\n  ` goes.
      const from = start(loc);
      return { offset: from, length: start(siblings[i + 1].loc) - from, text: '' };
    }
    // The last one: remove from the end of the previous member, taking the comma.
    const from = siblings[i - 1].loc.valueEnd;
    return { offset: from, length: loc.valueEnd - from, text: '' };
  }

  insert(arrayPointer: string, index: number | undefined, value: unknown, raw?: string): TextEdit {
    const array = getAt(this.parsed.value, arrayPointer);
    if (array === undefined) {
      if (index !== undefined && index !== 0) throw new JsonEditError(`There is no array at "${arrayPointer}".`);
      return this.set(arrayPointer, [value]);
    }
    if (!Array.isArray(array)) throw new JsonEditError(`The value at "${arrayPointer}" is not an array.`);
    const at = index === undefined ? array.length : index;
    if (at < 0 || at > array.length)
      throw new JsonEditError(`Index ${at} is outside the array at "${arrayPointer}" (length ${array.length}).`);
    const elements = this.children(arrayPointer);
    if (elements.length === 0) return this.fillEmpty(arrayPointer, (indent) => raw ?? this.serialize(value, indent));
    const reference = elements[Math.min(at, elements.length - 1)].loc;
    const gap = this.leadingGap(reference.valueStart);
    const itemText = raw ?? this.serialize(value, lastLine(gap));
    if (at < elements.length) return { offset: reference.valueStart, length: 0, text: `${itemText},${gap}` };
    return { offset: reference.valueEnd, length: 0, text: `,${gap}${itemText}` };
  }

  move(pointer: string, to: number): TextEdit {
    const arrayPointer = parentPointer(pointer);
    const elements = this.children(arrayPointer);
    const from = elements.findIndex((e) => e.pointer === pointer);
    if (from < 0) throw new JsonEditError(`There is no array element at "${pointer}".`);
    if (to < 0 || to >= elements.length) throw new JsonEditError(`Cannot move to index ${to}: the array has ${elements.length} elements.`);
    const lo = Math.min(from, to);
    const hi = Math.max(from, to);
    const pieces = elements.slice(lo, hi + 1).map((e) => this.text.slice(e.loc.valueStart, e.loc.valueEnd));
    const separators = elements.slice(lo, hi).map((e, k) => this.text.slice(e.loc.valueEnd, elements[lo + k + 1].loc.valueStart));
    const [moved] = pieces.splice(from - lo, 1);
    pieces.splice(to - lo, 0, moved);
    const joined = pieces.map((p, k) => (k < separators.length ? p + separators[k] : p)).join('');
    const start = elements[lo].loc.valueStart;
    return { offset: start, length: elements[hi].loc.valueEnd - start, text: joined };
  }

  duplicate(pointer: string): TextEdit {
    const loc = this.parsed.location(pointer);
    const arrayPointer = parentPointer(pointer);
    const index = Number(splitPointer(pointer).pop());
    if (!loc || !Array.isArray(getAt(this.parsed.value, arrayPointer)))
      throw new JsonEditError(`There is no array element at "${pointer}".`);
    return this.insert(arrayPointer, index + 1, undefined, this.text.slice(loc.valueStart, loc.valueEnd));
  }

  private addMember(objectPointer: string, name: string, value: unknown, order?: readonly string[]): TextEdit {
    const members = this.children(objectPointer);
    const keyText = JSON.stringify(name);
    if (members.length === 0) return this.fillEmpty(objectPointer, (indent) => `${keyText}${this.colon}${this.serialize(value, indent)}`);
    // Place it after the last present member that precedes it in `order`, else first (or last without an order).
    let after = order ? -1 : members.length - 1;
    if (order) {
      const rank = order.indexOf(name);
      members.forEach((m, i) => {
        const r = order.indexOf(m.name);
        if (r !== -1 && rank !== -1 && r < rank) after = i;
      });
      if (rank === -1) after = members.length - 1;
    }
    const reference = members[Math.max(after, 0)].loc;
    const gap = this.leadingGap(reference.keyStart!);
    const memberText = `${keyText}${this.colon}${this.serialize(value, lastLine(gap))}`;
    if (after === -1) return { offset: reference.keyStart!, length: 0, text: `${memberText},${gap}` };
    return { offset: reference.valueEnd, length: 0, text: `,${gap}${memberText}` };
  }

  /** Replaces an empty `{}` / `[]` with one holding `content`. */
  private fillEmpty(pointer: string, content: (indent: string) => string): TextEdit {
    const loc = this.parsed.location(pointer)!;
    const open = this.text[loc.valueStart];
    const close = open === '{' ? '}' : ']';
    const length = loc.valueEnd - loc.valueStart;
    if (this.compact) return { offset: loc.valueStart, length, text: `${open}${content('')}${close}` };
    const outer = this.lineIndent(loc.keyStart ?? loc.valueStart);
    const inner = outer + this.unit;
    return { offset: loc.valueStart, length, text: `${open}\n${inner}${content(inner)}\n${outer}${close}` };
  }

  /** Members or elements of the container at `pointer`, in text order. */
  private children(pointer: string): { pointer: string; name: string; loc: Location }[] {
    const container = getAt(this.parsed.value, pointer);
    const out: { pointer: string; name: string; loc: Location }[] = [];
    if (Array.isArray(container)) {
      container.forEach((_, i) => {
        const p = appendPointer(pointer, i);
        out.push({ pointer: p, name: String(i), loc: this.parsed.location(p)! });
      });
    } else if (container !== null && typeof container === 'object') {
      for (const name of Object.keys(container)) {
        const p = appendPointer(pointer, name);
        const loc = this.parsed.location(p);
        if (loc) out.push({ pointer: p, name, loc });
      }
      out.sort((a, b) => a.loc.keyStart! - b.loc.keyStart!);
    }
    return out;
  }

  /** The whitespace before `offset` back to the previous `,`, `[` or `{` (e.g. "\n    "). */
  private leadingGap(offset: number): string {
    let i = offset;
    while (i > 0 && /\s/.test(this.text[i - 1])) i--;
    return this.text.slice(i, offset);
  }

  /** Leading whitespace of the line holding `offset`. */
  private lineIndent(offset: number): string {
    const lineStart = this.text.lastIndexOf('\n', offset - 1) + 1;
    return /^[ \t]*/.exec(this.text.slice(lineStart, offset))![0];
  }

  private serialize(value: unknown, indent: string): string {
    if (value === undefined) throw new JsonEditError('A JSON value cannot be undefined.');
    if (typeof value === 'number' && !Number.isFinite(value)) throw new JsonEditError(`${value} is not a JSON number.`);
    if (this.compact || value === null || typeof value !== 'object') return JSON.stringify(value);
    return JSON.stringify(value, null, this.unit).replace(/\n/g, `\n${indent}`);
  }
}

/** A located object member near the top of the document, to learn the document's style from. */
function firstMember(parsed: ParsedJson): Location | undefined {
  let node: unknown = parsed.value;
  let pointer = '';
  for (let depth = 0; depth < 4 && node !== null && typeof node === 'object'; depth++) {
    if (Array.isArray(node)) {
      if (!node.length) return undefined;
      pointer = appendPointer(pointer, 0);
      node = node[0];
      continue;
    }
    const key = Object.keys(node)[0];
    if (key === undefined) return undefined;
    return parsed.location(appendPointer(pointer, key));
  }
  return undefined;
}

function lastLine(gap: string): string {
  const i = gap.lastIndexOf('\n');
  return i === -1 ? '' : gap.slice(i + 1);
}

/** The document's indentation step: the first nested member's indent minus its parent's. Two spaces by default. */
function detectIndentUnit(text: string, parsed: ParsedJson): string {
  const root = parsed.value;
  if (root === null || typeof root !== 'object') return '  ';
  const first = Array.isArray(root) ? (root.length ? '/0' : undefined) : Object.keys(root).map((k) => appendPointer('', k))[0];
  const loc = first === undefined ? undefined : parsed.location(first);
  if (!loc) return '  ';
  const start = loc.keyStart ?? loc.valueStart;
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const ws = text.slice(lineStart, start);
  return lineStart > 0 && /^[ \t]+$/.test(ws) ? ws : '  ';
}
