/**
 * Per-connection limits: a per-minute rate (token bucket) and a daily quota.
 * Rules:
 * - Token bucket: capacity = perMinute tokens, refilled continuously at perMinute / 60 000 tokens per
 *   millisecond; a new connection starts full. A call takes one token; with less than one token it
 *   is refused, takes nothing, and is told the whole seconds until one token is there (≥ 1).
 *   Bursts are bounded by the capacity: in any span of d ms at most perMinute + d·perMinute/60 000
 *   calls pass, so the sustained rate never exceeds perMinute a minute.
 * - A clock that goes backwards refills nothing (the bucket keeps its later time).
 * - Daily quota: a day is the local Vietnam day (UTC+07:00, no daylight saving). Once `usedToday`
 *   reaches the quota, calls are refused until the next local midnight. No quota = unlimited.
 */
import { addDays } from '../dates/day-arithmetic.js';
import { instantAt, instantMillis, localTime, VIETNAM_UTC_OFFSET } from '../residence/working-days.js';

export interface Bucket {
  tokens: number;
  updatedMs: number;
}

export interface LimitDecision {
  allowed: boolean;
  /** 0 when allowed; otherwise whole seconds to wait, at least 1. */
  retryAfterSeconds: number;
}

const MINUTE_MS = 60_000;
/**
 * Floating-point slack, in milliseconds of refill: a token that will be complete within a
 * nanosecond counts as there. Far above rounding noise, far below any real interval, so waiting
 * exactly retryAfterSeconds is always enough.
 */
const SLACK_MS = 1e-6;

/** Takes one token for a call at `nowMs`. RangeError unless perMinute ≥ 1 and nowMs is finite. */
export function takeToken(bucket: Bucket | undefined, perMinute: number, nowMs: number): { bucket: Bucket } & LimitDecision {
  if (!Number.isFinite(perMinute) || perMinute < 1) throw new RangeError(`perMinute must be a finite number ≥ 1: ${perMinute}`);
  if (!Number.isFinite(nowMs)) throw new RangeError(`not a time in milliseconds: ${nowMs}`);
  let tokens = perMinute;
  let updatedMs = nowMs;
  if (bucket) {
    const elapsed = Math.max(0, nowMs - bucket.updatedMs);
    tokens = Math.min(perMinute, Math.max(0, bucket.tokens) + (elapsed * perMinute) / MINUTE_MS);
    updatedMs = Math.max(bucket.updatedMs, nowMs);
  }
  const waitMs = ((1 - tokens) * MINUTE_MS) / perMinute;
  if (waitMs <= SLACK_MS) {
    return { bucket: { tokens: Math.max(0, tokens - 1), updatedMs }, allowed: true, retryAfterSeconds: 0 };
  }
  return {
    bucket: { tokens, updatedMs },
    allowed: false,
    retryAfterSeconds: Math.max(1, Math.ceil((waitMs - SLACK_MS) / 1000)),
  };
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
