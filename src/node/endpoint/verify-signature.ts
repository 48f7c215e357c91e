/**
 * SigV4 verification with the same library the clients sign with (@smithy/signature-v4): the request
 * is re-signed from its own signed headers, body and X-Amz-Date, and the two signatures are compared in
 * constant time. The scope, the signed-header set and the clock skew are checked first, each failure
 * answered as AWS answers it (DESIGN §2).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
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
const MAX_SIGNERS = 64;

export class SignatureVerifier {
  private readonly secrets = new Map<string, string>();
  private readonly signers = new Map<string, SignatureV4>();

  constructor(private readonly options: VerifierOptions) {
    for (const key of options.credentials) this.secrets.set(key.accessKeyId, key.secretAccessKey);
  }

  async verify(input: VerifyInput, now: Date = new Date()): Promise<Verified | ServiceError> {
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
    const headers: Record<string, string> = {};
    for (const name of auth.signedHeaders) {
      if (name === 'x-amz-date') continue; // the signer sets it from signingDate
      const value = input.headers[name];
      if (value === undefined) return invalidSignature(SIGNATURE_MISMATCH);
      headers[name] = Array.isArray(value) ? value.join(',') : value;
    }
    // The signer trusts x-amz-content-sha256 instead of hashing the body: check it against the body first.
    const claimed = headers['x-amz-content-sha256'];
    if (claimed !== undefined && claimed !== createHash('sha256').update(input.body).digest('hex')) return invalidSignature(SIGNATURE_MISMATCH);

    const request = new HttpRequest({ method: input.method, protocol: 'http:', hostname: 'localhost', path: input.path, query: parseQuery(input.query), headers, body: input.body });
    const signed = await this.signer(auth.accessKeyId, secret, auth.scopeRegion).sign(request, { signingDate, signableHeaders: new Set(auth.signedHeaders) });
    const expected = /Signature=([0-9a-f]{64})/.exec(String(signed.headers.authorization))?.[1] ?? '';
    if (expected.length !== auth.signature.length || !timingSafeEqual(Buffer.from(expected), Buffer.from(auth.signature))) return invalidSignature(SIGNATURE_MISMATCH);
    return { accessKeyId: auth.accessKeyId, sessionToken: input.headers['x-amz-security-token'] !== undefined };
  }

  /** One signer per key and region, so the library's signing-key cache works across requests. */
  private signer(accessKeyId: string, secretAccessKey: string, region: string): SignatureV4 {
    const id = `${accessKeyId}\n${region}`;
    let signer = this.signers.get(id);
    if (!signer) {
      if (this.signers.size >= MAX_SIGNERS) this.signers.clear();
      // applyChecksum off: the header is signed only when the client signed it.
      signer = new SignatureV4({ credentials: { accessKeyId, secretAccessKey }, region, service: this.options.service, sha256: Hash.bind(null, 'sha256'), uriEscapePath: true, applyChecksum: false });
      this.signers.set(id, signer);
    }
    return signer;
  }
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
