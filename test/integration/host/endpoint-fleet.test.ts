/**
 * The endpoint group's fleet methods of HeartbeatApi (deploymentPlans, createDeploymentPlan,
 * cancelDeploymentPlan, fleetReport) through the in-process host and the loopback HTTP host, against
 * the real embedded endpoint: a plan created through the API is handed to a device that asks (signed),
 * and its heartbeat shows in the fleet report.
 */
import { beforeAll, expect, it } from 'vitest';
import type { DeploymentPlan, HeartbeatApi } from '../../../src/common/api.ts';
import type { HostFixture } from '../../contract/host-fixture.ts';
import { describeOnHosts } from './on-hosts.ts';
import { sendSigned } from '../endpoint/helpers.ts';

const plan = (name: string): DeploymentPlan => ({
  name,
  fleet: 'api-fleet',
  model: { handle: 'counter', s3Url: 's3://models/counter-v4.tgz' },
  stages: [{ devices: ['api-dev-1'] }, { percent: 100 }],
});

describeOnHosts('HeartbeatApi endpoint fleet methods', (host) => {
  let fixture: HostFixture;
  let api: HeartbeatApi;
  beforeAll(() => {
    ({ fixture, api } = host());
  });

  it('creates, lists and cancels plans; a device asking gets its stage deployment; the fleet report counts it', async () => {
    const endpoint = fixture.services.endpoint;
    endpoint.admin.registerDevices([
      { name: 'api-dev-1', fleet: 'api-fleet' },
      { name: 'api-dev-2', fleet: 'api-fleet' },
    ]);
    const created = await api.endpoint.createDeploymentPlan(plan('counter-4'));
    expect(created).toMatchObject({ name: 'counter-4', status: 'running', failureHandlingPolicy: 'ROLLBACK_ON_FAILURE' });
    expect(created.stages.map((s) => s.status)).toEqual(['active', 'pending']);
    expect((await api.endpoint.deploymentPlans()).map((p) => p.name)).toEqual(['counter-4']);

    const asked = await sendSigned(endpoint.url, {
      operation: 'GetDeployments',
      body: { DeviceName: 'api-dev-1', DeviceFleetName: 'api-fleet' },
    });
    expect((asked.json().Deployments as { DeploymentName: string }[]).map((d) => d.DeploymentName)).toEqual(['counter-4']);
    const now = Date.now() / 1000;
    await sendSigned(endpoint.url, {
      body: {
        AgentVersion: '1.4',
        DeviceName: 'api-dev-1',
        DeviceFleetName: 'api-fleet',
        Models: [{ ModelName: 'counter', ModelVersion: '4', LatestSampleTime: now, LatestInference: now }],
        DeploymentResult: { DeploymentName: 'counter-4', DeploymentStatus: 'SUCCESS' },
      },
    });
    const [moved] = await api.endpoint.deploymentPlans();
    expect(moved.stages.map((s) => [s.status, s.devices])).toEqual([
      ['succeeded', 1],
      ['active', 1],
    ]);

    const report = await api.endpoint.fleetReport({ fleet: 'api-fleet', limit: 1 });
    expect(report.fleets).toEqual([
      {
        name: 'api-fleet',
        devices: { total: 2, connected: 1, offline: 1 },
        agentVersions: [{ version: '1.4', count: 1 }],
        models: [{ name: 'counter', version: '4', devices: 1, connected: 1, offline: 0, active: 1, sampling: 1 }],
        metrics: [],
      },
    ]);
    expect(report.devices.map((d) => [d.deviceName, d.connected, d.lastDeploymentResult?.DeploymentName])).toEqual([
      ['api-dev-1', true, 'counter-4'],
    ]);
    expect((await api.endpoint.fleetReport()).devicesTotal).toBeGreaterThanOrEqual(2);

    expect((await api.endpoint.cancelDeploymentPlan('counter-4')).status).toBe('cancelled');
    const after = await sendSigned(endpoint.url, {
      operation: 'GetDeployments',
      body: { DeviceName: 'api-dev-1', DeviceFleetName: 'api-fleet' },
    });
    expect(after.json().Deployments).toEqual([]);
    const reset = await api.endpoint.reset();
    expect(reset.counts.devices).toBe(0);
    expect(await api.endpoint.deploymentPlans()).toEqual([]);
  });

  it('rejects with one sentence: an invalid plan, a name in use, an unknown plan, bad arguments', async () => {
    await expect(api.endpoint.createDeploymentPlan({ ...plan('bad'), stages: [] })).rejects.toThrow(
      'The deployment plan is not valid: stages must be a list of at least one stage ({devices: [names]} or {percent: N}); see docs/endpoint.md#deployment-plans.',
    );
    await api.endpoint.createDeploymentPlan(plan('taken'));
    await expect(api.endpoint.createDeploymentPlan(plan('taken'))).rejects.toThrow(/A deployment plan named "taken" already exists/);
    await expect(api.endpoint.cancelDeploymentPlan('nope')).rejects.toThrow(
      'There is no deployment plan named "nope"; list them with GET /__admin/deployments.',
    );
    await expect(api.endpoint.fleetReport({ limit: -1 })).rejects.toThrow(/options\.limit must be a whole number/);
    await expect(api.endpoint.fleetReport({ fleet: 'f', extra: 1 } as never)).rejects.toThrow(/unknown field "extra"/);
    await expect(api.endpoint.createDeploymentPlan('plan' as never)).rejects.toThrow(/plan must be an object/);
  });
});
