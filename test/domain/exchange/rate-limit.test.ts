/** Per-connection limits: the per-minute sliding window and the daily quota by local Vietnam day. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { localDayOf, localHourOf, localMinuteOf, quotaDecision, rateDecision, type MinuteCounts } from '../../../src/domain/exchange/rate-limit.js';
import { addDays } from '../../../src/domain/dates/day-arithmetic.js';

const MINUTE = 60_000;
/** A whole minute (UTC and Vietnam alike). */
const T0 = 28_333_334 * MINUTE;

interface Call {
  at: number;
  allowed: boolean;
  retryAfterSeconds: number;
}

/** Counts of served calls per clock minute, as the store keeps them. */
class Counter {
  private readonly perMinute = new Map<number, number>();
  countsAt(at: number): MinuteCounts {
    const m = Math.floor(at / MINUTE);
    return { previous: this.perMinute.get(m - 1) ?? 0, current: this.perMinute.get(m) ?? 0 };
  }
  served(at: number): void {
    const m = Math.floor(at / MINUTE);
    this.perMinute.set(m, (this.perMinute.get(m) ?? 0) + 1);
  }
}

/** Runs calls at the given times (ms); served calls are counted, refused ones are not. */
function run(perMinute: number, times: readonly number[]): { calls: Call[]; counter: Counter } {
  const counter = new Counter();
  const calls = times.map((at) => {
    const d = rateDecision(counter.countsAt(at), perMinute, at);
    if (d.allowed) counter.served(at);
    return { at, ...d };
  });
  return { calls, counter };
}

const perMinuteArb = fc.oneof(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 1000 }));
/** Non-decreasing call times: bursts (gap 0), short gaps and long ones. */
const timesArb = fc
  .array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 5_000 }), fc.integer({ min: 0, max: 120_000 })), { minLength: 1, maxLength: 200 })
  .chain((gaps) => fc.integer({ min: 0, max: MINUTE - 1 }).map((start) => {
    let t = T0 + start;
    return gaps.map((g) => (t += g));
  }));

describe('rateDecision', () => {
  test('with nothing in the previous minute, perMinute calls pass at once; the next waits for the window to slide', () => {
    const { calls } = run(3, [T0, T0, T0, T0]);
    assert.deepEqual(calls.map((c) => c.allowed), [true, true, true, false]);
    // At the next minute's start the 3 calls still weigh fully; one second in, 3·59/60 < 3.
    assert.equal(calls[3]!.retryAfterSeconds, 61);
    assert.equal(rateDecision({ previous: 3, current: 0 }, 3, T0 + MINUTE).allowed, false);
    assert.equal(rateDecision({ previous: 3, current: 0 }, 3, T0 + MINUTE + 1).allowed, true);
  });

  test('the previous minute weighs by the share of it still within the last 60 s', () => {
    // 10 calls last minute, 30 s into this one: estimate 5 + current.
    assert.equal(rateDecision({ previous: 10, current: 4 }, 10, T0 + 30_000).allowed, true);
    assert.equal(rateDecision({ previous: 10, current: 5 }, 10, T0 + 30_000).allowed, false);
    assert.equal(rateDecision({ previous: 10, current: 5 }, 10, T0 + 30_000).retryAfterSeconds, 1);
    assert.deepEqual(rateDecision({ previous: 1000, current: 0 }, 1, T0 + 59_000), { allowed: false, retryAfterSeconds: 1 });
  });

  test('refuses a perMinute below 1, counts that are not counts and times that are not whole ms', () => {
    assert.throws(() => rateDecision({ previous: 0, current: 0 }, 0, T0), RangeError);
    assert.throws(() => rateDecision({ previous: 0, current: 0 }, 1.5, T0), RangeError);
    assert.throws(() => rateDecision({ previous: -1, current: 0 }, 10, T0), RangeError);
    assert.throws(() => rateDecision({ previous: 0, current: 0.5 }, 10, T0), RangeError);
    assert.throws(() => rateDecision({ previous: 0, current: 0 }, 10, Number.NaN), RangeError);
  });

  test('property: at most perMinute calls pass within one clock minute, at most 2·perMinute within any 60 s', () => {
    fc.assert(
      fc.property(perMinuteArb, timesArb, (perMinute, times) => {
        const allowed = run(perMinute, times).calls.filter((c) => c.allowed).map((c) => c.at);
        const byMinute = new Map<number, number>();
        for (const t of allowed) byMinute.set(Math.floor(t / MINUTE), (byMinute.get(Math.floor(t / MINUTE)) ?? 0) + 1);
        for (const n of byMinute.values()) assert.ok(n <= perMinute, `${n} calls in one minute`);
        let j = 0;
        for (let i = 0; i < allowed.length; i++) {
          while (allowed[i]! - allowed[j]! >= MINUTE) j++;
          assert.ok(i - j + 1 <= 2 * perMinute, `${i - j + 1} calls within 60 s`);
        }
      }),
    );
  });

  test('property: the first call of a quiet minute after a quiet minute always passes', () => {
    fc.assert(
      fc.property(perMinuteArb, fc.integer({ min: 0, max: MINUTE - 1 }), (perMinute, into) => {
        assert.equal(rateDecision({ previous: 0, current: 0 }, perMinute, T0 + into).allowed, true);
      }),
    );
  });

  test('property: refused calls consume nothing (dropping them changes no other decision)', () => {
    fc.assert(
      fc.property(perMinuteArb, timesArb, (perMinute, times) => {
        const { calls } = run(perMinute, times);
        const served = calls.filter((c) => c.allowed).map((c) => c.at);
        assert.ok(run(perMinute, served).calls.every((c) => c.allowed));
        for (const c of calls) if (!c.allowed) assert.ok(c.retryAfterSeconds >= 1 && c.retryAfterSeconds <= 120);
      }),
    );
  });

  test('property: waiting retryAfterSeconds is enough, one second less is not', () => {
    fc.assert(
      fc.property(perMinuteArb, timesArb, (perMinute, times) => {
        const counter = new Counter();
        for (const at of times) {
          const d = rateDecision(counter.countsAt(at), perMinute, at);
          if (d.allowed) {
            counter.served(at);
            continue;
          }
          const r = d.retryAfterSeconds;
          const later = at + r * 1000;
          assert.equal(rateDecision(counter.countsAt(later), perMinute, later).allowed, true);
          if (r > 1) assert.equal(rateDecision(counter.countsAt(later - 1000), perMinute, later - 1000).allowed, false);
        }
      }),
    );
  });
});

describe('local day, hour and minute', () => {
  test('the Vietnam day starts at 17:00 UTC', () => {
    assert.equal(localDayOf('2025-01-31T16:59:59.999Z'), '2025-01-31');
    assert.equal(localDayOf('2025-01-31T17:00:00Z'), '2025-02-01');
    assert.equal(localDayOf('2025-02-01T00:30:00+07:00'), '2025-02-01');
    assert.equal(localHourOf('2025-01-31T16:59:59Z'), '2025-01-31T23');
    assert.equal(localHourOf('2025-01-31T17:00:00Z'), '2025-02-01T00');
    assert.equal(localHourOf('2025-01-31T17:00:00Z', '+00:00'), '2025-01-31T17');
    assert.equal(localMinuteOf('2025-01-31T16:59:59.999Z'), '2025-01-31T23:59');
    assert.equal(localMinuteOf('2025-01-31T17:05:00Z'), '2025-02-01T00:05');
    assert.throws(() => localDayOf('2025-01-31'), RangeError);
  });
});

describe('quotaDecision', () => {
  test('no quota is unlimited; under the quota passes', () => {
    assert.deepEqual(quotaDecision(1_000_000, undefined, '2025-06-01T10:00:00Z'), { allowed: true, retryAfterSeconds: 0 });
    assert.deepEqual(quotaDecision(99, 100, '2025-06-01T10:00:00Z'), { allowed: true, retryAfterSeconds: 0 });
  });

  test('at the quota: wait until the next local midnight', () => {
    assert.deepEqual(quotaDecision(100, 100, '2025-06-01T16:59:59Z'), { allowed: false, retryAfterSeconds: 1 });
    assert.deepEqual(quotaDecision(100, 100, '2025-06-01T16:59:59.900Z'), { allowed: false, retryAfterSeconds: 1 });
    assert.deepEqual(quotaDecision(100, 100, '2025-06-01T17:00:00Z'), { allowed: false, retryAfterSeconds: 86_400 });
    assert.deepEqual(quotaDecision(0, 0, '2025-06-01T05:00:00Z'), { allowed: false, retryAfterSeconds: 43_200 });
    assert.deepEqual(quotaDecision(5, 5, '2025-06-01T22:00:00Z', '+00:00'), { allowed: false, retryAfterSeconds: 7_200 });
  });

  test('refuses bad counts, quotas and instants', () => {
    assert.throws(() => quotaDecision(-1, 10, '2025-06-01T10:00:00Z'), RangeError);
    assert.throws(() => quotaDecision(1.5, 10, '2025-06-01T10:00:00Z'), RangeError);
    assert.throws(() => quotaDecision(1, -10, '2025-06-01T10:00:00Z'), RangeError);
    assert.throws(() => quotaDecision(1, 10, 'yesterday'), RangeError);
  });

  test('property: refused until exactly the next local day', () => {
    const instantArb = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2040, 0, 1) }).map((ms) => new Date(ms).toISOString());
    fc.assert(
      fc.property(instantArb, fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 1000 }), (now, used, quota) => {
        const d = quotaDecision(used, quota, now);
        assert.equal(d.allowed, used < quota);
        if (d.allowed) return assert.equal(d.retryAfterSeconds, 0);
        const r = d.retryAfterSeconds;
        assert.ok(r >= 1 && r <= 86_400);
        const at = (s: number): string => new Date(Date.parse(now) + s * 1000).toISOString();
        assert.equal(localDayOf(at(r)), addDays(localDayOf(now), 1));
        assert.equal(localDayOf(at(r - 1)), localDayOf(now));
      }),
    );
  });
});
