import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseJson } from '../../../src/common/json/parse.ts';
import { parseJsonFast } from '../../../src/common/json/parse-fast.ts';

/** JSON texts, some with a member name repeated in one object (spliced in as text). */
const texts = fc.oneof(
  fc.json(),
  fc.tuple(fc.json(), fc.string(), fc.jsonValue()).map(([base, key, v]) => {
    const member = `${JSON.stringify(key)}:${JSON.stringify(v)}`;
    return base.startsWith('{') && base !== '{}' ? `{${member},${member},${base.slice(1)}` : `{${member},${member}}`;
  }),
  fc.string().map((s) => `{"a":${JSON.stringify(s + '":')},"b":1}`),
);

describe('parseJsonFast', () => {
  it('agrees with parseJson: the same value when it answers, and no answer for duplicates or bad JSON', () => {
    fc.assert(
      fc.property(texts, (text) => {
        const slow = parseJson(text, { positions: false });
        const fast = parseJsonFast(text);
        if (slow.errors.length > 0) expect(fast).toBeUndefined();
        if (fast) expect(fast.value).toEqual(slow.value);
      }),
      { numRuns: 2000 },
    );
  });

  it('answers for ordinary documents, and declines duplicates, syntax errors and a BOM', () => {
    expect(parseJsonFast('{"DeviceName":"d","Models":[{"ModelName":"m"}]}')).toEqual({
      value: { DeviceName: 'd', Models: [{ ModelName: 'm' }] },
    });
    expect(parseJsonFast('{"a":1,"b":{"a":2}}')).toEqual({ value: { a: 1, b: { a: 2 } } });
    expect(parseJsonFast('{"a":1,"a":2}')).toBeUndefined();
    expect(parseJsonFast('{"x":{"a":1, "a" :2}}')).toBeUndefined();
    expect(parseJsonFast('{"a":1,}')).toBeUndefined();
    expect(parseJsonFast('\uFEFF{"a":1}')).toBeUndefined();
    // A value holding `":` is counted as a name: it falls back rather than pass wrongly.
    expect(parseJsonFast('{"a":"x\\":"}')).toBeUndefined();
  });
});
