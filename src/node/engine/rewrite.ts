/**
 * Replay's payload rewrites: timestamps (`now`: every timestamp becomes the send time; `shift`: all
 * timestamps move by one offset, chosen so the first payload's latest timestamp becomes now, keeping
 * the gaps between them), device names from a template, one fleet name. Without options the body is
 * sent byte for byte as captured.
 */
import { forEachTimestamp, requestSchema } from '../../common/model/index.ts';
import { parseTimestamp } from '../../common/wire/timestamps.ts';
import type { ReplayItem } from './payloads.ts';

export interface RewriteOptions {
  timestamps?: 'now' | 'shift';
  /** `{n}` → the payload's 1-based number in the replay, `{name}` → its original DeviceName. */
  deviceName?: string;
  fleetName?: string;
}

export type Rewriter = (item: ReplayItem, sequence: number) => string;

export function createRewriter(options: RewriteOptions, now: () => number = Date.now): Rewriter {
  if (!options.timestamps && options.deviceName === undefined && options.fleetName === undefined) return (item) => item.body;
  let shiftSeconds: number | undefined;
  return (item, sequence) => {
    let doc: Record<string, unknown>;
    try {
      doc = JSON.parse(item.body) as Record<string, unknown>;
    } catch {
      return item.body;
    }
    if (options.timestamps) {
      const nowSeconds = now() / 1000;
      const schema = requestSchema(item.operation);
      if (options.timestamps === 'shift' && shiftSeconds === undefined) {
        let latest = -Infinity;
        forEachTimestamp(schema, doc, (_p, value) => {
          const seconds = parseTimestamp(value);
          if (seconds !== undefined) latest = Math.max(latest, seconds);
        });
        shiftSeconds = Number.isFinite(latest) ? nowSeconds - latest : 0;
      }
      forEachTimestamp(schema, doc, (_p, value, set) => {
        if (options.timestamps === 'now') return set(Math.round(nowSeconds * 1000) / 1000);
        const seconds = parseTimestamp(value);
        if (seconds !== undefined) set(Math.round((seconds + (shiftSeconds ?? 0)) * 1000) / 1000);
      });
    }
    if (options.deviceName !== undefined && 'DeviceName' in doc) {
      const original = typeof doc.DeviceName === 'string' ? doc.DeviceName : '';
      doc.DeviceName = options.deviceName.replaceAll('{n}', String(sequence)).replaceAll('{name}', original);
    }
    if (options.fleetName !== undefined && 'DeviceFleetName' in doc) doc.DeviceFleetName = options.fleetName;
    return JSON.stringify(doc);
  };
}
