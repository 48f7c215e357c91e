/**
 * Marks CliErrors across copies of this class: the dispatcher (dist/cli.cjs) and each command file in
 * dist/cli-commands/ are separate bundles, each with its own CliError, and `instanceof` must still hold.
 */
const CLI_ERROR = Symbol.for('heartbeat-composer.CliError');

/** A failure the CLI reports as one sentence, with its exit code. */
export class CliError extends Error {
  readonly [CLI_ERROR] = true;

  constructor(
    message: string,
    readonly exitCode: number = 2,
  ) {
    super(message);
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as { [CLI_ERROR]?: unknown })[CLI_ERROR] === true;
  }
}

/** Exit codes shared by every command. */
export const EXIT = { ok: 0, invalid: 1, serviceError: 1, badInput: 2, transport: 3 } as const;

/** Emitted on `process` when standard output (or error) is closed by its reader: long-running commands stop quietly. */
export const OUTPUT_CLOSED = 'heartbeat:output-closed';
