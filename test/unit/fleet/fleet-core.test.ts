/**
 * The fleet simulator's pure core (src/common/fleet): the specified PRNG (checked against an independent
 * Python implementation of the same spec, as a Locust export will need), the generators' properties, and
 * the scenario file: the issue's example parses with its defaults, a bad one gets every problem with line:col.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDuration, parseDurationRange, parseFraction } from '../../../src/common/fleet/durations.ts';
import { makeGenerator, roundTo } from '../../../src/common/fleet/generators.ts';
import { fnv1a32, Prng, streamSeed } from '../../../src/common/fleet/prng.ts';
import { deviceNameOf, parseScenario } from '../../../src/common/fleet/scenario.ts';

const PYTHON = '/usr/bin/python3';
const PY_SPEC = `
import json, sys
def fnv1a32(text):
    h = 0x811c9dc5
    for b in text.encode('utf-8'):
        h ^= b
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h
def imul(a, b):
    return (a * b) & 0xFFFFFFFF
class Prng:
    def __init__(self, seed): self.state = seed & 0xFFFFFFFF
    def next(self):
        self.state = (self.state + 0x6D2B79F5) & 0xFFFFFFFF
        t = self.state
        t = imul(t ^ (t >> 15), t | 1)
        t ^= (t + imul(t ^ (t >> 7), t | 61)) & 0xFFFFFFFF
        return (t ^ (t >> 14)) & 0xFFFFFFFF
seed = fnv1a32('\\x00'.join(['42', 'warehouse-cameras', '7', 'CpuUtilization']))
p = Prng(seed)
print(json.dumps([seed] + [p.next() for _ in range(1000)]))
`;

describe('the PRNG', () => {
  it('is the specified FNV-1a seed + mulberry32: an independent Python implementation gives the same 1,000 numbers', () => {
    const seed = streamSeed(42, 'warehouse-cameras', 7, 'CpuUtilization');
    const prng = new Prng(seed);
    const ours = [seed, ...Array.from({ length: 1000 }, () => prng.next())];
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(ours.every((n) => Number.isInteger(n) && n >= 0 && n < 2 ** 32)).toBe(true);
    if (!existsSync(PYTHON)) return console.warn('Python comparison skipped: /usr/bin/python3 is missing.');
    const run = spawnSync(PYTHON, ['-c', PY_SPEC], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual(ours);
  });

  it('floats are in [0, 1) and differ between streams', () => {
    const a = new Prng(streamSeed(1, 'f', 1, 'm'));
    const b = new Prng(streamSeed(1, 'f', 2, 'm'));
    const xs = Array.from({ length: 1000 }, () => a.float());
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(xs.slice(0, 5)).not.toEqual(Array.from({ length: 5 }, () => b.float()));
  });
});

describe('generators', () => {
  const seed = fc.integer({ min: 0, max: 2 ** 32 - 1 });
  it('uniform, randomWalk, sine and normal stay in bounds; counters never go down; rounding is to precision', () => {
    fc.assert(
      fc.property(seed, fc.integer({ min: 0, max: 5 }), (s, precision) => {
        const uniform = makeGenerator({ uniform: { min: -5, max: 5 } }, new Prng(s), precision);
        const walk = makeGenerator({ randomWalk: { start: 20, step: 2, min: 0, max: 100 } }, new Prng(s), 6);
        const sine = makeGenerator({ sine: { mean: 40, amplitude: 10, period: 60, noise: 1 } }, new Prng(s), precision);
        const normal = makeGenerator({ normal: { mean: 0, sd: 1, min: -3, max: 3 } }, new Prng(s), precision);
        const counter = makeGenerator({ counter: { start: 0, rate: 5 } }, new Prng(s), precision);
        let last = walk(0);
        let count = -1;
        for (let t = 0; t < 50; t++) {
          const u = uniform(t);
          expect(u).toBeGreaterThanOrEqual(-5);
          expect(u).toBeLessThanOrEqual(5);
          expect(roundTo(u, precision)).toBe(u);
          const w = walk(t);
          expect(Math.abs(w - last)).toBeLessThanOrEqual(2 + 1e-6);
          expect(w).toBeGreaterThanOrEqual(0);
          expect(w).toBeLessThanOrEqual(100);
          last = w;
          expect(Math.abs(sine(t) - 40)).toBeLessThanOrEqual(11 + 10 ** -precision);
          expect(Math.abs(normal(t))).toBeLessThanOrEqual(3);
          const c = counter(t);
          expect(c).toBeGreaterThanOrEqual(count);
          count = c;
        }
      }),
      { numRuns: 100 },
    );
  });

  it('the same seed gives the same sequence; sequence cycles; pickOne picks from its list; decay halves per half-life', () => {
    const run = (s: number) => Array.from({ length: 20 }, (_, t) => makeGenerator({ uniform: { min: 0, max: 1 } }, new Prng(s))(t));
    expect(run(9)).toEqual(run(9));
    expect(run(9)).not.toEqual(run(10));
    const seq = makeGenerator({ sequence: [1, 2, 3] }, new Prng(1));
    expect([0, 1, 2, 3, 4].map(seq)).toEqual([1, 2, 3, 1, 2]);
    const pick = makeGenerator({ pickOne: [7, 8] }, new Prng(1));
    expect(Array.from({ length: 30 }, (_, t) => pick(t)).every((v) => v === 7 || v === 8)).toBe(true);
    const decay = makeGenerator({ decay: { start: 100, halfLife: 10, floor: 0 } }, new Prng(1));
    expect([decay(0), decay(10), decay(20)]).toEqual([100, 50, 25]);
  });
});

describe('the scenario file', () => {
  const EXAMPLE = `name: warehouse-demo
seed: 42
duration: 10m
fleets:
  - name: warehouse-cameras
    devices: 50
    deviceName: "cam-{n:03}"
    agentVersion: "1.20210820.e20fa3a"
    interval: 5s
    jitter: 10%
    startup: stagger
    deploymentPoll: 30s
    applyTime: 3s
    failureRate: 0.1
    clockSkew: -2s..2s
    offline: { probability: 0.01, duration: 30s }
    agentMetrics:
      - { dimension: agent, name: CpuUtilization, value: { randomWalk: { start: 20, step: 2, min: 0, max: 100 } } }
    models:
      - name: pallet-detector
        version: "2.4"
        metrics:
          - { dimension: model/pallet-detector, name: InferenceLatency, value: { sine: { mean: 40, amplitude: 10, period: 60s, noise: 1 } } }
          - { dimension: model/pallet-detector, name: InferenceCount, value: { counter: { start: 0, rate: 5 } } }
`;

  it("parses the issue's example with every setting", () => {
    const { scenario, problems } = parseScenario(EXAMPLE);
    expect(problems).toEqual([]);
    expect(scenario).toMatchObject({ name: 'warehouse-demo', seed: 42, durationMs: 600_000 });
    expect(scenario!.fleets[0]).toMatchObject({
      name: 'warehouse-cameras',
      devices: 50,
      intervalMs: 5000,
      jitter: 0.1,
      clockSkewMs: { min: -2000, max: 2000 },
      offline: { probability: 0.01, durationMs: 30_000 },
      models: [
        { name: 'pallet-detector', version: '2.4', metrics: [{ value: { sine: { period: 60 } } }, { value: { counter: { rate: 5 } } }] },
      ],
    });
    expect(deviceNameOf('cam-{n:03}', 7, 'x')).toBe('cam-007');
    expect(deviceNameOf('{fleet}-{n}', 12, 'dock')).toBe('dock-12');
  });

  it('gives every problem at once, each with its line and column, and no scenario', () => {
    const bad = `name: demo
seed: -1
fleets:
  - name: "bad fleet"
    devices: 0
    deviceName: cam
    interval: 5 seconds
    jitter: 150%
    agentMetrics:
      - { dimension: agent, name: Cpu, value: { wobble: 3 } }
    colour: blue
`;
    const { scenario, problems } = parseScenario(bad);
    expect(scenario).toBeUndefined();
    expect(problems.map((p) => [p.path, p.line])).toEqual([
      ['/seed', 2],
      ['/fleets/0/name', 4],
      ['/fleets/0/devices', 5],
      ['/fleets/0/deviceName', 6],
      ['/fleets/0/interval', 7],
      ['/fleets/0/jitter', 8],
      ['/fleets/0/agentMetrics/0/name', 10],
      ['/fleets/0/agentMetrics/0/value', 10],
      ['/fleets/0/colour', 11],
    ]);
    expect(problems.find((p) => p.path === '/fleets/0/interval')!.message).toBe(
      'interval must be a duration like 500ms, 5s, 2m or 1h above zero, not "5 seconds".',
    );
    expect(parseScenario('name: [unclosed').problems[0]).toMatchObject({ line: 1 });
    // The service's own constraints on what devices will send, at the scenario's lines.
    const short = parseScenario(
      'name: s\nfleets:\n  - name: f\n    devices: 2\n    agentMetrics:\n      - { dimension: agent, name: Cpu, value: 1 }\n',
    );
    expect(short.problems).toEqual([
      {
        path: '/fleets/0/agentMetrics/0/name',
        line: 6,
        column: 35,
        message: expect.stringMatching(/MetricName "Cpu" is 3 characters long; it must be at least 4/),
      },
    ]);
    expect(parseScenario('{"name": "json", "fleets": [{"name": "f", "devices": 2}]}').scenario?.fleets[0]).toMatchObject({
      deviceName: '{fleet}-{n}',
      intervalMs: 5000,
    });
  });

  it('refuses nesting past 64 levels with the sentence JSON uses, before anything recurses', () => {
    const deep = parseScenario(`name: d\nfleets: ${'['.repeat(6000)}${']'.repeat(6000)}\n`);
    expect(deep).toEqual({
      problems: [{ path: '', message: 'Objects and arrays nest more than 64 levels deep here; a document may nest at most 64 levels.' }],
    });
    expect(parseScenario(`name: d\nfleets: ${'['.repeat(70)}${']'.repeat(70)}\n`).problems[0]!.message).toMatch(/nest more than 64 levels/);
  });

  it('parses durations, ranges and fractions', () => {
    expect([parseDuration('500ms'), parseDuration('5s'), parseDuration('2m'), parseDuration('1h'), parseDuration('5')]).toEqual([
      500,
      5000,
      120_000,
      3_600_000,
      undefined,
    ]);
    expect(parseDurationRange('-2s..2s')).toEqual({ min: -2000, max: 2000 });
    expect(parseDurationRange('2s..1s')).toBeUndefined();
    expect([parseFraction('10%'), parseFraction(0.25), parseFraction('x')]).toEqual([0.1, 0.25, undefined]);
  });
});
