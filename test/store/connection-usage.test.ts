/**
 * Usage counters claimed before serving (decision 0036): a claim counts a call in its day, hour and
 * minute only while the limits leave room, all or nothing, also when many claims arrive at once from
 * several store connections; a released claim counts nowhere; reconcileUsage sets counters to the
 * served entries.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openTestRuntime, TEST_STORE, type TestRuntime } from '../support/store.js';
import { fixedClock } from '../../src/services/clock.js';
import { openRuntime, type Runtime } from '../../src/services/runtime.js';
import { appendAccessEntries, reconcileUsage, usageOf } from '../../src/store/repositories/access-log.js';
import { claimUsage, releaseUsage } from '../../src/store/repositories/connection-usage.js';
import { usagePeriodSpans } from '../../src/domain/exchange/rate-limit.js';

const AT = '2026-06-01T08:00:10.000Z';
const P = { day: '2026-06-01', hour: '2026-06-01T15', minute: '2026-06-01T15:00' };
const all = [P.day, P.hour, P.minute];

describe(`usage claims (${TEST_STORE})`, () => {
  let rt: TestRuntime;
  let other: Runtime;
  before(async () => {
    rt = await openTestRuntime(fixedClock(AT));
    // A second server process on the same store: its own connections.
    other = await openRuntime({ databaseUrl: rt.databaseUrl, dataDir: rt.dataDir, clock: fixedClock(AT), pgPoolSize: 4 });
  });
  after(async () => {
    await other?.close();
    await rt?.dropDatabase();
  });
  const counts = async (c: string) => Object.fromEntries([...(await usageOf(rt.store.db, c, all)).entries()].sort());

  it('counts a call in its three periods while the limits leave room; a full day or minute counts it nowhere', async () => {
    const c = `claim-${TEST_STORE}`;
    const first = await claimUsage(rt.store.db, c, P, { dayLimit: 3, minuteLimit: 2 });
    assert.deepEqual(first, { claimed: true, counts: { day: 1, hour: 1, minute: 1 } });
    assert.deepEqual(await claimUsage(rt.store.db, c, P, { dayLimit: 3, minuteLimit: 2 }), { claimed: true, counts: { day: 2, hour: 2, minute: 2 } });
    assert.deepEqual(await claimUsage(rt.store.db, c, P, { dayLimit: 3, minuteLimit: 2 }), { claimed: false, full: 'minute' });
    assert.deepEqual(await counts(c), { [P.day]: 2, [P.hour]: 2, [P.minute]: 2 }, 'the refused claim took no place anywhere');
    // A new minute: room in the minute, but the day holds 3 at most.
    const next = { ...P, minute: '2026-06-01T15:01' };
    assert.equal((await claimUsage(rt.store.db, c, next, { dayLimit: 3, minuteLimit: 2 })).claimed, true);
    assert.deepEqual(await claimUsage(rt.store.db, c, next, { dayLimit: 3, minuteLimit: 2 }), { claimed: false, full: 'day' });
    assert.deepEqual(Object.fromEntries(await usageOf(rt.store.db, c, [P.day, P.hour, next.minute])), { [P.day]: 3, [P.hour]: 3, [next.minute]: 1 });
    // Given back: counts nowhere.
    await releaseUsage(rt.store.db, c, [P.day, P.hour, next.minute]);
    assert.deepEqual(Object.fromEntries(await usageOf(rt.store.db, c, [P.day, P.hour, next.minute])), { [P.day]: 2, [P.hour]: 2, [next.minute]: 0 });
    await assert.rejects(claimUsage(rt.store.db, c, P, { dayLimit: 0, minuteLimit: 2 }), RangeError);
  });

  it('claims arriving together from two processes never pass the limit together', async () => {
    const c = `burst-${TEST_STORE}`;
    const dbs = [rt.store.db, other.store.db];
    const results = await Promise.all(Array.from({ length: 80 }, (_, i) => claimUsage(dbs[i % 2]!, c, P, { dayLimit: 25, minuteLimit: 1000 })));
    assert.equal(results.filter((r) => r.claimed).length, 25);
    assert.deepEqual(results.filter((r) => !r.claimed).map((r) => (r as { full: string }).full), Array(55).fill('day'));
    // Each claim got its own place: 1..25, each once.
    const places = results.flatMap((r) => (r.claimed ? [r.counts.day] : [])).sort((a, b) => a - b);
    assert.deepEqual(places, Array.from({ length: 25 }, (_, i) => i + 1));
    assert.deepEqual(await counts(c), { [P.day]: 25, [P.hour]: 25, [P.minute]: 25 });
  });

  it('reconcileUsage sets a connection\'s counters to its served entries (ahead after a crash, or lost)', async () => {
    const c = `reconcile-${TEST_STORE}`;
    const entry = (i: number, outcome: 'served' | 'refused', at = AT) => ({
      entryId: `rec-${TEST_STORE}-${i}`, at, callerKind: 'connection' as const, connectionId: c, channel: 'exchange', action: 'lookupCitizen',
      personalIds: [`0010900000${String(i).padStart(2, '0')}`, `0010910000${String(i).padStart(2, '0')}`], fields: [], outcome, httpStatus: outcome === 'served' ? 200 : 403, latencyMs: 1, feeVnd: 0,
    });
    // 4 served (each about two people: counted once), 2 refused, 1 served the day before (local).
    await rt.store.transaction((t) => appendAccessEntries(t, [entry(1, 'served'), entry(2, 'served'), entry(3, 'refused'), entry(4, 'served'), entry(5, 'refused'), entry(6, 'served'), entry(7, 'served', '2026-05-31T16:59:59.000Z')]));
    for (let i = 0; i < 9; i++) await claimUsage(rt.store.db, c, P, { minuteLimit: 1000 });
    await rt.store.transaction((t) => reconcileUsage(t, c, usagePeriodSpans(AT)));
    assert.deepEqual(await counts(c), { [P.day]: 4, [P.hour]: 4, [P.minute]: 4 });
  });
});
