/** Text differences small enough to apply as one editor edit. */

/** The smallest single replacement turning `before` into `after`. */
export function minimalReplace(before: string, after: string): { start: number; endBefore: number; text: string } {
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before.charCodeAt(endBefore - 1) === after.charCodeAt(endAfter - 1)) {
    endBefore--;
    endAfter--;
  }
  return { start, endBefore, text: after.slice(start, endAfter) };
}
