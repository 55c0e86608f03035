/**
 * Authorization stands next to the route (DESIGN §3.5): each route declares in its config who may
 * call it — `public: true`, or the roles allowed. One onRequest hook enforces it for every route;
 * handlers never check tokens themselves.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { RegistryError } from '../domain/errors/registry-error.js';
import { authenticate, type Principal } from '../services/principals.js';
import type { Role } from '../services/context.js';
import type { Store } from '../store/connect.js';

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

export function registerAuth(app: FastifyInstance, store: Store): void {
  app.decorateRequest('principal', undefined);
  app.addHook('onRequest', async (request) => {
    const config = request.routeOptions.config;
    // Unknown routes fall through to the 404 handler; public routes need nothing.
    if (!request.routeOptions.url || config.public) return;
    const token = bearerOf(request);
    const principal = token ? await authenticate(store, token) : undefined;
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
