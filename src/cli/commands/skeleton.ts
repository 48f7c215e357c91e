import { emitAwsSkeleton, emitCliInputJson, emitCliInputYaml, exampleRequest, awsSkeleton } from '../../common/formats/index.ts';
import { isOperation, OPERATIONS } from '../../common/model/index.ts';
import { parseCommandLine } from '../args.ts';
import { CliError, EXIT } from '../cli-error.ts';

export const summary = 'Print a request with every member filled in, to start from.';

export const help = `Usage: heartbeat skeleton [--operation OP] [--format json|yaml] [--aws]

${summary}
By default the skeleton is a VALID request: every member present (one item in every list), with
example values that satisfy every length, pattern and enum of the model, so it can be sent as is.
With --aws it is what "aws ... --generate-cli-skeleton input" prints instead: empty strings, 0.0,
1970-01-01T00:00:00 timestamps (not a valid request until you fill it in).

Options:
  --operation OP       ${OPERATIONS.join(' | ')} (default SendHeartbeat)
  --format json|yaml   json (default) or yaml (cli-input-yaml)
  --aws                the AWS CLI's placeholder skeleton instead of a valid example
  -h, --help           show this help

Examples:
  heartbeat skeleton > heartbeat.json && heartbeat validate heartbeat.json
  heartbeat skeleton --operation GetDeployments --format yaml
  heartbeat skeleton --aws`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine('skeleton', argv, {
    operation: { type: 'string', default: 'SendHeartbeat' },
    format: { type: 'string', default: 'json' },
    aws: { type: 'boolean' },
  });
  if (positionals.length) throw new CliError(`skeleton takes no FILE (got "${positionals[0]}"); redirect its output instead.`);
  if (!isOperation(values.operation)) throw new CliError(`--operation must be one of ${OPERATIONS.join(', ')}, not "${values.operation}".`);
  if (values.format !== 'json' && values.format !== 'yaml') throw new CliError(`--format must be json or yaml, not "${values.format}".`);
  const operation = values.operation;
  if (values.aws) process.stdout.write(values.format === 'json' ? emitAwsSkeleton(operation) : emitCliInputYaml(awsSkeleton(operation)));
  else {
    const doc = exampleRequest(operation);
    process.stdout.write(values.format === 'json' ? emitCliInputJson(doc) : emitCliInputYaml(doc));
  }
  return EXIT.ok;
}
