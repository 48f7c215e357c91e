/**
 * The client's signer: SigV4 (src/node/signing/sigv4.ts, the project's one implementation) with the
 * signing name of Edge Manager, returning the headers to send and the signature report of exactly that
 * signing. Synchronous: signing is a few hashes, and a replay signs thousands of requests.
 */
import type { Credentials } from '../credentials/credentials.ts';
import { parseQuery, reportOf, sign, SIGNING_NAME, type SigningReport } from './sigv4.ts';

export { SIGNING_NAME } from './sigv4.ts';

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
  report?: SigningReport;
}

export interface Signer {
  /** `report: false` skips the report (bulk replay); the UI and --debug always ask for it. */
  sign(request: UnsignedRequest, options?: { signingDate?: Date; report?: boolean }): SignedRequest;
}

/** What signing needs of a URL, parsed once per URL and signer (a replay signs one URL many times). */
interface ParsedUrl {
  host: string;
  /** As sent: percent-encoded by the URL parser. */
  path: string;
  /** Decoded query pairs, as the server will read them. */
  query: Array<[string, string]>;
}

function parseUrl(text: string): ParsedUrl {
  const url = new URL(text);
  return { host: url.host, path: url.pathname, query: parseQuery(url.search.slice(1)) };
}

/** One signer per credentials and scope; each URL parsed once. Signing keys are cached by the core. */
export function createSigner(credentials: Credentials, options: SignOptions): Signer {
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
  const service = options.service ?? SIGNING_NAME;
  const payloadHashHeader = options.applyChecksum ?? true;
  return {
    sign(request, perRequest = {}) {
      const url = urlOf(request.url);
      const input = {
        method: request.method,
        path: url.path,
        query: url.query,
        headers: { ...request.headers, host: url.host },
        body: request.body,
      };
      const signed = sign(input, {
        credentials,
        region: options.region,
        service,
        date: perRequest.signingDate ?? options.signingDate ?? new Date(),
        payloadHashHeader,
      });
      const out: SignedRequest = { method: request.method, url: request.url, headers: signed.headers, body: request.body };
      if (perRequest.report ?? true) out.report = reportOf(input, signed, credentials.accessKeyId);
      return out;
    },
  };
}

export function signRequest(request: UnsignedRequest, credentials: Credentials, options: SignOptions): SignedRequest {
  return createSigner(credentials, options).sign(request);
}
