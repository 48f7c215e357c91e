/** ISO 8601 shown after every timestamp value in the JSON text (the wire keeps epoch seconds). */
import { parseJson, type ParsedJson } from '../../common/json/parse.ts';
import { appendPointer } from '../../common/json/pointer.ts';
import { requestSchema, type Operation, type SchemaNode } from '../../common/model/index.ts';
import { epochToIso } from '../../common/wire/timestamps.ts';
import { helpText } from '../form/fields.ts';

export interface TimestampHint {
  /** Offset just after the value. */
  offset: number;
  label: string;
}

/**
 * Hints for the timestamps whose values end within [from, to] (all by default). Containers outside
 * the range are skipped, so asking for the lines in view stays cheap in a document of thousands.
 */
export function timestampHints(
  text: string | ParsedJson,
  operation: Operation = 'SendHeartbeat',
  from = 0,
  to = Infinity,
): TimestampHint[] {
  const parsed = typeof text === 'string' ? parseJson(text) : text;
  if (parsed.value === undefined) return [];
  const hints: TimestampHint[] = [];
  const work: { schema: SchemaNode; value: unknown; pointer: string }[] = [
    { schema: requestSchema(operation), value: parsed.value, pointer: '' },
  ];
  while (work.length) {
    const { schema, value, pointer } = work.pop()!;
    const loc = parsed.location(pointer);
    if (!loc || loc.valueEnd < from || loc.valueStart > to) continue;
    if (schema['x-timestamp']) {
      if (typeof value === 'number' && Number.isFinite(value) && loc.valueEnd >= from && loc.valueEnd <= to) {
        try {
          hints.push({ offset: loc.valueEnd, label: epochToIso(value) });
        } catch {
          // Out of the range of dates: nothing to show; validation speaks for it.
        }
      }
    } else if (schema.type === 'object' && schema.properties && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [name, sub] of Object.entries(schema.properties)) {
        if (Object.prototype.hasOwnProperty.call(value, name))
          work.push({ schema: sub, value: (value as Record<string, unknown>)[name], pointer: appendPointer(pointer, name) });
      }
    } else if (schema.type === 'array' && schema.items && Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) work.push({ schema: schema.items, value: value[i], pointer: appendPointer(pointer, i) });
    }
  }
  return hints.sort((a, b) => a.offset - b.offset);
}

/**
 * The variable Monaco's snippets replace with the current time in epoch seconds. A default snippet
 * body starting with "^" is inserted as snippet text rather than as a JSON value.
 */
export const NOW_SNIPPET = '^${CURRENT_SECONDS_UNIX}';

/**
 * A copy of the schema for the editor's completion and hover: every timestamp member completes to now
 * (epoch seconds at the moment of insertion) instead of 0, which is 1970; descriptions are the input
 * help the form shows (the model's own are written for outputs).
 */
export function schemaForCompletion(schema: SchemaNode): SchemaNode {
  const visit = (node: SchemaNode, member: string | undefined): SchemaNode => {
    const out: SchemaNode = { ...node };
    // A list's items are described by the list's member.
    const help = member ? helpText(node, member) : undefined;
    if (help) out.description = help;
    else if (member !== undefined) delete out.description;
    if (node['x-timestamp'])
      return {
        ...out,
        defaultSnippets: [{ label: 'now', description: 'The current time in epoch seconds', body: NOW_SNIPPET }],
      } as SchemaNode;
    if (node.properties) out.properties = Object.fromEntries(Object.entries(node.properties).map(([k, v]) => [k, visit(v, k)]));
    if (node.items) out.items = visit(node.items, '');
    return out;
  };
  return visit(schema, undefined);
}
