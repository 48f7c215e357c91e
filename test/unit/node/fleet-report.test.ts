/** The fleet report (Connected/Offline by each device's interval, models active/sampling, agent versions) and registerDevices. */
import { describe, expect, it } from 'vitest';
import type { SendHeartbeatRequest } from '../../../src/common/model/index.ts';
import { fleetReport } from '../../../src/node/endpoint/fleet-report.ts';
import { DeviceRegistry } from '../../../src/node/endpoint/registry.ts';

const T0 = Date.parse('2026-03-01T12:00:00Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000);

function beat(registry: DeviceRegistry, device: string, seconds: number, extra: Partial<SendHeartbeatRequest> = {}, fleet = 'east') {
  registry.recordHeartbeat({ AgentVersion: '1.0', DeviceName: device, DeviceFleetName: fleet, ...extra }, at(seconds));
}

describe('heartbeat interval estimate', () => {
  it('is absent after one heartbeat, the first gap after two, then an EWMA (weight 0.3) with gaps capped at 3 × the estimate', () => {
    const registry = new DeviceRegistry({ config: {}, autoRegister: true });
    beat(registry, 'cam-1', 0);
    expect(registry.get('east', 'cam-1')!.heartbeatIntervalSeconds).toBeUndefined();
    beat(registry, 'cam-1', 10);
    expect(registry.get('east', 'cam-1')!.heartbeatIntervalSeconds).toBe(10);
    beat(registry, 'cam-1', 30); // gap 20 → 10 + 0.3 × 10
    expect(registry.get('east', 'cam-1')!.heartbeatIntervalSeconds).toBe(13);
    beat(registry, 'cam-1', 1030); // an outage: the gap counts as 3 × 13 = 39 → 13 + 0.3 × 26
    expect(registry.get('east', 'cam-1')!.heartbeatIntervalSeconds).toBe(20.8);
    beat(registry, 'cam-1', 1030); // the same instant: no gap to learn from
    expect(registry.get('east', 'cam-1')!.heartbeatIntervalSeconds).toBe(20.8);
  });
});

describe('fleetReport', () => {
  function fleet() {
    const registry = new DeviceRegistry({
      config: { devices: [{ name: 'never', fleet: 'east' }] },
      autoRegister: true,
    });
    const model = (name: string, version: string, sample: number, inference: number) => ({
      ModelName: name,
      ModelVersion: version,
      LatestSampleTime: T0 / 1000 + sample,
      LatestInference: T0 / 1000 + inference,
    });
    // fast: every 10 s, last at 95 → connected at 100 (window 30 s), sampling recently, inferring long ago.
    for (const s of [65, 75, 85, 95]) beat(registry, 'fast', s, { AgentVersion: '2.0', Models: [model('detector', '2', 90, 0)] });
    // slow: every 100 s, last at 0 → connected at 100 (window 300 s).
    for (const s of [-200, -100, 0]) beat(registry, 'slow', s, { Models: [model('detector', '2', 0, 0), model('counter', '1', -500, 0)] });
    // quiet: every 10 s but its last heartbeat was 60 s ago → offline.
    for (const s of [20, 30, 40]) beat(registry, 'quiet', s, { Models: [model('detector', '1', 40, 40)] });
    // once: one heartbeat 50 s ago (default interval 60 s) → connected; 'late-once' 200 s ago → offline.
    beat(registry, 'once', 50, { AgentVersion: '2.0' });
    beat(registry, 'late-once', -100, { AgentVersion: '2.0' });
    beat(registry, 'w-1', 99, { AgentVersion: '3.0' }, 'west');
    return registry;
  }

  it('counts Connected/Offline by each device interval (never heartbeated = offline), agent versions and models per version', () => {
    const report = fleetReport(fleet(), at(100));
    expect(report.generatedAt).toBe(at(100).toISOString());
    expect(report.fleets.map((f) => f.name)).toEqual(['east', 'west']);
    const east = report.fleets[0];
    expect(east.devices).toEqual({ total: 6, connected: 3, offline: 3 });
    expect(east.agentVersions).toEqual([
      { version: '2.0', count: 3 },
      { version: '1.0', count: 2 },
    ]);
    expect(east.models).toEqual([
      { name: 'counter', version: '1', devices: 1, connected: 1, offline: 0, active: 1, sampling: 0 },
      { name: 'detector', version: '1', devices: 1, connected: 0, offline: 1, active: 0, sampling: 0 },
      // fast: sampling (10 s ago, window 30 s), not active (inference 100 s ago); slow: both within 300 s.
      { name: 'detector', version: '2', devices: 2, connected: 2, offline: 0, active: 1, sampling: 2 },
    ]);
    const byName = Object.fromEntries(report.devices.map((d) => [d.deviceName, d]));
    expect(Object.keys(byName)).toEqual(['fast', 'late-once', 'never', 'once', 'quiet', 'slow', 'w-1']);
    expect(byName.fast).toMatchObject({ connected: true, intervalSeconds: 10, agentVersion: '2.0', registration: 'REGISTERED' });
    expect(byName.slow).toMatchObject({ connected: true, intervalSeconds: 100 });
    expect(byName.quiet).toMatchObject({ connected: false, intervalSeconds: 10 });
    expect(byName.once).toMatchObject({ connected: true, intervalSeconds: 60 });
    expect(byName['late-once'].connected).toBe(false);
    expect(byName.never).toMatchObject({ connected: false, intervalSeconds: 60 });
    expect(byName.never.lastHeartbeat).toBeUndefined();
    expect(byName.slow.models).toEqual([
      { name: 'detector', version: '2', latestSampleTime: T0 / 1000, latestInference: T0 / 1000 },
      { name: 'counter', version: '1', latestSampleTime: T0 / 1000 - 500, latestInference: T0 / 1000 },
    ]);
    expect(report.devicesTotal).toBe(7);
  });

  it('exactly 3 intervals is still connected; a moment later it is offline', () => {
    const registry = fleet();
    const quiet = (now: number) => fleetReport(registry, at(now)).devices.find((d) => d.deviceName === 'quiet')!.connected;
    expect([quiet(70), quiet(70.001)]).toEqual([true, false]);
  });

  it('filters by fleet and cuts the device list to `limit`, counting every device', () => {
    const registry = fleet();
    const west = fleetReport(registry, at(100), { fleet: 'west' });
    expect(west.fleets.map((f) => [f.name, f.devices.total])).toEqual([['west', 1]]);
    expect(west.devices.map((d) => d.deviceName)).toEqual(['w-1']);
    const cut = fleetReport(registry, at(100), { limit: 2 });
    expect(cut.devices.map((d) => d.deviceName)).toEqual(['fast', 'late-once']);
    expect([cut.devicesTotal, cut.fleets[0].devices.total]).toEqual([7, 6]);
    expect(fleetReport(registry, at(100), { fleet: 'nobody' })).toMatchObject({ fleets: [], devices: [], devicesTotal: 0 });
  });

  it('carries each device its last deployment result', () => {
    const registry = fleet();
    const result = { DeploymentName: 'd1', DeploymentStatus: 'SUCCESS' };
    beat(registry, 'fast', 100, { DeploymentResult: result });
    expect(fleetReport(registry, at(100)).devices.find((d) => d.deviceName === 'fast')!.lastDeploymentResult).toEqual(result);
  });

  it('takes one pass: 10,000 devices with 3 models each in well under a second', () => {
    const registry = new DeviceRegistry({ config: {}, autoRegister: true, maxDevices: 20_000 });
    for (let i = 0; i < 10_000; i++)
      beat(registry, `dev-${i}`, i % 100, {
        AgentVersion: `1.${i % 3}`,
        Models: [1, 2, 3].map((m) => ({ ModelName: `m${m}`, ModelVersion: String(i % 2), LatestSampleTime: T0 / 1000 })),
      });
    const started = performance.now();
    const report = fleetReport(registry, at(100), { limit: 100 });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(report.fleets[0].devices.total).toBe(10_000);
    expect(report.fleets[0].models).toHaveLength(6);
    expect(report.devices).toHaveLength(100);
  });
});

describe('registerDevices', () => {
  it('registers new devices (source admin or run), counts known ones, and is idempotent', () => {
    const registry = new DeviceRegistry({ config: { devices: [{ name: 'gate-1', fleet: 'east' }] }, autoRegister: false });
    let changes = 0;
    registry.onChange = () => changes++;
    const devices = [
      { name: 'gate-1', fleet: 'east' },
      { name: 'cam-1', fleet: 'east' },
      { name: 'cam-2', fleet: 'west' },
    ];
    expect(registry.registerDevices(devices, 'run')).toEqual({ registered: 2, known: 1, refused: 0 });
    expect(registry.registerDevices(devices)).toEqual({ registered: 0, known: 3, refused: 0 });
    expect(changes).toBe(1);
    expect(registry.get('east', 'cam-1')).toMatchObject({ source: 'run', registration: 'REGISTERED' });
    expect(registry.get('east', 'gate-1')!.source).toBe('config');
    // Registered devices answer REGISTERED even without auto-registration.
    expect(registry.registration('west', 'cam-2').DeviceRegistration).toBe('REGISTERED');
    expect(registry.registration('west', 'cam-3').DeviceRegistration).toBe('NOT_REGISTERED');
  });

  it('stops at maxDevices like auto-registration', () => {
    const registry = new DeviceRegistry({ config: {}, autoRegister: true, maxDevices: 3 });
    const devices = ['a', 'b', 'c', 'd', 'e'].map((name) => ({ name, fleet: 'f' }));
    expect(registry.registerDevices(devices)).toEqual({ registered: 3, known: 0, refused: 2 });
    expect(registry.list()).toHaveLength(3);
  });

  it('checks every entry first: a bad one registers none and says which', () => {
    const registry = new DeviceRegistry({ config: {}, autoRegister: true });
    expect(() =>
      registry.registerDevices([
        { name: 'ok', fleet: 'f' },
        { name: 'not ok', fleet: 'f' },
      ]),
    ).toThrow(
      'devices[1].name "not ok" does not match the pattern: letters, digits, hyphens and underscores; starts and ends with a letter or digit, and no hyphen directly follows an underscore.',
    );
    expect(() => registry.registerDevices([{ name: 'ok' } as never])).toThrow('devices[0].fleet must be a non-empty string.');
    expect(() => registry.registerDevices([{ name: 'ok', fleet: 'f', extra: 1 } as never])).toThrow('devices[0] has unknown key "extra"');
    expect(() => registry.registerDevices('x' as never)).toThrow(/must be a list/);
    expect(registry.list()).toHaveLength(0);
  });

  it('keeps admin- and run-registered devices in the state file even without auto-registration; a waiting plan stage selects them', () => {
    const first = new DeviceRegistry({ config: {}, autoRegister: false });
    first.registerDevices([{ name: 'a-1', fleet: 'f' }], 'admin');
    first.registerDevices([{ name: 'r-1', fleet: 'f' }], 'run');
    const saved = first.snapshot();
    saved.push({ ...saved[0], deviceName: 'h-1', source: 'heartbeat' });
    const second = new DeviceRegistry({ config: {}, autoRegister: false });
    second.restore(saved);
    expect(second.list().map((d) => [d.deviceName, d.source])).toEqual([
      ['a-1', 'admin'],
      ['r-1', 'run'],
    ]);

    const third = new DeviceRegistry({ config: {}, autoRegister: false });
    third.plans.create({ name: 'p', fleet: 'f', model: { handle: 'm', s3Url: 's3://b/m-1.tgz' }, stages: [{ percent: 100 }] });
    expect(third.plans.get('p')!.stages[0].waiting).toBe(true);
    third.registerDevices([
      { name: 'x-1', fleet: 'f' },
      { name: 'x-2', fleet: 'f' },
    ]);
    expect(third.plans.get('p')!.stages[0]).toMatchObject({ devices: 2, status: 'active' });
    expect(third.deployments('f', 'x-2').map((d) => d.DeploymentName)).toEqual(['p']);
  });
});

describe('fleetReport model metrics', () => {
  it('per model metric: mean, min and max of the connected devices’ latest values; offline devices and non-numbers left out', () => {
    const registry = new DeviceRegistry({ config: {}, autoRegister: true });
    const metric = (name: string, value: number, t: number) => ({
      Dimension: 'model/detector',
      MetricName: name,
      Value: value,
      Timestamp: T0 / 1000 + t,
    });
    const models = (latency: number, t: number) => [
      { ModelName: 'detector', ModelVersion: '2', ModelMetrics: [metric('InferenceLatency', latency, t)] },
    ];
    for (const [device, values] of [
      ['a', [10, 20]],
      ['b', [30, 40]],
      ['c', [1000, 1000]],
    ] as const) {
      const last = device === 'c' ? 0 : 90;
      beat(registry, device, last - 10, { Models: models(values[0], last - 10) });
      beat(registry, device, last, { Models: models(values[1], last) });
    }
    // At 100 s: a and b (every 10 s) are connected; c's last heartbeat was 100 s ago (3 × 10 s) → offline.
    const report = fleetReport(registry, at(100));
    expect(report.fleets[0]!.metrics).toEqual([
      { model: 'detector', dimension: 'model/detector', name: 'InferenceLatency', devices: 2, mean: 30, min: 20, max: 40 },
    ]);
  });
});
