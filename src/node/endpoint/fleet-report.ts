/**
 * The fleet report (docs/endpoint.md#fleet-report), like the service's DescribeDevice and
 * GetDeviceFleetReport: per device its latest heartbeat, agent version, models and last deployment
 * result; per fleet how many devices are Connected or Offline, their agent versions, and per model
 * version how many devices are connected, offline, active and sampling.
 *
 * Definitions, with a device's interval = its estimated heartbeat interval (registry.ts), or 60 s before
 * its second heartbeat:
 * - Offline: no heartbeat for more than 3 intervals (or never a heartbeat); Connected otherwise.
 * - Active (per model version): connected devices reporting it whose LatestInference is within 3 intervals of now.
 * - Sampling (per model version): connected devices reporting it whose LatestSampleTime is within 3 intervals of now.
 * One pass over the devices (plus a sort of the listed ones): 10,000 devices take a few milliseconds.
 */
import type {
  FleetReportMetric,
  FleetReport,
  FleetReportDevice,
  FleetReportFleet,
  FleetReportModel,
  FleetReportOptions,
} from '../../common/endpoint-fleet-types.ts';
import type { DeviceState } from './registry.ts';

export type { FleetReport, FleetReportOptions } from '../../common/endpoint-fleet-types.ts';

/** The interval of a device that has sent fewer than two heartbeats. */
export const DEFAULT_INTERVAL_SECONDS = 60;
/** A device is Offline after this many of its intervals without a heartbeat. */
export const OFFLINE_AFTER_INTERVALS = 3;

interface FleetTally {
  total: number;
  connected: number;
  agentVersions: Map<string, number>;
  /** name NUL version → counts. */
  models: Map<string, FleetReportModel>;
  /** model NUL dimension NUL metric → the latest values of the connected devices. */
  metrics: Map<string, FleetReportMetric & { sum: number }>;
}

export function fleetReport(registry: { list(): DeviceState[] }, now: Date, options: FleetReportOptions = {}): FleetReport {
  const nowMs = now.getTime();
  const nowSeconds = nowMs / 1000;
  const tallies = new Map<string, FleetTally>();
  const listed: { device: DeviceState; interval: number; connected: boolean }[] = [];
  for (const device of registry.list()) {
    if (options.fleet !== undefined && device.deviceFleetName !== options.fleet) continue;
    let tally = tallies.get(device.deviceFleetName);
    if (!tally)
      tallies.set(
        device.deviceFleetName,
        (tally = { total: 0, connected: 0, agentVersions: new Map(), models: new Map(), metrics: new Map() }),
      );
    const interval = device.heartbeatIntervalSeconds ?? DEFAULT_INTERVAL_SECONDS;
    const window = OFFLINE_AFTER_INTERVALS * interval;
    const last = device.lastHeartbeat === undefined ? NaN : Date.parse(device.lastHeartbeat);
    const connected = Number.isFinite(last) && (nowMs - last) / 1000 <= window;
    tally.total++;
    if (connected) tally.connected++;
    if (device.agentVersion !== undefined)
      tally.agentVersions.set(device.agentVersion, (tally.agentVersions.get(device.agentVersion) ?? 0) + 1);
    for (const model of device.models) {
      const version = model.modelVersion ?? '';
      const k = `${model.modelName}\u0000${version}`;
      let stats = tally.models.get(k);
      if (!stats)
        tally.models.set(k, (stats = { name: model.modelName, version, devices: 0, connected: 0, offline: 0, active: 0, sampling: 0 }));
      stats.devices++;
      if (!connected) {
        stats.offline++;
        continue;
      }
      stats.connected++;
      if (model.latestInference !== undefined && nowSeconds - model.latestInference <= window) stats.active++;
      if (model.latestSampleTime !== undefined && nowSeconds - model.latestSampleTime <= window) stats.sampling++;
      for (const reading of model.metrics) {
        if (typeof reading.value !== 'number' || !Number.isFinite(reading.value) || reading.metricName === undefined) continue;
        const mk = `${model.modelName}\u0000${reading.dimension ?? ''}\u0000${reading.metricName}`;
        let m = tally.metrics.get(mk);
        if (!m)
          tally.metrics.set(
            mk,
            (m = {
              model: model.modelName,
              ...(reading.dimension !== undefined ? { dimension: reading.dimension } : {}),
              name: reading.metricName,
              devices: 0,
              mean: 0,
              min: Infinity,
              max: -Infinity,
              sum: 0,
            }),
          );
        m.devices++;
        m.sum += reading.value;
        m.min = Math.min(m.min, reading.value);
        m.max = Math.max(m.max, reading.value);
      }
    }
    listed.push({ device, interval, connected });
  }
  const fleets: FleetReportFleet[] = [...tallies]
    .sort(([a], [b]) => compare(a, b))
    .map(([name, t]) => ({
      name,
      devices: { total: t.total, connected: t.connected, offline: t.total - t.connected },
      agentVersions: [...t.agentVersions]
        .map(([version, count]) => ({ version, count }))
        .sort((a, b) => b.count - a.count || compare(a.version, b.version)),
      models: [...t.models.values()].sort((a, b) => compare(a.name, b.name) || compare(a.version, b.version)),
      metrics: [...t.metrics.values()]
        .map(({ sum, ...m }) => ({ ...m, mean: Math.round((sum / m.devices) * 1000) / 1000 }))
        .sort((a, b) => compare(a.model, b.model) || compare(a.dimension ?? '', b.dimension ?? '') || compare(a.name, b.name)),
    }));
  listed.sort((a, b) => compare(a.device.deviceFleetName, b.device.deviceFleetName) || compare(a.device.deviceName, b.device.deviceName));
  const limit = options.limit === undefined ? listed.length : Math.max(0, Math.floor(options.limit));
  return {
    generatedAt: now.toISOString(),
    fleets,
    devices: listed.slice(0, limit).map(({ device, interval, connected }) => deviceEntry(device, interval, connected)),
    devicesTotal: listed.length,
  };
}

function deviceEntry(device: DeviceState, interval: number, connected: boolean): FleetReportDevice {
  return {
    deviceName: device.deviceName,
    deviceFleetName: device.deviceFleetName,
    registration: device.registration,
    ...(device.agentVersion !== undefined ? { agentVersion: device.agentVersion } : {}),
    ...(device.lastHeartbeat !== undefined ? { lastHeartbeat: device.lastHeartbeat } : {}),
    intervalSeconds: interval,
    connected,
    models: device.models.map((m) => ({
      name: m.modelName,
      ...(m.modelVersion !== undefined ? { version: m.modelVersion } : {}),
      ...(m.latestSampleTime !== undefined ? { latestSampleTime: m.latestSampleTime } : {}),
      ...(m.latestInference !== undefined ? { latestInference: m.latestInference } : {}),
    })),
    ...(device.lastDeploymentResult !== undefined ? { lastDeploymentResult: structuredClone(device.lastDeploymentResult) } : {}),
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
