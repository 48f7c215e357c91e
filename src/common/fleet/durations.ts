/** Durations and ranges of the scenario file: `500ms`, `5s`, `2m`, `1h`; `-2s..2s`; `10%`. */
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const DURATION = /^(-?\d+(?:\.\d+)?)(ms|s|m|h)$/;

/** Milliseconds, or undefined when `text` is not a duration. */
export function parseDuration(text: string): number | undefined {
  const m = DURATION.exec(text.trim());
  return m ? Number(m[1]) * UNIT_MS[m[2]!]! : undefined;
}

/** A fixed duration or a range `A..B`, in milliseconds. */
export function parseDurationRange(text: string): { min: number; max: number } | undefined {
  const parts = text.split('..');
  if (parts.length === 1) {
    const ms = parseDuration(parts[0]!);
    return ms === undefined ? undefined : { min: ms, max: ms };
  }
  if (parts.length !== 2) return undefined;
  const [min, max] = parts.map(parseDuration);
  return min === undefined || max === undefined || min > max ? undefined : { min, max };
}

/** `10%` → 0.1; a plain number is taken as a fraction. */
export function parseFraction(text: string | number): number | undefined {
  if (typeof text === 'number') return Number.isFinite(text) ? text : undefined;
  const m = /^(\d+(?:\.\d+)?)%$/.exec(text.trim());
  return m ? Number(m[1]) / 100 : undefined;
}
