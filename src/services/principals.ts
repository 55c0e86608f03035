/**
 * Principals and bearer tokens. A token is shown once when created; only its SHA-256 hash is
 * stored, so a stolen database does not yield usable tokens. Revocation takes effect at once:
 * every request looks the hash up.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { RegistryError } from '../domain/errors/registry-error.js';
import {
  findPrincipalByTokenHash,
  insertPrincipal,
  insertToken,
  listPrincipals,
  revokePrincipal,
  type Principal,
} from '../store/repositories/principals.js';
import type { Store } from '../store/connect.js';
import { findCitizen } from '../store/repositories/citizens.js';
import { resolvePersonalId } from '../store/repositories/personal-ids.js';
import type { Clock } from './clock.js';
import { ROLES, type Role } from './context.js';

export type { Principal };

const TOKEN_PREFIX = 'dcu_';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** Who acts when a principal is created or revoked from the command line (no principal signs in there). */
export const CLI_ACTOR = 'system:cli';

/**
 * Creates a principal; `actorId` (the admin principal, or the CLI / system) is recorded in its
 * `created` event. A `citizen` principal is bound to the personal ID of a registered citizen (and
 * acts for that person only); no other role carries one.
 */
export async function createPrincipal(
  store: Store,
  clock: Clock,
  name: string,
  role: Role,
  actorId: string = CLI_ACTOR,
  bound: { personalId?: string | undefined; unit?: string | undefined } = {},
): Promise<{ principal: Principal; token: string }> {
  if (role !== 'citizen' && bound.personalId !== undefined) throw new RegistryError('PERSONAL_ID_NOT_FOR_ROLE');
  if (role === 'citizen' && bound.personalId === undefined) throw new RegistryError('CITIZEN_PRINCIPAL_UNBOUND');
  const at = clock.now().toISOString();
  const principal: Principal = { id: randomUUID(), name, role, createdAt: at, ...(bound.unit ? { unit: bound.unit } : {}), ...(bound.personalId ? { personalId: bound.personalId } : {}) };
  const token = newToken();
  await store.transaction(async (tx) => {
    if (bound.personalId !== undefined && !(await findCitizen(tx, bound.personalId))) throw new RegistryError('CITIZEN_PRINCIPAL_UNBOUND');
    await insertPrincipal(tx, principal, actorId);
    await insertToken(tx, hashToken(token), principal.id, at);
  });
  return { principal, token };
}

export async function authenticate(store: Store, token: string): Promise<Principal | undefined> {
  if (!token.startsWith(TOKEN_PREFIX)) return undefined;
  const principal = await findPrincipalByTokenHash(store.db, hashToken(token));
  if (principal?.role !== 'citizen' || principal.personalId === undefined) return principal;
  // A citizen bound to a number since cancelled (a legal re-issue) acts as the person under their current number.
  const chain = await resolvePersonalId(store.db, principal.personalId);
  const current = chain[chain.length - 1] as string;
  return current === principal.personalId ? principal : { ...principal, personalId: current };
}

export async function getPrincipals(store: Store): Promise<Principal[]> {
  return listPrincipals(store.db);
}

export async function revoke(store: Store, clock: Clock, principalId: string, actorId: string = CLI_ACTOR): Promise<void> {
  const done = await store.transaction((tx) => revokePrincipal(tx, principalId, clock.now().toISOString(), actorId));
  if (!done) throw new RegistryError('PRINCIPAL_NOT_FOUND');
}
