/**
 * `heartbeat`: compose, validate, convert, sign, send and replay SageMaker Edge Manager heartbeats.
 * Every command has --help; every failure is one sentence on stderr and an exit code, never a stack.
 */
import { EXIT_CODE_OF, isAppError } from '../common/errors.ts';
import { CliError, EXIT, OUTPUT_CLOSED } from './cli-error.ts';

interface Command {
  summary: string;
  help: string;
  run(argv: string[]): Promise<number>;
}

const COMMANDS: Record<string, () => Promise<Command>> = {
  validate: async () => import('./commands/validate.ts'),
  serve: async () => import('./commands/serve.ts'),
  convert: async () => import('./commands/convert.ts'),
  skeleton: async () => import('./commands/skeleton.ts'),
  send: async () => import('./commands/send.ts'),
  replay: async () => import('./commands/replay.ts'),
  history: async () => import('./commands/history.ts'),
  fleet: async () => import('./commands/fleet.ts'),
  ui: async () => import('./commands/ui.ts'),
};

/**
 * V8 flags a command needs, set before its code loads (the code cache of a command is only valid under
 * the flags it was compiled with). `send`: one exchange needs no optimised HTTP parser; without
 * Liftoff-only, V8 compiles undici's parser (WebAssembly) again with TurboFan in the background after
 * the first answer, and the process waits for that compile before it can exit (~0.1 s, a third of a
 * send). A replay, which parses thousands of answers, keeps the default.
 */
const V8_FLAGS: Partial<Record<string, string>> = { send: '--liftoff-only' };

const VERSION = '0.1.0';

function usage(summaries: Record<string, string>): string {
  const width = Math.max(...Object.keys(summaries).map((n) => n.length));
  return `Usage: heartbeat <command> [options]

Compose, validate, sign, send, log and replay SageMaker Edge Manager SendHeartbeat requests.

Commands:
${Object.entries(summaries)
  .map(([name, text]) => `  ${name.padEnd(width)}  ${text}`)
  .join('\n')}

Run "heartbeat <command> --help" for a command's options.`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-v') {
    process.stdout.write(`heartbeat ${VERSION}\n`);
    return EXIT.ok;
  }
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const commands = await Promise.all(Object.entries(COMMANDS).map(async ([n, load]) => [n, (await load()).summary] as const));
    process.stdout.write(usage(Object.fromEntries(commands)) + '\n');
    return name === undefined ? EXIT.badInput : EXIT.ok;
  }
  const load = Object.prototype.hasOwnProperty.call(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!load) throw new CliError(`Unknown command "${name}"; run "heartbeat --help" for the list.`);
  const flags = V8_FLAGS[name];
  if (flags) (await import('node:v8')).setFlagsFromString(flags);
  const command = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(command.help + '\n');
    return EXIT.ok;
  }
  return command.run(rest);
}

function explain(error: unknown): string {
  if (isAppError(error)) return error.message;
  const code = (error as { code?: string }).code;
  // node:util parseArgs errors are already sentences about the arguments.
  if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))
    return `${(error as Error).message.replace(/\. To specify.*$/s, '')}.`.replace(/\.\.$/, '.');
  return `Unexpected failure: ${(error as Error)?.message ?? String(error)}.`;
}

/**
 * A reader that stopped (`heartbeat serve | head -3`, `history | head`) closes our standard output:
 * every command then ends quietly with exit 0, no stack. A long-running command (serve, ui) listens
 * for OUTPUT_CLOSED and shuts down as on SIGTERM; any other ends at once.
 */
let outputClosed = false;
function onOutputError(this: NodeJS.WriteStream, error: NodeJS.ErrnoException): void {
  if (outputClosed) return;
  outputClosed = true;
  if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') {
    // Not a reader that went away (a full disk, say): say so once on the other stream, if it is still there.
    const other = this === process.stdout ? process.stderr : process.stdout;
    try {
      other.write(
        `heartbeat: cannot write to standard ${this === process.stdout ? 'output' : 'error'} (${error.code ?? error.message}).\n`,
      );
    } catch {
      // nowhere left to say it
    }
    process.exit(EXIT.badInput);
  }
  process.exitCode = EXIT.ok;
  if (process.listenerCount(OUTPUT_CLOSED) > 0) (process as NodeJS.EventEmitter).emit(OUTPUT_CLOSED);
  else process.exit(EXIT.ok);
}
process.stdout.on('error', onOutputError);
process.stderr.on('error', onOutputError);

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = outputClosed ? EXIT.ok : code;
  },
  (error: unknown) => {
    process.stderr.write(`heartbeat: ${explain(error)}\n`);
    process.exitCode = isAppError(error) ? EXIT_CODE_OF[error.code] : EXIT.badInput;
  },
);
