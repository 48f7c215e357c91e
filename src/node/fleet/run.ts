/**
 * The fleet run engine (docs/fleet.md#heartbeat-fleet-run): simulated devices (src/common/fleet/device.ts)
 * sending their requests on schedule through the send engine (SigV4 core, transport, standard retries),
 * answers handed back to each device, one run-log line per request, live statistics, and a summary.
 *
 * One timer drives it: the devices wait in a min-heap by due time; each wake-up sends what is due (within
 * the in-flight cap and the rate limit) and sleeps until the next due time. A device whose due time
 * changes on an answer is pushed again; its older heap entry is recognised as stale and skipped.
 */
import type { TargetRecord } from '../../common/log/entry.ts';
import { OPERATIONS, type Operation } from '../../common/model/index.ts';
import { SimulatedDevice, type PlannedRequest } from '../../common/fleet/device.ts';
import type { Scenario } from '../../common/fleet/scenario.ts';
import type { FleetRunStats, FleetRunSummary, OperationStats } from '../../common/fleet/summary.ts';
import type { FleetDevice, FleetDeviceDetail } from '../../common/fleet/api-types.ts';
import type { Credentials } from '../credentials/credentials.ts';
import { send, type Engine, type EngineResult, type SendHandle } from '../engine/send.ts';
import { DueHeap } from './due-heap.ts';
import { answerOf, emptyOperation, errorTypeOf, histogram, isoClock, ms, percentileMs } from './run-results.ts';

/** Where run-log lines go (one NDJSON line per request). */
export interface RunLogSink {
  readonly path?: string;
  write(line: string): void;
  close(): Promise<void>;
}

export interface FleetRunOptions {
  scenario: Scenario;
  target: TargetRecord;
  credentials: Credentials;
  /** Default: the scenario's duration; without either the run goes on until stopped. */
  durationMs?: number;
  /** Requests per second at most, all devices together. */
  rateLimit?: number;
  /** Sends waiting for an answer at most (default 1024); beyond it requests wait and their lag shows it. */
  maxInFlight?: number;
  signal?: AbortSignal;
  runLog?: RunLogSink;
  /** Called every statsIntervalMs (default 1000) and once at the end. */
  onStats?(stats: FleetRunStats): void;
  statsIntervalMs?: number;
  /** How long a stop waits for answers in flight before cancelling them (default 3 s). */
  stopGraceMs?: number;
}

export interface FleetRun {
  readonly devices: readonly SimulatedDevice[];
  /** Milliseconds since the run's start (the devices' clock). */
  elapsedMs(): number;
  /** The statistics now; `window: true` adds `recent` (since the previous windowed read) and starts a new window. */
  stats(options?: { window?: boolean }): FleetRunStats;
  /**
   * One device in detail: watched from the first call (its heartbeats from then on are kept: the latest
   * body, and up to WATCH_POINTS points of its metrics), forgotten WATCH_IDLE_MS after the last call.
   * Undefined for a name that is not in the run.
   */
  detail(name: string): FleetDeviceDetail | undefined;
  /** Holds the run: nothing is sent and its clock stands still (answers in flight still arrive) until resume(). */
  pause(): void;
  resume(): void;
  readonly paused: boolean;
  /** Ends the run: nothing more is sent; answers in flight are awaited (then cancelled after the grace). */
  stop(): void;
  /** The summary once the run has ended and its log is closed. */
  readonly done: Promise<FleetRunSummary>;
}

/** A device as the app lists it, at `t` ms from the run's start. */
export function fleetDeviceOf(device: SimulatedDevice, t: number): FleetDevice {
  return {
    name: device.name,
    fleet: device.fleet,
    status: device.status(t),
    ...(device.lastHeartbeatMs !== undefined ? { lastHeartbeatAgoMs: Math.max(0, Math.round(t - device.lastHeartbeatMs)) } : {}),
    models: device.runningModels(),
    ...(device.lastDeployment ? { lastDeployment: device.lastDeployment } : {}),
  };
}

/** Points of a watched device's metric history. */
export const WATCH_POINTS = 600;
/** A watched device no one asked about for this long is no longer watched. */
export const WATCH_IDLE_MS = 60_000;

interface Watch {
  askedAt: number;
  last?: string;
  t: number[];
  metrics: Map<string, Array<number | null>>;
}

/** A scenario with every fleet's device count multiplied by `scale` (rounded, at least 1). */
export function scaleScenario(scenario: Scenario, scale: number): Scenario {
  if (scale === 1) return scenario;
  return { ...scenario, fleets: scenario.fleets.map((f) => ({ ...f, devices: Math.max(1, Math.round(f.devices * scale)) })) };
}

interface Slot {
  device: SimulatedDevice;
  /** Bumped each time the device is pushed: an entry with an older one is stale. */
  seq: number;
}

interface Entry {
  at: number;
  slot: Slot;
  seq: number;
}

export function startFleetRun(engine: Engine, options: FleetRunOptions): FleetRun {
  const { scenario, target, credentials } = options;
  const durationMs = options.durationMs ?? scenario.durationMs ?? Infinity;
  const maxInFlight = Math.max(1, options.maxInFlight ?? 1024);
  const graceMs = options.stopGraceMs ?? 3000;
  const startedAt = Date.now();
  // The run's clock: milliseconds since its start, less the time it was paused.
  let t0 = performance.now();
  let pausedAt: number | undefined;
  const now = (): number => (pausedAt ?? performance.now()) - t0;
  const iso = isoClock();

  const devices: SimulatedDevice[] = [];
  const heap = new DueHeap<Entry>();
  const slots: Slot[] = [];
  for (const fleet of scenario.fleets)
    for (let n = 1; n <= fleet.devices; n++) {
      const device = new SimulatedDevice(scenario, fleet, n, startedAt, { live: true });
      devices.push(device);
      const slot = { device, seq: 0 };
      slots.push(slot);
      heap.push({ at: device.dueMs, slot, seq: 0 });
    }
  const reschedule = (slot: Slot): void => {
    const at = slot.device.dueMs;
    slot.seq++;
    if (at !== Infinity) heap.push({ at, slot, seq: slot.seq });
  };

  const operations = Object.fromEntries(OPERATIONS.map((op) => [op, emptyOperation()])) as Record<Operation, OperationStats>;
  const latency = Object.fromEntries(OPERATIONS.map((op) => [op, histogram()])) as Record<Operation, ReturnType<typeof histogram>>;
  const lag = histogram();
  // The current window (stats({ window: true })): all operations' latencies, and lag.
  const recentLatency = histogram();
  const recentLag = histogram();
  const deployments = { applied: 0, succeeded: 0, failed: 0 };
  const refusedAttempts: Record<string, number> = {};
  /** Requests sent per 100 ms, over the last second. */
  const window = new Uint32Array(10);
  let windowAt = 0;
  /** Moves the window to `t`, clearing the tenths that passed. */
  const roll = (t: number): number => {
    const tenth = Math.floor(t / 100);
    if (tenth !== windowAt) {
      for (let k = windowAt + 1; k <= tenth && k <= windowAt + 10; k++) window[k % 10] = 0;
      windowAt = tenth;
    }
    return tenth % 10;
  };

  const inFlight = new Set<SendHandle>();
  const watched = new Map<string, Watch>();
  const byName = new Map(devices.map((d) => [d.name, d]));
  const record = (watch: Watch, request: PlannedRequest, body: string, t: number): void => {
    watch.last = body;
    const values = new Map<string, number>();
    const b = request.body as {
      AgentMetrics?: Array<{ MetricName: string; Value: number }>;
      Models?: Array<{ ModelName: string; ModelMetrics?: Array<{ MetricName: string; Value: number }> }>;
    };
    for (const m of b.AgentMetrics ?? []) values.set(`agent: ${m.MetricName}`, m.Value);
    for (const model of b.Models ?? [])
      for (const m of model.ModelMetrics ?? []) values.set(`${model.ModelName}: ${m.MetricName}`, m.Value);
    const n = watch.t.length;
    watch.t.push(Math.round(t / 100) / 10);
    for (const key of values.keys()) if (!watch.metrics.has(key)) watch.metrics.set(key, new Array<number | null>(n).fill(null));
    for (const [key, list] of watch.metrics) list.push(values.get(key) ?? null);
    if (watch.t.length > WATCH_POINTS) {
      watch.t.shift();
      for (const list of watch.metrics.values()) list.shift();
    }
  };
  let ending = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let timerAt = Infinity;
  let blocked = false;
  // Rate limit: a token bucket holding at most a tenth of a second's worth (at least one).
  const rate = options.rateLimit;
  const capacity = rate ? Math.max(1, rate / 10) : 0;
  let tokens = capacity;
  let refilledAt = 0;

  const arm = (): void => {
    if (ending || blocked || pausedAt !== undefined) return;
    let at = Math.min(heap.peek()?.at ?? Infinity, durationMs);
    if (rate && tokens < 1) at = Math.max(at, refilledAt + ((1 - tokens) * 1000) / rate);
    if (at === Infinity) return;
    if (timer && timerAt <= at) return;
    if (timer) clearTimeout(timer);
    timerAt = at;
    timer = setTimeout(tick, Math.max(0, at - now()));
  };

  const tick = (): void => {
    timer = undefined;
    timerAt = Infinity;
    if (ending || pausedAt !== undefined) return;
    const t = now();
    if (t >= durationMs) return void finish(false);
    if (rate) {
      tokens = Math.min(capacity, tokens + ((t - refilledAt) * rate) / 1000);
      refilledAt = t;
    }
    for (;;) {
      const top = heap.peek();
      if (!top || top.at > t) break;
      if (top.seq !== top.slot.seq) {
        heap.pop();
        continue;
      }
      if (inFlight.size >= maxInFlight) {
        blocked = true;
        return;
      }
      if (rate && tokens < 1) break;
      heap.pop();
      if (top.slot.device.dueMs > t) {
        reschedule(top.slot); // its due time moved on an answer
        continue;
      }
      if (rate) tokens--;
      const device = top.slot.device;
      const before = device.lastDeploymentResult;
      const request = device.take();
      // A heartbeat taken after a deployment's apply time carries its result: the deployment ends here.
      const after = device.lastDeploymentResult;
      if (after && after !== before) deployments[after.DeploymentStatus === 'SUCCESS' ? 'succeeded' : 'failed']++;
      dispatch(top.slot, request, t);
      reschedule(top.slot);
    }
    arm();
  };

  const dispatch = (slot: Slot, request: PlannedRequest, t: number): void => {
    const body = JSON.stringify(request.body);
    const stats = operations[request.operation];
    stats.sent++;
    window[roll(t)]!++;
    const lagMs = Math.max(0, t - request.offsetMs);
    lag.recordValue(Math.round(lagMs * 1000) + 1);
    recentLag.recordValue(Math.round(lagMs * 1000) + 1);
    if (watched.size > 0 && request.operation === 'SendHeartbeat') {
      const watch = watched.get(request.device);
      if (watch) record(watch, request, body, t);
    }
    const handle = send(engine, { operation: request.operation, body, target, credentials, report: false });
    inFlight.add(handle);
    handle.answered.then(
      (result) => settle(slot, request, body, lagMs, handle, result),
      () => settle(slot, request, body, lagMs, handle, undefined),
    );
  };

  const settle = (slot: Slot, request: PlannedRequest, body: string, lagMs: number, handle: SendHandle, result?: EngineResult): void => {
    inFlight.delete(handle);
    const stats = operations[request.operation];
    const t = now();
    const tookMs = result?.timings?.totalMs ?? 0;
    let errorType: string | undefined;
    if (result && result.outcome.kind === 'success') stats.ok++;
    else {
      errorType = result ? errorTypeOf(result) : 'internal';
      stats.failed++;
      stats.failedByType[errorType] = (stats.failedByType[errorType] ?? 0) + 1;
    }
    if (result && (result.outcome.kind === 'success' || result.outcome.kind === 'service-error')) {
      latency[request.operation].recordValue(Math.round(tookMs * 1000) + 1);
      recentLatency.recordValue(Math.round(tookMs * 1000) + 1);
    }
    for (const attempt of result?.attempts ?? [])
      if (attempt.errorType !== undefined) {
        const type = attempt.status !== undefined ? attempt.errorType : `transport:${attempt.errorType}`;
        refusedAttempts[type] = (refusedAttempts[type] ?? 0) + 1;
      }
    const device = slot.device;
    const applyingBefore = device.applyingDeployment;
    device.answer(request, result ? answerOf(request.operation, result) : { operation: request.operation, ok: false }, t);
    if (device.applyingDeployment && device.applyingDeployment !== applyingBefore) deployments.applied++;
    if (!ending && slot.device.dueMs !== Infinity && request.operation === 'GetDeviceRegistration') reschedule(slot);
    options.runLog?.write(
      `{"time":${JSON.stringify(iso(Date.now() - tookMs))},"offsetMs":${request.offsetMs},"lagMs":${Math.round(lagMs * 100) / 100},` +
        `"fleet":${JSON.stringify(request.fleet)},"device":${JSON.stringify(request.device)},"operation":"${request.operation}",` +
        `"status":${result && 'status' in result.outcome ? result.outcome.status : null},` +
        `${errorType ? `"errorType":${JSON.stringify(errorType)},` : ''}"latencyMs":${tookMs},"attempts":${result?.attempts.length ?? 0},"body":${body}}\n`,
    );
    if (blocked && inFlight.size < maxInFlight) {
      blocked = false;
      if (!ending) tick();
    } else arm();
    if (ending && inFlight.size === 0) drained?.();
  };

  const stats = (options?: { window?: boolean }): FleetRunStats => {
    const t = now();
    for (const [name, watch] of watched) if (t - watch.askedAt > WATCH_IDLE_MS) watched.delete(name);
    const counts = { registered: 0, unregistered: 0, offline: 0, deploying: 0 };
    for (const d of devices) {
      const s = d.status(t);
      if (s === 'unregistered') counts.unregistered++;
      else if (s !== 'starting' && s !== 'registering') {
        counts.registered++;
        if (s === 'offline') counts.offline++;
        else if (s === 'deploying') counts.deploying++;
      }
    }
    roll(t);
    const ops = {} as Record<Operation, OperationStats>;
    for (const op of OPERATIONS) {
      const h = latency[op];
      ops[op] = {
        ...operations[op],
        failedByType: { ...operations[op].failedByType },
        ...(h.totalCount > 0 ? { p50Ms: percentileMs(h, 50), p99Ms: percentileMs(h, 99) } : {}),
      };
    }
    return {
      elapsedMs: Math.round(t),
      devices: devices.length,
      ...counts,
      inFlight: inFlight.size,
      ratePerSecond: window.reduce((a, b) => a + b, 0),
      operations: ops,
      lag: lag.totalCount > 0 ? { p50Ms: percentileMs(lag, 50), p99Ms: percentileMs(lag, 99), maxMs: ms(lag.maxValue) } : {},
      deployments: { ...deployments },
      refusedAttempts: { ...refusedAttempts },
      ...(options?.window ? { recent: readWindow() } : {}),
    };
  };
  const readWindow = (): NonNullable<FleetRunStats['recent']> => {
    const out = {
      requests: recentLag.totalCount,
      ...(recentLatency.totalCount > 0 ? { p50Ms: percentileMs(recentLatency, 50), p99Ms: percentileMs(recentLatency, 99) } : {}),
      ...(recentLag.totalCount > 0 ? { lagP99Ms: percentileMs(recentLag, 99) } : {}),
    };
    recentLatency.reset();
    recentLag.reset();
    return out;
  };

  const statsTimer = options.onStats ? setInterval(() => options.onStats!(stats()), options.statsIntervalMs ?? 1000) : undefined;
  let drained: (() => void) | undefined;
  let resolveDone!: (summary: FleetRunSummary) => void;
  let rejectDone!: (error: unknown) => void;
  const done = new Promise<FleetRunSummary>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });

  async function finish(byStop: boolean): Promise<void> {
    if (ending) return;
    ending = true;
    stopped = byStop;
    if (timer) clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    try {
      if (inFlight.size > 0)
        await new Promise<void>((resolve) => {
          const grace = setTimeout(() => {
            for (const h of inFlight) h.cancel();
          }, graceMs);
          drained = () => {
            clearTimeout(grace);
            resolve();
          };
        });
      if (statsTimer) clearInterval(statsTimer);
      const final = stats();
      options.onStats?.(final);
      await options.runLog?.close();
      const totals = { sent: 0, ok: 0, failed: 0 };
      for (const op of OPERATIONS) {
        totals.sent += final.operations[op].sent;
        totals.ok += final.operations[op].ok;
        totals.failed += final.operations[op].failed;
      }
      resolveDone({
        ...final,
        scenario: scenario.name,
        seed: scenario.seed,
        target,
        startedAt: new Date(startedAt).toISOString(),
        stopped,
        totals,
        ...(options.runLog?.path ? { runLog: options.runLog.path } : {}),
      });
    } catch (error) {
      if (statsTimer) clearInterval(statsTimer);
      rejectDone(error);
    }
  }
  const onAbort = (): void => void finish(true);
  if (options.signal?.aborted) queueMicrotask(onAbort);
  else options.signal?.addEventListener('abort', onAbort, { once: true });
  queueMicrotask(tick);

  const detail = (name: string): FleetDeviceDetail | undefined => {
    const device = byName.get(name);
    if (!device) return undefined;
    const t = now();
    let watch = watched.get(name);
    if (!watch) watched.set(name, (watch = { askedAt: t, t: [], metrics: new Map() }));
    watch.askedAt = t;
    const applying = device.applyingDetail();
    return {
      ...fleetDeviceOf(device, t),
      ...(watch.last ? { lastHeartbeat: JSON.parse(watch.last) as Record<string, unknown> } : {}),
      deployments: device.deploymentHistory(),
      ...(applying ? { applying } : {}),
      t: [...watch.t],
      metrics: Object.fromEntries([...watch.metrics].map(([k, v]) => [k, [...v]])),
    };
  };

  return {
    devices,
    elapsedMs: now,
    stats,
    detail,
    stop: () => void finish(true),
    pause() {
      if (ending || pausedAt !== undefined) return;
      pausedAt = performance.now();
      if (timer) clearTimeout(timer);
      timer = undefined;
      timerAt = Infinity;
    },
    resume() {
      if (pausedAt === undefined) return;
      const pause = performance.now() - pausedAt;
      pausedAt = undefined;
      t0 += pause;
      // The devices' clocks move on by the pause: what they send keeps the wall clock's time.
      for (const device of devices) device.shiftClock(pause);
      if (blocked && inFlight.size < maxInFlight) blocked = false;
      tick();
    },
    get paused() {
      return pausedAt !== undefined;
    },
    done,
  };
}
