/**
 * HeartbeatApi `endpoint.exchange(id)` through the in-process host and the loopback HTTP host, against
 * the real embedded endpoint: a signed request sent to the endpoint comes back whole (request with the
 * signature redacted, answer, verdict) by the id its answer carried; the admin API serves the same at
 * GET /__admin/exchanges/ID; a reset forgets them.
 */
import { beforeAll, expect, it } from 'vitest';
import type { HeartbeatApi } from '../../../src/common/api.ts';
import { DEMO_CREDENTIALS } from '../../../src/common/demo.ts';
import type { HostFixture } from '../../contract/host-fixture.ts';
import { describeOnHosts } from './on-hosts.ts';
import { HEARTBEAT, rawRequest, sendSigned, signed } from '../endpoint/helpers.ts';

const signatureOf = (authorization: string): string => /Signature=([0-9a-f]{64})/.exec(authorization)![1];

describeOnHosts('HeartbeatApi endpoint.exchange', (host) => {
  let fixture: HostFixture;
  let api: HeartbeatApi;
  beforeAll(() => {
    ({ fixture, api } = host());
  });

  it('returns a signed request the endpoint answered, in full, with the signature redacted', async () => {
    const url = fixture.services.endpoint.url;
    const body = { ...HEARTBEAT, DeviceName: 'cam-exchange', DeviceFleetName: 'fleet-exchange' };
    const request = await signed(url, { body, headers: { 'x-amz-security-token': 'session-token-secret-value' } });
    const answer = await rawRequest(url, { path: request.path, headers: request.headers, body: request.body });
    expect(answer.status).toBe(200);
    const id = answer.headers['x-amzn-requestid'] as string;

    const x = await api.endpoint.exchange(id);
    expect(x).toBeDefined();
    expect(x).toMatchObject({
      id,
      operation: 'SendHeartbeat',
      deviceName: 'cam-exchange',
      deviceFleetName: 'fleet-exchange',
      request: { method: 'POST', path: '/SendHeartbeat', body: request.body, bodyBytes: Buffer.byteLength(request.body) },
      response: { status: 200, body: '', headers: { 'x-amzn-requestid': id, date: answer.headers.date } },
      verdict: { status: 200, requestId: id },
    });
    expect(x!.verdict.handlingMs).toBeGreaterThanOrEqual(0);
    expect(new Date(x!.time).getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(x!.request.headers['content-type']).toBe('application/json');
    expect(x!.request.headers.authorization).toMatch(
      new RegExp(
        `^AWS4-HMAC-SHA256 Credential=${DEMO_CREDENTIALS.accessKeyId}/\\d{8}/us-east-1/sagemaker/aws4_request, SignedHeaders=.*, Signature=REDACTED$`,
      ),
    );
    expect(x!.request.headers['x-amz-security-token']).toBe('REDACTED');
    const text = JSON.stringify(x);
    expect(text).not.toContain(signatureOf(request.headers.authorization!));
    expect(text).not.toContain('session-token-secret-value');
    expect(text).not.toContain(DEMO_CREDENTIALS.secretAccessKey);
  });

  it('keeps a refused request too: the error answer and the verdict, never the signature', async () => {
    const url = fixture.services.endpoint.url;
    const wrong = { accessKeyId: DEMO_CREDENTIALS.accessKeyId, secretAccessKey: 'not-the-demo-secret' };
    const request = await signed(url, { body: { ...HEARTBEAT, DeviceName: 'cam-refused' }, credentials: wrong });
    const answer = await rawRequest(url, { path: request.path, headers: request.headers, body: request.body });
    expect(answer.status).toBe(403);
    const id = answer.headers['x-amzn-requestid'] as string;
    const x = await api.endpoint.exchange(id);
    expect(x).toMatchObject({
      verdict: { status: 403, errorType: 'InvalidSignatureException', requestId: id },
      response: { status: 403, headers: { 'x-amzn-errortype': 'InvalidSignatureException' }, body: answer.body },
      request: { body: request.body },
    });
    expect(x!.verdict.message).toMatch(/signature/i);
    expect(JSON.stringify(x)).not.toContain(signatureOf(request.headers.authorization!));
  });

  it('serves the same at GET /__admin/exchanges/ID (token needed); unknown ids, reset and bad arguments', async () => {
    const endpoint = fixture.services.endpoint;
    const answer = await sendSigned(endpoint.url, {
      operation: 'GetDeviceRegistration',
      body: { DeviceName: 'cam-admin', DeviceFleetName: 'f' },
    });
    const id = answer.headers['x-amzn-requestid'] as string;
    const auth = { authorization: `Bearer ${endpoint.adminToken}` };
    const viaAdmin = await rawRequest(endpoint.url, { method: 'GET', path: `/__admin/exchanges/${id}`, headers: auth });
    expect(viaAdmin.status).toBe(200);
    expect(viaAdmin.json()).toEqual(await api.endpoint.exchange(id));
    expect(viaAdmin.json()).toMatchObject({ operation: 'GetDeviceRegistration', deviceName: 'cam-admin' });
    expect((await rawRequest(endpoint.url, { method: 'GET', path: `/__admin/exchanges/${id}` })).status).toBe(401);
    const missing = await rawRequest(endpoint.url, { method: 'GET', path: '/__admin/exchanges/no-such-id', headers: auth });
    expect(missing.status).toBe(404);
    expect(missing.json().message).toBe(
      'No request with id "no-such-id" is kept: the endpoint keeps only its latest 200 requests (and forgets them on reset).',
    );
    expect((await rawRequest(endpoint.url, { method: 'POST', path: `/__admin/exchanges/${id}`, headers: auth })).status).toBe(405);
    expect((await rawRequest(endpoint.url, { method: 'GET', path: '/__admin/exchanges/%E0%A4%A', headers: auth })).status).toBe(400);

    expect(await api.endpoint.exchange('no-such-id')).toBeUndefined();
    await expect(api.endpoint.exchange(42 as never)).rejects.toThrow(/id must be text/);
    await api.endpoint.reset();
    expect(await api.endpoint.exchange(id)).toBeUndefined();
  });
});
