/**
 * The environments file (docs/variables.md#environments): YAML the user can commit, read the same way by
 * the app's host and the CLI's `--env FILE`. Shape:
 *
 *   environments:
 *     demo:
 *       device: sim-001
 *       fleet: demo-fleet
 *
 * Values are scalars (strings, numbers, booleans: kept as their text). Every problem has its line and column.
 */
import { isMap, isScalar, LineCounter, parseDocument, type Node } from 'yaml';
import type { EnvironmentsProblem } from './types.ts';

/** A variable's name: what `{{name}}` may hold (letters, digits, `_`, `-`, `.`; starting with a letter or `_`). */
export const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** Built-ins an environment cannot redefine (`device` it may: it is what `{{device}}` falls back to). */
const RESERVED: readonly string[] = ['now', 'uuid', 'random'];

export interface ParsedEnvironments {
  environments: Record<string, Record<string, string>>;
  problems: EnvironmentsProblem[];
}

export function parseEnvironments(text: string): ParsedEnvironments {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const problems: EnvironmentsProblem[] = [];
  const at = (offset: number | undefined, message: string): void => {
    const pos = lines.linePos(offset ?? 0);
    problems.push({ line: pos.line, column: pos.col, message });
  };
  const offsetOf = (node: Node | null | undefined): number | undefined => node?.range?.[0];
  for (const error of doc.errors) at(error.pos[0], error.message.split('\n')[0]!);
  const environments: Record<string, Record<string, string>> = {};
  if (problems.length > 0 || doc.contents === null) return { environments, problems };
  if (!isMap(doc.contents)) {
    at(offsetOf(doc.contents), 'The file must be a map with an "environments" key.');
    return { environments, problems };
  }
  for (const pair of doc.contents.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (key !== 'environments') at(offsetOf(pair.key as Node), `Unknown key "${key}": the file holds "environments".`);
  }
  const envs = doc.contents.get('environments', true) as Node | undefined;
  if (envs === undefined || (isScalar(envs) && envs.value === null)) return { environments, problems };
  if (!isMap(envs)) {
    at(offsetOf(envs), '"environments" must map each environment name to its variables.');
    return { environments, problems };
  }
  for (const pair of envs.items) {
    const name = isScalar(pair.key) ? String(pair.key.value) : '';
    if (!name.trim()) {
      at(offsetOf(pair.key as Node), 'An environment needs a name.');
      continue;
    }
    const vars: Record<string, string> = {};
    environments[name] = vars;
    const value = pair.value as Node | null;
    if (value === null || (isScalar(value) && value.value === null)) continue;
    if (!isMap(value)) {
      at(offsetOf(value), `Environment "${name}" must map variable names to values.`);
      continue;
    }
    for (const entry of value.items) {
      const variable = isScalar(entry.key) ? String(entry.key.value) : '';
      if (RESERVED.includes(variable)) {
        at(offsetOf(entry.key as Node), `"${variable}" is a built-in ({{${variable}}}): choose another name for this variable.`);
        continue;
      }
      if (!VARIABLE_NAME.test(variable)) {
        at(offsetOf(entry.key as Node), `"${variable}" is not a variable name (letters, digits, _ - . ; starting with a letter or _).`);
        continue;
      }
      const v = entry.value as Node | null;
      if (v !== null && !isScalar(v)) {
        at(offsetOf(v), `The value of "${variable}" in "${name}" must be a single value (text or a number).`);
        continue;
      }
      vars[variable] = v === null || v.value === null ? '' : String(v.value);
    }
  }
  return { environments, problems };
}

/**
 * The environment to use when none is named: the only one, or the one called `default`; undefined when
 * there is none or the choice is not plain (several and no `default`).
 */
export function defaultEnvironment(environments: Readonly<Record<string, unknown>>): string | undefined {
  const names = Object.keys(environments);
  if (names.length === 1) return names[0];
  return names.includes('default') ? 'default' : undefined;
}

/** An example file, for the dialog of an empty file and the docs. */
export const EXAMPLE_ENVIRONMENTS = `# Named sets of variables for {{name}} in requests (docs/variables.md).
environments:
  demo:
    device: sim-001
    fleet: demo-fleet
  staging:
    device: cam-staging-01
    fleet: staging-fleet
`;
