/**
 * The app's fleet runs (docs/fleet.md#the-app-and-heartbeatapi): HeartbeatApi's `fleet` group over the one
 * send service's fleet engine. One run at a time per host; against the app's embedded endpoint the run
 * registers its devices first. While it runs, a `fleet` event goes out at most FLEET_EVENTS_PER_SECOND
 * times a second with the run's statistics and every device's state as one character each (issue 18's
 * grid of thousands of devices needs no object per device); at the end the summary is one history entry.
 *
 * A big run against the app's own endpoint (FLEET_WORKER_MIN_DEVICES or more) runs in a worker thread
 * where the worker's code can be found (src/node/fleet/worker-run.ts), so the devices and the endpoint
 * answering them use the machine's cores side by side; elsewhere, and when no worker can start, in the
 * host's thread. Either way the same FleetRunHandle.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { CredentialRef, FleetStartRequest, FleetState, HeartbeatApi, TargetSpec } from '../../common/api.ts';
import { deviceNameOf } from '../../common/fleet/scenario.ts';
import type { FleetRunSummary } from '../../common/fleet/summary.ts';
import { OPERATIONS } from '../../common/model/index.ts';
import type { TargetRecord } from '../../common/log/entry.ts';
import type { Credentials } from '../credentials/credentials.ts';
import type { RunningEndpoint } from '../endpoint/index.ts';
import { loadScenarioText } from '../fleet/load-scenario.ts';
import { openRunLog } from '../fleet/run-log.ts';
import { inThread, type FleetRunHandle } from '../fleet/run-handle.ts';
import { scaleScenario } from '../fleet/run.ts';
import { fleetWorkerEntry, startFleetWorker, type FleetWorkerEntry } from '../fleet/worker-run.ts';
// The worker's side, in this module's bundle too: a build of the host runs itself as the worker (worker-run.ts).
import '../fleet/worker.ts';
import type { SendService } from '../services/send-service.ts';
import type { EventHub } from './events.ts';
import { HostError } from './host-error.ts';

/** The issue's ceiling is 10 per second per subscriber; two keep a dashboard live at a fraction of the cost. */
export const FLEET_EVENTS_PER_SECOND = 2;

/** A run's statistics before it could tell any (its worker still starting). */
function emptyStats(devices = 0): FleetState['stats'] {
  const op = () => ({ sent: 0, ok: 0, failed: 0, failedByType: {} });
  return {
    elapsedMs: 0,
    devices,
    registered: 0,
    unregistered: 0,
    offline: 0,
    deploying: 0,
    inFlight: 0,
    ratePerSecond: 0,
    operations: Object.fromEntries(OPERATIONS.map((o) => [o, op()])) as FleetState['stats']['operations'],
    lag: {},
    deployments: { applied: 0, succeeded: 0, failed: 0 },
  };
}

/** Runs against the app's own endpoint with at least this many devices go to a worker thread (where one can start). */
export const FLEET_WORKER_MIN_DEVICES = 1000;

/** HEARTBEAT_FLEET_RUN_IN (`thread`, `worker`, `auto`): where runs go when the host's composer does not say. */
export function runInOfEnv(value: string | undefined): 'auto' | 'worker' | 'thread' {
  return value === 'thread' || value === 'worker' ? value : 'auto';
}

export interface FleetServiceDeps {
  sends: SendService;
  endpoint: RunningEndpoint;
  events: EventHub;
  targetOf(spec: TargetSpec): TargetRecord;
  credentialsOf(ref: CredentialRef): Promise<Credentials>;
  historyDir(): string;
  recordRun(summary: FleetRunSummary, tags?: string[]): Promise<string>;
  /**
   * Where a run goes: `auto` (the default, or HEARTBEAT_FLEET_RUN_IN) a worker thread for a big run
   * against the app's endpoint, `worker` every run that can, `thread` none. `workerEntry` replaces where the worker's code is looked
   * for (fleetWorkerEntry: the sources through tsx, or the host's own bundle).
   */
  runIn?: 'auto' | 'worker' | 'thread';
  workerEntry?: () => FleetWorkerEntry | undefined;
  /** Attempts per request of a run in a worker (default: the standard retry mode's 3). */
  maxAttempts?: () => number | undefined;
}

export interface FleetService {
  api: HeartbeatApi['fleet'];
  close(): Promise<void>;
}

interface Current {
  id: string;
  run: FleetRunHandle;
  scenario: string;
  startedAt: string;
  state: FleetState['state'];
  summary?: FleetRunSummary;
  historyId?: string;
  error?: string;
  timer?: NodeJS.Timeout;
  /** An event is being made (the worker asked): the next tick skips. */
  emitting?: boolean;
  /** Settles once the summary is recorded (or the run failed). */
  settled?: Promise<void>;
}

export function createFleetService(deps: FleetServiceDeps): FleetService {
  let current: Current | undefined;

  /** The latest statuses and statistics a run told (should its worker fail to answer). */
  const last = new WeakMap<Current, { stats: FleetState['stats']; statuses: string }>();
  const snapshot = async (c: Current, window: boolean): Promise<{ stats: FleetState['stats']; statuses: string }> => {
    try {
      const now = await c.run.snapshot(window && !c.summary);
      last.set(c, now);
      return c.summary ? { stats: c.summary, statuses: now.statuses } : now;
    } catch {
      const before = last.get(c);
      return { stats: c.summary ?? before?.stats ?? emptyStats(), statuses: before?.statuses ?? '' };
    }
  };
  const stateOf = async (c: Current, window = false): Promise<FleetState> => state(c, (await snapshot(c, window)).stats);
  const state = (c: Current, stats: FleetState['stats']): FleetState => ({
    id: c.id,
    state: c.state,
    scenario: c.scenario,
    startedAt: c.startedAt,
    stats: c.summary ?? stats,
    ...(c.summary ? { summary: c.summary } : {}),
    ...(c.historyId ? { historyId: c.historyId } : {}),
    ...(c.error ? { error: c.error } : {}),
  });

  const emit = async (c: Current): Promise<void> => {
    if (c.emitting) return;
    c.emitting = true;
    try {
      const now = await snapshot(c, true);
      deps.events.emit({ type: 'fleet', state: state(c, now.stats), devices: now.statuses });
    } finally {
      c.emitting = false;
    }
  };
  /** The event at a change of state (paused, stopping, ended): waits for one being made, so it is never skipped. */
  const emitNow = async (c: Current): Promise<void> => {
    while (c.emitting) await new Promise((resolve) => setTimeout(resolve, 5));
    await emit(c);
  };

  async function start(request: FleetStartRequest): Promise<FleetState> {
    if (current && (current.state === 'running' || current.state === 'paused' || current.state === 'stopping'))
      throw new HostError(`A fleet run (${current.scenario}) is under way; stop it before starting another.`, 'CONFLICT');
    const loaded = await loadScenarioText(request.scenario, request.baseDir ?? process.cwd());
    if (!loaded.scenario) {
      const first = loaded.problems[0];
      const more = loaded.problems.length - 1;
      throw new HostError(
        `The scenario is not valid: ${first?.line ? `line ${first.line}:${first.column ?? 1}: ` : ''}${first?.message ?? 'it cannot be read'}${more > 0 ? ` (and ${more} more problem${more === 1 ? '' : 's'})` : ''}`,
        'BAD_INPUT',
      );
    }
    const scale = request.scale ?? 1;
    if (!(scale > 0) || !Number.isFinite(scale)) throw new HostError('scale must be a positive number.', 'BAD_INPUT');
    const scenario = scaleScenario(loaded.scenario, scale);
    const devices = scenario.fleets.reduce((n, f) => n + f.devices, 0);
    const target = deps.targetOf(request.target);
    const credentials = await deps.credentialsOf(request.credentials);
    if (request.target.kind === 'local') {
      const list: Array<{ name: string; fleet: string }> = [];
      for (const fleet of scenario.fleets)
        for (let n = 1; n <= fleet.devices; n++) list.push({ name: deviceNameOf(fleet.deviceName, n, fleet.name), fleet: fleet.name });
      deps.endpoint.admin.registerDevices(list, 'run');
    }
    const startedAt = new Date().toISOString();
    const runLogPath = join(
      deps.historyDir(),
      'fleet-runs',
      `${scenario.name}-${startedAt.replace(/[:.]/g, '')}-${randomUUID().slice(0, 8)}.ndjson`,
    );
    const runIn = deps.runIn ?? runInOfEnv(process.env.HEARTBEAT_FLEET_RUN_IN);
    const entry =
      runIn === 'worker' || (runIn === 'auto' && request.target.kind === 'local' && devices >= FLEET_WORKER_MIN_DEVICES)
        ? (deps.workerEntry ?? fleetWorkerEntry)()
        : undefined;
    const options = {
      scenario,
      target,
      credentials: {
        accessKeyId: credentials.accessKeyId,
        secretAccessKey: credentials.secretAccessKey,
        ...(credentials.sessionToken ? { sessionToken: credentials.sessionToken } : {}),
      },
      ...(request.durationMs !== undefined ? { durationMs: request.durationMs } : {}),
      ...(request.rateLimit !== undefined ? { rateLimit: request.rateLimit } : {}),
    };
    const transport = deps.sends.transport;
    const maxAttempts = deps.maxAttempts?.();
    const run: FleetRunHandle = entry
      ? startFleetWorker(entry, {
          ...options,
          runLogPath: runLogPath,
          transport: {
            connectTimeoutMs: transport.connectTimeoutMs,
            readTimeoutMs: transport.readTimeoutMs,
            bodyLimit: transport.bodyLimit,
          },
          ...(maxAttempts ? { maxAttempts } : {}),
        })
      : inThread(deps.sends.fleet({ ...options, runLog: await openRunLog(runLogPath) }));
    const c: Current = { id: randomUUID(), run, scenario: scenario.name, startedAt, state: 'running' };
    current?.run.dispose();
    current = c;
    c.timer = setInterval(() => void emit(c), 1000 / FLEET_EVENTS_PER_SECOND);
    c.settled = run.done.then(
      async (summary) => {
        clearInterval(c.timer);
        c.summary = summary;
        try {
          c.historyId = await deps.recordRun(summary, ['fleet']);
        } catch (error) {
          c.error = `The run's summary could not be written to the history: ${(error as Error).message}`;
        }
        c.state = 'finished';
        await emitNow(c);
      },
      async (error: unknown) => {
        clearInterval(c.timer);
        c.state = 'failed';
        c.error = (error as Error).message;
        await emitNow(c);
      },
    );
    void emit(c);
    const first = await stateOf(c);
    return { ...first, stats: { ...first.stats, devices } };
  }

  return {
    api: {
      start,
      async pause() {
        const c = current;
        if (c?.state !== 'running') return c ? stateOf(c) : undefined;
        c.run.pause();
        c.state = 'paused';
        await emitNow(c);
        return stateOf(c);
      },
      async resume() {
        const c = current;
        if (c?.state !== 'paused') return c ? stateOf(c) : undefined;
        c.run.resume();
        c.state = 'running';
        await emitNow(c);
        return stateOf(c);
      },
      async stop() {
        const c = current;
        if (!c) return undefined;
        if (c.state === 'running' || c.state === 'paused') {
          if (c.state === 'paused') c.run.resume();
          c.state = 'stopping';
          c.run.stop();
          await emitNow(c);
        }
        return stateOf(c);
      },
      async state() {
        return current ? stateOf(current) : undefined;
      },
      async devices() {
        if (!current) return [];
        return current.run.devices().catch(() => []);
      },
      async device(name) {
        return current?.run.detail(name).catch(() => undefined);
      },
    },
    async close() {
      if (current && (current.state === 'running' || current.state === 'paused')) current.run.stop();
      await current?.settled;
      clearInterval(current?.timer);
      current?.run.dispose();
    },
  };
}
