/** The heartbeat model: generated schemas and types, and lookups over them. */
import type { SchemaNode } from './derive.ts';
import { requestSchemas, outputSchemas } from './generated/schemas.ts';
import { splitPointer } from '../json/pointer.ts';

export type { SchemaNode } from './derive.ts';
export * from './generated/types.ts';
export { requestSchemas, outputSchemas };

export const OPERATIONS = ['SendHeartbeat', 'GetDeviceRegistration', 'GetDeployments'] as const;
export type Operation = (typeof OPERATIONS)[number];

export function isOperation(name: string): name is Operation {
  return (OPERATIONS as readonly string[]).includes(name);
}

export function requestSchema(operation: Operation): SchemaNode {
  return requestSchemas[operation];
}

/** The sub-schema that governs the value at `pointer`, or undefined when the schema allows nothing there. */
export function schemaAt(schema: SchemaNode, pointer: string): SchemaNode | undefined {
  let node: SchemaNode | undefined = schema;
  for (const token of splitPointer(pointer)) {
    if (!node) return undefined;
    if (node.type === 'array') node = /^(0|[1-9]\d*)$/.test(token) ? node.items : undefined;
    else if (node.type === 'object')
      node = node.properties && Object.prototype.hasOwnProperty.call(node.properties, token) ? node.properties[token] : undefined;
    else return undefined;
  }
  return node;
}

/** Calls `visit` for every value in `doc` that the schema marks as a timestamp. */
export function forEachTimestamp(
  schema: SchemaNode,
  doc: unknown,
  visit: (pointer: string, value: unknown, set: (v: unknown) => void) => void,
  pointer = '',
): void {
  if (schema['x-timestamp']) return;
  if (schema.type === 'object' && doc !== null && typeof doc === 'object' && !Array.isArray(doc) && schema.properties) {
    const record = doc as Record<string, unknown>;
    for (const [name, sub] of Object.entries(schema.properties)) {
      if (!Object.prototype.hasOwnProperty.call(record, name)) continue;
      const path = `${pointer}/${name}`;
      if (sub['x-timestamp']) visit(path, record[name], (v) => (record[name] = v));
      else forEachTimestamp(sub, record[name], visit, path);
    }
  } else if (schema.type === 'array' && Array.isArray(doc) && schema.items) {
    const items = schema.items;
    doc.forEach((item, i) => {
      const path = `${pointer}/${i}`;
      if (items['x-timestamp']) visit(path, item, (v) => (doc[i] = v));
      else forEachTimestamp(items, item, visit, path);
    });
  }
}
