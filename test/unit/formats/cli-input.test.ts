import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emitCliInputJson, emitCliInputYaml, parseCliInputJson, parseCliInputYaml } from '../../../src/common/formats/cli-input.ts';
import { validate } from '../../../src/common/validation/validate.ts';
import { heartbeat } from './arbitraries.ts';

const base = { AgentVersion: '1.0', DeviceName: 'dev-1', DeviceFleetName: 'fleet-1' };

describe('cli-input-json', () => {
  it('converts ISO 8601 and epoch-string timestamps to epoch seconds', () => {
    const text = JSON.stringify({
      ...base,
      Models: [{ ModelName: 'resnet', LatestInference: '2026-01-01T00:00:00Z', LatestSampleTime: '1767225600.5' }],
      DeploymentResult: { DeploymentStartTime: '2026-01-01T01:00:00+01:00' },
    });
    const read = parseCliInputJson(text);
    expect(read.problems).toEqual([]);
    expect(read.doc).toEqual({
      ...base,
      Models: [{ ModelName: 'resnet', LatestInference: 1767225600, LatestSampleTime: 1767225600.5 }],
      DeploymentResult: { DeploymentStartTime: 1767225600 },
    });
  });

  it('warns at the place of a timestamp it cannot read, and leaves it for validation', () => {
    const read = parseCliInputJson('{\n  "Models": [\n    {"LatestInference": "last tuesday"}\n  ]\n}');
    expect(read.problems).toEqual([
      { path: '/Models/0/LatestInference', message: expect.stringMatching(/neither ISO 8601/), severity: 'warning', line: 3, column: 6 },
    ]);
    expect(read.doc).toEqual({ Models: [{ LatestInference: 'last tuesday' }] });
  });

  it('reports syntax errors and duplicate keys with line and column', () => {
    expect(parseCliInputJson('{\n  "DeviceName": "a",\n  "DeviceName": "b"\n}').problems).toEqual([
      { path: '/DeviceName', message: expect.stringMatching(/Duplicate key "DeviceName"/), line: 3, column: 3 },
    ]);
    const broken = parseCliInputJson('{\n  "DeviceName": \n}');
    expect(broken.doc).toBeUndefined();
    expect(broken.problems[0]).toMatchObject({ line: 3, column: 1 });
  });

  it('emits timestamps as numbers, or as ISO 8601 on request', () => {
    const doc = { ...base, Models: [{ LatestInference: 1767225600.25 }] };
    expect(JSON.parse(emitCliInputJson(doc))).toEqual(doc);
    expect(JSON.parse(emitCliInputJson(doc, { isoTimestamps: true })).Models[0].LatestInference).toBe('2026-01-01T00:00:00.250Z');
  });

  it('round-trips valid documents with awkward strings: parse(emit(x)) == x', () => {
    fc.assert(
      fc.property(heartbeat(), (doc) => {
        const read = parseCliInputJson(emitCliInputJson(doc));
        expect(read.problems).toEqual([]);
        expect(read.doc).toEqual(doc);
      }),
      { numRuns: 200 },
    );
  });

  it('round-trips through ISO 8601 timestamps when they have whole milliseconds', () => {
    const ms = fc.integer({ min: 0, max: 4102444800000 }).map((n) => n / 1000);
    fc.assert(
      fc.property(heartbeat({ timestamps: ms }), (doc) => {
        expect(parseCliInputJson(emitCliInputJson(doc, { isoTimestamps: true })).doc).toEqual(doc);
      }),
      { numRuns: 100 },
    );
  });
});

describe('cli-input-yaml', () => {
  it('reads a request, converting ISO timestamps (YAML 1.2 core keeps them strings until then)', () => {
    const read = parseCliInputYaml(
      'AgentVersion: "1.0"\nDeviceName: dev-1\nDeviceFleetName: fleet-1\nModels:\n  - ModelName: resnet\n    LatestInference: 2026-01-01T00:00:00Z\n    ModelVersion: 1.10\n',
    );
    expect(read.problems).toEqual([]);
    // 1.10 is a YAML number: validation, not the importer, says it must be a string.
    expect(read.doc).toEqual({ ...base, Models: [{ ModelName: 'resnet', LatestInference: 1767225600, ModelVersion: 1.1 }] });
    expect(validate(read.doc).errors.map((e) => e.path)).toEqual(['/Models/0/ModelVersion']);
  });

  it('rejects duplicate keys with line and column', () => {
    const read = parseCliInputYaml('DeviceName: a\nAgentVersion: "1"\nDeviceName: b\n');
    expect(read.doc).toBeUndefined();
    expect(read.problems).toEqual([{ path: '', message: expect.stringMatching(/^Duplicate key/), line: 3, column: 1 }]);
  });

  it('reports syntax errors with line and column, in one sentence', () => {
    const read = parseCliInputYaml('Models:\n  - ModelName: [a\n');
    expect(read.doc).toBeUndefined();
    expect(read.problems[0].message).toMatch(/^YAML syntax error: .*\.$/);
    expect(read.problems[0].message).not.toContain('\n');
    expect(read.problems[0].line).toBeGreaterThanOrEqual(2);
    expect(read.problems[0].column).toBeGreaterThanOrEqual(1);
  });

  it('rejects several documents and an empty input', () => {
    expect(parseCliInputYaml('a: 1\n---\nb: 2\n').problems[0].message).toMatch(/more than one document/);
    expect(parseCliInputYaml('  \n').problems[0].message).toMatch(/empty/);
  });

  it('keeps __proto__ an ordinary member', () => {
    const read = parseCliInputYaml('__proto__:\n  polluted: 1\n');
    expect(Object.getPrototypeOf(read.doc)).toBe(Object.prototype);
    expect(Object.keys(read.doc as object)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('quotes strings YAML would read as something else', () => {
    const doc = {
      ...base,
      DeploymentResult: { DeploymentStatusMessage: 'true', DeploymentName: 'null' },
      Models: [{ ModelVersion: '1.10' }, { ModelVersion: '0x1F' }, { ModelVersion: '2026-01-01' }],
    };
    expect(parseCliInputYaml(emitCliInputYaml(doc)).doc).toEqual(doc);
  });

  it("keeps strings with line breaks, blanks at a line's start or end, and backslashes", () => {
    // fast-check found " \n" (the library wrote a `|+` block whose first, blank line set the indent) and
    // "\\\r\n \n" (its folded double quotes escaped the backslash, not the blank): strings are JSON-quoted.
    for (const AgentVersion of [' \n', ' \n\n', '  a\n', '\t\n', 'a \n', '\n ', ' \n b', "\\'${HOME} '\r\n \nx'", '\\\n \\ '])
      expect(parseCliInputYaml(emitCliInputYaml({ ...base, AgentVersion })).doc).toEqual({ ...base, AgentVersion });
  });

  it('round-trips valid documents with awkward strings: parse(emit(x)) == x', () => {
    fc.assert(
      fc.property(heartbeat(), (doc) => {
        const text = emitCliInputYaml(doc);
        const read = parseCliInputYaml(text);
        expect(read.problems).toEqual([]);
        expect(read.doc).toEqual(doc);
      }),
      { numRuns: 200 },
    );
  });
});

describe('nesting limit in YAML, as in JSON', () => {
  it('accepts 64 levels and refuses 65 or 6,000 with the same sentence as JSON', () => {
    const nested = (n: number) => `AgentVersion: "1"\nx: ${'['.repeat(n - 1)}${']'.repeat(n - 1)}\n`;
    expect(parseCliInputYaml(nested(64)).problems).toEqual([]);
    for (const n of [65, 6000]) {
      const { doc, problems } = parseCliInputYaml(nested(n));
      expect(doc).toBeUndefined();
      expect(problems).toEqual([
        { path: '', message: 'Objects and arrays nest more than 64 levels deep here; a document may nest at most 64 levels.' },
      ]);
    }
    expect(parseCliInputJson(`{"x": ${'['.repeat(64)}${']'.repeat(64)}}`).problems[0]?.message).toBe(
      'Objects and arrays nest more than 64 levels deep here; a document may nest at most 64 levels.',
    );
  });
});
