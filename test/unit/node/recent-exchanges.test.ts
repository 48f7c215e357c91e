/** The endpoint's recent exchanges: bounded by count and by bytes (oldest first out), bodies cut at a limit, secrets redacted. */
import { describe, expect, it } from 'vitest';
import { EXCHANGE_BODY_LIMIT, EXCHANGES_KEPT, EXCHANGES_KEPT_BYTES, type EndpointExchange } from '../../../src/common/endpoint-exchange.ts';
import {
  bodyText,
  keptExchange,
  RecentExchanges,
  redactedPath,
  redactedRequestHeaders,
  sizeOf,
  type ExchangeFacts,
} from '../../../src/node/endpoint/recent-exchanges.ts';
import { redactHeaders } from '../../../src/common/log/entry.ts';
import { redactSignature } from '../../../src/node/endpoint/authorization.ts';

const SIGNATURE = 'f'.repeat(64);
const AUTHORIZATION = `AWS4-HMAC-SHA256 Credential=AKIAHBCOMPOSERDEMO01/20250101/us-east-1/sagemaker/aws4_request, SignedHeaders=host;x-amz-date, Signature=${SIGNATURE}`;

function facts(i: number, extra: Partial<ExchangeFacts> = {}): ExchangeFacts {
  return {
    id: `r-${i}`,
    time: new Date(Date.UTC(2025, 0, 1, 12, 0, i % 60)).toISOString(),
    operation: 'SendHeartbeat',
    deviceName: `cam-${i}`,
    deviceFleetName: 'fleet-a',
    method: 'POST',
    url: '/SendHeartbeat',
    headers: { host: '127.0.0.1:8787', 'x-amz-date': '20250101T120000Z', authorization: AUTHORIZATION, 'content-type': 'application/json' },
    body: Buffer.from(`{"DeviceName":"cam-${i}","DeviceFleetName":"fleet-a","AgentVersion":"1.0"}`),
    responseHeaders: [
      'x-amzn-RequestId',
      `r-${i}`,
      'content-type',
      'application/json',
      'content-length',
      '0',
      'date',
      'Wed, 01 Jan 2025 12:00:00 GMT',
    ],
    responseBody: '',
    verdict: { status: 200, requestId: `r-${i}`, handlingMs: 1.25 },
    ...extra,
  };
}
const exchange = (i: number, extra: Partial<ExchangeFacts> = {}): EndpointExchange => keptExchange(facts(i, extra));

describe('RecentExchanges', () => {
  it('keeps the latest 200 by default (8 MiB at most), forgetting the oldest first', () => {
    const kept = new RecentExchanges();
    expect(kept.limits).toEqual({ count: EXCHANGES_KEPT, bytes: EXCHANGES_KEPT_BYTES });
    expect(EXCHANGES_KEPT).toBe(200);
    expect(EXCHANGES_KEPT_BYTES).toBe(8 * 1024 * 1024);
    for (let i = 0; i < 250; i++) kept.add(exchange(i));
    expect(kept.size.count).toBe(200);
    expect(kept.get('r-49')).toBeUndefined();
    expect(kept.get('r-50')?.deviceName).toBe('cam-50');
    expect(kept.get('r-249')?.deviceName).toBe('cam-249');
    expect(kept.get('nope')).toBeUndefined();
  });

  it('drops the oldest while the kept text is over the byte limit, and never keeps one larger than the limit', () => {
    const one = sizeOf(exchange(0));
    const kept = new RecentExchanges({ count: 100, bytes: one * 3 + 10 });
    for (let i = 0; i < 5; i++) kept.add(exchange(i));
    expect(kept.size).toEqual({ count: 3, bytes: one * 3 });
    expect(['r-0', 'r-1', 'r-2', 'r-3', 'r-4'].map((id) => kept.get(id) !== undefined)).toEqual([false, false, true, true, true]);
    // A big one pushes out as many of the oldest as it needs.
    const big = exchange(5, { body: Buffer.from('x'.repeat(one)) });
    kept.add(big);
    expect(kept.get('r-5')).toBe(big);
    expect(kept.get('r-3')).toBeUndefined();
    expect(kept.get('r-4')).toBeDefined();
    expect(kept.size.bytes).toBeLessThanOrEqual(kept.limits.bytes);
    // One that alone is over the limit is not kept, and costs nothing.
    kept.add(exchange(6, { body: Buffer.from('y'.repeat(one * 4)) }));
    expect(kept.get('r-6')).toBeUndefined();
    expect(kept.get('r-5')).toBe(big);
  });

  it('counts bodies, headers and messages against the byte limit', () => {
    const small = sizeOf(exchange(1));
    expect(sizeOf(exchange(1, { body: Buffer.from('z'.repeat(1000)) }))).toBeGreaterThanOrEqual(small + 900);
    expect(sizeOf(exchange(1, { responseBody: 'a'.repeat(500) }))).toBe(small + 500);
    expect(
      sizeOf(exchange(1, { verdict: { status: 400, requestId: 'r', handlingMs: 1, message: 'm'.repeat(300) } })),
    ).toBeGreaterThanOrEqual(small + 299);
  });

  it('replaces an exchange added again under the same id, and forgets everything on reset', () => {
    const kept = new RecentExchanges({ count: 2 });
    kept.add(exchange(1));
    kept.add(exchange(2));
    kept.add(exchange(1, { deviceName: 'again' }));
    kept.add(exchange(3));
    expect(kept.get('r-1')?.deviceName).toBe('again');
    expect(kept.get('r-2')).toBeUndefined();
    kept.reset();
    expect(kept.size).toEqual({ count: 0, bytes: 0 });
    expect(kept.get('r-3')).toBeUndefined();
  });
});

describe('keptExchange', () => {
  it('keeps request, answer and verdict, with the signature and the security token redacted', () => {
    const x = keptExchange(
      facts(7, {
        headers: { ...facts(7).headers, 'x-amz-security-token': 'FwoGZXIvYXdzEJr//token' },
        verdict: {
          status: 429,
          errorType: 'ThrottlingException',
          message: 'Rate exceeded',
          requestId: 'r-7',
          handlingMs: 3.5,
          injected: true,
        },
        responseHeaders: ['x-amzn-RequestId', 'r-7', 'x-amzn-ErrorType', 'ThrottlingException', 'Retry-After', '1'],
        responseBody: '{"message":"Rate exceeded"}',
      }),
    );
    expect(x).toMatchObject({
      id: 'r-7',
      operation: 'SendHeartbeat',
      deviceName: 'cam-7',
      deviceFleetName: 'fleet-a',
      request: { method: 'POST', path: '/SendHeartbeat', bodyBytes: facts(7).body!.length },
      response: { status: 429, headers: { 'x-amzn-requestid': 'r-7', 'x-amzn-errortype': 'ThrottlingException', 'retry-after': '1' } },
      verdict: {
        status: 429,
        errorType: 'ThrottlingException',
        message: 'Rate exceeded',
        requestId: 'r-7',
        handlingMs: 3.5,
        injected: true,
      },
    });
    expect(x.request.body).toBe('{"DeviceName":"cam-7","DeviceFleetName":"fleet-a","AgentVersion":"1.0"}');
    expect(x.request.bodyTruncated).toBeUndefined();
    expect(x.response.body).toBe('{"message":"Rate exceeded"}');
    expect(x.request.headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAHBCOMPOSERDEMO01/20250101/us-east-1/sagemaker/aws4_request, SignedHeaders=host;x-amz-date, Signature=REDACTED',
    );
    expect(x.request.headers['x-amz-security-token']).toBe('REDACTED');
    const text = JSON.stringify(x);
    expect(text).not.toContain(SIGNATURE);
    expect(text).not.toContain('FwoGZXIvYXdzEJr');
  });

  it('redacts a signature from a malformed Authorization header and from a presigned query', () => {
    const x = keptExchange(
      facts(8, {
        headers: { authorization: `AWS4-HMAC-SHA256 Signature ${SIGNATURE}` },
        url: `/SendHeartbeat?X-Amz-Credential=AKID%2F20250101&X-Amz-Signature=${SIGNATURE}&X-Amz-Security-Token=tok&x=1`,
      }),
    );
    expect(JSON.stringify(x)).not.toContain(SIGNATURE);
    expect(x.request.path).toBe(
      '/SendHeartbeat?X-Amz-Credential=AKID%2F20250101&X-Amz-Signature=REDACTED&X-Amz-Security-Token=REDACTED&x=1',
    );
    expect(redactedPath('/SendHeartbeat')).toBe('/SendHeartbeat');
  });

  it('redacts Authorization exactly as the history and the error messages do, well formed or not', () => {
    const cases = [
      AUTHORIZATION,
      AUTHORIZATION.replace(', SignedHeaders', ',SignedHeaders'),
      AUTHORIZATION.replace(SIGNATURE, SIGNATURE.toUpperCase()),
      `${AUTHORIZATION}, Junk`,
      `AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/sagemaker/aws4_request, Signature=${SIGNATURE}, SignedHeaders=host`,
      `AWS4-HMAC-SHA256 Credential=${'a'.repeat(40)}/x, SignedHeaders=host, Signature=${SIGNATURE}`,
      `Bearer ${SIGNATURE}`,
      'AWS4-HMAC-SHA256',
    ];
    for (const value of cases) {
      const kept = redactedRequestHeaders({ authorization: value }).authorization;
      expect(kept, value).toBe(redactSignature(redactHeaders({ authorization: value }).authorization));
      expect(kept.toLowerCase()).not.toContain(SIGNATURE);
    }
    expect(redactedRequestHeaders({ 'X-Amz-Security-Token': 'tok', 'x-list': ['a', 'b'], none: undefined })).toEqual({
      'x-amz-security-token': 'REDACTED',
      'x-list': 'a, b',
    });
  });

  it('cuts a long body at the limit, on a UTF-8 boundary, and says so; no body is an empty one', () => {
    const long = Buffer.from(`${'a'.repeat(EXCHANGE_BODY_LIMIT - 1)}é and more`);
    const x = keptExchange(facts(9, { body: long }));
    expect(x.request).toMatchObject({ bodyBytes: long.length, bodyTruncated: true });
    expect(x.request.body).toBe('a'.repeat(EXCHANGE_BODY_LIMIT - 1));
    expect(bodyText(Buffer.from('héllo'), 2)).toEqual({ text: 'h', truncated: true });
    expect(bodyText(Buffer.from('héllo'), 3)).toEqual({ text: 'hé', truncated: true });
    expect(bodyText('héllo', 3)).toEqual({ text: 'hé', truncated: true });
    expect(bodyText('hello', 5)).toEqual({ text: 'hello', truncated: false });
    const none = keptExchange(facts(10, { body: undefined, method: 'GET', url: '/nowhere', operation: 'unknown' }));
    expect(none.request).toEqual({ method: 'GET', path: '/nowhere', headers: expect.any(Object), body: '', bodyBytes: 0 });
  });
});
