/**
 * SigV4 signing of one HTTP request with @smithy/signature-v4 (signing name `sagemaker` for Edge
 * Manager, DESIGN §2), returning the headers to send and the signature report of exactly that signing.
 */
import { createHash } from 'node:crypto';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Credentials } from '../credentials/credentials.ts';
import { buildSignatureReport, type SignatureReport } from './report.ts';

export const SIGNING_NAME = 'sagemaker';

export interface UnsignedRequest {
  method: string;
  url: string;
  /** Header names in any case; `host` is derived from the URL. */
  headers: Record<string, string>;
  body: string;
}

export interface SignOptions {
  region: string;
  service?: string;
  /** The instant to sign for: the local clock plus any skew correction. */
  signingDate?: Date;
  /** Add x-amz-content-sha256 (the SDK does); off for the plain SigV4 test-suite vectors. */
  applyChecksum?: boolean;
}

export interface SignedRequest {
  method: string;
  url: string;
  /** Lower-case names, including authorization, x-amz-date and (with temporary keys) x-amz-security-token. */
  headers: Record<string, string>;
  body: string;
  report?: SignatureReport;
}

export interface Signer {
  /** `report: false` skips the report (bulk replay); the UI and --debug always ask for it. */
  sign(request: UnsignedRequest, options?: { signingDate?: Date; report?: boolean }): Promise<SignedRequest>;
}

/** What signing needs of a URL, parsed once per URL and signer (a replay signs one URL many times). */
interface ParsedUrl {
  protocol: string;
  hostname: string;
  host: string;
  port?: number;
  pathname: string;
  /** Decoded query parameters, in order. */
  pairs: Array<[string, string]>;
  /** The same, as smithy's HttpRequest takes them (repeated keys as arrays). */
  query: Record<string, string | string[]>;
}

function parseUrl(text: string): ParsedUrl {
  const url = new URL(text);
  const pairs: Array<[string, string]> = [...url.searchParams.entries()];
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of pairs) {
    const prior = query[key];
    query[key] = prior === undefined ? value : Array.isArray(prior) ? [...prior, value] : [prior, value];
  }
  return { protocol: url.protocol, hostname: url.hostname, host: url.host, ...(url.port ? { port: Number(url.port) } : {}), pathname: url.pathname, pairs, query };
}

type SigningKeyOf = (credentials: unknown, region: string, shortDate: string, service?: string) => Promise<Uint8Array>;

/**
 * smithy derives the signing key through a module-wide cache whose lookup costs an HMAC of the
 * credentials on every signing. This signer's credentials never change, so its keys are kept per
 * date, region and service (smithy still derives each one). `getSigningKey` is smithy's own (not
 * typed as public) hook: if a later version renamed it, this assignment would simply not be called.
 */
function cacheSigningKeys(signer: SignatureV4): void {
  const hooked = signer as unknown as { getSigningKey?: SigningKeyOf };
  const derive = hooked.getSigningKey;
  if (typeof derive !== 'function') return;
  const keys = new Map<string, Promise<Uint8Array>>();
  hooked.getSigningKey = (credentials, region, shortDate, service) => {
    const id = `${shortDate}/${region}/${service ?? ''}`;
    let key = keys.get(id);
    if (!key) {
      if (keys.size >= 8) keys.clear();
      key = derive.call(signer, credentials, region, shortDate, service);
      keys.set(id, key);
      key.catch(() => keys.delete(id));
    }
    return key;
  };
}

/**
 * One signer per credentials and scope: one smithy SignatureV4, its signing keys kept per day, and
 * each URL parsed once, so a replay's thousands of requests re-derive nothing but the signature.
 */
export function createSigner(credentials: Credentials, options: SignOptions): Signer {
  const signer = new SignatureV4({
    credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey, ...(credentials.sessionToken ? { sessionToken: credentials.sessionToken } : {}) },
    region: options.region,
    service: options.service ?? SIGNING_NAME,
    // The SDK's own choice: node:crypto SHA-256 behind smithy's Hash.
    sha256: Hash.bind(null, 'sha256'),
    uriEscapePath: true,
    applyChecksum: options.applyChecksum ?? true,
  });
  cacheSigningKeys(signer);
  const urls = new Map<string, ParsedUrl>();
  const urlOf = (text: string): ParsedUrl => {
    let parsed = urls.get(text);
    if (!parsed) {
      parsed = parseUrl(text);
      if (urls.size >= 16) urls.clear();
      urls.set(text, parsed);
    }
    return parsed;
  };
  const applyChecksum = options.applyChecksum ?? true;
  return {
    sign: (request, perRequest = {}) =>
      signWith(signer, credentials.secretAccessKey, urlOf(request.url), request, perRequest.signingDate ?? options.signingDate, perRequest.report ?? true, applyChecksum),
  };
}

export async function signRequest(request: UnsignedRequest, credentials: Credentials, options: SignOptions): Promise<SignedRequest> {
  return createSigner(credentials, options).sign(request);
}

async function signWith(signer: SignatureV4, secret: string, url: ParsedUrl, request: UnsignedRequest, signingDate: Date | undefined, withReport: boolean, applyChecksum: boolean): Promise<SignedRequest> {
  const headers: Record<string, string> = {};
  for (const name in request.headers) headers[name.toLowerCase()] = request.headers[name]!;
  headers.host = url.host;
  // The payload hash smithy would add (SHA-256 of the UTF-8 body, hex), made by node:crypto in one
  // native call instead of smithy's generic hash wrapper; smithy signs a given x-amz-content-sha256 as is.
  if (applyChecksum && headers['x-amz-content-sha256'] === undefined) headers['x-amz-content-sha256'] = createHash('sha256').update(request.body, 'utf8').digest('hex');
  const unsigned = new HttpRequest({
    method: request.method,
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port !== undefined ? { port: url.port } : {}),
    path: url.pathname,
    // smithy clones the request before it signs, so the cached query object is never changed.
    query: url.query,
    headers,
    body: request.body,
  });
  const signed = await signer.sign(unsigned, signingDate ? { signingDate } : {});
  // Names we passed are lower-case, and so are those smithy adds (x-amz-date, x-amz-content-sha256,
  // x-amz-security-token, authorization); its result is a copy of ours, ours to hand on.
  const out = signed.headers;
  const signedRequest: SignedRequest = { method: request.method, url: request.url, headers: out, body: request.body };
  if (withReport) signedRequest.report = buildSignatureReport({ method: request.method, path: url.pathname, query: url.pairs, headers: out, body: request.body }, secret);
  return signedRequest;
}
