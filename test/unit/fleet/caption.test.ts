/**
 * The presenter caption (src/common/fleet/caption.ts), from realistic objects: plan statuses made by the
 * endpoint's own DeploymentPlans while the shipped rollout example (examples/fleet-rollout.yaml and its
 * plan) runs on simulated devices — no clock, no network: each device's requests are answered at once,
 * GetDeployments by the plans and heartbeats' DeploymentResult recorded by them, as the endpoint does.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { CAPTION_MAX, FINISHED_PLAN_SHOWN_MS, captionOf, type CaptionRun } from '../../../src/common/fleet/caption.ts';
import { SimulatedDevice } from '../../../src/common/fleet/device.ts';
import { parseScenario, type Scenario } from '../../../src/common/fleet/scenario.ts';
import type { FleetRunStats } from '../../../src/common/fleet/summary.ts';
import type { FaultSettings } from '../../../src/common/api.ts';
import { modelVersionOfS3Url, type DeploymentPlan, type DeploymentPlanStatus } from '../../../src/common/endpoint-fleet-types.ts';
import type { DeploymentResult } from '../../../src/common/model/index.ts';
import { DeploymentPlans, deploymentPlanProblem } from '../../../src/node/endpoint/deployment-plans.ts';

const START = Date.UTC(2026, 10, 30, 9, 0, 0);
const scenarioText = readFileSync('examples/fleet-rollout.yaml', 'utf8');
const planValue = parse(readFileSync('examples/fleet-rollout-plan.yaml', 'utf8')) as DeploymentPlan;

function scenarioOf(text: string): Scenario {
  const { scenario, problems } = parseScenario(text);
  expect(problems).toEqual([]);
  return scenario!;
}

/** The rollout example's devices against the endpoint's DeploymentPlans, in 10 ms steps. */
class RolloutSim {
  readonly devices: SimulatedDevice[];
  readonly registered = new Set<string>();
  readonly plans: DeploymentPlans;
  t = 0;

  constructor(text = scenarioText) {
    const scenario = scenarioOf(text);
    const fleet = scenario.fleets[0]!;
    this.devices = Array.from({ length: fleet.devices }, (_, i) => new SimulatedDevice(scenario, fleet, i + 1, START, { live: true }));
    this.plans = new DeploymentPlans({
      devicesOf: (name) => this.devices.filter((d) => d.fleet === name && this.registered.has(d.name)).map((d) => d.name),
      now: () => new Date(START + this.t),
    });
  }

  /** Runs until `untilMs` (or until `stop` holds after a step). */
  runTo(untilMs: number, stop?: () => boolean): void {
    for (; this.t <= untilMs; this.t += 10) {
      for (const d of this.devices)
        while (d.dueMs <= this.t) {
          const r = d.take();
          if (r.operation === 'GetDeviceRegistration') {
            this.registered.add(d.name);
            d.answer(r, { operation: 'GetDeviceRegistration', ok: true, registration: 'REGISTERED' }, this.t);
          } else if (r.operation === 'GetDeployments') {
            d.answer(r, { operation: 'GetDeployments', ok: true, deployments: this.plans.deploymentsFor(r.fleet, r.device) }, this.t);
          } else {
            const result = r.body.DeploymentResult as DeploymentResult | undefined;
            if (result) this.plans.recordResult(r.fleet, r.device, result, new Date(START + this.t));
            d.answer(r, { operation: 'SendHeartbeat', ok: true }, this.t);
          }
        }
      if (stop?.()) return;
    }
  }

  status(name = planValue.name): DeploymentPlanStatus {
    return this.plans.get(name)!;
  }
}

function stats(over: Partial<FleetRunStats> = {}): FleetRunStats {
  const op = (sent: number, failed = 0, failedByType: Record<string, number> = {}) => ({
    sent,
    ok: sent - failed,
    failed,
    failedByType,
    p50Ms: 1.1,
    p99Ms: 11.07,
  });
  return {
    elapsedMs: 30_001,
    devices: 50,
    registered: 50,
    unregistered: 0,
    offline: 0,
    deploying: 0,
    inFlight: 3,
    ratePerSecond: 96,
    operations: { SendHeartbeat: op(1400), GetDeviceRegistration: op(50), GetDeployments: op(300) },
    lag: { p50Ms: 0.7, p99Ms: 5.15, maxMs: 23.48 },
    deployments: { applied: 0, succeeded: 0, failed: 0 },
    ...over,
  };
}

function run(over: Partial<FleetRunStats> = {}, state: CaptionRun['state'] = 'running', extra: Partial<CaptionRun> = {}): CaptionRun {
  return { state, scenario: 'rollout-demo', startedAt: new Date(START).toISOString(), stats: stats(over), ...extra };
}

const throttling: FaultSettings = {
  latencyMs: 0,
  latencyJitterMs: 0,
  errorRate: 0.2,
  failEveryNth: 0,
  errorType: 'ThrottlingException',
  retryAfterSeconds: 1,
};
const noFaults: Required<FaultSettings> = {
  latencyMs: 0,
  latencyJitterMs: 0,
  errorRate: 0,
  failEveryNth: 0,
  errorType: 'InternalServiceException',
  retryAfterSeconds: 1,
};

describe('the rollout example', () => {
  it('its plan file is a valid deployment plan for the scenario: its model, a new version, ROLLBACK_ON_FAILURE, 10% → 50% → 100%', () => {
    expect(deploymentPlanProblem(planValue)).toBeUndefined();
    const scenario = scenarioOf(scenarioText);
    const fleet = scenario.fleets[0]!;
    expect(planValue.fleet).toBe(fleet.name);
    expect(planValue.model.handle).toBe(fleet.models[0]!.name);
    expect(modelVersionOfS3Url(planValue.model.s3Url)).toBe('3.1');
    expect(fleet.models[0]!.version).toBe('3.0');
    expect(planValue.failureHandlingPolicy).toBe('ROLLBACK_ON_FAILURE');
    expect(planValue.stages.map((s) => ('percent' in s ? s.percent : undefined))).toEqual([10, 50, 100]);
    expect(fleet.devices).toBe(40);
    expect(fleet.failureRate).toBe(0.35);
  });

  it('fails at stage 2: the canary passes with 1 of 4 failed, stage 2 loses 6 of 16, stage 3 never starts; failed devices roll back', () => {
    const sim = new RolloutSim();
    sim.runTo(5000);
    expect(sim.registered.size).toBe(40);
    sim.plans.create(planValue);
    expect(captionOf({ plans: [sim.status()], faults: noFaults })).toBe('Rollout aisle-detector-3-1, stage 1 of 3: 0 of 4 devices on 3.1');

    sim.runTo(60_000, () => sim.status().stages[1]!.status === 'active' && sim.status().stages[1]!.succeeded >= 3);
    const during = sim.status();
    expect(during.status).toBe('running');
    expect(captionOf({ plans: [during], state: run({ devices: 40, registered: 40 }) })).toMatch(
      /^Rollout aisle-detector-3-1, stage 2 of 3: \d+ of 16 devices on 3\.1(, \d+ failed)?$/,
    );

    sim.runTo(60_000);
    const ended = sim.status();
    expect(ended.status).toBe('failed');
    expect(ended.stages.map((s) => [s.name, s.status, s.devices, s.succeeded, s.failed])).toEqual([
      ['canary', 'succeeded', 4, 3, 1],
      ['half', 'failed', 16, 10, 6],
      ['all', 'pending', 0, 0, 0],
    ]);
    expect(ended.timeline.map((e) => e.event)).toEqual([
      'plan-created',
      'stage-started',
      'stage-succeeded',
      'stage-started',
      'stage-failed',
      'plan-failed',
    ]);
    const caption = captionOf({ plans: [ended], state: run({ devices: 40, registered: 40 }), now: Date.parse(ended.endedAt!) + 5000 });
    expect(caption).toBe('Rollout aisle-detector-3-1 stopped at stage 2 of 3: 6 of 16 devices failed, rolling back');
    // ROLLBACK_ON_FAILURE: the 7 devices whose apply failed still run 3.0, like stage 3's 20; the 13 others run 3.1.
    const versions = sim.devices.map((d) => d.runningModels()[0]!.version);
    expect(versions.filter((v) => v === '3.1')).toHaveLength(13);
    expect(versions.filter((v) => v === '3.0')).toHaveLength(27);
  });

  it('succeeds when no apply fails: "Rollout … complete: 40 of 40 devices on 3.1"', () => {
    const sim = new RolloutSim(scenarioText.replace('failureRate: 0.35', 'failureRate: 0'));
    sim.runTo(5000);
    sim.plans.create(planValue);
    sim.runTo(60_000, () => sim.status().status !== 'running');
    expect(sim.status().status).toBe('succeeded');
    // A stage succeeds at 75%: the last stage's stragglers report after the plan succeeded.
    expect(captionOf({ plans: [sim.status()] })).toMatch(/^Rollout aisle-detector-3-1 complete: 3\d of 40 devices on 3\.1$/);
    sim.runTo(60_000);
    expect(captionOf({ plans: [sim.status()] })).toBe('Rollout aisle-detector-3-1 complete: 40 of 40 devices on 3.1');
  });

  it('cancelled during stage 2: where it stopped and how many devices got the version', () => {
    const sim = new RolloutSim(scenarioText.replace('failureRate: 0.35', 'failureRate: 0'));
    sim.runTo(5000);
    sim.plans.create(planValue);
    sim.runTo(60_000, () => sim.status().stages[1]!.succeeded >= 5);
    const cancelled = sim.plans.cancel(planValue.name);
    expect(cancelled.stages[1]!.status).toBe('cancelled');
    expect(captionOf({ plans: [cancelled] })).toBe('Rollout aisle-detector-3-1 cancelled at stage 2 of 3: 9 of 20 devices on 3.1');
  });

  it('DO_NOTHING: a failed stage says nothing rolls back', () => {
    const sim = new RolloutSim();
    sim.runTo(5000);
    sim.plans.create({ ...planValue, name: 'aisle-detector-3-1-x', failureHandlingPolicy: 'DO_NOTHING' });
    sim.runTo(60_000, () => sim.status('aisle-detector-3-1-x').status !== 'running');
    expect(captionOf({ plans: [sim.status('aisle-detector-3-1-x')] })).toMatch(
      /^Stage 2 of 3: \d+ of 16 devices failed, not rolled back \(DO_NOTHING\)$/,
    );
  });

  it('a stage waiting for its fleet says so', () => {
    const plans = new DeploymentPlans({ devicesOf: () => [], now: () => new Date(START) });
    const status = plans.create(planValue);
    expect(status.stages[0]!.waiting).toBe(true);
    expect(captionOf({ plans: [status] })).toBe("Rollout aisle-detector-3-1, stage 1 of 3: waiting for fleet aisle-cams's first devices");
  });
});

describe('which situation wins', () => {
  const sim = new RolloutSim();
  sim.runTo(5000);
  sim.plans.create(planValue);
  const runningPlan = sim.status();
  sim.runTo(60_000, () => sim.status().status !== 'running');
  const failedPlan = sim.status();
  const endedAt = Date.parse(failedPlan.endedAt!);
  const health = '40 of 40 devices up · 96 requests/s';
  const fleetRun = run({ devices: 40, registered: 40 });

  it('a running plan beats faults and the fleet', () => {
    expect(captionOf({ plans: [failedPlan, runningPlan], faults: throttling, state: fleetRun })).toMatch(
      /^Rollout aisle-detector-3-1, stage 1/,
    );
  });

  it('faults beat a finished plan and the fleet', () => {
    expect(captionOf({ plans: [failedPlan], faults: throttling, state: fleetRun })).toBe(
      'Fault: 20% of requests fail with ThrottlingException — devices retry',
    );
  });

  it(`a finished plan beats the fleet while recent: ${FINISHED_PLAN_SHOWN_MS / 1000} s after it ended with now, else when it ended during the run`, () => {
    expect(captionOf({ plans: [failedPlan], state: fleetRun, now: endedAt + FINISHED_PLAN_SHOWN_MS })).toMatch(
      /^Rollout .* stopped at stage 2/,
    );
    expect(captionOf({ plans: [failedPlan], state: fleetRun, now: endedAt + FINISHED_PLAN_SHOWN_MS + 1 })).toBe(health);
    expect(captionOf({ plans: [failedPlan], state: fleetRun })).toMatch(/^Rollout .* stopped at stage 2/);
    const laterRun = run({ devices: 40, registered: 40 }, 'running', { startedAt: new Date(endedAt + 1000).toISOString() });
    expect(captionOf({ plans: [failedPlan], state: laterRun })).toBe(health);
    expect(captionOf({ plans: [failedPlan] })).toMatch(/^Rollout .* stopped at stage 2/);
  });

  it('the fleet when nothing else holds (no faults: all zero)', () => {
    expect(captionOf({ plans: [], faults: noFaults, state: fleetRun })).toBe(health);
  });

  it('"No fleet running" when there is nothing at all', () => {
    expect(captionOf({})).toBe('No fleet running');
    expect(captionOf({ plans: [], faults: noFaults })).toBe('No fleet running');
  });
});

describe('faults', () => {
  it.each<[string, FaultSettings, string]>([
    ['an error rate', throttling, 'Fault: 20% of requests fail with ThrottlingException — devices retry'],
    ['every Nth', { ...noFaults, failEveryNth: 5 }, 'Fault: every 5th request fails with InternalServiceException — devices retry'],
    [
      'a rate and every Nth',
      { ...throttling, errorRate: 0.025, failEveryNth: 3 },
      'Fault: 2.5% of requests and every 3rd fail with ThrottlingException — devices retry',
    ],
    ['every request', { ...throttling, errorRate: 1 }, 'Fault: every request fails with ThrottlingException — devices retry'],
    ['latency', { ...noFaults, latencyMs: 500, latencyJitterMs: 100 }, 'Fault: every answer 500 ms ± 100 ms late'],
    [
      'errors and latency',
      { ...throttling, latencyMs: 1500 },
      'Fault: 20% of requests fail with ThrottlingException, +1,500 ms — devices retry',
    ],
    [
      'settings without an error type (the endpoint defaults)',
      { errorRate: 0.5 },
      'Fault: 50% of requests fail with InternalServiceException — devices retry',
    ],
  ])('%s', (_what, faults, caption) => {
    expect(captionOf({ faults, state: run() })).toBe(caption);
  });
});

describe('the fleet run', () => {
  it('registering', () => {
    expect(captionOf({ state: run({ devices: 5000, registered: 0 }) })).toBe('Registering 5,000 devices…');
    expect(captionOf({ state: run({ devices: 5000, registered: 1234 }) })).toBe('Registering 5,000 devices… 1,234 so far');
  });

  it('health: devices up, offline, unregistered, deploying; requests per second; failures', () => {
    expect(captionOf({ state: run({ registered: 50, offline: 2 }) })).toBe('48 of 50 devices up, 2 offline · 96 requests/s');
    const failing = stats().operations;
    failing.SendHeartbeat = { ...failing.SendHeartbeat, ok: 1388, failed: 12, failedByType: { ThrottlingException: 12 } };
    expect(
      captionOf({
        state: run({
          devices: 5000,
          registered: 4990,
          unregistered: 10,
          offline: 40,
          deploying: 200,
          ratePerSecond: 4987.4,
          operations: failing,
        }),
      }),
    ).toBe('4,950 of 5,000 devices up, 40 offline, 10 unregistered, 200 deploying · 4,987 requests/s'); // failures left out to fit
    expect(captionOf({ state: run({ registered: 50, offline: 2, operations: failing }) })).toBe(
      '48 of 50 devices up, 2 offline · 96 requests/s · 12 failed',
    );
    expect(captionOf({ state: run({ devices: 1, registered: 1, ratePerSecond: 0.4 }) })).toBe('1 of 1 device up · 0 requests/s');
  });

  it('stopping, finished (from its summary), failed', () => {
    expect(captionOf({ state: run({ inFlight: 12 }, 'stopping') })).toBe('Stopping the run… 12 answers to wait for');
    expect(captionOf({ state: run({ inFlight: 0 }, 'stopping') })).toBe('Stopping the run…');
    expect(captionOf({ state: run({}, 'finished', { summary: { totals: { sent: 12345, ok: 12340, failed: 5 } } }) })).toBe(
      'Run rollout-demo finished: 50 devices, 12,345 requests, 5 failed',
    );
    expect(captionOf({ state: run({}, 'failed', { error: 'The scenario could not be read:\n  no such file' }) })).toBe(
      'Run rollout-demo failed: The scenario could not be read: no such file',
    );
  });
});

describe('length', () => {
  const long = 'a'.repeat(63);
  it(`never more than ${CAPTION_MAX} characters, whatever the names and numbers`, () => {
    const plans = new DeploymentPlans({
      devicesOf: () => Array.from({ length: 100_000 }, (_, i) => `dev-${i}`),
      now: () => new Date(START),
    });
    const status = plans.create({
      ...planValue,
      name: long,
      fleet: long,
      model: { handle: long, s3Url: `s3://b/${long}-1234567.1234.tar.gz` },
    });
    const big = { devices: 100_000, registered: 99_000, unregistered: 1000, offline: 12_345, deploying: 54_321, ratePerSecond: 123_456 };
    const captions = [
      captionOf({ plans: [status] }),
      captionOf({ plans: [plans.cancel(long)] }),
      captionOf({ faults: { ...throttling, errorRate: 0.123, failEveryNth: 1_000_000, latencyMs: 600_000, latencyJitterMs: 600_000 } }),
      captionOf({ state: run(big) }),
      captionOf({ state: run({}, 'failed', { scenario: long, error: 'x '.repeat(200) }) }),
      captionOf({ state: run(big, 'finished', { scenario: long, summary: { totals: { sent: 1e12, ok: 1e12, failed: 1e9 } } }) }),
    ];
    for (const c of captions) expect([...c].length, c).toBeLessThanOrEqual(CAPTION_MAX);
    expect(captions[0]).toMatch(/^Stage 1 of 3: 0 of 10,000 devices on 1234567\.1234$/);
    expect(captions[4]).toMatch(/…$/);
  });
});
