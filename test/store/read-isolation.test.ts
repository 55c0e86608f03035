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
import { appendAccessLog, usageOf } from '../../src/store/repositories/access-log.js';

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
    const entry = {
      logId: `isolation-${TEST_STORE}`, at, service: 'lookupCitizen', connectionId: 'conn-x', personalIds: [personalId], fields: [], outcome: 'refused' as const,
      httpStatus: 403, latencyMs: 1, feeVnd: 0, entryHash: 'h', periods: { day: '2026-06-01', hour: '2026-06-01T15', minute: '2026-06-01T15:00' },
    };
    const failed = await rt.store
      .transaction(async (t) => {
        await appendAccessLog(t, [entry]);
        throw new Error('after the rows');
      })
      .catch((e: Error) => e.message);
    assert.equal(failed, 'after the rows');
    const rows = await rt.store.db.selectFrom('access_log').select('log_id').where('log_id', '=', entry.logId).execute();
    assert.deepEqual(rows, []);
    assert.equal((await usageOf(rt.store.db, 'conn-x', ['2026-06-01'])).get('2026-06-01'), undefined);
    await rt.store.transaction((t) => appendAccessLog(t, [entry, { ...entry, logId: `${entry.logId}-2` }]));
    assert.equal((await usageOf(rt.store.db, 'conn-x', ['2026-06-01', '2026-06-01T15'])).get('2026-06-01'), 2);
    assert.equal((await usageOf(rt.store.db, 'conn-x', ['2026-06-01T15'])).get('2026-06-01T15'), 2);
  });
});
