/**
 * The scenario file's JSON Schema (src/common/fleet/scenario-schema.ts), what the scenario editor's
 * completion and hover come from: the shipped examples and a scenario using every member and generator
 * pass it and parseScenario; bad scenarios fail both; every member says what it means.
 */
import { readdirSync, readFileSync } from 'node:fs';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { GENERATOR_NAMES } from '../../../src/common/fleet/generators.ts';
import { parseScenario } from '../../../src/common/fleet/scenario.ts';
import { scenarioSchema, type JsonSchema } from '../../../src/common/fleet/scenario-schema.ts';

const ajv = new Ajv({ allErrors: true, strict: true, unicodeRegExp: true });
const validate = ajv.compile(scenarioSchema);
const bySchema = (text: string): boolean => validate(parse(text));

// The fleet examples that are scenarios (a deployment plan, with its stages, sits beside the one it goes with).
const examples = readdirSync('examples')
  .filter((f) => /^fleet-.*\.ya?ml$/.test(f))
  .map((f) => `examples/${f}`)
  .filter((f) => !(parse(readFileSync(f, 'utf8')) as { stages?: unknown } | null)?.stages);

const EVERYTHING = `
name: everything
seed: 4294967295
duration: 1.5h
fleets:
  - name: north_site-1
    devices: 100000
    deviceName: '{fleet}-{n:05}'
    agentVersion: '1.20210820.e20fa3a'
    interval: 500ms
    jitter: 0.25
    startup: together
    deploymentPoll: 2m
    applyTime: 0s
    failureRate: 100%
    clockSkew: -1.5s..250ms
    offline: { probability: 0.5%, duration: 1m }
    agentMetrics:
      - { dimension: agent, name: Constant, value: 7 }
      - { dimension: agent, name: ConstantToo, value: { constant: -1.5 }, precision: 0 }
      - { dimension: agent, name: Uniform, value: { uniform: { min: 0, max: 1 } }, precision: 10 }
      - { dimension: agent, name: Normal, value: { normal: { mean: 5, sd: 1, min: 0, max: 10 } } }
      - { dimension: agent, name: NormalOpen, value: { normal: { mean: 5, sd: 1 } } }
      - { dimension: agent, name: RandomWalk, value: { randomWalk: { start: 1, step: 1, min: 0, max: 9 } } }
      - { dimension: agent, name: Sine, value: { sine: { mean: 1, amplitude: 2, period: 1m, noise: 0.5 } } }
      - { dimension: agent, name: SineDefaults, value: { sine: { mean: 1, amplitude: 2 } } }
      - { dimension: agent, name: Counter, value: { counter: { start: 3, rate: 0.5 } } }
      - { dimension: agent, name: CounterFromZero, value: { counter: { rate: 2 } } }
      - { dimension: agent, name: Sequence, value: { sequence: [1, 2, 3] } }
      - { dimension: agent, name: PickOne, value: { pickOne: [0.25, 0.75] } }
      - { dimension: agent, name: Decay, value: { decay: { start: 100, halfLife: 30s, floor: 5 } } }
      - { dimension: agent, name: CsvByName, value: { csv: { file: data/load.csv, column: load } } }
      - { dimension: agent, name: CsvByNumber, value: { csv: { file: /tmp/load.csv, column: 2 } } }
    models:
      - name: detector
        version: 3
        metrics:
          - { dimension: model/detector, name: Latency, value: 40 }
      - name: classifier
  - name: south
`;

describe('the scenario JSON Schema', () => {
  it('ships at least one fleet example, and each passes the schema and parseScenario', () => {
    expect(examples.length).toBeGreaterThanOrEqual(1);
    for (const file of examples) {
      const text = readFileSync(file, 'utf8');
      expect(bySchema(text), `${file}: ${ajv.errorsText(validate.errors)}`).toBe(true);
      expect(parseScenario(text).problems, file).toEqual([]);
    }
    const fixture = readFileSync('test/fixtures/fleet/small.yaml', 'utf8');
    expect(bySchema(fixture), ajv.errorsText(validate.errors)).toBe(true);
  });

  it('takes every member and every generator, as parseScenario does', () => {
    expect(parseScenario(EVERYTHING).problems).toEqual([]);
    expect(bySchema(EVERYTHING), ajv.errorsText(validate.errors)).toBe(true);
    expect(bySchema(JSON.stringify(parse(EVERYTHING)))).toBe(true);
  });

  // Each replaces one line of EVERYTHING (or adds one); both judges must refuse the result.
  const bad: Array<[string, string, string]> = [
    ['a number for a duration', '    interval: 500ms', '    interval: 5'],
    ['a duration without a unit', '    interval: 500ms', "    interval: '5'"],
    ['a zero interval', '    interval: 500ms', '    interval: 0s'],
    ['a negative apply time', '    applyTime: 0s', '    applyTime: -1s'],
    ['an unknown startup', '    startup: together', '    startup: later'],
    ['a misspelt member', '    startup: together', '    startp: together'],
    ['jitter above 100%', '    jitter: 0.25', '    jitter: 150%'],
    ['jitter above 1', '    jitter: 0.25', '    jitter: 1.5'],
    ['a broken skew range', '    clockSkew: -1.5s..250ms', "    clockSkew: '2s...'"],
    ['too many devices', '    devices: 100000', '    devices: 100001'],
    ['a device name without {n}', "    deviceName: '{fleet}-{n:05}'", '    deviceName: cam'],
    ['a fleet name with a space', '  - name: north_site-1', '  - name: north site'],
    ['an unknown generator', '{ counter: { rate: 2 } }', '{ gaussian: { mean: 2 } }'],
    ['two generators in one value', '{ counter: { rate: 2 } }', '{ counter: { rate: 2 }, constant: 1 }'],
    ['a generator without a required setting', '{ uniform: { min: 0, max: 1 } }', '{ uniform: { min: 0 } }'],
    ['a generator setting it does not have', '{ uniform: { min: 0, max: 1 } }', '{ uniform: { min: 0, max: 1, mode: 2 } }'],
    ['an empty sequence', '{ sequence: [1, 2, 3] }', '{ sequence: [] }'],
    ['a csv column 0', '{ file: /tmp/load.csv, column: 2 }', '{ file: /tmp/load.csv, column: 0 }'],
    ['a precision of 11', 'precision: 10', 'precision: 11'],
    ['a metric name under 4 characters', 'name: Constant,', 'name: Cpu,'],
    ['a metric without a value', '{ dimension: agent, name: Constant, value: 7 }', '{ dimension: agent, name: Constant }'],
    ['a model without a name', '      - name: classifier', '      - version: 2'],
    ['a seed above 32 bits', 'seed: 4294967295', 'seed: 4294967296'],
    ['no fleets', '  - name: south', 'fleets2: []'],
  ];
  it.each(bad)('refuses %s, and so does parseScenario', (_what, from, to) => {
    expect(EVERYTHING).toContain(from);
    const text = EVERYTHING.replace(from, to);
    expect(bySchema(text)).toBe(false);
    expect(parseScenario(text).problems.length).toBeGreaterThan(0);
  });

  it('refuses a scenario without fleets or name', () => {
    for (const text of ['name: x\n', 'fleets: [{ name: f }]\n', 'fleets: []\nname: x\n', '[]\n']) {
      expect(bySchema(text), text).toBe(false);
      expect(parseScenario(text).problems.length, text).toBeGreaterThan(0);
    }
  });

  it('describes every member, and offers every generator', () => {
    const undescribed: string[] = [];
    const walk = (node: JsonSchema, path: string): void => {
      for (const [key, sub] of Object.entries(node.properties ?? {})) {
        if (!sub.description) undescribed.push(`${path}/${key}`);
        walk(sub, `${path}/${key}`);
      }
      if (node.items) walk(node.items, `${path}/*`);
      node.oneOf?.forEach((sub) => walk(sub, path));
    };
    walk(scenarioSchema, '');
    expect(undescribed).toEqual([]);
    const fleet = scenarioSchema.properties!.fleets!.items!;
    const value = fleet.properties!.agentMetrics!.items!.properties!.value!;
    expect(value.oneOf!.flatMap((g) => Object.keys(g.properties ?? {}))).toEqual([...GENERATOR_NAMES]);
    for (const key of ['interval', 'jitter', 'startup', 'clockSkew', 'deviceName', 'devices'])
      expect(fleet.properties![key]!.description, key).toMatch(/Default/);
  });
});
