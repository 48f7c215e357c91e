/**
 * The CLI's variables (docs/variables.md#the-cli): `--env FILE`, `--environment NAME`, `--var K=V`
 * (several), `--now TIME` and `--seed N`, read into one resolver over the shared code
 * (src/common/variables/resolve.ts), so `send` and `replay` resolve exactly as the app does.
 */
import { readFile } from 'node:fs/promises';
import { AppError } from '../../common/errors.ts';
import { defaultEnvironment, parseEnvironments, VARIABLE_NAME } from '../../common/variables/environments.ts';
import { createVariableResolver, seededSources, type VariableResolver, type VariableSources } from '../../common/variables/resolve.ts';
import { parseTimestamp } from '../../common/wire/timestamps.ts';
import { environmentsFile } from '../history/paths.ts';

/** parseArgs options of every command that resolves variables. */
export const VARIABLE_OPTIONS = {
  env: { type: 'string' },
  environment: { type: 'string' },
  var: { type: 'string', multiple: true },
  now: { type: 'string' },
  seed: { type: 'string' },
} as const;

export interface VariableValues {
  env?: string;
  environment?: string;
  var?: string[];
  now?: string;
  seed?: string;
}

export const VARIABLES_HELP = `Variables ({{now}}, {{uuid}}, {{random:MIN:MAX}}, {{device}}, {{NAME}}; docs/variables.md):
  --env FILE              the environments file (YAML: environments: NAME: {variable: value, ...})
  --environment NAME      the environment of that file to use (default: the only one, or the one
                          named "default"); without --env, the app's file ($HEARTBEAT_ENVIRONMENTS,
                          else environments.yaml in the configuration folder)
  --var NAME=VALUE        a variable, beating the environment's value; several allowed
  --now TIME              what {{now}} is: epoch seconds, ISO 8601 or relative (-5m); default: the
                          send time
  --seed N                {{uuid}} and {{random:MIN:MAX}} from a seeded generator: the same seed
                          gives the same values (reproducible payloads)`;

const bad = (message: string): AppError => new AppError('BAD_INPUT', message);

/** `--var NAME=VALUE` lines → variables (the later of the same name wins). */
export function parseVarOptions(specs: readonly string[] = []): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    const name = eq < 0 ? spec : spec.slice(0, eq);
    if (eq < 0 || !VARIABLE_NAME.test(name))
      throw bad(
        `--var takes NAME=VALUE (NAME: letters, digits, _ - . starting with a letter or _), not "${spec}"; e.g. --var device=sim-001.`,
      );
    if (name === 'now') throw bad('now is a built-in: give its time with --now TIME, not --var now=….');
    if (name === 'uuid' || name === 'random') throw bad(`${name} is a built-in: --seed N makes {{${name}}} reproducible.`);
    vars[name] = spec.slice(eq + 1);
  }
  return vars;
}

/** Reads an environments file and picks the environment: every problem is one sentence naming FILE:LINE:COLUMN. */
export async function loadEnvironment(
  file: string,
  name: string | undefined,
): Promise<{ environment: Record<string, string>; environmentName?: string }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw bad(
      code === 'ENOENT'
        ? `The environments file ${file} does not exist.`
        : code === 'EISDIR'
          ? `The environments file ${file} is a folder, not a file.`
          : `Cannot read the environments file ${file} (${code ?? (error as Error).message}).`,
    );
  }
  const parsed = parseEnvironments(text);
  const first = parsed.problems[0];
  if (first)
    throw bad(
      `${file}:${first.line}:${first.column}: ${first.message}${parsed.problems.length > 1 ? ` (and ${parsed.problems.length - 1} more problem${parsed.problems.length === 2 ? '' : 's'})` : ''}`,
    );
  const names = Object.keys(parsed.environments);
  if (name !== undefined) {
    if (!Object.prototype.hasOwnProperty.call(parsed.environments, name))
      throw bad(
        `There is no environment "${name}" in ${file}; ${names.length ? `it has ${names.map((n) => `"${n}"`).join(', ')}` : 'it has none'}.`,
      );
    return { environment: parsed.environments[name]!, environmentName: name };
  }
  const chosen = defaultEnvironment(parsed.environments);
  if (chosen === undefined) {
    if (names.length === 0) return { environment: {} };
    throw bad(
      `${file} has ${names.length} environments (${names.join(', ')}) and none is named "default": choose one with --environment NAME.`,
    );
  }
  return { environment: parsed.environments[chosen]!, environmentName: chosen };
}

/** The sources --now and --seed fix (empty: the send time, crypto's UUIDs, Math.random). */
export function variableSources(values: Pick<VariableValues, 'now' | 'seed'>): VariableSources {
  const sources: VariableSources = {};
  if (values.now !== undefined) {
    const seconds = parseTimestamp(values.now);
    if (seconds === undefined)
      throw bad(`--now takes epoch seconds, ISO 8601 (2026-11-30T12:00:00Z) or a relative time (-5m), not "${values.now}".`);
    sources.now = () => seconds * 1000;
  }
  if (values.seed !== undefined) Object.assign(sources, seededSources(/^\d+$/.test(values.seed) ? Number(values.seed) : values.seed));
  return sources;
}

/**
 * The resolver the options describe: `send` calls it once, `replay` once per item (after its rewrites,
 * before signing). Always one, with no option too: the built-ins resolve anyway.
 */
export async function variableOptions(values: VariableValues, env: NodeJS.ProcessEnv = process.env): Promise<VariableResolver> {
  const vars = parseVarOptions(values.var);
  const sources = variableSources(values);
  const file = values.env ?? (values.environment !== undefined ? environmentsFile(env) : undefined);
  const loaded = file !== undefined ? await loadEnvironment(file, values.environment) : { environment: {} };
  return createVariableResolver({ ...loaded, vars, ...sources });
}
