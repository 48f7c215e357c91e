/**
 * The signature report: canonical request, string to sign, scope, signed headers and signature,
 * recomputed independently from the request the signer produced. `buildSignatureReport` re-derives the
 * signature with the secret and refuses to return a report that does not reproduce the signer's, so the
 * report is provably what was signed. The secret never enters the report; a session token's value is
 * masked in the canonical request shown (its hash in the string to sign is of the real value).
 */
import { createHash, createHmac } from 'node:crypto';

export interface SignatureReport {
  algorithm: 'AWS4-HMAC-SHA256';
  /** X-Amz-Date, e.g. 20150830T123600Z. */
  amzDate: string;
  credentialScope: string;
  signedHeaders: string[];
  canonicalRequest: string;
  stringToSign: string;
  signature: string;
  accessKeyIdLast4: string;
}

export interface SignedParts {
  method: string;
  /** The request path as sent, already URI-encoded. */
  path: string;
  /** Decoded query parameters. */
  query: Array<[string, string]>;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: string;
}

export class SignatureReportError extends Error {}

const AUTH = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/([^,]+), SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/;

export function escapeUri(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Non-S3 canonical URI: dot segments removed, then each segment URI-encoded again (SigV4 "double encoding"). */
export function canonicalUri(path: string): string {
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const joined = `${path.startsWith('/') ? '/' : ''}${segments.join('/')}${segments.length > 0 && path.endsWith('/') ? '/' : ''}`;
  return escapeUri(joined).replace(/%2F/g, '/');
}

export function canonicalQuery(query: Array<[string, string]>): string {
  return query
    .filter(([key]) => key.toLowerCase() !== 'x-amz-signature')
    .map(([key, value]) => [escapeUri(key), escapeUri(value)] as const)
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
}

const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
const hmac = (key: Buffer | string, text: string): Buffer => createHmac('sha256', key).update(text, 'utf8').digest();

export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
}

export function buildSignatureReport(parts: SignedParts, secretAccessKey: string): SignatureReport {
  const authorization = parts.headers.authorization ?? '';
  const match = AUTH.exec(authorization);
  if (!match) throw new SignatureReportError('The signer produced an Authorization header this report cannot read.');
  const [, accessKeyId, scope, signedList, signature] = match as unknown as [string, string, string, string, string];
  const amzDate = parts.headers['x-amz-date'];
  if (!amzDate) throw new SignatureReportError('The signed request has no X-Amz-Date header.');
  const signedHeaders = signedList.split(';');
  const canonicalHeaderLines = (mask: boolean): string =>
    signedHeaders
      .map((name) => {
        const value = (parts.headers[name] ?? '').trim().replace(/\s+/g, ' ');
        return `${name}:${mask && name === 'x-amz-security-token' ? `<redacted, ${value.length} characters>` : value}`;
      })
      .join('\n');
  const payloadHash = parts.headers['x-amz-content-sha256'] ?? sha256Hex(parts.body);
  const canonical = (mask: boolean): string =>
    [parts.method.toUpperCase(), canonicalUri(parts.path), canonicalQuery(parts.query), `${canonicalHeaderLines(mask)}\n`, signedList, payloadHash].join('\n');
  const canonicalRequest = canonical(false);
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  const [date, region, service] = scope.split('/') as [string, string, string];
  const recomputed = hmac(signingKey(secretAccessKey, date, region, service), stringToSign).toString('hex');
  if (recomputed !== signature) throw new SignatureReportError('The recomputed signature differs from the signer\'s; the signature report would be wrong, so the request was not sent.');
  return {
    algorithm: 'AWS4-HMAC-SHA256',
    amzDate,
    credentialScope: scope,
    signedHeaders,
    canonicalRequest: canonical(true),
    stringToSign,
    signature,
    accessKeyIdLast4: accessKeyId.slice(-4),
  };
}

/** The report as botocore --debug prints it: the pieces, one after another. */
export function formatSignatureReport(report: SignatureReport): string {
  return [
    `Canonical request:\n${report.canonicalRequest}`,
    `String to sign:\n${report.stringToSign}`,
    `Credential scope: ${report.credentialScope}`,
    `Signed headers: ${report.signedHeaders.join(';')}`,
    `Signature: ${report.signature}`,
  ].join('\n\n');
}
