/** Relying parties of the OpenID Connect provider (migration 0023; decision 0043). `find*` may return nothing. */
import type { Db } from '../schema.js';
import { isSqlite } from '../dialect.js';
import type { OidcClientTable } from '../schema-oidc.js';
import type { ClaimPermission, Level } from '../../domain/oidc/claims.js';
import type { Jwks } from '../../domain/exchange/agency.js';

export interface OidcClient {
  clientId: string;
  name: string;
  purpose: string;
  jwks: Jwks;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  claims: ClaimPermission[];
  maxLevel: Level;
  subjectType: 'pairwise' | 'public';
  requirePar: boolean;
  refreshTokens: boolean;
  state: 'active' | 'suspended';
  createdAt: string;
  updatedAt: string;
}

function toClient(r: OidcClientTable): OidcClient {
  return {
    clientId: r.client_id,
    name: r.name,
    purpose: r.purpose,
    jwks: JSON.parse(r.jwks) as Jwks,
    redirectUris: JSON.parse(r.redirect_uris) as string[],
    postLogoutRedirectUris: JSON.parse(r.post_logout_redirect_uris) as string[],
    claims: JSON.parse(r.claims) as ClaimPermission[],
    maxLevel: Number(r.max_level) === 2 ? 2 : 1,
    subjectType: r.subject_type === 'public' ? 'public' : 'pairwise',
    requirePar: Number(r.require_par) === 1,
    refreshTokens: Number(r.refresh_tokens) === 1,
    state: r.state === 'suspended' ? 'suspended' : 'active',
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function toRow(c: OidcClient): OidcClientTable {
  return {
    client_id: c.clientId,
    name: c.name,
    purpose: c.purpose,
    jwks: JSON.stringify(c.jwks),
    redirect_uris: JSON.stringify(c.redirectUris),
    post_logout_redirect_uris: JSON.stringify(c.postLogoutRedirectUris),
    claims: JSON.stringify(c.claims),
    max_level: c.maxLevel,
    subject_type: c.subjectType,
    require_par: c.requirePar ? 1 : 0,
    refresh_tokens: c.refreshTokens ? 1 : 0,
    state: c.state,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
  };
}

export async function insertOidcClient(db: Db, c: OidcClient): Promise<void> {
  await db.insertInto('oidc_client').values(toRow(c)).execute();
}

export async function updateOidcClient(db: Db, c: OidcClient): Promise<void> {
  const { client_id, created_at, ...rest } = toRow(c);
  void created_at;
  await db.updateTable('oidc_client').set(rest).where('client_id', '=', client_id).execute();
}

export async function findOidcClient(db: Db, clientId: string): Promise<OidcClient | undefined> {
  const r = await db.selectFrom('oidc_client').selectAll().where('client_id', '=', clientId).executeTakeFirst();
  return r ? toClient(r) : undefined;
}

/** The row locked for the rest of the transaction (PostgreSQL FOR UPDATE; SQLite's writer lock). */
export async function lockOidcClient(db: Db, clientId: string): Promise<OidcClient | undefined> {
  const q = db.selectFrom('oidc_client').selectAll().where('client_id', '=', clientId);
  const r = await (isSqlite(db) ? q : q.forUpdate()).executeTakeFirst();
  return r ? toClient(r) : undefined;
}

export async function listOidcClients(db: Db): Promise<OidcClient[]> {
  return (await db.selectFrom('oidc_client').selectAll().orderBy('created_at').orderBy('client_id').execute()).map(toClient);
}

export async function findOidcClients(db: Db, ids: readonly string[]): Promise<OidcClient[]> {
  if (ids.length === 0) return [];
  return (await db.selectFrom('oidc_client').selectAll().where('client_id', 'in', [...ids]).execute()).map(toClient);
}
