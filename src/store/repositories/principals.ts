/** Principals (officers, admins, inspectors) and their bearer tokens, stored as SHA-256 hashes. */
import type { Db } from '../schema.js';
import { preparedRead } from '../fast-read.js';

export interface Principal {
  id: string;
  name: string;
  role: string;
  createdAt: string;
  revokedAt?: string;
}

function toPrincipal(r: { id: string; name: string; role: string; created_at: string; revoked_at: string | null }): Principal {
  const p: Principal = { id: r.id, name: r.name, role: r.role, createdAt: r.created_at };
  if (r.revoked_at) p.revokedAt = r.revoked_at;
  return p;
}

export async function insertPrincipal(db: Db, p: Principal): Promise<void> {
  await db.insertInto('principal').values({ id: p.id, name: p.name, role: p.role, created_at: p.createdAt, revoked_at: null }).execute();
}

export async function insertToken(db: Db, tokenHash: string, principalId: string, at: string): Promise<void> {
  await db.insertInto('principal_token').values({ token_hash: tokenHash, principal_id: principalId, created_at: at, revoked_at: null }).execute();
}

const principalByTokenHash = preparedRead(1, (db, tokenHash: string) =>
  db
    .selectFrom('principal_token')
    .innerJoin('principal', 'principal.id', 'principal_token.principal_id')
    .select(['principal.id', 'principal.name', 'principal.role', 'principal.created_at', 'principal.revoked_at'])
    .where('principal_token.token_hash', '=', tokenHash)
    .where('principal_token.revoked_at', 'is', null)
    .where('principal.revoked_at', 'is', null),
);

/** The active principal holding an active token with this hash. */
export async function findPrincipalByTokenHash(db: Db, tokenHash: string): Promise<Principal | undefined> {
  const r = await principalByTokenHash.first(db, tokenHash);
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

/** Revokes a principal and all its tokens; returns false when there was no such active principal. */
export async function revokePrincipal(db: Db, id: string, at: string): Promise<boolean> {
  const r = await db.updateTable('principal').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  await db.updateTable('principal_token').set({ revoked_at: at }).where('principal_id', '=', id).where('revoked_at', 'is', null).execute();
  return Number(r.numUpdatedRows) === 1;
}

