/**
 * Principals and bearer tokens. A token is shown once when created; only its SHA-256 hash is
 * stored, so a stolen database does not yield usable tokens. Revocation takes effect at once:
 * every request looks the hash up. Tokens expire (decision 0038): DANCU_TOKEN_DEFAULT_DAYS unless
 * asked otherwise, never beyond DANCU_TOKEN_MAX_DAYS; they are listed by their public ID only.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { RegistryError } from '../domain/errors/registry-error.js';
import {
  findPrincipal,
  findPrincipalByTokenHash,
  insertPrincipal,
  insertToken,
  listPrincipals,
  listTokens,
  revokePrincipal,
  revokeToken,
  type Principal,
  type TokenInfo,
} from '../store/repositories/principals.js';
import { appendPrincipalEvent } from '../store/repositories/principal-events.js';
import { lockPrincipal, revokeSessions } from '../store/repositories/login-accounts.js';
import { DEFAULT_TOKENS, tokenExpiry, type TokenPolicy } from '../domain/auth/limits.js';
import type { Store } from '../store/connect.js';
import type { Db } from '../store/schema.js';
import { findCitizen } from '../store/repositories/citizens.js';
import { findAgency } from '../store/repositories/agencies.js';
import { currentPersonalId } from '../store/repositories/personal-ids.js';
import { systemClock, type Clock } from './clock.js';
import { ROLES, type Role } from './context.js';

export type { Principal, TokenInfo };

/** A new token's lifetime (`days`: the policy's default when absent) and label. */
export interface TokenOptions {
  days?: number | undefined;
  label?: string | undefined;
  policy?: TokenPolicy;
}

function expiryOf(clock: Clock, opts: TokenOptions): string {
  const at = tokenExpiry(clock.now().getTime(), opts.days, opts.policy ?? DEFAULT_TOKENS);
  if (!at) throw new RegistryError('TOKEN_LIFETIME_INVALID');
  return at;
}

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
  bound: { personalId?: string | undefined; unit?: string | undefined; token?: TokenOptions } = {},
): Promise<{ principal: Principal; token: string; tokenId: string; expiresAt: string }> {
  if (role !== 'citizen' && bound.personalId !== undefined) throw new RegistryError('PERSONAL_ID_NOT_FOR_ROLE');
  if (role === 'citizen' && bound.personalId === undefined) throw new RegistryError('CITIZEN_PRINCIPAL_UNBOUND');
  const at = clock.now().toISOString();
  const expiresAt = expiryOf(clock, bound.token ?? {});
  const principal: Principal = { id: randomUUID(), name, role, createdAt: at, ...(bound.unit ? { unit: bound.unit } : {}), ...(bound.personalId ? { personalId: bound.personalId } : {}) };
  const token = newToken();
  let tokenId = '';
  await store.transaction(async (tx) => {
    if (bound.personalId !== undefined && !(await findCitizen(tx, bound.personalId))) throw new RegistryError('CITIZEN_PRINCIPAL_UNBOUND');
    // An agency's administrator acts for one registered agency: its code is the unit (decision 0046).
    if (role === 'agency' && !(bound.unit && (await findAgency(tx, bound.unit)))) throw new RegistryError('ACCOUNT_AGENCY_REQUIRED');
    await insertPrincipal(tx, principal, actorId);
    // The `created` event stands for the first token too (one leaf per principal created).
    tokenId = await insertToken(tx, hashToken(token), principal.id, at, expiresAt, bound.token?.label);
  });
  return { principal, token, tokenId, expiresAt };
}

/**
 * The principal holding this bearer token, if it is active, unexpired and its account not locked.
 * `clock` decides expiry (the system clock only where no request clock is at hand).
 */
export async function authenticate(store: Store, token: string, clock: Clock = systemClock): Promise<Principal | undefined> {
  if (!token.startsWith(TOKEN_PREFIX)) return undefined;
  const principal = await findPrincipalByTokenHash(store.db, hashToken(token), clock.now().toISOString());
  return principal ? asCurrentPerson(store.db, principal) : undefined;
}

/**
 * The principal as it acts: a citizen bound to a number since cancelled (a legal re-issue) acts as
 * the person under their current number. Every way in (bearer token, session cookie, the e-ID
 * provider) passes its principal through here; the stored binding is left as it was made.
 */
export async function asCurrentPerson(db: Db, principal: Principal): Promise<Principal> {
  if (principal.role !== 'citizen' || principal.personalId === undefined) return principal;
  const current = await currentPersonalId(db, principal.personalId);
  return current === principal.personalId ? principal : { ...principal, personalId: current };
}

/** A further token for an active principal (shown once), recorded as its `token-created` event. */
export async function issueToken(store: Store, clock: Clock, principalId: string, actorId: string, opts: TokenOptions = {}): Promise<{ token: string; tokenId: string; expiresAt: string }> {
  const at = clock.now().toISOString();
  const expiresAt = expiryOf(clock, opts);
  const token = newToken();
  const tokenId = await store.transaction(async (tx) => {
    await lockPrincipal(tx, principalId);
    const p = await findPrincipal(tx, principalId);
    if (!p || p.revokedAt) throw new RegistryError('PRINCIPAL_NOT_FOUND');
    const id = await insertToken(tx, hashToken(token), principalId, at, expiresAt, opts.label);
    await appendPrincipalEvent(tx, { principalId, at, actorId, kind: 'token-created', details: { tokenId: id, expiresAt, label: opts.label ?? null } });
    return id;
  });
  return { token, tokenId, expiresAt };
}

/** Tokens by public ID, expiry and state (never the secret); one principal's or all. */
export async function getTokens(store: Store, principalId?: string): Promise<TokenInfo[]> {
  return listTokens(store.db, principalId);
}

/** Revokes one token by its public ID, effective on the next request; recorded as `token-revoked`. */
export async function revokeTokenById(store: Store, clock: Clock, tokenId: string, actorId: string = CLI_ACTOR, ofPrincipal?: string): Promise<void> {
  const at = clock.now().toISOString();
  await store.transaction(async (tx) => {
    const owner = await revokeToken(tx, tokenId, at);
    if (!owner || (ofPrincipal !== undefined && owner !== ofPrincipal)) throw new RegistryError('TOKEN_NOT_FOUND');
    await appendPrincipalEvent(tx, { principalId: owner, at, actorId, kind: 'token-revoked', details: { tokenId } });
  });
}

export async function getPrincipals(store: Store): Promise<Principal[]> {
  return listPrincipals(store.db);
}

export async function revoke(store: Store, clock: Clock, principalId: string, actorId: string = CLI_ACTOR): Promise<void> {
  const at = clock.now().toISOString();
  const done = await store.transaction(async (tx) => {
    if (!(await revokePrincipal(tx, principalId, at, actorId))) return false;
    // Its sessions end with it (the `revoked` event covers them).
    await revokeSessions(tx, principalId, at, actorId);
    return true;
  });
  if (!done) throw new RegistryError('PRINCIPAL_NOT_FOUND');
}
