import {
  EXPORT_FORMATS,
  exportText,
  IMPORT_FORMATS,
  importText,
  isError,
  type ExportFormat,
  type FormatProblem,
  type ImportFormat,
} from '../../common/formats/index.ts';
import { isOperation, OPERATIONS } from '../../common/model/index.ts';
import { validate } from '../../common/validation/validate.ts';
import { parseCommandLine } from '../args.ts';
import { CliError, EXIT } from '../cli-error.ts';
import { MAX_DOCUMENT_TEXT, readInput } from '../io.ts';

export const summary = 'Convert a request between JSON, YAML, aws CLI shorthand, curl and SDK snippets.';

export const help = `Usage: heartbeat convert [FILE|-] --from FORMAT --to FORMAT [options]

${summary}
Reads FILE (at most ${MAX_DOCUMENT_TEXT}), or standard input when FILE is "-" or missing; writes the result
to standard output.

--from (what the input is):
  json             the wire document (timestamps as epoch-second numbers)
  cli-input-json   what "aws ... --cli-input-json" reads (timestamps may be ISO 8601 strings)
  cli-input-yaml   what "aws ... --cli-input-yaml" reads (timestamps may be ISO 8601 strings)
  shorthand        a whole "aws sagemaker-edge send-heartbeat ..." command line; --models,
                   --agent-metrics and --deployment-result in AWS CLI shorthand or JSON,
                   --cli-input-json/--cli-input-yaml, --endpoint-url and --region

--to (what to write):
  json             the wire document, indented
  yaml             cli-input-yaml
  aws-cli          a runnable "aws sagemaker-edge ..." command line
  curl             a runnable "curl --aws-sigv4 ..." command (credentials from $AWS_ACCESS_KEY_ID
                   and $AWS_SECRET_ACCESS_KEY)
  js | python | r  a program using the JS SDK v3, boto3 or paws

Options:
  --endpoint-url URL   endpoint for aws-cli/curl/js/python/r (default: the one on an aws command
                       line read with --from shorthand; else curl uses
                       https://edge.sagemaker.REGION.amazonaws.com and the others their own default)
  --region R           signing region (default: the one on the input command line, else us-east-1)
  --style json|shorthand
                       how aws-cli writes structures and lists (default json; shorthand falls back
                       to JSON for a parameter shorthand cannot say exactly)
  --iso-timestamps     json/yaml: write timestamps as ISO 8601 (what cli-input reads) instead of
                       epoch seconds
  --operation OP       ${OPERATIONS.join(' | ')} (default SendHeartbeat; an aws command line names its own)
  -h, --help           show this help

An input that cannot be read (syntax error, duplicate key, unknown option) is an error: nothing is
written and the exit status is 2. A document that reads but breaks the model's constraints is still
converted, so you can fix it in the target format: each error is listed on standard error as a
warning, and the exit status is 0.

Examples:
  heartbeat convert examples/healthy-device.json --from json --to aws-cli --endpoint-url http://127.0.0.1:8080
  heartbeat convert payload.yaml --from cli-input-yaml --to json
  pbpaste | heartbeat convert --from shorthand --to python
  heartbeat convert examples/failed-deployment-rollback.json --from json --to curl --region eu-west-1`;

function describe(problem: FormatProblem, inputName: string): string {
  const where = problem.line !== undefined ? `${inputName}:${problem.line}:${problem.column ?? 1}` : inputName;
  return `${where}: ${problem.path === '' ? '' : `${problem.path}: `}${problem.message}`;
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine('convert', argv, {
    from: { type: 'string' },
    to: { type: 'string' },
    'endpoint-url': { type: 'string' },
    region: { type: 'string' },
    style: { type: 'string', default: 'json' },
    'iso-timestamps': { type: 'boolean' },
    operation: { type: 'string' },
  });
  if (!values.from) throw new CliError(`--from is required: one of ${IMPORT_FORMATS.join(', ')}.`);
  if (!values.to) throw new CliError(`--to is required: one of ${EXPORT_FORMATS.join(', ')}.`);
  if (!(IMPORT_FORMATS as readonly string[]).includes(values.from))
    throw new CliError(`--from must be one of ${IMPORT_FORMATS.join(', ')}, not "${values.from}".`);
  if (!(EXPORT_FORMATS as readonly string[]).includes(values.to))
    throw new CliError(`--to must be one of ${EXPORT_FORMATS.join(', ')}, not "${values.to}".`);
  if (values.style !== 'json' && values.style !== 'shorthand')
    throw new CliError(`--style must be json or shorthand, not "${values.style}".`);
  if (values.operation !== undefined && !isOperation(values.operation))
    throw new CliError(`--operation must be one of ${OPERATIONS.join(', ')}, not "${values.operation}".`);
  if (positionals.length > 1) throw new CliError(`convert takes one FILE, not ${positionals.length}.`);
  const endpointUrl = values['endpoint-url'];
  if (endpointUrl !== undefined && !/^https?:\/\/[^\s/]+/i.test(endpointUrl))
    throw new CliError(`--endpoint-url must be an http:// or https:// URL, not "${endpointUrl}".`);

  const input = await readInput(positionals[0]);
  const imported = importText(
    values.from as ImportFormat,
    input.text,
    values.operation !== undefined && isOperation(values.operation) ? values.operation : 'SendHeartbeat',
  );
  const errors = imported.problems.filter(isError);
  const warnings = imported.problems.filter((p) => !isError(p));
  if (errors.length || imported.doc === undefined) {
    for (const p of imported.problems) process.stderr.write(`${describe(p, input.name)}\n`);
    const count = errors.length || 1;
    throw new CliError(
      `${input.name} could not be read as ${values.from} (${count} error${count === 1 ? '' : 's'} above); fix ${count === 1 ? 'it' : 'them'} and convert again.`,
    );
  }
  for (const p of warnings) process.stderr.write(`warning: ${describe(p, input.name)}\n`);

  const operation = imported.operation;
  const output = exportText(values.to as ExportFormat, imported.doc, {
    operation,
    endpointUrl: endpointUrl ?? imported.endpointUrl,
    region: values.region ?? imported.region,
    style: values.style,
    isoTimestamps: values['iso-timestamps'] === true && (values.to === 'json' || values.to === 'yaml'),
  });
  process.stdout.write(output);

  const result = validate(imported.doc, operation);
  if (!result.valid) {
    for (const e of result.errors) process.stderr.write(`warning: ${e.path === '' ? '(document)' : e.path}: ${e.message}\n`);
    process.stderr.write(
      `warning: the converted ${operation} request is not valid (${result.errors.length} error${result.errors.length === 1 ? '' : 's'} above); the service would reject it.\n`,
    );
  }
  return EXIT.ok;
}
