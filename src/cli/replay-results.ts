/**
 * `heartbeat replay`'s per-item bookkeeping (docs/runs.md#comparing-and-reporting-cli): each sent item's
 * result judged against its recorded outcome and the run's expectation, one small record kept per item
 * for the reports, and the --report files written with the shared writers (src/common/capture/report-*.ts).
 */
import { createWriteStream } from 'node:fs';
import { access, constants, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { type ReadPosition, type ReplayProblem } from '../node/engine/payloads.ts';
import type { ReplayResult } from '../node/engine/replay.ts';
import { readCaptureFiles } from '../node/capture/read-capture.ts';
import { type CaptureFormat, type CaptureItem } from '../common/capture/types.ts';
import type { Comparison, Expectation, ObservedOutcome } from '../common/capture/api-types.ts';
import { describeExpectation, judge } from '../common/capture/compare.ts';
import type { ReportEntry, ReportItem, ReportRun } from '../common/capture/report-items.ts';
import { jsonLinesReport, jsonReport } from '../common/capture/report-json.ts';
import { junitReport } from '../common/capture/report-junit.ts';
import { CliError } from './cli-error.ts';

/** The report formats of --report FORMAT:FILE. */
export const REPORT_FORMATS = ['junit', 'json', 'jsonl'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** A capture item as replay sends it, with its capture's name and its place among the records read (for the reports). */
export interface SentItem extends CaptureItem {
  capture: string;
  seq: number;
}

/** An item that did not meet the expectation, as the summary lists it. */
export interface ExpectationFailure {
  source: string;
  operation: string;
  device?: string;
  outcome: ObservedOutcome;
  recorded?: ObservedOutcome;
  /** What changed from the recorded outcome (when it did). */
  changes?: string[];
  /** What was expected, in words. */
  expected: string;
}

/** What the run keeps besides the engine's summary: expectation counts, the listed failures, skips, and the reports' entries. */
export class Results {
  met = 0;
  notMet = 0;
  /** Items without a recorded outcome under --expect recorded (not compared; they pass). */
  notCompared = 0;
  skipped = 0;
  firstSkip: string | undefined;
  /** Kept with their place in the input; trimmed to the first `listed` now and then, so a cap bounds memory. */
  private failures: Array<ExpectationFailure & { seq: number }> = [];
  /** The reports' entries by record number (holes: items never sent). */
  readonly entries: Array<ReportEntry | undefined> | undefined;

  constructor(
    readonly expect: Expectation | undefined,
    private readonly listed: number,
    withReports: boolean,
  ) {
    this.entries = withReports ? [] : undefined;
  }

  /** The capture's records as replay items: items and problems go to the engine, skips are counted. */
  async *items(
    files: string[],
    format: CaptureFormat | undefined,
    position: ReadPosition,
    debug: boolean,
  ): AsyncGenerator<SentItem | ReplayProblem> {
    let seq = 0;
    const records = readCaptureFiles(files, {
      ...(format ? { format } : {}),
      position,
      ...(debug
        ? {
            onFormat: (file: string, f: CaptureFormat, guess?: { reason: string }) =>
              process.stderr.write(`Reading ${file === '-' ? 'stdin' : file} as ${f}${guess ? `: ${guess.reason}` : ' (--format)'}.\n`),
          }
        : {}),
    });
    for await (const record of records) {
      const at = seq++;
      if ('item' in record) yield Object.assign(record.item, { capture: record.name, seq: at });
      else if ('problem' in record) {
        if (this.entries)
          this.entries[at] = { problem: { capture: record.name, source: record.problem.source, problem: record.problem.problem } };
        yield record.problem;
      } else {
        this.skipped++;
        this.firstSkip ??= `${record.skip.source}: ${record.skip.reason}`;
        if (this.entries)
          this.entries[at] = {
            skip: {
              capture: record.name,
              source: record.skip.source,
              reason: record.skip.reason,
              ...(record.skip.url !== undefined ? { url: record.skip.url } : {}),
            },
          };
      }
    }
  }

  /** One sent item's result (the engine's onResult). */
  result(r: ReplayResult<SentItem>): void {
    const { item, outcome } = r;
    const { comparison, passed } = judge(outcome, item.recorded, this.expect);
    if (this.expect !== undefined) {
      if (this.expect === 'recorded' && !item.recorded) this.notCompared++;
      if (passed) this.met++;
      else {
        this.notMet++;
        this.fail(item, outcome, comparison);
      }
    }
    if (this.entries) {
      const entry: ReportItem = {
        capture: item.capture,
        source: item.source,
        operation: item.operation,
        ...(item.device !== undefined ? { device: item.device } : {}),
        ...(item.fleet !== undefined ? { fleet: item.fleet } : {}),
        outcome,
        ...(item.recorded ? { recorded: item.recorded } : {}),
        ...(comparison ? { comparison } : {}),
        ...(passed !== undefined ? { passed } : {}),
        latencyMs: r.latencyMs,
        attempts: r.attempts,
        ...(r.historyId !== undefined ? { historyId: r.historyId } : {}),
      };
      this.entries[item.seq] = { item: entry };
    }
  }

  private fail(item: SentItem, outcome: ObservedOutcome, comparison: Comparison | undefined): void {
    if (this.listed <= 0) return;
    this.failures.push({
      seq: item.seq,
      source: item.source,
      operation: item.operation,
      ...(item.device !== undefined ? { device: item.device } : {}),
      outcome,
      ...(item.recorded ? { recorded: item.recorded } : {}),
      ...(comparison && !comparison.same ? { changes: comparison.changes } : {}),
      expected: describeExpectation(this.expect!),
    });
    if (this.failures.length >= 2 * this.listed + 64) this.failures = this.listedFailures().map((f, i) => ({ ...f, seq: i }));
  }

  /** The items that did not meet the expectation, in input order: all, or the first `listed`. */
  listedFailures(): ExpectationFailure[] {
    return this.failures
      .sort((a, b) => a.seq - b.seq)
      .slice(0, this.listed)
      .map(({ seq: _seq, ...failure }) => failure);
  }

  /** The reports' entries in input order. */
  reportEntries(): Iterable<ReportEntry> {
    const entries = this.entries ?? [];
    return {
      *[Symbol.iterator]() {
        for (const entry of entries) if (entry) yield entry;
      },
    };
  }
}

/** --report FORMAT:FILE, checked before anything is sent: a known format, a file in a folder that exists and can be written. */
export async function parseReports(values: string[]): Promise<Array<{ format: ReportFormat; file: string }>> {
  const reports: Array<{ format: ReportFormat; file: string }> = [];
  for (const value of values) {
    const colon = value.indexOf(':');
    const format = value.slice(0, Math.max(0, colon));
    const file = value.slice(colon + 1);
    if (colon < 0 || !(REPORT_FORMATS as readonly string[]).includes(format) || !file)
      throw new CliError(`--report must be FORMAT:FILE with FORMAT ${REPORT_FORMATS.join(', ')} (e.g. junit:replay.xml), not "${value}".`);
    if (reports.some((r) => r.file === file)) throw new CliError(`Two reports would be written to ${file}: give each its own file.`);
    const info = await stat(file).catch(() => undefined);
    if (info?.isDirectory()) throw new CliError(`Cannot write the ${format} report to ${file}: it is a folder.`);
    try {
      await access(info ? file : dirname(file), constants.W_OK);
    } catch {
      throw new CliError(
        `Cannot write the ${format} report to ${file}: ${info ? 'permission denied' : `the folder ${dirname(file)} does not exist or cannot be written`}.`,
      );
    }
    reports.push({ format: format as ReportFormat, file });
  }
  return reports;
}

/** Writes a report's pieces to FILE, in writes of about 64 KB. */
function writeReport(file: string, pieces: Iterable<string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const out = createWriteStream(file);
    out.on('error', reject);
    out.on('finish', resolve);
    const chunks = pieces[Symbol.iterator]();
    const pump = (): void => {
      for (;;) {
        let batch = '';
        let next = chunks.next();
        while (!next.done) {
          batch += next.value;
          if (batch.length >= 65_536) break;
          next = chunks.next();
        }
        if (next.done) {
          out.end(batch);
          return;
        }
        if (!out.write(batch)) {
          out.once('drain', pump);
          return;
        }
      }
    };
    pump();
  });
}

export async function writeReports(
  reports: Array<{ format: ReportFormat; file: string }>,
  results: Results,
  run: ReportRun,
): Promise<void> {
  const entries = results.reportEntries();
  for (const { format, file } of reports) {
    const pieces = format === 'junit' ? junitReport(entries, run) : format === 'json' ? jsonReport(entries, run) : jsonLinesReport(entries);
    try {
      await writeReport(file, pieces);
    } catch (error) {
      throw new CliError(`Cannot write the ${format} report to ${file}: ${(error as Error).message}.`);
    }
  }
}
