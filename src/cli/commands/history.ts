import { isoToEpoch, relativeToEpoch } from '../../common/wire/timestamps.ts';
import { exportHistory } from '../../node/history/export.ts';
import { HistoryIndex, type IndexQuery } from '../../node/history/history-index.ts';
import { historyDir } from '../../node/history/paths.ts';
import { parseCommandLine } from '../args.ts';
import { CliError, EXIT } from '../cli-error.ts';
import { pruneHelp, runPrune } from './history-prune.ts';

export const summary = 'Search the history of sends; export it as JSON lines (replayable) or HAR 1.2.';

export const help = `Usage: heartbeat history [search TEXT] [--since T] [--until T] [--status S] [--limit N] [--offset N]
                         [--export jsonl|har FILE] [--output text|json]

${summary}
  search TEXT          entries whose device, fleet or model name (or fleet run's scenario) contains TEXT (any case)
  --since T, --until T an ISO time (2024-05-01T10:00:00Z) or relative to now (-1h, -30m, -7d)
  --status S           ok | error | pending | cancelled | 403 | 4xx | an error type (ThrottlingException)
                       or a transport code (refused, timeout, ...)
  --limit N            entries shown (default 20), newest first; --offset N skips N
  --export jsonl|har FILE   write every matching entry to FILE (ignores --limit)
  --output text|json   text table (default) or one JSON object {total, entries}
  -h, --help           show this help

The history lives in $HEARTBEAT_HISTORY_DIR, else ~/.local/share/heartbeat-composer/history (Linux).

Examples:
  heartbeat history search camera-01 --status error --since -1d
  heartbeat history --export har sends.har

${pruneHelp}`;

function time(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = isoToEpoch(value) ?? relativeToEpoch(value);
  if (seconds === undefined) throw new CliError(`${flag} must be an ISO time or a relative one like -1h, not "${value}".`);
  return seconds * 1000;
}

function count(flag: string, value: string, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new CliError(`${flag} must be a whole number of at least ${min}, not "${value}".`);
  return n;
}

export async function run(argv: string[]): Promise<number> {
  if (argv[0] === 'prune') return runPrune(argv.slice(1));
  const { values, positionals } = parseCommandLine('history', argv, {
    since: { type: 'string' },
    until: { type: 'string' },
    status: { type: 'string' },
    limit: { type: 'string', default: '20' },
    offset: { type: 'string', default: '0' },
    export: { type: 'string' },
    output: { type: 'string', default: 'text' },
  });
  let text: string | undefined;
  let exportFile: string | undefined;
  const rest = [...positionals];
  if (rest[0] === 'search') {
    if (rest.length < 2) throw new CliError('search needs TEXT: heartbeat history search camera-01.');
    text = rest[1];
    rest.splice(0, 2);
  }
  if (values.export !== undefined) {
    if (values.export !== 'jsonl' && values.export !== 'har') throw new CliError(`--export must be jsonl or har, not "${values.export}".`);
    exportFile = rest.shift();
    if (!exportFile) throw new CliError(`--export ${values.export} needs a FILE to write.`);
  }
  if (rest.length > 0) throw new CliError(`Unexpected "${rest[0]}"; run "heartbeat history --help".`);
  if (values.output !== 'text' && values.output !== 'json') throw new CliError(`--output must be text or json, not "${values.output}".`);
  const sinceMs = time('--since', values.since);
  const untilMs = time('--until', values.until);
  const query: IndexQuery = {
    ...(text !== undefined ? { text } : {}),
    ...(values.status ? { status: values.status } : {}),
    ...(sinceMs !== undefined ? { sinceMs } : {}),
    ...(untilMs !== undefined ? { untilMs } : {}),
    limit: count('--limit', values.limit, 0),
    offset: count('--offset', values.offset, 0),
  };
  const dir = historyDir();
  let index: HistoryIndex;
  try {
    index = await HistoryIndex.open(dir);
  } catch (error) {
    throw new CliError(`Cannot read the history in ${dir} (${(error as Error).message}); check HEARTBEAT_HISTORY_DIR.`);
  }
  const first = index.warnings[0];
  if (first)
    process.stderr.write(
      `Skipped ${index.warnings.length} unreadable line${index.warnings.length === 1 ? '' : 's'} of the history: ${first.file} line ${first.line} (${first.problem})${index.warnings.length > 1 ? ' and more' : ''}.\n`,
    );
  if (exportFile && (values.export === 'jsonl' || values.export === 'har')) {
    let written: number;
    try {
      written = await exportHistory(index, query, values.export, exportFile);
    } catch (error) {
      throw new CliError(
        `Cannot write ${exportFile} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); choose a writable path.`,
      );
    }
    process.stderr.write(`Exported ${written} entr${written === 1 ? 'y' : 'ies'} to ${exportFile} (${values.export}).\n`);
    return EXIT.ok;
  }
  const page = index.query(query);
  if (values.output === 'json') {
    process.stdout.write(JSON.stringify(page) + '\n');
    return EXIT.ok;
  }
  for (const e of page.entries) {
    if (e.run) {
      const r = e.run;
      process.stdout.write(
        `${e.time}  ${e.id.slice(0, 8)}  fleet run ${r.scenario} · ${r.devices} devices · ${r.sent} sent · ${r.failed} failed${r.stopped ? ' · stopped' : ''}  ${Math.round(r.elapsedMs / 1000)} s\n`,
      );
      continue;
    }
    const result =
      e.state === 'success' || e.state === 'service-error'
        ? `${e.status}${e.errorType ? ` ${e.errorType}` : ''}`
        : e.state === 'transport-error'
          ? `transport ${e.errorType}`
          : e.state;
    process.stdout.write(
      `${e.time}  ${e.id.slice(0, 8)}  ${(e.deviceName ?? '-').padEnd(24)} ${(e.fleetName ?? '-').padEnd(16)} ${result}${e.durationMs !== undefined ? `  ${e.durationMs} ms` : ''}\n`,
    );
  }
  process.stderr.write(
    `${page.total} matching entr${page.total === 1 ? 'y' : 'ies'}${page.total > page.entries.length ? `, ${page.entries.length} shown` : ''} in ${dir}.\n`,
  );
  return EXIT.ok;
}
