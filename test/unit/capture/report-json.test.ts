/** The JSON report and JSON lines (src/common/capture/report-json.ts) and their summary (report-items.ts). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RunItemResult } from '../../../src/common/capture/api-types.ts';
import { jsonLinesReport, jsonReport, reportJsonLine, reportLine } from '../../../src/common/capture/report-json.ts';
import { reportItemFrom, summarizeReport, type ReportEntry, type ReportRun } from '../../../src/common/capture/report-items.ts';

const run: ReportRun = { startedAt: '2026-03-01T10:00:00.000Z', elapsedMs: 2500.4, expect: 'recorded' };

const entries: ReportEntry[] = [
  {
    item: {
      capture: 'h.jsonl',
      source: 'h.jsonl:1',
      operation: 'SendHeartbeat',
      device: 'cam-1',
      fleet: 'f',
      outcome: { kind: 'success', status: 200 },
      recorded: { kind: 'success', status: 200 },
      comparison: { same: true, changes: [] },
      passed: true,
      latencyMs: 3.14159,
      attempts: 1,
      historyId: 'a',
    },
  },
  {
    item: {
      capture: 'h.jsonl',
      source: 'h.jsonl:3',
      operation: 'SendHeartbeat',
      outcome: { kind: 'service-error', status: 500, errorType: 'InternalServiceException', message: 'x' },
      recorded: { kind: 'success', status: 200 },
      comparison: { same: false, changes: ['status 200 → 500', 'error type none → InternalServiceException'] },
      passed: false,
      latencyMs: 9,
      attempts: 1,
    },
  },
  {
    item: {
      capture: 'h.jsonl',
      source: 'h.jsonl:5',
      operation: 'GetDeployments',
      outcome: { kind: 'transport-error', errorType: 'refused', message: 'no' },
      passed: true,
      latencyMs: 1,
      attempts: 3,
    },
  },
  { problem: { capture: 'h.jsonl', source: 'h.jsonl:7', problem: 'the line is not JSON' } },
  { skip: { capture: 'h.jsonl', source: 'h.jsonl:9', reason: 'not an Edge Manager request', url: 'https://x/' } },
];

describe('JSON report', () => {
  it('summarizes: counts, comparison, expectation, verdict and latency percentiles over answered items', () => {
    expect(summarizeReport(entries, run)).toEqual({
      startedAt: run.startedAt,
      elapsedMs: 2500,
      stopped: false,
      expect: 'recorded',
      items: 3,
      ok: 1,
      failed: 2,
      failedByType: { InternalServiceException: 1, refused: 1 },
      unreadable: 1,
      skipped: 1,
      same: 1,
      differs: 1,
      notCompared: 1,
      expectationFailed: 1,
      passed: false,
      p50Ms: 3.14,
      p99Ms: 9,
    });
    expect(summarizeReport([entries[0]!, entries[2]!], run).passed).toBe(true);
  });

  it('is one JSON document: the summary and every entry in order', () => {
    const text = [...jsonReport(entries, run)].join('');
    const doc = JSON.parse(text) as { summary: unknown; items: unknown[] };
    expect(doc.summary).toEqual(summarizeReport(entries, run));
    expect(doc.items).toEqual(entries.map(reportLine));
    expect(doc.items[0]).toEqual({
      source: 'h.jsonl:1',
      operation: 'SendHeartbeat',
      device: 'cam-1',
      fleet: 'f',
      outcome: { kind: 'success', status: 200 },
      recorded: { kind: 'success', status: 200 },
      comparison: { same: true, changes: [] },
      passed: true,
      latencyMs: 3.14,
      attempts: 1,
      historyId: 'a',
    });
    expect(Object.keys(doc.items[0] as object)).toEqual([
      'source',
      'operation',
      'device',
      'fleet',
      'outcome',
      'recorded',
      'comparison',
      'passed',
      'latencyMs',
      'attempts',
      'historyId',
    ]);
    expect(doc.items[3]).toEqual({ source: 'h.jsonl:7', problem: 'the line is not JSON' });
    expect(doc.items[4]).toEqual({ source: 'h.jsonl:9', skipped: 'not an Edge Manager request', url: 'https://x/' });
    expect(JSON.parse([...jsonReport([], run)].join(''))).toMatchObject({ summary: { items: 0 }, items: [] });
  });

  it('JSON lines: one entry per line, each the same object as in the document', () => {
    const text = [...jsonLinesReport(entries)].join('');
    const lines = text.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((l) => JSON.parse(l))).toEqual(entries.map(reportLine));
    expect(reportJsonLine(entries[3]!)).toBe('{"source":"h.jsonl:7","problem":"the line is not JSON"}\n');
  });

  it('any text survives both forms', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (device, message) => {
        const entry: ReportEntry = {
          item: {
            capture: 'c',
            source: 'c:1',
            operation: 'SendHeartbeat',
            device,
            outcome: { kind: 'service-error', status: 400, errorType: 'ValidationException', message },
            latencyMs: 1,
            attempts: 1,
          },
        };
        const [line] = [...jsonLinesReport([entry])];
        expect(line!.split('\n')).toHaveLength(2);
        expect(JSON.parse(line!)).toMatchObject({ device, outcome: { message } });
        expect(JSON.parse([...jsonReport([entry], run)].join('')).items[0]).toMatchObject({ device });
      }),
      { numRuns: 50 },
    );
  });

  it('reportItemFrom: a report item from the app’s row and run result', () => {
    const result: RunItemResult = {
      index: 4,
      outcome: { kind: 'success', status: 200 },
      latencyMs: 2,
      attempts: 1,
      historyId: 'h',
      comparison: { same: true, changes: [] },
      passed: true,
    };
    expect(
      reportItemFrom(
        'cap.har',
        {
          index: 4,
          operation: 'SendHeartbeat',
          line: 10,
          source: 'cap.har:10',
          device: 'd',
          recorded: { kind: 'success', status: 200 },
        },
        result,
      ),
    ).toEqual({
      capture: 'cap.har',
      source: 'cap.har:10',
      operation: 'SendHeartbeat',
      device: 'd',
      outcome: { kind: 'success', status: 200 },
      recorded: { kind: 'success', status: 200 },
      comparison: { same: true, changes: [] },
      passed: true,
      latencyMs: 2,
      attempts: 1,
      historyId: 'h',
    });
  });
});
