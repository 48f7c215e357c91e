/** Conversions between what a control holds and what the document holds. */
import { isoToEpoch } from '../../common/wire/timestamps.ts';

/** A finished number typed into a field, or undefined while it is not one yet ("", "-", "1e"). */
export function parseNumberDraft(text: string): number | undefined {
  const t = text.trim();
  if (!/^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(t) || /\.$/.test(t)) return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * What the text of a number or timestamp field says: a number (a timestamp field also takes ISO 8601,
 * converted to epoch seconds); a number still being typed ("-", "2.", "1e"), left alone until the
 * field is left; nothing; or text that is no number ("abc", "12,5", "yesterday"), which is kept as a
 * string so validation flags it at the field instead of the form dropping it. A JSON string literal
 * ("\"12\"") is the string it spells.
 */
export type NumberFieldText =
  { kind: 'number'; value: number } | { kind: 'unfinished' } | { kind: 'empty' } | { kind: 'text'; value: string };

export function readNumberField(text: string, timestamp: boolean, final = false): NumberFieldText {
  const t = text.trim();
  if (t === '') return { kind: 'empty' };
  const n = parseNumberDraft(t);
  if (n !== undefined) return { kind: 'number', value: n };
  if (timestamp) {
    const seconds = isoToEpoch(t);
    if (seconds !== undefined && Number.isFinite(seconds)) return { kind: 'number', value: seconds };
  }
  if (/^"(?:[^"\\]|\\.)*"$/.test(t)) {
    try {
      return { kind: 'text', value: JSON.parse(t) as string };
    } catch {
      // Not a JSON string after all: the text as typed.
    }
  }
  if (/^[-+]?\d*\.?\d*(?:[eE][-+]?)?$/.test(t)) {
    if (!final) return { kind: 'unfinished' };
    const loose = Number(t.replace(/[eE][-+]?$/, ''));
    if (/\d/.test(t) && Number.isFinite(loose)) return { kind: 'number', value: loose };
  }
  return { kind: 'text', value: text };
}

/** How a number or timestamp field shows a string member: quoted when unquoted text would read as a number. */
export function showNumberFieldString(value: string, timestamp: boolean): string {
  return readNumberField(value, timestamp, true).kind === 'text' && !/^\s*"/.test(value) ? value : JSON.stringify(value);
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** Epoch seconds → the value of an <input type="datetime-local"> in local time, to the second. */
export function epochToLocalInput(seconds: number): string {
  const d = new Date(seconds * 1000);
  if (Number.isNaN(d.getTime()) || d.getFullYear() < 1 || d.getFullYear() > 9999) return '';
  return `${String(d.getFullYear()).padStart(4, '0')}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** An <input type="datetime-local"> value (local time) → whole epoch seconds. */
export function localInputToEpoch(value: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s = '0'] = m;
  const date = new Date(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  return Number.isNaN(date.getTime()) ? undefined : Math.floor(date.getTime() / 1000);
}
