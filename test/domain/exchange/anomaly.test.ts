/** Unusual hourly volume: the median baseline and the anomaly rule. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { declaredHourlyVolume, DEFAULT_ANOMALY_RULE, isAnomalous, usualHourlyVolume, usualVolume, type AnomalyRule } from '../../../src/domain/exchange/anomaly.js';

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
  test('default rule: 5 × the usual volume, at least 100 calls, one week of history, a baseline after one day', () => {
    assert.deepEqual(DEFAULT_ANOMALY_RULE, { multiple: 5, minimumCalls: 100, baselineHours: 168, minimumHistoryHours: 24 });
    assert.equal(isAnomalous(500, week(100), DEFAULT_ANOMALY_RULE), false, 'exactly 5× is not more than 5×');
    assert.equal(isAnomalous(501, week(100), DEFAULT_ANOMALY_RULE), true);
    assert.equal(isAnomalous(99, week(0), DEFAULT_ANOMALY_RULE), false, 'below the minimum, never');
    assert.equal(isAnomalous(100, week(0), DEFAULT_ANOMALY_RULE), true, 'a silent connection suddenly busy');
    assert.equal(isAnomalous(100, new Array<number>(24).fill(0), DEFAULT_ANOMALY_RULE), true, 'a day of silence is a baseline of 0, counted as 1');
    assert.equal(isAnomalous(100_000, [], DEFAULT_ANOMALY_RULE), false, 'no history and no quota: never');
    assert.equal(isAnomalous(100_000, new Array<number>(23).fill(0), DEFAULT_ANOMALY_RULE), false, '23 hours are not yet a baseline');
    assert.equal(isAnomalous(100, [], { ...DEFAULT_ANOMALY_RULE, minimumHistoryHours: 0 }), true, 'minimumHistoryHours 0: no history is a usual volume of 0');
    assert.equal(isAnomalous(4, [], { ...DEFAULT_ANOMALY_RULE, minimumCalls: 0, minimumHistoryHours: 0 }), false, '4 > 5 × max(0, 1) is false');
  });

  test('only the last baselineHours of the history count', () => {
    const history = [...week(1000), ...new Array<number>(24).fill(10)];
    assert.equal(isAnomalous(200, history, { ...DEFAULT_ANOMALY_RULE, baselineHours: 24, minimumHistoryHours: 24 }), true);
    assert.equal(isAnomalous(200, history, { ...DEFAULT_ANOMALY_RULE, baselineHours: 24 * 8 }), false);
  });

  test('refuses a malformed rule or count', () => {
    assert.throws(() => isAnomalous(10, [], { ...DEFAULT_ANOMALY_RULE, baselineHours: 0 }), RangeError);
    assert.throws(() => isAnomalous(10, [], { ...DEFAULT_ANOMALY_RULE, multiple: -1 }), RangeError);
    assert.throws(() => isAnomalous(10, [], { ...DEFAULT_ANOMALY_RULE, minimumCalls: Number.NaN }), RangeError);
    assert.throws(() => isAnomalous(-1, [], DEFAULT_ANOMALY_RULE), RangeError);
    assert.throws(() => isAnomalous(10, [], { ...DEFAULT_ANOMALY_RULE, minimumHistoryHours: -1 }), RangeError);
    assert.throws(() => isAnomalous(10, [], { ...DEFAULT_ANOMALY_RULE, minimumHistoryHours: 1.5 }), RangeError);
    assert.throws(() => isAnomalous(10, [], { ...DEFAULT_ANOMALY_RULE, minimumHistoryHours: 169 }), RangeError, 'more than the baseline window');
    assert.throws(() => isAnomalous(100, [], DEFAULT_ANOMALY_RULE, -1), RangeError, 'a negative declared volume');
    assert.throws(() => usualVolume([], { ...DEFAULT_ANOMALY_RULE, baselineHours: 0 }), RangeError);
  });

  test('each malformed figure is refused on its own, with a message naming it; the edges are accepted', () => {
    const ok = { ...DEFAULT_ANOMALY_RULE, minimumHistoryHours: 0 };
    const refused: [Partial<AnomalyRule>, RegExp][] = [
      [{ multiple: -0.5 }, /^not an anomaly multiple: -0\.5$/],
      [{ multiple: Number.POSITIVE_INFINITY }, /^not an anomaly multiple: Infinity$/],
      [{ minimumCalls: -1 }, /^not a minimum call count: -1$/],
      [{ baselineHours: 0 }, /^not a number of baseline hours: 0$/],
      [{ baselineHours: 1.5 }, /^not a number of baseline hours: 1\.5$/],
      [{ minimumHistoryHours: 2, baselineHours: 1 }, /^not a minimum number of history hours \(0\.\.baselineHours\): 2$/],
    ];
    for (const [change, message] of refused) assert.throws(() => isAnomalous(0, [], { ...ok, ...change }), { name: 'RangeError', message }, JSON.stringify(change));
    assert.throws(() => isAnomalous(-2, [], ok), { message: /^not a call count: -2$/ });
    assert.throws(() => declaredHourlyVolume(-24), { message: /^not a daily quota: -24$/ });
    // Edges: a multiple and a minimum of 0, one hour of baseline with one of history required.
    assert.equal(isAnomalous(0, [], { ...ok, multiple: 0, minimumCalls: 0 }), false, '0 > 0 × max(0, 1) is false');
    assert.equal(isAnomalous(1, [], { ...ok, multiple: 0, minimumCalls: 0 }), true);
    assert.equal(isAnomalous(3, [1], { ...ok, baselineHours: 1, minimumHistoryHours: 1, minimumCalls: 0, multiple: 2 }), true);
    assert.equal(isAnomalous(3, [], { ...ok, baselineHours: 1, minimumHistoryHours: 1, minimumCalls: 0, multiple: 2 }), false, 'no baseline, no quota');
  });

  const ruleArb: fc.Arbitrary<AnomalyRule> = fc
    .record({
      multiple: fc.integer({ min: 1, max: 20 }),
      minimumCalls: fc.integer({ min: 0, max: 500 }),
      baselineHours: fc.integer({ min: 1, max: 200 }),
      history: fc.nat(200),
    })
    .map(({ history, ...r }) => ({ ...r, minimumHistoryHours: history % (r.baselineHours + 1) }));
  const declaredArb = fc.option(fc.integer({ min: 1, max: 10_000_000 }).map((q) => q / 24), { nil: undefined });
  const historyArb = fc.array(fc.oneof(fc.constant(0), fc.nat(50), fc.nat(5_000)), { maxLength: 250 });

  test('property: monotone in the current count', () => {
    fc.assert(
      fc.property(fc.nat(100_000), fc.nat(100_000), historyArb, ruleArb, declaredArb, (a, b, history, rule, declared) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        if (isAnomalous(lo, history, rule, declared)) assert.equal(isAnomalous(hi, history, rule, declared), true);
      }),
    );
  });

  test('property: with minimumCalls 0, scaling every count by k ≥ 1 keeps an anomaly', () => {
    fc.assert(
      fc.property(fc.nat(10_000), historyArb, ruleArb, fc.integer({ min: 1, max: 50 }), (current, history, r, k) => {
        const rule = { ...r, minimumCalls: 0, minimumHistoryHours: 0 };
        if (!isAnomalous(current, history, rule)) return;
        assert.equal(isAnomalous(current * k, history.map((h) => h * k), rule), true);
      }),
    );
  });

  test('scaling up can create an anomaly (the floor of 1 on the usual volume), so only that direction holds', () => {
    const rule = { ...DEFAULT_ANOMALY_RULE, minimumCalls: 0, minimumHistoryHours: 0 };
    assert.equal(isAnomalous(3, week(0), rule), false);
    assert.equal(isAnomalous(6, week(0), rule), true);
  });

  test('property: never anomalous below minimumCalls', () => {
    fc.assert(
      fc.property(fc.nat(1_000), historyArb, ruleArb, declaredArb, (current, history, rule, declared) => {
        if (current < rule.minimumCalls) assert.equal(isAnomalous(current, history, rule, declared), false);
      }),
    );
  });

  test('property: agrees with the rule stated directly', () => {
    fc.assert(
      fc.property(fc.nat(100_000), historyArb, ruleArb, declaredArb, (current, history, rule, declared) => {
        const window = history.slice(Math.max(0, history.length - rule.baselineHours));
        const baseline = window.length >= rule.minimumHistoryHours;
        const usual = baseline ? usualHourlyVolume(window) : declared;
        const expected = current >= rule.minimumCalls && usual !== undefined && current > rule.multiple * Math.max(usual, 1);
        assert.equal(isAnomalous(current, history, rule, declared), expected);
        assert.deepEqual(usualVolume(history, rule, declared), usual === undefined ? undefined : { usual, source: baseline ? 'history' : 'declared' });
      }),
    );
  });
});

describe('a connection without a baseline', () => {
  const newcomerArb = fc.record({
    // Hours since going live: fewer than the rule needs for a baseline.
    history: fc.array(fc.nat(100_000), { maxLength: 23 }),
    current: fc.nat(1_000_000),
    dailyQuota: fc.option(fc.integer({ min: 1, max: 100_000_000 }), { nil: undefined }),
  });

  test('property: without a quota it is never anomalous, however busy its first hours', () => {
    fc.assert(
      fc.property(newcomerArb, ({ history, current }) => {
        assert.equal(isAnomalous(current, history, DEFAULT_ANOMALY_RULE, declaredHourlyVolume(undefined)), false);
        assert.equal(usualVolume(history, DEFAULT_ANOMALY_RULE), undefined);
      }),
    );
  });

  test('property: with a quota it is judged against the hourly share of it, whatever its few hours say', () => {
    fc.assert(
      fc.property(newcomerArb, ({ history, current, dailyQuota }) => {
        const q = dailyQuota ?? 2400;
        const expected = current >= 100 && current > 5 * Math.max(q / 24, 1);
        assert.equal(isAnomalous(current, history, DEFAULT_ANOMALY_RULE, declaredHourlyVolume(q)), expected, `${current} calls, quota ${q}`);
      }),
    );
  });

  test('property: within its daily quota, a connection with a quota of 2,400 or more (5/24 of it ≥ 500) is not suspended before 500 calls', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2_400, max: 100_000_000 }), fc.nat(500), fc.array(fc.nat(50), { maxLength: 23 }), (dailyQuota, current, history) => {
        assert.equal(isAnomalous(current, history, DEFAULT_ANOMALY_RULE, declaredHourlyVolume(dailyQuota)), false);
      }),
    );
  });

  test('a bank going live: 300 calls in its first minutes, quota 100,000 a day — not anomalous; a flood beyond 5 × 4,167 is', () => {
    const declared = declaredHourlyVolume(100_000);
    assert.equal(isAnomalous(300, [], DEFAULT_ANOMALY_RULE, declared), false);
    assert.equal(isAnomalous(20_833, [0, 5], DEFAULT_ANOMALY_RULE, declared), false, '5 × 4166.67 = 20833.3');
    assert.equal(isAnomalous(20_834, [0, 5], DEFAULT_ANOMALY_RULE, declared), true);
    assert.deepEqual(usualVolume([7, 9], DEFAULT_ANOMALY_RULE, 10), { usual: 10, source: 'declared' });
  });

  test('once it has a baseline, its own history decides and the quota no longer matters', () => {
    const day = new Array<number>(24).fill(10);
    assert.deepEqual(usualVolume(day, DEFAULT_ANOMALY_RULE, 4166), { usual: 10, source: 'history' });
    assert.equal(isAnomalous(100, day, DEFAULT_ANOMALY_RULE, declaredHourlyVolume(100_000)), true, 'an established hour jumping 10 → 100 is suspended');
    assert.equal(isAnomalous(50, day, { ...DEFAULT_ANOMALY_RULE, minimumCalls: 0 }), false, 'exactly 5 × 10 is not more than it');
  });

  test('declaredHourlyVolume: the hourly share of the daily quota; none without one; a malformed quota refused', () => {
    assert.equal(declaredHourlyVolume(2400), 100);
    assert.equal(declaredHourlyVolume(12), 0.5);
    assert.equal(declaredHourlyVolume(undefined), undefined);
    for (const q of [0, -24, Number.NaN, Number.POSITIVE_INFINITY]) assert.throws(() => declaredHourlyVolume(q), RangeError, String(q));
  });
});
