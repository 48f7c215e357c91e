/**
 * Coded errors (docs/architecture.md#errors): every failure a person may see is an AppError with a code
 * and one sentence; what a caller does with it (the CLI's exit code, the HTTP host's status) is derived
 * from the code, never from a list of classes. Recognised across bundles (the CLI's command files are
 * separate bundles) by a brand, not `instanceof`.
 */
export type ErrorCode =
  /** Input refused: arguments, options, a file's contents, a request document. */
  | 'BAD_INPUT'
  /** Input over a size limit. */
  | 'TOO_LARGE'
  /** A payload the model refuses (validate and send's checks). */
  | 'INVALID_PAYLOAD'
  /** What was asked for does not exist (a history entry, held keys). */
  | 'NOT_FOUND'
  /** Not now: sends in flight, a port taken. */
  | 'CONFLICT'
  /** No usable credentials. */
  | 'CREDENTIALS'
  /** The target cannot be resolved (region, URL). */
  | 'TARGET'
  /** The transport cannot be set up (CA bundle, proxy). */
  | 'TRANSPORT_CONFIG'
  /** The network failed: refused, reset, timeout, TLS, DNS. */
  | 'TRANSPORT'
  /** The service answered with an error. */
  | 'SERVICE'
  /** The history cannot be written or read. */
  | 'HISTORY'
  /** The embedded endpoint's configuration is not usable. */
  | 'ENDPOINT_CONFIG'
  /** A bug: nothing the user did. */
  | 'INTERNAL';

/** The CLI's exit code of each code (0 success, 1 invalid payload or service error, 2 bad input, 3 transport error). */
export const EXIT_CODE_OF: Readonly<Record<ErrorCode, number>> = {
  BAD_INPUT: 2,
  TOO_LARGE: 2,
  INVALID_PAYLOAD: 1,
  NOT_FOUND: 2,
  CONFLICT: 2,
  CREDENTIALS: 2,
  TARGET: 2,
  TRANSPORT_CONFIG: 2,
  TRANSPORT: 3,
  SERVICE: 1,
  HISTORY: 2,
  ENDPOINT_CONFIG: 2,
  INTERNAL: 2,
};

/** The HTTP status browser mode's host answers each code with. */
export const HTTP_STATUS_OF: Readonly<Record<ErrorCode, number>> = {
  BAD_INPUT: 400,
  TOO_LARGE: 413,
  INVALID_PAYLOAD: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  CREDENTIALS: 400,
  TARGET: 400,
  TRANSPORT_CONFIG: 400,
  TRANSPORT: 502,
  SERVICE: 502,
  HISTORY: 500,
  ENDPOINT_CONFIG: 400,
  INTERNAL: 500,
};

const BRAND = Symbol.for('heartbeat-composer.AppError');

export class AppError extends Error {
  readonly [BRAND] = true;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AppError';
  }
}

export function isAppError(value: unknown): value is AppError {
  return typeof value === 'object' && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true;
}

/** One sentence for any failure: an AppError's own, anything else wrapped as what failed. */
export function sentenceOf(error: unknown, what = 'The operation'): string {
  if (isAppError(error)) return error.message;
  const message = error instanceof Error ? error.message : String(error);
  return /[.!?]$/.test(message) ? message : `${what} failed: ${message}.`;
}
