import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSigner, signRequest } from '../../../src/node/signing/sign.ts';
import { formatSignatureReport } from '../../../src/node/signing/report.ts';
import { canonicalUri, verify } from '../../../src/node/signing/sigv4.ts';

// From the public AWS SigV4 test suite (aws-sig-v4-test-suite): the documented example keys,
// 2015-08-30T12:36:00Z, us-east-1, service "service", host example.amazonaws.com.
const SUITE = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const AT = new Date('2015-08-30T12:36:00Z');
const EMPTY_SHA = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const suite = (method: string, url: string) =>
  signRequest({ method, url, headers: {}, body: '' }, SUITE, {
    region: 'us-east-1',
    service: 'service',
    signingDate: AT,
    applyChecksum: false,
  });

describe('SigV4 signing against the AWS test suite', () => {
  it('get-vanilla: canonical request, string to sign and signature as published', async () => {
    const signed = await suite('GET', 'https://example.amazonaws.com/');
    expect(signed.headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    );
    expect(signed.report!.canonicalRequest).toBe(
      `GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n${EMPTY_SHA}`,
    );
    expect(signed.report!.stringToSign).toBe(
      'AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\nbb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63',
    );
    expect(signed.report!.credentialScope).toBe('20150830/us-east-1/service/aws4_request');
    expect(signed.report!.signedHeaders).toEqual(['host', 'x-amz-date']);
  });

  it('post-vanilla and get-vanilla-query-order-key-case signatures as published', async () => {
    expect((await suite('POST', 'https://example.amazonaws.com/')).report!.signature).toBe(
      '5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b',
    );
    const query = await suite('GET', 'https://example.amazonaws.com/?Param2=value2&Param1=value1');
    expect(query.report!.signature).toBe('b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500');
    expect(query.report!.canonicalRequest.split('\n')[2]).toBe('Param1=value1&Param2=value2');
  });
});

describe('the signature report', () => {
  const creds = { accessKeyId: 'AKIATESTKEY000001234', secretAccessKey: 'test/secret+key', sessionToken: 'FQoGZXIvYXdzEXAMPLETOKEN' };
  const request = {
    method: 'POST',
    url: 'http://127.0.0.1:9/SendHeartbeat',
    headers: { 'content-type': 'application/json' },
    body: '{"DeviceName":"d"}',
  };

  it('is what the signer used: an independent HMAC over its string to sign gives the Authorization signature', async () => {
    const signed = await signRequest(request, creds, { region: 'eu-west-1', signingDate: AT });
    const report = signed.report!;
    const authSignature = /Signature=([0-9a-f]{64})$/.exec(signed.headers.authorization!)![1];
    expect(report.signature).toBe(authSignature);
    // Recompute from scratch with node:crypto: signing key chain over the report's string to sign.
    const k = (key: Buffer | string, text: string) => createHmac('sha256', key).update(text).digest();
    const key = k(k(k(k(`AWS4${creds.secretAccessKey}`, '20150830'), 'eu-west-1'), 'sagemaker'), 'aws4_request');
    expect(k(key, report.stringToSign).toString('hex')).toBe(authSignature);
    expect(report.credentialScope).toBe('20150830/eu-west-1/sagemaker/aws4_request');
    expect(report.signedHeaders).toContain('x-amz-security-token');
    expect(report.signedHeaders).toContain('x-amz-content-sha256');
    expect(signed.headers['x-amz-content-sha256']).toBe(createHash('sha256').update(request.body).digest('hex'));
  });

  it('one signer reused across days, regions of its scope and URLs signs each request as a fresh one would', async () => {
    const signer = createSigner(creds, { region: 'eu-west-1' });
    const days = [AT, new Date('2015-08-31T00:00:01Z'), AT, new Date('2024-02-29T23:59:59Z')];
    const urls = ['http://127.0.0.1:9/SendHeartbeat', 'http://127.0.0.1:9/GetDeployments?b=2&a=1&a=0', 'http://127.0.0.1:9/SendHeartbeat'];
    const k = (key: Buffer | string, text: string) => createHmac('sha256', key).update(text).digest();
    for (const signingDate of days) {
      for (const url of urls) {
        const reused = await signer.sign({ ...request, url }, { signingDate });
        const fresh = await signRequest({ ...request, url }, creds, { region: 'eu-west-1', signingDate });
        expect(reused.headers).toEqual(fresh.headers);
        const day = signingDate.toISOString().slice(0, 10).replace(/-/g, '');
        const key = k(k(k(k(`AWS4${creds.secretAccessKey}`, day), 'eu-west-1'), 'sagemaker'), 'aws4_request');
        expect(reused.headers.authorization).toContain(`Signature=${k(key, reused.report!.stringToSign).toString('hex')}`);
        expect(reused.report!.credentialScope).toBe(`${day}/eu-west-1/sagemaker/aws4_request`);
      }
    }
    expect((await signer.sign({ ...request, url: urls[1]! }, { signingDate: AT })).report!.canonicalRequest.split('\n')[2]).toBe(
      'a=0&a=1&b=2',
    );
  });

  it('never contains the secret or the session token', async () => {
    const signed = await signRequest(request, creds, { region: 'us-east-1' });
    const text = JSON.stringify(signed.report) + formatSignatureReport(signed.report!);
    expect(text).not.toContain(creds.secretAccessKey);
    expect(text).not.toContain(creds.sessionToken);
    expect(text).not.toContain(creds.accessKeyId);
    expect(signed.report!.accessKeyIdLast4).toBe('1234');
    expect(signed.report!.canonicalRequest).toMatch(/x-amz-security-token:<redacted, 24 characters>/);
  });

  it('the report masks the token it signed: the endpoint-side verifier accepts the signature of the unmasked request', async () => {
    const signed = await signRequest(request, creds, { region: 'us-east-1', signingDate: AT });
    const report = signed.report!;
    const signedHeaders = report.signedHeaders;
    const verifyWith = (headers: Record<string, string>, secret: string) =>
      verify(
        {
          method: 'POST',
          path: '/SendHeartbeat',
          query: '',
          headers,
          payloadHash: signed.headers['x-amz-content-sha256']!,
          signedHeaders,
          signature: report.signature,
          amzDate: report.amzDate,
          scopeDate: '20150830',
          region: 'us-east-1',
          service: 'sagemaker',
        },
        secret,
      );
    expect(verifyWith(signed.headers, creds.secretAccessKey)).toBe(true);
    expect(verifyWith({ ...signed.headers, 'content-type': 'text/plain' }, creds.secretAccessKey)).toBe(false);
    expect(verifyWith(signed.headers, 'wrong')).toBe(false);
  });

  it('canonicalizes paths as non-S3 SigV4 does (dot segments, double encoding)', () => {
    expect(canonicalUri('/a/./b/../c')).toBe('/a/c');
    expect(canonicalUri('/a%20b')).toBe('/a%2520b');
    expect(canonicalUri('/')).toBe('/');
  });
});
