/** Principals (officers, admins, inspectors) and their bearer tokens, stored as SHA-256 hashes, each with an expiry. */
import type { Db } from '../schema.js';
import { preparedRead } from '../fast-read.js';
import { appendPrincipalEvent } from './principal-events.js';

export interface Principal {
  id: string;
  name: string;
  role: string;
  createdAt: string;
  revokedAt?: string;
  /** The officer's unit (e.g. a commune police station), shown in the access log. */
  unit?: string;
  /** A `citizen` principal acts for this personal ID only. */
  personalId?: string;
}

function toPrincipal(r: { id: string; name: string; role: string; created_at: string; revoked_at: string | null; unit: string | null; personal_id: string | null }): Principal {
  const p: Principal = { id: r.id, name: r.name, role: r.role, createdAt: r.created_at };
  if (r.revoked_at) p.revokedAt = r.revoked_at;
  if (r.unit) p.unit = r.unit;
  if (r.personal_id) p.personalId = r.personal_id;
  return p;
}

/** What a `created` event states: the principal as created (its personal ID only for a citizen principal). */
function principalDetails(p: Principal): Record<string, unknown> {
  return { name: p.name, role: p.role, unit: p.unit ?? null, personalId: p.personalId ?? null };
}

/** Inserts a principal with its `created` event (who created it: `actorId`), in the caller's transaction. */
export async function insertPrincipal(db: Db, p: Principal, actorId: string): Promise<void> {
  await db.insertInto('principal').values({ id: p.id, name: p.name, role: p.role, created_at: p.createdAt, revoked_at: null, unit: p.unit ?? null, personal_id: p.personalId ?? null }).execute();
  await appendPrincipalEvent(db, { principalId: p.id, at: p.createdAt, actorId, kind: 'created', details: principalDetails(p) });
}

export interface TokenInfo {
  tokenId: string;
  principalId: string;
  label?: string;
  createdAt: string;
  expiresAt: string;
  revokedAt?: string;
}

/** A token's public ID: the first 16 hex digits of its hash (names it in lists and revocations). */
export function tokenIdOf(tokenHash: string): string {
  return tokenHash.slice(0, 16);
}

export async function insertToken(db: Db, tokenHash: string, principalId: string, at: string, expiresAt: string, label?: string): Promise<string> {
  const tokenId = tokenIdOf(tokenHash);
  await db.insertInto('principal_token').values({ token_hash: tokenHash, principal_id: principalId, created_at: at, revoked_at: null, token_id: tokenId, label: label ?? null, expires_at: expiresAt }).execute();
  return tokenId;
}

export async function listTokens(db: Db, principalId?: string): Promise<TokenInfo[]> {
  let q = db.selectFrom('principal_token').select(['token_id', 'principal_id', 'label', 'created_at', 'expires_at', 'revoked_at']);
  if (principalId !== undefined) q = q.where('principal_id', '=', principalId);
  const rows = await q.orderBy('created_at').orderBy('token_id').execute();
  return rows.map((r) => ({
    tokenId: r.token_id ?? '',
    principalId: r.principal_id,
    ...(r.label ? { label: r.label } : {}),
    createdAt: r.created_at,
    expiresAt: r.expires_at ?? r.created_at,
    ...(r.revoked_at ? { revokedAt: r.revoked_at } : {}),
  }));
}

/** Revokes one token; returns its principal, or undefined when there was no such active token. */
export async function revokeToken(db: Db, tokenId: string, at: string): Promise<string | undefined> {
  const r = await db.selectFrom('principal_token').select('principal_id').where('token_id', '=', tokenId).where('revoked_at', 'is', null).executeTakeFirst();
  if (!r) return undefined;
  await db.updateTable('principal_token').set({ revoked_at: at }).where('token_id', '=', tokenId).where('revoked_at', 'is', null).execute();
  return r.principal_id;
}

const principalByTokenHash = preparedRead(2, (db, tokenHash: string, now: string) =>
  db
    .selectFrom('principal_token')
    .innerJoin('principal', 'principal.id', 'principal_token.principal_id')
    .leftJoin('login_account', 'login_account.principal_id', 'principal_token.principal_id')
    .leftJoin('eid_account', 'eid_account.principal_id', 'principal_token.principal_id')
    .select(['principal.id', 'principal.name', 'principal.role', 'principal.created_at', 'principal.revoked_at', 'principal.unit', 'principal.personal_id'])
    .where('principal_token.token_hash', '=', tokenHash)
    .where('principal_token.revoked_at', 'is', null)
    .where('principal_token.expires_at', '>', now)
    .where('principal.revoked_at', 'is', null)
    // An account an administrator locked gets nothing, by token either (decision 0038); nor does an
    // e-ID account that is not active — pending activation (a lapse is a pending one past its
    // deadline) or lapsed (decision 0042).
    .where('login_account.locked_at', 'is', null)
    .where((eb) => eb.or([eb('eid_account.state', 'is', null), eb('eid_account.state', '=', 'active')])),
);

/** The active principal holding an active, unexpired token with this hash (`now`: ISO instant). */
export async function findPrincipalByTokenHash(db: Db, tokenHash: string, now: string): Promise<Principal | undefined> {
  const r = await principalByTokenHash.first(db, tokenHash, now);
  return r ? toPrincipal(r) : undefined;
}

export async function findPrincipal(db: Db, id: string): Promise<Principal | undefined> {
  const r = await db.selectFrom('principal').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toPrincipal(r) : undefined;
}

export async function listPrincipals(db: Db): Promise<Principal[]> {
  const rows = await db.selectFrom('principal').selectAll().orderBy('created_at').orderBy('id').execute();
  return rows.map(toPrincipal);
}

/**
 * Revokes a principal and all its tokens, with its `revoked` event (by `actorId`); returns false
 * when there was no such active principal (and records nothing).
 */
export async function revokePrincipal(db: Db, id: string, at: string, actorId: string): Promise<boolean> {
  const r = await db.updateTable('principal').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  await db.updateTable('principal_token').set({ revoked_at: at }).where('principal_id', '=', id).where('revoked_at', 'is', null).execute();
  if (Number(r.numUpdatedRows) !== 1) return false;
  await appendPrincipalEvent(db, { principalId: id, at, actorId, kind: 'revoked', details: {} });
  return true;
}

