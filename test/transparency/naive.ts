/**
 * An independent, deliberately naive RFC 6962 §2.1 implementation for the tests: MTH, PATH and
 * PROOF written from the RFC's recursive definitions over the leaf data, with node:crypto only —
 * nothing from src/transparency. Ranges are memoised so every size up to a few thousand is cheap.
 */
import { createHash } from 'node:crypto';

const sha256 = (...parts: Uint8Array[]): Buffer => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};

export class NaiveTree {
  readonly leaves: Buffer[];
  readonly #memo = new Map<string, Buffer>();

  constructor(leaves: Buffer[]) {
    this.leaves = leaves;
  }

  /** MTH(D[a:b]). */
  mth(a: number, b: number): Buffer {
    const key = `${a},${b}`;
    const hit = this.#memo.get(key);
    if (hit) return hit;
    const n = b - a;
    let out: Buffer;
    if (n === 0) out = sha256();
    else if (n === 1) out = sha256(Buffer.from([0]), this.leaves[a] as Buffer);
    else {
      let k = 1;
      while (k * 2 < n) k *= 2;
      out = sha256(Buffer.from([1]), this.mth(a, a + k), this.mth(a + k, b));
    }
    this.#memo.set(key, out);
    return out;
  }

  /** PATH(m, D[a:b]). */
  path(m: number, a: number, b: number): Buffer[] {
    const n = b - a;
    if (n <= 1) return [];
    let k = 1;
    while (k * 2 < n) k *= 2;
    return m < k ? [...this.path(m, a, a + k), this.mth(a + k, b)] : [...this.path(m - k, a + k, b), this.mth(a, a + k)];
  }

  /** SUBPROOF(m, D[a:b], flag). */
  subproof(m: number, a: number, b: number, flag: boolean): Buffer[] {
    const n = b - a;
    if (m === n) return flag ? [] : [this.mth(a, b)];
    let k = 1;
    while (k * 2 < n) k *= 2;
    return m <= k
      ? [...this.subproof(m, a, a + k, flag), this.mth(a + k, b)]
      : [...this.subproof(m - k, a + k, b, false), this.mth(a, a + k)];
  }

  proof(m: number, n: number): Buffer[] {
    return m === 0 || m === n ? [] : this.subproof(m, 0, n, true);
  }

  /** A HashReader over the naive tree: the complete subtree of 2^h leaves at index i. */
  reader = async (height: number, index: number): Promise<Buffer> => {
    const width = 2 ** height;
    if ((index + 1) * width > this.leaves.length) throw new Error(`subtree ${height}/${index} beyond the tree`);
    return this.mth(index * width, (index + 1) * width);
  };

  leafHash(i: number): Buffer {
    return this.mth(i, i + 1);
  }
}

/** Deterministic distinct leaf data: leaf i is its index as text with a marker. */
export function leafData(count: number, tag = 'leaf'): Buffer[] {
  return Array.from({ length: count }, (_, i) => Buffer.from(`${tag}-${i}`));
}

export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
