/**
 * Per-connection limits: a per-minute rate and a daily quota, decided from the connection's counts
 * of served calls per local minute and day. The counts live in the store (written with the access
 * log), so every server process decides from the same numbers.
 * Rules:
 * - Rate (sliding window): the calls of the last 60 s are estimated as this minute's count plus the
 *   previous minute's weighted by the share of it still inside those 60 s. A call passes while the
 *   estimate is below perMinute. Within one clock minute at most perMinute calls pass; in any 60 s
 *   at most 2·perMinute. A refused call counts nowhere, and is told the whole seconds after which
 *   one call would pass if nothing else came (≥ 1).
 * - Daily quota: a day is the local Vietnam day (UTC+07:00, no daylight saving). Once `usedToday`
 *   reaches the quota, calls are refused until the next local midnight. No quota = unlimited.
 */
import { addDays } from '../dates/day-arithmetic.js';
import { instantAt, instantMillis, localTime, VIETNAM_UTC_OFFSET } from '../residence/working-days.js';

export interface LimitDecision {
  allowed: boolean;
  /** 0 when allowed; otherwise whole seconds to wait, at least 1. */
  retryAfterSeconds: number;
}

/** Served calls counted in the clock minute of the call and in the minute before it. */
export interface MinuteCounts {
  previous: number;
  current: number;
}

const MINUTE_MS = 60_000;

/** Whether the window estimate at `nowMs` is below perMinute (integer arithmetic, no rounding). */
function fits(counts: MinuteCounts, perMinute: number, nowMs: number): boolean {
  const into = ((nowMs % MINUTE_MS) + MINUTE_MS) % MINUTE_MS;
  return counts.previous * (MINUTE_MS - into) + counts.current * MINUTE_MS < perMinute * MINUTE_MS;
}

/**
 * One more call at `nowMs`, given the counts of its minute and the one before (local minutes start
 * with UTC minutes: the offset is whole minutes). RangeError unless perMinute is an integer ≥ 1,
 * the counts are non-negative integers and nowMs is an integer.
 */
export function rateDecision(counts: MinuteCounts, perMinute: number, nowMs: number): LimitDecision {
  if (!Number.isInteger(perMinute) || perMinute < 1) throw new RangeError(`perMinute must be an integer ≥ 1: ${perMinute}`);
  if (!Number.isInteger(nowMs)) throw new RangeError(`not a time in whole milliseconds: ${nowMs}`);
  for (const n of [counts.previous, counts.current]) if (!Number.isInteger(n) || n < 0) throw new RangeError(`not a call count: ${n}`);
  if (fits(counts, perMinute, nowMs)) return { allowed: true, retryAfterSeconds: 0 };
  const minute = Math.floor(nowMs / MINUTE_MS);
  // Two minutes on, both counted minutes have left the window: the search ends by then.
  for (let s = 1; ; s++) {
    const at = nowMs + s * 1000;
    const ahead = Math.floor(at / MINUTE_MS) - minute;
    const later = ahead === 0 ? counts : ahead === 1 ? { previous: counts.current, current: 0 } : { previous: 0, current: 0 };
    if (fits(later, perMinute, at)) return { allowed: false, retryAfterSeconds: s };
  }
}

/**
 * How many calls the clock minute of `nowMs` may hold, given the previous minute's count: one more
 * call fits (rateDecision allows it) exactly while the current minute's count is below this. A
 * server claims a call's place in the minute's counter against this limit in one conditional
 * statement, so that calls arriving together cannot all pass on the same count. May be ≤ 0 (none).
 */
export function minuteLimit(previous: number, perMinute: number, nowMs: number): number {
  if (!Number.isInteger(perMinute) || perMinute < 1) throw new RangeError(`perMinute must be an integer ≥ 1: ${perMinute}`);
  if (!Number.isInteger(previous) || previous < 0) throw new RangeError(`not a call count: ${previous}`);
  const into = ((nowMs % MINUTE_MS) + MINUTE_MS) % MINUTE_MS;
  // fits ⇔ current·M < perMinute·M − previous·(M − into) =: room ⇔ current < ⌈room / M⌉ (integers).
  const room = perMinute * MINUTE_MS - previous * (MINUTE_MS - into);
  const q = Math.floor(room / MINUTE_MS);
  return q * MINUTE_MS < room ? q + 1 : q;
}

/** The local day (YYYY-MM-DD) of an ISO instant. */
export function localDayOf(instant: string, offset: string = VIETNAM_UTC_OFFSET): string {
  return localTime(instant, offset).day;
}

/** The local hour (YYYY-MM-DDTHH) of an ISO instant: the bucket of hourly counts. */
export function localHourOf(instant: string, offset: string = VIETNAM_UTC_OFFSET): string {
  const { day, minutes } = localTime(instant, offset);
  return `${day}T${String(Math.floor(minutes / 60)).padStart(2, '0')}`;
}

/** The local minute (YYYY-MM-DDTHH:MM) of an ISO instant: the bucket of per-minute counts. */
export function localMinuteOf(instant: string, offset: string = VIETNAM_UTC_OFFSET): string {
  const { day, minutes } = localTime(instant, offset);
  return `${day}T${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/**
 * The usage periods of an instant — its local day, hour and minute, and the minute before — each
 * with its half-open span [from, to) of UTC instants (to set counters right from the access log).
 */
export function usagePeriodSpans(instant: string, offset: string = VIETNAM_UTC_OFFSET): { period: string; from: string; to: string }[] {
  const { day, minutes } = localTime(instant, offset);
  const hourStart = minutes - (minutes % 60);
  const span = (period: string, startMinutes: number, length: number) => ({ period, from: instantAt(day, startMinutes, offset), to: instantAt(day, startMinutes + length, offset) });
  const previous = new Date(instantMillis(instant) - MINUTE_MS).toISOString();
  const { day: pDay, minutes: pMinutes } = localTime(previous, offset);
  return [
    span(day, 0, 24 * 60),
    span(localHourOf(instant, offset), hourStart, 60),
    span(localMinuteOf(instant, offset), minutes, 1),
    { period: localMinuteOf(previous, offset), from: instantAt(pDay, pMinutes, offset), to: instantAt(pDay, pMinutes + 1, offset) },
  ];
}

/** The next local midnight after `instant`, as milliseconds since the epoch. */
export function nextLocalMidnightMs(instant: string, offset: string = VIETNAM_UTC_OFFSET): number {
  return Date.parse(instantAt(addDays(localDayOf(instant, offset), 1), 0, offset));
}

/**
 * Whether one more call fits today's quota. RangeError for a negative or non-integer count or
 * quota, or a malformed instant.
 */
export function quotaDecision(usedToday: number, dailyQuota: number | undefined, nowInstant: string, offset: string = VIETNAM_UTC_OFFSET): LimitDecision {
  if (!Number.isInteger(usedToday) || usedToday < 0) throw new RangeError(`not a call count: ${usedToday}`);
  const nowMs = instantMillis(nowInstant);
  if (dailyQuota === undefined) return { allowed: true, retryAfterSeconds: 0 };
  if (!Number.isInteger(dailyQuota) || dailyQuota < 0) throw new RangeError(`not a daily quota: ${dailyQuota}`);
  if (usedToday < dailyQuota) return { allowed: true, retryAfterSeconds: 0 };
  const waitMs = nextLocalMidnightMs(nowInstant, offset) - nowMs;
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
}
