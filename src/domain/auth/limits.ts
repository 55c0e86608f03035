/**
 * The time rules of signing in (decision 0038), pure and with time passed in:
 * - a growing delay after failed attempts (per claimed login name and per source address; the
 *   count itself is kept by the store, atomically);
 * - a session's idle and absolute expiry;
 * - a sign-in challenge's expiry and attempts;
 * - a bearer token's lifetime within the configured maximum.
 */

export interface LockoutPolicy {
  /** Failures allowed before any delay. */
  freeFailures: number;
  /** Delay after the first failure beyond the free ones; it doubles with each further failure. */
  baseDelaySeconds: number;
  maxDelaySeconds: number;
  /** Failures older than this are forgotten (the count starts again). */
  forgetAfterSeconds: number;
}

export const DEFAULT_LOCKOUT: LockoutPolicy = { freeFailures: 3, baseDelaySeconds: 2, maxDelaySeconds: 900, forgetAfterSeconds: 86_400 };

/** Seconds to wait after the `failures`-th consecutive failure: 0, …, then base, 2·base, 4·base, … up to the maximum. */
export function delayAfter(failures: number, p: LockoutPolicy = DEFAULT_LOCKOUT): number {
  const over = failures - p.freeFailures;
  if (over <= 0) return 0;
  // 2^30 already exceeds any sensible maximum; capping the exponent keeps the number finite.
  return Math.min(p.maxDelaySeconds, p.baseDelaySeconds * 2 ** Math.min(over - 1, 30));
}

export interface FailureCount {
  failures: number;
  lastFailureAt: string;
}

/** Seconds until another attempt is allowed (0: now). */
export function waitSeconds(count: FailureCount | undefined, nowMs: number, p: LockoutPolicy = DEFAULT_LOCKOUT): number {
  if (!count) return 0;
  const last = Date.parse(count.lastFailureAt);
  // The count is forgotten after forgetAfterSeconds, and its delay with it.
  const until = last + Math.min(delayAfter(count.failures, p), p.forgetAfterSeconds) * 1000;
  return until > nowMs ? Math.ceil((until - nowMs) / 1000) : 0;
}

export interface SessionPolicy {
  idleMinutes: number;
  absoluteHours: number;
}

export const DEFAULT_SESSIONS: SessionPolicy = { idleMinutes: 30, absoluteHours: 12 };

export type SessionState = 'active' | 'revoked' | 'idle' | 'expired';

export function sessionState(s: { createdAt: string; lastSeenAt: string; revokedAt?: string | undefined }, nowMs: number, p: SessionPolicy = DEFAULT_SESSIONS): SessionState {
  if (s.revokedAt !== undefined) return 'revoked';
  if (nowMs >= Date.parse(s.createdAt) + p.absoluteHours * 3_600_000) return 'expired';
  if (nowMs >= Date.parse(s.lastSeenAt) + p.idleMinutes * 60_000) return 'idle';
  return 'active';
}

/** When the session ends if it stays in use (absolute) and if it is left alone (idle), whichever first. */
export function sessionEndsAt(s: { createdAt: string; lastSeenAt: string }, p: SessionPolicy = DEFAULT_SESSIONS): string {
  const absolute = Date.parse(s.createdAt) + p.absoluteHours * 3_600_000;
  const idle = Date.parse(s.lastSeenAt) + p.idleMinutes * 60_000;
  return new Date(Math.min(absolute, idle)).toISOString();
}

export interface ChallengePolicy {
  /** Minutes from the password step to the end of the sign-in (second factor, new password, enrolment). */
  ttlMinutes: number;
  /** Wrong codes accepted before the challenge is spent. */
  maxAttempts: number;
}

export const DEFAULT_CHALLENGES: ChallengePolicy = { ttlMinutes: 10, maxAttempts: 5 };

export interface TokenPolicy {
  defaultDays: number;
  maxDays: number;
}

export const DEFAULT_TOKENS: TokenPolicy = { defaultDays: 90, maxDays: 365 };

/** A token's expiry: `days` (default: the policy's) from now; undefined when beyond the maximum or not a whole number of days ≥ 1. */
export function tokenExpiry(nowMs: number, days: number | undefined, p: TokenPolicy = DEFAULT_TOKENS): string | undefined {
  const d = days ?? p.defaultDays;
  if (!Number.isInteger(d) || d < 1 || d > p.maxDays) return undefined;
  return new Date(nowMs + d * 86_400_000).toISOString();
}

export interface SmsCodePolicy {
  /** Minutes a code sent by SMS stays valid. */
  ttlMinutes: number;
  /** Codes sent per sign-in (the first and its resends). */
  maxSends: number;
  /** Seconds before another code may be asked. */
  resendAfterSeconds: number;
}

export const DEFAULT_SMS_CODES: SmsCodePolicy = { ttlMinutes: 5, maxSends: 3, resendAfterSeconds: 30 };

/** Whether another code may be sent now: 'now', the seconds to wait, or 'exhausted' (no more for this sign-in). */
export function resendWait(sends: number, lastSentAt: string | undefined, nowMs: number, p: SmsCodePolicy = DEFAULT_SMS_CODES): 'now' | 'exhausted' | number {
  if (sends >= p.maxSends) return 'exhausted';
  if (lastSentAt === undefined) return 'now';
  const at = Date.parse(lastSentAt) + p.resendAfterSeconds * 1000;
  return at > nowMs ? Math.ceil((at - nowMs) / 1000) : 'now';
}
