/**
 * A small, fast, seedable PRNG for the synthetic population. sfc32 (Chris Doty-Humphrey's "small fast
 * chaotic" generator): 128-bit state, passes the usual test batteries (PractRand, TestU01), and runs
 * on 32-bit integer ops, which V8 keeps unboxed. Math.random can be neither seeded nor replayed.
 */

/** Cumulative weights for weighted picks: built once, then each pick is one binary search. */
export class WeightedTable {
  readonly cumulative: Float64Array;
  readonly total: number;

  constructor(weights: readonly number[]) {
    if (weights.length === 0) throw new RangeError('WeightedTable needs at least one weight');
    this.cumulative = new Float64Array(weights.length);
    let sum = 0;
    for (let i = 0; i < weights.length; i++) {
      const w = weights[i]!;
      if (!(w >= 0) || !Number.isFinite(w)) throw new RangeError(`weight ${i} must be a finite number ≥ 0`);
      sum += w;
      this.cumulative[i] = sum;
    }
    if (!(sum > 0)) throw new RangeError('WeightedTable needs a positive total weight');
    this.total = sum;
  }

  get length(): number {
    return this.cumulative.length;
  }
}

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new RangeError('seed must be a finite number');
    // Both 32-bit halves of the seed feed the state, so seeds beyond 2^32 still differ.
    const whole = Math.floor(seed);
    let s = (whole >>> 0) ^ 0x9e3779b9;
    const hi = Math.floor(whole / 4294967296) | 0;
    const mix = (): number => {
      // splitmix32: spreads a poor seed (0, 1, 2, …) over the whole state.
      s = (s + 0x9e3779b9) | 0;
      let z = s ^ hi;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) | 0;
    };
    this.a = mix();
    this.b = mix();
    this.c = mix();
    this.d = mix();
    for (let i = 0; i < 12; i++) this.step();
  }

  /**
   * One step of sfc32, as a signed 32-bit integer. The public helpers below return booleans and
   * small integers: V8 passes those unboxed, while a double returned from a call that is not inlined
   * is a heap allocation — and these are called ~30 times a citizen.
   */
  private step(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t;
  }

  /** A uniformly distributed 32-bit unsigned integer. */
  uint32(): number {
    return this.step() >>> 0;
  }

  /** A float in [0, 1) with 32 bits of randomness (enough for every use here). */
  next(): number {
    return (this.step() >>> 0) * INV_2_32;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor((this.step() >>> 0) * INV_2_32 * n);
  }

  /** An integer in [min, max], both included. */
  range(min: number, max: number): number {
    return min + Math.floor((this.step() >>> 0) * INV_2_32 * (max - min + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return (this.step() >>> 0) * INV_2_32 < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[Math.floor((this.step() >>> 0) * INV_2_32 * items.length)]!;
  }

  /** An index drawn with the table's weights (binary search of the cumulative weights). */
  weighted(table: WeightedTable): number {
    const target = (this.step() >>> 0) * INV_2_32 * table.total;
    const c = table.cumulative;
    let lo = 0;
    let hi = c.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (c[mid]! > target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** An item drawn with the table's weights (items[i] has weight i of the table). */
  weightedPick<T>(items: readonly T[], table: WeightedTable): T {
    return items[this.weighted(table)]!;
  }
}

const INV_2_32 = 1 / 4294967296;

export function createRandom(seed: number): Random {
  return new Random(seed);
}

/** A 32-bit hash of a seed and a string (FNV-1a, then a final avalanche), for per-key parameters. */
export function hash32(seed: number, text: string): number {
  let h = (0x811c9dc5 ^ (Math.floor(seed) >>> 0) ^ Math.floor(seed / 4294967296)) >>> 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * (a · b) mod m without leaving exact double arithmetic, for 0 ≤ a, b < m ≤ 2^34: b is split into
 * 16-bit halves so that no intermediate product exceeds 2^53.
 */
export function mulMod(a: number, b: number, m: number): number {
  const bHi = Math.floor(b / 65536);
  const bLo = b - bHi * 65536;
  return remainder(remainder(a * bHi, m) * 65536 + a * bLo, m);
}

/**
 * x mod m for integers 0 ≤ x < 2^52: the double % operator is a C call in V8, several times slower
 * than a division and a correction for the quotient's rounding.
 */
export function remainder(x: number, m: number): number {
  const r = x - Math.floor(x / m) * m;
  return r < 0 ? r + m : r >= m ? r - m : r;
}
