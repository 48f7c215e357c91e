/**
 * A fleet scenario with the files of its `csv` generators read in (issue 17): the host side of
 * src/common/fleet/scenario.ts, whose parsing does no I/O and says where each csv generator is.
 *
 * A CSV file is UTF-8 (a BOM is ignored), comma-separated, with RFC 4180 quoting (csv-parse), CRLF or LF
 * line ends; blank lines are skipped; the first row is the header. `column` is a name in the header
 * (surrounding spaces ignored) or a column number from 1. Every row after the header gives one value: a
 * decimal number like 12, -3.5 or 1e3 (surrounding spaces ignored). A path is relative to the scenario's
 * folder; each distinct file is read once, however many generators name it. Every problem comes at once,
 * at the generator's line and column; with a problem there is no scenario (nothing is sent).
 */
import { readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { CsvError, parse } from 'csv-parse/sync';
import { parseScenario, type CsvSource, type Scenario, type ScenarioProblem } from '../../common/fleet/scenario.ts';

/** The largest CSV file read, in bytes (64 MiB). */
export const CSV_MAX_BYTES = 64 * 1024 * 1024;
/** The most rows of values a CSV file may have (the header aside). */
export const CSV_MAX_ROWS = 1_000_000;

export interface LoadedScenario {
  /** Set only when there is no problem; its csv generators' `values` are filled in. */
  scenario?: Scenario;
  problems: ScenarioProblem[];
}

/** Reads the scenario file at `path`, then the CSV files it names (relative to its folder). */
export async function loadScenarioFile(path: string): Promise<LoadedScenario> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message =
      code === 'ENOENT'
        ? `There is no file ${path}.`
        : code === 'EISDIR'
          ? `${path} is a folder; name a scenario file.`
          : `Cannot read ${path} (${code ?? (error as Error).message}).`;
    return { problems: [{ path: '', message }] };
  }
  return loadScenarioText(text, dirname(resolve(path)));
}

/** A scenario's text (the app's editor), its CSV paths relative to `baseDir`. */
export async function loadScenarioText(text: string, baseDir: string): Promise<LoadedScenario> {
  const { scenario, problems, csvSources } = parseScenario(text);
  if (!scenario) return { problems };
  const byFile = new Map<string, CsvSource[]>();
  for (const source of csvSources ?? []) {
    const absolute = resolve(baseDir, source.csv.file);
    byFile.set(absolute, [...(byFile.get(absolute) ?? []), source]);
  }
  const found: ScenarioProblem[] = [];
  // One file at a time: at most one file's text (≤ 64 MiB) is held at once.
  for (const [absolute, sources] of byFile) found.push(...(await fillFrom(absolute, sources)));
  if (found.length === 0) return { scenario, problems: [] };
  found.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  return { problems: found };
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
const columnName = (column: string | number): string => (typeof column === 'number' ? `column ${column}` : `column "${column}"`);
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The index of `column` in `header`, or why there is none. */
function columnIndex(header: string[], column: string | number): number | string {
  if (typeof column === 'number')
    return column <= header.length ? column - 1 : `has ${plural(header.length, 'column')}; there is no column ${column}.`;
  const name = column.trim();
  const at = header.flatMap((h, i) => (h === name ? [i] : []));
  if (at.length === 1) return at[0]!;
  if (at.length > 1) return `has ${at.length} columns named "${name}" (${at.map((i) => i + 1).join(', ')}); name the column by its number.`;
  const shown = header.slice(0, 20).map((h) => JSON.stringify(h));
  return `has no column "${name}"; its columns are ${shown.join(', ')}${header.length > 20 ? `, … (${header.length} in all)` : ''}.`;
}

/** Why a file cannot be read as a CSV, or its text. */
async function readCsv(absolute: string): Promise<Buffer | string> {
  try {
    const info = await stat(absolute);
    if (info.isDirectory()) return 'is a folder; name a CSV file.';
    // A FIFO or a device would block or never end.
    if (!info.isFile()) return 'is not a regular file.';
    if (info.size > CSV_MAX_BYTES) return `is ${plural(info.size, 'byte')}; a CSV file may have at most ${plural(CSV_MAX_BYTES, 'byte')}.`;
    const bytes = await readFile(absolute);
    if (bytes.length > CSV_MAX_BYTES) return `is more than ${plural(CSV_MAX_BYTES, 'byte')}; a CSV file may have no more.`;
    return bytes;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return `does not exist (looked for ${absolute}).`;
    if (code === 'EACCES' || code === 'EPERM') return 'cannot be read (permission denied).';
    return `cannot be read (${code ?? (error as Error).message}).`;
  }
}

/** Reads one CSV file and fills the values of every generator that names it; the problems, if any. */
async function fillFrom(absolute: string, sources: CsvSource[]): Promise<ScenarioProblem[]> {
  const problems: ScenarioProblem[] = [];
  const report = (source: CsvSource, member: 'file' | 'column', message: string, prefix = `The CSV file ${source.csv.file} `): void => {
    problems.push({
      path: `${source.path}/${member}`,
      message: prefix + message,
      ...(source.line !== undefined ? { line: source.line } : {}),
      ...(source.column !== undefined ? { column: source.column } : {}),
    });
  };
  const bytes = await readCsv(absolute);
  if (typeof bytes === 'string') {
    for (const source of sources) report(source, 'file', bytes);
    return problems;
  }

  // The columns asked for, each once; the header is the first record, then each row keeps only their cells.
  const columns = [...new Set(sources.map((s) => s.csv.column))];
  let header: string[] | undefined;
  let indices: number[] = [];
  const cells: Array<Array<string | undefined>> = columns.map(() => []);
  const lines: number[] = [];
  let lastLine = 0;
  let lastEmpty = 0;
  try {
    parse(bytes, {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      // The header, the rows allowed, and one more to tell there are too many.
      to: CSV_MAX_ROWS + 2,
      on_record: (record: string[], context) => {
        // The line the record starts on (a quoted cell may hold line breaks): after the last one and the blank lines between.
        const line = lastLine + 1 + (context.empty_lines - lastEmpty);
        lastLine = context.lines;
        lastEmpty = context.empty_lines;
        if (!header) {
          header = record.map((h) => h.trim());
          indices = columns.map((c) => {
            const i = columnIndex(header!, c);
            return typeof i === 'number' ? i : -1;
          });
        } else {
          lines.push(line);
          indices.forEach((i, k) => cells[k]!.push(i < 0 ? undefined : record[i]));
        }
        return null;
      },
    });
  } catch (error) {
    const message = error instanceof CsvError ? error.message.replace(/\.?$/, '.') : String(error);
    for (const source of sources) report(source, 'file', `is not valid CSV: ${message}`);
    return problems;
  }
  if (!header) {
    for (const source of sources) report(source, 'file', 'is empty; it needs a header row and at least one row of values.');
    return problems;
  }
  if (lines.length === 0) {
    for (const source of sources) report(source, 'file', 'has a header but no rows of values.');
    return problems;
  }
  if (lines.length > CSV_MAX_ROWS) {
    for (const source of sources) report(source, 'file', `has more than ${plural(CSV_MAX_ROWS, 'row')} of values; split it or sample it.`);
    return problems;
  }
  for (const source of sources) {
    const index = columnIndex(header, source.csv.column);
    if (typeof index === 'string') {
      report(source, 'column', index);
      continue;
    }
    const column = cells[columns.indexOf(source.csv.column)]!;
    const values: number[] = [];
    let bad = -1;
    let badCount = 0;
    column.forEach((cell, row) => {
      const text = cell?.trim();
      const value = text !== undefined && NUMBER.test(text) ? Number(text) : NaN;
      if (Number.isFinite(value)) values.push(value);
      else if (badCount++ === 0) bad = row;
    });
    if (badCount === 0) {
      source.csv.values = values;
      continue;
    }
    const cell = column[bad];
    const what =
      cell === undefined
        ? `the row has no cell in ${columnName(source.csv.column)}`
        : `the cell ${JSON.stringify(cell)} in ${columnName(source.csv.column)} is not a number`;
    const more =
      badCount > 1 ? `; ${plural(badCount - 1, 'more row')} of the column ${badCount > 2 ? 'are' : 'is'} not a number either` : '';
    report(source, 'column', `${what}${more}.`, `${source.csv.file}:${lines[bad]}: `);
  }
  return problems;
}
