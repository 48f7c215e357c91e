/**
 * Boundary tests derived programmatically from the reference model (./boundary-cases.ts): every
 * constrained string member, every enum, every required member of every structure, every number,
 * timestamp and list with their limits. If the model gains a constraint, a case appears here and fails
 * until the schema enforces it; a constraint kind the generator does not know makes it throw.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createAjv } from '../../../scripts/model-files.ts';
import { deriveSchemas, type ServiceModel } from '../../../src/common/model/derive.ts';
import { OPERATIONS, type Operation } from '../../../src/common/model/index.ts';
import { validate } from '../../../src/common/validation/validate.ts';
import { boundaryCases, type BoundaryCase } from './boundary-cases.ts';

const model = JSON.parse(readFileSync('reference/sagemaker-edge-2020-09-23.service-2.json', 'utf8')) as ServiceModel;

interface Verdict {
  valid: boolean;
  errors: { path: string; keyword: string }[];
}
type Check = (doc: unknown) => Verdict;

/** The cases a check gets wrong, as readable lines (empty when it gets every case right). */
function misjudged(cases: BoundaryCase[], check: Check): string[] {
  const wrong: string[] = [];
  for (const c of cases) {
    const verdict = check(c.doc);
    const ok =
      c.expect === 'valid'
        ? verdict.valid && verdict.errors.length === 0
        : !verdict.valid &&
          verdict.errors.some(
            (e) => e.path === (c.expect as { path: string }).path && e.keyword === (c.expect as { keyword: string }).keyword,
          );
    if (!ok)
      wrong.push(
        `${c.group}: ${JSON.stringify(c.doc)?.slice(0, 80)} should be ${c.expect === 'valid' ? 'valid' : `a ${c.expect.keyword} error at ${c.expect.path}`}`,
      );
  }
  return wrong;
}

function byGroup(cases: BoundaryCase[]): Map<string, BoundaryCase[]> {
  const groups = new Map<string, BoundaryCase[]>();
  for (const c of cases) groups.set(c.group, [...(groups.get(c.group) ?? []), c]);
  return groups;
}

for (const op of OPERATIONS) {
  describe(`${op} boundaries from the model`, () => {
    const cases = boundaryCases(model, op);
    for (const [group, inGroup] of byGroup(cases)) {
      it(group, () => {
        expect(misjudged(inGroup, (doc) => validate(doc, op))).toEqual([]);
      });
    }
  });
}

/** A validator compiled at test time from the schema derive.ts makes of `m`, errors shaped like validate()'s. */
function schemaCheck(m: ServiceModel, op: Operation): Check {
  const compiled = createAjv().compile(deriveSchemas(m).requests[op]);
  return (doc) => {
    const valid = compiled(doc);
    const errors = (compiled.errors ?? []).map((e) => ({
      keyword: e.keyword,
      path:
        e.keyword === 'required'
          ? `${e.instancePath}/${String(e.params.missingProperty)}`
          : e.keyword === 'additionalProperties'
            ? `${e.instancePath}/${String(e.params.additionalProperty)}`
            : e.instancePath,
    }));
    return { valid, errors };
  };
}

describe('the boundary generator', () => {
  // The model as it might grow: a nested required member, list and number limits.
  const grown = structuredClone(model);
  grown.shapes.Model.required = ['ModelName'];
  Object.assign(grown.shapes.Models, { min: 1, max: 3 });
  Object.assign(grown.shapes.Value, { min: 0, max: 100 });
  const grownCases = boundaryCases(grown, 'SendHeartbeat');

  it('derives cases for nested required members, list item counts and number limits', () => {
    const expected = grownCases.filter((c) => c.expect !== 'valid').map((c) => c.expect as { path: string; keyword: string });
    for (const e of [
      { path: '/Models/0/ModelName', keyword: 'required' },
      { path: '/Models', keyword: 'minItems' },
      { path: '/Models', keyword: 'maxItems' },
      { path: '/AgentMetrics/0/Value', keyword: 'minimum' },
      { path: '/Models/0/ModelMetrics/0/Value', keyword: 'maximum' },
    ])
      expect(expected).toContainEqual(e);
  });

  it('agrees with the schema derive.ts makes of the grown model', () => {
    expect(misjudged(grownCases, schemaCheck(grown, 'SendHeartbeat'))).toEqual([]);
  });

  it('makes the committed schema fail until it has the new constraints', () => {
    const wrong = misjudged(grownCases, (doc) => validate(doc, 'SendHeartbeat'));
    for (const missing of [
      'required error at /Models/0/ModelName',
      'minItems error at /Models',
      'maxItems error at /Models',
      'minimum error at /AgentMetrics/0/Value',
      'maximum error at /AgentMetrics/0/Value',
    ]) {
      expect(
        wrong.some((line) => line.endsWith(missing)),
        missing,
      ).toBe(true);
    }
  });

  it('throws on a constraint kind it does not handle', () => {
    const withFormat = structuredClone(model);
    Object.assign(withFormat.shapes.Timestamp, { timestampFormat: 'iso8601' });
    expect(() => boundaryCases(withFormat, 'SendHeartbeat')).toThrow('does not handle "timestampFormat" on timestamp shape Timestamp');
    const withMap = structuredClone(model);
    withMap.shapes.Version = { type: 'map' };
    expect(() => boundaryCases(withMap, 'SendHeartbeat')).toThrow('does not handle map shapes (Version)');
    const withLocation = structuredClone(model);
    Object.assign(withLocation.shapes.SendHeartbeatRequest.members!.DeviceName, { location: 'header' });
    expect(() => boundaryCases(withLocation, 'SendHeartbeat')).toThrow(
      'does not handle "location" on member SendHeartbeatRequest.DeviceName',
    );
  });
});

describe('pattern semantics (docs/architecture.md#aws-facts)', () => {
  const base = { DeviceName: 'd', DeviceFleetName: 'f' };
  it('AgentVersion is not anchored: "1.0-beta" is valid, "-" is not', () => {
    expect(validate({ ...base, AgentVersion: '1.0-beta' }).valid).toBe(true);
    expect(validate({ ...base, AgentVersion: '-' }).errors).toEqual([
      expect.objectContaining({ path: '/AgentVersion', keyword: 'pattern' }),
    ]);
  });
  it('DeviceName anchors itself', () => {
    expect(validate({ ...base, AgentVersion: '1', DeviceName: 'a--b__c' }).valid).toBe(true);
    expect(validate({ ...base, AgentVersion: '1', DeviceName: 'ok!' }).valid).toBe(false);
    expect(validate({ ...base, AgentVersion: '1', DeviceName: 'a_-b' }).valid).toBe(false);
  });
});
