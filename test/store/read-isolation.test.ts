/**
 * A read outside any transaction sees only what is committed — also on SQLite, where the hot-path
 * reads run directly on the one connection: while another request's transaction holds it open,
 * they wait for it instead of reading inside it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openTestRuntime, TEST_STORE, type TestRuntime } from '../support/store.js';
import { seedPopulation } from '../../src/services/seed.js';
import { fixedClock } from '../../src/services/clock.js';
import { findCitizen, findFirstCitizen } from '../../src/store/repositories/citizens.js';
import { appendAccessEntries, usageOf, type AccessEntry } from '../../src/store/repositories/access-log.js';
import { claimUsage } from '../../src/store/repositories/connection-usage.js';

describe(`reads and open transactions (${TEST_STORE})`, () => {
  let rt: TestRuntime;
  let personalId: string;
  let name: string;
  before(async () => {
    rt = await openTestRuntime(fixedClock('2026-06-01T08:00:00.000Z'));
    await seedPopulation(rt.store, rt.catalogue.categories, rt.ctx.clock, { seed: 7, count: 20 });
    const first = (await findFirstCitizen(rt.store.db))!;
    personalId = first.personalId;
    name = first.fullName;
  });
  after(() => rt.dropDatabase());

  it('a key read during another transaction sees the committed record, not the uncommitted change', async () => {
    let entered!: () => void;
    let release!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    const gate = new Promise<void>((r) => (release = r));
    const tx = rt.store
      .transaction(async (t) => {
        await t.updateTable('citizen').set({ full_name: 'Chưa Ghi Nhận' }).where('personal_id', '=', personalId).execute();
        entered();
        await gate;
        throw new Error('rolled back on purpose');
      })
      .catch((e: Error) => e.message);
    await inside;
    const during = findCitizen(rt.store.db, personalId);
    release();
    assert.equal((await during)?.fullName, name);
    assert.equal(await tx, 'rolled back on purpose');
    assert.equal((await findCitizen(rt.store.db, personalId))?.fullName, name);
  });

  it('rows written row by row inside a transaction are rolled back with it', async () => {
    const at = '2026-06-01T08:00:00.000Z';
    const other = personalId === '001099000001' ? '001099000002' : '001099000001';
    const entry: AccessEntry = {
      entryId: `isolation-${TEST_STORE}`, at, callerKind: 'connection', channel: 'exchange', action: 'lookupCitizen', connectionId: 'conn-x',
      personalIds: [personalId, other], fields: [], outcome: 'refused', httpStatus: 403, latencyMs: 1, feeVnd: 0,
    };
    const periods = { day: '2026-06-01', hour: '2026-06-01T15', minute: '2026-06-01T15:00' };
    const failed = await rt.store
      .transaction(async (t) => {
        await appendAccessEntries(t, [entry]);
        await claimUsage(t, 'conn-x', periods, { minuteLimit: 100 });
        throw new Error('after the rows');
      })
      .catch((e: Error) => e.message);
    assert.equal(failed, 'after the rows');
    const ids = [entry.entryId, `${entry.entryId}-2`];
    const entryRows = () => rt.store.db.selectFrom('access_entry').select(['subject_key', 'entry_id']).where('entry_id', 'in', ids).orderBy('entry_id').orderBy('subject_key').execute();
    const leafRows = () => rt.store.db.selectFrom('tlog_leaf_ref').select('ref').where('kind', '=', 'access_entry').where('ref', 'in', ids).execute();
    assert.deepEqual(await entryRows(), []);
    assert.deepEqual(await leafRows(), [], 'no leaf outlives its rolled-back row');
    assert.equal((await usageOf(rt.store.db, 'conn-x', ['2026-06-01'])).get('2026-06-01'), undefined);
    await rt.store.transaction(async (t) => {
      await appendAccessEntries(t, [entry, { ...entry, entryId: ids[1]! }]);
      for (let i = 0; i < 2; i++) await claimUsage(t, 'conn-x', periods, { minuteLimit: 100 });
    });
    // One row per citizen concerned, each with its leaf.
    assert.deepEqual(await entryRows(), ids.flatMap((id) => [personalId, other].sort().map((k) => ({ subject_key: k, entry_id: id }))));
    assert.equal((await leafRows()).length, 4);
    assert.equal((await usageOf(rt.store.db, 'conn-x', ['2026-06-01'])).get('2026-06-01'), 2);
    assert.equal((await usageOf(rt.store.db, 'conn-x', ['2026-06-01T15'])).get('2026-06-01T15'), 2);
  });
});
