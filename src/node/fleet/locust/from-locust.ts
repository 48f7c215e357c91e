/**
 * `heartbeat fleet report --from-locust PREFIX` (issue 20): Locust's `--csv PREFIX` output read back as a
 * fleet run's summary (FleetRunSummary, as `heartbeat fleet run` ends with) and the HTML report's input.
 *
 * - PREFIX_stats.csv (required): per operation (the exported locustfile names each send by its
 *   operation) sent, failed, and p50/p99 of the whole send in ms (Locust's percentile columns).
 * - PREFIX_failures.csv: failed sends by operation and error type (Locust writes a distributed run's
 *   errors quoted: 'ThrottlingException'; the quotes are taken off).
 * - PREFIX_stats_history.csv: the charts — requests and failures per second and the latency percentiles
 *   of each row; heartbeats per second from the SendHeartbeat rows when Locust ran with
 *   --csv-full-history, else the Aggregated rate times SendHeartbeat's share of all requests.
 * - PREFIX_heartbeat_fleet.json (written by the exported locustfile's master): scenario and seed, the
 *   run's start and length, schedule lag, devices registered / refused / offline / deploying, deployments,
 *   retried attempts. Without it those parts stay empty and the name is the prefix's.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { RunFailure, RunSeries } from '../../../common/fleet/report-html.ts';
import type { FleetRunSummary, OperationStats } from '../../../common/fleet/summary.ts';
import type { TargetRecord } from '../../../common/log/entry.ts';
import type { Operation } from '../../../common/model/index.ts';

const OPERATIONS: Operation[] = ['GetDeviceRegistration', 'SendHeartbeat', 'GetDeployments'];

export interface LocustRun {
  summary: FleetRunSummary & { unregisteredDevices: string[] };
  series?: RunSeries;
  failures: RunFailure[];
  /** The files read. */
  files: string[];
}

/** What the exported locustfile's master writes (locustfile.py, on_quit). */
interface FleetJson {
  scenario?: string;
  seed?: number;
  target?: string;
  startedAt?: string;
  startMs?: number | null;
  endedAt?: number;
  devices?: number;
  scenarioDevices?: number;
  registered?: number;
  unregistered?: number;
  offline?: number;
  deploying?: number;
  unregisteredDevices?: string[];
  deployments?: { applied: number; succeeded: number; failed: number };
  refusedAttempts?: Record<string, number>;
  lag?: { p50Ms?: number | null; p99Ms?: number | null; maxMs?: number | null };
}

type Row = Record<string, string>;

function readCsv(path: string): Row[] {
  try {
    return parse(readFileSync(path, 'utf8'), { columns: true, skip_empty_lines: true, relax_column_count: true, bom: true }) as Row[];
  } catch (error) {
    throw new Error(`${path} is not Locust's CSV (${(error as Error).message.split('\n')[0]}).`, { cause: error });
  }
}

/** A number of a cell ("N/A" and empty are undefined). */
function cell(row: Row, column: string): number | undefined {
  const text = row[column];
  if (text === undefined || text === '' || text === 'N/A') return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

/** An error as Locust wrote it, without the quotes a distributed run adds (the repr of a string). */
export function errorTypeOf(text: string): string {
  const m = /^'(.*)'$/s.exec(text) ?? /^"(.*)"$/s.exec(text);
  return m ? m[1]!.replace(/\\(['"\\])/g, '$1') : text;
}

function targetOf(url: string): TargetRecord {
  const region = /^https?:\/\/edge\.sagemaker(?:-fips)?\.([a-z0-9-]+)\.(?:amazonaws\.com|api\.aws)/.exec(url)?.[1];
  if (region) return { kind: 'region', url, region };
  return { kind: /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:|\/|$)/.test(url) ? 'local' : 'url', url, region: '' };
}

const round2 = (n: number): number => Math.round(n * 100) / 100;

export function readLocustRun(prefix: string): LocustRun {
  const statsPath = `${prefix}_stats.csv`;
  if (!existsSync(statsPath))
    throw new Error(`There is no ${statsPath}: name the prefix Locust's --csv was given (PREFIX for PREFIX_stats.csv).`);
  const files = [statsPath];
  const stats = readCsv(statsPath);
  if (stats.length === 0 || !('Request Count' in stats[0]!)) throw new Error(`${statsPath} has no rows of Locust's statistics.`);
  const failuresPath = `${prefix}_failures.csv`;
  const failureRows = existsSync(failuresPath) ? (files.push(failuresPath), readCsv(failuresPath)) : [];
  const fleetPath = `${prefix}_heartbeat_fleet.json`;
  let fleet: FleetJson = {};
  if (existsSync(fleetPath)) {
    files.push(fleetPath);
    try {
      fleet = JSON.parse(readFileSync(fleetPath, 'utf8')) as FleetJson;
    } catch (error) {
      throw new Error(`${fleetPath} is not JSON.`, { cause: error });
    }
  }

  const operations = Object.fromEntries(OPERATIONS.map((op) => [op, { sent: 0, ok: 0, failed: 0, failedByType: {} }])) as Record<
    Operation,
    OperationStats
  >;
  const failures: RunFailure[] = [];
  for (const row of failureRows) {
    const op = row.Name as Operation;
    const count = cell(row, 'Occurrences') ?? 0;
    const errorType = errorTypeOf(row.Error ?? '');
    if (operations[op]) operations[op].failedByType[errorType] = (operations[op].failedByType[errorType] ?? 0) + count;
    failures.push({ device: '(all devices)', operation: row.Name ?? '', errorType, count });
  }
  let aggregatedRate = 0;
  for (const row of stats) {
    if (row.Name === 'Aggregated') aggregatedRate = cell(row, 'Requests/s') ?? 0;
    const o = operations[row.Name as Operation];
    if (!o) continue;
    o.sent = cell(row, 'Request Count') ?? 0;
    o.failed = cell(row, 'Failure Count') ?? 0;
    o.ok = o.sent - o.failed;
    const p50 = cell(row, '50%');
    const p99 = cell(row, '99%');
    if (o.sent > 0 && p50 !== undefined && p99 !== undefined) Object.assign(o, { p50Ms: p50, p99Ms: p99 });
  }
  const totals = { sent: 0, ok: 0, failed: 0 };
  for (const op of OPERATIONS) {
    totals.sent += operations[op].sent;
    totals.ok += operations[op].ok;
    totals.failed += operations[op].failed;
  }

  const historyPath = `${prefix}_stats_history.csv`;
  let series: RunSeries | undefined;
  let firstSecond: number | undefined;
  let lastSecond: number | undefined;
  if (existsSync(historyPath)) {
    files.push(historyPath);
    const rows = readCsv(historyPath);
    const aggregated = rows.filter((r) => r.Name === 'Aggregated');
    const beats = new Map(rows.filter((r) => r.Name === 'SendHeartbeat').map((r) => [r.Timestamp, cell(r, 'Requests/s') ?? 0]));
    const share = totals.sent > 0 ? operations.SendHeartbeat.sent / totals.sent : 0;
    if (aggregated.length > 0) {
      firstSecond = cell(aggregated[0]!, 'Timestamp');
      lastSecond = cell(aggregated.at(-1)!, 'Timestamp');
      series = { t: [], heartbeatsPerSecond: [], accepted: [], rejected: [], p50: [], p99: [] };
      for (const r of aggregated) {
        const rate = cell(r, 'Requests/s') ?? 0;
        const failed = cell(r, 'Failures/s') ?? 0;
        series.t.push(((cell(r, 'Timestamp') ?? 0) - (firstSecond ?? 0)) * 1000);
        series.heartbeatsPerSecond.push(round2(beats.size > 0 ? (beats.get(r.Timestamp) ?? 0) : rate * share));
        series.accepted.push(round2(Math.max(0, rate - failed)));
        series.rejected.push(round2(failed));
        series.p50.push(cell(r, '50%') ?? 0);
        series.p99.push(cell(r, '99%') ?? 0);
      }
    }
  }

  const startMs = typeof fleet.startMs === 'number' ? fleet.startMs : firstSecond !== undefined ? firstSecond * 1000 : undefined;
  const endMs = typeof fleet.endedAt === 'number' ? fleet.endedAt : lastSecond !== undefined ? lastSecond * 1000 : undefined;
  const lag = fleet.lag ?? {};
  const devices = fleet.devices ?? fleet.scenarioDevices ?? 0;
  const summary: LocustRun['summary'] = {
    scenario: fleet.scenario ?? basename(prefix),
    seed: fleet.seed ?? 0,
    target: targetOf(fleet.target ?? ''),
    startedAt: fleet.startedAt ?? (startMs !== undefined ? new Date(startMs).toISOString() : ''),
    stopped: false,
    elapsedMs: startMs !== undefined && endMs !== undefined ? Math.max(0, Math.round(endMs - startMs)) : 0,
    devices,
    registered: fleet.registered ?? 0,
    unregistered: fleet.unregistered ?? 0,
    offline: fleet.offline ?? 0,
    deploying: fleet.deploying ?? 0,
    inFlight: 0,
    ratePerSecond: Math.round(aggregatedRate),
    operations,
    lag: {
      ...(typeof lag.p50Ms === 'number' ? { p50Ms: lag.p50Ms } : {}),
      ...(typeof lag.p99Ms === 'number' ? { p99Ms: lag.p99Ms } : {}),
      ...(typeof lag.maxMs === 'number' ? { maxMs: lag.maxMs } : {}),
    },
    deployments: fleet.deployments ?? { applied: 0, succeeded: 0, failed: 0 },
    refusedAttempts: fleet.refusedAttempts ?? {},
    totals,
    unregisteredDevices: fleet.unregisteredDevices ?? [],
  };
  return { summary, ...(series ? { series } : {}), failures, files };
}
