/**
 * Authorization stands next to the route (DESIGN §3.5): each route declares in its config who may
 * call it — `public: true`, or the roles allowed. One onRequest hook enforces it for every route;
 * handlers never check tokens themselves.
 *
 * Two credentials, the same roles (decision 0038): a bearer token (`Authorization: Bearer dcu_…`,
 * machines and the CLI; it expires) or a session cookie from signing in (browsers). A session is
 * never accepted as a bearer token, so its secret need not be readable by scripts (HttpOnly). A
 * change (any method but GET, HEAD, OPTIONS) made with the cookie must carry the session's CSRF token
 * in `X-CSRF-Token`: another site can make a browser send the cookie, never that header.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { RegistryError } from '../domain/errors/registry-error.js';
import { DEFAULT_SESSIONS, type SessionPolicy } from '../domain/auth/limits.js';
import { authenticate, type Principal } from '../services/principals.js';
import { authenticateSession, csrfTokenOf } from '../services/auth/sessions.js';
import { systemClock, type Clock } from '../services/clock.js';
import type { Role } from '../services/context.js';
import type { Store } from '../services/context.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Open to anyone (health, docs, categories), or authenticated by the route itself (agencyToken). */
    public?: boolean;
    /** Outside officer authentication, but the route checks an agency access token itself (exchange). */
    agencyToken?: boolean;
    /** Roles allowed; required unless public. */
    roles?: readonly Role[];
  }
  interface FastifyRequest {
    principal?: Principal;
    /** The session of a request authenticated by its cookie (undefined with a bearer token). */
    sessionId?: string;
  }
}

export const READERS: readonly Role[] = ['officer', 'admin', 'inspector'];
export const WRITERS: readonly Role[] = ['officer', 'admin'];
export const ADMINS: readonly Role[] = ['admin'];

/** The bearer token of a request, if it carries one (officer and agency tokens alike). */
export function bearerOf(request: FastifyRequest): string | undefined {
  const h = request.headers.authorization;
  if (!h) return undefined;
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  return m?.[1];
}

/** The session cookie's name: `__Host-` where the browser allows it (HTTPS), plain otherwise. */
export const SESSION_COOKIE_SECURE = '__Host-dancu-session';
export const SESSION_COOKIE_PLAIN = 'dancu-session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The session cookie's name for a request: over HTTPS only `__Host-dancu-session`, which a browser
 * accepts only from this origin with Secure and Path=/ — a plain-named cookie planted by a sibling
 * subdomain or over plain HTTP is not taken for a session there.
 */
export function sessionCookieName(request: FastifyRequest): string {
  return request.protocol === 'https' ? SESSION_COOKIE_SECURE : SESSION_COOKIE_PLAIN;
}

/** The session secret a request's Cookie header carries under the name its scheme allows, if any. */
export function sessionCookieOf(request: FastifyRequest): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  const wanted = sessionCookieName(request);
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === wanted) return part.slice(eq + 1).trim();
  }
  return undefined;
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function registerAuth(app: FastifyInstance, store: Store, clock: Clock = systemClock, sessions: SessionPolicy = DEFAULT_SESSIONS): void {
  app.decorateRequest('principal', undefined);
  app.decorateRequest('sessionId', undefined);
  app.addHook('onRequest', async (request) => {
    const config = request.routeOptions.config;
    // Unknown routes fall through to the 404 handler; public routes need nothing.
    if (!request.routeOptions.url || config.public) return;
    const token = bearerOf(request);
    let principal = token ? await authenticate(store, token, clock) : undefined;
    const cookie = token ? undefined : sessionCookieOf(request);
    if (cookie) {
      const found = await authenticateSession(store, clock, cookie, sessions);
      if (found) {
        const csrf = request.headers['x-csrf-token'];
        if (!SAFE_METHODS.has(request.method) && (typeof csrf !== 'string' || !sameText(csrf, csrfTokenOf(cookie)))) throw new RegistryError('CSRF_TOKEN_INVALID');
        principal = found.principal;
        request.sessionId = found.sessionId;
      }
    }
    if (!principal) throw new RegistryError('UNAUTHENTICATED');
    request.principal = principal;
    const roles = config.roles ?? [];
    if (!roles.includes(principal.role as Role)) throw new RegistryError('FORBIDDEN');
  });
}

/** The acting principal of an authenticated route. */
export function actorOf(request: FastifyRequest): { principalId: string; role: Role } {
  const p = request.principal;
  if (!p) throw new RegistryError('UNAUTHENTICATED');
  return { principalId: p.id, role: p.role as Role };
}
