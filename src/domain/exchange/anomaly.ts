/**
 * Unusual call volume on a connection, hour by hour (a sign of a leaked credential or a runaway
 * client).
 * Rules:
 * - The usual hourly volume is the median of the previous hours' counts, hours without calls (0)
 *   included; with an even number of hours it is the mean of the two middle counts; no history = 0.
 * - Only the last `baselineHours` of the history count (previousHours is oldest first).
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
}

export const DEFAULT_ANOMALY_RULE: AnomalyRule = Object.freeze({ multiple: 5, minimumCalls: 100, baselineHours: 24 * 7 });

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

function checkRule(rule: AnomalyRule): void {
  if (!Number.isFinite(rule.multiple) || rule.multiple < 0) throw new RangeError(`not an anomaly multiple: ${rule.multiple}`);
  if (!Number.isFinite(rule.minimumCalls) || rule.minimumCalls < 0) throw new RangeError(`not a minimum call count: ${rule.minimumCalls}`);
  if (!Number.isInteger(rule.baselineHours) || rule.baselineHours < 1) throw new RangeError(`not a number of baseline hours: ${rule.baselineHours}`);
}

/** Whether `currentHourCount` is unusual against the history (see the module rules). */
export function isAnomalous(currentHourCount: number, previousHours: readonly number[], rule: AnomalyRule): boolean {
  checkRule(rule);
  checkCount(currentHourCount);
  if (currentHourCount < rule.minimumCalls) return false;
  const usual = usualHourlyVolume(previousHours.slice(-rule.baselineHours));
  return currentHourCount > rule.multiple * Math.max(usual, 1);
}
