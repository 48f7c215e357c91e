import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unicodeSafePattern } from '../../../src/common/model/derive.ts';
import { parseJson } from '../../../src/common/json/parse.ts';
import { checkText } from '../../../src/common/validation/check-text.ts';
import { closestName, editDistance } from '../../../src/common/validation/suggest.ts';
import { validate } from '../../../src/common/validation/validate.ts';
import { PATTERN_WORDS } from '../../../src/common/validation/patterns.ts';
import { OPERATIONS, requestSchema, type SchemaNode } from '../../../src/common/model/index.ts';

const valid = { AgentVersion: '1.0', DeviceName: 'dev-1', DeviceFleetName: 'fleet-1' };

describe('validate', () => {
  it('names the unknown member and suggests the right one', () => {
    const result = validate({ ...valid, Models: [{ ModelNmae: 'resnet' }] });
    expect(result.errors).toEqual([
      {
        path: '/Models/0/ModelNmae',
        keyword: 'additionalProperties',
        message: 'ModelNmae is not a member of Model. Did you mean ModelName?',
        suggestion: 'ModelName',
        constraint: expect.any(String),
      },
    ]);
  });

  it('lists the allowed members when nothing is close', () => {
    const result = validate({ ...valid, Zzzzzzzzzz: 1 });
    expect(result.errors[0].message).toBe(
      'Zzzzzzzzzz is not a member of the request. Allowed members: AgentMetrics, Models, AgentVersion, DeviceName, DeviceFleetName, DeploymentResult.',
    );
    expect(result.errors[0].suggestion).toBeUndefined();
  });

  it('writes sentences that name the constraint and the bad value, shortened when long', () => {
    const long = 'x'.repeat(500);
    const messages = validate({
      ...valid,
      DeviceName: long,
      AgentVersion: '-',
      Models: [{ ModelName: 'abc' }],
      DeploymentResult: { DeploymentModels: [{ Status: 'Fail' }] },
    }).errors.map((e) => e.message);
    expect(messages).toContain('ModelName "abc" is 3 characters long; it must be at least 4.');
    expect(messages).toContain('AgentVersion "-" does not match the pattern: at least one letter, digit, space, underscore or dot.');
    expect(messages).toContain('Status "Fail" is not one of SUCCESS, FAIL. Did you mean FAIL?');
    const tooLong = messages.find((m) => m.startsWith('DeviceName'))!;
    expect(tooLong).toMatch(/^DeviceName "x+… is 500 characters long; it must be at most 63\.$/);
    expect(tooLong.length).toBeLessThan(140);
  });

  it('describes every pattern of the model in words, never as a raw regular expression (issue 14, item 25)', () => {
    const patterns = new Set<string>();
    const walk = (node: SchemaNode): void => {
      if (node.pattern) patterns.add(node.pattern);
      for (const sub of Object.values(node.properties ?? {})) walk(sub);
      if (node.items) walk(node.items);
    };
    for (const op of OPERATIONS) walk(requestSchema(op));
    expect(patterns.size).toBeGreaterThan(0);
    for (const pattern of patterns) expect(PATTERN_WORDS[pattern], pattern).toBeTruthy();
    const messages = validate({
      ...valid,
      DeviceName: '-bad',
      Models: [{ ModelName: 'bad_model', ModelVersion: '!' }],
      AgentMetrics: [{ Dimension: '/x' }],
    }).errors.filter((e) => e.keyword === 'pattern');
    expect(messages.map((e) => e.message).sort()).toEqual(
      [
        'ModelName "bad_model" does not match the pattern: letters, digits and hyphens; starts and ends with a letter or digit.',
        'ModelVersion "!" does not match the pattern: at least one letter, digit, space, underscore or dot.',
        'Dimension "/x" does not match the pattern: letters, digits, hyphens and slashes; starts with a letter or digit and ends with a letter, digit or slash.',
        'DeviceName "-bad" does not match the pattern: letters, digits, hyphens and underscores; starts and ends with a letter or digit, and no hyphen directly follows an underscore.',
      ].sort(),
    );
    for (const e of messages) expect(e.message).not.toMatch(/[\^$[\]]|\*\)/);
    // The endpoint still answers in AWS's words, regular expression included.
    expect(messages.find((e) => e.path === '/DeviceName')!.constraint).toBe(
      'Member must satisfy regular expression pattern: ^[a-zA-Z0-9](-*_*[a-zA-Z0-9])*$',
    );
  });

  it('phrases the constraint the way AWS does, for the endpoint', () => {
    const [error] = validate({ ...valid, DeviceFleetName: 'a'.repeat(64) }).errors;
    expect(error.constraint).toBe('Member must have length less than or equal to 63');
  });

  it('explains wrong types, overflowing numbers and non-objects', () => {
    expect(validate({ ...valid, AgentMetrics: [{ Value: '12' }] }).errors[0].message).toBe('Value must be a number, not a string ("12").');
    expect(validate({ ...valid, AgentMetrics: [{ Value: Infinity }] }).errors[0].message).toMatch(/out of range for a double/);
    expect(validate('hello').errors[0]).toMatchObject({ path: '', message: 'The request must be an object, not a string ("hello").' });
    expect(validate([]).errors[0].message).toBe('The request must be an object, not an array.');
    expect(validate({ ...valid, Models: 'x' }).errors[0]).toMatchObject({
      path: '/Models',
      message: 'Models must be an array, not a string ("x").',
    });
    expect(validate({ ...valid, Models: [7] }).errors[0]).toMatchObject({
      path: '/Models/0',
      message: 'Models[0] must be an object, not a number (7).',
    });
  });

  it('reports __proto__ and constructor as unknown members', () => {
    const doc = parseJson('{"AgentVersion":"1","DeviceName":"d","DeviceFleetName":"f","__proto__":{},"constructor":1}').value;
    expect(validate(doc).errors.map((e) => e.path)).toEqual(['/__proto__', '/constructor']);
  });

  it('validates the other operations', () => {
    expect(validate({ DeviceName: 'd', DeviceFleetName: 'f' }, 'GetDeployments').valid).toBe(true);
    expect(validate({ DeviceName: 'd' }, 'GetDeviceRegistration').errors).toEqual([
      expect.objectContaining({ path: '/DeviceFleetName', keyword: 'required' }),
    ]);
  });

  it('never throws on arbitrary JSON values, and every error path is a JSON Pointer (property)', () => {
    const member = fc.constantFrom(
      'AgentVersion',
      'DeviceName',
      'DeviceFleetName',
      'Models',
      'AgentMetrics',
      'DeploymentResult',
      'ModelName',
      'Value',
      'Timestamp',
      'DeploymentModels',
      'Status',
      '__proto__',
      'x',
    );
    const arbitraryDoc = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        fc.jsonValue(),
        fc.dictionary(member, tie('node'), { maxKeys: 6 }),
        fc.array(tie('node'), { maxLength: 3 }),
      ),
    })).node;
    fc.assert(
      fc.property(arbitraryDoc, (doc) => {
        const result = validate(doc);
        expect(result.valid).toBe(result.errors.length === 0);
        for (const e of result.errors) {
          expect(e.path === '' || e.path.startsWith('/')).toBe(true);
          expect(e.message).toMatch(/\.$|\?$/);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('checkText', () => {
  it('puts every problem at its line and column, in document order', () => {
    const text = '{\n  "AgentVersion": "1",\n  "DeviceName": "bad name",\n  "DeviceName": "x",\n  "Modles": []\n}';
    const { valid, problems } = checkText(text);
    expect(valid).toBe(false);
    expect(problems.map((p) => [p.line, p.column, p.path, p.keyword])).toEqual([
      [1, 1, '/DeviceFleetName', 'required'],
      [4, 3, '/DeviceName', 'duplicate-key'],
      [5, 3, '/Modles', 'additionalProperties'],
    ]);
    expect(problems[2].suggestion).toBe('Models');
  });

  it('handles a 10 MB payload', () => {
    const models = Array.from({ length: 60_000 }, (_, i) => ({
      ModelName: `model-${i}`,
      ModelVersion: '1.0',
      LatestInference: 1_700_000_000 + i,
      ModelMetrics: [{ Dimension: 'd', MetricName: 'latency', Value: i, Timestamp: 1_700_000_000 }],
    }));
    const text = JSON.stringify({ ...valid, Models: models, AgentMetrics: [{ Dimension: 'd', MetricName: 'cpu', Value: 1 }] });
    expect(text.length).toBeGreaterThan(10_000_000);
    const { problems } = checkText(text);
    expect(problems).toEqual([expect.objectContaining({ path: '/AgentMetrics/0/MetricName', keyword: 'minLength' })]);
  });
});

describe('unicodeSafePattern', () => {
  it('respells identity escapes that the u flag rejects', () => {
    expect(unicodeSafePattern('[a-zA-Z0-9\\ \\_\\.]+')).toBe('[a-zA-Z0-9 _\\.]+');
    expect(unicodeSafePattern('^[a-zA-Z0-9](-*[a-zA-Z0-9\\/])*$')).toBe('^[a-zA-Z0-9](-*[a-zA-Z0-9\\/])*$');
    const modelSpelling = '[a-zA-Z0-9\\ \\_\\.]+';
    expect(() => new RegExp(modelSpelling, 'u')).toThrow();
  });

  it('matches exactly what the original pattern matches (property)', () => {
    const patterns = ['[a-zA-Z0-9\\ \\_\\.]+', '^[a-zA-Z0-9](-*[a-zA-Z0-9\\/])*$', '^[a-zA-Z0-9](-*_*[a-zA-Z0-9])*$'];
    const text = fc.string({ unit: fc.constantFrom('a', 'Z', '0', ' ', '_', '.', '-', '/', '\\', 'é', '!'), maxLength: 12 });
    for (const p of patterns) {
      const original = new RegExp(p);
      const safe = new RegExp(unicodeSafePattern(p), 'u');
      fc.assert(
        fc.property(text, (s) => original.test(s) === safe.test(s)),
        { numRuns: 500 },
      );
    }
  });
});

describe('suggestions', () => {
  it('counts a swap of neighbours as one edit', () => {
    expect(editDistance('modelnmae', 'modelname')).toBe(1);
    expect(editDistance('abc', 'abc')).toBe(0);
    expect(editDistance('', 'abc')).toBe(3);
  });
  it('prefers a case-insensitive match and refuses far-off names', () => {
    expect(closestName('devicename', ['DeviceName', 'DeviceFleetName'])).toBe('DeviceName');
    expect(closestName('Colour', ['DeviceName'])).toBeUndefined();
  });
});
