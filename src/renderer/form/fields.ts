/**
 * What the form shows for a schema: one field per member, labelled with the member's name and helped
 * by the model's documentation. Pure, so the form's structure is tested without a browser.
 */
import type { SchemaNode } from '../../common/model/index.ts';
import { schemaAt } from '../../common/model/index.ts';
import { appendPointer, splitPointer } from '../../common/json/pointer.ts';
import type { MemberOrder } from '../../common/json/edit.ts';
import { patternWords } from '../../common/validation/patterns.ts';
import { inputHelp } from './input-help.ts';

export type FieldKind = 'text' | 'number' | 'timestamp' | 'enum' | 'list' | 'object';

export interface FieldSpec {
  name: string;
  pointer: string;
  kind: FieldKind;
  schema: SchemaNode;
  required: boolean;
  help?: string;
  enumValues?: string[];
}

export function fieldKind(schema: SchemaNode): FieldKind {
  if (schema['x-timestamp']) return 'timestamp';
  if (schema.enum) return 'enum';
  if (schema.type === 'array') return 'list';
  if (schema.type === 'object') return 'object';
  if (schema.type === 'number' || schema.type === 'integer') return 'number';
  return 'text';
}

/**
 * Short help: what to type (written for input, not the model's output wording), plus the constraints
 * a person needs to type a valid value, patterns in words.
 */
export function helpText(schema: SchemaNode, member = ''): string | undefined {
  const parts: string[] = [];
  const about = inputHelp(member, schema.description);
  if (about) parts.push(about);
  if (schema['x-timestamp']) parts.push('Epoch seconds; an ISO 8601 time (2026-11-30T12:00:00Z) is converted.');
  if (schema.pattern) parts.push(`${sentence(patternWords(schema.pattern))}.`);
  if (schema.minLength !== undefined && schema.maxLength !== undefined) parts.push(`${schema.minLength}–${schema.maxLength} characters.`);
  else if (schema.maxLength !== undefined) parts.push(`At most ${schema.maxLength} characters.`);
  return parts.length ? parts.join(' ') : undefined;
}

const sentence = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

// The schemas are fixed, and lists ask for the same fields on every render: remember them.
const cache = new WeakMap<SchemaNode, Map<string, FieldSpec[]>>();

/** Members of an object schema: plain values first, then lists and nested objects, each in model order. */
export function fieldsOf(objectSchema: SchemaNode, pointer: string): FieldSpec[] {
  let byPointer = cache.get(objectSchema);
  if (!byPointer) cache.set(objectSchema, (byPointer = new Map()));
  let specs = byPointer.get(pointer);
  if (!specs) {
    // Bounded: one entry per pointer the form has shown.
    if (byPointer.size > 5000) byPointer.clear();
    byPointer.set(pointer, (specs = computeFields(objectSchema, pointer)));
  }
  return specs;
}

function computeFields(objectSchema: SchemaNode, pointer: string): FieldSpec[] {
  const props = Object.entries(objectSchema.properties ?? {});
  const required = new Set(objectSchema.required ?? []);
  const specs = props.map(([name, schema]): FieldSpec => {
    const kind = fieldKind(schema);
    const spec: FieldSpec = { name, pointer: appendPointer(pointer, name), kind, schema, required: required.has(name) };
    const help = helpText(schema, name);
    if (help) spec.help = help;
    if (schema.enum) spec.enumValues = [...schema.enum];
    return spec;
  });
  const simple = (s: FieldSpec): boolean => s.kind !== 'list' && s.kind !== 'object';
  return [...specs.filter(simple), ...specs.filter((s) => !simple(s))];
}

/** New members go where the form shows them: the same order as fieldsOf. */
export function formMemberOrder(rootSchema: SchemaNode): MemberOrder {
  return (objectPointer) => {
    const schema = schemaAt(rootSchema, objectPointer);
    return schema?.type === 'object' ? fieldsOf(schema, objectPointer).map((f) => f.name) : undefined;
  };
}

/** A DOM id for the control of a pointer: stable, unique per pointer, valid in CSS selectors. */
export function fieldId(pointer: string): string {
  return `f${splitPointer(pointer)
    .map((t) => `-${t.replace(/[^A-Za-z0-9]/g, (c) => `_${c.charCodeAt(0).toString(16)}`)}`)
    .join('')}`;
}

/** A new row: timestamps set to now and numbers to 0, so it shows something sensible and valid. */
export function newRow(itemSchema: SchemaNode, nowSeconds: number): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(itemSchema.properties ?? {})) {
    const kind = fieldKind(schema);
    if (kind === 'timestamp') row[name] = nowSeconds;
    else if (kind === 'number') row[name] = 0;
  }
  return row;
}

/** "cpu-usage · 12.5": the first two plain values of a row, for its line in a list. */
export function rowSummary(itemSchema: SchemaNode, row: unknown): string {
  if (row === null || typeof row !== 'object' || Array.isArray(row)) return JSON.stringify(row) ?? '';
  const record = row as Record<string, unknown>;
  const shown: string[] = [];
  for (const spec of fieldsOf(itemSchema, '')) {
    if (shown.length === 2) break;
    const v = record[spec.name];
    if (spec.kind === 'timestamp' || v === undefined || (typeof v === 'object' && v !== null)) continue;
    shown.push(String(v));
  }
  return shown.join(' · ') || '(empty)';
}
