import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { applyChange, applyEdit, JsonEditError, type JsonChange } from '../../../src/common/json/edit.ts';

const doc = `{
  "DeviceName": "dev-1",
  "Extra": {"kept": [1, 2]},
  "AgentMetrics": [
    {
      "MetricName": "cpu1",
      "Value": 1
    },
    {
      "MetricName": "mem1",
      "Value": 2
    }
  ]
}`;

const apply = (text: string, change: JsonChange): string => applyChange(text, change).text;

describe('applyEdit: set', () => {
  it('replaces only the value and keeps everything else byte for byte', () => {
    const out = applyEdit(doc, '/DeviceName', 'dev-2');
    expect(out).toBe(doc.replace('"dev-1"', '"dev-2"'));
  });

  it('replaces a nested number', () => {
    expect(applyEdit(doc, '/AgentMetrics/1/Value', 3.5)).toBe(doc.replace('"Value": 2', '"Value": 3.5'));
  });

  it('returns one small edit', () => {
    const { edit } = applyChange(doc, { op: 'set', pointer: '/DeviceName', value: 'x' });
    expect(edit).toEqual({ offset: doc.indexOf('"dev-1"'), length: 7, text: '"x"' });
  });

  it('adds a missing member at the end with the document indentation', () => {
    const out = applyEdit(doc, '/DeviceFleetName', 'fleet');
    expect(JSON.parse(out).DeviceFleetName).toBe('fleet');
    expect(out.endsWith(`  ],\n  "DeviceFleetName": "fleet"\n}`)).toBe(true);
  });

  it('adds a missing member where `order` puts it', () => {
    const order = (p: string): string[] | undefined =>
      p === '' ? ['AgentVersion', 'DeviceName', 'DeviceFleetName', 'AgentMetrics'] : undefined;
    const out = applyChange(doc, { op: 'set', pointer: '/DeviceFleetName', value: 'f', order }).text;
    expect(Object.keys(JSON.parse(out))).toEqual(['DeviceName', 'DeviceFleetName', 'Extra', 'AgentMetrics']);
    const first = applyChange(doc, { op: 'set', pointer: '/AgentVersion', value: '1', order }).text;
    expect(first.startsWith(`{\n  "AgentVersion": "1",\n  "DeviceName"`)).toBe(true);
  });

  it('creates missing parents', () => {
    const out = applyEdit(doc, '/DeploymentResult/DeploymentName', 'd1');
    expect(JSON.parse(out).DeploymentResult).toEqual({ DeploymentName: 'd1' });
    expect(out).toContain(`  "DeploymentResult": {\n    "DeploymentName": "d1"\n  }\n}`);
  });

  it('creates a missing array for element 0', () => {
    const out = applyEdit('{"A": 1}', '/Models/0', { ModelName: 'abcd' });
    expect(JSON.parse(out)).toEqual({ A: 1, Models: [{ ModelName: 'abcd' }] });
  });

  it('fills an empty object on several lines when the document is on several lines', () => {
    const text = `{\n  "DeploymentResult": {}\n}`;
    expect(applyEdit(text, '/DeploymentResult/DeploymentName', 'x')).toBe(`{\n  "DeploymentResult": {\n    "DeploymentName": "x"\n  }\n}`);
  });

  it('keeps a one-line document on one line', () => {
    expect(applyEdit('{"A":1}', '/B', { c: [1] })).toBe('{"A":1,"B":{"c":[1]}}');
    expect(applyEdit('{}', '/B', 2)).toBe('{"B":2}');
  });

  it('follows a four-space indent', () => {
    const text = `{\n    "A": 1\n}`;
    expect(applyEdit(text, '/B', { c: 1 })).toBe(`{\n    "A": 1,\n    "B": {\n        "c": 1\n    }\n}`);
  });

  it('refuses text with a syntax error, with a sentence', () => {
    expect(() => applyEdit('{"A": ', '/A', 1)).toThrow(JsonEditError);
    expect(() => applyEdit('{"A": ', '/A', 1)).toThrow(/syntax error/);
  });

  it('refuses a gap in an array', () => {
    expect(() => applyEdit('[1]', '/3', 1)).toThrow(/beyond the end/);
  });
});

describe('applyChange: remove, insert, move, duplicate', () => {
  it('removes a middle member with its comma', () => {
    const out = apply(doc, { op: 'remove', pointer: '/Extra' });
    expect(out).toBe(doc.replace(`  "Extra": {"kept": [1, 2]},\n`, ''));
  });

  it('removes the last member and the comma before it', () => {
    const out = apply(doc, { op: 'remove', pointer: '/AgentMetrics' });
    expect(JSON.parse(out)).toEqual({ DeviceName: 'dev-1', Extra: { kept: [1, 2] } });
    expect(out.endsWith(`"Extra": {"kept": [1, 2]}\n}`)).toBe(true);
  });

  it('removes the only element, leaving an empty array', () => {
    expect(apply('{"a": [ 1 ]}', { op: 'remove', pointer: '/a/0' })).toBe('{"a": []}');
  });

  it('inserts rows at the start, middle and end with the element indentation', () => {
    const row = { MetricName: 'new1' };
    const start = apply(doc, { op: 'insert', pointer: '/AgentMetrics', index: 0, value: row });
    expect(JSON.parse(start).AgentMetrics.map((m: { MetricName: string }) => m.MetricName)).toEqual(['new1', 'cpu1', 'mem1']);
    expect(start).toContain(`"AgentMetrics": [\n    {\n      "MetricName": "new1"\n    },\n    {\n      "MetricName": "cpu1"`);
    const end = apply(doc, { op: 'insert', pointer: '/AgentMetrics', value: row });
    expect(JSON.parse(end).AgentMetrics[2]).toEqual(row);
    expect(end).toContain(`    },\n    {\n      "MetricName": "new1"\n    }\n  ]\n}`);
    const middle = apply(doc, { op: 'insert', pointer: '/AgentMetrics', index: 1, value: row });
    expect(JSON.parse(middle).AgentMetrics[1]).toEqual(row);
  });

  it('inserts into an empty or missing array', () => {
    expect(apply('{\n  "a": []\n}', { op: 'insert', pointer: '/a', value: 1 })).toBe('{\n  "a": [\n    1\n  ]\n}');
    expect(JSON.parse(apply('{"b": 0}', { op: 'insert', pointer: '/a', value: 1 }))).toEqual({ b: 0, a: [1] });
  });

  it('moves a row down and up, keeping each row as written', () => {
    const text = '[\n  {"a": 1},\n  {"b":   2},\n  3\n]';
    expect(apply(text, { op: 'move', pointer: '/0', to: 2 })).toBe('[\n  {"b":   2},\n  3,\n  {"a": 1}\n]');
    expect(apply(text, { op: 'move', pointer: '/2', to: 0 })).toBe('[\n  3,\n  {"a": 1},\n  {"b":   2}\n]');
    expect(apply(text, { op: 'move', pointer: '/1', to: 1 })).toBe(text);
  });

  it('duplicates a row as written, right after it', () => {
    const out = apply(doc, { op: 'duplicate', pointer: '/AgentMetrics/0' });
    const metrics = JSON.parse(out).AgentMetrics;
    expect(metrics.map((m: { MetricName: string }) => m.MetricName)).toEqual(['cpu1', 'cpu1', 'mem1']);
    expect(out).toContain(
      `    {\n      "MetricName": "cpu1",\n      "Value": 1\n    },\n    {\n      "MetricName": "cpu1",\n      "Value": 1\n    },`,
    );
  });

  it('keeps a member name that needs escaping intact', () => {
    const out = applyEdit('{"a/b~c": 1}', '/a~1b~0c', 2);
    expect(JSON.parse(out)).toEqual({ 'a/b~c': 2 });
  });
});

describe('applyChange agrees with editing the parsed value', () => {
  const leaf = fc.oneof(fc.integer(), fc.string({ maxLength: 5 }), fc.boolean(), fc.constant(null));
  const value = fc.oneof(
    leaf,
    fc.array(leaf, { maxLength: 3 }),
    fc.dictionary(fc.string({ minLength: 1, maxLength: 4 }), leaf, { maxKeys: 3 }),
  );
  const object = fc.dictionary(fc.string({ minLength: 1, maxLength: 4 }), value, { minKeys: 1, maxKeys: 5 });

  it('set on any member, in any layout', () => {
    fc.assert(
      fc.property(object, fc.nat(), value, fc.constantFrom(0, 2, 4), (obj, pick, next, indent) => {
        const text = indent ? JSON.stringify(obj, null, indent) : JSON.stringify(obj);
        const keys = Object.keys(obj);
        const key = keys[pick % keys.length];
        const pointer = '/' + key.replace(/~/g, '~0').replace(/\//g, '~1');
        expect(JSON.parse(applyEdit(text, pointer, next))).toEqual({ ...obj, [key]: next });
        const { [key]: _gone, ...rest } = obj;
        expect(JSON.parse(apply(text, { op: 'remove', pointer }))).toEqual(rest);
      }),
      { numRuns: 300 },
    );
  });

  it('insert and move in arrays', () => {
    fc.assert(
      fc.property(
        fc.array(value, { minLength: 1, maxLength: 6 }),
        fc.nat(),
        fc.nat(),
        value,
        fc.constantFrom(0, 2),
        (arr, a, b, next, indent) => {
          const text = JSON.stringify({ x: arr }, null, indent);
          const i = a % (arr.length + 1);
          const inserted = [...arr];
          inserted.splice(i, 0, next);
          expect(JSON.parse(apply(text, { op: 'insert', pointer: '/x', index: i, value: next })).x).toEqual(inserted);
          const from = a % arr.length;
          const to = b % arr.length;
          const moved = [...arr];
          const [m] = moved.splice(from, 1);
          moved.splice(to, 0, m);
          expect(JSON.parse(apply(text, { op: 'move', pointer: `/x/${from}`, to })).x).toEqual(moved);
        },
      ),
      { numRuns: 300 },
    );
  });
});
