/**
 * The sequencer's store side (transparency-log.ts): pending leaves come back in leaf_id order and
 * `assignIndexes` gives each its position (on SQLite by the rowid `pendingLeaves` read, migration
 * 0028); a leaf that is no longer there to index fails the batch rather than being hashed into
 * the tree while staying pending. Both stores.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openTestRuntime, type TestRuntime } from '../support/store.js';
import { isSqlite } from '../../src/store/dialect.js';
import { insertLeaves, leafFor } from '../../src/store/repositories/transparency-leaves.js';
import { assignIndexes, hasPendingLeaves, pendingLeaves } from '../../src/store/repositories/transparency-log.js';

let rt: TestRuntime;
before(async () => {
  rt = await openTestRuntime();
});
after(async () => {
  await rt.dropDatabase();
});

/** Principal events' leaves stand in for any kind: three rows of one subject. */
const rowsAt = (subject: string, at: string) =>
  [1, 2, 3].map((seq) => ({ principal_id: subject, seq, at, actor_id: 'test', kind: 'created', details: '{}' }));

test('pending leaves are indexed in leaf order, each by the row pendingLeaves read', async () => {
  // Drain what the runtime's own start wrote, so that only this test's leaves are pending.
  await rt.store.transaction(async (tx) => {
    const before = await pendingLeaves(tx, 100_000);
    await assignIndexes(tx, before, 0);
  });
  const at = '2026-06-01T03:00:00.000Z';
  const leaves = rowsAt('principal:index-test', at).map((r) => leafFor('principal_event', r, at));
  await rt.store.transaction((tx) => insertLeaves(tx, leaves));
  const read = await rt.store.transaction(async (tx) => {
    const pending = await pendingLeaves(tx, 10);
    await assignIndexes(tx, pending, 1_000_000);
    return pending;
  });
  assert.deepEqual(read.map((l) => l.leafId), leaves.map((l) => l.leafId).sort());
  if (isSqlite(rt.store.db)) assert.ok(read.every((l) => Number.isInteger(l.rowId)), 'SQLite reads each rowid');
  else assert.ok(read.every((l) => l.rowId === undefined), 'PostgreSQL indexes by the key');
  const rows = await rt.store.db.selectFrom('tlog_leaf_ref').select(['leaf_id', 'idx']).where('subject_key', '=', 'principal:index-test').orderBy('leaf_id').execute();
  assert.deepEqual(rows.map((r) => Number(r.idx)), [1_000_000, 1_000_001, 1_000_002]);
  assert.equal(await hasPendingLeaves(rt.store.db), false);
});

test('a pending leaf gone before it is indexed fails the batch, which then changes nothing', async () => {
  const at = '2026-06-01T04:00:00.000Z';
  const leaves = rowsAt('principal:gone-test', at).map((r) => leafFor('principal_event', r, at));
  await rt.store.transaction((tx) => insertLeaves(tx, leaves));
  await assert.rejects(
    rt.store.transaction(async (tx) => {
      const pending = await pendingLeaves(tx, 10);
      assert.equal(pending.length, 3);
      await tx.deleteFrom('tlog_leaf_ref').where('leaf_id', '=', pending[1]!.leafId).execute();
      await assignIndexes(tx, pending, 2_000_000);
    }),
    /could not be given (its|their) index/,
  );
  const rows = await rt.store.db.selectFrom('tlog_leaf_ref').select(['idx']).where('subject_key', '=', 'principal:gone-test').execute();
  assert.equal(rows.length, 3, 'the failed batch deleted nothing');
  assert.ok(rows.every((r) => r.idx === null), 'and indexed nothing');
});
