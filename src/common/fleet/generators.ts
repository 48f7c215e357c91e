/**
 * Value generators of the scenario file (issue 17): each makes one metric's values for one device,
 * seeded per (seed, fleet, device, metric), rounded to `precision` decimal places (default 3) as
 * floor(v × 10^p + 0.5) / 10^p, so another runtime rounds alike. `t` is seconds since the run started.
 */
import { Prng } from './prng.ts';

export type GeneratorSpec =
  | { constant: number }
  | { uniform: { min: number; max: number } }
  | { normal: { mean: number; sd: number; min?: number; max?: number } }
  | { randomWalk: { start: number; step: number; min: number; max: number } }
  | { sine: { mean: number; amplitude: number; period: number; noise?: number } }
  | { counter: { start: number; rate: number } }
  | { sequence: number[] }
  | { pickOne: number[] }
  | { decay: { start: number; halfLife: number; floor: number } }
  | { csv: CsvArgs };

/**
 * Rows of a CSV column, in order, cycling. Pure code cannot read files: parseScenario says where each csv
 * generator is (`csvSources`) and the host side (src/node/fleet/load-scenario.ts) fills in `values`.
 */
export interface CsvArgs {
  /** Relative to the scenario's folder, or absolute. */
  file: string;
  /** A name in the file's header row, or a column number from 1. */
  column: string | number;
  values?: number[];
}

export const GENERATOR_NAMES = [
  'constant',
  'uniform',
  'normal',
  'randomWalk',
  'sine',
  'counter',
  'sequence',
  'pickOne',
  'decay',
  'csv',
] as const;

export type Generator = (tSeconds: number) => number;

export function roundTo(value: number, precision: number): number {
  const f = 10 ** precision;
  return Math.floor(value * f + 0.5) / f;
}

const clamp = (v: number, min: number | undefined, max: number | undefined): number =>
  Math.min(max ?? Infinity, Math.max(min ?? -Infinity, v));

/** A generator of `spec` drawing from `prng`; periods and half-lives are in seconds. */
export function makeGenerator(spec: GeneratorSpec, prng: Prng, precision = 3): Generator {
  const raw = rawGenerator(spec, prng);
  return (t) => roundTo(raw(t), precision);
}

function rawGenerator(spec: GeneratorSpec, prng: Prng): Generator {
  if ('constant' in spec) return () => spec.constant;
  if ('uniform' in spec) {
    const { min, max } = spec.uniform;
    return () => min + (max - min) * prng.float();
  }
  if ('normal' in spec) {
    const { mean, sd, min, max } = spec.normal;
    return () => {
      // Box–Muller; 1 - float() is in (0, 1], so the logarithm is finite.
      const u1 = 1 - prng.float();
      const u2 = prng.float();
      return clamp(mean + sd * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2), min, max);
    };
  }
  if ('randomWalk' in spec) {
    const { start, step, min, max } = spec.randomWalk;
    let value = clamp(start, min, max);
    let first = true;
    return () => {
      if (first) first = false;
      else value = clamp(value + (2 * prng.float() - 1) * step, min, max);
      return value;
    };
  }
  if ('sine' in spec) {
    const { mean, amplitude, period, noise } = spec.sine;
    return (t) => mean + amplitude * Math.sin((2 * Math.PI * t) / period) + (noise ? (2 * prng.float() - 1) * noise : 0);
  }
  if ('counter' in spec) {
    const { start, rate } = spec.counter;
    return (t) => start + rate * Math.max(0, t);
  }
  if ('sequence' in spec || 'csv' in spec) {
    const values = 'sequence' in spec ? spec.sequence : (spec.csv.values ?? []);
    let i = 0;
    return () => (values.length === 0 ? 0 : values[i++ % values.length]!);
  }
  if ('pickOne' in spec) {
    const values = spec.pickOne;
    return () => values[Math.floor(prng.float() * values.length)]!;
  }
  const { start, halfLife, floor } = spec.decay;
  return (t) => floor + (start - floor) * 0.5 ** (Math.max(0, t) / halfLife);
}
