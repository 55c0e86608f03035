/** The time rules of signing in (decision 0038): growing delay, session expiry, token lifetime. */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DEFAULT_LOCKOUT, DEFAULT_SESSIONS, DEFAULT_SMS_CODES, DEFAULT_TOKENS, delayAfter, resendWait, sessionEndsAt, sessionState, tokenExpiry, waitSeconds } from '../../../src/domain/auth/limits.js';

const T0 = Date.parse('2026-06-01T08:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

describe('growing delay', () => {
  test('three free failures, then 2, 4, 8 … seconds, capped at 900', () => {
    assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 7].map((n) => delayAfter(n)), [0, 0, 0, 0, 2, 4, 8, 16]);
    assert.equal(delayAfter(12), 512);
    assert.equal(delayAfter(13), 900);
    assert.equal(delayAfter(1000), 900);
    assert.deepEqual(DEFAULT_LOCKOUT, { freeFailures: 3, baseDelaySeconds: 2, maxDelaySeconds: 900, forgetAfterSeconds: 86_400 });
  });
  test('property: never negative, never above the maximum, never shrinking', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 10 }), fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 100_000 }), (n, free, base, max) => {
        const p = { freeFailures: free, baseDelaySeconds: base, maxDelaySeconds: max, forgetAfterSeconds: 60 };
        const d = delayAfter(n, p);
        assert.ok(d >= 0 && d <= max);
        assert.ok(delayAfter(n + 1, p) >= d);
        assert.equal(d === 0, n <= free);
      }),
    );
  });
  test('waiting: from the last failure, and forgotten after a day', () => {
    assert.equal(waitSeconds(undefined, T0), 0);
    const count = { failures: 5, lastFailureAt: iso(T0) };
    assert.equal(waitSeconds(count, T0), 4);
    assert.equal(waitSeconds(count, T0 + 1), 4, 'rounded up');
    assert.equal(waitSeconds(count, T0 + 3_001), 1);
    assert.equal(waitSeconds(count, T0 + 4_000), 0);
    assert.equal(waitSeconds({ failures: 3, lastFailureAt: iso(T0) }, T0), 0);
    const many = { failures: 50, lastFailureAt: iso(T0) };
    assert.equal(waitSeconds(many, T0 + 899_000), 1);
    assert.equal(waitSeconds(many, T0 + 86_399_000, { ...DEFAULT_LOCKOUT, maxDelaySeconds: 100_000 }), 1, 'the delay ends when the count is forgotten');
    assert.equal(waitSeconds(many, T0 + 86_400_000, { ...DEFAULT_LOCKOUT, maxDelaySeconds: 100_000 }), 0, 'forgotten after forgetAfterSeconds');
    assert.equal(waitSeconds(many, T0 + 3_600_000, { ...DEFAULT_LOCKOUT, maxDelaySeconds: 100_000, forgetAfterSeconds: 3_600 }), 0);
  });
});

describe('sessions', () => {
  const s = { createdAt: iso(T0), lastSeenAt: iso(T0) };
  test('idle after 30 minutes without a request; ended 12 hours after signing in however used', () => {
    assert.deepEqual(DEFAULT_SESSIONS, { idleMinutes: 30, absoluteHours: 12 });
    assert.equal(sessionState(s, T0), 'active');
    assert.equal(sessionState(s, T0 + 30 * 60_000 - 1), 'active');
    assert.equal(sessionState(s, T0 + 30 * 60_000), 'idle');
    const used = { createdAt: iso(T0), lastSeenAt: iso(T0 + 12 * 3_600_000 - 60_000) };
    assert.equal(sessionState(used, T0 + 12 * 3_600_000 - 1), 'active');
    assert.equal(sessionState(used, T0 + 12 * 3_600_000), 'expired');
    assert.equal(sessionState({ ...s, revokedAt: iso(T0) }, T0), 'revoked');
  });
  test('when it ends: the earlier of idle and absolute', () => {
    assert.equal(sessionEndsAt(s), iso(T0 + 30 * 60_000));
    assert.equal(sessionEndsAt({ createdAt: iso(T0), lastSeenAt: iso(T0 + 11.9 * 3_600_000) }), iso(T0 + 12 * 3_600_000));
    assert.equal(sessionEndsAt(s, { idleMinutes: 5, absoluteHours: 1 }), iso(T0 + 5 * 60_000));
  });
});

describe('token lifetime', () => {
  test('the default, any whole number of days up to the maximum, nothing else', () => {
    assert.deepEqual(DEFAULT_TOKENS, { defaultDays: 90, maxDays: 365 });
    assert.equal(tokenExpiry(T0, undefined), iso(T0 + 90 * 86_400_000));
    assert.equal(tokenExpiry(T0, 1), iso(T0 + 86_400_000));
    assert.equal(tokenExpiry(T0, 365), iso(T0 + 365 * 86_400_000));
    assert.equal(tokenExpiry(T0, 366), undefined);
    assert.equal(tokenExpiry(T0, 0), undefined);
    assert.equal(tokenExpiry(T0, 1.5), undefined);
    assert.equal(tokenExpiry(T0, undefined, { defaultDays: 400, maxDays: 365 }), undefined);
  });
});

describe('codes by SMS', () => {
  test('5 minutes, 3 sends per sign-in, 30 s apart', () => {
    assert.deepEqual(DEFAULT_SMS_CODES, { ttlMinutes: 5, maxSends: 3, resendAfterSeconds: 30 });
    assert.equal(resendWait(0, undefined, T0), 'now');
    assert.equal(resendWait(1, iso(T0), T0), 30);
    assert.equal(resendWait(1, iso(T0), T0 + 1), 30, 'rounded up');
    assert.equal(resendWait(1, iso(T0), T0 + 29_001), 1);
    assert.equal(resendWait(1, iso(T0), T0 + 30_000), 'now');
    assert.equal(resendWait(2, iso(T0), T0 + 60_000), 'now');
    assert.equal(resendWait(3, iso(T0), T0 + 60_000), 'exhausted');
    assert.equal(resendWait(3, undefined, T0), 'exhausted');
    assert.equal(resendWait(1, iso(T0), T0 + 5_000, { ttlMinutes: 5, maxSends: 2, resendAfterSeconds: 5 }), 'now');
  });
});
