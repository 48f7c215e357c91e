/** Staged deployment plans: validation sentences, stage progression, selection, hand-out, results, timeline, config plans. */
import { describe, expect, it } from 'vitest';
import { modelVersionOfS3Url, type DeploymentPlan } from '../../../src/common/endpoint-fleet-types.ts';
import type { DeploymentResult } from '../../../src/common/model/index.ts';
import { parseEndpointConfig } from '../../../src/node/endpoint/config.ts';
import { DeploymentPlanError, DeploymentPlans, deploymentPlanProblem } from '../../../src/node/endpoint/deployment-plans.ts';
import { DeviceRegistry } from '../../../src/node/endpoint/registry.ts';

const names = (n: number, prefix = 'cam') => Array.from({ length: n }, (_, i) => `${prefix}-${String(i + 1).padStart(2, '0')}`);

const plan = (extra: Partial<DeploymentPlan> = {}): DeploymentPlan => ({
  name: 'detector-v2',
  fleet: 'warehouse',
  model: { handle: 'detector', s3Url: 's3://models/detector-2.0.tar.gz', checksum: { type: 'SHA1', sum: 'abc123' } },
  stages: [{ percent: 10 }, { percent: 50 }, { percent: 100 }],
  ...extra,
});

const ok = (name = 'detector-v2'): DeploymentResult => ({
  DeploymentName: name,
  DeploymentStatus: 'SUCCESS',
  DeploymentModels: [{ ModelHandle: 'detector', Status: 'SUCCESS' }],
});
const failed = (name = 'detector-v2'): DeploymentResult => ({
  DeploymentName: name,
  DeploymentStatus: 'FAIL',
  DeploymentStatusMessage: 'checksum mismatch',
  DeploymentModels: [{ ModelHandle: 'detector', Status: 'FAIL', StatusReason: 'checksum mismatch' }],
});

/** Plans over a fixed device list and a clock that moves one second per reading. */
function setUp(devices: string[]) {
  let t = Date.parse('2026-01-01T00:00:00Z');
  const fleetDevices = { warehouse: devices } as Record<string, string[]>;
  const plans = new DeploymentPlans({ devicesOf: (fleet) => [...(fleetDevices[fleet] ?? [])], now: () => new Date((t += 1000)) });
  const report = (device: string, result: DeploymentResult) => plans.recordResult('warehouse', device, result, new Date((t += 1000)));
  const handed = (device: string) => plans.deploymentsFor('warehouse', device).map((d) => d.DeploymentName);
  return { plans, report, handed, fleetDevices };
}

describe('deployment plan validation', () => {
  const problem = (value: unknown) => deploymentPlanProblem(value);
  it('accepts a full plan and a minimal one', () => {
    expect(problem(plan())).toBeUndefined();
    expect(problem({ name: 'a', fleet: 'f', model: { handle: 'm', s3Url: 's3://b' }, stages: [{ devices: ['d_1'] }] })).toBeUndefined();
  });

  it.each([
    [[], 'the plan must be a mapping with name, fleet, model and stages'],
    [
      { ...plan(), extra: 1 },
      'the plan has unknown key "extra" (allowed: name, fleet, model, state, failureHandlingPolicy, stages, successThreshold, maxFailures)',
    ],
    [{ ...plan(), name: undefined }, 'name must be the deployment name, a non-empty string'],
    [
      { ...plan(), name: 'bad_name' },
      'name "bad_name" does not match the pattern: letters, digits and hyphens; starts and ends with a letter or digit',
    ],
    [{ ...plan(), name: 'x'.repeat(64) }, 'name must be at most 63 characters'],
    [{ ...plan(), fleet: 'has space' }, 'fleet "has space" does not match the pattern'],
    [{ ...plan(), model: 's3://x' }, 'model must be a mapping with handle, s3Url and an optional checksum'],
    [{ ...plan(), model: { handle: 'm', s3Url: 'https://x/y' } }, 'model.s3Url "https://x/y" must start with s3:// and a bucket name'],
    [
      { ...plan(), model: { handle: 'm', s3Url: 's3://b/k', checksum: { type: 'MD5', sum: 'a' } } },
      'model.checksum.type must be SHA1, not "MD5"',
    ],
    [
      { ...plan(), model: { handle: 'm', s3Url: 's3://b/k', checksum: { sum: 'ABC' } } },
      'model.checksum.sum "ABC" must be lower-case letters',
    ],
    [{ ...plan(), state: 'deploy' }, 'state must be DEPLOY or UNDEPLOY, not "deploy"'],
    [{ ...plan(), failureHandlingPolicy: 'ROLLBACK' }, 'failureHandlingPolicy must be ROLLBACK_ON_FAILURE or DO_NOTHING, not "ROLLBACK"'],
    [{ ...plan(), successThreshold: 0 }, 'successThreshold must be a fraction greater than 0 and at most 1'],
    [{ ...plan(), maxFailures: 1.5 }, 'maxFailures must be a fraction from 0 to 1'],
    [{ ...plan(), stages: [] }, 'stages must be a list of at least one stage'],
    [{ ...plan(), stages: Array.from({ length: 51 }, () => ({ percent: 100 })) }, 'stages has 51 stages; a plan may have at most 50'],
    [{ ...plan(), stages: [{ percent: 0 }] }, 'stages[0].percent must be a number greater than 0 and at most 100, not 0'],
    [{ ...plan(), stages: [{ percent: 101 }] }, 'stages[0].percent must be a number greater than 0 and at most 100, not 101'],
    [
      { ...plan(), stages: [{ percent: 50 }, { percent: 10 }] },
      'stages[1].percent (10) is less than stages[0].percent (50); percentages are cumulative',
    ],
    [{ ...plan(), stages: [{ percent: 5, devices: ['a'] }] }, 'stages[0] must have either devices (a list of names) or percent, not both'],
    [{ ...plan(), stages: [{ name: 'x' }] }, 'stages[0] must have either devices (a list of names) or percent, not neither'],
    [{ ...plan(), stages: [{ devices: [] }] }, 'stages[0].devices must be a list of at least one device name'],
    [{ ...plan(), stages: [{ devices: ['ok', 'not ok'] }] }, 'stages[0].devices[1] "not ok" does not match the pattern'],
    [
      { ...plan(), stages: [{ devices: ['a'] }, { devices: ['b', 'a'] }] },
      'stages[1].devices[1] "a" is already in stages[0]; a device belongs to one stage',
    ],
    [
      {
        ...plan(),
        stages: [
          { name: 'canary', percent: 5 },
          { name: 'canary', percent: 9 },
        ],
      },
      'stages[1].name "canary" is also the name of stages[0]',
    ],
    [{ ...plan(), stages: [{ percent: 5, when: 1 }] }, 'stages[0] has unknown key "when" (allowed: name, devices, percent)'],
  ])('%j → %s', (value, sentence) => {
    expect(problem(value)).toContain(sentence);
  });

  it('names the config path when given one', () => {
    expect(deploymentPlanProblem({ ...plan(), stages: [{ percent: 0 }] }, 'deploymentPlans[2]')).toMatch(
      /^deploymentPlans\[2\]\.stages\[0\]\.percent/,
    );
  });

  it('create() throws BAD_INPUT with the sentence, CONFLICT for a name in use or reserved by the config', () => {
    const plans = new DeploymentPlans({ devicesOf: () => [], reservedNames: new Set(['from-config']) });
    const error = (value: unknown) => {
      try {
        plans.create(value);
      } catch (e) {
        return e as DeploymentPlanError;
      }
      throw new Error('no error');
    };
    const invalid = error({ ...plan(), stages: [] });
    expect([invalid.code, invalid.message]).toEqual([
      'BAD_INPUT',
      'The deployment plan is not valid: stages must be a list of at least one stage ({devices: [names]} or {percent: N}); see docs/endpoint.md#deployment-plans.',
    ]);
    plans.create(plan());
    expect(error(plan())).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('A deployment plan named "detector-v2" already exists'),
    });
    expect(error(plan({ name: 'from-config' }))).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('config file already hands out'),
    });
    expect(() => plans.cancel('nope')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });
});

describe('staged progression', () => {
  it('starts stage 1 at creation; its devices reporting SUCCESS start stage 2 at once; the plan succeeds after the last', () => {
    const { plans, report, handed } = setUp(names(10));
    const created = plans.create(plan());
    expect(created).toMatchObject({ status: 'running', source: 'admin', failureHandlingPolicy: 'ROLLBACK_ON_FAILURE', state: 'DEPLOY' });
    expect(created.maxFailures).toBe(0);
    expect(created.stages.map((s) => [s.name, s.status, s.devices])).toEqual([
      ['stage-1', 'active', 1],
      ['stage-2', 'pending', 0],
      ['stage-3', 'pending', 0],
    ]);
    // 10% of 10 devices in name order: cam-01 only.
    expect(handed('cam-01')).toEqual(['detector-v2']);
    expect(handed('cam-02')).toEqual([]);
    report('cam-01', ok());
    let status = plans.get('detector-v2')!;
    expect(status.stages.map((s) => [s.status, s.devices, s.succeeded, s.pending])).toEqual([
      ['succeeded', 1, 1, 0],
      ['active', 4, 0, 4],
      ['pending', 0, 0, 0],
    ]);
    // Cumulative: 50% = 5 devices, of which cam-01 is in stage 1.
    expect(['cam-01', 'cam-02', 'cam-05', 'cam-06'].map(handed)).toEqual([['detector-v2'], ['detector-v2'], ['detector-v2'], []]);
    for (const d of names(5).slice(1)) report(d, ok());
    for (const d of names(10).slice(5)) report(d, ok());
    status = plans.get('detector-v2')!;
    expect(status.status).toBe('succeeded');
    expect(status.stages.map((s) => [s.status, s.devices, s.succeeded])).toEqual([
      ['succeeded', 1, 1],
      ['succeeded', 4, 4],
      ['succeeded', 5, 5],
    ]);
    // A succeeded plan stays handed out (the model stays on the devices) until cancelled.
    expect(handed('cam-10')).toEqual(['detector-v2']);
    expect(plans.cancel('detector-v2').status).toBe('cancelled');
    expect(handed('cam-10')).toEqual([]);
    expect(status.timeline.map((e) => `${e.event}${e.stage ? ` ${e.stage}` : ''}`)).toEqual([
      'plan-created',
      'stage-started stage-1',
      'stage-succeeded stage-1',
      'stage-started stage-2',
      'stage-succeeded stage-2',
      'stage-started stage-3',
      'stage-succeeded stage-3',
      'plan-succeeded',
    ]);
    expect(status.timeline.every((e) => /^\d{4}-\d\d-\d\dT/.test(e.at))).toBe(true);
  });

  it('a failure beyond maxFailures fails the stage and the plan: later stages never start, the plan is no longer handed out', () => {
    const { plans, report, handed } = setUp(names(20));
    plans.create(plan({ stages: [{ percent: 50 }, { percent: 100 }], successThreshold: 0.8, maxFailures: 0.2 }));
    const stage1 = names(10);
    // 2 of 10 failing is within maxFailures (0.2 × 10).
    report(stage1[0], failed());
    report(stage1[1], failed());
    expect(plans.get('detector-v2')!.status).toBe('running');
    report(stage1[2], failed());
    const status = plans.get('detector-v2')!;
    expect(status.status).toBe('failed');
    expect(status.stages.map((s) => [s.status, s.failed, s.devices])).toEqual([
      ['failed', 3, 10],
      ['pending', 0, 0],
    ]);
    expect(status.timeline.slice(-2).map((e) => e.event)).toEqual(['stage-failed', 'plan-failed']);
    expect(handed(stage1[5])).toEqual([]);
    // Later results are recorded but move nothing.
    for (const d of stage1.slice(3)) report(d, ok());
    const after = plans.get('detector-v2')!;
    expect([after.status, after.stages[0].succeeded, after.stages[1].status]).toEqual(['failed', 7, 'pending']);
    expect(plans.cancel('detector-v2').status).toBe('failed');
  });

  it('by default (threshold 1, maxFailures 1 − threshold) any failure stops the plan', () => {
    const { plans, report } = setUp(names(4));
    plans.create(plan({ stages: [{ devices: ['cam-01', 'cam-02'] }, { devices: ['cam-03'] }] }));
    report('cam-01', ok());
    report('cam-02', { DeploymentName: 'detector-v2', DeploymentStatus: 'TIMEOUT' });
    expect(plans.get('detector-v2')!).toMatchObject({ status: 'failed', maxFailures: 0 });
  });

  it('successThreshold 0.8 without maxFailures tolerates 20% failures, so every stage ends once its devices reported', () => {
    const { plans, report } = setUp(names(10));
    const created = plans.create(plan({ stages: [{ percent: 100 }], successThreshold: 0.8 }));
    expect(created.maxFailures).toBe(0.2);
    for (const d of names(10).slice(0, 2)) report(d, failed());
    for (const d of names(10).slice(2)) report(d, ok());
    expect(plans.get('detector-v2')!.status).toBe('succeeded');
  });

  it('a later SUCCESS replaces a FAIL of the same device (latest result per device)', () => {
    const { plans, report } = setUp(names(10));
    plans.create(plan({ stages: [{ percent: 100 }], maxFailures: 0.5 }));
    report('cam-01', failed());
    expect(plans.get('detector-v2')!.stages[0]).toMatchObject({ failed: 1, succeeded: 0, pending: 9 });
    report('cam-01', ok());
    expect(plans.get('detector-v2')!.stages[0]).toMatchObject({ failed: 0, succeeded: 1, pending: 9 });
  });

  it('judges results: any status other than SUCCESS or any model FAIL fails; unknown names, other fleets and devices outside the plan are ignored', () => {
    const { plans, report } = setUp(names(4));
    plans.create(plan({ stages: [{ devices: ['cam-01', 'cam-02', 'cam-03'] }], maxFailures: 1 }));
    report('cam-01', {
      DeploymentName: 'detector-v2',
      DeploymentStatus: 'SUCCESS',
      DeploymentModels: [{ Status: 'FAIL', StatusReason: 'disk full' }],
    });
    report('cam-02', { DeploymentName: 'detector-v2', DeploymentModels: [{ Status: 'SUCCESS' }] });
    report('cam-03', { DeploymentName: 'detector-v2' }); // nothing to judge
    report('cam-04', ok()); // not in the plan
    report('cam-03', ok('another-deployment'));
    plans.recordResult('other-fleet', 'cam-03', ok(), new Date());
    const status = plans.get('detector-v2')!;
    expect(status.stages[0]).toMatchObject({ succeeded: 1, failed: 1, pending: 1 });
    expect(status.results.map((r) => [r.device, r.stage, r.status, r.reason])).toEqual([
      ['cam-02', 'stage-1', 'SUCCESS', undefined],
      ['cam-01', 'stage-1', 'FAIL', 'disk full'],
    ]);
    expect(status.resultCount).toBe(2);
  });

  it('percentages select in device-name order, cumulatively, at least one device per share; name lists are exact', () => {
    const { plans, fleetDevices } = setUp(['zeta', 'alpha', 'mid', 'beta']);
    plans.create(
      plan({ stages: [{ percent: 10 }, { percent: 50 }, { devices: ['beta', 'not-registered-yet'] }, { percent: 100 }], maxFailures: 1 }),
    );
    fleetDevices.warehouse.push('omega');
    const plansWithAll = () => plans.get('detector-v2')!;
    expect(plansWithAll().stages[0].devices).toBe(1);
    expect(plans.deploymentsFor('warehouse', 'alpha')).toHaveLength(1);
    // Succeed stage 1 (alpha); stage 2 = 50% of 5 known now = 3 → beta, mid.
    plans.recordResult('warehouse', 'alpha', ok(), new Date());
    expect(plansWithAll().stages[1].devices).toBe(2);
    expect(['beta', 'mid', 'omega'].map((d) => plans.deploymentsFor('warehouse', d).length)).toEqual([1, 1, 0]);
    plans.recordResult('warehouse', 'beta', ok(), new Date());
    plans.recordResult('warehouse', 'mid', ok(), new Date());
    // Stage 3 lists beta (already in stage 2, so not again) and a device not known yet.
    expect(plansWithAll().stages[2]).toMatchObject({ status: 'active', listed: 2, devices: 1 });
    expect(plans.deploymentsFor('warehouse', 'not-registered-yet')).toHaveLength(1);
    plans.recordResult('warehouse', 'not-registered-yet', ok(), new Date());
    expect(plansWithAll().stages[3]).toMatchObject({ status: 'active', devices: 2 });
    expect(['omega', 'zeta'].map((d) => plans.deploymentsFor('warehouse', d).length)).toEqual([1, 1]);
  });

  it('a stage left with no devices succeeds at once; a percentage stage of an empty fleet waits for its first devices', () => {
    const { plans, fleetDevices, report } = setUp([]);
    plans.create(plan({ stages: [{ percent: 50 }, { percent: 60 }, { percent: 100 }] }));
    expect(plans.get('detector-v2')!.stages[0]).toMatchObject({ status: 'active', waiting: true, devices: 0 });
    plans.devicesAdded('warehouse');
    expect(plans.get('detector-v2')!.stages[0].waiting).toBe(true);
    fleetDevices.warehouse.push('cam-01', 'cam-02');
    plans.devicesAdded('warehouse');
    expect(plans.get('detector-v2')!.stages[0]).toMatchObject({ status: 'active', devices: 1 });
    expect(plans.get('detector-v2')!.stages[0].waiting).toBeUndefined();
    report('cam-01', ok());
    // 60% of 2 = 2 → cam-02; then 100% adds nobody: that stage succeeds at once once stage 2 does.
    report('cam-02', ok());
    const status = plans.get('detector-v2')!;
    expect(status.stages.map((s) => [s.status, s.devices])).toEqual([
      ['succeeded', 1],
      ['succeeded', 1],
      ['succeeded', 0],
    ]);
    expect(status.status).toBe('succeeded');
    expect(status.timeline.map((e) => e.event)).toContain('stage-waiting');
    expect(status.timeline.find((e) => e.stage === 'stage-3' && e.event === 'stage-succeeded')!.message).toBe(
      'Stage stage-3 had no devices to wait for.',
    );
  });

  it('passes DO_NOTHING, UNDEPLOY and the checksum through to the EdgeDeployment; ROLLBACK_ON_FAILURE by default', () => {
    const { plans } = setUp(names(1));
    plans.create(plan({ name: 'undeploy-old', failureHandlingPolicy: 'DO_NOTHING', state: 'UNDEPLOY' }));
    plans.create(plan({ name: 'rollback', model: { handle: 'h', s3Url: 's3://m/h-1.zip' } }));
    expect(plans.deploymentsFor('warehouse', 'cam-01')).toEqual([
      {
        DeploymentName: 'undeploy-old',
        Type: 'Model',
        FailureHandlingPolicy: 'DO_NOTHING',
        Definitions: [
          {
            ModelHandle: 'detector',
            S3Url: 's3://models/detector-2.0.tar.gz',
            Checksum: { Type: 'SHA1', Sum: 'abc123' },
            State: 'UNDEPLOY',
          },
        ],
      },
      {
        DeploymentName: 'rollback',
        Type: 'Model',
        FailureHandlingPolicy: 'ROLLBACK_ON_FAILURE',
        Definitions: [{ ModelHandle: 'h', S3Url: 's3://m/h-1.zip', State: 'DEPLOY' }],
      },
    ]);
  });

  it('cancel stops a running plan: its active stage is cancelled, nothing is handed out, later stages never start', () => {
    const { plans, report, handed } = setUp(names(4));
    plans.create(plan({ stages: [{ percent: 50 }, { percent: 100 }] }));
    const cancelled = plans.cancel('detector-v2');
    expect([cancelled.status, cancelled.stages[0].status, cancelled.timeline.at(-1)!.event]).toEqual([
      'cancelled',
      'cancelled',
      'plan-cancelled',
    ]);
    expect(handed('cam-01')).toEqual([]);
    report('cam-01', ok());
    report('cam-02', ok());
    expect(plans.get('detector-v2')!.stages[1].status).toBe('pending');
  });

  it('keeps the status bounded: at most 1,000 results (newest first) and the latest result per device', () => {
    const devices = names(1500, 'dev');
    const { plans, report } = setUp(devices);
    plans.create(plan({ stages: [{ percent: 100 }], maxFailures: 1 }));
    for (const d of devices) report(d, ok());
    report('dev-01', failed());
    const status = plans.get('detector-v2')!;
    expect(status.resultCount).toBe(1500);
    expect(status.results).toHaveLength(1000);
    expect(status.results[0]).toMatchObject({ device: 'dev-01', status: 'FAIL', reason: 'checksum mismatch' });
  });
});

describe('plans in the registry and the config file', () => {
  const config = parseEndpointConfig(`
devices:
  - { name: gate-1, fleet: east }
  - { name: gate-2, fleet: east }
fleets:
  - name: east
    deployments:
      - { DeploymentName: static-one, Type: Model, Definitions: [] }
deploymentPlans:
  - name: rollout
    fleet: east
    model: { handle: detector, s3Url: "s3://models/detector-v3.tar.gz" }
    stages: [{ devices: [gate-1] }, { percent: 100 }]
`);

  it('GetDeployments hands out the config deployments, then the plans; heartbeats move plans on; reset re-creates config plans only', () => {
    const registry = new DeviceRegistry({ config, autoRegister: true });
    expect(registry.deployments('east', 'gate-1').map((d) => d.DeploymentName)).toEqual(['static-one', 'rollout']);
    expect(registry.deployments('east', 'gate-2').map((d) => d.DeploymentName)).toEqual(['static-one']);
    registry.plans.create(plan({ name: 'runtime', fleet: 'east', stages: [{ percent: 100 }] }));
    registry.recordHeartbeat(
      { AgentVersion: '1', DeviceName: 'gate-1', DeviceFleetName: 'east', DeploymentResult: ok('rollout') },
      new Date(),
    );
    expect(registry.get('east', 'gate-1')!.lastDeploymentResult?.DeploymentName).toBe('rollout');
    expect(registry.deployments('east', 'gate-2').map((d) => d.DeploymentName)).toEqual(['static-one', 'rollout', 'runtime']);
    expect(registry.plans.list().map((p) => [p.name, p.source])).toEqual([
      ['rollout', 'config'],
      ['runtime', 'admin'],
    ]);
    registry.reset();
    expect(registry.plans.list().map((p) => [p.name, p.status, p.stages[0].status])).toEqual([['rollout', 'running', 'active']]);
    expect(() => registry.plans.create(plan({ name: 'static-one' }))).toThrow(/config file already hands out/);
  });

  it('refuses bad plans in the config file with the member named', () => {
    const bad = (plans: string) => () => parseEndpointConfig(`deploymentPlans:\n${plans}`, 'fleet.yaml');
    expect(bad('  - { name: a, fleet: f, model: { handle: m, s3Url: "s3://b/k" }, stages: [{ percent: 0 }] }')).toThrow(
      'fleet.yaml: deploymentPlans[0].stages[0].percent must be a number greater than 0 and at most 100, not 0; see docs/endpoint.md for the format.',
    );
    const one = '{ name: a, fleet: f, model: { handle: m, s3Url: "s3://b/k" }, stages: [{ percent: 5 }] }';
    expect(bad(`  - ${one}\n  - ${one}`)).toThrow(/deploymentPlans\[1\]\.name "a" is also the name of deploymentPlans\[0\]/);
    expect(() => parseEndpointConfig(`fleets: [{ name: f, deployments: [{ DeploymentName: a }] }]\ndeploymentPlans: [${one}]`)).toThrow(
      /deploymentPlans\[0\]\.name "a" is also a DeploymentName under fleets or devices/,
    );
    expect(bad('  oops: 1')).toThrow(/deploymentPlans must be a list/);
  });

  it('the config plans start over the devices restored from the state file', () => {
    const pct = parseEndpointConfig(
      `deploymentPlans: [{ name: p, fleet: west, model: { handle: m, s3Url: "s3://b/m-1.tgz" }, stages: [{ percent: 100 }] }]`,
    );
    const registry = new DeviceRegistry({ config: pct, autoRegister: true });
    expect(registry.plans.get('p')!.stages[0].waiting).toBe(true);
    registry.restore([
      {
        ...registry.snapshot()[0],
        deviceName: 'w-1',
        deviceFleetName: 'west',
        source: 'heartbeat',
        registration: 'REGISTERED',
        agentMetrics: [],
        models: [],
        counts: { heartbeats: 1, registrationChecks: 0, deploymentChecks: 0 },
      },
    ]);
    expect(registry.plans.get('p')!.stages[0]).toMatchObject({ devices: 1, status: 'active' });
  });
});

describe('the simulated device convention for a definition model version', () => {
  it.each([
    ['s3://models/pallet-detector-2.5.tar.gz', '2.5'],
    ['s3://models/detector-v3.tgz', '3'],
    ['s3://models/resnet-50-v7.zip', '7'],
    ['s3://models/v/detector.tar.gz', 'detector'],
    ['s3://models/detector-x.tar.gz', 'detector-x'],
    ['s3://models/a/b/model-2024-01/', '01'],
  ])('%s → %s', (url, version) => {
    expect(modelVersionOfS3Url(url)).toBe(version);
  });
});
