/**
 * A token bucket per caller: `perMinute` requests may come at once, and the allowance refills
 * continuously at `perMinute` per minute. Pure: the caller passes the time, and keeps the buckets.
 */
export interface Bucket {
  tokens: number;
  /** When `tokens` was computed (ms). */
  atMs: number;
}

export interface TakeResult {
  bucket: Bucket;
  allowed: boolean;
  /** Whole seconds until one request is allowed again (0 when allowed). */
  retryAfterSeconds: number;
}

/** The bucket at `nowMs`: refilled for the time elapsed, never above the capacity. */
export function refill(bucket: Bucket | undefined, perMinute: number, nowMs: number): Bucket {
  if (!bucket) return { tokens: perMinute, atMs: nowMs };
  const elapsed = Math.max(0, nowMs - bucket.atMs);
  return { tokens: Math.min(perMinute, bucket.tokens + (elapsed * perMinute) / 60_000), atMs: Math.max(nowMs, bucket.atMs) };
}

/** Seconds until the bucket holds one whole token again. */
function waitSeconds(b: Bucket, perMinute: number): number {
  return Math.max(1, Math.ceil(((1 - b.tokens) * 60_000) / perMinute / 1000));
}

/** Takes one token if there is one. `perMinute` ≤ 0 means no limit. */
export function take(bucket: Bucket | undefined, perMinute: number, nowMs: number): TakeResult {
  if (perMinute <= 0) return { bucket: { tokens: 0, atMs: nowMs }, allowed: true, retryAfterSeconds: 0 };
  const b = refill(bucket, perMinute, nowMs);
  if (b.tokens >= 1) return { bucket: { tokens: b.tokens - 1, atMs: b.atMs }, allowed: true, retryAfterSeconds: 0 };
  return { bucket: b, allowed: false, retryAfterSeconds: waitSeconds(b, perMinute) };
}

/** Whether a request would be refused now, without taking anything (checking before the work). */
export function exhausted(bucket: Bucket | undefined, perMinute: number, nowMs: number): { exhausted: boolean; retryAfterSeconds: number } {
  if (perMinute <= 0 || !bucket) return { exhausted: false, retryAfterSeconds: 0 };
  const b = refill(bucket, perMinute, nowMs);
  return b.tokens >= 1 ? { exhausted: false, retryAfterSeconds: 0 } : { exhausted: true, retryAfterSeconds: waitSeconds(b, perMinute) };
}

/**
 * The share of a server-wide limit one process enforces when `processes` serve the same port: the
 * operating system spreads connections over them, so each holds about its share (decision 0022).
 */
export function perProcessLimit(perMinute: number, processes: number): number {
  if (perMinute <= 0) return 0;
  return Math.max(1, Math.ceil(perMinute / Math.max(1, processes)));
}
