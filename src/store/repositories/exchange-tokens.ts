/**
 * Agency access tokens (stored as SHA-256 hashes, like officer tokens) and the IDs of client
 * assertions already used (a replayed assertion collides on the key).
 */
import { RegistryError } from '../../domain/errors/registry-error.js';
import { isUniqueViolation } from '../connect.js';
import { preparedRead } from '../fast-read.js';
import type { Db } from '../schema.js';

export async function insertExchangeToken(db: Db, t: { tokenHash: string; connectionId: string; issuedAt: string; expiresAt: string }): Promise<void> {
  await db.insertInto('exchange_token').values({ token_hash: t.tokenHash, connection_id: t.connectionId, issued_at: t.issuedAt, expires_at: t.expiresAt }).execute();
}

const tokenByHash = preparedRead(1, (db, hash: string) => db.selectFrom('exchange_token').select(['connection_id', 'expires_at']).where('token_hash', '=', hash));

export async function findExchangeToken(db: Db, tokenHash: string): Promise<{ connectionId: string; expiresAt: string } | undefined> {
  const r = await tokenByHash.first(db, tokenHash);
  return r ? { connectionId: r.connection_id, expiresAt: r.expires_at } : undefined;
}

/** Termination revokes every credential for good. */
export async function deleteExchangeTokens(db: Db, connectionId: string): Promise<void> {
  await db.deleteFrom('exchange_token').where('connection_id', '=', connectionId).execute();
}

/** Records an assertion ID; a second use of the same one is refused (ASSERTION_REPLAYED). */
export async function useAssertionId(db: Db, connectionId: string, jti: string, expiresAt: string): Promise<void> {
  try {
    await db.insertInto('assertion_jti').values({ connection_id: connectionId, jti, expires_at: expiresAt }).execute();
  } catch (e) {
    if (isUniqueViolation(e)) throw new RegistryError('ASSERTION_REPLAYED');
    throw e;
  }
}

/** Forgets what can no longer be used: expired tokens and assertion IDs past their expiry. */
export async function purgeExpired(db: Db, now: string): Promise<void> {
  await db.deleteFrom('exchange_token').where('expires_at', '<', now).execute();
  await db.deleteFrom('assertion_jti').where('expires_at', '<', now).execute();
}
