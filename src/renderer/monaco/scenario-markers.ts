/**
 * Where to mark each problem of a fleet scenario (parseScenario's line and column: the start of the
 * member's key or value) as Monaco-style 1-based ranges. Pure (no Monaco import) so unit tests check
 * the exact ranges.
 *
 * The mark covers the YAML token that starts there: a quoted string to its closing quote, a plain
 * scalar up to where it ends (`: `, ` #`, or in a flow collection `,` `]` `}`), a key up to its colon.
 * A mapping or list value is marked at its key when the key is on the same line (as the JSON editor
 * marks an object at its name), else at its bracket; a problem without a position marks line 1.
 */
import type { ScenarioProblem } from '../../common/fleet/scenario.ts';

export interface ScenarioMarker {
  startLineNumber: number;
  startColumn: number;
  endLineNumber: number;
  endColumn: number;
  message: string;
  /** The member's JSON pointer, e.g. /fleets/0/interval. */
  path: string;
}

/** [start, end) of the token at `index` (0-based) of `line`. */
export function tokenSpan(line: string, index: number): [number, number] {
  if (index >= line.length) return [line.length, line.length + 1];
  const first = line[index]!;
  if (first === '"' || first === "'") {
    for (let i = index + 1; i < line.length; i++) {
      if (first === '"' && line[i] === '\\') i++;
      else if (line[i] === first) {
        if (first === "'" && line[i + 1] === "'") i++;
        else return [index, i + 1];
      }
    }
    return [index, line.length];
  }
  if (first === '{' || first === '[') {
    const key = /([^\s{},[\]#][^{},[\]#]*?)\s*:\s*$/.exec(line.slice(0, index));
    if (!key) return [index, index + 1];
    // `- offline: {`: the list item's dash is not the key.
    const dash = /^(?:-\s+)*/.exec(key[1]!)![0].length;
    return [key.index + dash, key.index + key[1]!.length];
  }
  let end = index;
  while (end < line.length) {
    const c = line[end]!;
    if (c === ',' || c === ']' || c === '}') break;
    if (c === ':' && (end + 1 === line.length || /\s/.test(line[end + 1]!))) break;
    if (c === '#' && end > index && /\s/.test(line[end - 1]!)) break;
    end++;
  }
  while (end > index + 1 && /\s/.test(line[end - 1]!)) end--;
  return [index, Math.max(end, index + 1)];
}

/** Markers for `problems`; `lineAt(n)` is the text of line n (1-based), undefined past the end. */
export function scenarioMarkers(problems: readonly ScenarioProblem[], lineAt: (line: number) => string | undefined): ScenarioMarker[] {
  return problems.map((p) => {
    const lineNumber = p.line ?? 1;
    const text = lineAt(lineNumber) ?? '';
    const [start, end] = p.line === undefined ? [0, Math.max(1, text.length)] : tokenSpan(text, (p.column ?? 1) - 1);
    return {
      startLineNumber: lineNumber,
      startColumn: start + 1,
      endLineNumber: lineNumber,
      endColumn: end + 1,
      message: p.message,
      path: p.path,
    };
  });
}
