/** How the history list and the inspector word a fleet run's numbers (docs/history.md#fleet-run-entries). */
import type { HistoryRunFacts } from '../../../common/api.ts';

/** 12,340 (grouped the same way in every locale: the UI is English). */
export const count = (n: number): string => Math.round(n).toLocaleString('en-US');

/** A run's length: 850 ms, 42s, 1m 02s, 1h 05m 00s. */
export function runDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const two = (n: number): string => String(n).padStart(2, '0');
  if (h > 0) return `${h}h ${two(m)}m ${two(s)}s`;
  return m > 0 ? `${m}m ${two(s)}s` : `${s}s`;
}

/** ["50 devices", "12,340 sent", "3 failed", "1m 02s"], and "stopped" when it ended early. */
export function runFacts(run: HistoryRunFacts): string[] {
  return [
    `${count(run.devices)} device${run.devices === 1 ? '' : 's'}`,
    `${count(run.sent)} sent`,
    `${count(run.failed)} failed`,
    runDuration(run.elapsedMs),
    ...(run.stopped ? ['stopped'] : []),
  ];
}

/** "50 devices · 12,340 sent · 3 failed · 1m 02s". */
export const runFactsLine = (run: HistoryRunFacts): string => runFacts(run).join(' · ');

/** A latency or lag: "—" when unknown, one decimal under 10 ms; without the unit for a column that names it. */
export function millis(ms: number | undefined, unit = true): string {
  if (ms === undefined) return '—';
  const n = ms < 10 ? ms.toFixed(1) : count(ms);
  return unit ? `${n} ms` : n;
}
