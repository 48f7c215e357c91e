/**
 * The JSON Schema (draft-07) of the scenario file (docs/fleet.md), for the scenario editor's completion
 * and hover (issue 18): every member with what it means and its default. parseScenario (scenario.ts) stays
 * the one judge of a scenario — its problems are the editor's markers; this schema agrees with it on what
 * it can express (types, members, ranges, the duration, percentage and range patterns, the service's name
 * rules) but not on what it cannot: two fleets of one name, a range whose start is after its end, a
 * duration under a millisecond.
 */
import { requestSchema, schemaAt } from '../model/index.ts';
import { GENERATOR_NAMES } from './generators.ts';

/** The part of JSON Schema draft-07 the scenario schema uses. */
export interface JsonSchema {
  $schema?: string;
  $id?: string;
  title?: string;
  description?: string;
  type?: 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean';
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean;
  items?: JsonSchema;
  minItems?: number;
  oneOf?: JsonSchema[];
  enum?: string[];
  default?: unknown;
  examples?: unknown[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
}

const NUMBER = '-?\\d+(?:\\.\\d+)?';
const UNIT = '(?:ms|s|m|h)';
/** durations.ts: a number and a unit, spaces around it allowed. */
const DURATION = `${NUMBER}${UNIT}`;
/** Above zero: not negative, not all zeros. */
const POSITIVE = `(?!-)(?!0+(?:\\.0+)?${UNIT}\\s*$)\\d+(?:\\.\\d+)?${UNIT}`;

export const DURATION_PATTERN = `^\\s*${DURATION}\\s*$`;
export const POSITIVE_DURATION_PATTERN = `^\\s*${POSITIVE}\\s*$`;
export const NON_NEGATIVE_DURATION_PATTERN = `^\\s*\\d+(?:\\.\\d+)?${UNIT}\\s*$`;
/** A duration, or a range `A..B` of two. */
export const DURATION_RANGE_PATTERN = `^\\s*${DURATION}\\s*(?:\\.\\.\\s*${DURATION}\\s*)?$`;
/** 0% to 100%. */
export const PERCENT_PATTERN = '^\\s*(?:100(?:\\.0+)?|\\d{1,2}(?:\\.\\d+)?)%\\s*$';

const positiveDuration = (description: string, fallback: string): JsonSchema => ({
  description: `${description} A duration: 500ms, 5s, 2m or 1h, above zero. Default ${fallback}.`,
  type: 'string',
  pattern: POSITIVE_DURATION_PATTERN,
  default: fallback,
});

const fraction = (description: string): JsonSchema => ({
  description: `${description} A fraction from 0 to 1 (0.1) or a percentage (10%). Default 0.`,
  oneOf: [
    { type: 'number', minimum: 0, maximum: 1 },
    { type: 'string', pattern: PERCENT_PATTERN },
  ],
  default: 0,
  examples: ['10%'],
});

/** The service's length and pattern rules of a member of SendHeartbeat, from the request model. */
function serviceRule(pointer: string): Pick<JsonSchema, 'minLength' | 'maxLength' | 'pattern'> {
  const node = schemaAt(requestSchema('SendHeartbeat'), pointer) as JsonSchema | undefined;
  if (!node) throw new Error(`The SendHeartbeat model has no ${pointer}.`);
  const { minLength, maxLength, pattern } = node;
  return {
    ...(minLength !== undefined ? { minLength } : {}),
    ...(maxLength !== undefined ? { maxLength } : {}),
    ...(pattern ? { pattern } : {}),
  };
}

const num = (description: string): JsonSchema => ({ description, type: 'number' });

/** One generator: a mapping with just its name, whose value is its settings. */
const generator = (name: (typeof GENERATOR_NAMES)[number], description: string, settings: JsonSchema): JsonSchema => ({
  title: name,
  description,
  type: 'object',
  properties: { [name]: { description, ...settings } },
  required: [name],
  additionalProperties: false,
});

const settings = (properties: Record<string, JsonSchema>, required: string[]): JsonSchema => ({
  type: 'object',
  properties,
  required,
  additionalProperties: false,
});

const numbers: JsonSchema = { type: 'array', items: { type: 'number' }, minItems: 1 };

const GENERATORS: JsonSchema[] = [
  generator('constant', 'constant: V — always V. (A plain number is the same.)', { type: 'number' }),
  generator(
    'uniform',
    'uniform: {min, max} — a value drawn evenly from min to max.',
    settings({ min: num('The smallest value.'), max: num('The largest value.') }, ['min', 'max']),
  ),
  generator(
    'normal',
    'normal: {mean, sd, min?, max?} — a value from a normal distribution, clamped to min and max when given.',
    settings(
      {
        mean: num('The mean.'),
        sd: num('The standard deviation.'),
        min: num('Values below are raised to min. Default: no lower bound.'),
        max: num('Values above are lowered to max. Default: no upper bound.'),
      },
      ['mean', 'sd'],
    ),
  ),
  generator(
    'randomWalk',
    'randomWalk: {start, step, min, max} — starts at start; each value moves at most step from the last, clamped to min and max.',
    settings(
      {
        start: num('The first value.'),
        step: num('The largest move from one value to the next.'),
        min: num('The smallest value.'),
        max: num('The largest value.'),
      },
      ['start', 'step', 'min', 'max'],
    ),
  ),
  generator(
    'sine',
    'sine: {mean, amplitude, period, noise?} — mean + amplitude × sin(2π t / period) at t seconds, plus up to ± noise at random.',
    settings(
      {
        mean: num('The middle of the wave.'),
        amplitude: num('How far the wave goes above and below the mean.'),
        period: positiveDuration('How long one wave takes.', '1s'),
        noise: { ...num('Each value moves by a random amount of at most ± noise. Default 0.'), default: 0 },
      },
      ['mean', 'amplitude'],
    ),
  ),
  generator(
    'counter',
    'counter: {start, rate} — start + rate × seconds since the device started; never decreasing.',
    settings({ start: { ...num('The first value. Default 0.'), default: 0 }, rate: num('How much it grows per second.') }, ['rate']),
  ),
  generator('sequence', 'sequence: [..] — the numbers in order, one per heartbeat, cycling.', numbers),
  generator('pickOne', 'pickOne: [..] — one of the numbers at random for each heartbeat.', numbers),
  generator(
    'decay',
    'decay: {start, halfLife, floor} — falls from start towards floor, halving the distance every halfLife.',
    settings(
      {
        start: num('The first value.'),
        halfLife: positiveDuration('How long halving the distance to the floor takes.', '1s'),
        floor: { ...num('The value it falls towards. Default 0.'), default: 0 },
      },
      ['start'],
    ),
  ),
  generator(
    'csv',
    "csv: {file, column} — a column's rows of a CSV file, in order, cycling (the file is read when the scenario is loaded).",
    settings(
      {
        file: {
          description:
            "The CSV file: relative to the scenario's folder, or absolute. UTF-8, comma-separated, its first row the header, every later cell a number.",
          type: 'string',
          pattern: '\\S',
        },
        column: {
          description: "A name in the file's header row, or a column number from 1.",
          oneOf: [
            { type: 'string', pattern: '\\S' },
            { type: 'integer', minimum: 1 },
          ],
        },
      },
      ['file', 'column'],
    ),
  ),
];

const metric = (where: string): JsonSchema => ({
  description: `A metric of ${where}: { dimension, name, value, precision }, sent in every heartbeat.`,
  type: 'object',
  properties: {
    dimension: {
      description: 'The metric\'s Dimension, e.g. "agent" or "model/detector".',
      type: 'string',
      ...serviceRule('/AgentMetrics/0/Dimension'),
    },
    name: {
      description: 'The MetricName, e.g. CpuUtilization (at least 4 characters).',
      type: 'string',
      ...serviceRule('/AgentMetrics/0/MetricName'),
    },
    value: {
      description:
        'A number, or one generator: constant, uniform {min, max}, normal {mean, sd, min?, max?}, randomWalk {start, step, min, max}, sine {mean, amplitude, period, noise?}, counter {start, rate}, sequence [..], pickOne [..], decay {start, halfLife, floor}, csv {file, column}.',
      oneOf: [{ type: 'number', description: 'A constant value.' }, ...GENERATORS],
    },
    precision: {
      description: 'Decimal places every value is rounded to, as floor(v × 10^p + 0.5) / 10^p: 0 to 10. Default 3.',
      type: 'integer',
      minimum: 0,
      maximum: 10,
      default: 3,
    },
  },
  required: ['dimension', 'name', 'value'],
  additionalProperties: false,
});

const metrics = (where: string): JsonSchema => ({
  description: `The metrics of ${where}, in every heartbeat. Default none.`,
  type: 'array',
  items: metric(where),
});

const fleet: JsonSchema = {
  description: 'A fleet of simulated devices that share one configuration.',
  type: 'object',
  properties: {
    name: {
      description: "The fleet's name (its DeviceFleetName), each fleet its own. Required.",
      type: 'string',
      ...serviceRule('/DeviceFleetName'),
    },
    devices: {
      description: 'How many devices the fleet has: 1 to 100,000. Default 1.',
      type: 'integer',
      minimum: 1,
      maximum: 100_000,
      default: 1,
    },
    deviceName: {
      description:
        "Each device's DeviceName: {n} is its number from 1, {n:03} the number zero-padded to 3 digits, {fleet} the fleet's name. Must contain {n}. Default {fleet}-{n}.",
      type: 'string',
      pattern: '\\{n',
      default: '{fleet}-{n}',
    },
    agentVersion: {
      description: 'The AgentVersion of every heartbeat. Default 1.0.',
      type: 'string',
      ...serviceRule('/AgentVersion'),
      default: '1.0',
    },
    interval: positiveDuration('A heartbeat every interval (± jitter).', '5s'),
    jitter: fraction('How far each heartbeat may be from its interval, as a share of the interval: 10% means ± 10%.'),
    startup: {
      description: 'stagger spreads the devices’ first requests over one interval; together starts them all at once. Default stagger.',
      type: 'string',
      enum: ['stagger', 'together'],
      default: 'stagger',
    },
    deploymentPoll: positiveDuration('How often each device asks GetDeployments for a deployment.', '30s'),
    applyTime: {
      description: 'How long applying a deployment takes (used by the run engine). A duration: 0s, 500ms, 3s. Default 3s.',
      type: 'string',
      pattern: NON_NEGATIVE_DURATION_PATTERN,
      default: '3s',
    },
    failureRate: fraction('How often applying a deployment fails (used by the run engine).'),
    clockSkew: {
      description:
        "How far each device's clock is off: a duration (every device the same) or a range like -2s..2s (each device a fixed amount in it). Default 0s.",
      type: 'string',
      pattern: DURATION_RANGE_PATTERN,
      default: '0s',
      examples: ['-2s..2s'],
    },
    offline: {
      description: 'Offline spells: { probability, duration } — the chance per heartbeat of going quiet for the duration. Default none.',
      type: 'object',
      properties: {
        probability: fraction('The chance, drawn before each heartbeat, that the device goes offline.'),
        duration: positiveDuration('How long an offline spell lasts.', '30s'),
      },
      additionalProperties: false,
    },
    agentMetrics: metrics('the agent (AgentMetrics)'),
    models: {
      description: 'The models each device runs (its Models), each with its metrics. Default none.',
      type: 'array',
      items: {
        description: 'A model: { name, version, metrics }.',
        type: 'object',
        properties: {
          name: { description: 'The ModelName (at least 4 characters). Required.', type: 'string', ...serviceRule('/Models/0/ModelName') },
          version: {
            description: "The ModelVersion (quote it, '2.4', to keep it text). Default 1.0.",
            oneOf: [{ type: 'string', ...serviceRule('/Models/0/ModelVersion') }, { type: 'number' }],
            default: '1.0',
          },
          metrics: metrics('the model (ModelMetrics)'),
        },
        required: ['name'],
        additionalProperties: false,
      },
    },
  },
  required: ['name'],
  additionalProperties: false,
};

/** The scenario file's schema. */
export const scenarioSchema: JsonSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'inmemory://heartbeat/fleet-scenario.schema.json',
  title: 'Fleet scenario',
  description: 'A scenario of `heartbeat fleet` (docs/fleet.md): simulated Edge Manager devices, their heartbeats and their metrics.',
  type: 'object',
  properties: {
    name: { description: "The scenario's name. Required.", type: 'string', minLength: 1 },
    seed: {
      description:
        'The seed of every random value: the same seed and scenario give the same requests, values and times per device. 0 to 4294967295. Default 0.',
      type: 'integer',
      minimum: 0,
      maximum: 4_294_967_295,
      default: 0,
    },
    duration: {
      description: 'How long a run lasts: 500ms, 5s, 2m or 1h, above zero. Default: until stopped.',
      type: 'string',
      pattern: POSITIVE_DURATION_PATTERN,
      examples: ['10m'],
    },
    fleets: { description: 'The fleets: at least one. Required.', type: 'array', items: fleet, minItems: 1 },
  },
  required: ['name', 'fleets'],
  additionalProperties: false,
};
