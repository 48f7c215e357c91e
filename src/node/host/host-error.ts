import { AppError, sentenceOf as sentence, type ErrorCode } from '../../common/errors.ts';

/** A failure a host reports to the UI: one sentence for a person, never a stack; its code decides the HTTP status. */
export class HostError extends AppError {
  constructor(message: string, code: ErrorCode = 'BAD_INPUT') {
    super(code, message);
    this.name = 'HostError';
  }
}

/** The sentence to show for any failure inside a host. */
export const sentenceOf = (error: unknown): string => sentence(error, 'The host');
