/**
 * Boundary tests derived programmatically from the reference model: every constrained string
 * member, every enum, every required member, every number and timestamp. If the model gains a
 * constraint, a case appears here and fails until the schema enforces it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ServiceModel, Shape } from '../../../src/common/model/derive.ts';
import { OPERATIONS, type Operation } from '../../../src/common/model/index.ts';
import { validate } from '../../../src/common/validation/validate.ts';

const model = JSON.parse(readFileSync('reference/sagemaker-edge-2020-09-23.service-2.json', 'utf8')) as ServiceModel;

interface Slot {
  /** Pointer tokens from the request root to the member. */
  tokens: (string | number)[];
  shapeName: string;
  shape: Shape;
}

/** A minimal valid value for a shape, built from its constraints. */
function sample(shapeName: string): unknown {
  const shape = model.shapes[shapeName];
  switch (shape.type) {
    case 'structure': {
      const out: Record<string, unknown> = {};
      for (const name of shape.required ?? []) out[name] = sample(shape.members![name].shape);
      return out;
    }
    case 'list':
      return [];
    case 'string':
      return shape.enum ? shape.enum[0] : stringOfLength(shape, Math.max(shape.min ?? 1, 4));
    default:
      return 1;
  }
}

/** A string that matches the shape's pattern, of exactly `length` code points. */
function stringOfLength(shape: Shape, length: number): string {
  const p = shape.pattern;
  if (!p || p === '^[a-zA-Z0-9](-*_*[a-zA-Z0-9])*$' || p === '^[a-zA-Z0-9](-*[a-zA-Z0-9])*$' || p === '[a-zA-Z0-9\\ \\_\\.]+' || p === '^[a-zA-Z0-9](-*[a-zA-Z0-9\\/])*$' || p === '^[a-z0-9](-*[a-z0-9])*$') return 'a'.repeat(length);
  if (p === '^s3://([^/]+)/?(.*)$') return `s3://${'b'.repeat(Math.max(1, length - 5))}`;
  throw new Error(`The boundary generator does not know pattern ${p}: teach it a matching and a failing sample.`);
}

/** A string that fails the shape's pattern but has a valid length. */
function patternFailure(shape: Shape): string {
  const len = Math.max(shape.min ?? 1, 4);
  if (shape.pattern!.startsWith('^')) return '-' + 'a'.repeat(len - 1); // every anchored model pattern starts with an alphanumeric
  return '-'.repeat(len); // unanchored: no allowed character anywhere
}

function collectSlots(shapeName: string, tokens: (string | number)[], out: Slot[]): void {
  const shape = model.shapes[shapeName];
  if (shape.type === 'structure') {
    for (const [name, member] of Object.entries(shape.members ?? {})) {
      const memberShape = model.shapes[member.shape];
      out.push({ tokens: [...tokens, name], shapeName: member.shape, shape: memberShape });
      collectSlots(member.shape, [...tokens, name], out);
    }
  } else if (shape.type === 'list') {
    collectSlots(shape.member!.shape, [...tokens, 0], out);
  }
}

/** A valid document in which the member at `tokens` holds `value` (containers on the way are created). */
function documentWith(op: Operation, tokens: (string | number)[], value: unknown): unknown {
  const rootShape = model.operations[op].input!.shape;
  const root = sample(rootShape) as Record<string, unknown>;
  let node: Record<string, unknown> | unknown[] = root;
  let shapeName = rootShape;
  tokens.forEach((token, i) => {
    const shape = model.shapes[shapeName];
    shapeName = shape.type === 'list' ? shape.member!.shape : shape.members![token as string].shape;
    const last = i === tokens.length - 1;
    const child = last ? value : sample(shapeName);
    if (Array.isArray(node)) node[token as number] = child;
    else node[token as string] = child;
    if (!last) node = child as Record<string, unknown> | unknown[];
  });
  return root;
}

const pointer = (tokens: (string | number)[]) => tokens.map((t) => `/${t}`).join('');

for (const op of OPERATIONS) {
  const slots: Slot[] = [];
  collectSlots(model.operations[op].input!.shape, [], slots);

  describe(`${op} boundaries from the model`, () => {
    it('accepts the minimal valid document', () => {
      expect(validate(sample(model.operations[op].input!.shape), op)).toEqual({ valid: true, errors: [] });
    });

    for (const name of model.shapes[model.operations[op].input!.shape].required ?? []) {
      it(`reports missing required ${name} at /${name}`, () => {
        const doc = sample(model.operations[op].input!.shape) as Record<string, unknown>;
        delete doc[name];
        const result = validate(doc, op);
        expect(result.valid).toBe(false);
        expect(result.errors).toContainEqual(expect.objectContaining({ path: `/${name}`, keyword: 'required' }));
      });
    }

    for (const slot of slots) {
      const path = pointer(slot.tokens);
      const { shape } = slot;
      const expectValid = (value: unknown) => expect(validate(documentWith(op, slot.tokens, value), op), `${path} = ${JSON.stringify(value)?.slice(0, 40)}`).toEqual({ valid: true, errors: [] });
      const expectError = (value: unknown, keyword: string) => {
        const result = validate(documentWith(op, slot.tokens, value), op);
        expect(result.valid).toBe(false);
        expect(result.errors).toContainEqual(expect.objectContaining({ path, keyword }));
      };

      if (shape.type === 'string' && !shape.enum) {
        it(`${path} (${slot.shapeName}) enforces length ${shape.min ?? 0}..${shape.max ?? '∞'} and its pattern`, () => {
          const min = shape.min ?? 0;
          if (min > 0) {
            expectValid(stringOfLength(shape, min));
            if (!shape.pattern || min - 1 > 0) expectError(stringOfLength(shape, min - 1), 'minLength');
            else expectError('', 'minLength');
          }
          if (shape.max !== undefined) {
            expectValid(stringOfLength(shape, shape.max));
            expectError(stringOfLength(shape, shape.max + 1), 'maxLength');
            // Lengths count code points: max astral characters fit, where UTF-16 would count double.
            if (!shape.pattern) expectValid('😀'.repeat(shape.max));
          }
          if (shape.pattern) {
            expectValid(stringOfLength(shape, Math.max(min, 4)));
            expectError(patternFailure(shape), 'pattern');
          }
          expectError(42, 'type');
        });
      }
      if (shape.type === 'string' && shape.enum) {
        it(`${path} (${slot.shapeName}) accepts exactly ${shape.enum.join(', ')}`, () => {
          for (const v of shape.enum!) expectValid(v);
          expectError(`${shape.enum![0]}X`, 'enum');
          expectError(shape.enum![0].toLowerCase(), 'enum');
        });
      }
      if (shape.type === 'double' || shape.type === 'timestamp') {
        it(`${path} (${slot.shapeName}) is a JSON number`, () => {
          expectValid(0);
          expectValid(1700000000.25);
          expectValid(-1.5e10);
          expectError('1700000000', 'type');
          expectError(Infinity, 'type');
          expectError(null, 'type');
        });
      }
      if (shape.type === 'structure') {
        it(`${path} (${slot.shapeName}) is an object with no unknown members`, () => {
          expectError([], 'type');
          const result = validate(documentWith(op, [...slot.tokens], { ...(sample(slot.shapeName) as object), Bogus: 1 }), op);
          expect(result.errors).toContainEqual(expect.objectContaining({ path: `${path}/Bogus`, keyword: 'additionalProperties' }));
        });
      }
      if (shape.type === 'list') {
        it(`${path} (${slot.shapeName}) is an array`, () => {
          expectValid([]);
          expectError({}, 'type');
        });
      }
    }
  });
}

describe('pattern semantics (DESIGN §2)', () => {
  const base = { DeviceName: 'd', DeviceFleetName: 'f' };
  it('AgentVersion is not anchored: "1.0-beta" is valid, "-" is not', () => {
    expect(validate({ ...base, AgentVersion: '1.0-beta' }).valid).toBe(true);
    expect(validate({ ...base, AgentVersion: '-' }).errors).toEqual([expect.objectContaining({ path: '/AgentVersion', keyword: 'pattern' })]);
  });
  it('DeviceName anchors itself', () => {
    expect(validate({ ...base, AgentVersion: '1', DeviceName: 'a--b__c' }).valid).toBe(true);
    expect(validate({ ...base, AgentVersion: '1', DeviceName: 'ok!' }).valid).toBe(false);
    expect(validate({ ...base, AgentVersion: '1', DeviceName: 'a_-b' }).valid).toBe(false);
  });
});
