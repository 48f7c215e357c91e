/**
 * The in-memory device registry: devices from the config file plus those auto-registered by their
 * first heartbeat, each with its fleet, agent version, heartbeat times, models with their latest
 * metrics, last deployment result and counts. A device is keyed by fleet and name.
 */
import type { DeploymentResult, EdgeDeployment, EdgeMetric, SendHeartbeatRequest } from '../../common/model/index.ts';
import type { EndpointConfig } from './config.ts';

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
  /** Listed in the config file, or registered by its first heartbeat. */
  /** How the endpoint came to know it: its config file, its first heartbeat, or its first registration check. */
  source: 'config' | 'heartbeat' | 'registration';
  registration: string;
  agentVersion?: string;
  /** ISO 8601. */
  firstHeartbeat?: string;
  lastHeartbeat?: string;
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
  /** Called after every change (persistence hooks in here). */
  onChange: () => void = () => {};

  constructor(private readonly options: RegistryOptions) {
    this.maxDevices = options.maxDevices ?? 10_000;
    this.reset();
  }

  /** Back to the devices of the config file, with no history. */
  reset(): void {
    this.devices.clear();
    for (const d of this.options.config.devices ?? [])
      this.devices.set(key(d.fleet, d.name), fresh(d.name, d.fleet, 'config', d.registration ?? REGISTERED));
    this.onChange();
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
    }
    const time = at.toISOString();
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
    if (request.DeploymentResult) device.lastDeploymentResult = request.DeploymentResult;
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
    }
    if (device) device.counts.registrationChecks++;
    return { DeviceRegistration: device?.registration ?? NOT_REGISTERED, CacheTTL: this.options.config.cacheTTL ?? '3600' };
  }

  /** The device's own deployments, then its fleet's; none for an unknown device. */
  deployments(fleet: string, name: string): EdgeDeployment[] {
    const device = this.get(fleet, name);
    if (!device) return [];
    device.counts.deploymentChecks++;
    const own = this.options.config.devices?.find((d) => d.name === name && d.fleet === fleet)?.deployments ?? [];
    const shared = this.options.config.fleets?.find((f) => f.name === fleet)?.deployments ?? [];
    return [...own, ...shared];
  }

  /** A plain copy for persistence. */
  snapshot(): DeviceState[] {
    return structuredClone(this.list());
  }

  /** Restores persisted devices over the config ones (config registration values win). */
  restore(devices: DeviceState[]): void {
    for (const saved of devices) {
      if (typeof saved?.deviceName !== 'string' || typeof saved.deviceFleetName !== 'string') continue;
      const k = key(saved.deviceFleetName, saved.deviceName);
      const configured = this.devices.get(k);
      if (!configured && (!this.options.autoRegister || saved.source === 'config')) continue;
      this.devices.set(k, {
        ...fresh(saved.deviceName, saved.deviceFleetName, configured ? 'config' : saved.source, configured?.registration ?? REGISTERED),
        ...saved,
        ...(configured ? { source: 'config', registration: configured.registration } : {}),
      });
    }
  }
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
