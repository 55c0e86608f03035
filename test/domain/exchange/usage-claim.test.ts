/**
 * The limits a call's claim is checked against (decision 0036): the minute's allowance agrees with
 * rateDecision for every count, and the usage periods' spans are the local day, hour and minutes.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { localDayOf, localHourOf, localMinuteOf, minuteLimit, rateDecision, usagePeriodSpans } from '../../../src/domain/exchange/rate-limit.js';

const START = Date.parse('2026-01-01T00:00:00Z');

describe('minuteLimit', () => {
  test('one more call fits exactly while the current minute holds fewer calls than the limit', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 500 }), fc.integer({ min: 0, max: 500 }), fc.integer({ min: 1, max: 400 }), fc.integer({ min: 0, max: 366 * 86_400_000 }), (previous, current, perMinute, offset) => {
        const nowMs = START + offset;
        const allowed = rateDecision({ previous, current }, perMinute, nowMs).allowed;
        assert.equal(allowed, current < minuteLimit(previous, perMinute, nowMs), JSON.stringify({ previous, current, perMinute, nowMs }));
      }),
      { numRuns: 20_000 },
    );
  });

  test('examples: a fresh window allows perMinute; a full previous minute at its start allows none', () => {
    assert.equal(minuteLimit(0, 3, START), 3);
    assert.equal(minuteLimit(3, 3, START), 0);
    // Half-way through the minute, half the previous minute's calls still count: 10 − 4/2 = 8.
    assert.equal(minuteLimit(4, 10, START + 30_000), 8);
    // 10 − 3·(1/3) = 9: the boundary itself is not room.
    assert.equal(minuteLimit(3, 10, START + 40_000), 9);
    assert.throws(() => minuteLimit(0, 0, START), RangeError);
    assert.throws(() => minuteLimit(-1, 5, START), RangeError);
  });
});

describe('usagePeriodSpans', () => {
  test('the local day, hour, minute and previous minute of an instant, each with its UTC span', () => {
    assert.deepEqual(usagePeriodSpans('2026-06-01T17:00:30.000Z'), [
      { period: '2026-06-02', from: '2026-06-01T17:00:00.000Z', to: '2026-06-02T17:00:00.000Z' },
      { period: '2026-06-02T00', from: '2026-06-01T17:00:00.000Z', to: '2026-06-01T18:00:00.000Z' },
      { period: '2026-06-02T00:00', from: '2026-06-01T17:00:00.000Z', to: '2026-06-01T17:01:00.000Z' },
      { period: '2026-06-01T23:59', from: '2026-06-01T16:59:00.000Z', to: '2026-06-01T17:00:00.000Z' },
    ]);
  });

  test('every span holds the instants whose period it names, and only those', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 366 * 86_400_000 }), fc.integer({ min: -200_000_000, max: 200_000_000 }), (offset, delta) => {
        const at = new Date(START + offset).toISOString();
        const other = new Date(START + offset + delta).toISOString();
        const [day, hour, minute, previous] = usagePeriodSpans(at);
        for (const [span, periodOf] of [[day!, localDayOf], [hour!, localHourOf], [minute!, localMinuteOf], [previous!, localMinuteOf]] as const) {
          assert.ok(span.from <= at || span === previous, 'the span starts at or before the instant');
          const inside = span.from <= other && other < span.to;
          assert.equal(inside, periodOf(other) === span.period, `${other} in ${JSON.stringify(span)}`);
        }
        assert.equal(previous!.to, minute!.from);
      }),
      { numRuns: 5_000 },
    );
  });
});
