/**
 * Agency access tokens (stored as SHA-256 hashes, like officer tokens) and the IDs of client
 * assertions already used (a replayed assertion collides on the key).
 */
import { RegistryError } from '../../domain/errors/registry-error.js';
import { isUniqueViolation } from '../connect.js';
import { preparedRead } from '../fast-read.js';
import type { Db } from '../schema.js';
import type { Connection } from './agencies.js';
import type { ConnectionState } from '../../domain/exchange/connection-lifecycle.js';
import type { Policy } from '../../domain/exchange/policy.js';

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

const callerByToken = preparedRead(1, (db, hash: string) =>
  db
    .selectFrom('exchange_token')
    .innerJoin('exchange_connection', 'exchange_connection.connection_id', 'exchange_token.connection_id')
    .leftJoin('agency', 'agency.code', 'exchange_connection.agency_code')
    .select([
      'exchange_token.expires_at',
      'agency.state_budget_funded',
      'exchange_connection.connection_id', 'exchange_connection.agency_code', 'exchange_connection.state', 'exchange_connection.policy',
    ])
    .where('exchange_token.token_hash', '=', hash),
);

/** What serving a call needs of the connection (its keys and request history are not read). */
export type CallerConnection = Pick<Connection, 'connectionId' | 'agencyCode' | 'state' | 'policy'>;

/**
 * Who is calling, in one read by the token's hash: the token's expiry, the connection's state and
 * policy as they are now (never cached) and whether its agency is state-budget funded.
 */
export async function findCaller(db: Db, tokenHash: string): Promise<{ expiresAt: string; connection: CallerConnection; stateBudgetFunded: boolean } | undefined> {
  const r = await callerByToken.first(db, tokenHash);
  if (!r) return undefined;
  const connection: CallerConnection = {
    connectionId: r.connection_id,
    agencyCode: r.agency_code,
    state: r.state as ConnectionState,
    ...(r.policy ? { policy: JSON.parse(r.policy) as Policy } : {}),
  };
  return { expiresAt: r.expires_at, connection, stateBudgetFunded: r.state_budget_funded !== 0 };
}
