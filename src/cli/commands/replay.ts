import { checkInputs, readPayloads, totalBytes, type ReadPosition } from '../../node/engine/payloads.ts';
import type { ReplayFailure, ReplayProgress, ReplaySummary } from '../../node/engine/replay.ts';
import { parseCommandLine } from '../args.ts';
import { CliError, EXIT } from '../cli-error.ts';
import { MAX_DOCUMENT_TEXT } from '../io.ts';
import { progressLine } from '../progress.ts';
import { prepare, TARGET_HELP, TARGET_OPTIONS } from './send.ts';
import { exportReplay } from '../../node/fleet/locust/replay-export.ts';
import { isAppError } from '../../common/errors.ts';

export const summary = 'Replay history exports, endpoint captures or NDJSON payloads against a target.';

/** How many failed items the text summary lists (--output json lists them all). */
const LISTED_FAILURES = 20;

export const help = `Usage: heartbeat replay FILE... [--local | --endpoint-url URL | --region R] [options]

${summary}
Each FILE is a history export (JSON lines; request lines are sent, outcome lines skipped), an
embedded-endpoint capture (exchange lines), an NDJSON file of payloads, or one JSON payload; "-"
reads standard input, and a pipe, FIFO, /dev/stdin or <(…) works as FILE too. Every input is streamed
line by line: memory stays bounded (one line, or one multi-line JSON document, of at most ${MAX_DOCUMENT_TEXT}
at a time, plus the sends in flight) whatever its size.
Every send is recorded in the history. On a terminal, a progress bar shows how much of the files is
through, with an ETA (a plain counter when reading a pipe). Ctrl+C stops cleanly and prints the summary.

The summary counts items (payloads and unreadable lines read): items = ok + failed, and sent = items
minus the unreadable ones. It lists each failed item as FILE:LINE, status, error type and message:
the first ${LISTED_FAILURES} in text, all of them with --output json ("failures").

${TARGET_HELP}
Replay:
  --concurrency N                 sends in flight (default 8)
  --rate R                        at most R sends per second
  --rewrite-timestamps now|shift  now: every timestamp becomes the send time; shift: all move by
                                  one offset so the first payload's latest timestamp is now
  --device-name TEMPLATE          rename devices; {n} = the payload's number, {name} = its old name
  --fleet-name NAME               put every payload in fleet NAME
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

Exit status: 0 all succeeded, 1 any failed, 2 bad input (an input missing, a folder, binary, or
holding no payload; or only unreadable lines), 3 only transport errors, 130 stopped.

Examples:
  heartbeat replay captured.ndjson --local --concurrency 32
  cat captured.ndjson | heartbeat replay - --dry-run
  heartbeat replay export.jsonl --endpoint-url http://127.0.0.1:8080 --rewrite-timestamps now --device-name 'sim-{n}'
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

function describe(s: ReplaySummary): string {
  const failures = Object.entries(s.failedByType)
    .sort((a, b) => b[1] - a[1])
    .map(([type, n]) => `${type} ${n}`)
    .join(', ');
  const latency = s.p50Ms !== undefined ? `, p50 ${s.p50Ms} ms, p99 ${s.p99Ms} ms` : '';
  const head = `${s.stopped ? 'Stopped: ' : ''}${s.dryRun ? 'signed (dry run) ' : ''}${s.items} item${s.items === 1 ? '' : 's'}: ${s.ok} ok, ${s.failed} failed${failures ? ` (${failures})` : ''}; ${s.sent} ${s.dryRun ? 'signed' : 'sent'}${latency}, ${s.ratePerSecond}/s over ${(s.elapsedMs / 1000).toFixed(1)} s.`;
  if (s.failed === 0) return head;
  const more = s.failed - s.failures.length;
  return [
    head,
    'Failed:',
    ...s.failures.map(failureLine),
    ...(more > 0 ? [`  … and ${more} more (--output json lists every failure)`] : []),
  ].join('\n');
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
  },
  options: { concurrency: number; rate: number | undefined; timestamps: 'now' | 'shift' | undefined },
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
  let result;
  try {
    result = await exportReplay(readPayloads(files, 'SendHeartbeat'), values.out, {
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
  });
  if (positionals.length === 0)
    throw new CliError('replay needs at least one FILE (- for standard input): a history export, an endpoint capture or NDJSON payloads.');
  const concurrency = Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 1024)
    throw new CliError(`--concurrency must be a whole number from 1 to 1024, not "${values.concurrency}".`);
  const rate = values.rate === undefined ? undefined : Number(values.rate);
  if (rate !== undefined && !(rate > 0)) throw new CliError(`--rate must be a positive number of sends per second, not "${values.rate}".`);
  const timestamps = values['rewrite-timestamps'];
  if (timestamps !== undefined && timestamps !== 'now' && timestamps !== 'shift')
    throw new CliError(`--rewrite-timestamps must be now or shift, not "${timestamps}".`);
  if (values.output !== 'text' && values.output !== 'json') throw new CliError(`--output must be text or json, not "${values.output}".`);
  // The inputs first: a mistyped path is the sentence to see, not a credentials error.
  await checkInputs(positionals);
  if (values.export !== undefined || values.out !== undefined)
    return exportToLocust(positionals, values, { concurrency, rate, timestamps });
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
  let summaryResult: ReplaySummary;
  try {
    summaryResult = await prepared.sends.replay(readPayloads(positionals, 'SendHeartbeat', position), {
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
      ...(values.output === 'json' ? {} : { maxFailuresListed: LISTED_FAILURES }),
      ...(tty ? { onProgress: progressBar(() => (total ? position.bytes / total : undefined)) } : {}),
    });
  } finally {
    process.removeListener('SIGINT', onInterrupt);
    if (tty) process.stderr.write('\r\x1b[2K');
    await prepared.close();
  }
  if (summaryResult.items === 0 && !summaryResult.stopped) {
    const what = positionals.length === 1 ? `${positionals[0] === '-' ? 'stdin' : positionals[0]} holds` : 'the inputs hold';
    throw new CliError(`Nothing to replay: ${what} no payload (empty, blank lines or only outcome lines).`);
  }
  if (values.output === 'json') process.stdout.write(JSON.stringify({ target: prepared.session.target, ...summaryResult }) + '\n');
  else process.stdout.write(describe(summaryResult) + '\n');
  if (summaryResult.stopped) return 130;
  if (summaryResult.failed === 0) return EXIT.ok;
  const types = Object.keys(summaryResult.failedByType);
  if (types.every((t) => t === 'unreadable')) return EXIT.badInput;
  return types.every((t) => t.startsWith('transport:')) ? EXIT.transport : EXIT.serviceError;
}
