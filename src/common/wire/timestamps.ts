/**
 * Timestamps: the wire keeps JSON numbers of epoch seconds (fractions allowed); people read ISO 8601.
 * Importers (cli-input-json/yaml, shorthand) accept ISO strings and epoch strings and convert them.
 */
import { forEachTimestamp, type SchemaNode } from '../model/index.ts';

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?([Zz]|[+-]\d{2}(?::?\d{2})?)?$/;
const EPOCH = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** ISO 8601 in UTC, with milliseconds only when there are any: 2026-11-22T07:48:23Z. */
export function epochToIso(seconds: number): string {
  if (!Number.isFinite(seconds)) throw new RangeError(`${seconds} is not a finite number of seconds.`);
  const date = new Date(Math.round(seconds * 1000));
  if (Number.isNaN(date.getTime())) throw new RangeError(`${seconds} seconds is outside the range of dates.`);
  return date.toISOString().replace('.000Z', 'Z');
}

/**
 * Epoch seconds from ISO 8601 (date, date-time, optional fraction and zone; no zone means UTC, as
 * botocore serialises naive datetimes). Returns undefined when the text is not ISO 8601.
 */
export function isoToEpoch(text: string): number | undefined {
  const m = ISO.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone = 'Z'] = m;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return undefined;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(ms);
  if (check.getUTCDate() !== day) return undefined; // 2026-02-30 and the like
  let offsetMinutes = 0;
  if (zone !== 'Z' && zone !== 'z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0'));
  }
  const utcMs = ms - offsetMinutes * 60_000;
  // Up to milliseconds, stay in integers so the result is the double nearest the instant.
  if (frac.length <= 4) return (utcMs + (frac ? Math.round(Number(frac) * 1000) : 0)) / 1000;
  return utcMs / 1000 + Number(frac);
}

/** Now, in whole epoch seconds. */
export function nowEpoch(now: number = Date.now()): number {
  return Math.floor(now / 1000);
}

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** `now`, `now-5m`, `-5m`, `+2h`, `30s`, `1.5d` → epoch seconds relative to `now`. Undefined when not relative. */
export function relativeToEpoch(text: string, now: number = Date.now()): number | undefined {
  const m = /^(?:now)?\s*(?:([+-]?)\s*(\d+(?:\.\d+)?)\s*([smhdw]))?$/i.exec(text.trim());
  if (!m || (!m[2] && !/^now$/i.test(text.trim()))) return undefined;
  const base = nowEpoch(now);
  if (!m[2]) return base;
  const sign = m[1] === '-' ? -1 : 1;
  return base + sign * Number(m[2]) * UNITS[m[3].toLowerCase()];
}

/** Any accepted spelling of a timestamp → epoch seconds: a number, an epoch string, ISO 8601, or relative. */
export function parseTimestamp(value: unknown, now: number = Date.now()): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (EPOCH.test(text)) {
    const n = Number(text);
    return Number.isFinite(n) ? n : undefined;
  }
  return isoToEpoch(text) ?? relativeToEpoch(text, now);
}

export interface TimestampProblem {
  path: string;
  message: string;
}

/**
 * Converts every timestamp member given as a string (ISO 8601, epoch seconds, relative) to epoch
 * seconds, in place. Values that are neither are left alone and reported, so validation still
 * points at them.
 */
export function normalizeTimestamps(schema: SchemaNode, doc: unknown, now: number = Date.now()): TimestampProblem[] {
  const problems: TimestampProblem[] = [];
  forEachTimestamp(schema, doc, (path, value, set) => {
    if (typeof value !== 'string') return;
    const seconds = parseTimestamp(value, now);
    if (seconds === undefined)
      problems.push({ path, message: `Timestamp "${value.slice(0, 40)}" is neither ISO 8601 (2026-11-22T07:48:23Z) nor epoch seconds.` });
    else set(seconds);
  });
  return problems;
}
