/**
 * The RFC 6962 / RFC 9162 Merkle tree: roots, inclusion and consistency proofs, their verifiers,
 * and a compact range for appending.
 *
 * Producers never hold the tree: they read the roots of COMPLETE subtrees (2^h leaves starting at
 * a multiple of 2^h) through a HashReader, which the log answers from its tiles. Every range the
 * RFC's recursion visits starts at a multiple of a power of two at least as large as the range,
 * so it splits, by the binary form of its size, into complete subtrees — at most 64 reads each.
 *
 * Sizes and indexes are JavaScript numbers (exact up to 2^53): no 32-bit bit operators below.
 */
import { EMPTY_ROOT, HASH_SIZE, nodeHash, type Hash } from './hash.js';

/** The root of the complete subtree of 2^height leaves starting at leaf index·2^height. */
export type HashReader = (height: number, index: number) => Promise<Hash>;

function checkCount(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${what} must be a non-negative safe integer`);
}

/** The largest power of two strictly less than n (n ≥ 2): the RFC's split point k. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** A range [start, start+size) as complete subtrees, left to right (largest first). */
function completeSubtrees(start: number, size: number): Array<[height: number, index: number]> {
  const out: Array<[number, number]> = [];
  let offset = start;
  let remaining = size;
  while (remaining > 0) {
    let height = 0;
    let width = 1;
    while (width * 2 <= remaining) {
      width *= 2;
      height++;
    }
    out.push([height, offset / width]);
    offset += width;
    remaining -= width;
  }
  return out;
}

/** Folds complete-subtree roots, left to right, into the root of their concatenation. */
function foldRight(roots: readonly Hash[]): Hash {
  let acc = roots[roots.length - 1] as Hash;
  for (let i = roots.length - 2; i >= 0; i--) acc = nodeHash(roots[i] as Hash, acc);
  return acc;
}

/** MTH(D[start:start+size]) for a range of the RFC recursion (size ≥ 1). */
async function rangeRoot(start: number, size: number, read: HashReader): Promise<Hash> {
  const parts = completeSubtrees(start, size);
  return foldRight(await Promise.all(parts.map(([h, i]) => read(h, i))));
}

/** The root of a tree over these leaf hashes (iterative; for tests, tiles and small trees). */
export function rootOf(leafHashes: readonly Hash[]): Hash {
  const range = new CompactRange();
  for (const h of leafHashes) range.append(h);
  return range.root();
}

/** The root of the tree of the first `size` leaves. */
export async function rootAt(size: number, read: HashReader): Promise<Hash> {
  checkCount(size, 'size');
  if (size === 0) return Buffer.from(EMPTY_ROOT);
  return rangeRoot(0, size, read);
}

type Range = [start: number, size: number];

function pathRanges(m: number, start: number, n: number, out: Range[]): void {
  if (n <= 1) return;
  const k = splitPoint(n);
  if (m < k) {
    pathRanges(m, start, k, out);
    out.push([start + k, n - k]);
  } else {
    pathRanges(m - k, start + k, n - k, out);
    out.push([start, k]);
  }
}

/** RFC 6962 §2.1.1 PATH(index, D[0:size]): the leaf's sibling first, the root's child last. */
export async function inclusionProof(index: number, size: number, read: HashReader): Promise<Hash[]> {
  checkCount(index, 'index');
  checkCount(size, 'size');
  if (index >= size) throw new RangeError('index must be below size');
  const ranges: Range[] = [];
  pathRanges(index, 0, size, ranges);
  return Promise.all(ranges.map(([s, n]) => rangeRoot(s, n, read)));
}

function subproofRanges(m: number, start: number, n: number, complete: boolean, out: Range[]): void {
  if (m === n) {
    if (!complete) out.push([start, n]);
    return;
  }
  const k = splitPoint(n);
  if (m <= k) {
    subproofRanges(m, start, k, complete, out);
    out.push([start + k, n - k]);
  } else {
    subproofRanges(m - k, start + k, n - k, false, out);
    out.push([start, k]);
  }
}

/**
 * RFC 6962 §2.1.2 PROOF(m, D[0:n]). Empty when m = n, and when m = 0 (the empty tree is a prefix
 * of every tree; tlog-witness requires the empty proof from old size 0).
 */
export async function consistencyProof(m: number, n: number, read: HashReader): Promise<Hash[]> {
  checkCount(m, 'm');
  checkCount(n, 'n');
  if (m > n) throw new RangeError('m must not exceed n');
  if (m === 0) return [];
  const ranges: Range[] = [];
  subproofRanges(m, 0, n, true, ranges);
  return Promise.all(ranges.map(([s, k]) => rangeRoot(s, k, read)));
}

const isOdd = (x: number): boolean => x % 2 === 1;

function isPowerOfTwo(x: number): boolean {
  let p = 1;
  while (p < x) p *= 2;
  return p === x;
}
const half = (x: number): number => Math.floor(x / 2);

function wellFormed(proof: readonly Uint8Array[]): boolean {
  return proof.every((p) => p.length === HASH_SIZE);
}

// A hash of another length never equals a 32-byte root, so no length check is needed here (nor
// for proof hashes in the verifiers: a wrong-length one can only lead to a wrong root).
const sameHash = (a: Uint8Array, b: Uint8Array): boolean => Buffer.compare(a, b) === 0;

/** RFC 9162 §2.1.3.2: does `proof` show leafHash at `index` in the tree of `size` with `root`? */
export function verifyInclusion(
  leaf: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r: Uint8Array = leaf;
  for (const p of proof) {
    // Hashes left when the path is complete: the proof is for another size (RFC 9162 step).
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      r = nodeHash(p, r);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && sameHash(r, root);
}

/** RFC 9162 §2.1.4.2: does `proof` show the tree of size m (rootM) is a prefix of size n (rootN)? */
export function verifyConsistency(
  m: number,
  n: number,
  proof: readonly Uint8Array[],
  rootM: Uint8Array,
  rootN: Uint8Array,
): boolean {
  if (!Number.isSafeInteger(m) || !Number.isSafeInteger(n) || m < 0 || m > n) return false;
  if (m === n) return proof.length === 0 && sameHash(rootM, rootN);
  // The empty tree is consistent with every tree, and its proof is empty.
  if (m === 0) return proof.length === 0 && sameHash(rootM, EMPTY_ROOT);
  if (proof.length === 0) return false;
  let path = proof;
  // When m is a power of two, its root is a node of the larger tree and is not in the proof.
  let fn = m - 1;
  let sn = n - 1;
  if (isPowerOfTwo(m)) path = [rootM, ...proof];
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr: Uint8Array = path[0] as Uint8Array;
  let sr: Uint8Array = fr;
  for (let i = 1; i < path.length; i++) {
    const c = path[i] as Uint8Array;
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && sameHash(fr, rootM) && sameHash(sr, rootN);
}

function popcount(x: number): number {
  let count = 0;
  for (let v = x; v > 0; v = half(v)) if (isOdd(v)) count++;
  return count;
}

/**
 * The right edge of a tree for appending: the roots of the complete subtrees that the binary form
 * of its size names, largest (leftmost) first. Appending merges equal-height neighbours, so one
 * append costs one leaf plus, on average, one node hash.
 */
export class CompactRange {
  #size: number;
  readonly #nodes: Hash[];

  constructor(size = 0, nodes: readonly Hash[] = []) {
    checkCount(size, 'size');
    if (nodes.length !== popcount(size)) throw new RangeError('a compact range holds one root per set bit of its size');
    if (!wellFormed(nodes)) throw new RangeError('hashes must be 32 bytes');
    this.#size = size;
    this.#nodes = nodes.map((h) => Buffer.from(h));
  }

  /** Resumes after a restart: reads the right edge of a stored tree of this size. */
  static async fromReader(size: number, read: HashReader): Promise<CompactRange> {
    checkCount(size, 'size');
    return new CompactRange(size, await Promise.all(completeSubtrees(0, size).map(([h, i]) => read(h, i))));
  }

  get size(): number {
    return this.#size;
  }

  /** The right-edge roots, largest first (copies). */
  get nodes(): Hash[] {
    return this.#nodes.map((h) => Buffer.from(h));
  }

  append(leaf: Hash): void {
    if (leaf.length !== HASH_SIZE) throw new RangeError('a leaf hash is 32 bytes');
    let carry: Hash = leaf;
    for (let s = this.#size; isOdd(s); s = half(s)) carry = nodeHash(this.#nodes.pop() as Hash, carry);
    this.#nodes.push(carry);
    this.#size++;
  }

  root(): Hash {
    return this.#nodes.length === 0 ? Buffer.from(EMPTY_ROOT) : Buffer.from(foldRight(this.#nodes));
  }
}
