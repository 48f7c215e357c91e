/**
 * SDK snippets for a request, in the languages of the seeds: the JS SDK v3, boto3 and paws (R).
 * Each is a complete program that sends the request; timestamps become each language's date type
 * (JS Date, Python datetime in UTC, R POSIXct in UTC) because that is what the SDKs take.
 *
 * String literals are JSON string literals, which are also valid JavaScript, Python 3 and R string
 * literals (\", \\, \n, \t, \uXXXX; other characters are written as themselves, in UTF-8).
 */
import { requestSchema, type Operation, type SchemaNode } from '../model/index.ts';
import { epochToIso } from '../wire/timestamps.ts';
import { resolvedTarget, snakeName, type ExportTarget } from './target.ts';

type Render = {
  string(value: string): string;
  number(value: number): string;
  boolean(value: boolean): string;
  null: string;
  timestamp(seconds: number): string;
  /** Items already rendered, and the indentation of the closing bracket. */
  list(items: string[], indent: string): string;
  /** Members as [name, rendered], and the indentation of the closing bracket. */
  record(members: [string, string][], indent: string): string;
};

const INDENT = '  ';

function render(value: unknown, schema: SchemaNode | undefined, lang: Render, indent: string): string {
  if (schema?.['x-timestamp'] && typeof value === 'number' && Number.isFinite(value)) return lang.timestamp(value);
  if (typeof value === 'string') return lang.string(value);
  if (typeof value === 'number') return lang.number(value);
  if (typeof value === 'boolean') return lang.boolean(value);
  if (value === null || value === undefined) return lang.null;
  const inner = indent + INDENT;
  if (Array.isArray(value))
    return lang.list(
      value.map((v) => render(v, schema?.items, lang, inner)),
      indent,
    );
  const entries = Object.entries(value as Record<string, unknown>);
  return lang.record(
    entries.map(([k, v]) => [k, render(v, schema?.properties?.[k], lang, inner)]),
    indent,
  );
}

/** Items one per line; JS and Python take a trailing comma (clean diffs), R does not allow one. */
function block(open: string, items: string[], close: string, indent: string, trailingComma = true): string {
  if (items.length === 0) return open + close;
  const inner = indent + INDENT;
  return `${open}\n${items.map((i) => inner + i).join(',\n')}${trailingComma ? ',' : ''}\n${indent}${close}`;
}

const jsonString = (s: string): string => JSON.stringify(s);

function isIdentifier(name: string): boolean {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name);
}

function fractionDigits(seconds: number): { whole: number; micros: number } {
  const whole = Math.floor(seconds);
  const micros = Math.round((seconds - whole) * 1e6);
  return micros === 1e6 ? { whole: whole + 1, micros: 0 } : { whole, micros };
}

const JS: Render = {
  string: jsonString,
  number: (n) => (Number.isFinite(n) ? String(n) : 'NaN'),
  boolean: String,
  null: 'null',
  // A Date holds milliseconds; whole-millisecond times keep the readable ISO form.
  timestamp: (s) => (Number.isInteger(s * 1000) ? `new Date(${jsonString(epochToIso(s))})` : `new Date(${s} * 1000)`),
  list: (items, indent) => block('[', items, ']', indent),
  record: (members, indent) =>
    block(
      '{',
      members.map(([k, v]) => `${isIdentifier(k) ? k : jsonString(k)}: ${v}`),
      '}',
      indent,
    ),
};

const PYTHON: Render = {
  string: jsonString,
  number: (n) => (Number.isFinite(n) ? String(n) : 'float("nan")'),
  boolean: (b) => (b ? 'True' : 'False'),
  null: 'None',
  timestamp: (s) => {
    const { whole, micros } = fractionDigits(s);
    const d = new Date(whole * 1000);
    const parts = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()];
    if (micros) parts.push(micros);
    return `datetime(${parts.join(', ')}, tzinfo=timezone.utc)`;
  },
  list: (items, indent) => block('[', items, ']', indent),
  record: (members, indent) =>
    block(
      '{',
      members.map(([k, v]) => `${jsonString(k)}: ${v}`),
      '}',
      indent,
    ),
};

const R: Render = {
  string: jsonString,
  number: (n) => (Number.isFinite(n) ? String(n) : 'NaN'),
  boolean: (b) => (b ? 'TRUE' : 'FALSE'),
  null: 'NULL',
  timestamp: (s) =>
    Number.isInteger(s)
      ? `as.POSIXct(${jsonString(epochToIso(s).replace('T', ' ').replace('Z', ''))}, tz = "UTC")`
      : `as.POSIXct(${s}, origin = "1970-01-01", tz = "UTC")`,
  list: (items, indent) => block('list(', items, ')', indent, false),
  record: (members, indent) =>
    block(
      'list(',
      members.map(([k, v]) => `${/^[A-Za-z][A-Za-z0-9_.]*$/.test(k) ? k : `\`${k.replace(/[`\\]/g, '\\$&')}\``} = ${v}`),
      ')',
      indent,
      false,
    ),
};

function members(doc: unknown, operation: Operation, lang: Render, indent: string): [string, string][] {
  const schema = requestSchema(operation);
  const record = doc !== null && typeof doc === 'object' && !Array.isArray(doc) ? (doc as Record<string, unknown>) : {};
  return Object.entries(record).map(([k, v]) => [k, render(v, schema.properties?.[k], lang, indent)]);
}

/** A Node.js ES module that sends the request with @aws-sdk/client-sagemaker-edge. */
export function emitJs(doc: unknown, target: ExportTarget = {}): string {
  const { operation, region, endpoint, endpointGiven } = resolvedTarget(target);
  const config = [`region: ${jsonString(region)}`, ...(endpointGiven ? [`endpoint: ${jsonString(endpoint)}`] : [])];
  return `import { SagemakerEdgeClient, ${operation}Command } from "@aws-sdk/client-sagemaker-edge";

const client = new SagemakerEdgeClient(${block('{', config, '}', '')});

const response = await client.send(new ${operation}Command(${JS.record(members(doc, operation, JS, INDENT), '')}));
console.log(JSON.stringify(response, null, 2));
`;
}

/** A Python program that sends the request with boto3. */
export function emitPython(doc: unknown, target: ExportTarget = {}): string {
  const { operation, region, endpoint, endpointGiven } = resolvedTarget(target);
  const config = [`region_name=${jsonString(region)}`, ...(endpointGiven ? [`endpoint_url=${jsonString(endpoint)}`] : [])];
  const args = members(doc, operation, PYTHON, INDENT).map(([k, v]) => `${INDENT}${k}=${v},`);
  return `from datetime import datetime, timezone

import boto3

client = boto3.client("sagemaker-edge", ${config.join(', ')})

response = client.${snakeName(operation)}(${args.length ? `\n${args.join('\n')}\n` : ''})
print(response)
`;
}

/** An R script that sends the request with paws. */
export function emitR(doc: unknown, target: ExportTarget = {}): string {
  const { operation, region, endpoint, endpointGiven } = resolvedTarget(target);
  const config = [`region = ${jsonString(region)}`, ...(endpointGiven ? [`endpoint = ${jsonString(endpoint)}`] : [])];
  const args = members(doc, operation, R, INDENT).map(([k, v]) => `${INDENT}${k} = ${v}`);
  return `svc <- paws::sagemakeredgemanager(config = list(${config.join(', ')}))

response <- svc$${snakeName(operation)}(${args.length ? `\n${args.join(',\n')}\n` : ''})
str(response)
`;
}
