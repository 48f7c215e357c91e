/**
 * SigV4 verification at the endpoint: the scope, the signed-header set and the clock skew are checked
 * first, each failure answered as AWS answers it (docs/architecture.md, "Signing"); then the signature is
 * computed from the request's own signed headers, body and X-Amz-Date by the project's one SigV4 core
 * (src/node/signing/sigv4.ts) and compared in constant time. Real clients (SDK, AWS CLI, curl) are the tests.
 */
import { sha256Hex, verify, type Headers } from '../signing/sigv4.ts';
import { parseAuthorization } from './authorization.ts';
import {
  incompleteSignature,
  invalidSignature,
  missingAuthentication,
  ServiceError,
  SIGNATURE_MISMATCH,
  unrecognizedClient,
} from './errors.ts';

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
  /** Lower-case names; a repeated header as an array of its values (`req.headersDistinct`). */
  headers: Headers;
  body: Uint8Array;
}

export interface Verified {
  accessKeyId: string;
  /** A session token was sent; it cannot be checked offline, so it is accepted as is. */
  sessionToken: boolean;
}

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const SIGNATURE = /^[0-9a-f]{64}$/;

export class SignatureVerifier {
  private readonly secrets = new Map<string, string>();

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
    if (auth.scopeTerminator !== 'aws4_request')
      return invalidSignature(`Credential should be scoped with a valid terminator: 'aws4_request', not '${auth.scopeTerminator}'.`);
    if (auth.scopeService !== this.options.service)
      return invalidSignature(`Credential should be scoped to correct service: '${this.options.service}'.`);
    if (this.options.region !== '*' && auth.scopeRegion !== this.options.region)
      return invalidSignature(
        `Credential should be scoped to a valid region, not '${auth.scopeRegion}'; this endpoint expects '${this.options.region}'.`,
      );

    const signingDate = parseAmzDate(amzDate!);
    if (!signingDate)
      return incompleteSignature(`Date must be in ISO-8601 'basic format'. Got '${amzDate}'. See http://en.wikipedia.org/wiki/ISO_8601`);
    if (auth.scopeDate !== amzDate!.slice(0, 8))
      return invalidSignature(
        `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${auth.scopeDate}' != '${amzDate!.slice(0, 8)}', from 'X-Amz-Date'.`,
      );
    if (!auth.signedHeaders.includes('host'))
      return invalidSignature(`'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.`);
    if (!auth.signedHeaders.includes('x-amz-date'))
      return invalidSignature(`'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization.`);

    const skewMs = this.options.clockSkewSeconds * 1000;
    const delta = signingDate.getTime() - now.getTime();
    const minutes = `${this.options.clockSkewSeconds / 60} min.`;
    if (delta < -skewMs)
      return invalidSignature(
        `Signature expired: ${amzDate} is now earlier than ${basic(new Date(now.getTime() - skewMs))} (${basic(now)} - ${minutes})`,
      );
    if (delta > skewMs)
      return invalidSignature(
        `Signature not yet current: ${amzDate} is still later than ${basic(new Date(now.getTime() + skewMs))} (${basic(now)} + ${minutes})`,
      );

    if (!SIGNATURE.test(auth.signature)) return invalidSignature(SIGNATURE_MISMATCH);
    const bodyHash = sha256Hex(input.body);
    // A client may sign x-amz-content-sha256 instead of the body: it must be the body's hash.
    if (auth.signedHeaders.includes('x-amz-content-sha256') && single(input.headers['x-amz-content-sha256']) !== bodyHash)
      return invalidSignature(SIGNATURE_MISMATCH);
    const signed = verify(
      {
        method: input.method,
        path: input.path,
        query: input.query,
        headers: input.headers,
        payloadHash: bodyHash,
        signedHeaders: auth.signedHeaders,
        signature: auth.signature,
        amzDate: amzDate!,
        scopeDate: auth.scopeDate,
        region: auth.scopeRegion,
        service: auth.scopeService,
      },
      secret,
    );
    if (!signed) return invalidSignature(SIGNATURE_MISMATCH);
    return { accessKeyId: auth.accessKeyId, sessionToken: input.headers['x-amz-security-token'] !== undefined };
  }
}

function single(value: string | readonly string[] | undefined): string | undefined {
  return typeof value === 'string' || value === undefined ? value : value.join(',');
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
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}
