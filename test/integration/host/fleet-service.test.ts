/**
 * HeartbeatApi's fleet group (start, stop, state, devices, `fleet` events) through the in-process host
 * and the loopback HTTP host, against the app's own embedded endpoint: a run registers its devices
 * there, events come at most a few times a second with one state character per device, the end is one
 * history entry; a second start while one runs and a bad scenario are refused with a sentence.
 */
import { beforeAll, expect, it } from 'vitest';
import type { FleetState, HeartbeatApi, HostEvent } from '../../../src/common/api.ts';
import type { HostFixture } from '../../contract/host-fixture.ts';
import { describeOnHosts } from './on-hosts.ts';

const SCENARIO = `
name: api-run
seed: 9
fleets:
  - name: api-run-fleet
    devices: 12
    deviceName: 'api-run-{n:02}'
    interval: 250ms
    agentMetrics:
      - { dimension: agent, name: CpuUtilization, value: { uniform: { min: 0, max: 100 } } }
`;

describeOnHosts('HeartbeatApi fleet methods', (host) => {
  let fixture: HostFixture;
  let api: HeartbeatApi;
  beforeAll(() => {
    ({ fixture, api } = host());
  });

  it('runs a scenario against the app endpoint: devices registered there, live events, one history entry at the end', async () => {
    const events: Array<{ at: number; state: FleetState; devices: string }> = [];
    const stop = api.subscribe((e: HostEvent) => {
      if (e.type === 'fleet') events.push({ at: performance.now(), state: e.state, devices: e.devices });
    });
    const started = await api.fleet.start({
      scenario: SCENARIO,
      target: { kind: 'local' },
      credentials: { kind: 'demo' },
      durationMs: 2000,
    });
    expect(started).toMatchObject({ state: 'running', scenario: 'api-run' });
    await expect(api.fleet.start({ scenario: SCENARIO, target: { kind: 'local' }, credentials: { kind: 'demo' } })).rejects.toThrow(
      /A fleet run \(api-run\) is under way; stop it before starting another/,
    );
    let state: FleetState | undefined;
    for (let i = 0; i < 100 && state?.state !== 'finished'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      state = await api.fleet.state();
    }
    expect(state?.state).toBe('finished');
    expect(state?.summary?.totals.failed).toBe(0);
    expect(state?.summary?.operations.GetDeviceRegistration.sent).toBe(12);
    // The endpoint registered the run's devices (source "run") and saw their heartbeats.
    const known = fixture.services.endpoint.admin.devices().filter((d) => d.deviceFleetName === 'api-run-fleet');
    expect(known).toHaveLength(12);
    expect(known.every((d) => d.source === 'run' && d.counts.heartbeats >= 6)).toBe(true);
    // Devices: each with its state and models.
    const devices = await api.fleet.devices();
    expect(devices.map((d) => d.name)).toEqual(Array.from({ length: 12 }, (_, i) => `api-run-${String(i + 1).padStart(2, '0')}`));
    expect(devices.every((d) => d.status === 'healthy' && d.lastHeartbeatAgoMs !== undefined)).toBe(true);
    // Events: a few a second, the last one the finished state; one character per device.
    await new Promise((r) => setTimeout(r, 300));
    stop();
    expect(events.length).toBeGreaterThanOrEqual(3);
    expect(events.length).toBeLessThanOrEqual(10);
    expect(events.at(-1)!.state.state).toBe('finished');
    expect(events.at(-1)!.devices).toBe('h'.repeat(12));
    const gaps = events.slice(1, -1).map((e, i) => e.at - events[i]!.at);
    expect(gaps.every((g) => g >= 100)).toBe(true); // never more than 10 a second
    // The run is one history entry.
    expect(state?.historyId).toBeTruthy();
    const page = await api.history.query({ text: 'api-run' });
    expect(page.entries.filter((e) => e.kind === 'run')).toHaveLength(1);
  }, 20_000);

  it('stop ends a run early; a bad scenario is refused with its line', async () => {
    await api.fleet.start({ scenario: SCENARIO, target: { kind: 'local' }, credentials: { kind: 'demo' } });
    await new Promise((r) => setTimeout(r, 400));
    const stopping = await api.fleet.stop();
    expect(['stopping', 'finished']).toContain(stopping?.state);
    let state = await api.fleet.state();
    for (let i = 0; i < 50 && state?.state !== 'finished'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      state = await api.fleet.state();
    }
    expect(state?.summary?.stopped).toBe(true);
    await expect(
      api.fleet.start({
        scenario: 'name: x\nfleets:\n  - name: f\n    devices: 0\n',
        target: { kind: 'local' },
        credentials: { kind: 'demo' },
      }),
    ).rejects.toThrow(/The scenario is not valid: line 4:14: devices must be a whole number/);
    await expect(
      api.fleet.start({ scenario: 'x', target: { kind: 'local' }, credentials: { kind: 'demo' }, scale: -1 } as never),
    ).rejects.toThrow(/scale must be a positive number/);
  }, 20_000);
});
