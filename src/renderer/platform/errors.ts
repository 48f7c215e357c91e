/** A failure a platform call reports to the user: `message` is one sentence saying what happened and what to do. */
export class PlatformError extends Error {
  constructor(
    message: string,
    readonly code: 'not-connected' | 'unauthorized' | 'host' | 'network' | 'protocol',
  ) {
    super(message);
    this.name = 'PlatformError';
  }
}

/** The sentence to show for any thrown value. */
export function errorSentence(error: unknown): string {
  if (error instanceof PlatformError) return error.message;
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong; try again, and report it if it keeps happening.';
}
