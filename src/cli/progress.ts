/**
 * The replay progress line on a terminal. Pure: counts and time in, one line out. With the fraction of
 * the input read (known for regular files) it is a bar with a percentage and an ETA; without it (a pipe)
 * a plain counter.
 */
export interface ProgressState {
  /** Items finished (ok + failed), the count the summary calls items. */
  done: number;
  ok: number;
  failed: number;
  /** 0..1 of the input read so far; undefined when the input's size is unknown. */
  fraction?: number;
  elapsedMs: number;
}

const BAR_WIDTH = 24;

/** 75 → "1:15", 3725 → "1:02:05". */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const [h, m, r] = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60];
  const two = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(r)}` : `${m}:${two(r)}`;
}

export function progressLine(p: ProgressState): string {
  const counts = `${p.done} items · ${p.ok} ok · ${p.failed} failed`;
  if (p.fraction === undefined || !Number.isFinite(p.fraction)) return counts;
  const fraction = Math.min(1, Math.max(0, p.fraction));
  const filled = Math.floor(fraction * BAR_WIDTH);
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}]`;
  const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
  // Until some of the input is through, there is nothing to extrapolate from.
  const eta = fraction > 0 && p.elapsedMs > 0 ? `ETA ${clock(((p.elapsedMs / fraction) * (1 - fraction)) / 1000)}` : 'ETA --:--';
  return `${bar} ${percent} · ${counts} · ${eta}`;
}
