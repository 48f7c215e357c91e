/**
 * A simulated device's deployment history (issue 18: a device's detail lists every deployment it went
 * through): name, models, when, SUCCESS or FAIL, rolled back or not, why, and whether its result reached
 * the endpoint; bounded (DEPLOYMENT_HISTORY_CAP), and nothing kept by a device that never deploys.
 */
import { describe, expect, it } from 'vitest';
import { DEPLOYMENT_HISTORY_CAP, SimulatedDevice, type DeviceAnswer, type PlannedRequest } from '../../../src/common/fleet/device.ts';
import { parseScenario } from '../../../src/common/fleet/scenario.ts';
import type { EdgeDeployment } from '../../../src/common/model/index.ts';

const START = Date.UTC(2026, 10, 30);

function device(fleet: string): SimulatedDevice {
  const { scenario, problems } = parseScenario(`name: t\nseed: 5\nfleets:\n  - name: f\n    deviceName: 'dev-{n}'\n${fleet}`);
  expect(problems).toEqual([]);
  return new SimulatedDevice(scenario!, scenario!.fleets[0]!, 1, START, { live: true });
}

const MODELS = `    models:\n      - { name: detector, version: '3.0' }\n`;

const plan = (name: string, policy: 'ROLLBACK_ON_FAILURE' | 'DO_NOTHING', version = '3.1'): EdgeDeployment => ({
  DeploymentName: name,
  Type: 'Model',
  FailureHandlingPolicy: policy,
  Definitions: [{ ModelHandle: 'detector', S3Url: `s3://m/detector-${version}.tgz`, State: 'DEPLOY' }],
});

/**
 * Takes every request due up to `untilMs`, answered 1 ms later: registered, heartbeats accepted unless
 * `refuse(request)`, and each poll answered with `offer()` (the deployments handed out at that time).
 */
function drive(
  d: SimulatedDevice,
  untilMs: number,
  offer: (atMs: number) => EdgeDeployment[],
  refuse: (r: PlannedRequest) => boolean = () => false,
): PlannedRequest[] {
  const out: PlannedRequest[] = [];
  while (d.dueMs <= untilMs) {
    const r = d.take();
    out.push(r);
    const answer: DeviceAnswer =
      r.operation === 'GetDeviceRegistration'
        ? { operation: r.operation, ok: true, registration: 'REGISTERED' }
        : r.operation === 'GetDeployments'
          ? { operation: r.operation, ok: true, deployments: offer(r.offsetMs) }
          : refuse(r)
            ? { operation: r.operation, ok: false }
            : { operation: 'SendHeartbeat', ok: true };
    d.answer(r, answer, r.offsetMs + 1);
  }
  return out;
}

describe("a simulated device's deployment history", () => {
  it('lists each deployment: name, models, times, status; a failure with ROLLBACK_ON_FAILURE says it rolled back and why', () => {
    const d = device(`    interval: 1s\n    deploymentPoll: 2s\n    applyTime: 1500ms\n    failureRate: 1\n${MODELS}`);
    expect(d.deploymentHistory()).toEqual([]);
    drive(d, 6000, () => [plan('dep-1', 'ROLLBACK_ON_FAILURE')]);
    const [entry, ...rest] = d.deploymentHistory();
    expect(rest).toEqual([]);
    // Polled at 2000, answered at 2001: applied until 3501 on the device's clock (no skew here).
    expect(entry).toEqual({
      name: 'dep-1',
      status: 'FAIL',
      rolledBack: true,
      message: 'The deployment failed and was rolled back to the previous models.',
      startedAt: START + 2001,
      endedAt: START + 3501,
      models: [
        {
          name: 'detector',
          version: '3.1',
          desiredState: 'DEPLOY',
          state: 'DEPLOY',
          status: 'FAIL',
          statusReason: 'Simulated failure loading detector 3.1 (failureRate 1).',
        },
      ],
      reported: true,
    });
    expect(d.lastDeployment).toEqual({ name: 'dep-1', status: 'FAIL' });
    expect(d.runningModels()).toEqual([{ name: 'detector', version: '3.0' }]);
  });

  it('with DO_NOTHING a failure is not rolled back; a success lists the new version; every deployment is kept, oldest first', () => {
    const d = device(`    interval: 1s\n    deploymentPoll: 2s\n    applyTime: 0ms\n    failureRate: 0.5\n${MODELS}`);
    // A new deployment every poll (each name seen once): some fail, some succeed.
    drive(d, 40_000, (at) => [plan(`dep-${at}`, at % 4000 === 0 ? 'DO_NOTHING' : 'ROLLBACK_ON_FAILURE', `3.${at / 1000}`)]);
    const history = d.deploymentHistory();
    expect(history.length).toBeGreaterThan(10);
    expect(history.map((h) => h.startedAt)).toEqual([...history.map((h) => h.startedAt)].sort((a, b) => a - b));
    expect(history.some((h) => h.status === 'SUCCESS')).toBe(true);
    expect(history.some((h) => h.status === 'FAIL')).toBe(true);
    for (const h of history) {
      const offeredAt = Number(h.name.slice(4));
      const policy = offeredAt % 4000 === 0 ? 'DO_NOTHING' : 'ROLLBACK_ON_FAILURE';
      expect(h.rolledBack, h.name).toBe(h.status === 'FAIL' && policy === 'ROLLBACK_ON_FAILURE');
      expect(h.models[0], h.name).toMatchObject({ name: 'detector', version: `3.${offeredAt / 1000}`, status: h.status });
      if (h.status === 'SUCCESS') expect(h.models[0]!.statusReason).toBeUndefined();
      if (h.status === 'FAIL' && !h.rolledBack) expect(h.models[0]!.state).toBe('UNDEPLOY');
    }
    expect(d.lastDeployment).toEqual({ name: history.at(-1)!.name, status: history.at(-1)!.status });
  });

  it('says whether the result reached the endpoint: not while the heartbeats carrying it are refused', () => {
    const d = device(`    interval: 1s\n    deploymentPoll: 2s\n    applyTime: 0ms\n${MODELS}`);
    drive(
      d,
      4500,
      () => [plan('dep-1', 'ROLLBACK_ON_FAILURE')],
      (r) => r.operation === 'SendHeartbeat' && r.body.DeploymentResult !== undefined,
    );
    expect(d.deploymentHistory()).toMatchObject([{ name: 'dep-1', status: 'SUCCESS', rolledBack: false, reported: false }]);
    drive(d, 6000, () => [plan('dep-1', 'ROLLBACK_ON_FAILURE')]);
    expect(d.deploymentHistory()).toMatchObject([{ name: 'dep-1', reported: true }]);
  });

  it(`keeps the last ${DEPLOYMENT_HISTORY_CAP}, and the one being applied is told apart`, () => {
    const d = device(`    interval: 1s\n    deploymentPoll: 1s\n    applyTime: 0ms\n${MODELS}`);
    drive(d, 60_000, (at) => [plan(`dep-${at}`, 'ROLLBACK_ON_FAILURE')]);
    const history = d.deploymentHistory();
    expect(history.length).toBe(DEPLOYMENT_HISTORY_CAP);
    // The newest is the last one handed out before the last heartbeat; the oldest ones are forgotten.
    expect(Number(history.at(-1)!.name.slice(4))).toBeGreaterThan(55_000);
    expect(Number(history[0]!.name.slice(4))).toBeGreaterThan(30_000);

    const slow = device(`    interval: 1s\n    deploymentPoll: 2s\n    applyTime: 10s\n${MODELS}`);
    drive(slow, 3000, () => [plan('dep-slow', 'ROLLBACK_ON_FAILURE')]);
    expect(slow.deploymentHistory()).toEqual([]);
    expect(slow.applyingDetail()).toEqual({ name: 'dep-slow', startedAt: START + 2001, endsAt: START + 12_001 });
    expect(slow.lastDeployment).toBeUndefined();
  });

  it('a device that never deploys keeps no history (an idle device stays cheap)', () => {
    const d = device(`    interval: 1s\n    deploymentPoll: 2s\n${MODELS}`);
    drive(d, 10_000, () => []);
    expect(d.deploymentHistory()).toEqual([]);
    expect(d.lastDeploymentResult).toBeUndefined();
    // One field, undefined, whatever the run's length.
    expect((d as unknown as { ended: unknown }).ended).toBeUndefined();
  });
});
