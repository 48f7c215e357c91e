/** Over real HTTP: deployment plans through the admin API, signed GetDeployments and heartbeats moving them on, the fleet report, POST /__admin/devices. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEndpoint, type DeploymentPlanStatus, type FleetReport, type RunningEndpoint } from '../../../src/node/endpoint/index.ts';
import { rawRequest, sendSigned } from './helpers.ts';

let ep: RunningEndpoint;
beforeAll(async () => {
  ep = await startEndpoint({ autoRegister: false, adminToken: 'plans-token' });
});
afterAll(() => ep.close());

const admin = (method: string, path: string, body?: unknown) =>
  rawRequest(ep.url, {
    method,
    path,
    headers: { authorization: 'Bearer plans-token', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });

const deploymentsOf = async (device: string, fleet = 'dock') => {
  const answer = await sendSigned(ep.url, { operation: 'GetDeployments', body: { DeviceName: device, DeviceFleetName: fleet } });
  expect(answer.status).toBe(200);
  return answer.json().Deployments as { DeploymentName: string; FailureHandlingPolicy: string; Definitions: unknown[] }[];
};

const heartbeat = (device: string, body: Record<string, unknown> = {}, fleet = 'dock') =>
  sendSigned(ep.url, { body: { AgentVersion: '2.1', DeviceName: device, DeviceFleetName: fleet, ...body } });

const PLAN = {
  name: 'pallet-detector-2-5',
  fleet: 'dock',
  model: { handle: 'pallet-detector', s3Url: 's3://models/pallet-detector-2.5.tar.gz', checksum: { type: 'SHA1', sum: 'f00d' } },
  failureHandlingPolicy: 'DO_NOTHING',
  stages: [{ name: 'canary', devices: ['dock-01'] }, { percent: 100 }],
};

describe('deployment plans over the admin API and the operations', () => {
  it('registers devices with POST /__admin/devices (idempotent), even without auto-registration', async () => {
    const devices = ['dock-01', 'dock-02', 'dock-03'].map((name) => ({ name, fleet: 'dock' }));
    const first = await admin('POST', '/__admin/devices', { devices });
    expect([first.status, first.json()]).toEqual([200, { registered: 3, known: 0, refused: 0 }]);
    const again = await admin('POST', '/__admin/devices', { devices });
    expect(again.json()).toEqual({ registered: 0, known: 3, refused: 0 });
    const bad = await admin('POST', '/__admin/devices', { devices: [{ name: 'has space', fleet: 'dock' }] });
    expect([bad.status, bad.json().message]).toEqual([
      400,
      expect.stringMatching(/^devices\[0\]\.name "has space" does not match the pattern/),
    ]);
    expect((await admin('POST', '/__admin/devices', { device: [] })).status).toBe(400);
    expect((await admin('POST', '/__admin/devices', '{"devices": [')).status).toBe(400);
    expect((await admin('PUT', '/__admin/devices', {})).status).toBe(405);
    const registration = await sendSigned(ep.url, {
      operation: 'GetDeviceRegistration',
      body: { DeviceName: 'dock-02', DeviceFleetName: 'dock' },
    });
    expect(registration.json().DeviceRegistration).toBe('REGISTERED');
    expect(ep.admin.device('dock', 'dock-02')!.source).toBe('admin');
  });

  it('creates a plan (201), refuses an invalid one (400, the member named) and a duplicate name (409)', async () => {
    const created = await admin('POST', '/__admin/deployments', PLAN);
    expect(created.status).toBe(201);
    const status = created.json() as unknown as DeploymentPlanStatus;
    expect(status).toMatchObject({ name: PLAN.name, status: 'running', failureHandlingPolicy: 'DO_NOTHING', source: 'admin' });
    expect(status.stages.map((s) => [s.name, s.status, s.devices])).toEqual([
      ['canary', 'active', 1],
      ['stage-2', 'pending', 0],
    ]);
    const invalid = await admin('POST', '/__admin/deployments', { ...PLAN, name: 'other', stages: [{ percent: 150 }] });
    expect([invalid.status, invalid.json().message]).toEqual([
      400,
      'The deployment plan is not valid: stages[0].percent must be a number greater than 0 and at most 100, not 150; see docs/endpoint.md#deployment-plans.',
    ]);
    const duplicate = await admin('POST', '/__admin/deployments', PLAN);
    expect([duplicate.status, duplicate.json().message]).toEqual([409, expect.stringContaining('already exists')]);
    expect((await admin('POST', '/__admin/deployments', 'nope')).status).toBe(400);
  });

  it("hands the canary its stage's deployment (signed GetDeployments); its heartbeat's SUCCESS starts the next stage", async () => {
    const [deployment] = await deploymentsOf('dock-01');
    expect(deployment).toEqual({
      DeploymentName: 'pallet-detector-2-5',
      Type: 'Model',
      FailureHandlingPolicy: 'DO_NOTHING',
      Definitions: [
        {
          ModelHandle: 'pallet-detector',
          S3Url: 's3://models/pallet-detector-2.5.tar.gz',
          Checksum: { Type: 'SHA1', Sum: 'f00d' },
          State: 'DEPLOY',
        },
      ],
    });
    expect(await deploymentsOf('dock-02')).toEqual([]);
    const beat = await heartbeat('dock-01', {
      Models: [
        { ModelName: 'pallet-detector', ModelVersion: '2.5', LatestSampleTime: Date.now() / 1000, LatestInference: Date.now() / 1000 },
      ],
      DeploymentResult: {
        DeploymentName: 'pallet-detector-2-5',
        DeploymentStatus: 'SUCCESS',
        DeploymentModels: [{ ModelHandle: 'pallet-detector', ModelName: 'pallet-detector', ModelVersion: '2.5', Status: 'SUCCESS' }],
      },
    });
    expect(beat.status).toBe(200);
    const plan = (await admin('GET', '/__admin/deployments/pallet-detector-2-5')).json() as unknown as DeploymentPlanStatus;
    expect(plan.stages.map((s) => [s.status, s.devices, s.succeeded])).toEqual([
      ['succeeded', 1, 1],
      ['active', 2, 0],
    ]);
    expect(plan.results).toEqual([{ device: 'dock-01', stage: 'canary', status: 'SUCCESS', at: expect.any(String) }]);
    expect((await deploymentsOf('dock-03')).map((d) => d.DeploymentName)).toEqual(['pallet-detector-2-5']);
    const list = (await admin('GET', '/__admin/deployments')).json() as { plans: DeploymentPlanStatus[] };
    expect(list.plans.map((p) => p.name)).toEqual(['pallet-detector-2-5']);
    expect((await admin('GET', '/__admin/deployments/nope')).status).toBe(404);
  });

  it('a FAIL stops the plan: it is no longer handed out; cancel of another plan; the fleet report', async () => {
    await heartbeat('dock-02', {
      DeploymentResult: { DeploymentName: 'pallet-detector-2-5', DeploymentStatus: 'FAIL', DeploymentStatusMessage: 'no space' },
    });
    const plan = (await admin('GET', '/__admin/deployments/pallet-detector-2-5')).json() as unknown as DeploymentPlanStatus;
    expect([plan.status, plan.stages[1].status]).toEqual(['failed', 'failed']);
    expect(plan.results[0]).toMatchObject({ device: 'dock-02', status: 'FAIL', reason: 'no space' });
    expect(await deploymentsOf('dock-01')).toEqual([]);

    expect((await admin('POST', '/__admin/deployments', { ...PLAN, name: 'second', stages: [{ percent: 100 }] })).status).toBe(201);
    expect((await deploymentsOf('dock-03')).map((d) => d.DeploymentName)).toEqual(['second']);
    const cancelled = await admin('POST', '/__admin/deployments/second/cancel');
    expect([cancelled.status, cancelled.json().status]).toEqual([200, 'cancelled']);
    expect(await deploymentsOf('dock-03')).toEqual([]);
    expect((await admin('POST', '/__admin/deployments/nope/cancel')).status).toBe(404);
    expect((await admin('GET', '/__admin/deployments/second/cancel')).status).toBe(405);

    const report = (await admin('GET', '/__admin/fleet-report?fleet=dock&limit=2')).json() as unknown as FleetReport;
    expect(report.fleets).toEqual([
      {
        name: 'dock',
        devices: { total: 3, connected: 2, offline: 1 },
        agentVersions: [{ version: '2.1', count: 2 }],
        models: [{ name: 'pallet-detector', version: '2.5', devices: 1, connected: 1, offline: 0, active: 1, sampling: 1 }],
        metrics: [],
      },
    ]);
    expect(report.devices.map((d) => [d.deviceName, d.connected, d.lastDeploymentResult?.DeploymentStatus])).toEqual([
      ['dock-01', true, 'SUCCESS'],
      ['dock-02', true, 'FAIL'],
    ]);
    expect(report.devicesTotal).toBe(3);
    expect((await admin('GET', '/__admin/fleet-report?limit=-1')).status).toBe(400);
    expect((await admin('GET', '/__admin/fleet-report')).json().fleets).toHaveLength(1);
  });

  it('takes 100,000 devices in one POST /__admin/devices (up to the registry cap)', async () => {
    const devices = Array.from({ length: 100_000 }, (_, i) => ({ name: `bulk-${i}`, fleet: 'bulk-fleet' }));
    const answer = await admin('POST', '/__admin/devices', { devices });
    expect(answer.status).toBe(200);
    expect(answer.json()).toEqual({ registered: 10_000 - 3, known: 0, refused: 100_000 - (10_000 - 3) });
  });

  it('reset forgets the plans created at run time', async () => {
    expect((await admin('POST', '/__admin/reset')).status).toBe(200);
    expect((await admin('GET', '/__admin/deployments')).json()).toEqual({ plans: [] });
  });
});
