/**
 * SigV4 signing of one HTTP request with @smithy/signature-v4 (signing name `sagemaker` for Edge
 * Manager, DESIGN §2), returning the headers to send and the signature report of exactly that signing.
 */
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

/** One signer per credentials and scope, so the derived signing key is cached across a replay's requests. */
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
  return {
    sign: (request, perRequest = {}) => signWith(signer, credentials.secretAccessKey, request, perRequest.signingDate ?? options.signingDate, perRequest.report ?? true),
  };
}

export async function signRequest(request: UnsignedRequest, credentials: Credentials, options: SignOptions): Promise<SignedRequest> {
  return createSigner(credentials, options).sign(request);
}

async function signWith(signer: SignatureV4, secret: string, request: UnsignedRequest, signingDate: Date | undefined, withReport: boolean): Promise<SignedRequest> {
  const url = new URL(request.url);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
  headers.host = url.host;
  const query: Record<string, string | string[]> = {};
  const pairs: Array<[string, string]> = [...url.searchParams.entries()];
  for (const [key, value] of pairs) {
    const prior = query[key];
    query[key] = prior === undefined ? value : Array.isArray(prior) ? [...prior, value] : [prior, value];
  }
  const unsigned = new HttpRequest({
    method: request.method,
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port ? { port: Number(url.port) } : {}),
    path: url.pathname,
    query,
    headers,
    body: request.body,
  });
  const signed = await signer.sign(unsigned, signingDate ? { signingDate } : {});
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(signed.headers)) out[name.toLowerCase()] = value;
  const signedRequest: SignedRequest = { method: request.method, url: request.url, headers: out, body: request.body };
  if (withReport) signedRequest.report = buildSignatureReport({ method: request.method, path: url.pathname, query: pairs, headers: out, body: request.body }, secret);
  return signedRequest;
}
