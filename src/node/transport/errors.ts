/** Network failures → the log's TransportErrorCode and one plain sentence, never a stack. */
import type { TransportErrorCode } from '../../common/log/entry.ts';

export class TransportFailure extends Error {
  constructor(
    readonly code: TransportErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'HOSTNAME_MISMATCH',
]);

function codesOf(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    const name = (current as { name?: unknown }).name;
    if (name === 'AbortError') codes.push('ABORT');
    current = (current as { cause?: unknown }).cause;
  }
  return codes;
}

export function classifyTransportError(error: unknown, where: string, timeouts: { connectMs: number; readMs: number }): TransportFailure {
  if (error instanceof TransportFailure) return error;
  const codes = codesOf(error);
  const has = (...wanted: string[]): boolean => codes.some((c) => wanted.includes(c));
  const seconds = (ms: number): string => `${+(ms / 1000).toFixed(3)} s`;
  if (has('ABORT', 'UND_ERR_ABORTED')) return new TransportFailure('aborted', 'The request was cancelled.');
  if (has('ECONNREFUSED'))
    return new TransportFailure(
      'refused',
      `Connection refused by ${where}; check that the endpoint is running and the URL's port is right.`,
    );
  if (has('ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL'))
    return new TransportFailure('dns', `The host name of ${where} could not be resolved; check the URL or your DNS and network.`);
  if (has('UND_ERR_CONNECT_TIMEOUT', 'HB_CONNECT_TIMEOUT'))
    return new TransportFailure(
      'timeout',
      `No connection to ${where} within ${seconds(timeouts.connectMs)}; check the network or raise --connect-timeout.`,
    );
  if (has('UND_ERR_HEADERS_TIMEOUT'))
    return new TransportFailure(
      'timeout',
      `${where} sent no response within ${seconds(timeouts.readMs)}; the server may be stuck, or raise --read-timeout.`,
    );
  if (has('UND_ERR_BODY_TIMEOUT'))
    return new TransportFailure(
      'timeout',
      `${where} stopped sending the response body for ${seconds(timeouts.readMs)}; the server may be stuck, or raise --read-timeout.`,
    );
  if (has('ETIMEDOUT')) return new TransportFailure('timeout', `The connection to ${where} timed out; check the network.`);
  if (codes.some((c) => TLS_CODES.has(c) || c.startsWith('ERR_TLS_') || c.startsWith('ERR_SSL_') || c.startsWith('ERR_OSSL'))) {
    const code = codes.find((c) => TLS_CODES.has(c) || c.startsWith('ERR_'));
    return new TransportFailure(
      'tls',
      `The TLS certificate of ${where} was not accepted (${code}); pass --ca-bundle with its CA, or --no-verify-ssl for a test server you trust.`,
    );
  }
  if (has('ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET', 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH', 'HPE_INVALID_CONSTANT')) {
    return new TransportFailure(
      'reset',
      `${where} closed the connection before the response was complete; the server or a proxy dropped it.`,
    );
  }
  const message = (error as Error)?.message ?? String(error);
  return new TransportFailure('other', `The request to ${where} failed: ${message.replace(/\.$/, '')}.`);
}
