/** The real AWS SDK client against the embedded endpoint: it must behave like the AWS service. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  GetDeploymentsCommand,
  GetDeviceRegistrationCommand,
  InternalServiceException,
  SagemakerEdgeClient,
  SendHeartbeatCommand,
} from '@aws-sdk/client-sagemaker-edge';
import { DEMO_CREDENTIALS, DEMO_REGION } from '../../../src/common/demo.ts';
import { startEndpoint, type RunningEndpoint } from '../../../src/node/endpoint/index.ts';
import { HEARTBEAT as WIRE } from './helpers.ts';

// The SDK takes Date objects for timestamps and writes epoch seconds on the wire.
const at = (seconds: number) => new Date(seconds * 1000);
const HEARTBEAT = {
  ...WIRE,
  AgentMetrics: WIRE.AgentMetrics.map((m) => ({ ...m, Timestamp: at(m.Timestamp) })),
  Models: WIRE.Models.map((m) => ({
    ...m,
    LatestSampleTime: at(m.LatestSampleTime),
    LatestInference: at(m.LatestInference),
    ModelMetrics: m.ModelMetrics.map((x) => ({ ...x, Timestamp: at(x.Timestamp) })),
  })),
};

const DEPLOYMENT = {
  DeploymentName: 'detector-v2',
  Type: 'Model' as const,
  FailureHandlingPolicy: 'ROLLBACK_ON_FAILURE' as const,
  Definitions: [
    {
      ModelHandle: 'detector',
      S3Url: 's3://models/detector-v2.tar.gz',
      Checksum: { Type: 'SHA1' as const, Sum: 'abc123' },
      State: 'DEPLOY' as const,
    },
  ],
};

let endpoint: RunningEndpoint;

function client(options: { secret?: string; systemClockOffset?: number; maxAttempts?: number } = {}): SagemakerEdgeClient {
  return new SagemakerEdgeClient({
    endpoint: endpoint.url,
    region: DEMO_REGION,
    credentials: { accessKeyId: DEMO_CREDENTIALS.accessKeyId, secretAccessKey: options.secret ?? DEMO_CREDENTIALS.secretAccessKey },
    ...(options.systemClockOffset !== undefined ? { systemClockOffset: options.systemClockOffset } : {}),
    ...(options.maxAttempts !== undefined ? { maxAttempts: options.maxAttempts } : {}),
  });
}

beforeAll(async () => {
  endpoint = await startEndpoint({
    config: {
      cacheTTL: '600',
      fleets: [{ name: 'warehouse-east', deployments: [DEPLOYMENT] }],
      devices: [{ name: 'gate-1', fleet: 'warehouse-east' }],
    },
  });
});
afterAll(() => endpoint.close());
beforeEach(() => endpoint.admin.reset());

describe('@aws-sdk/client-sagemaker-edge against the endpoint', () => {
  it('sends a heartbeat: 200, empty output, and the device is registered with its models', async () => {
    const out = await client().send(new SendHeartbeatCommand(HEARTBEAT));
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(out.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const device = endpoint.admin.device('warehouse-east', 'camera-017');
    expect(device?.agentVersion).toBe('1.2.3');
    expect(device?.models[0]).toMatchObject({
      modelName: 'resnet-50',
      modelVersion: '3',
      metrics: [{ metricName: 'latency-ms', value: 8.1 }],
    });
  });

  it('gets the registration of a configured device and of auto-registered ones (by asking, or by a heartbeat)', async () => {
    const c = client();
    const configured = await c.send(new GetDeviceRegistrationCommand({ DeviceName: 'gate-1', DeviceFleetName: 'warehouse-east' }));
    expect(configured).toMatchObject({ DeviceRegistration: 'REGISTERED', CacheTTL: '600' });
    // Auto-registration (the default): a device asking before its first heartbeat is registered by asking.
    const asking = await c.send(new GetDeviceRegistrationCommand({ DeviceName: 'camera-asks-first', DeviceFleetName: 'warehouse-east' }));
    expect(asking.DeviceRegistration).toBe('REGISTERED');
    await c.send(new SendHeartbeatCommand(HEARTBEAT));
    const registered = await c.send(new GetDeviceRegistrationCommand({ DeviceName: 'camera-017', DeviceFleetName: 'warehouse-east' }));
    expect(registered.DeviceRegistration).toBe('REGISTERED');
  });

  it('gets the fleet deployments, parsed into the model shape', async () => {
    const out = await client().send(new GetDeploymentsCommand({ DeviceName: 'gate-1', DeviceFleetName: 'warehouse-east' }));
    expect(out.Deployments).toEqual([DEPLOYMENT]);
    const none = await client().send(new GetDeploymentsCommand({ DeviceName: 'nobody', DeviceFleetName: 'warehouse-east' }));
    expect(none.Deployments).toEqual([]);
  });

  it('a wrong secret makes the SDK throw InvalidSignatureException', async () => {
    const error = await client({ secret: 'not-the-secret' })
      .send(new SendHeartbeatCommand(HEARTBEAT))
      .catch((e: unknown) => e as Error & { $metadata: { httpStatusCode: number } });
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: 'InvalidSignatureException', $metadata: { httpStatusCode: 403 } });
    expect((error as Error).message).toMatch(/signature we calculated does not match/);
    expect(endpoint.admin.devices().some((d) => d.deviceName === 'camera-017')).toBe(false);
  });

  it('a clock 10 minutes ahead gets the skew error (one attempt)', async () => {
    const error = (await client({ systemClockOffset: 10 * 60_000, maxAttempts: 1 })
      .send(new SendHeartbeatCommand(HEARTBEAT))
      .catch((e: unknown) => e)) as Error;
    expect(error.name).toBe('InvalidSignatureException');
    expect(error.message).toMatch(/^Signature not yet current: \d{8}T\d{6}Z is still later than \d{8}T\d{6}Z \(\d{8}T\d{6}Z \+ 5 min\.\)$/);
    const behind = (await client({ systemClockOffset: -10 * 60_000, maxAttempts: 1 })
      .send(new SendHeartbeatCommand(HEARTBEAT))
      .catch((e: unknown) => e)) as Error;
    expect(behind.message).toMatch(/^Signature expired: /);
  });

  it("with retries, the SDK corrects its clock from the endpoint's Date header and succeeds", async () => {
    const c = client({ systemClockOffset: 10 * 60_000 });
    const out = await c.send(new SendHeartbeatCommand(HEARTBEAT));
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(out.$metadata.attempts).toBe(2);
    expect(Math.abs(c.config.systemClockOffset ?? 0)).toBeLessThan(60_000);
  });

  it('injected faults: the SDK retries throttling and 500s; the heartbeat is recorded once', async () => {
    endpoint.admin.setFaults({ failEveryNth: 2, errorType: 'ThrottlingException', retryAfterSeconds: 0 });
    await client().send(new SendHeartbeatCommand(HEARTBEAT)); // request 1 passes
    const retried = await client().send(new SendHeartbeatCommand(HEARTBEAT)); // 2 throttled, 3 passes
    expect(retried.$metadata.attempts).toBe(2);
    expect(endpoint.admin.device('warehouse-east', 'camera-017')?.counts.heartbeats).toBe(2);
    expect(endpoint.admin.stats().rejectedByReason).toEqual({ ThrottlingException: 1 });

    endpoint.admin.setFaults({ errorRate: 1, errorType: 'InternalServiceException' });
    const error = (await client({ maxAttempts: 2 })
      .send(new SendHeartbeatCommand(HEARTBEAT))
      .catch((e: unknown) => e)) as InternalServiceException;
    expect(error).toBeInstanceOf(InternalServiceException);
    expect(error.message).toMatch(/internal error/); // the SDK moves the modelled `Message` to `message`
    expect(error.$metadata.attempts).toBe(2);
  });

  it('an invalid heartbeat is rejected before it reaches the service with the SDK-visible ValidationException', async () => {
    const error = (await client()
      .send(new SendHeartbeatCommand({ ...HEARTBEAT, DeviceName: 'bad name!' }))
      .catch((e: unknown) => e)) as Error & { $metadata: { httpStatusCode: number } };
    expect(error.name).toBe('ValidationException');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.message).toBe(
      "1 validation error detected: Value 'bad name!' at 'deviceName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9](-*_*[a-zA-Z0-9])*$",
    );
  });
});
