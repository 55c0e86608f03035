/**
 * The recorder's group transaction carries other short writes too (`inGroup`): the exchange's usage
 * claims commit with the entries waiting at that moment, one commit for all of them. Each claim is
 * still its own conditional statement whose result decides that call; its result is known only once
 * the group committed; a group that fails commits nothing of any of its writes or entries. The claims
 * of one connection in a group are made together (one statement when all fit), each with the result it
 * would have had alone.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { openTestRuntime, TEST_STORE, type TestRuntime } from '../support/store.js';
import { fixedClock } from '../../src/services/clock.js';
import { openRuntime, type Runtime } from '../../src/services/runtime.js';
import { queryAccessLog, usageOf } from '../../src/store/repositories/access-log.js';
import { claimUsage, claimUsages, type UsageClaim, type UsageClaimRequest } from '../../src/store/repositories/connection-usage.js';
import { findLeafRef } from '../../src/store/repositories/transparency-leaves.js';
import type { NewAccessEntry } from '../../src/services/accountability/recorder.js';

const AT = '2026-06-01T08:00:10.000Z';
const P = { day: '2026-06-01', hour: '2026-06-01T15', minute: '2026-06-01T15:00' };

const entry = (personalId: string, requestId: string): NewAccessEntry => ({
  at: AT, callerKind: 'connection', connectionId: 'group-c', agencyCode: 'GROUP', channel: 'exchange', action: 'lookupCitizen', purpose: '1.004222',
  personalIds: [personalId], fields: ['fullName'], outcome: 'served', httpStatus: 200, requestId, latencyMs: 1.5, feeVnd: 1000,
});

describe(`the recorder's group transaction (${TEST_STORE})`, () => {
  let rt: TestRuntime;
  let other: Runtime;
  before(async () => {
    rt = await openTestRuntime(fixedClock(AT));
    // A second server process on the same store, with its own recorder.
    other = await openRuntime({ databaseUrl: rt.databaseUrl, dataDir: rt.dataDir, clock: fixedClock(AT), pgPoolSize: 4 });
  });
  after(async () => {
    await other?.close();
    await rt?.dropDatabase();
  });

  it('claims from two processes arriving with entries pass the limit exactly, each with its own place; every entry and its leaf committed', async () => {
    const c = `group-${TEST_STORE}`;
    const recorders = [rt.ctx.recorder, other.ctx.recorder];
    const claims: Promise<UsageClaim>[] = [];
    const recorded: Promise<unknown>[] = [];
    for (let i = 0; i < 90; i++) {
      const recorder = recorders[i % 2]!;
      claims.push(recorder.inGroup(`connection:${c}`, (tx) => claimUsage(tx, c, P, { dayLimit: 30, minuteLimit: 1000 })));
      // Entries arrive among the claims (the calls served before): they share the claims' transactions.
      if (i % 3 === 0) recorded.push(recorder.record(entry(`0010${String(i).padStart(8, '0')}`, `g${i}`)));
    }
    const results = await Promise.all(claims);
    const entries = (await Promise.all(recorded)) as { entryId: string; personalIds: string[] }[];
    assert.equal(results.filter((r) => r.claimed).length, 30);
    assert.deepEqual(results.filter((r) => !r.claimed).map((r) => (r as { full: string }).full), Array(60).fill('day'));
    const places = results.flatMap((r) => (r.claimed ? [r.counts.day] : [])).sort((a, b) => a - b);
    assert.deepEqual(places, Array.from({ length: 30 }, (_, i) => i + 1));
    assert.deepEqual(Object.fromEntries(await usageOf(rt.store.db, c, [P.day, P.hour, P.minute])), { [P.day]: 30, [P.hour]: 30, [P.minute]: 30 });
    assert.equal(entries.length, 30);
    for (const e of entries) {
      const [row] = await queryAccessLog(rt.store.db, { personalId: e.personalIds[0]!, limit: 5 });
      assert.equal(row?.entryId, e.entryId);
      assert.equal(row?.requestId !== undefined, true);
      assert.ok(await findLeafRef(rt.store.db, 'access_entry', e.personalIds[0]!, e.entryId), 'the entry has its pending leaf');
    }
  });

  it('a group that fails commits none of its writes and entries, and each caller is told', async () => {
    const c = `fail-${TEST_STORE}`;
    const recorder = rt.ctx.recorder;
    // All queued in one turn: they share one transaction, which the failing write aborts.
    const claim = recorder.inGroup(`connection:${c}`, (tx) => claimUsage(tx, c, P, { minuteLimit: 10 }));
    const logged = recorder.record(entry('001099999999', 'lost'));
    const failing = recorder.inGroup(`connection:${c}-x`, async () => {
      throw new Error('the write failed');
    });
    const settled = await Promise.allSettled([claim, logged, failing]);
    assert.deepEqual(settled.map((s) => s.status), ['rejected', 'rejected', 'rejected']);
    assert.deepEqual(Object.fromEntries(await usageOf(rt.store.db, c, [P.day, P.hour, P.minute])), {}, 'the claim counts nowhere');
    assert.deepEqual(await queryAccessLog(rt.store.db, { personalId: '001099999999', limit: 5 }), [], 'the entry was not written');
    // The next group commits as usual.
    assert.deepEqual(await recorder.inGroup(`connection:${c}`, (tx) => claimUsage(tx, c, P, { minuteLimit: 10 })), { claimed: true, counts: { day: 1, hour: 1, minute: 1 } });
  });

  it("a write's result is given only once its group committed", async () => {
    const c = `order-${TEST_STORE}`;
    let committedWhenSeen: number | undefined;
    const claimed = await rt.ctx.recorder.inGroup(`connection:${c}`, async (tx) => {
      const r = await claimUsage(tx, c, P, { minuteLimit: 10 });
      return r;
    });
    // Read from the other process's connections: the claim is visible there as soon as it is given.
    committedWhenSeen = (await usageOf(other.store.db, c, [P.day])).get(P.day);
    assert.equal(claimed.claimed, true);
    assert.equal(committedWhenSeen, 1);
  });

  it('claims of one connection in one group are made together: each gets the next place, as if claimed one after another', async () => {
    const c = `together-${TEST_STORE}`;
    const claim: UsageClaimRequest = { connectionId: c, periods: P, limits: { dayLimit: 100, minuteLimit: 1000 } };
    // Queued in one turn: one group, one run of claims of one key.
    const results = await Promise.all(Array.from({ length: 20 }, () => rt.ctx.recorder.inGroupTogether(`connection:${c}`, claim, claimUsages)));
    assert.deepEqual(results, Array.from({ length: 20 }, (_, i) => ({ claimed: true, counts: { day: i + 1, hour: i + 1, minute: i + 1 } })));
    assert.deepEqual(Object.fromEntries(await usageOf(rt.store.db, c, [P.day, P.hour, P.minute])), { [P.day]: 20, [P.hour]: 20, [P.minute]: 20 });
    // Not room for all: the places left are taken one by one, the others refused, nothing counted twice.
    const more = await Promise.all(Array.from({ length: 10 }, () => rt.ctx.recorder.inGroupTogether(`connection:${c}`, { ...claim, limits: { dayLimit: 25, minuteLimit: 1000 } }, claimUsages)));
    assert.deepEqual(more.map((r) => (r.claimed ? r.counts.day : r.full)), [21, 22, 23, 24, 25, 'day', 'day', 'day', 'day', 'day']);
    assert.deepEqual(Object.fromEntries(await usageOf(rt.store.db, c, [P.day, P.hour, P.minute])), { [P.day]: 25, [P.hour]: 25, [P.minute]: 25 });
  });

  it('claims made together give exactly what the same claims made one by one give (property, any limits and counts before)', async () => {
    let run = 0;
    const limit = fc.option(fc.integer({ min: 1, max: 30 }), { nil: undefined });
    const claimArb = fc.record({ dayLimit: limit, minuteLimit: fc.integer({ min: 1, max: 30 }), nextMinute: fc.integer({ min: 0, max: 9 }).map((n) => n === 0) });
    await fc.assert(
      fc.asyncProperty(fc.nat(8), fc.array(claimArb, { minLength: 1, maxLength: 12 }), async (before, asked) => {
        run++;
        const together = `prop-t-${run}-${TEST_STORE}`;
        const alone = `prop-a-${run}-${TEST_STORE}`;
        const requests = (connectionId: string) =>
          asked.map((a): UsageClaimRequest => ({ connectionId, periods: a.nextMinute ? { ...P, minute: '2026-06-01T15:01' } : P, limits: { ...(a.dayLimit !== undefined ? { dayLimit: a.dayLimit } : {}), minuteLimit: a.minuteLimit } }));
        for (const c of [together, alone]) for (let i = 0; i < before; i++) await claimUsage(rt.store.db, c, P, { minuteLimit: 1000 });
        const got = await rt.store.transaction((tx) => claimUsages(tx, requests(together)));
        const expected: UsageClaim[] = [];
        for (const r of requests(alone)) expected.push(await claimUsage(rt.store.db, r.connectionId, r.periods, r.limits));
        assert.deepEqual(got, expected);
        const periods = [P.day, P.hour, P.minute, '2026-06-01T15:01'];
        assert.deepEqual(Object.fromEntries(await usageOf(rt.store.db, together, periods)), Object.fromEntries(await usageOf(rt.store.db, alone, periods)));
      }),
      {
        numRuns: 60,
        // Exactly one place short, on fresh counters and on counters already used (the day, then the minute).
        examples: [
          [0, Array(3).fill({ dayLimit: 2, minuteLimit: 30, nextMinute: false })],
          [2, Array(3).fill({ dayLimit: 4, minuteLimit: 30, nextMinute: false })],
          [0, Array(3).fill({ dayLimit: undefined, minuteLimit: 2, nextMinute: false })],
          [2, Array(3).fill({ dayLimit: undefined, minuteLimit: 4, nextMinute: false })],
        ],
      },
    );
  });
});
