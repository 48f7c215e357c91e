/** What every importer returns: the document it could read, and what was wrong, each at a path and where known a place. */
export interface FormatProblem {
  /** JSON Pointer of the member concerned; "" for the whole input. */
  path: string;
  /** One sentence: what is wrong and what to do. */
  message: string;
  /** 1-based line and column in the input, when the input is text with positions. */
  line?: number;
  column?: number;
  /** "warning": the document was still read as meant (an ignored option, a value left for validation to flag). Default: error. */
  severity?: 'error' | 'warning';
}

/** True when a problem stops the document from being read as written. */
export function isError(problem: FormatProblem): boolean {
  return problem.severity !== 'warning';
}

export interface FormatParse {
  /** The document read; undefined when nothing usable could be read. */
  doc: unknown;
  problems: FormatProblem[];
}

/** Line and column (1-based, UTF-16 columns) of `offset` in `text`. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
