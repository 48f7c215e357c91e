/** ISO 8601 shown after every timestamp value in the JSON text (the wire keeps epoch seconds). */
import { parseJson, type ParsedJson } from '../../common/json/parse.ts';
import { appendPointer } from '../../common/json/pointer.ts';
import { requestSchema, type Operation, type SchemaNode } from '../../common/model/index.ts';
import { epochToIso } from '../../common/wire/timestamps.ts';

export interface TimestampHint {
  /** Offset just after the value. */
  offset: number;
  label: string;
}

/**
 * Hints for the timestamps whose values end within [from, to] (all by default). Containers outside
 * the range are skipped, so asking for the lines in view stays cheap in a document of thousands.
 */
export function timestampHints(text: string | ParsedJson, operation: Operation = 'SendHeartbeat', from = 0, to = Infinity): TimestampHint[] {
  const parsed = typeof text === 'string' ? parseJson(text) : text;
  if (parsed.value === undefined) return [];
  const hints: TimestampHint[] = [];
  const work: { schema: SchemaNode; value: unknown; pointer: string }[] = [{ schema: requestSchema(operation), value: parsed.value, pointer: '' }];
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
        if (Object.prototype.hasOwnProperty.call(value, name)) work.push({ schema: sub, value: (value as Record<string, unknown>)[name], pointer: appendPointer(pointer, name) });
      }
    } else if (schema.type === 'array' && schema.items && Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) work.push({ schema: schema.items, value: value[i], pointer: appendPointer(pointer, i) });
    }
  }
  return hints.sort((a, b) => a.offset - b.offset);
}
