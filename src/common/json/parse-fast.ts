/**
 * The fast path for servers: JSON.parse's value when the text is strict JSON with no duplicate key,
 * else undefined (then parseJson gives the verdict with positions). Duplicates are ruled out by
 * counting: every member name in the text is a `"` followed by `:`, so the text has at least as
 * many `"…:` sequences as members; JSON.parse keeps one member per name; equal counts prove no name
 * was dropped. A string that contains `\":` only makes the count larger, which falls back, never
 * wrongly passes.
 */
export function parseJsonFast(text: string): { value: unknown } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return countNameEnds(text) === countMembers(value) ? { value } : undefined;
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

function countMembers(root: unknown): number {
  let n = 0;
  const stack: unknown[] = [root];
  while (stack.length) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object') continue;
    if (Array.isArray(v)) {
      for (const item of v) stack.push(item);
    } else {
      for (const key in v) {
        n++;
        stack.push((v as Record<string, unknown>)[key]);
      }
    }
  }
  return n;
}
