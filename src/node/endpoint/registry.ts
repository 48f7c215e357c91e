/**
 * The in-memory device registry: devices from the config file, those registered by the admin API or a
 * fleet run, and those auto-registered by their first heartbeat or registration check, each with its
 * fleet, agent version, heartbeat times and estimated interval, models with their latest metrics, last
 * deployment result and counts. A device is keyed by fleet and name. The registry owns the deployment
 * plans (deployment-plans.ts): GetDeployments hands out theirs too, and heartbeats' results move them on.
 */
import type { DeploymentResult, EdgeDeployment, EdgeMetric, SendHeartbeatRequest } from '../../common/model/index.ts';
import { AppError } from '../../common/errors.ts';
import { patternWords } from '../../common/validation/patterns.ts';
import type { EndpointConfig } from './config.ts';
import { DeploymentPlans } from './deployment-plans.ts';

export interface MetricReading {
  dimension?: string;
  metricName?: string;
  value?: number;
  /** Epoch seconds, as sent. */
  timestamp?: number;
}

export interface ModelState {
  modelName: string;
  modelVersion?: string;
  latestSampleTime?: number;
  latestInference?: number;
  /** The latest reading per dimension and metric name. */
  metrics: MetricReading[];
}

export interface DeviceState {
  deviceName: string;
  deviceFleetName: string;
  /**
   * How the endpoint came to know it: its config file, its first heartbeat, its first registration check,
   * the admin API (POST /__admin/devices), or a fleet run registering its devices.
   */
  source: 'config' | 'heartbeat' | 'registration' | 'admin' | 'run';
  registration: string;
  agentVersion?: string;
  /** ISO 8601. */
  firstHeartbeat?: string;
  lastHeartbeat?: string;
  /**
   * The estimated time between its heartbeats (seconds): an exponentially weighted mean of the gaps
   * (weight 0.3 for the newest; a gap counts at most 3 × the estimate, so an outage moves it slowly).
   * Absent until its second heartbeat. The fleet report's Connected/Offline uses it.
   */
  heartbeatIntervalSeconds?: number;
  agentMetrics: MetricReading[];
  models: ModelState[];
  lastDeploymentResult?: DeploymentResult;
  counts: { heartbeats: number; registrationChecks: number; deploymentChecks: number };
  /** How many models were dropped to keep MAX_MODELS_PER_DEVICE (the least recently reported go first); absent when none. */
  modelsNotKept?: number;
}

/** At most this many models are kept per device: the most recently reported ones. */
export const MAX_MODELS_PER_DEVICE = 256;
/** At most this many readings (dimension + metric name) per model, and per device for agent metrics. */
export const MAX_METRICS_PER_MODEL = 64;
export const MAX_AGENT_METRICS = 64;

export interface RegistryOptions {
  config: EndpointConfig;
  autoRegister: boolean;
  /** Auto-registration stops here, so a flood of names cannot exhaust memory. */
  maxDevices?: number;
}

export const NOT_REGISTERED = 'NOT_REGISTERED';
const REGISTERED = 'REGISTERED';

/** A device to register (POST /__admin/devices, a fleet run). */
export interface DeviceToRegister {
  name: string;
  fleet: string;
}

/** What registerDevices did: newly registered, already known, and refused because the registry is full (maxDevices). */
export interface RegisterDevicesResult {
  registered: number;
  known: number;
  refused: number;
}

/** At most this many devices in one registerDevices call. */
export const MAX_DEVICES_PER_REGISTRATION = 100_000;
const DEVICE_NAME = /^[a-zA-Z0-9](-*_*[a-zA-Z0-9])*$/u;
/** The weight of the newest gap in the heartbeat interval estimate. */
const INTERVAL_WEIGHT = 0.3;

/** Per device: its models and readings by name, for merging in linear time (the arrays of DeviceState are views of these). */
interface DeviceIndex {
  agentMetrics: Map<string, MetricReading>;
  /** Insertion order = least to most recently reported. */
  models: Map<string, { state: ModelState; metrics: Map<string, MetricReading> }>;
}

export class DeviceRegistry {
  private devices = new Map<string, DeviceState>();
  private indexes = new WeakMap<DeviceState, DeviceIndex>();
  private readonly maxDevices: number;
  /** The staged deployment plans: those of the config file (created at start and by reset) and those created at run time. */
  readonly plans: DeploymentPlans;
  /** Called after every change (persistence hooks in here). */
  onChange: () => void = () => {};

  constructor(private readonly options: RegistryOptions) {
    this.maxDevices = options.maxDevices ?? 10_000;
    const reservedNames = new Set<string>();
    for (const holder of [...(options.config.fleets ?? []), ...(options.config.devices ?? [])])
      for (const d of holder.deployments ?? []) if (d.DeploymentName !== undefined) reservedNames.add(d.DeploymentName);
    this.plans = new DeploymentPlans({ devicesOf: (fleet) => this.namesOf(fleet), reservedNames });
    this.reset();
  }

  /** Back to the devices of the config file, with no history; plans created at run time are forgotten, the config's start again. */
  reset(): void {
    this.devices.clear();
    for (const d of this.options.config.devices ?? [])
      this.devices.set(key(d.fleet, d.name), fresh(d.name, d.fleet, 'config', d.registration ?? REGISTERED));
    this.startConfigPlans();
    this.onChange();
  }

  /** Forgets every plan and creates the config file's (checked when the file was loaded) over the devices known now. */
  private startConfigPlans(): void {
    this.plans.clear();
    for (const plan of this.options.config.deploymentPlans ?? []) this.plans.create(plan, 'config');
  }

  /** The names of a fleet's known devices (a new array). */
  private namesOf(fleet: string): string[] {
    const names: string[] = [];
    for (const d of this.devices.values()) if (d.deviceFleetName === fleet) names.push(d.deviceName);
    return names;
  }

  /**
   * Registers devices (POST /__admin/devices, a fleet run that registers its devices first), whatever the
   * auto-registration setting; idempotent (a known device is counted, not changed); stops at maxDevices
   * like auto-registration. Every entry is checked first: a bad one throws a sentence and registers none.
   */
  registerDevices(devices: readonly DeviceToRegister[], source: 'admin' | 'run' = 'admin'): RegisterDevicesResult {
    if (!Array.isArray(devices)) throw new AppError('BAD_INPUT', 'devices must be a list of {"name", "fleet"}.');
    if (devices.length > MAX_DEVICES_PER_REGISTRATION)
      throw new AppError(
        'TOO_LARGE',
        `At most ${MAX_DEVICES_PER_REGISTRATION} devices can be registered at once, not ${devices.length}; send them in parts.`,
      );
    for (const [i, d] of (devices as unknown[]).entries()) {
      const problem = registrationProblem(d, `devices[${i}]`);
      if (problem) throw new AppError('BAD_INPUT', `${problem}.`);
    }
    const result: RegisterDevicesResult = { registered: 0, known: 0, refused: 0 };
    const fleets = new Set<string>();
    for (const { name, fleet } of devices) {
      const k = key(fleet, name);
      if (this.devices.has(k)) result.known++;
      else if (this.devices.size >= this.maxDevices) result.refused++;
      else {
        this.devices.set(k, fresh(name, fleet, source, REGISTERED));
        fleets.add(fleet);
        result.registered++;
      }
    }
    for (const fleet of fleets) this.plans.devicesAdded(fleet);
    if (result.registered > 0) this.onChange();
    return result;
  }

  list(): DeviceState[] {
    return [...this.devices.values()];
  }

  get(fleet: string, name: string): DeviceState | undefined {
    return this.devices.get(key(fleet, name));
  }

  /** Records a valid heartbeat; returns the device, or undefined when it is unknown and not auto-registered. */
  recordHeartbeat(request: SendHeartbeatRequest, at: Date): DeviceState | undefined {
    let device = this.get(request.DeviceFleetName, request.DeviceName);
    if (!device) {
      if (!this.options.autoRegister || this.devices.size >= this.maxDevices) return undefined;
      device = fresh(request.DeviceName, request.DeviceFleetName, 'heartbeat', REGISTERED);
      this.devices.set(key(request.DeviceFleetName, request.DeviceName), device);
      this.plans.devicesAdded(request.DeviceFleetName);
    }
    const time = at.toISOString();
    if (device.lastHeartbeat !== undefined) {
      const gap = (at.getTime() - Date.parse(device.lastHeartbeat)) / 1000;
      if (gap > 0) {
        const prior = device.heartbeatIntervalSeconds;
        const estimate = prior === undefined ? gap : prior + INTERVAL_WEIGHT * (Math.min(gap, 3 * prior) - prior);
        device.heartbeatIntervalSeconds = Math.round(estimate * 1000) / 1000;
      }
    }
    device.firstHeartbeat ??= time;
    device.lastHeartbeat = time;
    device.agentVersion = request.AgentVersion;
    device.counts.heartbeats++;
    const index = this.indexOf(device);
    mergeMetrics(index.agentMetrics, request.AgentMetrics, MAX_AGENT_METRICS);
    for (const model of request.Models ?? []) {
      if (model.ModelName === undefined) continue;
      let entry = index.models.get(model.ModelName);
      if (entry)
        index.models.delete(model.ModelName); // re-inserted last: the map runs from least to most recently reported
      else {
        entry = { state: { modelName: model.ModelName, metrics: [] }, metrics: new Map() };
        if (index.models.size >= MAX_MODELS_PER_DEVICE) {
          index.models.delete(index.models.keys().next().value!);
          device.modelsNotKept = (device.modelsNotKept ?? 0) + 1;
        }
      }
      index.models.set(model.ModelName, entry);
      const state = entry.state;
      if (model.ModelVersion !== undefined) state.modelVersion = model.ModelVersion;
      if (model.LatestSampleTime !== undefined) state.latestSampleTime = model.LatestSampleTime;
      if (model.LatestInference !== undefined) state.latestInference = model.LatestInference;
      mergeMetrics(entry.metrics, model.ModelMetrics, MAX_METRICS_PER_MODEL);
      state.metrics = [...entry.metrics.values()];
    }
    device.agentMetrics = [...index.agentMetrics.values()];
    device.models = Array.from(index.models.values(), (e) => e.state);
    if (request.DeploymentResult) {
      device.lastDeploymentResult = request.DeploymentResult;
      this.plans.recordResult(request.DeviceFleetName, request.DeviceName, request.DeploymentResult, at);
    }
    this.onChange();
    return device;
  }

  /** The device's index, built from its arrays the first time (a restored or fresh device). */
  private indexOf(device: DeviceState): DeviceIndex {
    let index = this.indexes.get(device);
    if (!index) {
      index = { agentMetrics: new Map(), models: new Map() };
      for (const r of (device.agentMetrics ?? []).slice(-MAX_AGENT_METRICS))
        index.agentMetrics.set(metricKey(r.dimension, r.metricName), r);
      for (const m of (device.models ?? []).slice(-MAX_MODELS_PER_DEVICE)) {
        const metrics = new Map<string, MetricReading>();
        for (const r of (m.metrics ?? []).slice(-MAX_METRICS_PER_MODEL)) metrics.set(metricKey(r.dimension, r.metricName), r);
        index.models.set(m.modelName, { state: m, metrics });
      }
      this.indexes.set(device, index);
    }
    return index;
  }

  registration(fleet: string, name: string): { DeviceRegistration: string; CacheTTL: string } {
    let device = this.get(fleet, name);
    // Auto-registration also registers a device that asks first, as a real agent (and a simulated one) does.
    if (!device && this.options.autoRegister && this.devices.size < this.maxDevices) {
      device = fresh(name, fleet, 'registration', REGISTERED);
      this.devices.set(key(fleet, name), device);
      this.plans.devicesAdded(fleet);
    }
    if (device) device.counts.registrationChecks++;
    return { DeviceRegistration: device?.registration ?? NOT_REGISTERED, CacheTTL: this.options.config.cacheTTL ?? '3600' };
  }

  /** The device's own deployments, then its fleet's (config file), then those of the plans whose started stages include it; none for an unknown device. */
  deployments(fleet: string, name: string): EdgeDeployment[] {
    const device = this.get(fleet, name);
    if (!device) return [];
    device.counts.deploymentChecks++;
    const own = this.options.config.devices?.find((d) => d.name === name && d.fleet === fleet)?.deployments ?? [];
    const shared = this.options.config.fleets?.find((f) => f.name === fleet)?.deployments ?? [];
    return [...own, ...shared, ...this.plans.deploymentsFor(fleet, name)];
  }

  /** A plain copy for persistence. */
  snapshot(): DeviceState[] {
    return structuredClone(this.list());
  }

  /**
   * Restores persisted devices over the config ones (config registration values win), at start: devices
   * registered by the admin API or a run are kept even without auto-registration. The config's plans
   * start again over the restored devices (plans are not persisted).
   */
  restore(devices: DeviceState[]): void {
    for (const saved of devices) {
      if (typeof saved?.deviceName !== 'string' || typeof saved.deviceFleetName !== 'string') continue;
      const k = key(saved.deviceFleetName, saved.deviceName);
      const configured = this.devices.get(k);
      const explicit = saved.source === 'admin' || saved.source === 'run';
      if (!configured && (saved.source === 'config' || (!this.options.autoRegister && !explicit))) continue;
      this.devices.set(k, {
        ...fresh(saved.deviceName, saved.deviceFleetName, configured ? 'config' : saved.source, configured?.registration ?? REGISTERED),
        ...saved,
        ...(configured ? { source: 'config', registration: configured.registration } : {}),
      });
    }
    this.startConfigPlans();
  }
}

/** Why one entry of registerDevices cannot be registered (a sentence fragment), or undefined. */
function registrationProblem(value: unknown, where: string): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return `${where} must be {"name": DEVICE, "fleet": FLEET}`;
  const entry = value as Record<string, unknown>;
  for (const k of Object.keys(entry)) if (k !== 'name' && k !== 'fleet') return `${where} has unknown key "${k}" (allowed: name, fleet)`;
  for (const member of ['name', 'fleet'] as const) {
    const v = entry[member];
    if (typeof v !== 'string' || v === '') return `${where}.${member} must be a non-empty string`;
    if ([...v].length > 63) return `${where}.${member} must be at most 63 characters`;
    if (!DEVICE_NAME.test(v)) return `${where}.${member} "${v}" does not match the pattern: ${patternWords(DEVICE_NAME.source)}`;
  }
  return undefined;
}

function key(fleet: string, name: string): string {
  return `${fleet}\u0000${name}`;
}

function fresh(deviceName: string, deviceFleetName: string, source: DeviceState['source'], registration: string): DeviceState {
  return {
    deviceName,
    deviceFleetName,
    source,
    registration,
    agentMetrics: [],
    models: [],
    counts: { heartbeats: 0, registrationChecks: 0, deploymentChecks: 0 },
  };
}

function metricKey(dimension: string | undefined, metricName: string | undefined): string {
  return `${dimension ?? ''}\u0000${metricName ?? ''}\u0000${dimension === undefined ? 1 : 0}${metricName === undefined ? 1 : 0}`;
}

/** The latest reading per dimension and name; a new name over `cap` drops the least recently updated reading. */
function mergeMetrics(into: Map<string, MetricReading>, metrics: EdgeMetric[] | undefined, cap: number): void {
  for (const m of metrics ?? []) {
    const k = metricKey(m.Dimension, m.MetricName);
    const prior = into.get(k);
    if (prior && (prior.timestamp ?? -Infinity) > (m.Timestamp ?? Infinity)) continue;
    const reading: MetricReading = { dimension: m.Dimension, metricName: m.MetricName, value: m.Value, timestamp: m.Timestamp };
    if (prior) into.delete(k);
    else if (into.size >= cap) into.delete(into.keys().next().value!);
    into.set(k, reading);
  }
}
