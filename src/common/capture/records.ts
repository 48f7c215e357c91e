/** Building the records every capture reader gives (docs/captures.md#records). */
import type { Operation } from '../model/index.ts';
import type { CaptureItem, CaptureRecord, RecordedOutcome } from './types.ts';

export const sourceOf = (name: string, line: number): string => `${name}:${line}`;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** DeviceName / DeviceFleetName of a parsed body, when they are strings. */
export function namesOf(body: unknown): { device?: string; fleet?: string } {
  if (!isRecord(body)) return {};
  const out: { device?: string; fleet?: string } = {};
  if (typeof body.DeviceName === 'string') out.device = body.DeviceName;
  if (typeof body.DeviceFleetName === 'string') out.fleet = body.DeviceFleetName;
  return out;
}

/** The parsed body text, or undefined when it is not JSON. */
export function parseBody(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

export interface ItemFields {
  operation: Operation;
  body: string;
  line: number;
  source: string;
  /** The body parsed, for its device and fleet (parsed from `body` when not given). */
  parsed?: unknown;
  recorded?: RecordedOutcome;
  url?: string;
}

/** An item (its index is set by the reader as it leaves, in file order). */
export function item(fields: ItemFields): { item: CaptureItem } {
  const { parsed, recorded, url, ...rest } = fields;
  const out: CaptureItem = { index: -1, ...rest, ...namesOf(parsed === undefined ? parseBody(fields.body) : parsed) };
  if (recorded) out.recorded = recorded;
  if (url !== undefined) out.url = url;
  return { item: out };
}

export const problem = (name: string, line: number, text: string): CaptureRecord => ({
  problem: { line, source: sourceOf(name, line), problem: text },
});

export function skip(name: string, line: number, reason: string, url?: string, source = sourceOf(name, line)): CaptureRecord {
  return { skip: url === undefined ? { line, source, reason } : { line, source, url, reason } };
}

/** A recorded outcome from an HTTP status, error type and message (success below 300, else a service error). */
export function answered(status: number, errorType?: string, message?: string): RecordedOutcome {
  const out: RecordedOutcome = { kind: status >= 200 && status < 300 ? 'success' : 'service-error', status };
  if (out.kind === 'service-error') {
    if (errorType) out.errorType = errorType;
    if (message !== undefined) out.message = message;
  }
  return out;
}
