/**
 * Derives JSON Schemas (draft-07) and TypeScript declarations from the botocore service model.
 *
 * Pure functions: the generator script (scripts/generate-model.ts) writes their output to
 * src/common/model/generated/, and a unit test regenerates it and compares, so the committed
 * files can never drift from the reference model.
 */

export interface ServiceModel {
  metadata: Record<string, unknown>;
  operations: Record<
    string,
    {
      name: string;
      http: { method: string; requestUri: string };
      input?: { shape: string };
      output?: { shape: string };
      documentation?: string;
    }
  >;
  shapes: Record<string, Shape>;
}

export interface Shape {
  type: 'structure' | 'list' | 'string' | 'double' | 'timestamp' | 'integer' | 'long' | 'boolean' | 'float' | 'blob' | 'map';
  members?: Record<string, { shape: string; documentation?: string }>;
  member?: { shape: string };
  required?: string[];
  enum?: string[];
  min?: number;
  max?: number;
  pattern?: string;
  documentation?: string;
  exception?: boolean;
}

/** A JSON Schema node as we emit it; `x-shape` names the model shape it came from. */
export interface SchemaNode {
  $schema?: string;
  $id?: string;
  title?: string;
  description?: string;
  type?: 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean';
  properties?: Record<string, SchemaNode>;
  required?: string[];
  additionalProperties?: boolean;
  items?: SchemaNode;
  enum?: string[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  'x-shape'?: string;
  'x-timestamp'?: boolean;
}

/** Plain text from the model's HTML documentation. */
export function docText(html: string | undefined): string | undefined {
  if (!html) return undefined;
  const text = html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
  return text || undefined;
}

// In a `u`-flag regular expression only syntax characters and `/` may be escaped.
const U_ESCAPABLE = new Set('^$\\.*+?()[]{}|/-'.split(''));
const ESCAPE_LETTERS = new Set('dDwWsSbBnrtfv0cxupPk'.split(''));

/**
 * Respells a Smithy pattern so it compiles with the `u` flag (as Ajv compiles it) and matches the
 * same strings: identity escapes such as `\ ` and `\_` become the bare character.
 * Smithy patterns are not anchored, exactly like JSON Schema `pattern`, so anchors are kept as is.
 */
export function unicodeSafePattern(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '\\' && i + 1 < pattern.length) {
      const next = pattern[i + 1];
      // `-` may only be escaped inside a class under `u`.
      const keep = ESCAPE_LETTERS.has(next) || (U_ESCAPABLE.has(next) && (next !== '-' || inClass));
      out += keep ? ch + next : next;
      i++;
      continue;
    }
    if (ch === '[') inClass = true;
    else if (ch === ']') inClass = false;
    out += ch;
  }
  return out;
}

function shapeSchema(model: ServiceModel, shapeName: string, description: string | undefined, seen: string[]): SchemaNode {
  const shape = model.shapes[shapeName];
  if (!shape) throw new Error(`The model references an unknown shape ${shapeName}.`);
  if (seen.includes(shapeName)) throw new Error(`The model has a recursive shape ${shapeName}; inline schemas cannot express it.`);
  const node: SchemaNode = {};
  if (description) node.description = description;
  node['x-shape'] = shapeName;
  switch (shape.type) {
    case 'structure': {
      node.type = 'object';
      node.properties = {};
      for (const [name, member] of Object.entries(shape.members ?? {})) {
        const memberDoc = docText(member.documentation) ?? docText(model.shapes[member.shape]?.documentation);
        node.properties[name] = shapeSchema(model, member.shape, memberDoc, [...seen, shapeName]);
      }
      if (shape.required?.length) node.required = [...shape.required];
      node.additionalProperties = false;
      break;
    }
    case 'list':
      node.type = 'array';
      if (!shape.member) throw new Error(`List shape ${shapeName} has no member.`);
      node.items = shapeSchema(model, shape.member.shape, docText(model.shapes[shape.member.shape]?.documentation), [...seen, shapeName]);
      if (shape.min !== undefined) (node as Record<string, unknown>).minItems = shape.min;
      if (shape.max !== undefined) (node as Record<string, unknown>).maxItems = shape.max;
      break;
    case 'string':
      node.type = 'string';
      if (shape.enum) node.enum = [...shape.enum];
      if (shape.min !== undefined) node.minLength = shape.min;
      if (shape.max !== undefined) node.maxLength = shape.max;
      if (shape.pattern !== undefined) node.pattern = unicodeSafePattern(shape.pattern);
      break;
    case 'double':
    case 'float':
    case 'integer':
    case 'long':
      node.type = shape.type === 'double' || shape.type === 'float' ? 'number' : 'integer';
      if (shape.min !== undefined) node.minimum = shape.min;
      if (shape.max !== undefined) node.maximum = shape.max;
      break;
    case 'boolean':
      node.type = 'boolean';
      break;
    case 'timestamp':
      // On the rest-json wire a timestamp is a JSON number of epoch seconds (fractions allowed).
      node.type = 'number';
      node['x-timestamp'] = true;
      break;
    default:
      throw new Error(`Shape ${shapeName} has type ${shape.type}, which this generator does not support.`);
  }
  return node;
}

export interface DerivedSchemas {
  /** Request schemas by operation name. */
  requests: Record<string, SchemaNode>;
  /** Output schemas by operation name (operations with an output only). */
  outputs: Record<string, SchemaNode>;
}

export function deriveSchemas(model: ServiceModel): DerivedSchemas {
  const requests: Record<string, SchemaNode> = {};
  const outputs: Record<string, SchemaNode> = {};
  for (const op of Object.keys(model.operations).sort()) {
    const operation = model.operations[op];
    const build = (shapeName: string): SchemaNode => ({
      $schema: 'http://json-schema.org/draft-07/schema#',
      $id: `urn:heartbeat-composer:${shapeName}`,
      title: shapeName,
      ...shapeSchema(model, shapeName, docText(operation.documentation), []),
    });
    if (operation.input) requests[op] = build(operation.input.shape);
    if (operation.output) outputs[op] = build(operation.output.shape);
  }
  return { requests, outputs };
}

function tsType(model: ServiceModel, shapeName: string): string {
  const shape = model.shapes[shapeName];
  switch (shape.type) {
    case 'structure':
      return shapeName;
    case 'list':
      return `${tsType(model, shape.member!.shape)}[]`;
    case 'string':
      return shape.enum ? shape.enum.map((v) => JSON.stringify(v)).join(' | ') : 'string';
    case 'boolean':
      return 'boolean';
    default:
      return 'number';
  }
}

function reachableStructures(model: ServiceModel, roots: string[]): string[] {
  const found = new Set<string>();
  const visit = (name: string): void => {
    const shape = model.shapes[name];
    if (shape.type === 'structure') {
      if (found.has(name)) return;
      found.add(name);
      for (const member of Object.values(shape.members ?? {})) visit(member.shape);
    } else if (shape.type === 'list' && shape.member) visit(shape.member.shape);
  };
  roots.forEach(visit);
  return [...found].sort();
}

/** TypeScript declarations for every structure reachable from the operations' inputs and outputs. */
export function deriveTypes(model: ServiceModel): string {
  const roots = Object.values(model.operations).flatMap((op) => [op.input?.shape, op.output?.shape].filter((s): s is string => !!s));
  const lines: string[] = [];
  for (const name of reachableStructures(model, roots)) {
    const shape = model.shapes[name];
    const doc = docText(shape.documentation);
    if (doc) lines.push(`/** ${doc} */`);
    lines.push(`export interface ${name} {`);
    for (const [member, ref] of Object.entries(shape.members ?? {})) {
      const memberDoc = docText(ref.documentation);
      const target = model.shapes[ref.shape];
      const notes = [memberDoc, target.type === 'timestamp' ? 'Epoch seconds on the wire.' : undefined].filter(Boolean).join(' ');
      if (notes) lines.push(`  /** ${notes} */`);
      const optional = shape.required?.includes(member) ? '' : '?';
      lines.push(`  ${member}${optional}: ${tsType(model, ref.shape)};`);
    }
    lines.push('}', '');
  }
  return lines.join('\n');
}
