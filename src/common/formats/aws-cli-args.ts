/**
 * Reads a pasted `aws sagemaker-edge send-heartbeat ...` command line back into a request document,
 * as the AWS CLI would build it: shell words first, then each parameter (structures and lists in
 * shorthand or JSON), --cli-input-json/--cli-input-yaml underneath explicit parameters, and
 * --endpoint-url/--region reported beside the document. Nothing is run and no file is read.
 */
import { parseJson } from '../json/parse.ts';
import { appendPointer } from '../json/pointer.ts';
import { isOperation, OPERATIONS, requestSchema, type Operation, type SchemaNode } from '../model/index.ts';
import { closestName } from '../validation/suggest.ts';
import { normalizeTimestamps } from '../wire/timestamps.ts';
import { parseCliInputJson, parseCliInputYaml } from './cli-input.ts';
import type { FormatParse, FormatProblem } from './problems.ts';
import { splitShellWords, type ShellWord } from './shell.ts';
import { parseShorthand, takesShorthand } from './shorthand.ts';
import { cliCommandName, optionName } from './target.ts';

export interface AwsCliCommand extends FormatParse {
  operation: Operation;
  endpointUrl?: string;
  region?: string;
}

// Global options of the AWS CLI that take a value, and those that do not; they do not change the request.
const GLOBAL_WITH_VALUE = [
  '--profile',
  '--output',
  '--query',
  '--color',
  '--ca-bundle',
  '--cli-read-timeout',
  '--cli-connect-timeout',
  '--cli-binary-format',
];
const GLOBAL_FLAGS = [
  '--debug',
  '--no-verify-ssl',
  '--no-paginate',
  '--no-sign-request',
  '--no-cli-pager',
  '--cli-auto-prompt',
  '--no-cli-auto-prompt',
];
const PARAMFILE_PREFIX = /^(?:file|fileb|https?):\/\//i;
const COMMANDS = new Map(OPERATIONS.map((op) => [cliCommandName(op), op] as const));

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A structure or list value written as JSON: one word, or (for lists) one JSON object per word. */
function parseJsonParameter(words: readonly string[], schema: SchemaNode, path: string): FormatParse {
  const problems: FormatProblem[] = [];
  const values: unknown[] = [];
  for (const [i, word] of words.entries()) {
    const parsed = parseJson(word);
    for (const e of parsed.errors)
      problems.push({
        path: path + e.path,
        message: `Invalid JSON${words.length > 1 ? ` in value ${i + 1}` : ''}: ${e.message}`,
        line: e.line,
        column: e.column,
      });
    values.push(parsed.value);
  }
  if (problems.length) return { doc: undefined, problems };
  let doc: unknown = values[0];
  if (schema.type === 'array' && (words.length > 1 || isPlainObject(doc))) doc = values;
  else if (words.length > 1)
    return { doc: undefined, problems: [{ path, message: `${path.slice(1)} takes one JSON value, not ${words.length}.` }] };
  for (const p of normalizeTimestamps(schema, doc)) problems.push({ path: path + p.path, message: p.message, severity: 'warning' });
  return { doc, problems };
}

function parseParameter(words: readonly string[], schema: SchemaNode, path: string, now?: number): FormatParse {
  const first = words[0]?.trim() ?? '';
  if (PARAMFILE_PREFIX.test(first))
    return {
      doc: undefined,
      problems: [
        { path, message: `${path.slice(1)} is read from "${first.slice(0, 60)}", which cannot be done here; paste the value itself.` },
      ],
    };
  if (first.startsWith('[') || first.startsWith('{')) return parseJsonParameter(words, schema, path);
  return parseShorthand(words, schema, path, now);
}

/** Parses an `aws sagemaker-edge <operation> ...` command line. Never throws. */
export function parseAwsCliCommand(text: string, options: { now?: number } = {}): AwsCliCommand {
  const split = splitShellWords(text);
  const problems: FormatProblem[] = split.problems.map((p) => ({
    path: '',
    message: p.message,
    severity: p.message.includes('never closed') || p.message.includes('operator') ? 'error' : 'warning',
  }));
  const words = split.words.slice();
  // Leading environment assignments (AWS_PROFILE=dev aws ...) and the program name.
  while (words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0].text)) words.shift();
  if (words.length && /(^|\/)aws$/.test(words[0].text)) words.shift();

  let operation: Operation | undefined;
  let service: string | undefined;
  let endpointUrl: string | undefined;
  let region: string | undefined;
  let cliInput: { text: string; yaml: boolean } | undefined;
  const explicit: [name: string, values: string[]][] = [];
  const seen = new Set<string>();

  let i = 0;
  const takeValue = (name: string, inline: string | undefined): string | undefined => {
    if (inline !== undefined) return inline;
    const next = words[i];
    if (!next || next.text.startsWith('--')) {
      problems.push({ path: '', message: `${name} needs a value.` });
      return undefined;
    }
    i++;
    return next.text;
  };

  while (i < words.length) {
    const word: ShellWord = words[i++];
    if (!word.text.startsWith('--')) {
      if (service === undefined) service = word.text;
      else if (operation === undefined) {
        const op = COMMANDS.get(word.text) ?? (isOperation(word.text) ? word.text : undefined);
        if (!op) {
          problems.push({
            path: '',
            message: `"${word.text}" is not a sagemaker-edge command; use one of ${[...COMMANDS.keys()].join(', ')}.`,
          });
          return { doc: undefined, operation: 'SendHeartbeat', problems };
        }
        operation = op;
      } else problems.push({ path: '', message: `Unexpected word "${word.text.slice(0, 40)}": every value must follow its --option.` });
      continue;
    }
    const eq = word.text.indexOf('=');
    const name = eq === -1 ? word.text : word.text.slice(0, eq);
    const inline = eq === -1 ? undefined : word.text.slice(eq + 1);
    if (name === '--endpoint-url' || name === '--region') {
      const value = takeValue(name, inline);
      if (name === '--endpoint-url') endpointUrl = value;
      else region = value;
    } else if (name === '--cli-input-json' || name === '--cli-input-yaml') {
      const value = takeValue(name, inline);
      if (value === undefined) continue;
      if (PARAMFILE_PREFIX.test(value.trim()))
        problems.push({
          path: '',
          message: `${name} reads "${value.slice(0, 60)}", which cannot be done here; paste the document itself.`,
        });
      else cliInput = { text: value, yaml: name === '--cli-input-yaml' };
    } else if (name === '--generate-cli-skeleton') {
      problems.push({
        path: '',
        message: '--generate-cli-skeleton prints a skeleton instead of sending; remove it (or run "heartbeat skeleton").',
      });
      if (inline === undefined && words[i] && !words[i].text.startsWith('--')) i++;
    } else if (GLOBAL_WITH_VALUE.includes(name)) {
      takeValue(name, inline);
      problems.push({ path: '', message: `${name} does not change the request; it is ignored.`, severity: 'warning' });
    } else if (GLOBAL_FLAGS.includes(name)) {
      problems.push({ path: '', message: `${name} does not change the request; it is ignored.`, severity: 'warning' });
    } else {
      // Values run to the next --option, as argparse gives them (lists take several words).
      const values: string[] = inline === undefined ? [] : [inline];
      if (inline === undefined) while (i < words.length && !words[i].text.startsWith('--')) values.push(words[i++].text);
      explicit.push([name, values]);
    }
  }

  const op: Operation = operation ?? 'SendHeartbeat';
  if (service !== 'sagemaker-edge')
    problems.push({
      path: '',
      message:
        service === undefined
          ? 'No command found: expected "aws sagemaker-edge send-heartbeat ...".'
          : `"${service}" is not the sagemaker-edge service; expected "aws sagemaker-edge send-heartbeat ...".`,
    });
  else if (!operation)
    problems.push({ path: '', message: `No sagemaker-edge command found; use one of ${[...COMMANDS.keys()].join(', ')}.` });
  const schema = requestSchema(op);
  const byOption = new Map(Object.keys(schema.properties ?? {}).map((m) => [optionName(m), m] as const));

  const doc: Record<string, unknown> = {};
  const pending = cliInput;
  if (pending) {
    const read = pending.yaml
      ? parseCliInputYaml(pending.text, { operation: op, now: options.now })
      : parseCliInputJson(pending.text, { operation: op, now: options.now });
    problems.push(...read.problems.map((p) => ({ ...p, message: `In --cli-input-${pending.yaml ? 'yaml' : 'json'}: ${p.message}` })));
    if (isPlainObject(read.doc))
      for (const [k, v] of Object.entries(read.doc))
        Object.defineProperty(doc, k, { value: v, enumerable: true, writable: true, configurable: true });
    else if (read.doc !== undefined) problems.push({ path: '', message: '--cli-input-json must hold an object of request members.' });
  }
  for (const [name, values] of explicit) {
    const member = byOption.get(name);
    if (!member) {
      const guess = closestName(name, [...byOption.keys(), '--endpoint-url', '--region', '--cli-input-json', '--cli-input-yaml']);
      problems.push({ path: '', message: `Unknown option ${name}.${guess ? ` Did you mean ${guess}?` : ''}` });
      continue;
    }
    const path = appendPointer('', member);
    if (seen.has(member)) problems.push({ path, message: `${name} is given more than once; the last one counts.`, severity: 'warning' });
    seen.add(member);
    const sub = schema.properties![member];
    if (values.length === 0) {
      problems.push({ path, message: `${name} needs a value.` });
      continue;
    }
    if (takesShorthand(sub)) {
      const read = parseParameter(values, sub, path, options.now);
      problems.push(...read.problems.map((p) => ({ ...p, message: `In ${name}: ${p.message}` })));
      if (read.doc !== undefined) doc[member] = read.doc;
    } else {
      if (values.length > 1)
        problems.push({ path, message: `${name} takes one value, not ${values.length}; quote a value that contains spaces.` });
      if (PARAMFILE_PREFIX.test(values[0]))
        problems.push({
          path,
          message: `${name} would be read from "${values[0].slice(0, 60)}" by the AWS CLI, which cannot be done here; paste the value itself.`,
        });
      doc[member] = values[0];
    }
  }
  const result: AwsCliCommand = { doc, operation: op, problems };
  if (endpointUrl !== undefined) result.endpointUrl = endpointUrl;
  if (region !== undefined) result.region = region;
  return result;
}
