/**
 * The simulated device's life, driven by hand (no clock, no network): what it asks when, and what it does
 * with each answer — registration and CacheTTL, refusal and backoff, deployments applied, failed, rolled
 * back or not, the DeploymentResult carried until a heartbeat with it is accepted, offline spells.
 */
import { describe, expect, it } from 'vitest';
import { SimulatedDevice, type DeviceAnswer, type PlannedRequest } from '../../../src/common/fleet/device.ts';
import { parseScenario, type Scenario } from '../../../src/common/fleet/scenario.ts';
import type { EdgeDeployment } from '../../../src/common/model/index.ts';

function scenario(fleet: string): Scenario {
  const { scenario, problems } = parseScenario(`name: t\nseed: 5\nfleets:\n  - name: f\n    deviceName: 'dev-{n}'\n${fleet}`);
  expect(problems).toEqual([]);
  return scenario!;
}

const device = (fleet: string): SimulatedDevice => {
  const s = scenario(fleet);
  return new SimulatedDevice(s, s.fleets[0]!, 1, Date.UTC(2026, 10, 30), { live: true });
};

const registered = (ttl?: number): DeviceAnswer => ({
  operation: 'GetDeviceRegistration',
  ok: true,
  registration: 'REGISTERED',
  ...(ttl ? { cacheTtlSeconds: ttl } : {}),
});
const refused: DeviceAnswer = { operation: 'GetDeviceRegistration', ok: true, registration: 'NOT_REGISTERED' };
const ok = (operation: 'SendHeartbeat' | 'GetDeployments', deployments: EdgeDeployment[] = []): DeviceAnswer =>
  operation === 'SendHeartbeat' ? { operation, ok: true } : { operation, ok: true, deployments };

/** Takes every request due up to `untilMs`, answering each with `answer(request)` at its due time. */
function drive(d: SimulatedDevice, untilMs: number, answer: (r: PlannedRequest) => DeviceAnswer): PlannedRequest[] {
  const out: PlannedRequest[] = [];
  while (d.dueMs <= untilMs) {
    const r = d.take();
    out.push(r);
    d.answer(r, answer(r), r.offsetMs + 1);
  }
  return out;
}

const deployment = (policy: 'ROLLBACK_ON_FAILURE' | 'DO_NOTHING', url = 's3://m/detector-v3.1.tgz'): EdgeDeployment => ({
  DeploymentName: 'dep-1',
  Type: 'Model',
  FailureHandlingPolicy: policy,
  Definitions: [{ ModelHandle: 'detector', S3Url: url, State: 'DEPLOY' }],
});

const MODELS = `    models:\n      - { name: detector, version: '3.0' }\n`;

describe('a simulated device', () => {
  it('waits for its first registration answer, then beats at once; asks again when CacheTTL runs out', () => {
    const d = device('    interval: 1s\n    deploymentPoll: 1h\n');
    const first = d.take();
    expect(first).toMatchObject({ offsetMs: 0, operation: 'GetDeviceRegistration', body: { DeviceName: 'dev-1', DeviceFleetName: 'f' } });
    expect(d.dueMs).toBe(Infinity); // nothing until the answer
    d.answer(first, registered(3), 40);
    const ops = drive(d, 5500, (r) => (r.operation === 'GetDeviceRegistration' ? registered(3) : ok('SendHeartbeat')));
    expect(ops.map((r) => `${r.offsetMs} ${r.operation}`)).toEqual([
      '0 SendHeartbeat',
      '1000 SendHeartbeat',
      '2000 SendHeartbeat',
      '3000 SendHeartbeat',
      '3040 GetDeviceRegistration', // 40 ms (the answer) + 3 s
      '4000 SendHeartbeat',
      '5000 SendHeartbeat',
    ]);
  });

  it('a refused device asks again after 1, 2, 4 … s (at most 60 s) and sends nothing else until registered', () => {
    const d = device('    interval: 1s\n    deploymentPoll: 2s\n');
    let refuse = 4;
    const ops = drive(d, 40_000, (r) =>
      r.operation === 'GetDeviceRegistration' ? (refuse-- > 0 ? refused : registered()) : ok(r.operation as 'SendHeartbeat'),
    );
    const registrations = ops.filter((r) => r.operation === 'GetDeviceRegistration').map((r) => r.offsetMs);
    expect(registrations).toEqual([0, 1001, 3002, 7003, 15_004]); // each answered 1 ms after it was asked
    expect(ops.findIndex((r) => r.operation !== 'GetDeviceRegistration')).toBe(5);
    // Registered at 15,005 ms: one heartbeat at once (its latest slot), then every second; no burst of missed ones.
    const beats = ops.filter((r) => r.operation === 'SendHeartbeat').map((r) => r.offsetMs);
    expect(beats.slice(0, 3)).toEqual([15_000, 16_000, 17_000]);
    expect(d.status(20_000)).toBe('healthy');
  });

  it('applies a new deployment, and with ROLLBACK_ON_FAILURE a failure leaves its models as they were', () => {
    const d = device(`    interval: 1s\n    deploymentPoll: 2s\n    applyTime: 1500ms\n    failureRate: 1\n${MODELS}`);
    const ops = drive(d, 6000, (r) =>
      r.operation === 'GetDeviceRegistration'
        ? registered()
        : r.operation === 'GetDeployments'
          ? ok('GetDeployments', [deployment('ROLLBACK_ON_FAILURE')])
          : ok('SendHeartbeat'),
    );
    const beats = ops.filter((r) => r.operation === 'SendHeartbeat');
    // Polled at 2000 (answered at 2001): applying until 3501; the 4000 heartbeat carries the result.
    expect(beats.filter((b) => b.body.DeploymentResult).map((b) => b.offsetMs)).toEqual([4000]);
    const result = beats.find((b) => b.offsetMs === 4000)!.body.DeploymentResult as Record<string, unknown>;
    expect(result).toMatchObject({
      DeploymentName: 'dep-1',
      DeploymentStatus: 'FAIL',
      DeploymentModels: [
        { ModelHandle: 'detector', ModelName: 'detector', ModelVersion: '3.1', DesiredState: 'DEPLOY', State: 'DEPLOY', Status: 'FAIL' },
      ],
    });
    expect((result.DeploymentEndTime as number) - (result.DeploymentStartTime as number)).toBeCloseTo(1.5, 3);
    expect(d.runningModels()).toEqual([{ name: 'detector', version: '3.0' }]);
    // Seen once, applied once: the same deployment handed out again is not applied again.
    expect(d.applyingDeployment).toBeUndefined();
    expect(beats.at(-1)!.body.Models).toEqual([expect.objectContaining({ ModelName: 'detector', ModelVersion: '3.0' })]);
  });

  it('with DO_NOTHING a failed model stops running; a successful deployment changes the Models list', () => {
    const failing = device(`    interval: 1s\n    deploymentPoll: 2s\n    applyTime: 0ms\n    failureRate: 1\n${MODELS}`);
    drive(failing, 4000, (r) =>
      r.operation === 'GetDeviceRegistration'
        ? registered()
        : r.operation === 'GetDeployments'
          ? ok('GetDeployments', [deployment('DO_NOTHING')])
          : ok('SendHeartbeat'),
    );
    expect(failing.runningModels()).toEqual([]);
    const working = device(`    interval: 1s\n    deploymentPoll: 2s\n    applyTime: 0ms\n${MODELS}`);
    drive(working, 4000, (r) =>
      r.operation === 'GetDeviceRegistration'
        ? registered()
        : r.operation === 'GetDeployments'
          ? ok('GetDeployments', [
              deployment('DO_NOTHING', 's3://m/detector-4.0.zip'),
              { ...deployment('DO_NOTHING'), DeploymentName: 'other' },
            ])
          : ok('SendHeartbeat'),
    );
    expect(working.runningModels()).toEqual([{ name: 'detector', version: '4.0' }]);
    expect(working.lastDeployment).toEqual({ name: 'dep-1', status: 'SUCCESS' });
  });

  it('carries its DeploymentResult on every heartbeat until one carrying it is accepted', () => {
    const d = device(`    interval: 1s\n    deploymentPoll: 2s\n    applyTime: 0ms\n${MODELS}`);
    let rejectBeats = 2;
    const ops = drive(d, 7000, (r) => {
      if (r.operation === 'GetDeviceRegistration') return registered();
      if (r.operation === 'GetDeployments') return ok('GetDeployments', [deployment('ROLLBACK_ON_FAILURE')]);
      if (r.body.DeploymentResult && rejectBeats-- > 0) return { operation: 'SendHeartbeat', ok: false };
      return ok('SendHeartbeat');
    });
    const carrying = ops.filter((r) => r.operation === 'SendHeartbeat' && r.body.DeploymentResult).map((r) => r.offsetMs);
    expect(carrying).toEqual([3000, 4000, 5000]);
  });

  it('goes quiet for its offline spells: nothing is sent in them, and status says offline', () => {
    const d = device('    interval: 1s\n    deploymentPoll: 1h\n    offline: { probability: 0.3, duration: 5s }\n');
    const ops = drive(d, 120_000, (r) => (r.operation === 'GetDeviceRegistration' ? registered() : ok('SendHeartbeat')));
    const beats = ops.filter((r) => r.operation === 'SendHeartbeat').map((r) => r.offsetMs);
    const gaps = beats.slice(1).map((t, i) => t - beats[i]!);
    expect(gaps.some((g) => g >= 5000)).toBe(true);
    expect(gaps.every((g) => g === 1000 || g >= 5000)).toBe(true);
    expect(beats.length).toBeLessThan(110);
  });
});
