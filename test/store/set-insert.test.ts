/**
 * Rows written a set at a time (store/set-insert.ts; decision 0039): every row once, with its values
 * as given (text, integers, null), whatever the set's size — below, at and past SQLite's 32,766
 * parameters per statement — and a set that fails (a key taken) writes none of its rows. Leaves of
 * the transparency log written as a set read back as written.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { openTestRuntime, type TestRuntime } from '../support/store.js';
import { fixedClock } from '../../src/services/clock.js';
import { chunkSizes, powerOfTwoAtMost, setInsert } from '../../src/store/set-insert.js';
import { insertLeaves, type PendingLeaf } from '../../src/store/repositories/transparency-leaves.js';
import type { Db } from '../../src/store/schema.js';

test('chunkSizes: the sizes add up to the set, each a power of two within the largest, largest first', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 13 }), (n, p) => {
      const largest = 2 ** p;
      const sizes = chunkSizes(n, largest);
      assert.equal(sizes.reduce((a, b) => a + b, 0), n);
      for (const s of sizes) {
        assert.ok(s >= 1 && s <= largest);
        assert.equal(powerOfTwoAtMost(s), s);
      }
      for (let i = 1; i < sizes.length; i++) assert.ok(sizes[i]! <= sizes[i - 1]!, 'never a larger chunk after a smaller one');
      // Full chunks first, then each smaller power of two at most once (the remainder's binary digits).
      const rest = sizes.filter((s) => s < largest);
      assert.equal(new Set(rest).size, rest.length);
      assert.equal(sizes.length - rest.length, Math.floor(n / largest));
    }),
  );
  assert.deepEqual(chunkSizes(5_000, 4_096), [4_096, 512, 256, 128, 8]);
  assert.deepEqual(chunkSizes(0, 4_096), []);
  assert.equal(powerOfTwoAtMost(1), 1);
  assert.equal(powerOfTwoAtMost(5_461), 4_096);
});

let rt: TestRuntime;
let db: Db;
before(async () => {
  rt = await openTestRuntime(fixedClock('2026-06-01T03:00:00.000Z'));
  db = rt.store.db;
});
after(async () => rt.dropDatabase());

// Five columns of three types: 6,553 rows fit SQLite's parameters, so a set of 9,000 takes 4,096 + … rows.
const insertRejects = setInsert('subscriber_import_reject', ['operator_code', 'import_key', 'line_no', 'code', 'field'], ['text', 'text', 'int', 'text', 'text']);
const rowsOf = (key: string, n: number) => Array.from({ length: n }, (_, i) => ['SETTEL', key, i + 1, i % 3 === 0 ? 'PHONE_NUMBER_INVALID' : 'CITIZEN_NOT_FOUND', i % 2 === 0 ? null : 'number'] as const);
const readBack = async (key: string) =>
  (await db.selectFrom('subscriber_import_reject').selectAll().where('import_key', '=', key).orderBy('line_no').execute()).map((r) => [r.operator_code, r.import_key, Number(r.line_no), r.code, r.field]);

test('a set of any size is written whole, each value as given', async () => {
  for (const n of [0, 1, 2, 3, 4_096, 6_553, 9_000, 23_457]) {
    const key = `set-${n}`;
    await rt.store.transaction((tx) => insertRejects(tx, rowsOf(key, n)));
    assert.deepEqual(await readBack(key), rowsOf(key, n).map((r) => [...r]), `${n} rows`);
  }
});

test('a set with a row whose key is taken writes none of its rows', async () => {
  await rt.store.transaction((tx) => insertRejects(tx, rowsOf('taken', 1)));
  const rows = rowsOf('taken', 7_000).slice(0).reverse(); // line 1, already there, comes last: after several chunks
  await assert.rejects(rt.store.transaction((tx) => insertRejects(tx, rows)));
  assert.deepEqual(await readBack('taken'), rowsOf('taken', 1).map((r) => [...r]));
});

test('leaves written as a set read back as written, one per row', async () => {
  const leaves: PendingLeaf[] = Array.from({ length: 5_000 }, (_, i) => ({
    kind: 'subscriber_link_event',
    subjectKey: String(100_000_000_000 + i),
    ref: `L${String(i).padStart(6, '0')}/linked`,
    salt: `salt-${i}`,
    digest: `digest-${i}`,
    leafId: `20260601030000000set${String(i).padStart(12, '0')}`,
  }));
  await rt.store.transaction((tx) => insertLeaves(tx, leaves));
  const back = await db.selectFrom('tlog_leaf_ref').selectAll().where('leaf_id', 'like', '20260601030000000set%').orderBy('leaf_id').execute();
  assert.deepEqual(
    back.map((r) => ({ kind: r.kind, subjectKey: r.subject_key, ref: r.ref, salt: r.salt, digest: r.digest, leafId: r.leaf_id, idx: r.idx })),
    leaves.map((l) => ({ ...l, idx: null })),
  );
});
