import { parseArgs } from 'node:util';
import { checkText, type TextProblem } from '../../common/validation/check-text.ts';
import { isOperation, OPERATIONS, type Operation } from '../../common/model/index.ts';
import { CliError, EXIT } from '../cli-error.ts';
import { readInput } from '../io.ts';

export const summary = 'Check heartbeat payloads against every constraint of the service model.';

export const help = `Usage: heartbeat validate [FILE|-] [--ndjson] [--format text|json] [--operation OP]

${summary}
Reads FILE, or standard input when FILE is "-" or missing.

Options:
  --ndjson            one payload per line; a malformed line is reported and the rest still checked
  --format text|json  text (default): "LINE:COL path: message" lines;
                      json: one {"valid": bool, "errors": [...]} line per payload
  --operation OP      ${OPERATIONS.join(' | ')} (default SendHeartbeat)
  -h, --help          show this help

Exit status: 0 all valid, 1 any invalid, 2 input unreadable.

Examples:
  heartbeat validate examples/healthy-device.json
  heartbeat validate --ndjson --format json < captured.ndjson`;

interface PayloadReport {
  valid: boolean;
  errors: TextProblem[];
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { ndjson: { type: 'boolean' }, format: { type: 'string', default: 'text' }, operation: { type: 'string', default: 'SendHeartbeat' } },
  });
  if (values.format !== 'text' && values.format !== 'json') throw new CliError(`--format must be text or json, not "${values.format}".`);
  if (!isOperation(values.operation)) throw new CliError(`--operation must be one of ${OPERATIONS.join(', ')}, not "${values.operation}".`);
  if (positionals.length > 1) throw new CliError(`validate takes one FILE, not ${positionals.length}; use --ndjson for many payloads in one file.`);
  const input = await readInput(positionals[0]);
  const reports = values.ndjson ? checkLines(input.text, values.operation) : [checkDocument(input.text, values.operation)];

  const out: string[] = [];
  for (const report of reports) {
    if (values.format === 'json') {
      out.push(JSON.stringify({ valid: report.valid, errors: report.errors.map(({ path, message, keyword, suggestion, line, column }) => ({ path, message, keyword, ...(suggestion ? { suggestion } : {}), line, column })) }));
    } else {
      for (const e of report.errors) out.push(`${e.line}:${e.column} ${e.path === '' ? '(document)' : e.path}: ${e.message}`);
    }
  }
  if (out.length) process.stdout.write(out.join('\n') + '\n');
  const invalid = reports.filter((r) => !r.valid).length;
  if (values.format === 'text') {
    const what = reports.length === 1 ? `${input.name}: ` : `${input.name}: ${reports.length} payloads, `;
    process.stderr.write(invalid === 0 ? `${what}valid ${values.operation} request${reports.length === 1 ? '' : 's'}.\n` : `${what}${invalid} invalid.\n`);
  }
  return invalid === 0 ? EXIT.ok : EXIT.invalid;
}

function checkDocument(text: string, operation: Operation): PayloadReport {
  const { valid, problems } = checkText(text, operation);
  return { valid, errors: problems };
}

/** One payload per non-blank line; positions are in the whole file. */
function checkLines(text: string, operation: Operation): PayloadReport[] {
  const reports: PayloadReport[] = [];
  const lines = text.split('\n');
  let offset = 0;
  lines.forEach((raw, index) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const lineNumber = index + 1;
    const lineOffset = offset;
    offset += raw.length + 1;
    if (line.trim() === '') return;
    const { valid, problems, parsed } = checkText(line, operation);
    const errors = problems.map((p) => ({ ...p, line: lineNumber, offset: lineOffset + p.offset }));
    if (parsed.value === undefined) {
      const syntax = errors[0];
      errors[0] = { ...syntax, path: '', message: `Line ${lineNumber} is not valid JSON: at column ${syntax.column}, ${lowerFirst(syntax.message)}` };
    }
    reports.push({ valid, errors });
  });
  return reports;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
