/** The per-address token bucket (decision 0022): capacity, refill, Retry-After, per-process share. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { exhausted, perProcessLimit, take, type Bucket } from '../../../src/domain/abuse/token-bucket.js';

describe('token bucket', () => {
  test('a full minute allows the limit at once, then one more every 60/limit seconds', () => {
    let b: Bucket | undefined;
    const allowed: boolean[] = [];
    for (let i = 0; i < 25; i++) {
      const r = take(b, 20, 1_000);
      b = r.bucket;
      allowed.push(r.allowed);
    }
    assert.equal(allowed.filter(Boolean).length, 20);
    assert.equal(take(b, 20, 1_000).retryAfterSeconds, 3);
    assert.equal(take(b, 20, 3_999).allowed, false);
    assert.equal(take(b, 20, 4_000).allowed, true);
    assert.deepEqual(exhausted(b, 20, 1_000), { exhausted: true, retryAfterSeconds: 3 });
    assert.deepEqual(exhausted(b, 20, 4_000), { exhausted: false, retryAfterSeconds: 0 });
  });

  test('0 means no limit', () => {
    assert.equal(take(undefined, 0, 0).allowed, true);
    assert.equal(exhausted({ tokens: 0, atMs: 0 }, 0, 0).exhausted, false);
  });

  test('property: over any arrival times, no more is allowed than the capacity plus what refilled', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 120 }), fc.array(fc.integer({ min: 0, max: 600_000 }), { maxLength: 400 }), (perMinute, times) => {
        times.sort((a, b) => a - b);
        let b: Bucket | undefined;
        let allowed = 0;
        for (const t of times) {
          const r = take(b, perMinute, t);
          b = r.bucket;
          if (r.allowed) allowed++;
          else assert.ok(r.retryAfterSeconds >= 1 && r.retryAfterSeconds <= Math.ceil(60 / perMinute));
        }
        const span = times.length ? times.at(-1)! - times[0]! : 0;
        assert.ok(allowed <= perMinute + (span * perMinute) / 60_000 + 1e-9, `${allowed} allowed over ${span} ms at ${perMinute}/min`);
      }),
    );
  });

  test('each of N processes enforces its share, never zero', () => {
    assert.equal(perProcessLimit(300, 1), 300);
    assert.equal(perProcessLimit(300, 4), 75);
    assert.equal(perProcessLimit(20, 3), 7);
    assert.equal(perProcessLimit(1, 8), 1);
    assert.equal(perProcessLimit(0, 4), 0);
  });
});
