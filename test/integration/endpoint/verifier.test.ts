/** SigV4 verification: requests signed by the client library pass; every tampering fails. */
import { describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS, DEMO_REGION } from '../../../src/common/demo.ts';
import { signRequest } from '../../../src/node/signing/sign.ts';
import { ServiceError, SIGNATURE_MISMATCH } from '../../../src/node/endpoint/errors.ts';
import { SignatureVerifier, type VerifyInput } from '../../../src/node/endpoint/verify-signature.ts';
import { HEARTBEAT } from './helpers.ts';

const NOW = new Date('2026-03-14T12:00:00Z');
const BODY = JSON.stringify(HEARTBEAT);
const verifier = new SignatureVerifier({
  credentials: [DEMO_CREDENTIALS],
  region: DEMO_REGION,
  service: 'sagemaker',
  clockSkewSeconds: 300,
});

interface SignOpts {
  path?: string;
  body?: string;
  region?: string;
  service?: string;
  at?: Date;
  sessionToken?: string;
  checksum?: boolean;
}

async function signedInput(o: SignOpts = {}): Promise<VerifyInput> {
  const path = o.path ?? '/SendHeartbeat';
  const s = await signRequest(
    { method: 'POST', url: `http://127.0.0.1:8787${path}`, headers: { 'content-type': 'application/json' }, body: o.body ?? BODY },
    { ...DEMO_CREDENTIALS, ...(o.sessionToken ? { sessionToken: o.sessionToken } : {}) },
    {
      region: o.region ?? DEMO_REGION,
      signingDate: o.at ?? NOW,
      ...(o.service ? { service: o.service } : {}),
      ...(o.checksum === false ? { applyChecksum: false } : {}),
    },
  );
  const q = path.indexOf('?');
  return {
    method: 'POST',
    path: q < 0 ? path : path.slice(0, q),
    query: q < 0 ? '' : path.slice(q + 1),
    headers: { ...s.headers },
    body: Buffer.from(s.body),
  };
}

async function verdict(input: VerifyInput, now: Date = NOW): Promise<string> {
  const result = await verifier.verify(input, now);
  return result instanceof ServiceError ? `${result.status} ${result.errorType}: ${result.message}` : 'ok';
}

const withAuth = (input: VerifyInput, edit: (auth: string) => string): VerifyInput => ({
  ...input,
  headers: { ...input.headers, authorization: edit(String(input.headers.authorization)) },
});
const MISMATCH = `403 InvalidSignatureException: ${SIGNATURE_MISMATCH}`;

describe('SignatureVerifier', () => {
  it('accepts a request signed by @smithy/signature-v4, with and without x-amz-content-sha256', async () => {
    expect(await verdict(await signedInput())).toBe('ok');
    expect(await verdict(await signedInput({ checksum: false }))).toBe('ok');
    expect(await verdict(await signedInput({ path: '/SendHeartbeat?b=2&a=1' }))).toBe('ok');
  });

  it('accepts a session token it cannot check (signed x-amz-security-token)', async () => {
    const input = await signedInput({ sessionToken: 'FwoGZXIvYXdzE-session' });
    expect(String(input.headers.authorization)).toContain('x-amz-security-token');
    expect(await verifier.verify(input, NOW)).toEqual({ accessKeyId: DEMO_CREDENTIALS.accessKeyId, sessionToken: true });
  });

  it('rejects one changed byte in the body (with and without the signed body hash)', async () => {
    for (const checksum of [true, false]) {
      const input = await signedInput({ checksum });
      const body = Buffer.from(input.body);
      body[10] ^= 1;
      expect(await verdict({ ...input, body })).toBe(MISMATCH);
    }
  });

  it('rejects a body hash header that claims UNSIGNED-PAYLOAD or another body', async () => {
    const input = await signedInput();
    expect(await verdict({ ...input, headers: { ...input.headers, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } })).toBe(MISMATCH);
  });

  it('rejects a changed signed header, a removed signed header, a changed path and a changed query', async () => {
    const input = await signedInput();
    expect(await verdict({ ...input, headers: { ...input.headers, 'content-type': 'application/jsoN' } })).toBe(MISMATCH);
    const { ['content-type']: _dropped, ...rest } = input.headers;
    expect(await verdict({ ...input, headers: rest })).toBe(MISMATCH);
    expect(await verdict({ ...input, path: '/GetDeployments' })).toBe(MISMATCH);
    expect(await verdict({ ...input, query: 'x=1' })).toBe(MISMATCH);
    const queried = await signedInput({ path: '/SendHeartbeat?a=1' });
    expect(await verdict({ ...queried, query: 'a=2' })).toBe(MISMATCH);
  });

  it('rejects the wrong region, service and scope date', async () => {
    expect(await verdict(await signedInput({ region: 'eu-west-1' }))).toBe(
      `403 InvalidSignatureException: Credential should be scoped to a valid region, not 'eu-west-1'; this endpoint expects 'us-east-1'.`,
    );
    expect(await verdict(await signedInput({ service: 'sagemaker-edge' }))).toBe(
      `403 InvalidSignatureException: Credential should be scoped to correct service: 'sagemaker'.`,
    );
    const input = await signedInput();
    expect(await verdict(withAuth(input, (a) => a.replace('/20260314/', '/20260313/')))).toBe(
      `403 InvalidSignatureException: Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20260313' != '20260314', from 'X-Amz-Date'.`,
    );
    expect(await verdict(withAuth(input, (a) => a.replace('/aws4_request', '/aws5_request')))).toMatch(
      /valid terminator: 'aws4_request', not 'aws5_request'/,
    );
  });

  it("accepts any region with region '*'", async () => {
    const any = new SignatureVerifier({ credentials: [DEMO_CREDENTIALS], region: '*', service: 'sagemaker', clockSkewSeconds: 300 });
    expect(await any.verify(await signedInput({ region: 'ap-south-1' }), NOW)).toMatchObject({ accessKeyId: DEMO_CREDENTIALS.accessKeyId });
  });

  it('rejects a request whose host or x-amz-date is not signed', async () => {
    const input = await signedInput();
    expect(await verdict(withAuth(input, (a) => a.replace('host;', '')))).toBe(
      `403 InvalidSignatureException: 'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.`,
    );
    expect(await verdict(withAuth(input, (a) => a.replace(';x-amz-date', '')))).toMatch(/'X-Amz-Date' must be a 'SignedHeader'/);
  });

  it('rejects signatures of the wrong length or alphabet without throwing', async () => {
    const input = await signedInput();
    expect(await verdict(withAuth(input, (a) => a.slice(0, -1)))).toBe(MISMATCH);
    expect(await verdict(withAuth(input, (a) => `${a}00`))).toBe(MISMATCH);
    expect(await verdict(withAuth(input, (a) => a.replace(/Signature=[0-9a-f]{2}/, 'Signature=ZZ')))).toBe(MISMATCH);
    expect(await verdict(withAuth(input, (a) => a.replace(/Signature=\w+/, 'Signature=')))).toMatch(
      /^400 IncompleteSignatureException: Authorization header requires 'Signature' parameter/,
    );
  });

  it('allows 4:59 of clock skew either way and rejects 5:01', async () => {
    const at = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);
    expect(await verdict(await signedInput({ at: at(-299) }))).toBe('ok');
    expect(await verdict(await signedInput({ at: at(299) }))).toBe('ok');
    expect(await verdict(await signedInput({ at: at(-301) }))).toBe(
      '403 InvalidSignatureException: Signature expired: 20260314T115459Z is now earlier than 20260314T115500Z (20260314T120000Z - 5 min.)',
    );
    expect(await verdict(await signedInput({ at: at(301) }))).toBe(
      '403 InvalidSignatureException: Signature not yet current: 20260314T120501Z is still later than 20260314T120500Z (20260314T120000Z + 5 min.)',
    );
  });

  it('answers missing, incomplete and unknown credentials as AWS does', async () => {
    const input = await signedInput();
    const { authorization: _a, ...unsigned } = input.headers;
    expect(await verdict({ ...input, headers: unsigned })).toBe('403 MissingAuthenticationTokenException: Missing Authentication Token');
    const { ['x-amz-date']: _d, ...undated } = input.headers;
    expect(await verdict({ ...input, headers: undated })).toMatch(
      /^400 IncompleteSignatureException: Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header\. Authorization=AWS4-HMAC-SHA256 .*Signature=REDACTED$/,
    );
    expect(await verdict(withAuth(input, (a) => a.replace(/Credential=[^,]+, /, '')))).toMatch(/requires 'Credential' parameter/);
    expect(await verdict(withAuth(input, (a) => a.replace(/SignedHeaders=[^,]+, /, '')))).toMatch(/requires 'SignedHeaders' parameter/);
    expect(await verdict(withAuth(input, (a) => a.replace('AWS4-HMAC-SHA256', 'AWS4-ECDSA-P256-SHA256')))).toMatch(
      /^400 IncompleteSignatureException: Unsupported Authorization algorithm/,
    );
    expect(await verdict(withAuth(input, (a) => a.replace(/Credential=\w+\//, 'Credential=AKIAUNKNOWN000000000/')))).toBe(
      '403 UnrecognizedClientException: The security token included in the request is invalid.',
    );
    expect(await verdict(withAuth(input, (a) => a.replace('/us-east-1/', '/')))).toMatch(
      /^400 IncompleteSignatureException: Credential should have exactly 5 parts/,
    );
    expect(await verdict({ ...input, headers: { ...input.headers, 'x-amz-date': '2026-03-14T12:00:00Z' } })).toMatch(
      /^400 IncompleteSignatureException: Date must be in ISO-8601 'basic format'/,
    );
  });
});
