/**
 * A run's results as JUnit XML (`--report junit:FILE`, the app's JUnit export), the format CI servers
 * read (valid against the Jenkins xUnit plugin's junit-10.xsd, test/fixtures/junit/): one testsuite per
 * capture, one testcase per item ("<source> <operation> <device>"); an item that failed (its
 * expectation not met, or without an expectation its send failed) holds a <failure>, an unreadable
 * part of a capture is a testcase with an <error>, a skipped part one with <skipped>. Every text is
 * escaped, control characters included (those XML cannot hold at all are written as \uXXXX). Pure.
 */
import { describeExpectation, describeOutcome } from './compare.ts';
import { failedItem, failureType, type ReportEntry, type ReportItem, type ReportRun } from './report-items.ts';

/** Characters XML 1.0 cannot hold, even as character references: C0 controls but tab, LF and CR; U+FFFE/FFFF; lone surrogates. */
/* eslint-disable no-control-regex */
const NOT_XML =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/* eslint-enable no-control-regex */

const visible = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** Text content: & < > escaped (so `]]>` cannot occur), characters XML cannot hold as \uXXXX. */
export function xmlText(text: string): string {
  return text.replace(NOT_XML, visible).replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

const ATTRIBUTE_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};

/** An attribute's value: quotes and markup escaped, and tab, LF and CR as references (so parsers keep them). */
export function xmlAttribute(text: string): string {
  return text.replace(NOT_XML, visible).replace(/[&<>"'\t\n\r]/g, (c) => ATTRIBUTE_ESCAPES[c]!);
}

/** Seconds with 3 decimals (the schema's time: digits and a fraction, no exponent or sign). */
const seconds = (ms: number): string => (Math.max(0, ms) / 1000).toFixed(3);

function attributes(pairs: Array<[string, string | number | undefined]>): string {
  return pairs
    .filter((pair): pair is [string, string | number] => pair[1] !== undefined)
    .map(([name, value]) => ` ${name}="${xmlAttribute(String(value))}"`)
    .join('');
}

function testcaseName(item: ReportItem): string {
  return `${item.source} ${item.operation}${item.device ? ` ${item.device}` : ''}`;
}

/** The <failure> of a failed item: what was expected and what came, then the details, one per line. */
function failure(item: ReportItem, run: ReportRun): string {
  const { outcome } = item;
  const got = describeOutcome(outcome);
  let message: string;
  let type: string;
  if (item.passed === false && run.expect !== undefined) {
    type = 'ExpectationNotMet';
    message =
      run.expect === 'recorded' && item.comparison
        ? `differs from the recorded outcome: ${item.comparison.changes.join('; ')}`
        : `expected ${describeExpectation(run.expect)}, got ${got}`;
  } else {
    type = failureType(outcome);
    message = outcome.message ? `${got}: ${outcome.message}` : got;
  }
  const details = [
    `sent: ${got}${outcome.message ? ` (${outcome.message})` : ''}`,
    ...(item.recorded ? [`recorded: ${describeOutcome(item.recorded)}${item.recorded.message ? ` (${item.recorded.message})` : ''}`] : []),
    ...(item.comparison && !item.comparison.same ? [`changes: ${item.comparison.changes.join('; ')}`] : []),
    ...(run.expect !== undefined ? [`expected: ${describeExpectation(run.expect)}`] : []),
    `attempts: ${item.attempts}, latency ${Math.round(item.latencyMs * 100) / 100} ms`,
    ...(item.device !== undefined || item.fleet !== undefined ? [`device: ${item.device ?? 'none'}, fleet: ${item.fleet ?? 'none'}`] : []),
    ...(item.historyId ? [`history entry: ${item.historyId}`] : []),
  ];
  return `<failure${attributes([
    ['message', message],
    ['type', type],
  ])}>${xmlText(details.join('\n'))}</failure>`;
}

function testcase(entry: ReportEntry, run: ReportRun): string {
  if ('problem' in entry) {
    const p = entry.problem;
    return `    <testcase${attributes([
      ['name', `${p.source} unreadable`],
      ['classname', p.capture],
      ['time', seconds(0)],
    ])}><error${attributes([
      ['message', p.problem],
      ['type', 'unreadable'],
    ])}>${xmlText(`${p.source}: ${p.problem}`)}</error></testcase>\n`;
  }
  if ('skip' in entry) {
    const s = entry.skip;
    return `    <testcase${attributes([
      ['name', `${s.source} skipped`],
      ['classname', s.capture],
      ['time', seconds(0)],
    ])}><skipped${attributes([['message', s.reason]])}>${xmlText(s.url ?? '')}</skipped></testcase>\n`;
  }
  const item = entry.item;
  const head = `    <testcase${attributes([
    ['name', testcaseName(item)],
    ['classname', item.capture],
    ['time', seconds(item.latencyMs)],
  ])}`;
  return failedItem(item) ? `${head}>${failure(item, run)}</testcase>\n` : `${head}/>\n`;
}

const captureOf = (entry: ReportEntry): string =>
  'item' in entry ? entry.item.capture : 'problem' in entry ? entry.problem.capture : entry.skip.capture;

interface Suite {
  entries: ReportEntry[];
  failures: number;
  errors: number;
  skipped: number;
  timeMs: number;
}

/**
 * The JUnit XML document, in pieces. Suites come in the order their captures first appear, testcases
 * in the order given. A suite's time is the sum of its testcases' (sends overlap, so it may exceed the
 * run's wall time, which is the testsuites' time); its timestamp is the run's start.
 */
export function* junitReport(entries: Iterable<ReportEntry>, run: ReportRun): Generator<string> {
  const suites = new Map<string, Suite>();
  for (const entry of entries) {
    const name = captureOf(entry);
    let suite = suites.get(name);
    if (!suite) suites.set(name, (suite = { entries: [], failures: 0, errors: 0, skipped: 0, timeMs: 0 }));
    suite.entries.push(entry);
    if ('problem' in entry) suite.errors++;
    else if ('skip' in entry) suite.skipped++;
    else {
      suite.timeMs += entry.item.latencyMs;
      if (failedItem(entry.item)) suite.failures++;
    }
  }
  let tests = 0;
  let failures = 0;
  let errors = 0;
  for (const suite of suites.values()) {
    tests += suite.entries.length;
    failures += suite.failures;
    errors += suite.errors;
  }
  const timestamp = run.startedAt.replace(/\.\d+Z$/, 'Z');
  yield '<?xml version="1.0" encoding="UTF-8"?>\n';
  yield `<testsuites${attributes([
    ['name', run.name ?? 'heartbeat replay'],
    ['tests', tests],
    ['failures', failures],
    ['errors', errors],
    ['time', seconds(run.elapsedMs)],
  ])}>\n`;
  for (const [name, suite] of suites) {
    yield `  <testsuite${attributes([
      ['name', name],
      ['tests', suite.entries.length],
      ['failures', suite.failures],
      ['errors', suite.errors],
      ['skipped', suite.skipped],
      ['time', seconds(suite.timeMs)],
      ['timestamp', timestamp],
    ])}>\n`;
    const properties: Array<[string, string]> = [
      ...(run.expect !== undefined ? [['expect', String(run.expect)] as [string, string]] : []),
      ...(run.target !== undefined ? [['target', run.target] as [string, string]] : []),
      ...(run.stopped ? [['stopped', 'true'] as [string, string]] : []),
    ];
    if (properties.length > 0)
      yield `    <properties>${properties
        .map(
          ([n, v]) =>
            `<property${attributes([
              ['name', n],
              ['value', v],
            ])}/>`,
        )
        .join('')}</properties>\n`;
    for (const entry of suite.entries) yield testcase(entry, run);
    yield '  </testsuite>\n';
  }
  yield '</testsuites>\n';
}
