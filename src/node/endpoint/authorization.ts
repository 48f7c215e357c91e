/**
 * Strict parsing of a SigV4 `Authorization` header:
 *   AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/sagemaker/aws4_request, SignedHeaders=host;x-amz-date, Signature=<64 hex>
 * Anything else is an IncompleteSignatureException, phrased like AWS phrases it.
 */
import { ALGORITHM } from '../signing/sigv4.ts';
import { incompleteSignature, type ServiceError } from './errors.ts';

export interface ParsedAuthorization {
  accessKeyId: string;
  scopeDate: string;
  scopeRegion: string;
  scopeService: string;
  scopeTerminator: string;
  signedHeaders: string[];
  signature: string;
}

const REQUIRED = ['Credential', 'SignedHeaders', 'Signature'] as const;

/** The header exactly as SigV4 clients write it; anything else goes through the field-by-field parser below. */
const WELL_FORMED =
  /^AWS4-HMAC-SHA256 Credential=([^/\s,]+)\/([^/\s,]+)\/([^/\s,]+)\/([^/\s,]+)\/([^/\s,]+), ?SignedHeaders=([^\s,=]+), ?Signature=([^\s,=]+)$/;

/** Parses the header; `hasDate` says whether the request carries X-Amz-Date (AWS reports both together). */
export function parseAuthorization(header: string, hasDate: boolean): ParsedAuthorization | ServiceError {
  const m = hasDate ? WELL_FORMED.exec(header) : null;
  if (m)
    return {
      accessKeyId: m[1],
      scopeDate: m[2],
      scopeRegion: m[3],
      scopeService: m[4],
      scopeTerminator: m[5],
      signedHeaders: m[6].split(';'),
      signature: m[7],
    };
  const space = header.indexOf(' ');
  const algorithm = space < 0 ? header : header.slice(0, space);
  if (algorithm !== ALGORITHM)
    return incompleteSignature(
      `Unsupported Authorization algorithm '${redactSignature(algorithm)}'; sign the request with ${ALGORITHM} (Signature Version 4).`,
    );
  const fields = new Map<string, string>();
  const problems: string[] = [];
  for (const part of header.slice(space + 1).split(',')) {
    const item = part.trim();
    if (item === '') continue;
    const eq = item.indexOf('=');
    const key = eq < 0 ? item : item.slice(0, eq);
    if (eq < 0 || !(REQUIRED as readonly string[]).includes(key)) {
      problems.push(
        `'${redactSignature(item)}' is not a valid key=value pair (missing equal-sign) in Authorization header: '${redactSignature(header)}'.`,
      );
      continue;
    }
    if (fields.has(key)) {
      problems.push(`Authorization header has the '${key}' parameter more than once.`);
      continue;
    }
    fields.set(key, item.slice(eq + 1));
  }
  for (const key of REQUIRED) if (!fields.get(key)) problems.push(`Authorization header requires '${key}' parameter.`);
  if (!hasDate) problems.push(`Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.`);
  if (problems.length) return incompleteSignature(`${problems.join(' ')} Authorization=${redactSignature(header)}`);

  const scope = fields.get('Credential')!.split('/');
  if (scope.length !== 5 || scope.some((s) => s === ''))
    return incompleteSignature(
      `Credential should have exactly 5 parts separated by '/': access key id, date, region, service and 'aws4_request'; got '${redactSignature(fields.get('Credential')!)}'.`,
    );
  const [accessKeyId, scopeDate, scopeRegion, scopeService, scopeTerminator] = scope;
  const signedHeaders = fields.get('SignedHeaders')!.split(';');
  return { accessKeyId, scopeDate, scopeRegion, scopeService, scopeTerminator, signedHeaders, signature: fields.get('Signature')! };
}

/**
 * An Authorization header (or a part of one) fit to quote in an error message or a capture line: the
 * value after any "Signature" (up to the next comma), and any run of 32 or more hex digits wherever it
 * stands, become REDACTED, so no signature is ever echoed however malformed the header is.
 */
export function redactSignature(text: string): string {
  return text.replace(/Signature\b[^,]*/gi, 'Signature=REDACTED').replace(/[0-9a-f]{32,}/gi, 'REDACTED');
}
