import { checkText, type TextProblem } from '../../common/validation/check-text.ts';
import { isOperation, OPERATIONS, type Operation } from '../../common/model/index.ts';
import type { Line } from '../../node/engine/payloads.ts';
import { parseCommandLine } from '../args.ts';
import { CliError, EXIT } from '../cli-error.ts';
import { MAX_DOCUMENT_TEXT, readInput, readInputLines } from '../io.ts';

export const summary = 'Check heartbeat payloads against every constraint of the service model.';

export const help = `Usage: heartbeat validate [FILE|-] [--ndjson] [--format text|json] [--operation OP]

${summary}
Reads FILE, or standard input when FILE is "-" or missing (a pipe or FIFO works as FILE too).
A single document is read whole, up to ${MAX_DOCUMENT_TEXT}. With --ndjson the input is streamed: one
line is held at a time (each up to ${MAX_DOCUMENT_TEXT}), so memory stays bounded whatever its size,
and each payload's result is written as soon as it is checked.

Options:
  --ndjson            one payload per line; a malformed line is reported and the rest still checked
  --format text|json  text (default): "LINE:COL path: message" lines;
                      json: one {"valid": bool, "errors": [...]} line per payload
  --operation OP      ${OPERATIONS.join(' | ')} (default SendHeartbeat)
  -h, --help          show this help

Exit status: 0 all valid, 1 any invalid, 2 input unreadable (or, with --ndjson, no payload in it).

Examples:
  heartbeat validate examples/healthy-device.json
  heartbeat validate --ndjson --format json < captured.ndjson`;

interface PayloadReport {
  valid: boolean;
  errors: TextProblem[];
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine('validate', argv, {
    ndjson: { type: 'boolean' },
    format: { type: 'string', default: 'text' },
    operation: { type: 'string', default: 'SendHeartbeat' },
  });
  if (values.format !== 'text' && values.format !== 'json') throw new CliError(`--format must be text or json, not "${values.format}".`);
  if (!isOperation(values.operation)) throw new CliError(`--operation must be one of ${OPERATIONS.join(', ')}, not "${values.operation}".`);
  if (positionals.length > 1)
    throw new CliError(`validate takes one FILE, not ${positionals.length}; use --ndjson for many payloads in one file.`);
  const format = values.format;
  const write = (report: PayloadReport): void => {
    const out: string[] = [];
    if (format === 'json') {
      out.push(
        JSON.stringify({
          valid: report.valid,
          errors: report.errors.map(({ path, message, keyword, suggestion, line, column }) => ({
            path,
            message,
            keyword,
            ...(suggestion ? { suggestion } : {}),
            line,
            column,
          })),
        }),
      );
    } else {
      for (const e of report.errors) out.push(`${e.line}:${e.column} ${e.path === '' ? '(document)' : e.path}: ${e.message}`);
    }
    if (out.length) process.stdout.write(out.join('\n') + '\n');
  };
  let name: string;
  let count = 0;
  let invalid = 0;
  if (values.ndjson) {
    const input = await readInputLines(positionals[0]);
    name = input.name;
    let offset = 0;
    for await (const line of input.lines) {
      const report = checkLine(line, offset, values.operation);
      offset += (line.text?.length ?? 0) + 1;
      if (!report) continue;
      count++;
      if (!report.valid) invalid++;
      write(report);
    }
    if (count === 0) throw new CliError(`${name} holds no payload (every line is blank); --ndjson reads one JSON payload per line.`);
  } else {
    const input = await readInput(positionals[0], 'validate it with --ndjson if it holds one payload per line', { emptyAllowed: true });
    name = input.name;
    const report = checkDocument(input.text, values.operation);
    count = 1;
    if (!report.valid) invalid++;
    write(report);
  }
  if (format === 'text') {
    const what = count === 1 ? `${name}: ` : `${name}: ${count} payloads, `;
    process.stderr.write(
      invalid === 0 ? `${what}valid ${values.operation} request${count === 1 ? '' : 's'}.\n` : `${what}${invalid} invalid.\n`,
    );
  }
  return invalid === 0 ? EXIT.ok : EXIT.invalid;
}

function checkDocument(text: string, operation: Operation): PayloadReport {
  const { valid, problems } = checkText(text, operation);
  return { valid, errors: problems };
}

/** One NDJSON line (undefined when blank); positions are in the whole input (`offset`: where the line starts). */
function checkLine(line: Line, offset: number, operation: Operation): PayloadReport | undefined {
  const lineNumber = line.number;
  if (line.text === undefined) {
    const message = `Line ${lineNumber} cannot be read: ${line.problem ?? 'it is not text'}.`;
    return { valid: false, errors: [{ path: '', message, keyword: 'syntax', line: lineNumber, column: 1, offset }] };
  }
  if (line.text.trim() === '') return undefined;
  const { valid, problems, parsed } = checkText(line.text, operation);
  const errors = problems.map((p) => ({ ...p, line: lineNumber, offset: offset + p.offset }));
  if (parsed.value === undefined) {
    const syntax = errors[0]!;
    errors[0] = {
      ...syntax,
      path: '',
      message: `Line ${lineNumber} is not valid JSON: at column ${syntax.column}, ${lowerFirst(syntax.message)}`,
    };
  }
  return { valid, errors };
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
