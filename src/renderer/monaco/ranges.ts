/**
 * Where to mark each problem in the text, as Monaco-style 1-based ranges. Pure (no Monaco import) so
 * it runs in unit tests: the exact ranges are the point of the markers.
 */
import type { TextCheck, TextProblem } from '../../common/validation/check-text.ts';
import type { ParsedJson } from '../../common/json/parse.ts';
import { parentPointer } from '../../common/json/pointer.ts';

export interface ProblemRange {
  startLineNumber: number;
  startColumn: number;
  endLineNumber: number;
  endColumn: number;
  message: string;
  /** syntax, duplicate-key, or the JSON Schema keyword. */
  code: string;
  path: string;
}

/** Offsets [start, end) to underline for a problem. */
export function problemSpan(problem: TextProblem, parsed: ParsedJson, text: string): [number, number] {
  // An unresolved placeholder: exactly its braces (docs/variables.md).
  if (problem.keyword === 'variable' && problem.length !== undefined) return [problem.offset, problem.offset + problem.length];
  if (problem.keyword === 'syntax') return [problem.offset, Math.min(problem.offset + 1, Math.max(text.length, problem.offset + 1))];
  const loc = parsed.location(problem.path);
  if (problem.keyword === 'required') {
    // The missing member has no text: mark its parent's key, or the parent's opening bracket.
    const parent = parsed.location(parentPointer(problem.path));
    if (!parent) return [0, 1];
    return parent.keyStart !== undefined ? [parent.keyStart, parent.keyEnd!] : [parent.valueStart, parent.valueStart + 1];
  }
  if (!loc) return [problem.offset, problem.offset + 1];
  // Unknown and duplicate members are about the name; a wrong container is marked at its name too,
  // rather than underlining a whole object.
  if (problem.keyword === 'additionalProperties' || problem.keyword === 'duplicate-key')
    return loc.keyStart !== undefined ? [loc.keyStart, loc.keyEnd!] : [loc.valueStart, loc.valueEnd];
  const first = text.charCodeAt(loc.valueStart);
  if ((first === 0x7b || first === 0x5b) && loc.keyStart !== undefined) return [loc.keyStart, loc.keyEnd!];
  if (first === 0x7b || first === 0x5b) return [loc.valueStart, loc.valueStart + 1];
  return [loc.valueStart, loc.valueEnd];
}

export function problemRanges(check: TextCheck, text: string): ProblemRange[] {
  return check.problems.map((problem) => {
    const [start, end] = problemSpan(problem, check.parsed, text);
    const from = check.parsed.positionAt(start);
    const to = check.parsed.positionAt(Math.max(end, start + 1));
    const message =
      problem.suggestion && !problem.message.includes(problem.suggestion)
        ? `${problem.message} Did you mean ${problem.suggestion}?`
        : problem.message;
    return {
      startLineNumber: from.line,
      startColumn: from.column,
      endLineNumber: to.line,
      endColumn: to.column,
      message,
      code: problem.keyword,
      path: problem.path,
    };
  });
}
