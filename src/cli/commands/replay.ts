import { checkInputs, totalBytes, type ReadPosition } from '../../node/engine/payloads.ts';
import type { ReplayFailure, ReplayProgress, ReplayResult, ReplaySummary } from '../../node/engine/replay.ts';
import { CAPTURE_FORMATS, type CaptureFormat } from '../../common/capture/types.ts';
import { describeExpectation, describeOutcome, parseExpectation } from '../../common/capture/compare.ts';
import { parseCommandLine } from '../args.ts';
import { VARIABLE_OPTIONS, VARIABLES_HELP, variableOptions } from '../../node/variables/options.ts';
import { CliError, EXIT } from '../cli-error.ts';
import { MAX_DOCUMENT_TEXT } from '../io.ts';
import { progressLine } from '../progress.ts';
import { prepare, TARGET_HELP, TARGET_OPTIONS } from './send.ts';
import { exportReplay } from '../../node/fleet/locust/replay-export.ts';
import { isAppError } from '../../common/errors.ts';
import { parseReports, Results, writeReports, type ExpectationFailure, type SentItem } from '../replay-results.ts';

export const summary = 'Replay captures (history exports, endpoint captures, HAR, curl or aws commands, NDJSON) against a target.';

/** How many failed items the text summary lists (--output json lists them all). */
const LISTED_FAILURES = 20;

export const help = `Usage: heartbeat replay FILE... [--local | --endpoint-url URL | --region R] [options]

${summary}
Each FILE is a capture, its format detected from its name and start (docs/captures.md): a history
export (JSON lines: request lines are sent, each with the outcome recorded for it), an
embedded-endpoint capture (exchange lines, with their verdicts), a HAR file (devtools, Postman, the
app; entries that are not Edge Manager requests are skipped), curl or aws sagemaker-edge command
lines, an NDJSON file of payloads, or one JSON or YAML request document; "-" reads standard input,
and a pipe, FIFO, /dev/stdin or <(…) works as FILE too. Every input is streamed: memory stays bounded
(one line, one HAR entry or one document of at most ${MAX_DOCUMENT_TEXT} at a time, plus the sends in flight)
whatever its size; reports hold one small record per item (no body) until they are written.
Every send is recorded in the history. On a terminal, a progress bar shows how much of the files is
through, with an ETA (a plain counter when reading a pipe). Ctrl+C stops cleanly, prints the summary
and writes the reports.

The summary counts items (payloads and unreadable parts read): items = ok + failed, and sent = items
minus the unreadable ones. It lists each failed item as FILE:LINE, status, error type and message:
the first ${LISTED_FAILURES} in text, all of them with --output json ("failures"). With --expect it lists
instead the items that did not meet the expectation, with what changed ("expectationFailures").

${TARGET_HELP}
Replay:
  --concurrency N                 sends in flight (default 8)
  --rate R                        at most R sends per second
  --rewrite-timestamps now|shift  now: every timestamp becomes the send time; shift: all move by
                                  one offset so the first payload's latest timestamp is now
  --device-name TEMPLATE          rename devices; {n} = the payload's number, {name} = its old name
  --fleet-name NAME               put every payload in fleet NAME
  --format FORMAT                 read every FILE as FORMAT instead of detecting it: ndjson,
                                  history-jsonl, endpoint-capture, har, curl, aws-cli,
                                  cli-input-json or cli-input-yaml
  --dry-run                       sign but do not send (nothing is recorded)
  --debug                         print the target used (for --local: which embedded endpoint) on
                                  standard error before sending
  --output text|json              text summary (default) or one JSON object
  --export locust --out DIR       send nothing: write DIR, a Locust test of the same sends (items.ndjson,
                                  locustfile.py, README.md; docs/scale.md): the items shared out over
                                  any number of workers, each sent once, timestamps rewritten at send
                                  time as --rewrite-timestamps says, names as --device-name and
                                  --fleet-name say, --rate and --concurrency kept, the same signing
  -h, --help                      show this help
${VARIABLES_HELP}
  (replay resolves variables only when one of these is given, in each item after its rewrites)
Comparing and reporting (docs/runs.md):
  --expect recorded|2xx|STATUS    check every item: recorded = the outcome its capture recorded (same
                                  kind, status and error type, and a validation error's message; an
                                  item without one is not compared and passes), 2xx = any 2xx status,
                                  STATUS = that HTTP status (e.g. 400)
  --report junit:FILE             write a JUnit XML report (one testcase per item; failures: items not
                                  as expected, or without --expect failed sends; errors: unreadable parts)
  --report json:FILE              write {summary, items}: each item's outcome, recorded outcome,
                                  comparison, verdict, latency, attempts and history id
  --report jsonl:FILE             the same items as JSON lines; --report may be given several times

Exit status: 0 all succeeded, 1 any failed, 2 bad input (an input missing, a folder, binary, or
holding no payload; or only unreadable parts), 3 only transport errors, 130 stopped (the reports
are written). With --expect: 0 every item met it, 1 an item did not, 2 bad input as above or a
part of a capture could not be read.

Examples:
  heartbeat replay captured.ndjson --local --concurrency 32
  cat captured.ndjson | heartbeat replay - --dry-run
  heartbeat replay export.jsonl --endpoint-url http://127.0.0.1:8080 --rewrite-timestamps now --device-name 'sim-{n}'
  heartbeat replay export.jsonl --local --expect recorded --report junit:replay.xml
  heartbeat replay captured.ndjson --local --expect 2xx --report json:results.json
  heartbeat replay captured.ndjson --export locust --out replay-locust --rewrite-timestamps shift`;

/** Redraws the progress line on stderr at most 10 times a second; `fraction` reads how much input is through. */
function progressBar(fraction: () => number | undefined): (p: ReplayProgress) => void {
  const started = Date.now();
  let last = 0;
  return (p) => {
    const now = Date.now();
    if (now - last < 100) return;
    last = now;
    const f = fraction();
    process.stderr.write(`\r\x1b[2K${progressLine({ ...p, ...(f !== undefined ? { fraction: f } : {}), elapsedMs: now - started })}`);
  };
}

function failureLine(f: ReplayFailure): string {
  return `  ${f.source}  ${f.status !== undefined ? `${f.status} ` : ''}${f.errorType}: ${f.message}`;
}

function expectationLine(f: ExpectationFailure): string {
  const what = `${f.operation}${f.device ? ` ${f.device}` : ''}`;
  const got = `${describeOutcome(f.outcome)}${f.outcome.message ? ` (${f.outcome.message})` : ''}`;
  const differs = f.changes && f.expected === describeExpectation('recorded');
  return `  ${f.source}  ${what}: ${differs ? f.changes!.join('; ') : `expected ${f.expected}, got ${got}`}`;
}

function describe(s: ReplaySummary, results: Results): string {
  const failures = Object.entries(s.failedByType)
    .sort((a, b) => b[1] - a[1])
    .map(([type, n]) => `${type} ${n}`)
    .join(', ');
  const latency = s.p50Ms !== undefined ? `, p50 ${s.p50Ms} ms, p99 ${s.p99Ms} ms` : '';
  const head = `${s.stopped ? 'Stopped: ' : ''}${s.dryRun ? 'signed (dry run) ' : ''}${s.items} item${s.items === 1 ? '' : 's'}: ${s.ok} ok, ${s.failed} failed${failures ? ` (${failures})` : ''}; ${s.sent} ${s.dryRun ? 'signed' : 'sent'}${latency}, ${s.ratePerSecond}/s over ${(s.elapsedMs / 1000).toFixed(1)} s.`;
  const lines = [head];
  if (results.skipped > 0)
    lines.push(
      `Skipped ${results.skipped} part${results.skipped === 1 ? '' : 's'} that ${results.skipped === 1 ? 'is not an Edge Manager request' : 'are not Edge Manager requests'} (${results.firstSkip}).`,
    );
  const expect = results.expect;
  if (expect === undefined) {
    if (s.failed === 0) return lines.join('\n');
    const more = s.failed - s.failures.length;
    return [
      ...lines,
      'Failed:',
      ...s.failures.map(failureLine),
      ...(more > 0 ? [`  … and ${more} more (--output json lists every failure)`] : []),
    ].join('\n');
  }
  const notCompared = results.notCompared > 0 ? `; ${results.notCompared} without a recorded outcome (not compared)` : '';
  lines.push(`Expected ${describeExpectation(expect)}: ${results.met} met, ${results.notMet} not${notCompared}.`);
  if (expect === 'recorded' && results.notCompared > 0 && results.notCompared === results.met + results.notMet)
    lines.push('No item held a recorded outcome: replay a history export, an endpoint capture or a HAR file to compare.');
  if (results.notMet > 0) {
    const listed = results.listedFailures();
    const more = results.notMet - listed.length;
    lines.push('Not as expected:', ...listed.map(expectationLine));
    if (more > 0) lines.push(`  … and ${more} more (--output json lists every one)`);
  }
  const unreadable = s.failures.filter((f) => f.errorType === 'unreadable');
  if (unreadable.length > 0) lines.push('Unreadable:', ...unreadable.map((f) => `  ${f.source}  ${f.message}`));
  return lines.join('\n');
}

/** `--export locust --out DIR`: the same sends as a Locust test (src/node/fleet/locust/replay-export.ts); nothing is sent. */
async function exportToLocust(
  files: string[],
  values: {
    export?: string;
    out?: string;
    'dry-run'?: boolean;
    local?: boolean;
    'endpoint-url'?: string;
    region?: string;
    'device-name'?: string;
    'fleet-name'?: string;
    expect?: string;
    report?: string[];
    env?: string;
    environment?: string;
    var?: string[];
    now?: string;
    seed?: string;
  },
  options: { concurrency: number; rate: number | undefined; timestamps: 'now' | 'shift' | undefined; format: CaptureFormat | undefined },
): Promise<number> {
  if (values.export !== 'locust')
    throw new CliError(
      values.export === undefined ? 'Say what to export to: --export locust.' : `--export must be locust, not "${values.export}".`,
    );
  if (!values.out) throw new CliError('Name the folder to write: --out DIR.');
  if (values['dry-run']) throw new CliError('--export sends nothing already; leave out --dry-run.');
  for (const flag of ['local', 'endpoint-url', 'region'] as const)
    if (values[flag] !== undefined)
      throw new CliError(`--export writes a Locust test, whose target is Locust's --host; leave out --${flag}.`);
  if (values.expect !== undefined || values.report?.length)
    throw new CliError('--export sends nothing, so there is nothing to check or report; leave out --expect and --report.');
  for (const flag of ['env', 'environment', 'var', 'now', 'seed'] as const)
    if (values[flag] !== undefined)
      throw new CliError(`--export writes the items as captured (the Locust test resolves no variables); leave out --${flag}.`);
  let result;
  try {
    const items = new Results(undefined, 0, false).items(files, options.format, { bytes: 0 }, false);
    result = await exportReplay(items, values.out, {
      rewrite: {
        ...(options.timestamps ? { timestamps: options.timestamps } : {}),
        ...(values['device-name'] !== undefined ? { deviceName: values['device-name'] } : {}),
        ...(values['fleet-name'] !== undefined ? { fleetName: values['fleet-name'] } : {}),
      },
      concurrency: options.concurrency,
      ...(options.rate !== undefined ? { rate: options.rate } : {}),
      files,
    });
  } catch (error) {
    if (isAppError(error)) throw error;
    throw new CliError(`Cannot export: ${(error as Error).message}`);
  }
  process.stderr.write(
    `Wrote ${values.out}: ${result.items} item${result.items === 1 ? '' : 's'}${result.unreadable ? ` (${result.unreadable} unreadable line${result.unreadable === 1 ? '' : 's'} left out)` : ''} as a Locust test of ${options.concurrency} user${options.concurrency === 1 ? '' : 's'}.\n` +
      `Run it there: cd ${values.out} && locust --headless --host http://127.0.0.1:8787 (README.md: credentials, workers).\n`,
  );
  return EXIT.ok;
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine('replay', argv, {
    ...TARGET_OPTIONS,
    concurrency: { type: 'string', default: '8' },
    rate: { type: 'string' },
    'rewrite-timestamps': { type: 'string' },
    'device-name': { type: 'string' },
    'fleet-name': { type: 'string' },
    'dry-run': { type: 'boolean' },
    debug: { type: 'boolean' },
    export: { type: 'string' },
    out: { type: 'string' },
    format: { type: 'string' },
    expect: { type: 'string' },
    report: { type: 'string', multiple: true },
    ...VARIABLE_OPTIONS,
  });
  if (positionals.length === 0)
    throw new CliError(
      'replay needs at least one FILE (- for standard input): a history export, an endpoint capture, a HAR file or NDJSON payloads.',
    );
  const concurrency = Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 1024)
    throw new CliError(`--concurrency must be a whole number from 1 to 1024, not "${values.concurrency}".`);
  const rate = values.rate === undefined ? undefined : Number(values.rate);
  if (rate !== undefined && !(rate > 0)) throw new CliError(`--rate must be a positive number of sends per second, not "${values.rate}".`);
  const timestamps = values['rewrite-timestamps'];
  if (timestamps !== undefined && timestamps !== 'now' && timestamps !== 'shift')
    throw new CliError(`--rewrite-timestamps must be now or shift, not "${timestamps}".`);
  if (values.output !== 'text' && values.output !== 'json') throw new CliError(`--output must be text or json, not "${values.output}".`);
  const format = values.format as CaptureFormat | undefined;
  if (format !== undefined && !CAPTURE_FORMATS.includes(format))
    throw new CliError(`--format must be one of ${CAPTURE_FORMATS.join(', ')}, not "${values.format}".`);
  const expect = values.expect === undefined ? undefined : parseExpectation(values.expect);
  if (values.expect !== undefined && expect === undefined)
    throw new CliError(`--expect must be recorded, 2xx or an HTTP status such as 400, not "${values.expect}".`);
  if (values['dry-run'] && (expect !== undefined || values.report?.length))
    throw new CliError('--dry-run sends nothing, so there is nothing to check or report; leave out --expect and --report.');
  // The inputs first: a mistyped path is the sentence to see, not a credentials error.
  await checkInputs(positionals);
  if (values.export !== undefined || values.out !== undefined)
    return exportToLocust(positionals, values, { concurrency, rate, timestamps, format });
  const reports = await parseReports(values.report ?? []);
  // Variables only when asked for: a capture's text is replayed as captured unless a variable option is given.
  const variablesAsked = (['env', 'environment', 'var', 'now', 'seed'] as const).some((name) => values[name] !== undefined);
  const variables = variablesAsked ? await variableOptions(values) : undefined;
  const prepared = await prepare(values);
  if (values.debug)
    process.stderr.write(
      `${prepared.session.localNote ?? `Target: ${prepared.session.target.url} (signed for ${prepared.session.target.region}).`}\n`,
    );
  const stop = new AbortController();
  const onInterrupt = (): void => stop.abort();
  process.once('SIGINT', onInterrupt);
  const tty = process.stderr.isTTY && values.output === 'text';
  // Regular files have a size, so the bar can show how much is through; a pipe gets a plain counter.
  const position: ReadPosition = { bytes: 0 };
  const total = tty ? await totalBytes(positionals) : undefined;
  const listed = values.output === 'json' ? Infinity : LISTED_FAILURES;
  const results = new Results(expect, listed, reports.length > 0);
  const startedAt = new Date().toISOString();
  const started = performance.now();
  let summaryResult: ReplaySummary | undefined;
  try {
    summaryResult = await prepared.sends.replay(results.items(positionals, format, position, Boolean(values.debug)), {
      target: prepared.session.target,
      credentials: prepared.session.credentials,
      concurrency,
      ...(rate ? { ratePerSecond: rate } : {}),
      rewrite: {
        ...(timestamps ? { timestamps } : {}),
        ...(values['device-name'] !== undefined ? { deviceName: values['device-name'] } : {}),
        ...(values['fleet-name'] !== undefined ? { fleetName: values['fleet-name'] } : {}),
      },
      ...(values['dry-run'] ? { dryRun: true } : {}),
      signal: stop.signal,
      tags: ['replay'],
      ...(variables ? { variables } : {}),
      ...(values.output === 'json' ? {} : { maxFailuresListed: LISTED_FAILURES }),
      ...(tty ? { onProgress: progressBar(() => (total ? position.bytes / total : undefined)) } : {}),
      ...(expect !== undefined || reports.length > 0 ? { onResult: (r: ReplayResult) => results.result(r as ReplayResult<SentItem>) } : {}),
    });
  } finally {
    process.removeListener('SIGINT', onInterrupt);
    if (tty) process.stderr.write('\r\x1b[2K');
    await prepared.close();
    // Written whatever happened, a stop (Ctrl+C) or a failure included: what was sent is reported (a
    // report that cannot be written then does not hide the failure).
    if (reports.length > 0) {
      const writing = writeReports(reports, results, {
        startedAt,
        elapsedMs: summaryResult?.elapsedMs ?? performance.now() - started,
        stopped: summaryResult?.stopped ?? true,
        ...(expect !== undefined ? { expect } : {}),
        target: prepared.session.target.url,
      });
      await (summaryResult ? writing : writing.catch(() => undefined));
    }
  }
  if (summaryResult.items === 0 && !summaryResult.stopped) {
    const what = positionals.length === 1 ? `${positionals[0] === '-' ? 'stdin' : positionals[0]} holds` : 'the inputs hold';
    if (results.skipped > 0)
      throw new CliError(
        `Nothing to replay: ${what} no Edge Manager request (${results.skipped} part${results.skipped === 1 ? '' : 's'} skipped, e.g. ${results.firstSkip}).`,
      );
    throw new CliError(`Nothing to replay: ${what} no payload (empty, blank lines or only outcome lines).`);
  }
  if (values.output === 'json')
    process.stdout.write(
      JSON.stringify({
        target: prepared.session.target,
        ...summaryResult,
        ...(results.skipped > 0 ? { skipped: results.skipped } : {}),
        ...(expect !== undefined
          ? {
              expect,
              expectation: { met: results.met, notMet: results.notMet, notCompared: results.notCompared },
              expectationFailures: results.listedFailures(),
            }
          : {}),
      }) + '\n',
    );
  else process.stdout.write(describe(summaryResult, results) + '\n');
  if (summaryResult.stopped) return 130;
  const types = Object.keys(summaryResult.failedByType);
  if (expect !== undefined) {
    if (results.notMet > 0) return EXIT.serviceError;
    return types.includes('unreadable') ? EXIT.badInput : EXIT.ok;
  }
  if (summaryResult.failed === 0) return EXIT.ok;
  if (types.every((t) => t === 'unreadable')) return EXIT.badInput;
  return types.every((t) => t.startsWith('transport:')) ? EXIT.transport : EXIT.serviceError;
}
