/** JSON Pointer (RFC 6901) helpers. */

export function escapeToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function unescapeToken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

export function appendPointer(pointer: string, token: string | number): string {
  return `${pointer}/${typeof token === 'number' ? token : escapeToken(token)}`;
}

export function splitPointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new Error(`"${pointer}" is not a JSON Pointer: it must be empty or start with "/".`);
  return pointer.slice(1).split('/').map(unescapeToken);
}

export function joinPointer(tokens: readonly (string | number)[]): string {
  return tokens.reduce<string>((acc, t) => appendPointer(acc, t), '');
}

/** The pointer of the parent container ("" for top-level members; "" for the root too). */
export function parentPointer(pointer: string): string {
  const i = pointer.lastIndexOf('/');
  return i <= 0 ? '' : pointer.slice(0, i);
}

/** The value at `pointer`, or undefined. Only own properties are followed. */
export function getAt(doc: unknown, pointer: string): unknown {
  let node: unknown = doc;
  for (const token of splitPointer(pointer)) {
    if (Array.isArray(node)) {
      if (!/^(0|[1-9]\d*)$/.test(token)) return undefined;
      node = node[Number(token)];
    } else if (node !== null && typeof node === 'object' && Object.prototype.hasOwnProperty.call(node, token)) {
      node = (node as Record<string, unknown>)[token];
    } else {
      return undefined;
    }
  }
  return node;
}
