/**
 * JSON text → the document and every problem with it, each at a line and column: syntax errors,
 * duplicate keys, then the model's constraints. What the CLI prints and the editor marks.
 *
 * With variables (docs/variables.md), a text holding placeholders is checked as it would be sent: the
 * model's constraints apply to the text with its placeholders resolved (`"Timestamp": "{{now}}"` is a
 * number), and a placeholder that cannot be resolved is a problem of its own at its place (keyword
 * `variable`), instead of the constraints of the string that holds it.
 */
import { parseJson, type ParsedJson } from '../json/parse.ts';
import type { Operation } from '../model/index.ts';
import { mayHavePlaceholders, resolveText, type VariableContext } from '../variables/resolve.ts';
import { validate, type ValidationError } from './validate.ts';

export interface TextProblem {
  path: string;
  message: string;
  keyword: string;
  suggestion?: string;
  line: number;
  column: number;
  offset: number;
  /** How many characters the problem covers, where it is exact (an unresolved placeholder). */
  length?: number;
}

export interface TextCheck {
  /** The parsed document; undefined when the text is not JSON. */
  doc: unknown;
  valid: boolean;
  problems: TextProblem[];
  parsed: ParsedJson;
}

/**
 * Values for checking a document with placeholders: the context's time (its type and range matter), a
 * fixed UUID and the smallest random number, so the same text always gets the same problems, and a
 * seeded generator of the context (`--seed`) is not drawn from by the check.
 */
const SAMPLE_SOURCES = { uuid: () => '00000000-0000-4000-8000-000000000000', random: () => 0 };

export function checkText(text: string, operation: Operation = 'SendHeartbeat', variables?: VariableContext): TextCheck {
  const parsed = parseJson(text);
  const problems: TextProblem[] = parsed.errors.map((e) => ({
    path: e.path,
    message: e.message,
    keyword: e.kind,
    line: e.line,
    column: e.column,
    offset: e.offset,
  }));
  if (parsed.value !== undefined) {
    let value = parsed.value;
    const unresolved = new Set<string>();
    if (variables && mayHavePlaceholders(text)) {
      const resolved = resolveText(text, { ...variables, ...SAMPLE_SOURCES, operation }, parsed);
      for (const p of resolved.problems) {
        const at = parsed.positionAt(p.offset);
        problems.push({
          path: p.path ?? '',
          message: p.message,
          keyword: 'variable',
          line: at.line,
          column: at.column,
          offset: p.offset,
          length: p.length,
        });
        if (p.path !== undefined) unresolved.add(p.path);
      }
      const sent = resolved.text === text ? undefined : parseJson(resolved.text, { positions: false }).value;
      if (sent !== undefined) value = sent;
    }
    for (const error of validate(value, operation).errors) if (!unresolved.has(error.path)) problems.push(place(error, parsed));
  }
  problems.sort((a, b) => a.offset - b.offset);
  return { doc: parsed.value, valid: problems.length === 0, problems, parsed };
}

function place(error: ValidationError, parsed: ParsedJson): TextProblem {
  const at = parsed.locate(error.path);
  const problem: TextProblem = {
    path: error.path,
    message: error.message,
    keyword: error.keyword,
    line: at.line,
    column: at.column,
    offset: at.offset,
  };
  if (error.suggestion) problem.suggestion = error.suggestion;
  return problem;
}
