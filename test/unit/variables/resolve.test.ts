/**
 * The common resolver (docs/variables.md): every built-in, whole-string placeholders that become
 * numbers where the model wants them, text inside longer strings, unknown variables with their
 * offsets, the escape, the rest of the text byte for byte, and the shared vectors the CLI and the page
 * are checked against too (test/fixtures/variables/cases.json).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createVariableResolver,
  describeSubstitutions,
  findPlaceholders,
  resolveText,
  seededSources,
  unresolvedSentence,
  type VariableContext,
} from '../../../src/common/variables/resolve.ts';
import { checkText } from '../../../src/common/validation/check-text.ts';
import { VECTORS } from './vectors.ts';

const NOW_MS = 1_764_000_000_123;
const ctx = (variables: Record<string, string> = {}, extra: Partial<VariableContext> = {}): VariableContext => ({
  variables,
  now: () => NOW_MS,
  uuid: () => '11111111-2222-4333-8444-555555555555',
  random: () => 0.5,
  operation: 'SendHeartbeat',
  ...extra,
});

describe('built-ins', () => {
  it('{{now}}: a whole-string placeholder where the model wants a timestamp becomes epoch seconds as a number', () => {
    const text = '{"AgentMetrics":[{"Dimension":"d","MetricName":"temp","Value":1,"Timestamp":"{{now}}"}]}';
    expect(resolveText(text, ctx()).text).toBe('{"AgentMetrics":[{"Dimension":"d","MetricName":"temp","Value":1,"Timestamp":1764000000}]}');
  });
  it('{{now}} inside longer text is the same digits; {{now:iso}} is ISO 8601', () => {
    const r = resolveText('{"AgentVersion":"at {{now}} = {{now:iso}}"}', ctx());
    expect(r.text).toBe('{"AgentVersion":"at 1764000000 = 2025-11-24T16:00:00Z"}');
    expect(r.substitutions.map((s) => s.placeholder)).toEqual(['{{now}}', '{{now:iso}}']);
  });
  it('{{now}} where the model wants text stays text; every {{now}} of one request is the same instant', () => {
    let calls = 0;
    const r = resolveText('{"DeviceName":"{{now}}","AgentVersion":"{{now}}"}', ctx({}, { now: () => NOW_MS + 1000 * calls++ }));
    expect(r.text).toBe('{"DeviceName":"1764000000","AgentVersion":"1764000000"}');
    expect(calls).toBe(1);
  });
  it('{{uuid}}: a new UUID at each place', () => {
    let n = 0;
    const r = resolveText('{"a":"{{uuid}}","b":"x-{{uuid}}"}', ctx({}, { uuid: () => `u${++n}` }));
    expect(r.text).toBe('{"a":"u1","b":"x-u2"}');
    const real = resolveText('{"a":"{{uuid}}"}', { variables: {} }).text;
    expect(JSON.parse(real).a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
  it('{{random:MIN:MAX}}: a whole number in [MIN, MAX]; whole-string becomes a JSON number, even in an unknown member', () => {
    expect(resolveText('{"x":"{{random:1:6}}"}', ctx({}, { random: () => 0 })).text).toBe('{"x":1}');
    expect(resolveText('{"x":"{{random:1:6}}"}', ctx({}, { random: () => 0.999999 })).text).toBe('{"x":6}');
    expect(resolveText('{"x":"n{{random:-3:-3}}"}', ctx()).text).toBe('{"x":"n-3"}');
    fc.assert(
      fc.property(
        fc.integer({ min: -1000, max: 1000 }),
        fc.nat(1000),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (min, span, u) => {
          const v = Number(resolveText(`{"x":"{{random:${min}:${min + span}}}"}`, ctx({}, { random: () => u })).text.slice(5, -1));
          return Number.isInteger(v) && v >= min && v <= min + span;
        },
      ),
    );
  });
  it('{{random}} with bad arguments is a problem, not text', () => {
    for (const bad of ['{{random}}', '{{random:5}}', '{{random:a:b}}', '{{random:6:1}}']) {
      const r = resolveText(`{"x":"${bad}"}`, ctx());
      expect(r.problems, bad).toHaveLength(1);
      expect(r.text).toBe(`{"x":"${bad}"}`);
    }
    expect(resolveText('{"x":"{{random:6:1}}"}', ctx()).problems[0]!.message).toBe('{{random:6:1}}: MIN (6) is greater than MAX (1).');
  });
  it("{{device}} is the request's DeviceName as sent: literal, resolved, or the device variable", () => {
    expect(resolveText('{"DeviceName":"cam-7","x":"{{device}}"}', ctx({ device: 'sim-001' })).text).toBe(
      '{"DeviceName":"cam-7","x":"cam-7"}',
    );
    // DeviceName later in the text than its use, and built from other variables.
    expect(resolveText('{"x":"m-{{device}}","DeviceName":"{{fleet}}-{{device}}"}', ctx({ device: 'sim-001', fleet: 'f' })).text).toBe(
      '{"x":"m-f-sim-001","DeviceName":"f-sim-001"}',
    );
    expect(resolveText('{"DeviceFleetName":"{{device}}"}', ctx({ device: 'sim-9' })).text).toBe('{"DeviceFleetName":"sim-9"}');
    const missing = resolveText('{"DeviceName":"{{device}}"}', ctx());
    expect(missing.problems[0]!.message).toMatch(/^\{\{device\}\} in DeviceName needs a "device" variable/);
    expect(resolveText('{"x":"{{device}}"}', ctx()).problems[0]!.message).toMatch(
      /give the request a DeviceName, or define a "device" variable/,
    );
  });
  it('a built-in that takes no argument says so', () => {
    expect(resolveText('{"x":"{{uuid:4}}"}', ctx()).problems[0]!.message).toBe(
      '{{uuid}} takes no argument: write {{uuid}}, not {{uuid:4}}.',
    );
  });
});

describe('user variables', () => {
  it('are text, JSON-escaped, and numbers where the model wants one (when they are numbers)', () => {
    const vars = { v: 'a "b" \\ c\n', load: '0.75', word: 'high' };
    const text = '{"AgentVersion":"{{v}}","AgentMetrics":[{"Value":"{{load}}"},{"Value":"{{word}}"}]}';
    const r = resolveText(text, ctx(vars));
    expect(r.text).toBe('{"AgentVersion":"a \\"b\\" \\\\ c\\n","AgentMetrics":[{"Value":0.75},{"Value":"high"}]}');
    expect(JSON.parse(r.text).AgentVersion).toBe(vars.v);
  });
  it('an override beats the environment', () => {
    const resolve = createVariableResolver({ environment: { device: 'a', fleet: 'f' }, vars: { device: 'b' } });
    expect(resolve('{"x":"{{device}}/{{fleet}}"}').text).toBe('{"x":"b/f"}');
  });
  it('an unknown variable is a problem at its offset, naming the environment and its variables; the text keeps it', () => {
    const text = '{"DeviceName":"cam","DeviceFleetName":"x-{{fleet}}"}';
    const r = resolveText(text, ctx({ device: 'a', region: 'eu' }, { environmentName: 'demo' }));
    expect(r.problems).toEqual([
      {
        placeholder: '{{fleet}}',
        offset: text.indexOf('{{fleet}}'),
        length: 9,
        path: '/DeviceFleetName',
        message:
          '{{fleet}} is not defined: the environment "demo" has device, region; the built-ins are now, uuid, random:MIN:MAX and device.',
      },
    ]);
    expect(r.text).toBe(text);
    expect(resolveText('{"x":"{{a}}"}', { variables: {} }).problems[0]!.message).toMatch(/: no environment is chosen;/);
    expect(unresolvedSentence([...r.problems, ...r.problems])).toMatch(/\(and 1 more unresolved placeholder\)$/);
  });
  it('member names resolve as text', () => {
    expect(resolveText('{"{{k}}": 1, "n{{random:2:2}}": 2, "{{random:3:3}}" : 3}', ctx({ k: 'key' })).text).toBe(
      '{"key": 1, "n2": 2, "3" : 3}',
    );
  });
});

describe('syntax and escaping', () => {
  it('a backslash before {{ keeps the braces as text (the backslash goes); braces that spell no placeholder stay', () => {
    const text = String.raw`{"a":"\\{{now}} {{ now }} {{ not one}} {{}} {x} {{{now}}}"}`;
    expect(resolveText(text, ctx()).text).toBe('{"a":"{{now}} 1764000000 {{ not one}} {{}} {x} {1764000000}"}');
  });
  it('findPlaceholders lists what would be resolved, with offsets', () => {
    expect(findPlaceholders('a {{now}} \\{{uuid}} {{ x:1 }} {{a b}}')).toEqual([
      { offset: 2, length: 7, name: 'now' },
      { offset: 20, length: 9, name: 'x', args: '1' },
    ]);
  });
  it('placeholders outside strings are not touched; a text that is not JSON is still resolved string by string', () => {
    expect(resolveText('{"a": {{now}}, "b": "{{now}}"', ctx()).text).toBe('{"a": {{now}}, "b": 1764000000');
    expect(resolveText('{"a": "{{now}}', ctx()).text).toBe('{"a": "1764000000');
  });
  it('keeps the rest byte for byte: whitespace, escapes, key order, duplicate keys', () => {
    const text = '{\r\n\t"b" :  "\\u00e9{{uuid}}\\"" ,"a":"{{now}}",\n"a":[ "\\n{{now}}" ] }';
    const r = resolveText(text, ctx({}, { operation: undefined }));
    expect(r.text).toBe('{\r\n\t"b" :  "\\u00e911111111-2222-4333-8444-555555555555\\"" ,"a":1764000000,\n"a":[ "\\n1764000000" ] }');
  });
  it('property: a text without {{ is returned unchanged (the same string), with nothing substituted', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string().filter((s) => !s.includes('{{')),
          fc.json().filter((s) => !s.includes('{{')),
        ),
        (text) => {
          const r = resolveText(text, ctx({ a: 'x' }));
          return r.text === text && r.substitutions.length === 0 && r.problems.length === 0;
        },
      ),
    );
  });
  it('property: only the placeholders change: the text between them is kept', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.string().filter((s) => !/[{}]|\\$/.test(s)),
          { minLength: 1, maxLength: 5 },
        ),
        (parts) => {
          const value = parts.join('{{v}}');
          const text = JSON.stringify({ AgentVersion: value });
          const r = resolveText(text, ctx({ v: 'X' }));
          return JSON.parse(r.text).AgentVersion === parts.join('X') && r.substitutions.length === parts.length - 1;
        },
      ),
    );
  });
});

describe('validation with placeholders (the composer and send check the request as it will be sent)', () => {
  it('no type error for a placeholder where a number is expected; the problem of an unknown one is exactly at its braces', () => {
    const text = JSON.stringify({
      AgentVersion: '1.0',
      DeviceName: '{{device}}',
      DeviceFleetName: '{{fleet}}',
      AgentMetrics: [{ Dimension: 'd', MetricName: 'temp', Value: '{{random:1:5}}', Timestamp: '{{now}}' }],
    });
    expect(checkText(text, 'SendHeartbeat').valid).toBe(false);
    const known = checkText(text, 'SendHeartbeat', { variables: { device: 'sim-001', fleet: 'demo' } });
    expect(known.problems).toEqual([]);
    const unknown = checkText(text, 'SendHeartbeat', { variables: { device: 'sim-001' }, environmentName: 'demo' });
    expect(unknown.problems).toHaveLength(1);
    expect(unknown.problems[0]).toMatchObject({
      keyword: 'variable',
      path: '/DeviceFleetName',
      offset: text.indexOf('{{fleet}}'),
      length: 9,
    });
  });
  it('a resolved value that breaks the model is reported where the placeholder is, in the words of the resolved value', () => {
    const text = '{"AgentVersion":"1.0","DeviceName":"{{device}}","DeviceFleetName":"f"}';
    const check = checkText(text, 'SendHeartbeat', { variables: { device: '-bad' } });
    expect(check.problems).toHaveLength(1);
    expect(check.problems[0]).toMatchObject({ path: '/DeviceName', line: 1, column: 23 });
    expect(check.problems[0]!.message).toMatch(/^DeviceName "-bad" does not match the pattern/);
  });
  it('checking does not draw from a seeded generator (the CLI checks, then sends with the same seed)', () => {
    const seeded = seededSources(9);
    const first = seededSources(9).uuid();
    checkText('{"DeviceName":"{{uuid}}"}', 'GetDeviceRegistration', { variables: {}, ...seeded });
    expect(seeded.uuid()).toBe(first);
  });
});

describe('seeded sources', () => {
  it('the same seed gives the same UUIDs (version 4) and numbers; another seed others', () => {
    const a = seededSources(42);
    const b = seededSources(42);
    const c = seededSources('42x');
    const ua = [a.uuid(), a.uuid()];
    expect([b.uuid(), b.uuid()]).toEqual(ua);
    expect(c.uuid()).not.toBe(ua[0]);
    expect(ua[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a.random()).toBe(b.random());
  });
});

describe('the shared vectors (test/fixtures/variables/cases.json), as the CLI and the page must resolve them', () => {
  for (const c of VECTORS)
    it(c.name, () => {
      const resolve = createVariableResolver({
        ...(c.environment ? { environment: c.environment.variables, environmentName: c.environment.name } : {}),
        ...(c.vars ? { vars: c.vars } : {}),
        now: () => c.now * 1000,
        ...seededSources(c.seed),
      });
      const r = resolve(c.template, { operation: c.operation });
      if (c.problems) {
        expect(r.problems.map((p) => p.placeholder)).toEqual(c.problems);
        return;
      }
      expect(r.problems).toEqual([]);
      expect(r.text).toBe(c.expected);
      expect(describeSubstitutions(r.substitutions)).toEqual(c.substitutions);
      // What is sent passes the model's checks (as the composer's and send's checks say beforehand).
      expect(checkText(r.text, c.operation).problems).toEqual([]);
    });
});
