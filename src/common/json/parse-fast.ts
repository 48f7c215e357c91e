/**
 * The fast path for servers: JSON.parse's value when the text is strict JSON with no duplicate key,
 * else undefined (then parseJson gives the verdict with positions). Duplicates are ruled out by
 * counting: every member name in the text is a `"` followed by `:`, so the text has at least as
 * many `"…:` sequences as members; JSON.parse keeps one member per name; equal counts prove no name
 * was dropped. A string that contains `\":` only makes the count larger, which falls back, never
 * wrongly passes. Nesting deeper than MAX_JSON_DEPTH falls back too (parseJson refuses it).
 */
import { MAX_JSON_DEPTH } from './parse.ts';

export function parseJsonFast(text: string): { value: unknown } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const members = countMembers(value);
  return members >= 0 && countNameEnds(text) === members ? { value } : undefined;
}

/** How many times `"` followed by JSON white space and `:` occurs: at least once per member, more only inside strings. */
function countNameEnds(text: string): number {
  let n = 0;
  for (let colon = text.indexOf(':'); colon >= 0; colon = text.indexOf(':', colon + 1)) {
    let i = colon - 1;
    let c = text.charCodeAt(i);
    while (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) c = text.charCodeAt(--i);
    if (c === 0x22) n++;
  }
  return n;
}

/** Members in the whole document, or -1 when it nests deeper than MAX_JSON_DEPTH. Only containers go on the stack, each with its level. */
function countMembers(root: unknown): number {
  if (root === null || typeof root !== 'object') return 0;
  let n = 0;
  const stack: object[] = [root];
  const levels: number[] = [1];
  while (stack.length) {
    const v = stack.pop()!;
    const level = levels.pop()!;
    if (level > MAX_JSON_DEPTH) return -1;
    if (Array.isArray(v)) {
      for (const item of v) {
        if (item !== null && typeof item === 'object') {
          stack.push(item);
          levels.push(level + 1);
        }
      }
    } else {
      for (const key in v) {
        n++;
        const item = (v as Record<string, unknown>)[key];
        if (item !== null && typeof item === 'object') {
          stack.push(item);
          levels.push(level + 1);
        }
      }
    }
  }
  return n;
}
