/**
 * One simulated Edge Manager device (docs/fleet.md#a-devices-life): when it makes which request, with
 * which body, and what it does with the answers. Pure: no clock, no I/O — the caller says what time it is
 * (milliseconds from the run's start) and hands the answers back, so the dry run, the run engine and a
 * Locust export follow one specification.
 *
 * The schedule (the dry run's whole behaviour): a GetDeviceRegistration at the device's start (staggered
 * or together), a heartbeat at once and every interval ± jitter, a GetDeployments every deploymentPoll;
 * before each heartbeat an offline draw, an offline spell silencing everything for its duration.
 *
 * What a live device adds, as the Edge Manager agent does:
 * - it sends nothing else until its first registration answer; REGISTERED: heartbeats start (at once)
 *   and the registration is asked again after CacheTTL seconds; anything else: it asks again after
 *   1 s, 2 s, 4 s … (at most 60 s), skipping its heartbeat and poll slots meanwhile;
 * - a GetDeployments answer with a deployment it has not seen starts applying it (one at a time): it
 *   takes applyTime and fails with probability failureRate (stream "deploy"); the first heartbeat after
 *   it ends carries the DeploymentResult, again on each heartbeat until one is accepted; on success the
 *   Models list changes to what is deployed, on failure with ROLLBACK_ON_FAILURE it stays as it was, with
 *   DO_NOTHING the failed model is not running (left out of Models).
 * A definition's model: ModelName = ModelHandle, ModelVersion from the S3 URL (modelVersionOfS3Url).
 */
import { modelVersionOfS3Url } from '../endpoint-fleet-types.ts';
import type { DeploymentModel, DeploymentResult, EdgeDeployment, Operation } from '../model/index.ts';
import { makeGenerator, roundTo, type Generator as ValueGenerator } from './generators.ts';
import { DEPLOYMENT_HISTORY_CAP } from './api-types.ts';
import { Prng, streamSeed } from './prng.ts';
import { deviceNameOf, type FleetSpec, type MetricSpec, type Scenario } from './scenario.ts';

export interface PlannedRequest {
  /** Milliseconds from the run's start: when the request is due. */
  offsetMs: number;
  fleet: string;
  device: string;
  operation: Operation;
  body: Record<string, unknown>;
}

/** What became of a request, as the device sees it. */
export type DeviceAnswer =
  | { operation: 'GetDeviceRegistration'; ok: true; registration: string; cacheTtlSeconds?: number }
  | { operation: 'GetDeployments'; ok: true; deployments: EdgeDeployment[] }
  | { operation: 'SendHeartbeat'; ok: true }
  /** A service or transport error after the retry strategy gave up. */
  | { operation: Operation; ok: false };

export type DeviceStatus = 'starting' | 'registering' | 'unregistered' | 'healthy' | 'offline' | 'deploying';

/** One deployment a device went through (its DeploymentResult in words), for a dashboard's device history. */
export interface DeviceDeployment {
  name: string;
  status: 'SUCCESS' | 'FAIL';
  /** Failed with ROLLBACK_ON_FAILURE: the device went back to the models it ran before. */
  rolledBack: boolean;
  /** The DeploymentStatusMessage. */
  message: string;
  /** Epoch milliseconds on the device's clock: when applying started and ended (DeploymentStartTime, DeploymentEndTime). */
  startedAt: number;
  endedAt: number;
  /** Each definition's model: what was asked, what runs now, and why it failed. */
  models: Array<{
    name: string;
    version: string;
    desiredState: 'DEPLOY' | 'UNDEPLOY';
    state?: 'DEPLOY' | 'UNDEPLOY';
    status: 'SUCCESS' | 'FAIL';
    statusReason?: string;
  }>;
  /** A heartbeat carrying its result was accepted (until then every heartbeat carries it again). */
  reported: boolean;
}

export { DEPLOYMENT_HISTORY_CAP };

/** A deployment in the history as kept: the DeploymentResult the device built anyway, and two flags. */
interface Ended {
  result: DeploymentResult & { DeploymentStatus: 'SUCCESS' | 'FAIL' };
  rolledBack: boolean;
  reported: boolean;
}

interface MetricStream {
  dimension: string;
  name: string;
  next: ValueGenerator;
}

interface RunningModel {
  name: string;
  version: string;
  metrics: MetricStream[];
}

interface Applying {
  deployment: EdgeDeployment;
  startMs: number;
  endMs: number;
  fails: boolean;
}

export const REGISTERED = 'REGISTERED';
const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 60_000;
const DEFAULT_CACHE_TTL_S = 3600;
/** Deployment names remembered as seen (oldest forgotten first). */
const SEEN_CAP = 64;

export class SimulatedDevice {
  readonly fleet: string;
  readonly name: string;
  readonly skewMs: number;
  private readonly spec: FleetSpec;
  private readonly live: boolean;
  /** Epoch ms of the run's start; moved on by a pause (shiftClock), so timestamps stay the wall clock's. */
  private startMs: number;
  private readonly firstMs: number;
  private readonly ids: { DeviceName: string; DeviceFleetName: string };
  private readonly schedule: Prng;
  private readonly deployPrng: Prng;
  private readonly agent: MetricStream[];
  private models: RunningModel[];
  private nextBeat: number;
  private nextPoll: number;
  private quietUntil = -1;
  /** Live: when the registration is asked (again); Infinity while an answer is awaited. */
  private nextRegistration: number;
  private registration: 'not-asked' | 'asking' | 'registered' | 'unregistered' = 'not-asked';
  private retryMs = FIRST_RETRY_MS;
  /** The offline draw of the heartbeat slot at nextBeat is made, and it is to be sent. */
  private beatReady = false;
  private applying: Applying | undefined;
  /** The result the next heartbeat carries, until one carrying it is accepted. */
  private result: DeploymentResult | undefined;
  private readonly seen: string[] = [];
  /**
   * The deployments it went through, oldest first, at most DEPLOYMENT_HISTORY_CAP. Made at the first one:
   * a device that never deploys pays one field (docs/fleet.md: 2 KB an idle device at most).
   */
  private ended: Ended[] | undefined;
  /** What the device is doing, for a dashboard. */
  lastHeartbeatMs: number | undefined;

  constructor(scenario: Scenario, fleet: FleetSpec, n: number, startMs: number, options: { live: boolean }) {
    const seed = scenario.seed;
    this.spec = fleet;
    this.fleet = fleet.name;
    this.live = options.live;
    this.startMs = startMs;
    this.name = deviceNameOf(fleet.deviceName, n, fleet.name);
    const skew = new Prng(streamSeed(seed, fleet.name, n, 'skew'));
    this.skewMs = Math.round(fleet.clockSkewMs.min + (fleet.clockSkewMs.max - fleet.clockSkewMs.min) * skew.float());
    this.schedule = new Prng(streamSeed(seed, fleet.name, n, 'schedule'));
    this.deployPrng = new Prng(streamSeed(seed, fleet.name, n, 'deploy'));
    const streams = (list: MetricSpec[], key: string): MetricStream[] =>
      list.map((m) => ({
        dimension: m.dimension,
        name: m.name,
        next: makeGenerator(m.value, new Prng(streamSeed(seed, fleet.name, n, `${key}/${m.dimension}/${m.name}`)), m.precision),
      }));
    this.agent = streams(fleet.agentMetrics, 'agent');
    this.models = fleet.models.map((m) => ({ name: m.name, version: m.version, metrics: streams(m.metrics, `model/${m.name}`) }));
    this.ids = { DeviceName: this.name, DeviceFleetName: fleet.name };
    this.firstMs = fleet.startup === 'together' ? 0 : Math.floor((fleet.intervalMs * (n - 1)) / fleet.devices);
    this.nextBeat = this.firstMs;
    this.nextPoll = this.firstMs + fleet.deploymentPollMs;
    this.nextRegistration = this.firstMs;
  }

  /** A paused run resumes: the device's clock moves on by the pause, so its timestamps stay the wall clock's. */
  shiftClock(ms: number): void {
    this.startMs += ms;
  }

  /** When the next request is due (ms from the run's start); Infinity while the device waits for an answer. */
  get dueMs(): number {
    return this.peek().at;
  }

  /** The operation of the next request. */
  get dueOperation(): Operation {
    return this.peek().operation;
  }

  /** Where the device is in its life at `nowMs`. */
  status(nowMs: number): DeviceStatus {
    if (this.registration === 'not-asked') return 'starting';
    if (this.registration === 'asking') return 'registering';
    if (this.registration === 'unregistered') return 'unregistered';
    if (nowMs < this.quietUntil) return 'offline';
    if (this.applying) return 'deploying';
    return 'healthy';
  }

  /** The name of the deployment being applied, if one is. */
  get applyingDeployment(): string | undefined {
    return this.applying?.deployment.DeploymentName;
  }

  /** The deployment being applied: its name and when it started and ends (epoch ms on the device's clock). */
  applyingDetail(): { name: string; startedAt: number; endsAt: number } | undefined {
    const a = this.applying;
    return a && { name: a.deployment.DeploymentName ?? '', startedAt: this.epochMsAt(a.startMs), endsAt: this.epochMsAt(a.endMs) };
  }

  /** The latest deployment it finished, if any. */
  get lastDeployment(): { name: string; status: 'SUCCESS' | 'FAIL' } | undefined {
    const last = this.ended?.[this.ended.length - 1];
    return last && { name: last.result.DeploymentName ?? '', status: last.result.DeploymentStatus };
  }

  /** The DeploymentResult of the latest deployment it finished: a new object each time one ends. */
  get lastDeploymentResult(): Readonly<DeploymentResult> | undefined {
    return this.ended?.[this.ended.length - 1]?.result;
  }

  /** The deployments it went through, oldest first (the last DEPLOYMENT_HISTORY_CAP). */
  deploymentHistory(): DeviceDeployment[] {
    return (this.ended ?? []).map(({ result, rolledBack, reported }) => ({
      name: result.DeploymentName ?? '',
      status: result.DeploymentStatus,
      rolledBack,
      message: result.DeploymentStatusMessage ?? '',
      startedAt: Math.round((result.DeploymentStartTime ?? 0) * 1000),
      endedAt: Math.round((result.DeploymentEndTime ?? 0) * 1000),
      models: (result.DeploymentModels ?? []).map((m) => ({
        name: m.ModelName ?? m.ModelHandle ?? '',
        version: m.ModelVersion ?? '',
        desiredState: m.DesiredState ?? 'DEPLOY',
        ...(m.State ? { state: m.State } : {}),
        status: m.Status ?? result.DeploymentStatus,
        ...(m.StatusReason ? { statusReason: m.StatusReason } : {}),
      })),
      reported,
    }));
  }

  /** The models the device runs now: name and version. */
  runningModels(): Array<{ name: string; version: string }> {
    return this.models.map((m) => ({ name: m.name, version: m.version }));
  }

  /**
   * The next request: idempotent (a heartbeat slot's offline draw is made once, its outcome kept in
   * beatReady or quietUntil), so an answer arriving in between may move a registration ahead of it.
   */
  private peek(): { at: number; operation: Operation } {
    if (this.registration === 'not-asked') return { at: this.firstMs, operation: 'GetDeviceRegistration' };
    let registrationAt = Infinity;
    if (this.live) {
      if (this.registration === 'asking') return { at: Infinity, operation: 'GetDeviceRegistration' };
      if (this.nextRegistration < this.quietUntil) this.nextRegistration = this.quietUntil;
      if (this.registration === 'unregistered') return { at: this.nextRegistration, operation: 'GetDeviceRegistration' };
      registrationAt = this.nextRegistration;
    }
    const spec = this.spec;
    for (;;) {
      let next: { at: number; operation: Operation } | undefined;
      if (this.nextPoll < this.nextBeat) {
        if (this.nextPoll >= this.quietUntil) next = { at: this.nextPoll, operation: 'GetDeployments' };
        else {
          this.nextPoll += spec.deploymentPollMs;
          continue;
        }
      } else {
        if (!this.beatReady && this.nextBeat >= this.quietUntil) {
          if (spec.offline.probability > 0 && this.schedule.float() < spec.offline.probability)
            this.quietUntil = this.nextBeat + spec.offline.durationMs;
          else this.beatReady = true;
        }
        if (!this.beatReady) {
          this.advanceBeat();
          continue;
        }
        next = { at: this.nextBeat, operation: 'SendHeartbeat' };
      }
      if (registrationAt <= next.at) {
        if (registrationAt < this.quietUntil) registrationAt = this.nextRegistration = this.quietUntil;
        if (registrationAt <= next.at) return { at: registrationAt, operation: 'GetDeviceRegistration' };
      }
      return next;
    }
  }

  private advanceBeat(): void {
    this.beatReady = false;
    const jitter = this.spec.jitter > 0 ? this.spec.jitter * (2 * this.schedule.float() - 1) : 0;
    this.nextBeat += Math.max(1, Math.round(this.spec.intervalMs * (1 + jitter)));
  }

  /** Epoch seconds (to the ms) on the device's clock at `offsetMs` from the run's start. */
  private epochAt(offsetMs: number): number {
    return roundTo((this.startMs + offsetMs + this.skewMs) / 1000, 3);
  }

  private epochMsAt(offsetMs: number): number {
    return Math.round(this.startMs + offsetMs + this.skewMs);
  }

  /** The due request (call when dueMs has come), and the device moves on. */
  take(): PlannedRequest {
    const due = this.peek();
    const request = (body: Record<string, unknown>): PlannedRequest => ({
      offsetMs: due.at,
      fleet: this.fleet,
      device: this.name,
      operation: due.operation,
      body,
    });
    if (due.operation === 'GetDeviceRegistration') {
      // A live device waits for its first answer (or its answer after being refused); a re-check runs beside its heartbeats.
      if (!this.live) this.registration = 'registered';
      else if (this.registration !== 'registered') this.registration = 'asking';
      this.nextRegistration = Infinity;
      return request({ ...this.ids });
    }
    if (due.operation === 'GetDeployments') {
      this.nextPoll += this.spec.deploymentPollMs;
      return request({ ...this.ids });
    }
    const body = this.heartbeat(due.at);
    this.lastHeartbeatMs = due.at;
    this.advanceBeat();
    return request(body);
  }

  private heartbeat(at: number): Record<string, unknown> {
    if (this.applying && this.applying.endMs <= at) this.finishDeployment(this.applying);
    const t = (at - this.firstMs) / 1000;
    const timestamp = this.epochAt(at);
    const body: Record<string, unknown> = { AgentVersion: this.spec.agentVersion, ...this.ids };
    if (this.agent.length > 0)
      body.AgentMetrics = this.agent.map((m) => ({ Dimension: m.dimension, MetricName: m.name, Value: m.next(t), Timestamp: timestamp }));
    if (this.models.length > 0)
      body.Models = this.models.map((m) => ({
        ModelName: m.name,
        ModelVersion: m.version,
        LatestSampleTime: timestamp,
        LatestInference: timestamp,
        ...(m.metrics.length > 0
          ? { ModelMetrics: m.metrics.map((s) => ({ Dimension: s.dimension, MetricName: s.name, Value: s.next(t), Timestamp: timestamp })) }
          : {}),
      }));
    if (this.result) body.DeploymentResult = this.result;
    return body;
  }

  /** The answer to a request this device made (live runs), at `nowMs` from the run's start. */
  answer(request: PlannedRequest, answer: DeviceAnswer, nowMs: number): void {
    if (request.operation === 'GetDeviceRegistration') {
      const registered = answer.ok && answer.operation === 'GetDeviceRegistration' && answer.registration === REGISTERED;
      if (registered) {
        if (this.registration !== 'registered') this.catchUp(nowMs);
        this.registration = 'registered';
        this.retryMs = FIRST_RETRY_MS;
        const ttl = answer.cacheTtlSeconds !== undefined && answer.cacheTtlSeconds > 0 ? answer.cacheTtlSeconds : DEFAULT_CACHE_TTL_S;
        this.nextRegistration = nowMs + ttl * 1000;
      } else if (this.registration === 'registered' && !answer.ok) {
        // A failed re-check: the device keeps its registration and asks again in a minute.
        this.nextRegistration = nowMs + MAX_RETRY_MS;
      } else {
        this.registration = 'unregistered';
        this.nextRegistration = nowMs + this.retryMs;
        this.retryMs = Math.min(MAX_RETRY_MS, this.retryMs * 2);
      }
      return;
    }
    if (request.operation === 'SendHeartbeat') {
      if (answer.ok && this.result && request.body.DeploymentResult === this.result) {
        const last = this.ended?.[this.ended.length - 1];
        if (last?.result === this.result) last.reported = true;
        this.result = undefined;
      }
      return;
    }
    if (answer.ok && answer.operation === 'GetDeployments' && !this.applying) {
      const next = answer.deployments.find((d) => d.DeploymentName !== undefined && !this.seen.includes(d.DeploymentName));
      if (!next) return;
      this.seen.push(next.DeploymentName!);
      if (this.seen.length > SEEN_CAP) this.seen.shift();
      this.applying = {
        deployment: next,
        startMs: nowMs,
        endMs: nowMs + this.spec.applyTimeMs,
        fails: this.spec.failureRate > 0 && this.deployPrng.float() < this.spec.failureRate,
      };
    }
  }

  /**
   * Heartbeat and poll slots that passed while the device was not registered are skipped: after its first
   * answer the device beats at once (its latest slot), after being refused at its next slot.
   */
  private catchUp(nowMs: number): void {
    if (this.lastHeartbeatMs === undefined) {
      while (this.nextBeat + this.spec.intervalMs <= nowMs) this.advanceBeat();
    } else while (this.nextBeat < nowMs) this.advanceBeat();
    while (this.nextPoll < nowMs) this.nextPoll += this.spec.deploymentPollMs;
  }

  private finishDeployment(applying: Applying): void {
    this.applying = undefined;
    const deployment = applying.deployment;
    const rollback = deployment.FailureHandlingPolicy !== 'DO_NOTHING';
    const models: DeploymentModel[] = [];
    let next = this.models;
    for (const d of deployment.Definitions ?? []) {
      const name = d.ModelHandle ?? 'model';
      const version = (d.S3Url && modelVersionOfS3Url(d.S3Url)) || 'unknown';
      const desired = d.State ?? 'DEPLOY';
      const before = next.find((m) => m.name === name);
      const entry: DeploymentModel = { ModelHandle: name, ModelName: name, ModelVersion: version, DesiredState: desired };
      if (!applying.fails) {
        entry.State = desired;
        entry.Status = 'SUCCESS';
        if (desired === 'UNDEPLOY') next = next.filter((m) => m.name !== name);
        else if (before) next = next.map((m) => (m.name === name ? { ...m, version } : m));
        else next = [...next, { name, version, metrics: [] }];
      } else {
        entry.Status = 'FAIL';
        entry.StatusReason = `Simulated failure loading ${name} ${version} (failureRate ${this.spec.failureRate}).`;
        if (rollback) entry.State = before ? 'DEPLOY' : 'UNDEPLOY';
        else {
          entry.State = 'UNDEPLOY';
          next = next.filter((m) => m.name !== name);
        }
      }
      models.push(entry);
    }
    this.models = next;
    const status = applying.fails ? 'FAIL' : 'SUCCESS';
    const result: Ended['result'] = {
      ...(deployment.DeploymentName ? { DeploymentName: deployment.DeploymentName } : {}),
      DeploymentStatus: status,
      DeploymentStatusMessage: applying.fails
        ? rollback
          ? 'The deployment failed and was rolled back to the previous models.'
          : 'The deployment failed; nothing was rolled back (DO_NOTHING).'
        : 'The deployment succeeded.',
      DeploymentStartTime: this.epochAt(applying.startMs),
      DeploymentEndTime: this.epochAt(applying.endMs),
      DeploymentModels: models,
    };
    this.result = result;
    this.ended ??= [];
    this.ended.push({ result, rolledBack: applying.fails && rollback, reported: false });
    if (this.ended.length > DEPLOYMENT_HISTORY_CAP) this.ended.shift();
  }
}
