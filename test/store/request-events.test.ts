/**
 * The steps of written requests and consent requests (store/repositories/request-events.ts): seqs
 * 1..n per request, each step with exactly one leaf whose digest is the row's, read back first to
 * last, and a taken seq refused by the store's key. Both stores.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Store } from '../../src/store/connect.js';
import { isUniqueViolation } from '../../src/store/failures.js';
import { appendRequestEvent, requestEvents } from '../../src/store/repositories/request-events.js';
import { LEAF_KINDS } from '../../src/store/repositories/transparency-leaves.js';
import { rowDigest } from '../../src/transparency/leaf.js';
import { openTestRuntime, type TestRuntime } from '../support/store.js';

let rt: TestRuntime;
let store: Store;
before(async () => {
  rt = await openTestRuntime();
  store = rt.store;
});
after(async () => rt.dropDatabase());

const PERSON = '001099000123';
const at = (minute: number) => `2026-12-06T08:${String(minute).padStart(2, '0')}:00.000Z`;

for (const [table, idColumn] of [['written_request_event', 'request_id'], ['consent_event', 'consent_id']] as const) {
  describe(table, () => {
    test('seqs follow per request from the one given first; each step has one leaf, its digest the row\'s', async () => {
      const first = { personalId: PERSON, requestId: `${table}-A` };
      const other = { personalId: PERSON, requestId: `${table}-B` };
      await store.transaction(async (tx) => {
        await appendRequestEvent(tx, table, first, { seq: 1, at: at(0), actorId: 'officer-1', kind: 'received', channel: 'counter', details: { purpose: 'x' } });
        await appendRequestEvent(tx, table, other, { seq: 1, at: at(1), actorId: 'officer-1', kind: 'received', details: {} });
        await appendRequestEvent(tx, table, first, { at: at(2), actorId: 'system', kind: 'consent_given', details: { n: 2 } });
        await appendRequestEvent(tx, table, first, { at: at(3), actorId: 'officer-2', kind: 'provided', channel: 'post', details: {} });
      });

      const steps = await requestEvents(store.db, table, first);
      assert.deepEqual(steps, [
        { seq: 1, at: at(0), actorId: 'officer-1', kind: 'received', channel: 'counter', details: { purpose: 'x' } },
        { seq: 2, at: at(2), actorId: 'system', kind: 'consent_given', details: { n: 2 } },
        { seq: 3, at: at(3), actorId: 'officer-2', kind: 'provided', channel: 'post', details: {} },
      ]);
      assert.deepEqual((await requestEvents(store.db, table, other)).map((s) => s.seq), [1]);

      const rows = (await store.db.selectFrom(table).selectAll().where('personal_id', '=', PERSON).execute()) as unknown as Record<string, unknown>[];
      const leaves = await store.db.selectFrom('tlog_leaf_ref').selectAll().where('kind', '=', table).where('subject_key', '=', PERSON).execute();
      assert.equal(rows.length, 4);
      assert.deepEqual(leaves.map((l) => l.ref).sort(), rows.map((r) => `${String(r[idColumn])}/${String(r.seq)}`).sort());
      for (const r of rows) {
        const leaf = leaves.find((l) => l.ref === `${String(r[idColumn])}/${String(r.seq)}`)!;
        assert.equal(leaf.digest, rowDigest(LEAF_KINDS[table]!.columns, r));
      }
    });

    test('a seq already taken is the store\'s unique violation, and nothing of it is written', async () => {
      const key = { personalId: PERSON, requestId: `${table}-C` };
      await store.transaction((tx) => appendRequestEvent(tx, table, key, { seq: 1, at: at(10), actorId: 'a', kind: 'received', details: {} }));
      let caught: unknown;
      await store
        .transaction((tx) => appendRequestEvent(tx, table, key, { seq: 1, at: at(11), actorId: 'b', kind: 'refused', details: {} }))
        .catch((e: unknown) => {
          caught = e;
        });
      assert.ok(caught, 'the second step with seq 1 was written');
      assert.ok(isUniqueViolation(caught) || (caught as { code?: string }).code === 'CONCURRENT_UPDATE', `not a unique violation: ${String(caught)}`);
      assert.deepEqual((await requestEvents(store.db, table, key)).map((s) => [s.seq, s.actorId]), [[1, 'a']]);
      const leaves = await store.db.selectFrom('tlog_leaf_ref').select('ref').where('kind', '=', table).where('ref', 'like', `${table}-C/%`).execute();
      assert.deepEqual(leaves.map((l) => l.ref), [`${table}-C/1`]);
    });
  });
}
