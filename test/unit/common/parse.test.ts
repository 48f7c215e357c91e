import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, parseJson, TOO_DEEP_MESSAGE } from '../../../src/common/json/parse.ts';
import { getAt } from '../../../src/common/json/pointer.ts';

describe('parseJson', () => {
  it('parses like JSON.parse and records where every member is', () => {
    const text = '{\n  "a": 1,\n  "b": [true, {"c/d": "x\\n"}]\n}';
    const parsed = parseJson(text);
    expect(parsed.errors).toEqual([]);
    expect(parsed.value).toEqual(JSON.parse(text));
    expect(parsed.locate('/a')).toEqual({ line: 2, column: 3, offset: 4 });
    expect(parsed.locate('/b/1/c~1d')).toMatchObject({ line: 3, column: 16 });
    const loc = parsed.location('/b/1/c~1d')!;
    expect(text.slice(loc.valueStart, loc.valueEnd)).toBe('"x\\n"');
    expect(text.slice(loc.keyStart, loc.keyEnd)).toBe('"c/d"');
  });

  it('locates members with integer-like keys, which Object.keys reorders', () => {
    const text = '{"b": 1, "0": [10, 20], "a": {"1": true}}';
    const parsed = parseJson(text);
    for (const [pointer, expected] of [
      ['/b', '1'],
      ['/0', '[10, 20]'],
      ['/0/1', '20'],
      ['/a/1', 'true'],
    ]) {
      const loc = parsed.location(pointer)!;
      expect(text.slice(loc.valueStart, loc.valueEnd), pointer).toBe(expected);
    }
    expect(parsed.location('/0/2')).toBeUndefined();
    expect(parsed.location('/zz')).toBeUndefined();
    expect([...parsed.locations.keys()].sort()).toEqual(['', '/0', '/0/0', '/0/1', '/a', '/a/1', '/b']);
  });

  it('places a missing member at its nearest existing ancestor', () => {
    const parsed = parseJson('{"Models": [\n {"x": 1}]}');
    expect(parsed.locate('/Models/0/ModelName')).toMatchObject({ line: 2, column: 2 });
    expect(parsed.locate('/Nope')).toMatchObject({ line: 1, column: 1 });
  });

  it.each([
    ['', 1, 1, /empty/],
    ['   \n  ', 2, 3, /empty/],
    ['{"a": }', 1, 7, /Expected a JSON value/],
    ['{"a": 1,}', 1, 9, /Trailing comma/],
    ['[1, 2', 1, 6, /Expected "," or "]".*end of the input/],
    ['{"a" 1}', 1, 6, /Expected ":"/],
    ['{a: 1}', 1, 2, /member name in double quotes/],
    ['{"a": 1} {}', 1, 10, /after the JSON value/],
    ['{"a": "x\ny"}', 1, 9, /control character U\+000A/],
    ['{"a": "\\q"}', 1, 8, /Invalid escape/],
    ['-', 1, 1, /Invalid number/],
    ['\u0000\u0001', 1, 1, /U\+0000/],
    ['{"a": tru}', 1, 7, /Expected a JSON value/],
    ['"unterminated', 1, 1, /Unterminated string/],
  ])('reports %j at %i:%i', (text, line, column, message) => {
    const parsed = parseJson(text);
    expect(parsed.value).toBeUndefined();
    expect(parsed.errors).toHaveLength(1);
    expect(parsed.errors[0]).toMatchObject({ kind: 'syntax', line, column });
    expect(parsed.errors[0].message).toMatch(message);
  });

  it('reports duplicate keys at the repeated key and keeps going', () => {
    const parsed = parseJson('{"a": 1,\n "b": {"c": 1, "c": 2}, "a": 3}');
    expect(parsed.errors.map((e) => [e.kind, e.path, e.line, e.column])).toEqual([
      ['duplicate-key', '/b/c', 2, 16],
      ['duplicate-key', '/a', 2, 25],
    ]);
  });

  it('keeps __proto__ and constructor as ordinary members without polluting prototypes', () => {
    const parsed = parseJson('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}');
    const value = parsed.value as Record<string, unknown>;
    expect(Object.keys(value)).toEqual(['__proto__', 'constructor']);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(getAt(value, '/__proto__/polluted')).toBe(true);
  });

  it('tolerates a UTF-8 byte order mark and counts columns after it', () => {
    const parsed = parseJson('\uFEFF{"a": x}');
    expect(parsed.errors[0]).toMatchObject({ line: 1, column: 7 });
    expect(parseJson('\uFEFF {"a": 1}').value).toEqual({ a: 1 });
  });

  it('stops at 10,000 levels of nesting without recursion: anything past 64 levels is refused (issue 14 item 10)', () => {
    const depth = 10_000;
    const parsed = parseJson('['.repeat(depth) + ']'.repeat(depth));
    expect(parsed.value).toBeUndefined();
    expect(parsed.errors).toMatchObject([{ kind: 'syntax', message: TOO_DEEP_MESSAGE, offset: MAX_JSON_DEPTH }]);
    const ok = parseJson('['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH));
    expect(ok.errors).toEqual([]);
    let node = ok.value as unknown[];
    for (let i = 1; i < MAX_JSON_DEPTH; i++) node = node[0] as unknown[];
    expect(node).toEqual([]);
  });

  it('reads numbers as IEEE doubles, overflow included', () => {
    expect(parseJson('[1e400, -0, 0.1, 12345678901234567890]').value).toEqual([Infinity, -0, 0.1, Number('12345678901234567890')]);
  });

  it('agrees with JSON.parse on arbitrary JSON (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.boolean(), (value, pretty) => {
        const text = JSON.stringify(value, null, pretty ? 2 : undefined);
        const parsed = parseJson(text);
        expect(parsed.errors).toEqual([]);
        expect(parsed.value).toEqual(JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on arbitrary text (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        const parsed = parseJson(text);
        let native: unknown;
        let nativeOk = true;
        try {
          native = JSON.parse(text.replace(/^\uFEFF/, ''));
        } catch {
          nativeOk = false;
        }
        if (nativeOk) expect(parsed.value).toEqual(native);
        else expect(parsed.errors.length).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
  });
});
