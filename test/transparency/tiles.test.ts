import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { leafHash } from '../../src/transparency/hash.js';
import { consistencyProof, inclusionProof, rootAt } from '../../src/transparency/tree.js';
import {
  buildTiles,
  decodeEntryBundle,
  encodeEntryBundle,
  entriesPath,
  hashReaderFromTiles,
  maxTileIndex,
  parseTilePath,
  rightEdgeTiles,
  TILE_HEIGHT,
  tilePath,
  tileRoot,
  tileWidth,
} from '../../src/transparency/tiles.js';
import { hex, leafData, NaiveTree } from './naive.js';

describe('tile paths (C2SP tlog-tiles)', () => {
  it('formats the spec examples', () => {
    assert.equal(TILE_HEIGHT, 8);
    assert.equal(tilePath(0, 1234067), 'tile/0/x001/x234/067');
    assert.equal(tilePath(0, 0), 'tile/0/000');
    assert.equal(tilePath(3, 1000), 'tile/3/x001/000');
    assert.equal(tilePath(1, 999), 'tile/1/999');
    assert.equal(tilePath(0, 273, 112), 'tile/0/273.p/112');
    assert.equal(tilePath(2, 0, 256), 'tile/2/000');
    assert.equal(tilePath(63, 0, 1), 'tile/63/000.p/1');
    assert.equal(entriesPath(1234067), 'tile/entries/x001/x234/067');
    assert.equal(entriesPath(7, 3), 'tile/entries/007.p/3');
  });

  it('refuses addresses outside the spec', () => {
    assert.throws(() => tilePath(64, 0), RangeError);
    assert.throws(() => tilePath(-1, 0), RangeError);
    assert.throws(() => tilePath(0, -1), RangeError);
    assert.throws(() => tilePath(0, 1.5), RangeError);
    assert.throws(() => tilePath(0, 0, 0), RangeError);
    assert.throws(() => tilePath(0, 0, 257), RangeError);
    assert.throws(() => entriesPath(maxTileIndex('entries') + 1), RangeError);
    assert.throws(() => tilePath(1, maxTileIndex(1) + 1), RangeError);
  });

  it('parses canonical paths', () => {
    assert.deepEqual(parseTilePath('tile/0/x001/x234/067'), { level: 0, index: 1234067 });
    assert.deepEqual(parseTilePath('tile/0/x001/x234/067.p/8'), { level: 0, index: 1234067, width: 8 });
    assert.deepEqual(parseTilePath('tile/entries/000.p/255'), { level: 'entries', index: 0, width: 255 });
    assert.deepEqual(parseTilePath('tile/63/000'), { level: 63, index: 0 });
    assert.deepEqual(parseTilePath('tile/2/x999/999'), { level: 2, index: 999999 });
    assert.deepEqual(parseTilePath('tile/10/000'), { level: 10, index: 0 });
    assert.equal(parseTilePath('tile/10/001'), undefined, 'beyond 2^53 leaves');
  });

  it('refuses every non-canonical or malformed path', () => {
    for (const bad of [
      '', 'tile', 'tile/0', 'tile/0/', '/tile/0/000', 'tiles/0/000', 'tile/00/000', 'tile/01/000', 'tile/64/000',
      'tile/-1/000', 'tile/a/000', 'tile/0/00', 'tile/0/0000', 'tile/0/1', 'tile/0/x000/001', 'tile/0/001/002',
      'tile/0/x001', 'tile/0/y001/002', 'tile/0/xx01/002', 'tile/0/000.p/0', 'tile/0/000.p/256', 'tile/0/000.p/01',
      'tile/0/000.p/', 'tile/0/000.p', 'tile/0/000.q/5', 'tile/0/000.p/5/', 'tile/0/000/', 'tile/entry/000',
      'tile/ENTRIES/000', 'tile/0/x001/x002/x003/x004/x005/x006/007', 'tile/0/+01', 'tile/0/ 01', 'tile/0/x1e3/000',
      'tile/0/000.p/5.p/5', 'tile//000', 'tile/0//000', 'tile/0/x001/.p/3', 'tile/0/.p/3',
    ]) {
      assert.equal(parseTilePath(bad), undefined, JSON.stringify(bad));
    }
    // Beyond the exact-integer bound of the level.
    assert.equal(parseTilePath('tile/0/x035/x184/x372/x088/x832'), undefined);
    assert.ok(parseTilePath(tilePath(0, maxTileIndex(0))));
    assert.equal(parseTilePath(tilePath(5, maxTileIndex(5)).replace(/\d$/, (d) => String(Number(d) + 1))), undefined);
  });

  const level = fc.oneof(fc.integer({ min: 0, max: 63 }), fc.constant('entries' as const));
  const address = level.chain((l) =>
    fc.record({
      level: fc.constant(l),
      index: fc.oneof(fc.nat({ max: Math.min(5000, maxTileIndex(l)) }), fc.nat({ max: maxTileIndex(l) })),
      width: fc.option(fc.integer({ min: 1, max: 255 }), { nil: undefined }),
    }),
  );
  const format = (a: { level: number | 'entries'; index: number; width?: number | undefined }): string =>
    a.level === 'entries' ? entriesPath(a.index, a.width) : tilePath(a.level, a.index, a.width);

  it('round-trips every address', () => {
    fc.assert(
      fc.property(address, (a) => {
        const parsed = parseTilePath(format(a));
        const want = a.width === undefined ? { level: a.level, index: a.index } : { level: a.level, index: a.index, width: a.width };
        assert.deepEqual(parsed, want);
      }),
      { numRuns: 2000 },
    );
  });

  it('a mutated path parses only to an address that formats back to exactly it', () => {
    const mutation = fc.record({ at: fc.nat(), kind: fc.constantFrom('replace', 'insert', 'delete'), ch: fc.constantFrom(...'0123456789x/.p-e ') });
    fc.assert(
      fc.property(address, mutation, (a, m) => {
        const path = format(a);
        const at = m.at % (path.length + 1);
        const mutated =
          m.kind === 'delete' ? path.slice(0, at) + path.slice(at + 1)
          : m.kind === 'insert' ? path.slice(0, at) + m.ch + path.slice(at)
          : path.slice(0, at) + m.ch + path.slice(at + 1);
        const parsed = parseTilePath(mutated);
        if (parsed !== undefined) assert.equal(format(parsed), mutated);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('tile widths', () => {
  it('the spec example: size 70,000', () => {
    const s = 70000;
    assert.equal(tileWidth(0, 272, s), 256);
    assert.equal(tileWidth(0, 273, s), 112);
    assert.equal(tileWidth(0, 274, s), 0);
    assert.equal(tileWidth(1, 0, s), 256);
    assert.equal(tileWidth(1, 1, s), 17);
    assert.equal(tileWidth(1, 2, s), 0);
    assert.equal(tileWidth(2, 0, s), 1);
    assert.equal(tileWidth(3, 0, s), 0);
    assert.deepEqual(rightEdgeTiles(s), [
      { level: 0, index: 273, width: 112 },
      { level: 1, index: 1, width: 17 },
      { level: 2, index: 0, width: 1 },
    ]);
  });

  it('size 256: a full level-0 tile and a level-1 tile of width 1; size 0 covers nothing', () => {
    assert.equal(tileWidth(0, 0, 256), 256);
    assert.equal(tileWidth(0, 1, 256), 0);
    assert.equal(tileWidth(1, 0, 256), 1);
    assert.deepEqual(rightEdgeTiles(256), [{ level: 1, index: 0, width: 1 }]);
    assert.deepEqual(rightEdgeTiles(0), []);
    assert.equal(tileWidth(0, 0, 0), 0);
  });

  it('agrees with the definition floor(s / 256^l) mod 256 for the rightmost tile', () => {
    fc.assert(
      fc.property(fc.nat({ max: 2 ** 40 }), fc.integer({ min: 0, max: 5 }), (s, l) => {
        const count = Math.floor(s / 256 ** l);
        const right = Math.floor(count / 256);
        assert.equal(tileWidth(l, right, s), count % 256);
        if (right > 0) assert.equal(tileWidth(l, right - 1, s), 256);
        assert.equal(tileWidth(l, right + 1, s), 0);
      }),
    );
  });
});

/** An in-memory tile store with the builder in front, as the sequencer will use it. */
class TileStore {
  readonly tiles = new Map<string, Buffer>();
  size = 0;

  read = (level: number, index: number): Buffer | undefined => this.tiles.get(`${level}/${index}`);

  append(hashes: Buffer[]): ReturnType<typeof buildTiles> {
    const changed = buildTiles(this.size, hashes, this.read);
    for (const t of changed) this.tiles.set(`${t.level}/${t.index}`, t.hashes);
    this.size += hashes.length;
    return changed;
  }
}

const N = 70_000;
const naive = new NaiveTree(leafData(N, 'tile'));
const leafHashes = Array.from({ length: N }, (_, i) => naive.leafHash(i));

describe('tile builder and the hash reader over tiles', () => {
  it('random append batches: every tile holds what the spec says, and changed tiles are exactly those that grew', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 200, max: 1300 })), { minLength: 1, maxLength: 25 }), (batches) => {
        const store = new TileStore();
        for (const b of batches) {
          const before = new Map([...store.tiles].map(([k, v]) => [k, v.length]));
          const batch = leafHashes.slice(store.size, store.size + b);
          const changed = store.append(batch);
          for (const t of changed) {
            assert.equal(t.hashes.length / 32, tileWidth(t.level, t.index, store.size), `${t.level}/${t.index} width`);
            assert.ok((before.get(`${t.level}/${t.index}`) ?? 0) < t.hashes.length, 'only tiles that grew');
          }
          for (const [key, tile] of store.tiles) {
            if (!changed.some((t) => `${t.level}/${t.index}` === key)) assert.equal(before.get(key), tile.length);
          }
        }
        // Every stored tile equals its definition: MTH of 256^l leaves per hash.
        for (const [key, tile] of store.tiles) {
          const [l, n] = key.split('/').map(Number) as [number, number];
          const span = 256 ** l;
          for (let i = 0; i < tile.length / 32; i++) {
            const first = (n * 256 + i) * span;
            assert.equal(hex(tile.subarray(i * 32, i * 32 + 32)), hex(naive.mth(first, first + span)), `${key}[${i}]`);
          }
        }
      }),
      { numRuns: 40 },
    );
  });

  it('builds 70,000 leaves in uneven batches; roots and proofs from tiles equal the naive tree', async () => {
    const store = new TileStore();
    let seed = 7;
    while (store.size < N) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const b = Math.min(N - store.size, seed % 3000);
      store.append(leafHashes.slice(store.size, store.size + b));
    }
    assert.equal(store.tiles.get('0/273')?.length, 112 * 32);
    assert.equal(store.tiles.get('1/1')?.length, 17 * 32);
    assert.equal(store.tiles.get('2/0')?.length, 32);
    const read = hashReaderFromTiles(async (l, i) => store.read(l, i));
    assert.equal(hex(await rootAt(N, read)), hex(naive.mth(0, N)));
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: N }).chain((n) => fc.tuple(fc.nat({ max: n - 1 }), fc.constant(n))), async ([m, n]) => {
        assert.equal(hex(await rootAt(n, read)), hex(naive.mth(0, n)));
        assert.deepEqual((await inclusionProof(m, n, read)).map(hex), naive.path(m, 0, n).map(hex));
        assert.deepEqual((await consistencyProof(m, n, read)).map(hex), naive.proof(m, n).map(hex));
      }),
      { numRuns: 200 },
    );
  });

  it('the reader reports a missing or too narrow tile instead of guessing', async () => {
    const store = new TileStore();
    store.append(leafHashes.slice(0, 10));
    const read = hashReaderFromTiles(store.read);
    assert.equal(hex(await read(3, 0)), hex(naive.mth(0, 8)));
    assert.equal(hex(await read(0, 9)), hex(naive.mth(9, 10)));
    await assert.rejects(read(0, 10), /does not cover/);
    await assert.rejects(read(4, 0), /does not cover/);
    await assert.rejects(read(8, 0), /does not cover/);
  });

  it('the builder refuses a missing right-edge tile and bad hashes', () => {
    assert.throws(() => buildTiles(5, [leafHashes[5] as Buffer], () => undefined), /missing or narrower/);
    assert.throws(() => buildTiles(5, [leafHashes[5] as Buffer], () => Buffer.alloc(4 * 32)), /missing or narrower/);
    assert.throws(() => buildTiles(0, [Buffer.alloc(31)], () => undefined), RangeError);
    assert.throws(() => buildTiles(-1, [], () => undefined), RangeError);
    assert.deepEqual(buildTiles(300, [], () => undefined), []);
  });

  it('the root of a full tile is the subtree root of its 256 hashes', () => {
    const tile = Buffer.concat(leafHashes.slice(256, 512));
    assert.equal(hex(tileRoot(tile)), hex(naive.mth(256, 512)));
  });
});

describe('entry bundles', () => {
  it('round-trip, and each entry hashes to its level-0 hash', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 256 }), (entries) => {
        const bundle = encodeEntryBundle(entries);
        const back = decodeEntryBundle(bundle);
        assert.deepEqual(back?.map(hex), entries.map(hex));
        assert.deepEqual(back?.map((e) => hex(leafHash(e))), entries.map((e) => hex(leafHash(e))));
        if (bundle.length > 0) assert.equal(decodeEntryBundle(bundle.subarray(0, bundle.length - 1)), undefined);
      }),
    );
    assert.deepEqual(decodeEntryBundle(Buffer.from([0])), undefined);
    assert.deepEqual(decodeEntryBundle(Buffer.from([0, 0])), [Buffer.alloc(0)]);
    assert.throws(() => encodeEntryBundle([new Uint8Array(65536)]), RangeError);
    assert.equal(encodeEntryBundle([new Uint8Array(65535)]).length, 65537);
  });
});
