/**
 * The fleet simulator's randomness, specified so another runtime reproduces it exactly (the Python of a
 * Locust export): only 32-bit integer operations.
 *
 * - A stream's seed is FNV-1a (32-bit) over the UTF-8 bytes of `${seed}\u0000${part}\u0000${part}…`
 *   (the scenario's seed, then fleet name, device number, metric…).
 * - The generator is mulberry32: state += 0x6D2B79F5; t = imul(state ^ (state >>> 15), state | 1);
 *   t ^= t + imul(t ^ (t >>> 7), t | 61); out = t ^ (t >>> 14), all modulo 2^32.
 * - float() = out / 2^32, in [0, 1).
 */
const encoder = new TextEncoder();

/** FNV-1a, 32 bits, of a string's UTF-8 bytes. */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of encoder.encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** The seed of one stream: the scenario's seed and the names that tell the stream apart. */
export function streamSeed(seed: number, ...parts: Array<string | number>): number {
  return fnv1a32([String(seed), ...parts.map(String)].join('\u0000'));
}

export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** The next 32-bit unsigned integer. */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** A number in [0, 1). */
  float(): number {
    return this.next() / 4294967296;
  }
}
