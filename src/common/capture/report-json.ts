/**
 * A run's results as JSON: the `--report json:FILE` document `{ summary, items }`, and JSON lines (one
 * result per line, the app's "export results as JSONL"). Each item is the same object in both; the
 * writers yield text in pieces, so a long run's report is written without one huge string. Pure.
 */
import { summarizeReport, type ReportEntry, type ReportRun } from './report-items.ts';

/** One entry as its JSON object: a result, an unreadable part (`problem`) or a skipped part (`skipped`). */
export function reportLine(entry: ReportEntry): Record<string, unknown> {
  if ('problem' in entry) return { source: entry.problem.source, problem: entry.problem.problem };
  if ('skip' in entry)
    return { source: entry.skip.source, skipped: entry.skip.reason, ...(entry.skip.url !== undefined ? { url: entry.skip.url } : {}) };
  const i = entry.item;
  return {
    source: i.source,
    operation: i.operation,
    ...(i.device !== undefined ? { device: i.device } : {}),
    ...(i.fleet !== undefined ? { fleet: i.fleet } : {}),
    outcome: i.outcome,
    ...(i.recorded ? { recorded: i.recorded } : {}),
    ...(i.comparison ? { comparison: i.comparison } : {}),
    ...(i.passed !== undefined ? { passed: i.passed } : {}),
    latencyMs: Math.round(i.latencyMs * 100) / 100,
    attempts: i.attempts,
    ...(i.historyId !== undefined ? { historyId: i.historyId } : {}),
  };
}

/** One entry as a JSON line (with its line break). */
export function reportJsonLine(entry: ReportEntry): string {
  return `${JSON.stringify(reportLine(entry))}\n`;
}

/** The entries as JSON lines, in the order given. */
export function* jsonLinesReport(entries: Iterable<ReportEntry>): Generator<string> {
  for (const entry of entries) yield reportJsonLine(entry);
}

/**
 * The JSON report: `{"summary": {...}, "items": [...]}` (summarizeReport's counts; the items as
 * reportLine, in the order given), one item per line.
 */
export function* jsonReport(entries: Iterable<ReportEntry>, run: ReportRun): Generator<string> {
  yield `{"summary":${JSON.stringify(summarizeReport(entries, run))},"items":[`;
  let first = true;
  for (const entry of entries) {
    yield `${first ? '' : ','}\n${JSON.stringify(reportLine(entry))}`;
    first = false;
  }
  yield `${first ? '' : '\n'}]}\n`;
}
