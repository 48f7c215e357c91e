/**
 * What a run's reports are made of (docs/runs.md#comparing-and-reporting-cli): one small record per
 * item (no body), per unreadable part and per skipped part of a capture, and the run they belong to.
 * `heartbeat replay --report` and the app's Run view (export results) both feed the writers in
 * report-json.ts and report-junit.ts from these. Pure.
 */
import type { CaptureItem } from './types.ts';
import type { Comparison, Expectation, ObservedOutcome, RunItemResult } from './api-types.ts';
import type { RecordedOutcome } from './types.ts';

/** A sent item's result. */
export interface ReportItem {
  /** The capture it is from (a file's name): JUnit's testsuite and classname. */
  capture: string;
  /** `name:line` (CaptureItem.source). */
  source: string;
  operation: string;
  device?: string;
  fleet?: string;
  outcome: ObservedOutcome;
  recorded?: RecordedOutcome;
  comparison?: Comparison;
  /** Whether the run's expectation was met (undefined without an expectation). */
  passed?: boolean;
  latencyMs: number;
  attempts: number;
  historyId?: string;
}

/** A part of a capture that could not be read (JUnit: an error). */
export interface ReportProblem {
  capture: string;
  source: string;
  problem: string;
}

/** A part of a capture that is not an Edge Manager request (JUnit: skipped). */
export interface ReportSkip {
  capture: string;
  source: string;
  reason: string;
  url?: string;
}

export type ReportEntry = { item: ReportItem } | { problem: ReportProblem } | { skip: ReportSkip };

/** The run the entries are of. */
export interface ReportRun {
  /** What ran: JUnit's testsuites name (default "heartbeat replay"). */
  name?: string;
  /** ISO 8601. */
  startedAt: string;
  /** The run's wall time (pauses left out). */
  elapsedMs: number;
  /** Stopped before every item was sent (Ctrl+C, Cancel). */
  stopped?: boolean;
  expect?: Expectation;
  /** Where the items were sent (a URL), informational. */
  target?: string;
}

/** A report's counts, derived from its entries. */
export interface ReportSummary {
  startedAt: string;
  elapsedMs: number;
  stopped: boolean;
  expect?: Expectation;
  target?: string;
  /** Items sent (with a result): ok + failed. */
  items: number;
  /** Answered 2xx. */
  ok: number;
  /** Not answered 2xx (service error, transport error, cancelled). */
  failed: number;
  /** Error type (a transport error's code, `cancelled`) → items. */
  failedByType: Record<string, number>;
  unreadable: number;
  skipped: number;
  /** Items with a recorded outcome: the same as recorded, or changed. */
  same: number;
  differs: number;
  /** Items without a recorded outcome (not compared; they pass `--expect recorded`). */
  notCompared: number;
  /** Items that did not meet the expectation. */
  expectationFailed: number;
  /** The report's verdict: no item failed (failedItem) and nothing was unreadable. */
  passed: boolean;
  p50Ms?: number;
  p99Ms?: number;
}

/**
 * Whether an item counts as failed in a report: it did not meet the run's expectation or, without an
 * expectation, its send did not succeed.
 */
export function failedItem(item: ReportItem): boolean {
  return item.passed !== undefined ? !item.passed : item.outcome.kind !== 'success';
}

/** The error type an item's failure is counted under: its error type (a transport error's code), or its kind. */
export function failureType(outcome: ObservedOutcome): string {
  return outcome.kind === 'cancelled' ? 'cancelled' : (outcome.errorType ?? outcome.kind);
}

/** A report item from the app's table row (the item without its body) and its run result. */
export function reportItemFrom(capture: string, row: Omit<CaptureItem, 'body'>, result: RunItemResult): ReportItem {
  return {
    capture,
    source: row.source,
    operation: row.operation,
    ...(row.device !== undefined ? { device: row.device } : {}),
    ...(row.fleet !== undefined ? { fleet: row.fleet } : {}),
    outcome: result.outcome,
    ...(row.recorded ? { recorded: row.recorded } : {}),
    ...(result.comparison ? { comparison: result.comparison } : {}),
    ...(result.passed !== undefined ? { passed: result.passed } : {}),
    latencyMs: result.latencyMs,
    attempts: result.attempts,
    ...(result.historyId ? { historyId: result.historyId } : {}),
  };
}

function percentile(sorted: number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** The counts of a report's entries (percentiles over the items that got an answer, as the replay's summary). */
export function summarizeReport(entries: Iterable<ReportEntry>, run: ReportRun): ReportSummary {
  const s: ReportSummary = {
    startedAt: run.startedAt,
    elapsedMs: Math.round(run.elapsedMs),
    stopped: Boolean(run.stopped),
    ...(run.expect !== undefined ? { expect: run.expect } : {}),
    ...(run.target !== undefined ? { target: run.target } : {}),
    items: 0,
    ok: 0,
    failed: 0,
    failedByType: {},
    unreadable: 0,
    skipped: 0,
    same: 0,
    differs: 0,
    notCompared: 0,
    expectationFailed: 0,
    passed: true,
  };
  const latencies: number[] = [];
  for (const entry of entries) {
    if ('problem' in entry) {
      s.unreadable++;
      s.passed = false;
      continue;
    }
    if ('skip' in entry) {
      s.skipped++;
      continue;
    }
    const { item } = entry;
    s.items++;
    if (item.outcome.kind === 'success') s.ok++;
    else {
      s.failed++;
      const type = failureType(item.outcome);
      s.failedByType[type] = (s.failedByType[type] ?? 0) + 1;
    }
    if (item.outcome.status !== undefined) latencies.push(item.latencyMs);
    if (item.comparison?.same) s.same++;
    else if (item.comparison) s.differs++;
    else s.notCompared++;
    if (item.passed === false) s.expectationFailed++;
    if (failedItem(item)) s.passed = false;
  }
  latencies.sort((a, b) => a - b);
  const p50 = percentile(latencies, 50);
  const p99 = percentile(latencies, 99);
  if (p50 !== undefined) s.p50Ms = Math.round(p50 * 100) / 100;
  if (p99 !== undefined) s.p99Ms = Math.round(p99 * 100) / 100;
  return s;
}
