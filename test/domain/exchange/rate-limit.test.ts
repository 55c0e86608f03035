/** Per-connection limits: the per-minute token bucket and the daily quota by local Vietnam day. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { localDayOf, localHourOf, quotaDecision, takeToken, type Bucket } from '../../../src/domain/exchange/rate-limit.js';
import { addDays } from '../../../src/domain/dates/day-arithmetic.js';

const MINUTE = 60_000;

interface Call {
  at: number;
  allowed: boolean;
  retryAfterSeconds: number;
  bucket: Bucket;
}

/** Runs calls at the given times (ms) against one bucket. */
function run(perMinute: number, times: readonly number[], start?: Bucket): Call[] {
  let bucket = start;
  return times.map((at) => {
    const r = takeToken(bucket, perMinute, at);
    bucket = r.bucket;
    return { at, ...r };
  });
}

/** Exact model: tokens scaled by 60 000 are integers when perMinute and times are integers. */
function model(perMinute: number, times: readonly number[]): { allowed: boolean; retryAfterSeconds: number; scaled: number }[] {
  const cap = perMinute * MINUTE;
  let scaled = cap;
  let updated = times[0] ?? 0;
  return times.map((at) => {
    scaled = Math.min(cap, scaled + Math.max(0, at - updated) * perMinute);
    updated = Math.max(updated, at);
    if (scaled >= MINUTE) {
      scaled -= MINUTE;
      return { allowed: true, retryAfterSeconds: 0, scaled };
    }
    const retry = Math.max(1, Math.ceil((MINUTE - scaled) / (perMinute * 1000)));
    return { allowed: false, retryAfterSeconds: retry, scaled };
  });
}

const perMinuteArb = fc.oneof(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 1000 }));
/** Non-decreasing call times: bursts (gap 0), short gaps and long ones. */
const timesArb = fc
  .array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 5_000 }), fc.integer({ min: 0, max: 120_000 })), { minLength: 1, maxLength: 200 })
  .map((gaps) => {
    let t = 1_700_000_000_000;
    return gaps.map((g) => (t += g));
  });

describe('takeToken', () => {
  test('a new bucket is full: perMinute calls pass at once, the next waits 60/perMinute s', () => {
    const calls = run(10, new Array<number>(11).fill(0));
    assert.equal(calls.filter((c) => c.allowed).length, 10);
    assert.deepEqual(calls[10]?.allowed, false);
    assert.equal(calls[10]?.retryAfterSeconds, 6);
    assert.equal(takeToken(calls[10]?.bucket, 10, 6_000).allowed, true);
  });

  test('retryAfterSeconds is rounded up to whole seconds', () => {
    const empty: Bucket = { tokens: 0, updatedMs: 0 };
    assert.equal(takeToken(empty, 1, 0).retryAfterSeconds, 60);
    assert.equal(takeToken(empty, 1, 500).retryAfterSeconds, 60);
    assert.equal(takeToken(empty, 1, 1_000).retryAfterSeconds, 59);
    assert.equal(takeToken(empty, 7, 0).retryAfterSeconds, 9);
    assert.equal(takeToken(empty, 1000, 0).retryAfterSeconds, 1);
  });

  test('a 60 s window can hold a full burst plus a minute of refill (2·perMinute − 1)', () => {
    const times = [...new Array<number>(5).fill(0), ...Array.from({ length: 4 }, (_, i) => 12_000 * (i + 1))];
    assert.ok(run(5, times).every((c) => c.allowed));
    assert.equal(run(5, [...times, 59_999]).at(-1)?.allowed, false);
  });

  test('a clock going backwards refills nothing; a lowered limit caps the stored tokens', () => {
    const b: Bucket = { tokens: 0.5, updatedMs: 10_000 };
    const r = takeToken(b, 60, 0);
    assert.equal(r.allowed, false);
    assert.deepEqual(r.bucket, { tokens: 0.5, updatedMs: 10_000 });
    assert.equal(takeToken({ tokens: 50, updatedMs: 0 }, 2, 0).bucket.tokens, 1);
  });

  test('refuses a perMinute below 1 or a time that is not finite', () => {
    assert.throws(() => takeToken(undefined, 0, 0), RangeError);
    assert.throws(() => takeToken(undefined, 0.5, 0), RangeError);
    assert.throws(() => takeToken(undefined, Number.NaN, 0), RangeError);
    assert.throws(() => takeToken(undefined, 10, Number.POSITIVE_INFINITY), RangeError);
  });

  test('property: agrees exactly with an integer model of the bucket', () => {
    fc.assert(
      fc.property(perMinuteArb, timesArb, (perMinute, times) => {
        const got = run(perMinute, times);
        model(perMinute, times).forEach((m, i) => {
          const c = got[i] as Call;
          assert.equal(c.allowed, m.allowed, `call ${i}`);
          assert.equal(c.retryAfterSeconds, m.retryAfterSeconds, `call ${i}`);
          assert.ok(Math.abs(c.bucket.tokens - m.scaled / MINUTE) < 1e-6, `call ${i}`);
        });
      }),
    );
  });

  test('property: from a full bucket, at most perMinute + d·perMinute/60 000 calls pass in any d ms', () => {
    fc.assert(
      fc.property(perMinuteArb, timesArb, (perMinute, times) => {
        const allowed = run(perMinute, times).filter((c) => c.allowed).map((c) => c.at);
        assert.ok(allowed.filter((t) => t === allowed[0]).length <= perMinute, 'an instantaneous burst is at most perMinute');
        for (let i = 0; i < allowed.length; i++) {
          for (let j = i; j < allowed.length; j++) {
            const d = (allowed[j] as number) - (allowed[i] as number);
            assert.ok((j - i + 1) * MINUTE <= perMinute * MINUTE + d * perMinute, `${j - i + 1} calls in ${d} ms`);
          }
        }
      }),
    );
  });

  test('property: refused calls consume nothing (dropping them changes no other decision)', () => {
    fc.assert(
      fc.property(perMinuteArb, timesArb, (perMinute, times) => {
        const all = run(perMinute, times);
        const served = all.filter((c) => c.allowed).map((c) => c.at);
        assert.ok(run(perMinute, served).every((c) => c.allowed));
        for (const c of all) if (!c.allowed) assert.ok(c.retryAfterSeconds >= 1);
      }),
    );
  });

  test('property: waiting retryAfterSeconds is enough, one second less is not', () => {
    fc.assert(
      fc.property(perMinuteArb, timesArb, (perMinute, times) => {
        for (const c of run(perMinute, times)) {
          if (c.allowed) continue;
          const r = c.retryAfterSeconds;
          assert.equal(takeToken(c.bucket, perMinute, c.at + r * 1000).allowed, true);
          if (r > 1) assert.equal(takeToken(c.bucket, perMinute, c.at + (r - 1) * 1000).allowed, false);
        }
      }),
    );
  });
});

describe('local day and hour', () => {
  test('the Vietnam day starts at 17:00 UTC', () => {
    assert.equal(localDayOf('2025-01-31T16:59:59.999Z'), '2025-01-31');
    assert.equal(localDayOf('2025-01-31T17:00:00Z'), '2025-02-01');
    assert.equal(localDayOf('2025-02-01T00:30:00+07:00'), '2025-02-01');
    assert.equal(localHourOf('2025-01-31T16:59:59Z'), '2025-01-31T23');
    assert.equal(localHourOf('2025-01-31T17:00:00Z'), '2025-02-01T00');
    assert.equal(localHourOf('2025-01-31T17:00:00Z', '+00:00'), '2025-01-31T17');
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
