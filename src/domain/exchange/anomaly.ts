/**
 * Unusual call volume on a connection, hour by hour (a sign of a leaked credential or a runaway
 * client).
 * Rules:
 * - The history is the connection's served calls per hour since it went live (the hour of its
 *   activation included), oldest first, hours without calls (0) included; only the last
 *   `baselineHours` of it count.
 * - A connection has a baseline once it has at least `minimumHistoryHours` hours of history. Its
 *   usual hourly volume is then the median of those counts (with an even number of hours, the mean
 *   of the two middle counts; no hours = 0).
 * - Before that, the usual volume is what its policy declares: the hourly share of its daily quota
 *   (dailyQuota / 24). A connection with neither a baseline nor a quota is never anomalous: a new
 *   system going live has no "usual" to be judged against, and its rate limit still holds.
 * - The current hour is anomalous when it has at least `minimumCalls` calls and more than
 *   `multiple` × max(usual, 1): a quiet connection is not flagged for a handful of calls.
 */

export interface AnomalyRule {
  /** How many times the usual volume is unusual, e.g. 5. */
  multiple: number;
  /** Below this many calls in the hour nothing is anomalous, e.g. 100. */
  minimumCalls: number;
  /** Hours of history the usual volume is taken over, e.g. 168 (one week). */
  baselineHours: number;
  /** Hours of history a connection needs before its own history is its usual volume, e.g. 24 (0..baselineHours). */
  minimumHistoryHours: number;
}

export const DEFAULT_ANOMALY_RULE: AnomalyRule = Object.freeze({ multiple: 5, minimumCalls: 100, baselineHours: 24 * 7, minimumHistoryHours: 24 });

/** What the current hour is compared with, and where that figure comes from. */
export interface UsualVolume {
  usual: number;
  source: 'history' | 'declared';
}

function checkCount(n: number): void {
  if (!Number.isFinite(n) || n < 0) throw new RangeError(`not a call count: ${n}`);
}

/** The median of the counts (0 for none). RangeError for a negative or non-finite count. */
export function usualHourlyVolume(previousHours: readonly number[]): number {
  if (previousHours.length === 0) return 0;
  previousHours.forEach(checkCount);
  const sorted = [...previousHours].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const upper = sorted[mid] as number;
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] as number) + upper) / 2;
}

/** The hourly share of a daily quota; undefined without one. RangeError for a quota that is not a positive number. */
export function declaredHourlyVolume(dailyQuota: number | undefined): number | undefined {
  if (dailyQuota === undefined) return undefined;
  if (!Number.isFinite(dailyQuota) || dailyQuota <= 0) throw new RangeError(`not a daily quota: ${dailyQuota}`);
  return dailyQuota / 24;
}

function checkRule(rule: AnomalyRule): void {
  if (!Number.isFinite(rule.multiple) || rule.multiple < 0) throw new RangeError(`not an anomaly multiple: ${rule.multiple}`);
  if (!Number.isFinite(rule.minimumCalls) || rule.minimumCalls < 0) throw new RangeError(`not a minimum call count: ${rule.minimumCalls}`);
  if (!Number.isInteger(rule.baselineHours) || rule.baselineHours < 1) throw new RangeError(`not a number of baseline hours: ${rule.baselineHours}`);
  if (!Number.isInteger(rule.minimumHistoryHours) || rule.minimumHistoryHours < 0 || rule.minimumHistoryHours > rule.baselineHours) {
    throw new RangeError(`not a minimum number of history hours (0..baselineHours): ${rule.minimumHistoryHours}`);
  }
}

/**
 * The usual volume the current hour is judged against: the connection's own (history since it went
 * live, see the module rules) once it has enough, else the declared one; undefined when neither.
 */
export function usualVolume(previousHours: readonly number[], rule: AnomalyRule, declaredHourly?: number): UsualVolume | undefined {
  checkRule(rule);
  const window = previousHours.slice(-rule.baselineHours);
  if (window.length >= rule.minimumHistoryHours) return { usual: usualHourlyVolume(window), source: 'history' };
  if (declaredHourly === undefined) return undefined;
  checkCount(declaredHourly);
  return { usual: declaredHourly, source: 'declared' };
}

/** Whether `currentHourCount` is unusual against the history or the declared volume (see the module rules). */
export function isAnomalous(currentHourCount: number, previousHours: readonly number[], rule: AnomalyRule, declaredHourly?: number): boolean {
  checkRule(rule);
  checkCount(currentHourCount);
  if (currentHourCount < rule.minimumCalls) return false;
  const u = usualVolume(previousHours, rule, declaredHourly);
  return u !== undefined && currentHourCount > rule.multiple * Math.max(u.usual, 1);
}
