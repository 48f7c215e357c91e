/**
 * The app's fleet runs (docs/fleet.md#the-app-and-heartbeatapi): HeartbeatApi's `fleet` group over the one
 * send service's fleet engine. One run at a time per host; against the app's embedded endpoint the run
 * registers its devices first. While it runs, a `fleet` event goes out at most FLEET_EVENTS_PER_SECOND
 * times a second with the run's statistics and every device's state as one character each (issue 18's
 * grid of thousands of devices needs no object per device); at the end the summary is one history entry.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { CredentialRef, FleetStartRequest, FleetState, HeartbeatApi, TargetSpec } from '../../common/api.ts';
import { DEVICE_STATUS_CODES } from '../../common/fleet/api-types.ts';
import { deviceNameOf } from '../../common/fleet/scenario.ts';
import type { FleetRunSummary } from '../../common/fleet/summary.ts';
import type { TargetRecord } from '../../common/log/entry.ts';
import type { Credentials } from '../credentials/credentials.ts';
import type { RunningEndpoint } from '../endpoint/index.ts';
import { loadScenarioText } from '../fleet/load-scenario.ts';
import { openRunLog } from '../fleet/run-log.ts';
import { fleetDeviceOf, scaleScenario, type FleetRun } from '../fleet/run.ts';
import type { SendService } from '../services/send-service.ts';
import type { EventHub } from './events.ts';
import { HostError } from './host-error.ts';

/** The issue's ceiling is 10 per second per subscriber; two keep a dashboard live at a fraction of the cost. */
export const FLEET_EVENTS_PER_SECOND = 2;

export interface FleetServiceDeps {
  sends: SendService;
  endpoint: RunningEndpoint;
  events: EventHub;
  targetOf(spec: TargetSpec): TargetRecord;
  credentialsOf(ref: CredentialRef): Promise<Credentials>;
  historyDir(): string;
  recordRun(summary: FleetRunSummary, tags?: string[]): Promise<string>;
}

export interface FleetService {
  api: HeartbeatApi['fleet'];
  close(): Promise<void>;
}

interface Current {
  id: string;
  run: FleetRun;
  scenario: string;
  startedAt: string;
  state: FleetState['state'];
  summary?: FleetRunSummary;
  historyId?: string;
  error?: string;
  timer?: NodeJS.Timeout;
  /** Settles once the summary is recorded (or the run failed). */
  settled?: Promise<void>;
}

export function createFleetService(deps: FleetServiceDeps): FleetService {
  let current: Current | undefined;

  const stateOf = (c: Current, window = false): FleetState => ({
    id: c.id,
    state: c.state,
    scenario: c.scenario,
    startedAt: c.startedAt,
    stats: c.summary ?? c.run.stats({ window }),
    ...(c.summary ? { summary: c.summary } : {}),
    ...(c.historyId ? { historyId: c.historyId } : {}),
    ...(c.error ? { error: c.error } : {}),
  });

  const statuses = (c: Current): string => {
    const at = c.run.elapsedMs();
    let out = '';
    for (const d of c.run.devices) out += DEVICE_STATUS_CODES[d.status(at)];
    return out;
  };

  const emit = (c: Current): void => deps.events.emit({ type: 'fleet', state: stateOf(c, true), devices: statuses(c) });

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
    const runLog = await openRunLog(
      join(deps.historyDir(), 'fleet-runs', `${scenario.name}-${startedAt.replace(/[:.]/g, '')}-${randomUUID().slice(0, 8)}.ndjson`),
    );
    const run = deps.sends.fleet({
      scenario,
      target,
      credentials,
      ...(request.durationMs !== undefined ? { durationMs: request.durationMs } : {}),
      ...(request.rateLimit !== undefined ? { rateLimit: request.rateLimit } : {}),
      runLog,
    });
    const c: Current = { id: randomUUID(), run, scenario: scenario.name, startedAt, state: 'running' };
    current = c;
    c.timer = setInterval(() => emit(c), 1000 / FLEET_EVENTS_PER_SECOND);
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
        emit(c);
      },
      (error: unknown) => {
        clearInterval(c.timer);
        c.state = 'failed';
        c.error = (error as Error).message;
        emit(c);
      },
    );
    emit(c);
    return { ...stateOf(c), stats: { ...stateOf(c).stats, devices } };
  }

  return {
    api: {
      start,
      async pause() {
        if (current?.state !== 'running') return current ? stateOf(current) : undefined;
        current.run.pause();
        current.state = 'paused';
        emit(current);
        return stateOf(current);
      },
      async resume() {
        if (current?.state !== 'paused') return current ? stateOf(current) : undefined;
        current.run.resume();
        current.state = 'running';
        emit(current);
        return stateOf(current);
      },
      async stop() {
        if (!current) return undefined;
        if (current.state === 'running' || current.state === 'paused') {
          if (current.state === 'paused') current.run.resume();
          current.state = 'stopping';
          current.run.stop();
          emit(current);
        }
        return stateOf(current);
      },
      async state() {
        return current ? stateOf(current) : undefined;
      },
      async devices() {
        if (!current) return [];
        const at = current.run.elapsedMs();
        return current.run.devices.map((d) => fleetDeviceOf(d, at));
      },
      async device(name) {
        return current?.run.detail(name);
      },
    },
    async close() {
      if (current && (current.state === 'running' || current.state === 'paused')) current.run.stop();
      await current?.settled;
      clearInterval(current?.timer);
    },
  };
}
