/**
 * SigV4 verification: the scope, the signed-header set and the clock skew are checked first, each
 * failure answered as AWS answers it (DESIGN §2); then the signature is computed from the request's own
 * signed headers, body and X-Amz-Date and compared in constant time. The canonical query comes from
 * @smithy/signature-v4 (what the clients sign with); the rest is the SigV4 recipe on node:crypto, with
 * the day's signing key cached, because re-signing through the async signer cost more than all other
 * request handling together (bench endpoint). Real clients (SDK, AWS CLI, curl) are the tests.
 */
import { createHmac, createSecretKey, hash, timingSafeEqual, type KeyObject } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { HttpRequest } from '@smithy/protocol-http';
import { getCanonicalQuery } from '@smithy/signature-v4';
import { parseAuthorization } from './authorization.ts';
import { incompleteSignature, invalidSignature, missingAuthentication, ServiceError, SIGNATURE_MISMATCH, unrecognizedClient } from './errors.ts';

export interface AcceptedKey {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface VerifierOptions {
  credentials: readonly AcceptedKey[];
  /** The region the credential scope must name; '*' accepts any region. */
  region: string;
  /** The signing name; `sagemaker` for Edge Manager. */
  service: string;
  /** Allowed difference between X-Amz-Date and the server clock. */
  clockSkewSeconds: number;
}

export interface VerifyInput {
  method: string;
  /** The path as routed (already decoded), e.g. /SendHeartbeat. */
  path: string;
  /** The raw query string without '?'. */
  query: string;
  headers: IncomingHttpHeaders;
  body: Uint8Array;
}

export interface Verified {
  accessKeyId: string;
  /** A session token was sent; it cannot be checked offline, so it is accepted as is. */
  sessionToken: boolean;
}

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const SIGNATURE = /^[0-9a-f]{64}$/;
const MAX_SIGNING_KEYS = 256;

export class SignatureVerifier {
  private readonly secrets = new Map<string, string>();
  private readonly signingKeys = new Map<string, KeyObject>();

  constructor(private readonly options: VerifierOptions) {
    for (const key of options.credentials) this.secrets.set(key.accessKeyId, key.secretAccessKey);
  }

  verify(input: VerifyInput, now: Date = new Date()): Verified | ServiceError {
    const header = single(input.headers.authorization);
    if (header === undefined || header === '') return missingAuthentication();
    const amzDate = single(input.headers['x-amz-date']);
    const auth = parseAuthorization(header, amzDate !== undefined && amzDate !== '');
    if (auth instanceof ServiceError) return auth;

    const secret = this.secrets.get(auth.accessKeyId);
    if (secret === undefined) return unrecognizedClient();
    if (auth.scopeTerminator !== 'aws4_request') return invalidSignature(`Credential should be scoped with a valid terminator: 'aws4_request', not '${auth.scopeTerminator}'.`);
    if (auth.scopeService !== this.options.service) return invalidSignature(`Credential should be scoped to correct service: '${this.options.service}'.`);
    if (this.options.region !== '*' && auth.scopeRegion !== this.options.region) return invalidSignature(`Credential should be scoped to a valid region, not '${auth.scopeRegion}'; this endpoint expects '${this.options.region}'.`);

    const signingDate = parseAmzDate(amzDate!);
    if (!signingDate) return incompleteSignature(`Date must be in ISO-8601 'basic format'. Got '${amzDate}'. See http://en.wikipedia.org/wiki/ISO_8601`);
    if (auth.scopeDate !== amzDate!.slice(0, 8)) return invalidSignature(`Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${auth.scopeDate}' != '${amzDate!.slice(0, 8)}', from 'X-Amz-Date'.`);
    if (!auth.signedHeaders.includes('host')) return invalidSignature(`'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.`);
    if (!auth.signedHeaders.includes('x-amz-date')) return invalidSignature(`'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization.`);

    const skewMs = this.options.clockSkewSeconds * 1000;
    const delta = signingDate.getTime() - now.getTime();
    const minutes = `${this.options.clockSkewSeconds / 60} min.`;
    if (delta < -skewMs) return invalidSignature(`Signature expired: ${amzDate} is now earlier than ${basic(new Date(now.getTime() - skewMs))} (${basic(now)} - ${minutes})`);
    if (delta > skewMs) return invalidSignature(`Signature not yet current: ${amzDate} is still later than ${basic(new Date(now.getTime() + skewMs))} (${basic(now)} + ${minutes})`);

    if (!SIGNATURE.test(auth.signature)) return invalidSignature(SIGNATURE_MISMATCH);
    const names = isSorted(auth.signedHeaders) ? auth.signedHeaders : [...auth.signedHeaders].sort();
    let canonicalHeaders = '';
    for (const name of names) {
      const value = input.headers[name];
      if (value === undefined) return invalidSignature(SIGNATURE_MISMATCH);
      canonicalHeaders += `${name}:${canonicalValue(Array.isArray(value) ? value.join(',') : value)}\n`;
    }
    const bodyHash = hash('sha256', input.body, 'hex');
    // A client may sign x-amz-content-sha256 instead of the body: it must be the body's hash.
    if (names.includes('x-amz-content-sha256') && single(input.headers['x-amz-content-sha256']) !== bodyHash) return invalidSignature(SIGNATURE_MISMATCH);

    const query = input.query === '' ? '' : getCanonicalQuery({ query: parseQuery(input.query) } as HttpRequest);
    const canonicalRequest = `${input.method}\n${canonicalPath(input.path)}\n${query}\n${canonicalHeaders}\n${names.join(';')}\n${bodyHash}`;
    const stringToSign = `AWS4-HMAC-SHA256\n${amzDate}\n${auth.scopeDate}/${auth.scopeRegion}/${auth.scopeService}/aws4_request\n${hash('sha256', canonicalRequest, 'hex')}`;
    const expected = createHmac('sha256', this.signingKey(auth.accessKeyId, secret, auth.scopeDate, auth.scopeRegion)).update(stringToSign).digest();
    if (!timingSafeEqual(expected, Buffer.from(auth.signature, 'hex'))) return invalidSignature(SIGNATURE_MISMATCH);
    return { accessKeyId: auth.accessKeyId, sessionToken: input.headers['x-amz-security-token'] !== undefined };
  }

  /** kSigning of SigV4 (HMAC chain over date, region, service), cached: it changes once a day per key and region. */
  private signingKey(accessKeyId: string, secret: string, date: string, region: string): KeyObject {
    const id = `${accessKeyId}/${date}/${region}`;
    let key = this.signingKeys.get(id);
    if (!key) {
      if (this.signingKeys.size >= MAX_SIGNING_KEYS) this.signingKeys.clear();
      key = createSecretKey([date, region, this.options.service, 'aws4_request'].reduce<Buffer>((k, part) => createHmac('sha256', k).update(part).digest(), Buffer.from(`AWS4${secret}`)));
      this.signingKeys.set(id, key);
    }
    return key;
  }
}

const UNRESERVED_PATH = /^[A-Za-z0-9\-._~/]*$/;
const SPACES_TO_SQUEEZE = /\s{2,}|[\t\n\r\v\f]/;

function isSorted(names: readonly string[]): boolean {
  for (let i = 1; i < names.length; i++) if (names[i - 1] > names[i]) return false;
  return true;
}

/** A header value as SigV4 canonicalises it: trimmed, runs of white space squeezed to one space. */
function canonicalValue(value: string): string {
  const trimmed = value.trim();
  return SPACES_TO_SQUEEZE.test(trimmed) ? trimmed.replace(/\s+/g, ' ') : trimmed;
}

/** The canonical URI of SigV4 for services other than S3: each segment URI-escaped (RFC 3986 unreserved kept). */
function canonicalPath(path: string): string {
  if (UNRESERVED_PATH.test(path)) return path;
  return path
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('/');
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}

function parseAmzDate(text: string): Date | undefined {
  const m = AMZ_DATE.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  return date.getUTCDate() === day && date.getUTCMonth() === month - 1 && hour < 24 && minute < 60 && second < 60 ? date : undefined;
}

/** 20240101T000000Z */
export function basic(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function parseQuery(query: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  if (!query) return out;
  for (const [key, value] of new URLSearchParams(query)) {
    const prior = out[key];
    out[key] = prior === undefined ? value : Array.isArray(prior) ? [...prior, value] : [prior, value];
  }
  return out;
}
