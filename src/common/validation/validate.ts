/**
 * Validation of request documents against the model, with errors at JSON Pointers.
 *
 * The validators are Ajv standalone code generated at build time (scripts/generate-model.ts), so no
 * schema is ever compiled at run time and no host needs `unsafe-eval`: Node, the CLI and the renderer
 * run the same code.
 */
import {
  validateGetDeploymentsOutput,
  validateGetDeploymentsRequest,
  validateGetDeviceRegistrationOutput,
  validateGetDeviceRegistrationRequest,
  validateSendHeartbeatRequest,
  type AjvError,
  type StandaloneValidator,
} from '../model/generated/validators.js';
import { outputSchemas, requestSchema, schemaAt, type Operation, type SchemaNode } from '../model/index.ts';
import { appendPointer, getAt, splitPointer } from '../json/pointer.ts';
import { closestName } from './suggest.ts';
import { patternWords } from './patterns.ts';

export interface ValidationError {
  /** JSON Pointer of the offending member; for a missing member, where it should be. */
  path: string;
  /** A sentence naming the constraint and the bad value. */
  message: string;
  /** The JSON Schema keyword that failed (required, additionalProperties, pattern, ...). */
  keyword: string;
  /** For an unknown member: the member that was probably meant. */
  suggestion?: string;
  /** The constraint as AWS phrases it ("Member must have length less than or equal to 63"). */
  constraint: string;
}

export interface ValidationResult {
  valid: boolean;
  errors: ValidationError[];
}

const VALIDATORS: Record<Operation, StandaloneValidator> = {
  SendHeartbeat: validateSendHeartbeatRequest,
  GetDeviceRegistration: validateGetDeviceRegistrationRequest,
  GetDeployments: validateGetDeploymentsRequest,
};

const VALID: ValidationResult = Object.freeze({ valid: true, errors: Object.freeze([]) as unknown as ValidationError[] });

export function validate(doc: unknown, operation: Operation = 'SendHeartbeat'): ValidationResult {
  const validator = VALIDATORS[operation];
  if (validator(doc)) return VALID;
  const schema = requestSchema(operation);
  const errors = (validator.errors ?? []).map((e) => describe(e, doc, schema));
  return { valid: false, errors };
}

/** The operations that answer with a document. */
export type OperationWithOutput = 'GetDeviceRegistration' | 'GetDeployments';

const OUTPUT_VALIDATORS: Record<OperationWithOutput, StandaloneValidator> = {
  GetDeviceRegistration: validateGetDeviceRegistrationOutput,
  GetDeployments: validateGetDeploymentsOutput,
};

/** Checks an answer's document against the operation's output shape (what the inspector says of an answer that does not fit). */
export function validateOutput(doc: unknown, operation: OperationWithOutput): ValidationResult {
  const validator = OUTPUT_VALIDATORS[operation];
  if (validator(doc)) return VALID;
  const schema = outputSchemas[operation] as SchemaNode;
  return { valid: false, errors: (validator.errors ?? []).map((e) => describe(e, doc, schema, 'the answer')) };
}

/** "DeviceName", "Models[0]", "the request". */
export function memberLabel(pointer: string): string {
  const tokens = splitPointer(pointer);
  if (tokens.length === 0) return 'The request';
  const last = tokens[tokens.length - 1];
  if (/^\d+$/.test(last)) return tokens.length > 1 ? `${tokens[tokens.length - 2]}[${last}]` : `Item ${last}`;
  return last;
}

/** A value as it would be written in JSON, shortened to `max` characters. */
export function showValue(value: unknown, max = 60): string {
  let text: string;
  if (typeof value === 'number' && !Number.isFinite(value)) text = String(value);
  else if (value === undefined) text = 'nothing';
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = typeof value;
    }
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'number') return Number.isFinite(value) ? 'a number' : 'a number out of range';
  return typeof value === 'boolean' ? 'a boolean' : typeof value;
}

function codePoints(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

const TYPE_NAMES: Record<string, string> = {
  object: 'an object',
  array: 'an array',
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'a boolean',
};

function describe(error: AjvError, doc: unknown, rootSchema: SchemaNode, rootName = 'the request'): ValidationError {
  const { keyword, params } = error;
  const base = error.instancePath;
  const value = getAt(doc, base);
  const label = memberLabel(base);
  const shown = showValue(value);
  switch (keyword) {
    case 'required': {
      const name = String(params.missingProperty);
      const path = appendPointer(base, name);
      const where = base === '' ? '' : ` in ${label}`;
      return { path, keyword, message: `${name} is required${where} but missing.`, constraint: 'Member must not be null' };
    }
    case 'additionalProperties': {
      const name = String(params.additionalProperty);
      const path = appendPointer(base, name);
      const owner = schemaAt(rootSchema, base);
      const allowed = Object.keys(owner?.properties ?? {});
      const suggestion = closestName(name, allowed);
      const ownerName = base === '' ? rootName : (owner?.['x-shape'] ?? label);
      const hint = suggestion ? ` Did you mean ${suggestion}?` : allowed.length ? ` Allowed members: ${allowed.join(', ')}.` : '';
      const result: ValidationError = {
        path,
        keyword,
        message: `${name} is not a member of ${ownerName}.${hint}`,
        constraint: 'Member is not defined by the model',
      };
      if (suggestion) result.suggestion = suggestion;
      return result;
    }
    case 'type': {
      const expected = TYPE_NAMES[String(params.type)] ?? String(params.type);
      const actual = jsonType(value);
      const detail =
        actual === 'a number out of range'
          ? `${label} is out of range for a double (it overflows to ${shown}); use a smaller number.`
          : `${label} must be ${expected}, not ${actual}${value === null || typeof value === 'object' ? '' : ` (${shown})`}.`;
      return { path: base, keyword, message: detail, constraint: `Member must be ${expected}` };
    }
    case 'minLength':
    case 'maxLength': {
      const limit = Number(params.limit);
      const length = typeof value === 'string' ? codePoints(value) : 0;
      const which = keyword === 'minLength' ? 'at least' : 'at most';
      const aws =
        keyword === 'minLength'
          ? `Member must have length greater than or equal to ${limit}`
          : `Member must have length less than or equal to ${limit}`;
      return {
        path: base,
        keyword,
        message: `${label} ${shown} is ${length} character${length === 1 ? '' : 's'} long; it must be ${which} ${limit}.`,
        constraint: aws,
      };
    }
    case 'pattern': {
      const pattern = String(params.pattern);
      return {
        path: base,
        keyword,
        message: `${label} ${shown} does not match the pattern: ${patternWords(pattern)}.`,
        constraint: `Member must satisfy regular expression pattern: ${pattern}`,
      };
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      const suggestion = typeof value === 'string' ? closestName(value, allowed) : undefined;
      const result: ValidationError = {
        path: base,
        keyword,
        message: `${label} ${shown} is not one of ${allowed.join(', ')}.${suggestion ? ` Did you mean ${suggestion}?` : ''}`,
        constraint: `Member must satisfy enum value set: [${allowed.join(', ')}]`,
      };
      if (suggestion) result.suggestion = suggestion;
      return result;
    }
    case 'minItems':
    case 'maxItems':
    case 'minimum':
    case 'maximum': {
      const limit = Number(params.limit);
      const words: Record<string, string> = {
        minItems: `must have at least ${limit} items`,
        maxItems: `must have at most ${limit} items`,
        minimum: `must be at least ${limit}`,
        maximum: `must be at most ${limit}`,
      };
      return { path: base, keyword, message: `${label} ${words[keyword]}; it is ${shown}.`, constraint: `Member ${words[keyword]}` };
    }
    default:
      return {
        path: base,
        keyword,
        message: `${label} ${shown} fails the ${keyword} constraint.`,
        constraint: `Member must satisfy ${keyword}`,
      };
  }
}
