/** `heartbeat history prune`: retention for the history, safe while other processes write it (docs/history.md). */
import { historyDir } from '../../node/history/paths.ts';
import { HistoryStore, pruneIds, type PruneRule } from '../../node/history/store.ts';
import { parseCommandLine } from '../args.ts';
import { CliError, EXIT } from '../cli-error.ts';

export const pruneHelp = `Usage: heartbeat history prune (--older-than AGE | --keep N) [--dry-run]

Removes old history entries, also while the app, send or replay write the same history: they vanish
from every reader at once, and their bytes leave the disk as soon as no live process writes the file
that holds them (at once for finished files).
  --older-than AGE     entries sent more than AGE ago: 30d, 12h, 90m
  --keep N             only the newest N entries stay
  --dry-run            say how many would go, remove nothing
Both rules may be given: an entry goes when either selects it.

Examples:
  heartbeat history prune --older-than 30d
  heartbeat history prune --keep 10000 --dry-run`;

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

function age(value: string): number {
  const match = /^(\d{1,6})([mhd])$/.exec(value);
  if (!match) throw new CliError(`--older-than must be a number of days, hours or minutes like 30d, 12h or 90m, not "${value}".`);
  return Number(match[1]) * UNIT_MS[match[2]!]!;
}

export async function runPrune(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine('history prune', argv, {
    'older-than': { type: 'string' },
    keep: { type: 'string' },
    'dry-run': { type: 'boolean' },
  });
  if (positionals.length > 0) throw new CliError(`Unexpected "${positionals[0]}"; run "heartbeat history prune --help".`);
  const rule: PruneRule = {};
  if (values['older-than'] !== undefined) rule.olderThanMs = age(values['older-than']);
  if (values.keep !== undefined) {
    const keep = Number(values.keep);
    if (!/^\d+$/.test(values.keep) || !Number.isSafeInteger(keep))
      throw new CliError(`--keep must be a whole number of entries, not "${values.keep}".`);
    rule.keep = keep;
  }
  if (rule.olderThanMs === undefined && rule.keep === undefined)
    throw new CliError('Say what to prune: --older-than AGE (like 30d) or --keep N.');
  const dir = historyDir();
  let store: HistoryStore;
  try {
    store = await HistoryStore.open(dir, { follow: false });
  } catch (error) {
    throw new CliError(`Cannot open the history in ${dir} (${(error as Error).message}); check HEARTBEAT_HISTORY_DIR.`);
  }
  try {
    const removed = values['dry-run'] ? pruneIds(store.index, rule).length : await store.prune(rule);
    process.stderr.write(
      `${values['dry-run'] ? 'Would remove' : 'Removed'} ${removed} entr${removed === 1 ? 'y' : 'ies'} of ${store.index.size + (values['dry-run'] ? 0 : removed)} in ${dir}.\n`,
    );
    return EXIT.ok;
  } catch (error) {
    throw new CliError(`Could not prune the history in ${dir} (${(error as Error).message.replace(/\.$/, '')}).`);
  } finally {
    await store.close();
  }
}
