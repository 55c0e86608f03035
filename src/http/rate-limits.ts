/**
 * Abuse limits per source address (issue 12, item 4), checked before authentication or any work:
 * failed authentications (any 401: officer or agency token), the agency token endpoint, the public
 * verification routes, and every call carrying no credential. Over a limit the answer is 429
 * TOO_MANY_REQUESTS with Retry-After. The buckets live in this process (decision 0022, on abuse
 * limits): counting each anonymous request in the store would let the abuse itself drive writes.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { exhausted, perProcessLimit, take, type Bucket } from '../domain/abuse/token-bucket.js';
import { RegistryError } from '../domain/errors/registry-error.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route's own per-address limit class, besides the general ones. */
    rateLimit?: 'verification' | 'token';
  }
}

/** Requests per minute per source address for the whole server; 0 turns a limit off. */
export interface RateLimits {
  anonymous: number;
  verification: number;
  token: number;
  authFailures: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = { anonymous: 300, verification: 60, token: 60, authFailures: 20 };

export interface RateLimitOptions {
  limits: RateLimits;
  /** Server processes sharing the port: each enforces its share of every limit. */
  processes?: number;
  /** Milliseconds of wall-clock time (injected for tests); the registry's business clock is not used. */
  nowMs?: () => number;
  /** Addresses remembered per class; the least recently seen are forgotten beyond it. */
  maxAddresses?: number;
}

class Buckets {
  private readonly map = new Map<string, Bucket>();
  constructor(readonly perMinute: number, private readonly max: number) {}
  get(key: string): Bucket | undefined {
    return this.map.get(key);
  }
  set(key: string, b: Bucket): void {
    // Re-inserting keeps the Map in least-recently-seen order, so eviction drops the oldest.
    this.map.delete(key);
    this.map.set(key, b);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value!);
  }
}

function tooMany(retryAfterSeconds: number): RegistryError {
  return new RegistryError('TOO_MANY_REQUESTS', { extra: { retryAfter: retryAfterSeconds } });
}

const hasCredential = (request: FastifyRequest) => typeof request.headers.authorization === 'string' && request.headers.authorization.length > 0;

export function registerRateLimits(app: FastifyInstance, opts: RateLimitOptions): void {
  const now = opts.nowMs ?? Date.now;
  const max = opts.maxAddresses ?? 100_000;
  const share = (n: number) => new Buckets(perProcessLimit(n, opts.processes ?? 1), max);
  const classes = { anonymous: share(opts.limits.anonymous), verification: share(opts.limits.verification), token: share(opts.limits.token) };
  const failures = share(opts.limits.authFailures);

  const takeFrom = (buckets: Buckets, key: string, t: number) => {
    const r = take(buckets.get(key), buckets.perMinute, t);
    if (buckets.perMinute > 0) buckets.set(key, r.bucket);
    if (!r.allowed) throw tooMany(r.retryAfterSeconds);
  };

  app.addHook('onRequest', async (request) => {
    const key = request.ip;
    const t = now();
    // A credential counts only where a route reads one: on public and unknown routes a header
    // "Authorization: Bearer x" must not buy traffic outside the anonymous limit.
    const config = request.routeOptions.config;
    const readsCredential = request.routeOptions.url !== undefined && (!config?.public || config.agencyToken === true);
    // An address that keeps failing to authenticate is refused before its tokens are even looked up.
    if (readsCredential && hasCredential(request)) {
      const f = exhausted(failures.get(key), failures.perMinute, t);
      if (f.exhausted) throw tooMany(f.retryAfterSeconds);
    } else {
      takeFrom(classes.anonymous, key, t);
    }
    const own = request.routeOptions.config?.rateLimit;
    if (own) takeFrom(classes[own], key, t);
  });

  app.addHook('onResponse', async (request, reply) => {
    if (reply.statusCode !== 401 || failures.perMinute <= 0) return;
    const key = request.ip;
    failures.set(key, take(failures.get(key), failures.perMinute, now()).bucket);
  });
}
