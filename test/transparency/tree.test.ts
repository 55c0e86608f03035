import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { EMPTY_ROOT, leafHash, nodeHash } from '../../src/transparency/hash.js';
import {
  CompactRange,
  consistencyProof,
  inclusionProof,
  rootAt,
  rootOf,
  splitPoint,
  verifyConsistency,
  verifyInclusion,
} from '../../src/transparency/tree.js';
import { hex, leafData, NaiveTree } from './naive.js';

// RFC 6962 test vectors as published in transparency-dev/merkle (testonly/constants.go, from the
// certificate-transparency reference tests): leaf inputs, the root for each size 0..8, and the
// inclusion / consistency proofs of proof/verify_test.go. Data only.
const CT_LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(
  (h) => Buffer.from(h, 'hex'),
);
const CT_ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const CT_INCLUSION = [
  { index: 0, size: 8, proof: ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4'] },
  { index: 5, size: 8, proof: ['bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7'] },
];
const CT_CONSISTENCY = [
  { m: 2, n: 8, proof: ['5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4'] },
  { m: 6, n: 8, proof: ['0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7'] },
  { m: 2, n: 5, proof: ['5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b'] },
];

const ctTree = new NaiveTree(CT_LEAVES);
const unhex = (h: string): Buffer => Buffer.from(h, 'hex');

describe('RFC 6962 published vectors', () => {
  it('roots for sizes 0..8, from our hashing, the compact range and the reader', async () => {
    assert.equal(hex(EMPTY_ROOT), CT_ROOTS[0]);
    const leaves = CT_LEAVES.map(leafHash);
    assert.equal(hex(leaves[1] as Buffer), '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7');
    for (let n = 0; n <= 8; n++) {
      assert.equal(hex(rootOf(leaves.slice(0, n))), CT_ROOTS[n], `rootOf ${n}`);
      assert.equal(hex(await rootAt(n, ctTree.reader)), CT_ROOTS[n], `rootAt ${n}`);
    }
    assert.equal(hex(nodeHash(leaves[0] as Buffer, leaves[1] as Buffer)), CT_ROOTS[2]);
  });

  it('inclusion proofs', async () => {
    for (const v of CT_INCLUSION) {
      const proof = await inclusionProof(v.index, v.size, ctTree.reader);
      assert.deepEqual(proof.map(hex), v.proof);
      assert.ok(verifyInclusion(leafHash(CT_LEAVES[v.index] as Buffer), v.index, v.size, proof, unhex(CT_ROOTS[v.size] as string)));
    }
  });

  it('consistency proofs', async () => {
    for (const v of CT_CONSISTENCY) {
      const proof = await consistencyProof(v.m, v.n, ctTree.reader);
      assert.deepEqual(proof.map(hex), v.proof);
      assert.ok(verifyConsistency(v.m, v.n, proof, unhex(CT_ROOTS[v.m] as string), unhex(CT_ROOTS[v.n] as string)));
      assert.ok(!verifyConsistency(v.m, v.n, proof, unhex(CT_ROOTS[v.m - 1] as string), unhex(CT_ROOTS[v.n] as string)));
    }
  });
});

const BIG = 5000;
const tree = new NaiveTree(leafData(BIG));
const hashes = Array.from({ length: BIG }, (_, i) => tree.leafHash(i));

describe('against the naive RFC 6962 implementation', () => {
  it('every size 0..2,100: rootOf, rootAt and the compact range give MTH', async () => {
    const range = new CompactRange();
    for (let n = 0; n <= 2100; n++) {
      const want = hex(tree.mth(0, n));
      assert.equal(hex(range.root()), want, `compact range ${n}`);
      assert.equal(range.size, n);
      assert.equal(hex(await rootAt(n, tree.reader)), want, `rootAt ${n}`);
      if (n % 97 === 0 || n < 70) assert.equal(hex(rootOf(hashes.slice(0, n))), want, `rootOf ${n}`);
      range.append(hashes[n] as Buffer);
    }
  });

  it('inclusion proofs for every index of sizes 1..300 equal PATH and verify', async () => {
    for (let n = 1; n <= 300; n++) {
      const root = tree.mth(0, n);
      for (let m = 0; m < n; m++) {
        const proof = await inclusionProof(m, n, tree.reader);
        assert.deepEqual(proof.map(hex), tree.path(m, 0, n).map(hex), `PATH(${m}, ${n})`);
        assert.ok(verifyInclusion(hashes[m] as Buffer, m, n, proof, root), `verify ${m}/${n}`);
      }
    }
  });

  it('inclusion proofs at random larger sizes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 301, max: BIG }).chain((n) => fc.tuple(fc.constant(n), fc.nat({ max: n - 1 }))), async ([n, m]) => {
        const proof = await inclusionProof(m, n, tree.reader);
        assert.deepEqual(proof.map(hex), tree.path(m, 0, n).map(hex));
        assert.ok(verifyInclusion(hashes[m] as Buffer, m, n, proof, tree.mth(0, n)));
      }),
      { numRuns: 300 },
    );
  });

  it('consistency proofs between all pairs m ≤ n ≤ 130 equal PROOF and verify', async () => {
    for (let n = 0; n <= 130; n++) {
      for (let m = 0; m <= n; m++) {
        const proof = await consistencyProof(m, n, tree.reader);
        assert.deepEqual(proof.map(hex), tree.proof(m, n).map(hex), `PROOF(${m}, ${n})`);
        assert.ok(verifyConsistency(m, n, proof, tree.mth(0, m), tree.mth(0, n)), `verify ${m}→${n}`);
      }
    }
  });

  it('consistency proofs between random pairs up to 5,000', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: BIG }).chain((n) => fc.tuple(fc.nat({ max: n }), fc.constant(n))), async ([m, n]) => {
        const proof = await consistencyProof(m, n, tree.reader);
        assert.deepEqual(proof.map(hex), tree.proof(m, n).map(hex));
        assert.ok(verifyConsistency(m, n, proof, tree.mth(0, m), tree.mth(0, n)));
      }),
      { numRuns: 300 },
    );
  });

  it('a compact range resumed from a reader goes on as if never stopped', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: 3000 }), fc.nat({ max: 600 }), async (start, more) => {
        const range = await CompactRange.fromReader(start, tree.reader);
        assert.equal(range.nodes.length, [...start.toString(2)].filter((b) => b === '1').length);
        for (let i = start; i < start + more; i++) range.append(hashes[i] as Buffer);
        assert.equal(hex(range.root()), hex(tree.mth(0, start + more)));
      }),
      { numRuns: 100 },
    );
  });
});

function flipBit(buf: Buffer, bit: number): Buffer {
  const out = Buffer.from(buf);
  out[bit >> 3] = (out[bit >> 3] as number) ^ (1 << (bit & 7));
  return out;
}

describe('verifiers refuse anything else', () => {
  const sized = fc.integer({ min: 1, max: 700 }).chain((n) => fc.tuple(fc.nat({ max: n - 1 }), fc.constant(n)));

  it('inclusion: flipped bit, wrong index, wrong size, truncated or extended proof, other leaf', async () => {
    await fc.assert(
      fc.asyncProperty(sized, fc.nat(), fc.nat({ max: 255 }), async ([m, n], pick, bit) => {
        const root = tree.mth(0, n);
        const leaf = hashes[m] as Buffer;
        const proof = await inclusionProof(m, n, tree.reader);
        assert.ok(verifyInclusion(leaf, m, n, proof, root));
        if (proof.length > 0) {
          const i = pick % proof.length;
          const bad = proof.map((p, j) => (j === i ? flipBit(p, bit) : p));
          assert.ok(!verifyInclusion(leaf, m, n, bad, root), 'flipped proof bit');
          assert.ok(!verifyInclusion(leaf, m, n, proof.slice(0, -1), root), 'truncated');
          assert.ok(!verifyInclusion(leaf, m, n, proof.slice(1), root), 'first hash dropped');
        }
        assert.ok(!verifyInclusion(leaf, m, n, [...proof, root], root), 'extended');
        assert.ok(!verifyInclusion(flipBit(leaf, bit), m, n, proof, root), 'other leaf');
        assert.ok(!verifyInclusion(leaf, m, n, proof, flipBit(root, bit)), 'other root');
        // A size or index the proof's shape does not fit is refused. (Where the shape fits, the
        // root alone binds the size — which is why a checkpoint signs size and root together.)
        if ((m ^ 1) < n) assert.ok(!verifyInclusion(leaf, m ^ 1, n, proof, root), `sibling index ${m ^ 1}`);
        for (const other of [n, n + 1, 2 ** 40, -1]) assert.ok(!verifyInclusion(leaf, other, n, proof, root), `index ${other}`);
        for (const size of [n + 1, n - 1, 2 * n, n + 2 ** 20]) {
          if (size > m && size <= BIG && tree.path(m, 0, size).length !== proof.length) {
            assert.ok(!verifyInclusion(leaf, m, size, proof, root), `size ${size}`);
          }
        }
        assert.ok(!verifyInclusion(leaf, m, m, proof, root), 'size equal to index');
      }),
      { numRuns: 400 },
    );
  });

  it('consistency: flipped bit, wrong sizes, truncated or extended proof, swapped roots', async () => {
    const pairs = fc.integer({ min: 2, max: 700 }).chain((n) => fc.tuple(fc.integer({ min: 1, max: n - 1 }), fc.constant(n)));
    await fc.assert(
      fc.asyncProperty(pairs, fc.nat(), fc.nat({ max: 255 }), async ([m, n], pick, bit) => {
        const rm = tree.mth(0, m);
        const rn = tree.mth(0, n);
        const proof = await consistencyProof(m, n, tree.reader);
        assert.ok(verifyConsistency(m, n, proof, rm, rn));
        const i = pick % proof.length;
        assert.ok(!verifyConsistency(m, n, proof.map((p, j) => (j === i ? flipBit(p, bit) : p)), rm, rn), 'flipped');
        assert.ok(!verifyConsistency(m, n, proof.slice(0, -1), rm, rn), 'truncated');
        assert.ok(!verifyConsistency(m, n, [...proof, rn], rm, rn), 'extended');
        assert.ok(!verifyConsistency(m, n, proof, flipBit(rm, bit), rn), 'old root');
        assert.ok(!verifyConsistency(m, n, proof, rm, flipBit(rn, bit)), 'new root');
        assert.ok(!verifyConsistency(n, m, proof, rn, rm), 'swapped');
        if (tree.proof(m, n + 1).length !== proof.length) assert.ok(!verifyConsistency(m, n + 1, proof, rm, rn), 'new size + 1');
        if (m > 1 && tree.proof(m - 1, n).length !== proof.length) assert.ok(!verifyConsistency(m - 1, n, proof, rm, rn), 'old size - 1');
        assert.ok(!verifyConsistency(m, n, proof, rn, rn) || hex(rm) === hex(rn), 'new root as old');
        assert.ok(!verifyConsistency(0, n, proof, EMPTY_ROOT, rn), 'empty tree with a proof');
        assert.ok(!verifyConsistency(m, n, [], rm, rn), 'empty proof');
      }),
      { numRuns: 400 },
    );
  });

  it('edge cases: equal sizes, the empty tree, malformed hashes and arguments', async () => {
    const r5 = tree.mth(0, 5);
    assert.ok(verifyConsistency(5, 5, [], r5, r5));
    assert.ok(!verifyConsistency(5, 5, [], r5, tree.mth(0, 6)));
    assert.ok(!verifyConsistency(5, 5, [r5], r5, r5));
    assert.ok(verifyConsistency(0, 5, [], EMPTY_ROOT, r5));
    assert.ok(!verifyConsistency(0, 5, [], r5, r5), 'the empty tree has the empty root');
    assert.ok(!verifyConsistency(-1, 5, [], EMPTY_ROOT, r5));
    assert.ok(!verifyConsistency(6, 5, [], r5, r5));
    assert.ok(!verifyConsistency(2, 5, [Buffer.alloc(31)], tree.mth(0, 2), r5));
    assert.ok(!verifyConsistency(2, 5, await consistencyProof(2, 5, tree.reader), Buffer.alloc(31), r5));
    assert.ok(!verifyInclusion(hashes[0] as Buffer, 0, 1, [], Buffer.alloc(31)));
    assert.ok(verifyInclusion(hashes[0] as Buffer, 0, 1, [], tree.mth(0, 1)));
    assert.ok(!verifyInclusion(Buffer.alloc(31), 0, 1, [], tree.mth(0, 1)));
    assert.ok(!verifyInclusion(hashes[0] as Buffer, 0, 2, [Buffer.alloc(33)], tree.mth(0, 2)));
    assert.ok(!verifyInclusion(hashes[0] as Buffer, 0.5, 2, [hashes[1] as Buffer], tree.mth(0, 2)));
    assert.deepEqual(await consistencyProof(0, 9, tree.reader), []);
    assert.deepEqual(await consistencyProof(9, 9, tree.reader), []);
    await assert.rejects(inclusionProof(3, 3, tree.reader), RangeError);
    await assert.rejects(inclusionProof(-1, 3, tree.reader), RangeError);
    await assert.rejects(consistencyProof(4, 3, tree.reader), RangeError);
    await assert.rejects(rootAt(1.5, tree.reader), RangeError);
    assert.equal(hex(await rootAt(0, tree.reader)), hex(EMPTY_ROOT));
    assert.throws(() => new CompactRange(3, [hashes[0] as Buffer]), RangeError);
    assert.throws(() => new CompactRange(1, [Buffer.alloc(5)]), RangeError);
    assert.throws(() => new CompactRange().append(Buffer.alloc(31)), RangeError);
    assert.deepEqual([2, 3, 4, 5, 8, 9, 2 ** 40 + 1].map(splitPoint), [1, 2, 2, 4, 4, 8, 2 ** 40]);
  });

  it('sizes beyond 2^32 keep exact arithmetic (no 32-bit bit operators)', () => {
    // A single-leaf subtree at index 2^33 of a tree of 2^33+1 leaves: the proof is the root of the
    // first 2^33 leaves (any hash), and the verifier must combine them in the right order.
    const left = hashes[7] as Buffer;
    const leaf = hashes[8] as Buffer;
    const root = nodeHash(left, leaf);
    assert.ok(verifyInclusion(leaf, 2 ** 33, 2 ** 33 + 1, [left], root));
    assert.ok(!verifyInclusion(leaf, 2 ** 33, 2 ** 33 + 1, [left], nodeHash(leaf, left)));
  });
});
