/**
 * A run's results as a file (docs/runs.md#the-run-view): JSON lines (one result per item, then the capture's
 * unreadable and skipped parts) or JUnit XML, written by the same writers as `heartbeat replay --report`.
 */
import type { ExportedFile } from '../../common/api.ts';
import type { RunExportFormat, RunItemResult, RunState } from '../../common/capture/api-types.ts';
import { reportItemFrom, type ReportEntry, type ReportRun } from '../../common/capture/report-items.ts';
import { jsonLinesReport } from '../../common/capture/report-json.ts';
import { junitReport } from '../../common/capture/report-junit.ts';
import type { Capture } from './capture-service.ts';

function* entriesOf(capture: Capture, results: ReadonlyMap<number, RunItemResult>): Generator<ReportEntry> {
  const name = capture.info.name;
  for (const item of capture.items) {
    const result = results.get(item.index);
    if (result) yield { item: reportItemFrom(name, item, result) };
  }
  for (const p of capture.problems) yield { problem: { capture: name, source: p.source, problem: p.problem } };
  for (const s of capture.skipped) yield { skip: { capture: name, source: s.source, reason: s.reason, ...(s.url ? { url: s.url } : {}) } };
}

export function runReport(
  state: RunState,
  capture: Capture,
  results: ReadonlyMap<number, RunItemResult>,
  format: RunExportFormat,
): ExportedFile {
  const base = capture.info.name.replace(/\.[^.]*$/, '').replace(/[^\w.-]+/g, '-') || 'capture';
  const run: ReportRun = {
    name: `Heartbeat Composer run of ${capture.info.name}`,
    startedAt: state.startedAt,
    elapsedMs: state.elapsedMs,
    stopped: state.state === 'cancelled',
    ...(state.expect !== undefined ? { expect: state.expect } : {}),
  };
  if (format === 'junit')
    return {
      fileName: `${base}-results.xml`,
      mediaType: 'application/xml',
      text: [...junitReport(entriesOf(capture, results), run)].join(''),
    };
  return {
    fileName: `${base}-results.jsonl`,
    mediaType: 'application/x-ndjson',
    text: [...jsonLinesReport(entriesOf(capture, results))].join(''),
  };
}
