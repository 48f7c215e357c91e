/**
 * An HTTP answer → the typed Outcome the log and UI share: success, or a service error with its type,
 * message and request id; for a 403 about the signature, a diagnosis in plain words.
 */
import type { Outcome } from '../../common/log/entry.ts';
import type { RawResponse } from '../transport/send-once.ts';

export interface ParsedServiceError {
  errorType: string;
  message: string;
}

/** restJson1 error: x-amzn-ErrorType (before any ':'), else the body's __type/code; message from message/Message. */
export function parseServiceError(response: RawResponse): ParsedServiceError {
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(response.body);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
  } catch {
    // not JSON: the status line is all we have
  }
  const fromHeader = response.headers['x-amzn-errortype']?.split(':')[0]?.trim();
  const fromBody = typeof body.__type === 'string' ? body.__type : typeof body.code === 'string' ? body.code : undefined;
  const errorType = fromHeader || fromBody?.split('#').pop() || `Http${response.status}Error`;
  const rawMessage = body.message ?? body.Message ?? body.errorMessage;
  const message =
    typeof rawMessage === 'string' && rawMessage
      ? rawMessage
      : response.body.trim().slice(0, 200) || `HTTP ${response.status} without a message`;
  return { errorType, message };
}

export function requestIdOf(headers: Record<string, string>): string | undefined {
  return headers['x-amzn-requestid'] ?? headers['x-amz-request-id'] ?? headers['x-amz-id-2'];
}

export function successOutcome(response: RawResponse): Outcome {
  const requestId = requestIdOf(response.headers);
  return { kind: 'success', status: response.status, ...(requestId ? { requestId } : {}), headers: response.headers, body: response.body };
}

export interface DiagnosisContext {
  /** Local clock minus the server's Date, in ms, when the response had a Date. */
  skewMs?: number;
  /** The scope we signed with. */
  region: string;
  service: string;
  /** The host we sent to. */
  host: string;
  accessKeyIdLast4: string;
}

function minutes(ms: number): string {
  const m = Math.abs(ms) / 60_000;
  return m >= 1 ? `${m.toFixed(1)} minutes` : `${Math.round(Math.abs(ms) / 1000)} seconds`;
}

/** Plain words for a 403 about authentication; undefined when there is nothing useful to add. */
export function diagnose403(error: ParsedServiceError, context: DiagnosisContext): string | undefined {
  const { errorType, message } = error;
  if (errorType === 'UnrecognizedClientException' || errorType === 'InvalidClientTokenId') {
    return `The endpoint does not know the access key ending in ${context.accessKeyIdLast4}: check the profile or keys, or that you are sending to the right endpoint (the embedded endpoint only accepts its demo keys).`;
  }
  if (errorType === 'MissingAuthenticationTokenException')
    return 'The request reached the endpoint unsigned; a proxy may have stripped the Authorization header.';
  if (errorType === 'ExpiredTokenException')
    return 'The session token has expired: refresh the temporary credentials (for SSO, run "aws sso login").';
  if (errorType !== 'InvalidSignatureException' && errorType !== 'SignatureDoesNotMatch' && errorType !== 'AccessDeniedException')
    return undefined;
  if (/expired|not yet current|too skewed/i.test(message) || (context.skewMs !== undefined && Math.abs(context.skewMs) >= 5 * 60_000)) {
    const skew =
      context.skewMs === undefined ? 'more than 5 minutes' : `${minutes(context.skewMs)} ${context.skewMs > 0 ? 'ahead of' : 'behind'}`;
    return `This computer's clock is ${skew} the server's (measured from its Date header); AWS refuses signatures more than 5 minutes off, so set the system clock right (enable NTP).`;
  }
  const hostRegion = /\.([a-z]{2}(?:-[a-z]+)+-\d+)\.amazonaws\.com/.exec(context.host)?.[1];
  if (/scoped to a valid region/i.test(message) || (hostRegion && hostRegion !== context.region)) {
    return `The request was signed for region ${context.region}${hostRegion ? ` but sent to ${hostRegion}` : ', which the endpoint does not accept'}: sign for the endpoint's region (--region).`;
  }
  // AWS's mismatch message also says "Consult the service documentation": match the scope sentence only.
  if (/scoped to correct service/i.test(message) || context.service !== 'sagemaker') {
    return `The request was signed for service "${context.service}"; Edge Manager expects the signing name "sagemaker".`;
  }
  if (errorType === 'AccessDeniedException') return undefined;
  return `The signature did not match: the secret key for the access key ending in ${context.accessKeyIdLast4} is probably wrong (or a proxy changed the request); check the credentials.`;
}
