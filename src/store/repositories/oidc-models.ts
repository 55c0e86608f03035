/**
 * What oidc-provider stores (migration 0023; decision 0043): one row per model instance, its JSON
 * payload and the columns it is found by. Expiry is the provider's; expired rows are never
 * answered and are swept.
 */
import type { Db } from '../schema.js';
import type { OidcModelTable } from '../schema-oidc.js';

export interface ModelRow {
  payload: Record<string, unknown>;
  expiresAt?: string;
  consumedAt?: string;
}

function toRow(r: Pick<OidcModelTable, 'payload' | 'expires_at' | 'consumed_at'>): ModelRow {
  return { payload: JSON.parse(r.payload) as Record<string, unknown>, ...(r.expires_at ? { expiresAt: r.expires_at } : {}), ...(r.consumed_at ? { consumedAt: r.consumed_at } : {}) };
}

export async function upsertModel(db: Db, row: Omit<OidcModelTable, 'consumed_at'>): Promise<void> {
  await db
    .insertInto('oidc_model')
    .values({ ...row, consumed_at: null })
    .onConflict((oc) => oc.columns(['kind', 'id']).doUpdateSet({ payload: row.payload, grant_id: row.grant_id, uid: row.uid, user_code: row.user_code, account_id: row.account_id, client_id: row.client_id, expires_at: row.expires_at }))
    .execute();
}

/** The row, unless it has expired at `now`. */
export async function findModel(db: Db, kind: string, column: 'id' | 'uid' | 'user_code', value: string, now: string): Promise<ModelRow | undefined> {
  const r = await db
    .selectFrom('oidc_model')
    .select(['payload', 'expires_at', 'consumed_at'])
    .where('kind', '=', kind)
    .where(column, '=', value)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .executeTakeFirst();
  return r ? toRow(r) : undefined;
}

/**
 * Marks a code (or a rotated refresh token) consumed, unless it already was: true for the one
 * caller that consumed it — the row's update decides between two exchanges of one code at once.
 */
export async function consumeModel(db: Db, kind: string, id: string, at: string): Promise<boolean> {
  const r = await db.updateTable('oidc_model').set({ consumed_at: at }).where('kind', '=', kind).where('id', '=', id).where('consumed_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The grant a model row belongs to, if any. */
export async function grantOfModel(db: Db, kind: string, id: string): Promise<string | undefined> {
  const r = await db.selectFrom('oidc_model').select('grant_id').where('kind', '=', kind).where('id', '=', id).executeTakeFirst();
  return r?.grant_id ?? undefined;
}

/**
 * Deletes the grant's own row and says whose it was, if this call deleted it: of several revocations
 * of one grant at once (oidc-provider revokes each model's rows in parallel), exactly one is told.
 */
export async function deleteGrantRow(db: Db, grantId: string): Promise<{ accountId: string; clientId: string } | undefined> {
  const r = await db.deleteFrom('oidc_model').where('kind', '=', 'Grant').where('id', '=', grantId).returning(['account_id', 'client_id']).executeTakeFirst();
  return r?.account_id && r.client_id ? { accountId: r.account_id, clientId: r.client_id } : undefined;
}

export async function destroyModel(db: Db, kind: string, id: string): Promise<void> {
  await db.deleteFrom('oidc_model').where('kind', '=', kind).where('id', '=', id).execute();
}

/** Every row of a grant, of any kind (codes, tokens, the grant itself): a revocation. */
export async function destroyGrant(db: Db, grantId: string): Promise<void> {
  await db
    .deleteFrom('oidc_model')
    .where((eb) => eb.or([eb('grant_id', '=', grantId), eb.and([eb('kind', '=', 'Grant'), eb('id', '=', grantId)])]))
    .execute();
}

/** Rows that expired before `now` (a sweep); returns how many went. */
export async function sweepExpiredModels(db: Db, now: string): Promise<number> {
  const r = await db.deleteFrom('oidc_model').where('expires_at', '<=', now).executeTakeFirst();
  return Number(r.numDeletedRows ?? 0);
}

export interface GrantRow {
  grantId: string;
  clientId: string;
  payload: Record<string, unknown>;
}

/** An account's live grants (one per relying party it allowed). */
export async function grantsOfAccount(db: Db, accountId: string, now: string): Promise<GrantRow[]> {
  const rows = await db
    .selectFrom('oidc_model')
    .select(['id', 'client_id', 'payload'])
    .where('account_id', '=', accountId)
    .where('kind', '=', 'Grant')
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ grantId: r.id, clientId: r.client_id ?? '', payload: JSON.parse(r.payload) as Record<string, unknown> }));
}
