/**
 * Unique identifiers for synthetic people. Each one is a counter pushed through a seed-dependent
 * affine bijection n ↦ (a·n + b) mod M with gcd(a, M) = 1: unique by construction (no "seen" set, so
 * constant memory and time), yet consecutive people do not get consecutive numbers.
 */
import { composePersonalId, personalIdPrefix, type Sex } from '../domain/identity/personal-id.js';
import { hash32, mulMod, remainder } from './random.js';

function gcd(x: number, y: number): number {
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}

/** A bijection of 0..modulus-1 chosen by a 32-bit hash; modulus ≤ 2^34 (see mulMod). */
export class AffineBijection {
  readonly a: number;
  readonly b: number;

  constructor(
    readonly modulus: number,
    hashA: number,
    hashB: number,
  ) {
    // Multipliers from the upper 90% of the range, so the first few values are not visibly small steps.
    let a = Math.floor(modulus / 10) + (hashA % Math.max(1, modulus - Math.floor(modulus / 10)));
    while (gcd(a, modulus) !== 1) a = a + 1 >= modulus ? 1 : a + 1;
    this.a = a;
    this.b = hashB % modulus;
  }

  at(n: number): number {
    return remainder(mulMod(this.a, n, this.modulus) + this.b, this.modulus);
  }
}

/** A run-wide sequence of unique numbers below `modulus`. */
class UniqueSequence {
  private readonly bijection: AffineBijection;
  private issued = 0;

  constructor(
    private readonly what: string,
    modulus: number,
    seed: number,
  ) {
    this.bijection = new AffineBijection(modulus, hash32(seed, `${what}/a`), hash32(seed, `${what}/b`));
  }

  next(): number {
    if (this.issued >= this.bijection.modulus) throw new RangeError(`${this.what}: all numbers are used`);
    return this.bijection.at(this.issued++);
  }
}

const RANDOM_RANGE = 1_000_000;
/** Birth years 1900..2199 (DayTable's range) × two sexes. */
const SLOTS = 300 * 2;

/** Per province ID code: the state of each (birth year, sex) prefix, in flat arrays for locality. */
interface ProvinceSlots {
  prefixes: string[]; // "" until first used
  a: Int32Array;
  b: Int32Array;
  issued: Int32Array;
}

/**
 * Personal IDs: PPP G YY from the domain rules, then six digits unique within that prefix. Every prefix
 * has its own bijection (from the seed and the prefix), so the first person of each prefix does not
 * share the same six digits.
 */
export class PersonalIdAllocator {
  private readonly provinces = new Map<string, ProvinceSlots>();

  constructor(private readonly seed: number) {}

  next(idProvinceCode: string, birthYear: number, sex: Sex): string {
    let p = this.provinces.get(idProvinceCode);
    if (p === undefined) {
      p = { prefixes: new Array<string>(SLOTS).fill(''), a: new Int32Array(SLOTS), b: new Int32Array(SLOTS), issued: new Int32Array(SLOTS) };
      this.provinces.set(idProvinceCode, p);
    }
    const slot = (birthYear - 1900) * 2 + (sex === 'female' ? 1 : 0);
    let prefix = p.prefixes[slot]!;
    if (prefix === '') {
      const made = personalIdPrefix(idProvinceCode, birthYear, sex);
      if (made === undefined || slot < 0 || slot >= SLOTS) throw new RangeError(`no personal ID prefix for ${idProvinceCode}/${birthYear}`);
      const f = new AffineBijection(RANDOM_RANGE, hash32(this.seed, `pid/a/${made}`), hash32(this.seed, `pid/b/${made}`));
      p.prefixes[slot] = prefix = made;
      p.a[slot] = f.a;
      p.b[slot] = f.b;
    }
    const n = p.issued[slot]!;
    if (n >= RANDOM_RANGE) throw new RangeError(`personal ID prefix ${prefix} is exhausted`);
    p.issued[slot] = n + 1;
    // a·n < 10^12: exact in a double, so one remainder suffices (no mulMod).
    return composePersonalId(prefix, remainder(p.a[slot]! * n + p.b[slot]!, RANDOM_RANGE));
  }
}

/** Old 9-digit CMND numbers, unique across the run (their inner structure is unknown: vn-domain §2.6). */
export class LegacyIdAllocator {
  private readonly sequence: UniqueSequence;

  constructor(seed: number) {
    this.sequence = new UniqueSequence('legacy', 1_000_000_000, seed);
  }

  next(): string {
    return String(this.sequence.next()).padStart(9, '0');
  }
}

/** Mobile numbers 09xxxxxxxx / 03xxxxxxxx, unique across the run: 2 × 10^8 numbers. */
export class PhoneAllocator {
  private readonly sequence: UniqueSequence;

  constructor(seed: number) {
    this.sequence = new UniqueSequence('phone', 200_000_000, seed);
  }

  next(): string {
    const v = this.sequence.next();
    const local = v >= 100_000_000 ? v - 100_000_000 : v;
    return (v >= 100_000_000 ? '03' : '09') + String(local).padStart(8, '0');
  }
}
