/** The fleet schedule (src/common/fleet/schedule.ts): what a scenario's devices request, when, with what bodies. */
import { describe, expect, it } from 'vitest';
import { planRequests, type PlannedRequest } from '../../../src/common/fleet/schedule.ts';
import { parseScenario, type Scenario } from '../../../src/common/fleet/scenario.ts';
import { checkText } from '../../../src/common/validation/check-text.ts';

const START = Date.parse('2026-11-30T12:00:00Z');

function scenario(yaml: string): Scenario {
  const { scenario: s, problems } = parseScenario(yaml);
  expect(problems).toEqual([]);
  return s!;
}

const FLEET = `name: t
seed: 7
fleets:
  - name: dock
    devices: 20
    deviceName: "dock-{n:02}"
    interval: 1s
    jitter: 10%
    deploymentPoll: 5s
    clockSkew: -2s..2s
    agentMetrics:
      - { dimension: agent, name: CpuLoad, value: { randomWalk: { start: 20, step: 2, min: 0, max: 100 } } }
    models:
      - name: detector
        version: "1.0"
        metrics:
          - { dimension: model, name: LatencyMs, value: { sine: { mean: 40, amplitude: 10, period: 60s } } }
`;

const plan = (s: Scenario, ms: number, start = START): PlannedRequest[] => [...planRequests(s, ms, start)];

describe('the fleet schedule', () => {
  it('is the same for the same scenario, seed and start, in time order, every body valid for its operation', () => {
    const a = plan(scenario(FLEET), 20_000);
    expect(a).toEqual(plan(scenario(FLEET), 20_000));
    expect(a.length).toBeGreaterThan(20 * 18);
    for (let i = 1; i < a.length; i++) expect(a[i]!.offsetMs).toBeGreaterThanOrEqual(a[i - 1]!.offsetMs);
    for (const r of a)
      expect(checkText(JSON.stringify(r.body), r.operation).problems, `${r.operation} ${JSON.stringify(r.body)}`).toEqual([]);
    const other = plan(scenario(FLEET.replace('seed: 7', 'seed: 8')), 20_000);
    expect(other.map((r) => r.body)).not.toEqual(a.map((r) => r.body));
  });

  it("follows each device's life: registration first, heartbeats every interval ± jitter, polls every deploymentPoll, staggered starts", () => {
    const all = plan(scenario(FLEET), 20_000);
    const of = (device: string) => all.filter((r) => r.device === device);
    const dev = of('dock-05');
    expect(dev[0]).toMatchObject({ operation: 'GetDeviceRegistration', offsetMs: Math.floor((1000 * 4) / 20) });
    const beats = dev.filter((r) => r.operation === 'SendHeartbeat').map((r) => r.offsetMs);
    for (let i = 1; i < beats.length; i++) {
      expect(beats[i]! - beats[i - 1]!).toBeGreaterThanOrEqual(900);
      expect(beats[i]! - beats[i - 1]!).toBeLessThanOrEqual(1100);
    }
    expect(dev.filter((r) => r.operation === 'GetDeployments').map((r) => r.offsetMs)).toEqual([5200, 10_200, 15_200]);
    // The skew is the device's own, within the range, the same on every heartbeat.
    const skews = dev
      .filter((r) => r.operation === 'SendHeartbeat')
      .map((r) => Math.round((r.body.AgentMetrics as Array<{ Timestamp: number }>)[0]!.Timestamp * 1000 - START - r.offsetMs));
    expect(new Set(skews).size).toBe(1);
    expect(Math.abs(skews[0]!)).toBeLessThanOrEqual(2000);
    const firsts = new Set(all.filter((r) => r.operation === 'GetDeviceRegistration').map((r) => r.offsetMs));
    expect(firsts.size).toBe(20); // staggered over one interval
  });

  it('a device offline sends nothing in its quiet time; together starts everyone at 0', () => {
    const quiet = plan(
      scenario(FLEET.replace('clockSkew: -2s..2s', 'clockSkew: 0s\n    offline: { probability: 1, duration: 30s }')),
      20_000,
    );
    expect(quiet.filter((r) => r.operation !== 'GetDeviceRegistration')).toEqual([]);
    const together = plan(scenario(FLEET.replace('jitter: 10%', 'jitter: 10%\n    startup: together')), 1);
    expect(together.map((r) => [r.offsetMs, r.operation])).toEqual(
      Array.from({ length: 20 }, () => [
        [0, 'GetDeviceRegistration'],
        [0, 'SendHeartbeat'],
      ]).flat(),
    );
  });

  it('merges thousands of devices without holding the run in memory', () => {
    const big = scenario(FLEET.replace('devices: 20', 'devices: 5000').replace('"dock-{n:02}"', '"dock-{n}"'));
    let count = 0;
    let last = 0;
    for (const r of planRequests(big, 3000, START)) {
      expect(r.offsetMs).toBeGreaterThanOrEqual(last);
      last = r.offsetMs;
      count++;
    }
    expect(count).toBeGreaterThan(5000 * 3);
  });
});
