/**
 * Runnable shell commands for a request: `aws sagemaker-edge send-heartbeat ...` and
 * `curl --aws-sigv4 ...`. Every value is one single-quoted shell word, so quotes, spaces, $,
 * backslashes, newlines and non-ASCII reach the program unchanged; lines end in " \" so the
 * command pastes into bash as is.
 */
import { requestSchema, type SchemaNode } from '../model/index.ts';
import { shellQuote } from './shell.ts';
import { emitShorthand, takesShorthand } from './shorthand.ts';
import { cliCommandName, optionName, resolvedTarget, type ExportTarget } from './target.ts';

export interface AwsCliExportOptions extends ExportTarget {
  /**
   * How structures and lists are written: "json" (default; one JSON word per parameter) or
   * "shorthand" (the AWS CLI shorthand, falling back to JSON for a parameter shorthand cannot say
   * exactly).
   */
  style?: 'json' | 'shorthand';
}

// The AWS CLI reads a parameter value that starts with one of these from a file or URL.
const PARAMFILE_PREFIX = /^(?:file|fileb|https?):\/\//i;

function joinLines(lines: string[]): string {
  return lines.join(' \\\n  ') + '\n';
}

/** `--name value`, or `--name=value` when the value starts with "-" (argparse would take it for an option). */
function option(name: string, value: string): string {
  return value.startsWith('-') ? `${name}=${shellQuote(value)}` : `${name} ${shellQuote(value)}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Parameters the AWS CLI would read differently from what they say, so the document goes in
 * --cli-input-json instead: unknown members, values of the wrong type for a flag, strings the CLI
 * would load from a file or URL.
 */
function needsCliInputJson(doc: Record<string, unknown>, schema: SchemaNode): boolean {
  return Object.entries(doc).some(([key, value]) => {
    const member = schema.properties?.[key];
    if (!member) return true;
    if (member.type === 'string') return typeof value !== 'string' || PARAMFILE_PREFIX.test(value);
    if (takesShorthand(member)) return value === null || typeof value !== 'object';
    return typeof value !== 'number' && typeof value !== 'boolean';
  });
}

/** A runnable `aws sagemaker-edge <operation> ...` command line, with --endpoint-url and --region when given. */
export function emitAwsCli(doc: unknown, options: AwsCliExportOptions = {}): string {
  const { operation } = resolvedTarget(options);
  const schema = requestSchema(operation);
  const lines = [`aws sagemaker-edge ${cliCommandName(operation)}`];
  if (!isPlainObject(doc) || needsCliInputJson(doc, schema)) {
    lines.push(`--cli-input-json ${shellQuote(JSON.stringify(doc))}`);
  } else {
    for (const [key, value] of Object.entries(doc)) {
      const member = schema.properties![key];
      const name = optionName(key);
      if (member.type === 'string') lines.push(option(name, value as string));
      else if (!takesShorthand(member)) lines.push(option(name, String(value)));
      else {
        const words = options.style === 'shorthand' ? emitShorthand(value, member) : undefined;
        lines.push(words ? `${name} ${words.map(shellQuote).join(' ')}` : `${name} ${shellQuote(JSON.stringify(value))}`);
      }
    }
  }
  if (options.endpointUrl) lines.push(option('--endpoint-url', options.endpointUrl));
  if (options.region) lines.push(option('--region', options.region));
  return joinLines(lines);
}

/**
 * A runnable curl command that signs with SigV4 (curl ≥ 7.75) using the credentials in
 * $AWS_ACCESS_KEY_ID and $AWS_SECRET_ACCESS_KEY. Signing name "sagemaker" (docs/architecture.md#aws-facts).
 */
export function emitCurl(doc: unknown, target: ExportTarget = {}): string {
  const { operation, region, endpoint } = resolvedTarget(target);
  return joinLines([
    'curl --fail-with-body --silent --show-error',
    `--aws-sigv4 ${shellQuote(`aws:amz:${region}:sagemaker`)}`,
    '--user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY"',
    "-H 'Content-Type: application/json'",
    `--data-binary ${shellQuote(JSON.stringify(doc))}`,
    shellQuote(`${endpoint}/${operation}`),
  ]);
}
