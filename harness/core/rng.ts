/**
 * The one source of randomness in a simulated run. Every consumer forks its own
 * stream by label, so adding a consumer never shifts another consumer's numbers.
 */
export interface Rng {
  readonly seed: number;
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Normally distributed value (Box–Muller). */
  normal(mean: number, stdDev: number): number;
  exponential(mean: number): number;
  /** An independent stream derived from this one's seed and the label. */
  fork(label: string): Rng;
}

/** FNV-1a, 32 bit: a stable hash to turn fork labels into seeds. */
function hashLabel(seed: number, label: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** sfc32: small, fast, and good enough for simulation (passes PractRand to 2^40). */
export function createRng(seed: number): Rng {
  if (!Number.isInteger(seed)) throw new TypeError(`seed must be an integer, got ${String(seed)}`);
  let a = 0x9e3779b9 >>> 0;
  let b = 0x243f6a88 >>> 0;
  let c = 0xb7e15162 >>> 0;
  let d = (seed >>> 0) ^ Math.floor(seed / 0x100000000);
  const step = (): number => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 15; i++) step();

  const rng: Rng = {
    seed,
    next: step,
    int(min, max) {
      return min + Math.floor(step() * (max - min + 1));
    },
    chance(probability) {
      return probability > 0 && step() < probability;
    },
    pick(items) {
      if (items.length === 0) throw new RangeError('pick() needs at least one item');
      return items[Math.floor(step() * items.length)] as (typeof items)[number];
    },
    normal(mean, stdDev) {
      const u = 1 - step();
      const v = step();
      return mean + stdDev * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
    exponential(mean) {
      return -mean * Math.log(1 - step());
    },
    fork(label) {
      return createRng(hashLabel(seed, label));
    },
  };
  return rng;
}
