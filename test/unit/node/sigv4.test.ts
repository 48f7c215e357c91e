/**
 * The one SigV4 core (src/node/signing/sigv4.ts) against AWS's own test suite (the vectors botocore
 * tests with, copied into test/fixtures/aws4_testsuite with their LICENSE and NOTICE), against
 * @smithy/signature-v4 (the JS SDK's signer, the independent oracle) for random requests, and its
 * verifier against its signer: it accepts exactly what the signer makes and refuses any one-byte change.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalRequest, sha256Hex, sign, signableHeaders, verify, type SignInput } from '../../../src/node/signing/sigv4.ts';

const SUITE = join(import.meta.dirname, '../../fixtures/aws4_testsuite');
const KEYS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const TOKEN =
  'AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==';
/** The case botocore skips too: a request line its (and Node's) HTTP parser rejects. */
const SKIPPED = new Set(['get-space']);

function cases(dir: string): Array<{ name: string; dir: string }> {
  const out: Array<{ name: string; dir: string }> = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (!statSync(path).isDirectory()) continue;
    if (readdirSync(path).includes(`${entry}.req`)) out.push({ name: entry, dir: path });
    else out.push(...cases(path));
  }
  return out;
}

/** A .req file: request line, headers (continuation lines folded in, repeated names kept in order), body. */
function parseReq(text: string): SignInput {
  const [head, ...bodyParts] = text.split('\n\n');
  const lines = head!.split('\n');
  const [method, target] = lines[0]!.split(' ') as [string, string];
  const headers: Record<string, string[]> = {};
  let last: string[] | undefined;
  for (const line of lines.slice(1)) {
    if (line === '') continue;
    if (/^\s/.test(line) && last) {
      last[last.length - 1] += `\n${line}`;
      continue;
    }
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).toLowerCase();
    (headers[name] ??= []).push(line.slice(colon + 1));
    last = headers[name];
  }
  const q = target.indexOf('?');
  const rawQuery = q < 0 ? '' : target.slice(q + 1);
  const query =
    rawQuery === ''
      ? []
      : rawQuery.split('&').map((p) => {
          const eq = p.indexOf('=');
          return [decodeURIComponent(eq < 0 ? p : p.slice(0, eq)), decodeURIComponent(eq < 0 ? '' : p.slice(eq + 1))] as [string, string];
        });
  return {
    method,
    path: q < 0 ? target : target.slice(0, q),
    query,
    headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v.length === 1 ? v[0]! : v])),
    body: bodyParts.join('\n\n'),
  };
}

describe("AWS's SigV4 test suite", () => {
  const all = cases(SUITE);
  it('has every case', () => expect(all.length).toBeGreaterThanOrEqual(30));
  for (const { name, dir } of all) {
    it.skipIf(SKIPPED.has(name))(name, () => {
      const read = (ext: string) => readFileSync(join(dir, `${name}.${ext}`), 'utf8');
      const input = parseReq(read('req'));
      const creq = read('creq');
      // A case whose canonical request has the token was signed with it; "after" adds it unsigned.
      const { ['x-amz-security-token']: sent, ...headers } = input.headers as Record<string, string>;
      const token = /\nx-amz-security-token:(.*)\n/.exec(creq)?.[1] ?? undefined;
      if (token !== undefined && sent !== undefined) expect(sent).toBe(token);
      const signed = sign(
        { ...input, headers },
        {
          credentials: { ...KEYS, ...(token ? { sessionToken: token } : {}) },
          region: 'us-east-1',
          service: 'service',
          date: new Date('2015-08-30T12:36:00Z'),
        },
      );
      expect(signed.canonicalRequest).toBe(creq);
      expect(signed.stringToSign).toBe(read('sts'));
      expect(signed.headers.authorization).toBe(read('authz'));
    });
  }
});

// Random requests: the parts a client may send.
const segment = fc.oneof(
  fc.constantFrom('.', '..', '', 'SendHeartbeat', 'a b', '%20', 'ü', '😀', '~x', "!'()*", 'a+b', '%2F'),
  fc.string({ unit: 'grapheme', maxLength: 6 }).map((s) => s.replace(/[/?#%]/g, '')),
);
const path = fc.array(segment, { minLength: 1, maxLength: 5 }).map((parts) => `/${parts.join('/')}`);
const queryPart = fc.oneof(
  fc.constantFrom('', 'a', 'A', 'x y', 'ü', '=', '&', '+', '~._-', 'X-Amz-Signature'),
  fc.string({ unit: 'grapheme', maxLength: 5 }),
);
const query = fc.array(
  fc.tuple(
    fc.constantFrom('k', 'K', 'z', 'a b', 'ü', '1').chain((k) =>
      fc.oneof(
        fc.constant(k),
        queryPart.filter((q) => q !== ''),
      ),
    ),
    queryPart,
  ),
  { maxLength: 5 },
);
const headerName = fc.constantFrom(
  'X-Custom',
  'x-amz-meta-a',
  'Content-Type',
  'x-amz-target',
  'X-Other',
  'user-agent',
  'proxy-foo',
  'sec-fetch',
  'connection',
);
const headerValue = fc.stringMatching(/^[ \t]{0,2}[!-~]([ !-~\t]{0,12}[!-~])?[ \t]{0,2}$/);
const headers = fc.uniqueArray(fc.tuple(headerName, headerValue), { maxLength: 5, selector: ([n]) => n.toLowerCase() });
const body = fc.oneof(fc.constant(''), fc.json(), fc.string({ unit: 'grapheme', maxLength: 40 }));
const date = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true })
  .map((d) => new Date(Math.floor(d.getTime() / 1000) * 1000));
const request = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'post'),
  path,
  query,
  headers,
  body,
  date,
  token: fc.option(fc.constant(TOKEN), { nil: undefined }),
  region: fc.constantFrom('us-east-1', 'eu-west-1', 'ap-southeast-2'),
  checksum: fc.boolean(),
});

type Req = typeof request extends fc.Arbitrary<infer T> ? T : never;

async function smithy(r: Req): Promise<string> {
  const signer = new SignatureV4({
    credentials: { ...KEYS, ...(r.token ? { sessionToken: r.token } : {}) },
    region: r.region,
    service: 'sagemaker',
    sha256: Hash.bind(null, 'sha256'),
    uriEscapePath: true,
    applyChecksum: r.checksum,
  });
  const q: Record<string, string | string[]> = {};
  for (const [k, v] of r.query) {
    const prior = q[k];
    q[k] = prior === undefined ? v : Array.isArray(prior) ? [...prior, v] : [prior, v];
  }
  const signed = await signer.sign(
    new HttpRequest({
      method: r.method,
      protocol: 'https:',
      hostname: 'edge.example.com',
      path: r.path,
      query: q,
      headers: { host: 'edge.example.com', ...Object.fromEntries(r.headers) },
      body: r.body,
    }),
    { signingDate: r.date },
  );
  return signed.headers.authorization!;
}

const ours = (r: Req) =>
  sign(
    {
      method: r.method,
      path: r.path,
      query: r.query,
      headers: { host: 'edge.example.com', ...Object.fromEntries(r.headers) },
      body: r.body,
    },
    {
      credentials: { ...KEYS, ...(r.token ? { sessionToken: r.token } : {}) },
      region: r.region,
      service: 'sagemaker',
      date: r.date,
      payloadHashHeader: r.checksum,
    },
  );

describe('against @smithy/signature-v4', () => {
  it('signs random requests exactly as the SDK does', async () => {
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        expect(ours(r).headers.authorization).toBe(await smithy(r));
      }),
      { numRuns: 400 },
    );
  });
});

describe('the verifier', () => {
  /** What the endpoint hands the verifier for a request the signer made. */
  function received(r: Req) {
    const signed = ours(r);
    const match = /Credential=[^/]+\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})/.exec(
      signed.headers.authorization!,
    )!;
    const rawQuery = r.query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
    return {
      method: r.method,
      path: r.path,
      query: rawQuery,
      headers: signed.headers,
      payloadHash: sha256Hex(r.body),
      signedHeaders: match[4]!.split(';'),
      signature: match[5]!,
      amzDate: signed.headers['x-amz-date']!,
      scopeDate: match[1]!,
      region: match[2]!,
      service: match[3]!,
    };
  }

  it('accepts exactly the signatures the signer makes and refuses any one-byte change', () => {
    fc.assert(
      fc.property(request, fc.nat(), (r, pick) => {
        const input = received(r);
        expect(verify(input, KEYS.secretAccessKey)).toBe(true);
        expect(verify(input, `${KEYS.secretAccessKey}x`)).toBe(false);
        // One byte of the signature.
        const at = pick % 64;
        const flipped = input.signature.slice(0, at) + (input.signature[at] === '0' ? '1' : '0') + input.signature.slice(at + 1);
        expect(verify({ ...input, signature: flipped }, KEYS.secretAccessKey)).toBe(false);
        // One byte of the body's hash, the method, the date, a signed header's value.
        expect(verify({ ...input, payloadHash: sha256Hex(r.body + ' ') }, KEYS.secretAccessKey)).toBe(false);
        expect(verify({ ...input, method: input.method === 'GET' ? 'PUT' : 'GET' }, KEYS.secretAccessKey)).toBe(false);
        const name = input.signedHeaders[pick % input.signedHeaders.length]!;
        const value = input.headers[name] as string;
        expect(verify({ ...input, headers: { ...input.headers, [name]: value + 'x' } }, KEYS.secretAccessKey)).toBe(false);
        const { [name]: _dropped, ...without } = input.headers;
        expect(verify({ ...input, headers: without }, KEYS.secretAccessKey)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('signs only signable headers, sorted', () => {
    expect(
      signableHeaders({
        'user-agent': 'x',
        host: 'h',
        'x-amz-date': 'd',
        'proxy-authorization': 'p',
        'sec-ch': 's',
        authorization: 'a',
        'content-type': 'c',
      }),
    ).toEqual(['content-type', 'host', 'x-amz-date']);
    expect(
      canonicalRequest({
        method: 'GET',
        path: '/',
        query: [],
        headers: { host: 'h' },
        signedHeaders: ['host', 'x-missing'],
        payloadHash: '',
      }),
    ).toBeUndefined();
  });
});
