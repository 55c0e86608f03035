/** Unusual hourly volume: the median baseline and the anomaly rule. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DEFAULT_ANOMALY_RULE, isAnomalous, usualHourlyVolume, type AnomalyRule } from '../../../src/domain/exchange/anomaly.js';

const week = (n: number): number[] => new Array<number>(168).fill(n);

describe('usualHourlyVolume', () => {
  test('the median, zeros included; even counts average the middle two; none = 0', () => {
    assert.equal(usualHourlyVolume([]), 0);
    assert.equal(usualHourlyVolume([7]), 7);
    assert.equal(usualHourlyVolume([0, 0, 0, 100, 5]), 0);
    assert.equal(usualHourlyVolume([3, 1, 2]), 2);
    assert.equal(usualHourlyVolume([4, 1, 3, 2]), 2.5);
    assert.equal(usualHourlyVolume([10, 1000]), 505);
  });

  test('refuses negative or non-finite counts', () => {
    assert.throws(() => usualHourlyVolume([1, -1]), RangeError);
    assert.throws(() => usualHourlyVolume([Number.NaN]), RangeError);
  });

  test('property: between the minimum and the maximum, and unchanged by order', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(10_000), { minLength: 1, maxLength: 200 }), (xs) => {
        const u = usualHourlyVolume(xs);
        assert.ok(u >= Math.min(...xs) && u <= Math.max(...xs));
        assert.equal(usualHourlyVolume([...xs].reverse()), u);
      }),
    );
  });
});

describe('isAnomalous', () => {
  test('default rule: 5 × the usual volume, at least 100 calls, one week of history', () => {
    assert.deepEqual(DEFAULT_ANOMALY_RULE, { multiple: 5, minimumCalls: 100, baselineHours: 168 });
    assert.equal(isAnomalous(500, week(100), DEFAULT_ANOMALY_RULE), false, 'exactly 5× is not more than 5×');
    assert.equal(isAnomalous(501, week(100), DEFAULT_ANOMALY_RULE), true);
    assert.equal(isAnomalous(99, week(0), DEFAULT_ANOMALY_RULE), false, 'below the minimum, never');
    assert.equal(isAnomalous(100, week(0), DEFAULT_ANOMALY_RULE), true, 'a silent connection suddenly busy');
    assert.equal(isAnomalous(100, [], DEFAULT_ANOMALY_RULE), true, 'no history: the usual volume counts as 1');
    assert.equal(isAnomalous(4, [], { ...DEFAULT_ANOMALY_RULE, minimumCalls: 0 }), false, '4 > 5 × max(0, 1) is false');
  });

  test('only the last baselineHours of the history count', () => {
    const history = [...week(1000), ...new Array<number>(24).fill(10)];
    assert.equal(isAnomalous(200, history, { ...DEFAULT_ANOMALY_RULE, baselineHours: 24 }), true);
    assert.equal(isAnomalous(200, history, { ...DEFAULT_ANOMALY_RULE, baselineHours: 24 * 8 }), false);
  });

  test('refuses a malformed rule or count', () => {
    assert.throws(() => isAnomalous(10, [], { ...DEFAULT_ANOMALY_RULE, baselineHours: 0 }), RangeError);
    assert.throws(() => isAnomalous(10, [], { ...DEFAULT_ANOMALY_RULE, multiple: -1 }), RangeError);
    assert.throws(() => isAnomalous(10, [], { ...DEFAULT_ANOMALY_RULE, minimumCalls: Number.NaN }), RangeError);
    assert.throws(() => isAnomalous(-1, [], DEFAULT_ANOMALY_RULE), RangeError);
  });

  const ruleArb: fc.Arbitrary<AnomalyRule> = fc.record({
    multiple: fc.integer({ min: 1, max: 20 }),
    minimumCalls: fc.integer({ min: 0, max: 500 }),
    baselineHours: fc.integer({ min: 1, max: 200 }),
  });
  const historyArb = fc.array(fc.oneof(fc.constant(0), fc.nat(50), fc.nat(5_000)), { maxLength: 250 });

  test('property: monotone in the current count', () => {
    fc.assert(
      fc.property(fc.nat(100_000), fc.nat(100_000), historyArb, ruleArb, (a, b, history, rule) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        if (isAnomalous(lo, history, rule)) assert.equal(isAnomalous(hi, history, rule), true);
      }),
    );
  });

  test('property: with minimumCalls 0, scaling every count by k ≥ 1 keeps an anomaly', () => {
    fc.assert(
      fc.property(fc.nat(10_000), historyArb, ruleArb, fc.integer({ min: 1, max: 50 }), (current, history, r, k) => {
        const rule = { ...r, minimumCalls: 0 };
        if (!isAnomalous(current, history, rule)) return;
        assert.equal(isAnomalous(current * k, history.map((h) => h * k), rule), true);
      }),
    );
  });

  test('scaling up can create an anomaly (the floor of 1 on the usual volume), so only that direction holds', () => {
    const rule = { ...DEFAULT_ANOMALY_RULE, minimumCalls: 0 };
    assert.equal(isAnomalous(3, week(0), rule), false);
    assert.equal(isAnomalous(6, week(0), rule), true);
  });

  test('property: never anomalous below minimumCalls', () => {
    fc.assert(
      fc.property(fc.nat(1_000), historyArb, ruleArb, (current, history, rule) => {
        if (current < rule.minimumCalls) assert.equal(isAnomalous(current, history, rule), false);
      }),
    );
  });

  test('property: agrees with the rule stated directly', () => {
    fc.assert(
      fc.property(fc.nat(100_000), historyArb, ruleArb, (current, history, rule) => {
        const window = history.slice(Math.max(0, history.length - rule.baselineHours));
        const expected = current >= rule.minimumCalls && current > rule.multiple * Math.max(usualHourlyVolume(window), 1);
        assert.equal(isAnomalous(current, history, rule), expected);
      }),
    );
  });
});
