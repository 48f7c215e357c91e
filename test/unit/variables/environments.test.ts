/** The environments file (docs/variables.md#environments): parsed with every problem at its line and column; the default environment. */
import { describe, expect, it } from 'vitest';
import { defaultEnvironment, EXAMPLE_ENVIRONMENTS, parseEnvironments } from '../../../src/common/variables/environments.ts';

describe('parseEnvironments', () => {
  it('reads named environments; scalar values are kept as their text', () => {
    const parsed = parseEnvironments('environments:\n  demo:\n    device: sim-001\n    count: 3\n    on: true\n    empty:\n  bare:\n');
    expect(parsed.problems).toEqual([]);
    expect(parsed.environments).toEqual({ demo: { device: 'sim-001', count: '3', on: 'true', empty: '' }, bare: {} });
  });
  it('the example the dialog starts from is valid', () => {
    expect(parseEnvironments(EXAMPLE_ENVIRONMENTS)).toMatchObject({ problems: [], environments: { demo: { device: 'sim-001' } } });
  });
  it('an empty file has no environments and no problem', () => {
    expect(parseEnvironments('')).toEqual({ environments: {}, problems: [] });
    expect(parseEnvironments('# nothing yet\n')).toEqual({ environments: {}, problems: [] });
  });
  it('problems at line and column', () => {
    const cases: Array<[string, { line: number; column: number; message: RegExp }]> = [
      [
        'environments:\n  demo:\n    device: [a, b]\n',
        { line: 3, column: 13, message: /^The value of "device" in "demo" must be a single value/ },
      ],
      ['environments:\n  demo:\n    bad name: x\n', { line: 3, column: 5, message: /^"bad name" is not a variable name/ }],
      [
        'environments:\n  demo:\n    now: x\n',
        { line: 3, column: 5, message: /^"now" is a built-in \(\{\{now\}\}\): choose another name/ },
      ],
      ['environments:\n  demo: sim-001\n', { line: 2, column: 9, message: /^Environment "demo" must map variable names to values/ }],
      ['envs:\n  demo: {}\n', { line: 1, column: 1, message: /^Unknown key "envs": the file holds "environments"/ }],
      ['environments: [a]\n', { line: 1, column: 15, message: /^"environments" must map each environment name/ }],
      ['- a\n', { line: 1, column: 1, message: /^The file must be a map with an "environments" key/ }],
      ['environments:\n  demo:\n    device: a\n    device: b\n', { line: 4, column: 5, message: /unique/i }],
      ['environments:\n  demo:\n    device: "unclosed\n', { line: 4, column: 1, message: /^Missing closing "quote/ }],
    ];
    for (const [text, want] of cases) {
      const first = parseEnvironments(text).problems[0];
      expect(first, text).toBeDefined();
      expect({ line: first!.line, column: first!.column }, text).toEqual({ line: want.line, column: want.column });
      expect(first!.message, text).toMatch(want.message);
    }
  });
});

describe('defaultEnvironment', () => {
  it('the only one, else the one named default, else none', () => {
    expect(defaultEnvironment({ a: {} })).toBe('a');
    expect(defaultEnvironment({ a: {}, default: {} })).toBe('default');
    expect(defaultEnvironment({ a: {}, b: {} })).toBeUndefined();
    expect(defaultEnvironment({})).toBeUndefined();
  });
});
