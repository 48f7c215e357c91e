/**
 * Validator errors → the message AWS (Coral) services send:
 *   "2 validation errors detected: Value 'x!' at 'deviceName' failed to satisfy constraint: Member must
 *    satisfy regular expression pattern: ^...$; Value null at 'models.1.member.modelName' failed ..."
 * Member paths are AWS style: member names with a lower-case first letter joined by dots, and list
 * items as `<list>.<1-based index>.member`. A value of the wrong JSON type is not a validation error at
 * AWS but a deserialization failure, so it is answered with SerializationException.
 */
import { splitPointer } from '../../common/json/pointer.ts';
import type { ValidationError } from '../../common/validation/validate.ts';
import { serialization, validation, type ServiceError } from './errors.ts';

export function rejectInvalid(doc: unknown, errors: readonly ValidationError[]): ServiceError {
  const typeError = errors.find((e) => e.keyword === 'type');
  if (typeError) {
    if (typeError.path === '') return serialization(`The request body must be a JSON object, not ${describeJsonType(doc)}.`);
    return serialization(
      `Cannot deserialize the value ${showAwsValue(valueAt(doc, typeError.path))} at '${awsMemberPath(doc, typeError.path)}': ${typeError.constraint}.`,
    );
  }
  const parts = errors.map(
    (e) => `Value ${showAwsValue(valueAt(doc, e.path))} at '${awsMemberPath(doc, e.path)}' failed to satisfy constraint: ${e.constraint}`,
  );
  return validation(`${parts.length} validation error${parts.length === 1 ? '' : 's'} detected: ${parts.join('; ')}`);
}

/** "/Models/0/ModelName" → "models.1.member.modelName". */
export function awsMemberPath(doc: unknown, pointer: string): string {
  const out: string[] = [];
  let node: unknown = doc;
  for (const token of splitPointer(pointer)) {
    if (Array.isArray(node) && /^\d+$/.test(token)) {
      out.push(`${Number(token) + 1}.member`);
      node = node[Number(token)];
    } else {
      out.push(token.charAt(0).toLowerCase() + token.slice(1));
      node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[token] : undefined;
    }
  }
  return out.join('.');
}

/** null without quotes (a missing member), anything else in single quotes as AWS prints it. */
export function showAwsValue(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'object') return `'${JSON.stringify(value)}'`;
  return `'${String(value)}'`;
}

function valueAt(doc: unknown, pointer: string): unknown {
  let node: unknown = doc;
  for (const token of splitPointer(pointer)) {
    if (node === null || typeof node !== 'object' || !Object.prototype.hasOwnProperty.call(node, token)) return undefined;
    node = (node as Record<string, unknown>)[token];
  }
  return node;
}

function describeJsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
