/** The AWS CLI (Debian's awscli; CI installs it) against the embedded endpoint. */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS } from '../../../src/common/demo.ts';
import { startEndpoint, type RunningEndpoint } from '../../../src/node/endpoint/index.ts';

const AWS = '/usr/bin/aws';
const hasAws = existsSync(AWS);
if (!hasAws) console.warn(`Skipping the AWS CLI tests: ${AWS} is missing (install it with "apt-get install -y awscli").`);

let endpoint: RunningEndpoint;

function aws(args: string[], secret: string = DEMO_CREDENTIALS.secretAccessKey): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    AWS_ACCESS_KEY_ID: DEMO_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: secret,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_PAGER: '',
  };
  return new Promise((resolve) => {
    execFile(
      AWS,
      ['sagemaker-edge', ...args, '--endpoint-url', endpoint.url, '--region', 'us-east-1'],
      { env, timeout: 60_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
      },
    );
  });
}

const DEVICE = ['--device-name', 'cam-cli', '--device-fleet-name', 'fleet-cli'];

describe.skipIf(!hasAws)('aws sagemaker-edge against the endpoint', () => {
  beforeAll(async () => {
    endpoint = await startEndpoint();
  });
  afterAll(() => endpoint?.close());

  it('send-heartbeat exits 0 and the endpoint records the device; get-device-registration prints it', async () => {
    const sent = await aws([
      'send-heartbeat',
      '--agent-version',
      '1.0',
      ...DEVICE,
      '--models',
      'ModelName=detector,ModelVersion=2,LatestInference=1763797701',
    ]);
    expect(sent.stderr).toBe('');
    expect(sent.code).toBe(0);
    expect(endpoint.admin.device('fleet-cli', 'cam-cli')).toMatchObject({
      agentVersion: '1.0',
      models: [{ modelName: 'detector', latestInference: 1763797701 }],
    });
    const registration = await aws(['get-device-registration', ...DEVICE]);
    expect(registration.code).toBe(0);
    expect(JSON.parse(registration.stdout)).toEqual({ DeviceRegistration: 'REGISTERED', CacheTTL: '3600' });
  });

  it('a wrong secret fails with an error naming InvalidSignatureException', async () => {
    const result = await aws(['send-heartbeat', '--agent-version', '1.0', ...DEVICE], 'wrong-secret');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(
      /\(InvalidSignatureException\) when calling the SendHeartbeat operation: The request signature we calculated does not match/,
    );
  });
});
