/**
 * Boundary cases derived programmatically from a service model: for every member reachable from an
 * operation's input, the values at and just past each of its constraints, with the verdict a correct
 * validator must give. The generator refuses (throws) on a constraint kind it does not know, so a model
 * that gains one fails the tests until this file, and the schema, learn it.
 */
import type { ServiceModel, Shape } from '../../../src/common/model/derive.ts';

export type Expectation = 'valid' | { path: string; keyword: string };

export interface BoundaryCase {
  /** The member and what is checked, e.g. "/Models/0/ModelName (ModelName) length 4..255". */
  group: string;
  doc: unknown;
  expect: Expectation;
}

type Token = string | number;

/** Keys that describe a shape or member without constraining values. */
const ANNOTATIONS = [
  'type',
  'documentation',
  'exception',
  'error',
  'fault',
  'sensitive',
  'deprecated',
  'deprecatedMessage',
  'box',
  'retryable',
];
/** The constraint keys each shape type may carry, all of which the cases below exercise. */
const HANDLED: Record<string, string[]> = {
  structure: ['members', 'required'],
  list: ['member', 'min', 'max'],
  string: ['enum', 'min', 'max', 'pattern'],
  double: ['min', 'max'],
  float: ['min', 'max'],
  integer: ['min', 'max'],
  long: ['min', 'max'],
  timestamp: [],
  boolean: [],
};
const MEMBER_KEYS = ['shape', 'documentation', 'deprecated'];

const pointer = (tokens: Token[]) => tokens.map((t) => `/${t}`).join('');

export function boundaryCases(model: ServiceModel, operation: string): BoundaryCase[] {
  const rootShape = model.operations[operation]?.input?.shape;
  if (!rootShape) throw new Error(`The model has no input for ${operation}.`);

  const shapeOf = (name: string): Shape => {
    const shape = model.shapes[name];
    if (!shape) throw new Error(`The model references an unknown shape ${name}.`);
    const handled = HANDLED[shape.type];
    if (!handled)
      throw new Error(`The boundary generator does not handle ${shape.type} shapes (${name}): teach it, and the schema, this kind.`);
    for (const key of Object.keys(shape)) {
      if (!ANNOTATIONS.includes(key) && !handled.includes(key))
        throw new Error(
          `The boundary generator does not handle "${key}" on ${shape.type} shape ${name}: teach it, and the schema, this constraint.`,
        );
    }
    for (const [memberName, member] of Object.entries(shape.members ?? {})) {
      for (const key of Object.keys(member))
        if (!MEMBER_KEYS.includes(key))
          throw new Error(
            `The boundary generator does not handle "${key}" on member ${name}.${memberName}: teach it, and the schema, this constraint.`,
          );
    }
    return shape;
  };

  /** A minimal valid value for a shape. */
  const sample = (name: string): unknown => {
    const shape = shapeOf(name);
    switch (shape.type) {
      case 'structure': {
        const out: Record<string, unknown> = {};
        for (const member of shape.required ?? []) out[member] = sample(shape.members![member].shape);
        return out;
      }
      case 'list':
        return Array.from({ length: shape.min ?? 0 }, () => sample(shape.member!.shape));
      case 'string':
        return shape.enum ? shape.enum[0] : stringOfLength(shape, Math.max(shape.min ?? 1, 4));
      case 'boolean':
        return true;
      default:
        return Math.min(Math.max(1, shape.min ?? 1), shape.max ?? 1);
    }
  };

  /** A valid root document in which the member at `tokens` holds `value` (containers on the way are created). */
  const documentWith = (tokens: Token[], value: unknown): unknown => {
    if (tokens.length === 0) return value;
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
  };

  const cases: BoundaryCase[] = [{ group: `${operation}: the minimal valid document`, doc: sample(rootShape), expect: 'valid' }];

  const visit = (shapeName: string, tokens: Token[]): void => {
    const shape = shapeOf(shapeName);
    const path = pointer(tokens);
    const at = (what: string, value: unknown, keyword?: string, where = path) =>
      cases.push({
        group: `${path || '(root)'} (${shapeName}) ${what}`,
        doc: documentWith(tokens, value),
        expect: keyword ? { path: where, keyword } : 'valid',
      });

    switch (shape.type) {
      case 'structure': {
        at('is an object', [], 'type');
        at('has no unknown members', { ...(sample(shapeName) as object), Bogus: 1 }, 'additionalProperties', `${path}/Bogus`);
        for (const name of shape.required ?? []) {
          const { [name]: _missing, ...rest } = sample(shapeName) as Record<string, unknown>;
          at(`requires ${name}`, rest, 'required', `${path}/${name}`);
        }
        for (const [name, member] of Object.entries(shape.members ?? {})) visit(member.shape, [...tokens, name]);
        break;
      }
      case 'list': {
        const items = (n: number) => Array.from({ length: n }, () => sample(shape.member!.shape));
        const min = shape.min ?? 0;
        at('is an array', {}, 'type');
        at(`holds ${min}..${shape.max ?? '∞'} items`, items(min));
        if (min > 0) at(`holds ${min}..${shape.max ?? '∞'} items`, items(min - 1), 'minItems');
        if (shape.max !== undefined) {
          at(`holds ${min}..${shape.max} items`, items(shape.max));
          at(`holds ${min}..${shape.max} items`, items(shape.max + 1), 'maxItems');
        }
        visit(shape.member!.shape, [...tokens, 0]);
        break;
      }
      case 'string': {
        if (shape.enum) {
          for (const v of shape.enum) at(`accepts exactly ${shape.enum.join(', ')}`, v);
          at(`accepts exactly ${shape.enum.join(', ')}`, `${shape.enum[0]}X`, 'enum');
          at(`accepts exactly ${shape.enum.join(', ')}`, shape.enum[0].toLowerCase(), 'enum');
          break;
        }
        const min = shape.min ?? 0;
        const what = `length ${min}..${shape.max ?? '∞'}${shape.pattern ? ' and its pattern' : ''}`;
        if (min > 0) {
          at(what, stringOfLength(shape, min));
          at(what, !shape.pattern || min - 1 > 0 ? stringOfLength(shape, min - 1) : '', 'minLength');
        }
        if (shape.max !== undefined) {
          at(what, stringOfLength(shape, shape.max));
          at(what, stringOfLength(shape, shape.max + 1), 'maxLength');
          // Lengths count code points: max astral characters fit, where UTF-16 would count double.
          if (!shape.pattern) at(what, '😀'.repeat(shape.max));
        }
        if (shape.pattern) {
          at(what, stringOfLength(shape, Math.max(min, 4)));
          at(what, patternFailure(shape), 'pattern');
        }
        at(what, 42, 'type');
        break;
      }
      case 'boolean':
        at('is a boolean', true);
        at('is a boolean', 'true', 'type');
        break;
      default: {
        // Numbers and timestamps (epoch seconds on the wire).
        const whole = shape.type === 'integer' || shape.type === 'long';
        const what = `is a JSON ${whole ? 'integer' : 'number'}${shape.min !== undefined || shape.max !== undefined ? ` in ${shape.min ?? '-∞'}..${shape.max ?? '∞'}` : ''}`;
        const inRange = [0, 1700000000.25, -1.5e10]
          .map((n) => (whole ? Math.trunc(n) : n))
          .filter((n) => (shape.min === undefined || n >= shape.min) && (shape.max === undefined || n <= shape.max));
        for (const n of inRange) at(what, n);
        if (shape.min !== undefined) {
          at(what, shape.min);
          at(what, shape.min - 1, 'minimum');
        }
        if (shape.max !== undefined) {
          at(what, shape.max);
          at(what, shape.max + 1, 'maximum');
        }
        if (whole) at(what, (shape.min ?? 0) + 0.5, 'type');
        at(what, String(sample(shapeName)), 'type');
        at(what, Infinity, 'type');
        at(what, null, 'type');
      }
    }
  };
  visit(rootShape, []);
  return cases;
}

/** A string that matches the shape's pattern, of exactly `length` code points. */
function stringOfLength(shape: Shape, length: number): string {
  const p = shape.pattern;
  if (
    !p ||
    p === '^[a-zA-Z0-9](-*_*[a-zA-Z0-9])*$' ||
    p === '^[a-zA-Z0-9](-*[a-zA-Z0-9])*$' ||
    p === '[a-zA-Z0-9\\ \\_\\.]+' ||
    p === '^[a-zA-Z0-9](-*[a-zA-Z0-9\\/])*$' ||
    p === '^[a-z0-9](-*[a-z0-9])*$'
  )
    return 'a'.repeat(length);
  if (p === '^s3://([^/]+)/?(.*)$') return `s3://${'b'.repeat(Math.max(1, length - 5))}`;
  throw new Error(`The boundary generator does not know pattern ${p}: teach it a matching and a failing sample.`);
}

/** A string that fails the shape's pattern but has a valid length. */
function patternFailure(shape: Shape): string {
  const len = Math.max(shape.min ?? 1, 4);
  if (shape.pattern!.startsWith('^')) return '-' + 'a'.repeat(len - 1); // every anchored model pattern starts with an alphanumeric
  return '-'.repeat(len); // unanchored: no allowed character anywhere
}
