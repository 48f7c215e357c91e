/**
 * AWS Signature Version 4, the one implementation in the project (docs/architecture.md, "Signing"):
 * canonical request, string to sign, credential scope, signing key (cached per secret, day, region and
 * service), signature, constant-time verification, and the report the UI shows. Synchronous, on
 * node:crypto. The client signer (sign.ts), the endpoint's verifier and replay all use it.
 *
 * Proven by AWS's own test suite (test/fixtures/aws4_testsuite) and by property tests against
 * @smithy/signature-v4, the SDK's signer, kept as a dev dependency for that (test/unit/node/sigv4.test.ts).
 * The rules are the SDK's for every service but S3: the path's dot segments are removed and it is
 * URI-encoded once more ("double encoding"); query keys and values are encoded and sorted; header values
 * are trimmed with runs of spaces and tabs squeezed; hop-by-hop and browser headers are not signed.
 */
import { createHmac, createSecretKey, hash, timingSafeEqual, type KeyObject } from 'node:crypto';

export const ALGORITHM = 'AWS4-HMAC-SHA256';
/** The signing name of Edge Manager. */
export const SIGNING_NAME = 'sagemaker';

/** Headers a signer leaves out (the SDK's list): hop-by-hop, or changed by proxies and browsers. */
const UNSIGNABLE = new Set([
  'authorization',
  'cache-control',
  'connection',
  'expect',
  'from',
  'keep-alive',
  'max-forwards',
  'pragma',
  'referer',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'user-agent',
  'x-amzn-trace-id',
]);
const UNSIGNABLE_PREFIX = /^(proxy|sec)-/;

/** RFC 3986 encoding: everything but unreserved characters, as UTF-8 percent escapes. */
export function escapeUri(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

const PLAIN_PATH = /^(\/[A-Za-z0-9\-_~]+)+\/?$|^\/$/;

/** The canonical URI of a path as sent (percent-encoded or not): dot segments removed, encoded again. */
export function canonicalUri(path: string): string {
  if (PLAIN_PATH.test(path)) return path; // nothing to remove or encode: the usual /SendHeartbeat
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const joined = `${path.startsWith('/') ? '/' : ''}${segments.join('/')}${segments.length > 0 && path.endsWith('/') ? '/' : ''}`;
  return escapeUri(joined).replace(/%2F/g, '/');
}

/** Decoded query pairs of a raw query string (no leading '?'); '+' stays '+', as the SDK reads it. */
export function parseQuery(raw: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  if (raw === '') return pairs;
  for (const part of raw.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? '' : part.slice(eq + 1);
    pairs.push([safeDecode(key), safeDecode(value)]);
  }
  return pairs;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The canonical query: pairs encoded, sorted by key then value, X-Amz-Signature left out. */
export function canonicalQuery(pairs: ReadonlyArray<readonly [string, string]>): string {
  if (pairs.length === 0) return '';
  return pairs
    .filter(([key]) => key.toLowerCase() !== 'x-amz-signature')
    .map(([key, value]) => [escapeUri(key), escapeUri(value)] as const)
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
}

/** A header value as SigV4 canonicalises it: line breaks become spaces, runs of spaces and tabs one space, trimmed. */
export function canonicalHeaderValue(value: string | readonly string[]): string {
  if (typeof value !== 'string') return value.map((v) => canonicalHeaderValue(v)).join(',');
  if (!/[\r\n\t]| {2}|^ | $/.test(value)) return value;
  return value
    .replace(/[\r\n]/g, ' ')
    .replace(/[ \t]+/g, ' ')
    .replace(/^ | $/g, '');
}

export type Headers = Readonly<Record<string, string | readonly string[] | undefined>>;

/** The names a signer signs of these (lower-case) headers, sorted. */
export function signableHeaders(headers: Headers): string[] {
  return Object.keys(headers)
    .filter((name) => headers[name] !== undefined && !UNSIGNABLE.has(name) && !UNSIGNABLE_PREFIX.test(name))
    .sort();
}

export interface CanonicalParts {
  method: string;
  /** The path as sent. */
  path: string;
  /** Decoded query pairs. */
  query: ReadonlyArray<readonly [string, string]>;
  /** Lower-case names. */
  headers: Headers;
  /** Sorted lower-case names of the headers signed. */
  signedHeaders: readonly string[];
  /** Hex SHA-256 of the body (or x-amz-content-sha256 as sent). */
  payloadHash: string;
}

/**
 * The canonical request; undefined when a signed header is missing. `mask` shows a session token's
 * length instead of its value (for the report; the signature covers the real value).
 */
export function canonicalRequest(parts: CanonicalParts, mask = false): string | undefined {
  let headers = '';
  for (const name of parts.signedHeaders) {
    const value = parts.headers[name];
    if (value === undefined) return undefined;
    const canonical = canonicalHeaderValue(value);
    headers += `${name}:${mask && name === 'x-amz-security-token' ? `<redacted, ${canonical.length} characters>` : canonical}\n`;
  }
  return `${parts.method}\n${canonicalUri(parts.path)}\n${canonicalQuery(parts.query)}\n${headers}\n${parts.signedHeaders.join(';')}\n${parts.payloadHash}`;
}

export const sha256Hex = (data: string | Uint8Array): string => hash('sha256', data, 'hex');

let amzSecond = NaN;
let amzText = '';

/** YYYYMMDDTHHMMSSZ of an instant (made once a second: a replay signs thousands a second). */
export function amzDate(date: Date): string {
  const second = Math.floor(date.getTime() / 1000);
  if (second !== amzSecond) {
    amzSecond = second;
    amzText = date
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}/, '');
  }
  return amzText;
}

export function credentialScope(date: string, region: string, service: string): string {
  return `${date}/${region}/${service}/aws4_request`;
}

export function stringToSign(amzDateText: string, scope: string, canonical: string): string {
  return `${ALGORITHM}\n${amzDateText}\n${scope}\n${sha256Hex(canonical)}`;
}

const MAX_KEYS = 256;
const signingKeys = new Map<string, KeyObject>();

/** kSigning: the HMAC chain over date, region and service, kept (it changes once a day per key and scope). */
export function signingKey(secretAccessKey: string, date: string, region: string, service: string): KeyObject {
  const id = `${date}\n${region}\n${service}\n${secretAccessKey}`;
  let key = signingKeys.get(id);
  if (!key) {
    if (signingKeys.size >= MAX_KEYS) signingKeys.clear();
    let k: Buffer = createHmac('sha256', `AWS4${secretAccessKey}`).update(date).digest();
    for (const part of [region, service, 'aws4_request']) k = createHmac('sha256', k).update(part).digest();
    key = createSecretKey(k);
    signingKeys.set(id, key);
  }
  return key;
}

function hmacHex(key: KeyObject, text: string): string {
  return createHmac('sha256', key).update(text, 'utf8').digest('hex');
}

export interface SigningCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface SignInput {
  method: string;
  /** The path as it is sent. */
  path: string;
  /** Decoded query pairs. */
  query: ReadonlyArray<readonly [string, string]>;
  /** Any case; `host` must be among them. */
  headers: Headers;
  body: string | Uint8Array;
}

export interface SignParams {
  credentials: SigningCredentials;
  region: string;
  service: string;
  date: Date;
  /** Send x-amz-content-sha256 (the SDK does); off for the plain test-suite vectors. */
  payloadHashHeader?: boolean;
}

export interface SigningReport {
  algorithm: typeof ALGORITHM;
  /** X-Amz-Date, e.g. 20150830T123600Z. */
  amzDate: string;
  credentialScope: string;
  signedHeaders: string[];
  /** With a session token's value masked. */
  canonicalRequest: string;
  stringToSign: string;
  signature: string;
  accessKeyIdLast4: string;
}

export interface Signature {
  /** Lower-case names: the input's and x-amz-date, authorization, and x-amz-security-token / x-amz-content-sha256 where they apply. */
  headers: Record<string, string>;
  signature: string;
  /** The pieces, for the report. */
  canonicalRequest: string;
  stringToSign: string;
  scope: string;
  signedHeaders: string[];
}

/** Signs a request: the headers to send. */
export function sign(input: SignInput, params: SignParams): Signature {
  const headers: Record<string, string> = {};
  for (const name in input.headers) {
    const value = input.headers[name];
    if (value !== undefined) headers[name.toLowerCase()] = typeof value === 'string' ? value : value.join(',');
  }
  const date = amzDate(params.date);
  headers['x-amz-date'] = date;
  if (params.credentials.sessionToken) headers['x-amz-security-token'] = params.credentials.sessionToken;
  let payloadHash = headers['x-amz-content-sha256'];
  if (payloadHash === undefined) {
    payloadHash = sha256Hex(input.body);
    if (params.payloadHashHeader) headers['x-amz-content-sha256'] = payloadHash;
  }
  const signedHeaders = signableHeaders(headers);
  const canonical = canonicalRequest({ method: input.method, path: input.path, query: input.query, headers, signedHeaders, payloadHash })!;
  const scope = credentialScope(date.slice(0, 8), params.region, params.service);
  const toSign = stringToSign(date, scope, canonical);
  const signature = hmacHex(signingKey(params.credentials.secretAccessKey, date.slice(0, 8), params.region, params.service), toSign);
  headers.authorization = `${ALGORITHM} Credential=${params.credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}`;
  return { headers, signature, canonicalRequest: canonical, stringToSign: toSign, scope, signedHeaders };
}

/** The report of a signing: what was signed, without the secret, with the token masked and the key id cut to 4 characters. */
export function reportOf(input: SignInput, signed: Signature, accessKeyId: string): SigningReport {
  const masked =
    signed.headers['x-amz-security-token'] === undefined
      ? signed.canonicalRequest
      : canonicalRequest(
          {
            method: input.method,
            path: input.path,
            query: input.query,
            headers: signed.headers,
            signedHeaders: signed.signedHeaders,
            payloadHash: signed.canonicalRequest.slice(-64),
          },
          true,
        )!;
  return {
    algorithm: ALGORITHM,
    amzDate: signed.headers['x-amz-date']!,
    credentialScope: signed.scope,
    signedHeaders: signed.signedHeaders,
    canonicalRequest: masked,
    stringToSign: signed.stringToSign,
    signature: signed.signature,
    accessKeyIdLast4: accessKeyId.slice(-4),
  };
}

export interface SignatureCheck {
  method: string;
  /** The path as received (the request target before '?', not decoded). */
  path: string;
  /** The raw query string without '?'. */
  query: string;
  /** Lower-case names, as Node gives them. */
  headers: Headers;
  /** Hex SHA-256 of the body as received. */
  payloadHash: string;
  /** From the Authorization header. */
  signedHeaders: readonly string[];
  signature: string;
  amzDate: string;
  scopeDate: string;
  region: string;
  service: string;
}

/**
 * True when `signature` is the one the secret makes for this request (compared in constant time);
 * false too when a signed header is missing.
 */
export function verify(input: SignatureCheck, secretAccessKey: string): boolean {
  const names = isSorted(input.signedHeaders) ? input.signedHeaders : [...input.signedHeaders].sort();
  const canonical = canonicalRequest({
    method: input.method,
    path: input.path,
    query: input.query === '' ? [] : parseQuery(input.query),
    headers: input.headers,
    signedHeaders: names,
    payloadHash: input.payloadHash,
  });
  if (canonical === undefined || !/^[0-9a-f]{64}$/.test(input.signature)) return false;
  const toSign = stringToSign(input.amzDate, credentialScope(input.scopeDate, input.region, input.service), canonical);
  const expected = createHmac('sha256', signingKey(secretAccessKey, input.scopeDate, input.region, input.service))
    .update(toSign, 'utf8')
    .digest();
  return timingSafeEqual(expected, Buffer.from(input.signature, 'hex'));
}

function isSorted(names: readonly string[]): boolean {
  for (let i = 1; i < names.length; i++) if (names[i - 1]! > names[i]!) return false;
  return true;
}
