import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { describeCredentials, resolveCredentials } from '../../../src/node/credentials/credentials.ts';
import { listProfiles, resolveRegion } from '../../../src/node/credentials/profiles.ts';
import { SkewClock } from '../../../src/node/engine/clock.ts';
import { diagnose403 } from '../../../src/node/engine/outcome.ts';
import { readPayloads } from '../../../src/node/engine/payloads.ts';
import { backoffMs, classifyFailure, retryAfterMs, RetryQuota } from '../../../src/node/engine/retry.ts';
import { createRewriter } from '../../../src/node/engine/rewrite.ts';
import { resolveTarget } from '../../../src/node/targets/target.ts';

const saved = { ...process.env };
afterEach(() => {
  for (const key of ['AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_PROFILE', 'AWS_REGION', 'AWS_DEFAULT_REGION']) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
});

function awsFiles(config: string, credentials: string): void {
  const d = mkdtempSync(join(tmpdir(), 'hb-aws-'));
  writeFileSync(join(d, 'config'), config);
  writeFileSync(join(d, 'credentials'), credentials);
  process.env.AWS_CONFIG_FILE = join(d, 'config');
  process.env.AWS_SHARED_CREDENTIALS_FILE = join(d, 'credentials');
}

describe('retry rules (AWS standard mode)', () => {
  it('classifies failures as the SDK does', () => {
    expect(classifyFailure({ kind: 'service', status: 429, errorType: 'Anything', clockSkewCorrected: false })).toBe('throttling');
    expect(classifyFailure({ kind: 'service', status: 400, errorType: 'ThrottlingException', clockSkewCorrected: false })).toBe(
      'throttling',
    );
    for (const status of [500, 502, 503, 504])
      expect(classifyFailure({ kind: 'service', status, errorType: 'X', clockSkewCorrected: false })).toBe('transient');
    for (const status of [400, 401, 403, 404, 409, 413])
      expect(classifyFailure({ kind: 'service', status, errorType: 'X', clockSkewCorrected: false })).toBe('none');
    expect(classifyFailure({ kind: 'service', status: 403, errorType: 'InvalidSignatureException', clockSkewCorrected: true })).toBe(
      'clock-skew',
    );
    expect(classifyFailure({ kind: 'transport', code: 'timeout' })).toBe('timeout');
    for (const code of ['refused', 'reset', 'dns'] as const) expect(classifyFailure({ kind: 'transport', code })).toBe('transient');
    for (const code of ['tls', 'aborted', 'other'] as const) expect(classifyFailure({ kind: 'transport', code })).toBe('none');
  });

  it('full jitter, capped at 20 s', () => {
    expect(backoffMs(1, 'transient', () => 1)).toBe(100);
    expect(backoffMs(3, 'transient', () => 1)).toBe(400);
    expect(backoffMs(1, 'throttling', () => 1)).toBe(500);
    expect(backoffMs(20, 'throttling', () => 1)).toBe(20_000);
    expect(backoffMs(5, 'transient', () => 0)).toBe(0);
  });

  it('reads Retry-After in seconds or as an HTTP date', () => {
    expect(retryAfterMs('2', 0)).toBe(2000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(retryAfterMs('3600', 0)).toBe(20_000);
    expect(retryAfterMs('soon', 0)).toBeUndefined();
  });

  it('the retry quota runs dry under a storm and refills on success', () => {
    const quota = new RetryQuota();
    let granted = 0;
    while (quota.acquire('transient') !== undefined && granted < 1000) granted++;
    expect(granted).toBe(100);
    quota.release(5);
    expect(quota.acquire('timeout')).toBeUndefined();
    expect(quota.acquire('transient')).toBe(5);
  });

  it('clock skew: corrects only at 5 minutes or more', () => {
    const clock = new SkewClock(() => Date.parse('2024-01-01T00:00:00Z'));
    expect(clock.observe('Mon, 01 Jan 2024 00:04:00 GMT')).toBe(false);
    expect(clock.observe('Mon, 01 Jan 2024 01:00:00 GMT')).toBe(true);
    expect(clock.offsetMs).toBe(3600_000);
    expect(clock.now()).toBe(Date.parse('2024-01-01T01:00:00Z'));
  });
});

describe('403 diagnosis', () => {
  const context = { region: 'us-east-1', service: 'sagemaker', host: 'edge.sagemaker.us-east-1.amazonaws.com', accessKeyIdLast4: 'ABCD' };
  it('names clock skew with its size and direction', () => {
    expect(
      diagnose403(
        { errorType: 'InvalidSignatureException', message: 'Signature expired: 20240101T000000Z is now earlier than ...' },
        { ...context, skewMs: -7 * 60_000 },
      ),
    ).toMatch(/7\.0 minutes behind the server's/);
  });
  it('names a region mismatch, a wrong service and an unknown key', () => {
    expect(
      diagnose403(
        { errorType: 'InvalidSignatureException', message: 'Credential should be scoped to a valid region.' },
        { ...context, host: 'edge.sagemaker.eu-west-1.amazonaws.com' },
      ),
    ).toMatch(/signed for region us-east-1 but sent to eu-west-1/);
    expect(
      diagnose403(
        { errorType: 'InvalidSignatureException', message: "Credential should be scoped to correct service: 'sagemaker'." },
        { ...context, service: 'sagemaker-edge' },
      ),
    ).toMatch(/signing name "sagemaker"/);
    expect(
      diagnose403({ errorType: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' }, context),
    ).toMatch(/ending in ABCD/);
    expect(
      diagnose403(
        {
          errorType: 'InvalidSignatureException',
          message: 'The request signature we calculated does not match the signature you provided.',
        },
        context,
      ),
    ).toMatch(/secret key .* probably wrong/);
  });
});

describe('targets', () => {
  it('resolves regional, FIPS and dual-stack endpoints from the rule set', () => {
    expect(resolveTarget({ kind: 'region', region: 'eu-west-1' }).url).toBe('https://edge.sagemaker.eu-west-1.amazonaws.com');
    expect(resolveTarget({ kind: 'region', region: 'us-east-1', fips: true }).url).toBe(
      'https://edge.sagemaker-fips.us-east-1.amazonaws.com',
    );
    expect(resolveTarget({ kind: 'region', region: 'us-east-1', dualStack: true }).url).toBe('https://edge.sagemaker.us-east-1.api.aws');
    expect(resolveTarget({ kind: 'region', region: 'cn-north-1' }).url).toBe('https://edge.sagemaker.cn-north-1.amazonaws.com.cn');
    expect(() => resolveTarget({ kind: 'region', region: 'us-iso-east-1', dualStack: true })).toThrow(/DualStack/);
  });
  it('checks custom URLs', () => {
    expect(resolveTarget({ kind: 'url', url: 'http://127.0.0.1:8080/', region: 'us-east-1' })).toEqual({
      kind: 'url',
      url: 'http://127.0.0.1:8080',
      region: 'us-east-1',
    });
    expect(() => resolveTarget({ kind: 'url', url: 'ftp://x', region: 'us-east-1' })).toThrow(/http:\/\/ or https:\/\//);
    expect(() => resolveTarget({ kind: 'url', url: 'not a url', region: 'us-east-1' })).toThrow(/is not a URL/);
  });
});

describe('credentials and profiles', () => {
  it('lists profiles with regions using the SDK loader, and re-reads rotated keys on every resolve', async () => {
    awsFiles(
      '[default]\nregion = eu-central-1\n[profile dev]\nregion = ap-south-1\n[sso-session corp]\nsso_region = us-east-1\n',
      '[dev]\naws_access_key_id = AKIAOLDKEY0000000001\naws_secret_access_key = old\n',
    );
    expect(await listProfiles()).toEqual([
      { name: 'default', region: 'eu-central-1' },
      { name: 'dev', region: 'ap-south-1' },
    ]);
    const first = await resolveCredentials({ kind: 'profile', profile: 'dev' });
    expect(describeCredentials({ kind: 'profile', profile: 'dev' }, first)).toEqual({
      source: 'profile',
      profile: 'dev',
      accessKeyIdLast4: '0001',
      hasSessionToken: false,
    });
    writeFileSync(
      process.env.AWS_SHARED_CREDENTIALS_FILE!,
      '[dev]\naws_access_key_id = AKIANEWKEY0000000002\naws_secret_access_key = new\n',
    );
    expect((await resolveCredentials({ kind: 'profile', profile: 'dev' })).accessKeyId).toBe('AKIANEWKEY0000000002');
    await expect(resolveCredentials({ kind: 'profile', profile: 'nope' })).rejects.toThrow(/profile "nope"/);
  });

  it('region: flag, then profile, then AWS_REGION, else us-east-1', async () => {
    awsFiles('[profile dev]\nregion = ap-south-1\n', '');
    expect(await resolveRegion({ region: 'sa-east-1', profile: 'dev' })).toBe('sa-east-1');
    expect(await resolveRegion({ profile: 'dev' })).toBe('ap-south-1');
    expect(await resolveRegion({ profile: 'other', env: { AWS_REGION: 'ca-central-1' } })).toBe('ca-central-1');
    expect(await resolveRegion({ profile: 'other', env: {} })).toBe('us-east-1');
  });
});

describe('replay inputs and rewrites', () => {
  it('reads request, exchange and outcome lines, NDJSON payloads and torn lines', async () => {
    const d = mkdtempSync(join(tmpdir(), 'hb-replay-'));
    const body = '{"AgentVersion":"1","DeviceName":"a","DeviceFleetName":"f"}';
    const lines = [
      JSON.stringify({
        v: 1,
        type: 'request',
        id: '1',
        time: 't',
        operation: 'SendHeartbeat',
        target: {},
        request: { method: 'POST', url: 'u', headers: {}, body },
      }),
      JSON.stringify({ v: 1, type: 'outcome', id: '1', time: 't', outcome: { kind: 'cancelled', message: '' }, attempts: [] }),
      JSON.stringify({
        v: 1,
        type: 'exchange',
        id: '2',
        time: 't',
        operation: 'GetDeployments',
        request: { method: 'POST', url: 'u', headers: {}, body: '{"DeviceName":"b","DeviceFleetName":"f"}' },
        verdict: { status: 200, requestId: 'r', handlingMs: 1 },
      }),
      body,
      '{"torn":',
      '[1, 2]',
      JSON.stringify({
        v: 1,
        type: 'request',
        id: '3',
        time: 't',
        operation: 'DeleteDevice',
        target: {},
        request: { method: 'POST', url: 'u', headers: {}, body },
      }),
    ];
    writeFileSync(join(d, 'mixed.jsonl'), lines.join('\n') + '\n');
    writeFileSync(join(d, 'one.json'), '{\n  "AgentVersion": "1",\n  "DeviceName": "c",\n  "DeviceFleetName": "f"\n}\n');
    const items = [];
    for await (const item of readPayloads([join(d, 'mixed.jsonl'), join(d, 'one.json')])) items.push(item);
    expect(
      items.map((i) => ('problem' in i ? `${i.source.replace(d, '')}: ${i.problem}` : `${i.operation}:${JSON.parse(i.body).DeviceName}`)),
    ).toEqual([
      'SendHeartbeat:a',
      'GetDeployments:b',
      'SendHeartbeat:a',
      '/mixed.jsonl:5: the line is not JSON (a torn or foreign line)',
      '/mixed.jsonl:6: the line is not a JSON object',
      '/mixed.jsonl:7: the captured request was for an unknown operation',
      'SendHeartbeat:c',
    ]);
  });

  it('rewrites timestamps (now / shift), device names and fleet', () => {
    const body = JSON.stringify({
      AgentVersion: '1',
      DeviceName: 'cam',
      DeviceFleetName: 'f',
      AgentMetrics: [
        { Dimension: 'x', MetricName: 'm', Value: 1, Timestamp: 1000 },
        { Dimension: 'x', MetricName: 'm', Value: 2, Timestamp: 1060 },
      ],
    });
    const item = { operation: 'SendHeartbeat' as const, body, source: 's' };
    const now = () => 2_000_000;
    const byNow = JSON.parse(createRewriter({ timestamps: 'now', deviceName: 'sim-{n}-{name}', fleetName: 'lab' }, now)(item, 7));
    expect(byNow.AgentMetrics.map((m: { Timestamp: number }) => m.Timestamp)).toEqual([2000, 2000]);
    expect(byNow).toMatchObject({ DeviceName: 'sim-7-cam', DeviceFleetName: 'lab' });
    const shift = createRewriter({ timestamps: 'shift' }, now);
    expect(JSON.parse(shift(item, 1)).AgentMetrics.map((m: { Timestamp: number }) => m.Timestamp)).toEqual([1940, 2000]);
    expect(createRewriter({})(item, 1)).toBe(body);
  });
});
