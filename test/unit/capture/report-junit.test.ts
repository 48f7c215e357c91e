/**
 * The JUnit report (src/common/capture/report-junit.ts): valid against the Jenkins xUnit plugin's
 * junit-10.xsd (test/fixtures/junit/, checked with xmllint --schema; a broken report is refused, so the
 * check is real), counts per suite, and every text escaped, control characters included.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { judge } from '../../../src/common/capture/compare.ts';
import { junitReport, xmlAttribute, xmlText } from '../../../src/common/capture/report-junit.ts';
import type { ReportEntry, ReportItem, ReportRun } from '../../../src/common/capture/report-items.ts';
import { junitSchemaProblems as schemaProblems, junitXPath as xpath } from '../../fixtures/junit/schema.ts';

const run: ReportRun = { startedAt: '2026-03-01T10:00:00.123Z', elapsedMs: 1234.6, expect: 'recorded', target: 'http://127.0.0.1:8787' };

function item(over: Partial<ReportItem> = {}): ReportItem {
  const outcome = over.outcome ?? { kind: 'success', status: 200 };
  const recorded = 'recorded' in over ? over.recorded : { kind: 'success' as const, status: 200 };
  return {
    capture: 'capture.har',
    source: 'capture.har:12',
    operation: 'SendHeartbeat',
    device: 'cam-1',
    fleet: 'fleet-a',
    outcome,
    ...(recorded ? { recorded } : {}),
    ...judge(outcome, recorded, run.expect),
    latencyMs: 12.345,
    attempts: 1,
    historyId: 'h-1',
    ...over,
  };
}

const text = (entries: ReportEntry[], r: ReportRun = run): string => [...junitReport(entries, r)].join('');

describe('JUnit report', () => {
  const entries: ReportEntry[] = [
    { item: item() },
    {
      item: item({
        source: 'capture.har:40',
        outcome: { kind: 'service-error', status: 500, errorType: 'InternalServiceException', message: 'Injected fault.' },
      }),
    },
    { problem: { capture: 'capture.har', source: 'capture.har:77', problem: 'the entry has no request body' } },
    { skip: { capture: 'capture.har', source: 'capture.har:90', reason: 'not an Edge Manager request', url: 'https://example.com/' } },
    { item: item({ capture: 'more.ndjson', source: 'more.ndjson:1', recorded: undefined }) },
  ];

  it('is valid against junit-10.xsd, with counts per suite and the run', () => {
    const xml = text(entries);
    expect(schemaProblems(xml)).toBe('');
    expect(xml).toContain('<testsuites name="heartbeat replay" tests="5" failures="1" errors="1" time="1.235">');
    expect(xml).toContain(
      '<testsuite name="capture.har" tests="4" failures="1" errors="1" skipped="1" time="0.025" timestamp="2026-03-01T10:00:00Z">',
    );
    expect(xml).toContain('<testsuite name="more.ndjson" tests="1" failures="0" errors="0" skipped="0" time="0.012"');
    expect(xml).toContain('<testcase name="capture.har:12 SendHeartbeat cam-1" classname="capture.har" time="0.012"/>');
    expect(xml).toContain(
      '<failure message="differs from the recorded outcome: status 200 → 500; error type none → InternalServiceException" type="ExpectationNotMet">sent: 500 InternalServiceException (Injected fault.)\nrecorded: 200\nchanges: status 200 → 500; error type none → InternalServiceException\nexpected: the recorded outcome\nattempts: 1, latency 12.35 ms\ndevice: cam-1, fleet: fleet-a\nhistory entry: h-1</failure>',
    );
    expect(xml).toContain(
      '<testcase name="capture.har:77 unreadable" classname="capture.har" time="0.000"><error message="the entry has no request body" type="unreadable">',
    );
    expect(xml).toContain('<skipped message="not an Edge Manager request">https://example.com/</skipped>');
    expect(xml).toContain('<property name="expect" value="recorded"/><property name="target" value="http://127.0.0.1:8787"/>');
  });

  it('the schema check is real: broken reports are refused', () => {
    const xml = text(entries);
    // A required attribute missing, an element the schema does not have, and XML that is not well-formed.
    expect(schemaProblems(xml.replace(' failures="1" errors="1" skipped="1"', ''))).toMatch(/attribute 'failures' is required/);
    expect(schemaProblems(xml.replace('<skipped ', '<ignored ').replace('</skipped>', '</ignored>'))).toMatch(/ignored/);
    expect(schemaProblems(xml.replace('time="1.235"', 'time="1.2e3"'))).toMatch(/SUREFIRE_TIME|time/);
    expect(schemaProblems(xml.replace('</testsuites>', ''))).not.toBe('');
    expect(schemaProblems(xml.replace('cam-1"', 'cam-1 "x"'))).not.toBe('');
  });

  it('without an expectation, a failed send is a failure with its error type', () => {
    const bare: ReportRun = { startedAt: run.startedAt, elapsedMs: 10 };
    const failed = item({
      outcome: { kind: 'transport-error', errorType: 'refused', message: 'connect ECONNREFUSED' },
      recorded: undefined,
      passed: undefined,
    });
    delete failed.comparison;
    const xml = text([{ item: failed }, { item: { ...item(), passed: undefined } }], bare);
    expect(schemaProblems(xml)).toBe('');
    expect(xml).toContain('failures="1"');
    expect(xml).toContain('<failure message="transport error refused: connect ECONNREFUSED" type="refused">');
    expect(xml).not.toContain('<properties>');
  });

  it('an empty run is a valid report', () => {
    const xml = text([], { startedAt: run.startedAt, elapsedMs: 0, stopped: true });
    expect(schemaProblems(xml)).toBe('');
    expect(xml).toContain('tests="0" failures="0" errors="0"');
  });

  it('escapes markup, quotes and control characters', () => {
    expect(xmlText('a<b>&c ]]> "q"')).toBe('a&lt;b&gt;&amp;c ]]&gt; "q"');
    expect(xmlAttribute(`"'<&>\t\n\r`)).toBe('&quot;&apos;&lt;&amp;&gt;&#9;&#10;&#13;');
    expect(xmlText('nul\u0000 bell\u0007 esc\u001b del\u007f')).toBe('nul\\u0000 bell\\u0007 esc\\u001b del\u007f');
    expect(xmlAttribute('lone \ud800 pair \ud83d\ude00 \uffff')).toBe('lone \\ud800 pair \ud83d\ude00 \\uffff');
    const nasty = 'dev"<&>\u0001\u001f\ud800]]>\ttab\nline';
    const xml = text([
      {
        item: item({
          device: nasty,
          source: `${nasty}:1`,
          capture: nasty,
          outcome: { kind: 'service-error', status: 400, errorType: `Err${nasty}`, message: nasty },
        }),
      },
      { problem: { capture: nasty, source: nasty, problem: nasty } },
    ]);
    expect(schemaProblems(xml)).toBe('');
    const shown = 'dev"<&>\\u0001\\u001f\\ud800]]>\ttab\nline';
    expect(xpath(xml, '//testsuite/@name')).toBe(shown);
    expect(xpath(xml, '//testcase[1]/@name')).toBe(`${shown}:1 SendHeartbeat ${shown}`);
    expect(xpath(xml, '//testcase[2]/error/@message')).toBe(shown);
  });

  it('any text at all gives a valid report that reads back as written', () => {
    const anyText = fc.string({ unit: 'binary', maxLength: 40 });
    fc.assert(
      fc.property(anyText, anyText, anyText, (device, message, capture) => {
        const xml = text([
          {
            item: item({
              capture,
              device,
              outcome: { kind: 'service-error', status: 503, errorType: 'X', message },
            }),
          },
        ]);
        expect(schemaProblems(xml)).toBe('');
        const visible = (s: string) =>
          s.replace(
            // eslint-disable-next-line no-control-regex
            /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
            (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
          );
        expect(xpath(xml, '//testsuite/@name')).toBe(visible(capture));
        expect(xpath(xml, '//testcase/@name')).toBe(visible(`capture.har:12 SendHeartbeat${device ? ` ${device}` : ''}`));
      }),
      { numRuns: 25 },
    );
  });
});
