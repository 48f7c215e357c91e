/** A failure the CLI reports as one sentence, with its exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = 2,
  ) {
    super(message);
  }
}

/** Exit codes shared by every command. */
export const EXIT = { ok: 0, invalid: 1, serviceError: 1, badInput: 2, transport: 3 } as const;
