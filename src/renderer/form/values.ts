/** Conversions between what a control holds and what the document holds. */

/** A finished number typed into a field, or undefined while it is not one yet ("", "-", "1e"). */
export function parseNumberDraft(text: string): number | undefined {
  const t = text.trim();
  if (!/^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(t) || /\.$/.test(t)) return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
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
