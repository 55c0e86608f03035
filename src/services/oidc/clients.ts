/**
 * Relying parties, registered by the ministry's administrators (decision 0043): create, list, change
 * (including suspend and reactivate). Every change is an event under `oidc-client:<clientId>` with
 * its transparency-log leaf, in the change's transaction. A suspended relying party is refused at
 * once: oidc-provider reads the registration from the store at every request (services/oidc/adapter.ts).
 */
import { randomBytes, createPublicKey } from 'node:crypto';
import { RegistryError } from '../../domain/errors/registry-error.js';
import { jwksProblems, type Jwks } from '../../domain/exchange/agency.js';
import { claimPermissionsProblems, redirectUrisProblems, sectorHostProblem } from '../../domain/oidc/registration.js';
import type { ClaimName, ClaimPermission, Level } from '../../domain/oidc/claims.js';
import { findOidcClient, insertOidcClient, listOidcClients, lockOidcClient, updateOidcClient, type OidcClient } from '../../store/repositories/oidc-clients.js';
import { appendPrincipalEvent } from '../../store/repositories/principal-events.js';
import type { ServiceContext } from '../context.js';

export type { OidcClient };

export interface OidcClientInput {
  name: string;
  purpose: string;
  jwks: Jwks;
  redirectUris: string[];
  postLogoutRedirectUris?: string[] | undefined;
  claims: { claim: string; required: boolean }[];
  maxLevel: Level;
  subjectType?: 'pairwise' | 'public' | undefined;
  requirePar?: boolean | undefined;
  refreshTokens?: boolean | undefined;
}

export type OidcClientChange = Partial<OidcClientInput> & { state?: 'active' | 'suspended' | undefined };

/** The subject under which a relying party's events are kept. */
export const clientEventSubject = (clientId: string) => `oidc-client:${clientId}`;

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

function checkJwks(jwks: Jwks): void {
  const problems = jwksProblems(jwks);
  // A key that is not a usable public key is refused as well (oidc-provider would fail on it later).
  jwks.keys.forEach((k, i) => {
    if (problems.length > 0) return;
    try {
      createPublicKey({ key: k as never, format: 'jwk' });
    } catch {
      problems.push(`keys/${i}: not a usable public key`);
    }
  });
  if (problems.length > 0) throw new RegistryError('JWKS_INVALID', { fields: problems.map((m) => ({ field: 'jwks', code: 'JWKS_INVALID', message: m })) });
}

function check(c: OidcClient): void {
  checkJwks(c.jwks);
  const uriProblems = [...redirectUrisProblems('redirectUris', c.redirectUris, true), ...redirectUrisProblems('postLogoutRedirectUris', c.postLogoutRedirectUris, false)];
  const sector = c.subjectType === 'pairwise' ? sectorHostProblem(c.redirectUris) : undefined;
  if (sector) uriProblems.push({ field: 'redirectUris', message: sector });
  if (uriProblems.length > 0) throw new RegistryError('OIDC_REDIRECT_URI_INVALID', { fields: uriProblems.map((p) => ({ field: p.field, code: 'OIDC_REDIRECT_URI_INVALID', message: p.message })) });
  const claimProblems = claimPermissionsProblems(c.claims, c.maxLevel);
  if (claimProblems.length > 0) throw new RegistryError('OIDC_CLAIMS_INVALID', { fields: claimProblems.map((p) => ({ field: p.field, code: 'OIDC_CLAIMS_INVALID', message: p.message })) });
}

/** What an event says of a registration: everything but the keys (their IDs only). */
function described(c: OidcClient): Record<string, unknown> {
  return { name: c.name, purpose: c.purpose, kids: c.jwks.keys.map((k) => k.kid), redirectUris: c.redirectUris, postLogoutRedirectUris: c.postLogoutRedirectUris, claims: c.claims, maxLevel: c.maxLevel, subjectType: c.subjectType, requirePar: c.requirePar, refreshTokens: c.refreshTokens, state: c.state };
}

export async function registerOidcClient(ctx: ServiceContext, input: OidcClientInput, actorId: string): Promise<OidcClient> {
  const at = ctx.clock.now().toISOString();
  const client: OidcClient = {
    clientId: `rp-${[...randomBytes(12)].map((b) => ALPHABET[b & 31]).join('')}`,
    name: input.name,
    purpose: input.purpose,
    jwks: input.jwks,
    redirectUris: input.redirectUris,
    postLogoutRedirectUris: input.postLogoutRedirectUris ?? [],
    claims: input.claims as ClaimPermission[],
    maxLevel: input.maxLevel,
    subjectType: input.subjectType ?? 'pairwise',
    requirePar: input.requirePar ?? false,
    refreshTokens: input.refreshTokens ?? false,
    state: 'active',
    createdAt: at,
    updatedAt: at,
  };
  check(client);
  await ctx.store.transaction(async (tx) => {
    await insertOidcClient(tx, client);
    await appendPrincipalEvent(tx, { principalId: clientEventSubject(client.clientId), at, actorId, kind: 'oidc-client-registered', details: described(client) });
  });
  return client;
}

export async function getOidcClient(ctx: ServiceContext, clientId: string): Promise<OidcClient> {
  const c = await findOidcClient(ctx.store.db, clientId);
  if (!c) throw new RegistryError('OIDC_CLIENT_NOT_FOUND');
  return c;
}

/** The registration of `clientId`, or undefined (the sign-in pages and the demo ask without failing). */
export const lookUpOidcClient = (store: ServiceContext['store'], clientId: string): Promise<OidcClient | undefined> => findOidcClient(store.db, clientId);

export const getOidcClients = (ctx: ServiceContext) => listOidcClients(ctx.store.db);

export async function changeOidcClient(ctx: ServiceContext, clientId: string, change: OidcClientChange, actorId: string): Promise<OidcClient> {
  const at = ctx.clock.now().toISOString();
  return ctx.store.transaction(async (tx) => {
    const before = await lockOidcClient(tx, clientId);
    if (!before) throw new RegistryError('OIDC_CLIENT_NOT_FOUND');
    const defined = Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)) as OidcClientChange;
    const after: OidcClient = { ...before, ...defined, claims: (defined.claims ?? before.claims) as ClaimPermission[], updatedAt: at };
    check(after);
    await updateOidcClient(tx, after);
    const changed = Object.keys(defined);
    await appendPrincipalEvent(tx, { principalId: clientEventSubject(clientId), at, actorId, kind: 'oidc-client-changed', details: { changed, ...described(after) } });
    return after;
  });
}

/** The claims a registration allows. */
export const allowedClaims = (c: OidcClient): ClaimName[] => c.claims.map((p) => p.claim);
