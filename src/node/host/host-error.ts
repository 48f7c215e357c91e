/** A failure a host reports to the UI: its message is one sentence for a person, never a stack. */
export class HostError extends Error {
  constructor(
    message: string,
    /** HTTP status the loopback host answers with. */
    readonly status = 400,
  ) {
    super(message);
    this.name = 'HostError';
  }
}

/** The sentence to show for any failure inside a host. */
export function sentenceOf(error: unknown): string {
  if (error instanceof HostError) return error.message;
  const message = error instanceof Error ? error.message : String(error);
  // Known service errors of src/node already speak in sentences; anything else is wrapped.
  return /[.!?]$/.test(message) ? message : `The host failed: ${message}.`;
}
