/**
 * Command-line parsing shared by every command: node:util parseArgs, plus what users type that it
 * refuses or lets through. A value that starts with one dash is taken as the option's value
 * (`--since -1d`, as the help shows; parseArgs calls it ambiguous), an empty value is refused
 * (`--device-name ''`), and every parse error is one sentence naming the command's --help.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError } from './cli-error.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

/** `--flag -x` → `--flag=-x` for string options, so a negative or dash-led value is the flag's value. */
export function joinDashValues(argv: readonly string[], options: Options): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      out.push(...argv.slice(i));
      break;
    }
    const name = arg.startsWith('--') && !arg.includes('=') ? arg.slice(2) : undefined;
    const next = argv[i + 1];
    if (name !== undefined && options[name]?.type === 'string' && next !== undefined && /^-[^-]/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

function sentence(error: Error & { code?: string }, command: string): string {
  const first = error.message
    .split('\n')[0]!
    .replace(/\. To specify.*$/s, '')
    .replace(/\.$/, '');
  return `${first}; see "heartbeat ${command} --help".`;
}

type Parsed<O extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>>;

export function parseCommandLine<O extends Options>(command: string, argv: readonly string[], options: O): Parsed<O> {
  let parsed: Parsed<O>;
  try {
    parsed = parseArgs({ args: joinDashValues(argv, options), options, allowPositionals: true, strict: true });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) throw new CliError(sentence(error as Error, command));
    throw error;
  }
  for (const [name, value] of Object.entries(parsed.values)) {
    if (value === '' && options[name]?.type === 'string')
      throw new CliError(`--${name} needs a value, not an empty one; see "heartbeat ${command} --help".`);
  }
  return parsed;
}
