import { AppError, type ErrorCode } from '../common/errors.ts';

/**
 * A failure the CLI reports as one sentence; its exit code comes from its code (EXIT_CODE_OF in
 * src/common/errors.ts), like every AppError a command lets through. Recognised across the CLI's bundles
 * by AppError's brand (isAppError), never by `instanceof`.
 */
export class CliError extends AppError {
  constructor(message: string, code: ErrorCode = 'BAD_INPUT') {
    super(code, message);
  }
}

/** Exit codes shared by every command. */
export const EXIT = { ok: 0, invalid: 1, serviceError: 1, badInput: 2, transport: 3 } as const;

/** Emitted on `process` when standard output (or error) is closed by its reader: long-running commands stop quietly. */
export const OUTPUT_CLOSED = 'heartbeat:output-closed';
