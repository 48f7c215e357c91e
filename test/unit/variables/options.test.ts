/** The CLI's variable options (src/node/variables/options.ts): --var, --env/--environment, --now, --seed, each failure one sentence (exit 2). */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadEnvironment, parseVarOptions, variableOptions, variableSources } from '../../../src/node/variables/options.ts';
import { EXIT_CODE_OF, isAppError } from '../../../src/common/errors.ts';

const dir = mkdtempSync(join(tmpdir(), 'hb-vars-'));
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const two = file('two.yaml', 'environments:\n  demo:\n    device: sim-001\n  staging:\n    device: cam-stg\n');

async function refusal(work: () => unknown): Promise<string> {
  try {
    await work();
  } catch (error) {
    expect(isAppError(error)).toBe(true);
    expect(EXIT_CODE_OF[(error as { code: 'BAD_INPUT' }).code]).toBe(2);
    return (error as Error).message;
  }
  throw new Error('not refused');
}

describe('--var', () => {
  it('NAME=VALUE, several, the value may hold = and be empty', () => {
    expect(parseVarOptions(['a=1', 'b=x=y', 'c=', 'a=2'])).toEqual({ a: '2', b: 'x=y', c: '' });
  });
  it('refuses a malformed one and the built-ins with one sentence each', async () => {
    expect(await refusal(() => parseVarOptions(['device']))).toBe(
      '--var takes NAME=VALUE (NAME: letters, digits, _ - . starting with a letter or _), not "device"; e.g. --var device=sim-001.',
    );
    expect(await refusal(() => parseVarOptions(['1x=2']))).toMatch(/not "1x=2"/);
    expect(await refusal(() => parseVarOptions(['now=1']))).toBe('now is a built-in: give its time with --now TIME, not --var now=….');
    expect(await refusal(() => parseVarOptions(['uuid=1']))).toBe('uuid is a built-in: --seed N makes {{uuid}} reproducible.');
  });
});

describe('--env and --environment', () => {
  it('the named environment; the only one or "default" when none is named', async () => {
    expect(await loadEnvironment(two, 'staging')).toEqual({ environment: { device: 'cam-stg' }, environmentName: 'staging' });
    const one = file('one.yaml', 'environments:\n  only:\n    a: b\n');
    expect(await loadEnvironment(one, undefined)).toEqual({ environment: { a: 'b' }, environmentName: 'only' });
    const def = file('def.yaml', 'environments:\n  x: {}\n  default:\n    a: c\n');
    expect(await loadEnvironment(def, undefined)).toEqual({ environment: { a: 'c' }, environmentName: 'default' });
    expect(await loadEnvironment(file('empty.yaml', ''), undefined)).toEqual({ environment: {} });
  });
  it('clear sentences: a missing file, a folder, a problem at FILE:LINE:COL, an unknown name listing the names, no default', async () => {
    expect(await refusal(() => loadEnvironment(join(dir, 'nope.yaml'), undefined))).toBe(
      `The environments file ${join(dir, 'nope.yaml')} does not exist.`,
    );
    expect(await refusal(() => loadEnvironment(dir, undefined))).toBe(`The environments file ${dir} is a folder, not a file.`);
    const bad = file('bad.yaml', 'environments:\n  demo:\n    now: 1\n    x y: 2\n');
    expect(await refusal(() => loadEnvironment(bad, undefined))).toBe(
      `${bad}:3:5: "now" is a built-in ({{now}}): choose another name for this variable. (and 1 more problem)`,
    );
    expect(await refusal(() => loadEnvironment(two, 'prod'))).toBe(`There is no environment "prod" in ${two}; it has "demo", "staging".`);
    expect(await refusal(() => loadEnvironment(two, undefined))).toBe(
      `${two} has 2 environments (demo, staging) and none is named "default": choose one with --environment NAME.`,
    );
  });
  it("--environment without --env reads the app's file ($HEARTBEAT_ENVIRONMENTS)", async () => {
    const resolve = await variableOptions({ environment: 'demo' }, { HEARTBEAT_ENVIRONMENTS: two });
    expect(resolve('{"x":"{{device}}"}').text).toBe('{"x":"sim-001"}');
    expect(resolve.context.environmentName).toBe('demo');
  });
  it('--var beats the environment', async () => {
    const resolve = await variableOptions({ env: two, environment: 'demo', var: ['device=over'] });
    expect(resolve('{"x":"{{device}}"}').text).toBe('{"x":"over"}');
  });
});

describe('--now and --seed', () => {
  it('--now takes epoch seconds, ISO 8601 or relative; refuses anything else', async () => {
    expect(variableSources({ now: '1764000000' }).now!()).toBe(1_764_000_000_000);
    expect(variableSources({ now: '2025-11-24T16:00:00Z' }).now!()).toBe(1_764_000_000_000);
    expect(await refusal(() => variableSources({ now: 'yesterday-ish' }))).toMatch(/^--now takes epoch seconds, ISO 8601/);
  });
  it('--seed makes uuid and random reproducible', async () => {
    const a = await variableOptions({ seed: '7' });
    const b = await variableOptions({ seed: '7' });
    const text = '{"x":"{{uuid}} {{random:1:1000000}}"}';
    expect(a(text).text).toBe(b(text).text);
  });
});
