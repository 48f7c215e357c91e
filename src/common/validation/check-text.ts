/**
 * JSON text → the document and every problem with it, each at a line and column: syntax errors,
 * duplicate keys, then the model's constraints. What the CLI prints and the editor marks.
 */
import { parseJson, type ParsedJson } from '../json/parse.ts';
import type { Operation } from '../model/index.ts';
import { validate, type ValidationError } from './validate.ts';

export interface TextProblem {
  path: string;
  message: string;
  keyword: string;
  suggestion?: string;
  line: number;
  column: number;
  offset: number;
}

export interface TextCheck {
  /** The parsed document; undefined when the text is not JSON. */
  doc: unknown;
  valid: boolean;
  problems: TextProblem[];
  parsed: ParsedJson;
}

export function checkText(text: string, operation: Operation = 'SendHeartbeat'): TextCheck {
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
    for (const error of validate(parsed.value, operation).errors) problems.push(place(error, parsed));
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
