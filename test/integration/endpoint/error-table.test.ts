/** Every row of the error table of docs/architecture.md#aws-facts, over HTTP: status, x-amzn-ErrorType, JSON message, RequestId, Date. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEndpoint, type RunningEndpoint } from '../../../src/node/endpoint/index.ts';
import { HEARTBEAT, rawRequest, sendSigned, signed, type RawResponse } from './helpers.ts';

let endpoint: RunningEndpoint;
beforeAll(async () => {
  endpoint = await startEndpoint();
});
afterAll(() => endpoint.close());
beforeEach(() => endpoint.admin.reset());

function expectAws(res: RawResponse, status: number, errorType: string, message: string | RegExp, member = 'message'): void {
  expect(res.status).toBe(status);
  expect(res.headers['x-amzn-errortype']).toBe(errorType);
  expect(res.headers['x-amzn-requestid']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  expect(Number.isNaN(Date.parse(String(res.headers.date)))).toBe(false);
  expect(res.headers['content-type']).toBe('application/json');
  const body = res.json();
  expect(Object.keys(body)).toEqual([member]);
  if (typeof message === 'string') expect(body[member]).toBe(message);
  else expect(body[member]).toMatch(message);
}

describe('the error table of docs/architecture.md#aws-facts', () => {
  it('success: 200, empty body, with x-amzn-RequestId and Date', async () => {
    const res = await sendSigned(endpoint.url);
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
    expect(res.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.date).toBeTruthy();
    expect(res.headers['x-amzn-errortype']).toBeUndefined();
  });

  it('no Authorization → 403 MissingAuthenticationTokenException', async () => {
    const res = await rawRequest(endpoint.url, {
      path: '/SendHeartbeat',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(HEARTBEAT),
    });
    expectAws(res, 403, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
  });

  it('Authorization missing Credential / SignedHeaders / Signature, or no X-Amz-Date → 400 IncompleteSignatureException', async () => {
    const s = await signed(endpoint.url);
    for (const part of [/Credential=[^,]+, /, /SignedHeaders=[^,]+, /, /, Signature=\w+/]) {
      const res = await rawRequest(endpoint.url, {
        path: s.path,
        headers: { ...s.headers, authorization: s.headers.authorization.replace(part, '') },
        body: s.body,
      });
      expectAws(
        res,
        400,
        'IncompleteSignatureException',
        /^Authorization header requires '(Credential|SignedHeaders|Signature)' parameter\./,
      );
    }
    const { ['x-amz-date']: _d, ...undated } = s.headers;
    expectAws(
      await rawRequest(endpoint.url, { path: s.path, headers: undated, body: s.body }),
      400,
      'IncompleteSignatureException',
      /requires existence of either a 'X-Amz-Date' or a 'Date' header/,
    );
  });

  it('unknown access key → 403 UnrecognizedClientException', async () => {
    const res = await sendSigned(endpoint.url, { credentials: { accessKeyId: 'AKIAOTHERKEY00000000', secretAccessKey: 'whatever' } });
    expectAws(res, 403, 'UnrecognizedClientException', 'The security token included in the request is invalid.');
  });

  it('signature mismatch, wrong region, wrong service → 403 InvalidSignatureException', async () => {
    expectAws(
      await sendSigned(endpoint.url, { credentials: { accessKeyId: 'AKIAHBCOMPOSERDEMO01', secretAccessKey: 'wrong' } }),
      403,
      'InvalidSignatureException',
      /^The request signature we calculated does not match/,
    );
    expectAws(
      await sendSigned(endpoint.url, { service: 'sagemaker-edge' }),
      403,
      'InvalidSignatureException',
      "Credential should be scoped to correct service: 'sagemaker'.",
    );
    const pinned = await startEndpoint({ region: 'us-east-1' });
    try {
      expectAws(
        await sendSigned(pinned.url, { region: 'eu-central-1' }),
        403,
        'InvalidSignatureException',
        "Credential should be scoped to a valid region, not 'eu-central-1'; this endpoint expects 'us-east-1'.",
      );
      expect((await sendSigned(pinned.url, { region: 'us-east-1' })).status).toBe(200);
    } finally {
      await pinned.close();
    }
  });

  it('a scope naming any region passes when no region is configured', async () => {
    expect([endpoint.anyRegion, endpoint.region]).toEqual([true, 'us-east-1']);
    for (const region of ['eu-west-1', 'ap-south-1', 'us-east-1']) expect((await sendSigned(endpoint.url, { region })).status).toBe(200);
  });

  it('clock skew over 5 minutes → 403 InvalidSignatureException (expired / not yet current)', async () => {
    expectAws(
      await sendSigned(endpoint.url, { signingDate: new Date(Date.now() - 6 * 60_000) }),
      403,
      'InvalidSignatureException',
      /^Signature expired: /,
    );
    expectAws(
      await sendSigned(endpoint.url, { signingDate: new Date(Date.now() + 6 * 60_000) }),
      403,
      'InvalidSignatureException',
      /^Signature not yet current: /,
    );
  });

  it('malformed JSON body → 400 SerializationException', async () => {
    expectAws(
      await sendSigned(endpoint.url, { body: '{"AgentVersion": "1.0",' }),
      400,
      'SerializationException',
      /^The request body is not valid JSON: .*\(line 1, column 24\)\.$/,
    );
  });

  it('constraint violation → 400 ValidationException phrased like AWS', async () => {
    expectAws(
      await sendSigned(endpoint.url, { body: { ...HEARTBEAT, DeviceName: 'bad name!' } }),
      400,
      'ValidationException',
      "1 validation error detected: Value 'bad name!' at 'deviceName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9](-*_*[a-zA-Z0-9])*$",
    );
  });

  it('throttled → 429 ThrottlingException with Retry-After', async () => {
    endpoint.admin.setFaults({ errorRate: 1, errorType: 'ThrottlingException', retryAfterSeconds: 3 });
    const res = await sendSigned(endpoint.url);
    expectAws(res, 429, 'ThrottlingException', 'Rate exceeded');
    expect(res.headers['retry-after']).toBe('3');
  });

  it('server fault → 500 InternalServiceException with {"Message": ...}', async () => {
    endpoint.admin.setFaults({ errorRate: 1 });
    expectAws(await sendSigned(endpoint.url), 500, 'InternalServiceException', /internal error/, 'Message');
  });
});
