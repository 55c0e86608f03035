/**
 * Agency access tokens (stored as SHA-256 hashes, like officer tokens) and the IDs of client
 * assertions already used (a replayed assertion collides on the key).
 */
import { RegistryError } from '../../domain/errors/registry-error.js';
import { isUniqueViolation } from '../failures.js';
import { preparedRead } from '../fast-read.js';
import type { Db } from '../schema.js';
import type { Connection } from './agencies.js';
import type { ConnectionState } from '../../domain/exchange/connection-lifecycle.js';
import type { Policy } from '../../domain/exchange/policy.js';
import type { AgencyType } from '../../domain/exchange/agency.js';
import type { UsagePeriods } from './access-log.js';

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

const callerByToken = preparedRead(5, (db, hash: string, day: string, hour: string, minute: string, previousMinute: string) =>
  db
    .selectFrom('exchange_token')
    .innerJoin('exchange_connection', 'exchange_connection.connection_id', 'exchange_token.connection_id')
    .leftJoin('agency', 'agency.code', 'exchange_connection.agency_code')
    .select((eb) => {
      const calls = (period: string) =>
        eb.selectFrom('connection_usage').select('connection_usage.calls').whereRef('connection_usage.connection_id', '=', 'exchange_connection.connection_id').where('connection_usage.period', '=', period);
      return [
        'exchange_token.expires_at',
        'agency.state_budget_funded',
        'agency.type as agency_type',
        'exchange_connection.connection_id', 'exchange_connection.agency_code', 'exchange_connection.state', 'exchange_connection.policy',
        calls(day).as('day_calls'),
        calls(hour).as('hour_calls'),
        calls(minute).as('minute_calls'),
        calls(previousMinute).as('previous_minute_calls'),
      ];
    })
    .where('exchange_token.token_hash', '=', hash),
);

/** What serving a call needs of the connection (its keys and request history are not read). */
export type CallerConnection = Pick<Connection, 'connectionId' | 'agencyCode' | 'state' | 'policy'>;

/** Served calls of the connection counted so far in the periods of a call (see UsagePeriods). */
export interface CallerUsage {
  day: number;
  hour: number;
  minute: number;
  previousMinute: number;
}

/**
 * Who is calling, in one read by the token's hash: the token's expiry, the connection's state and
 * policy as they are now (never cached), whether its agency is state-budget funded, and its usage
 * counters for the call's day, hour, minute and the minute before — shared by every server process.
 */
export async function findCaller(
  db: Db,
  tokenHash: string,
  periods: UsagePeriods & { previousMinute: string },
): Promise<{ expiresAt: string; connection: CallerConnection; stateBudgetFunded: boolean; agencyType: AgencyType | undefined; usage: CallerUsage } | undefined> {
  const r = await callerByToken.first(db, tokenHash, periods.day, periods.hour, periods.minute, periods.previousMinute);
  if (!r) return undefined;
  const connection: CallerConnection = {
    connectionId: r.connection_id,
    agencyCode: r.agency_code,
    state: r.state as ConnectionState,
    ...(r.policy ? { policy: JSON.parse(r.policy) as Policy } : {}),
  };
  const usage: CallerUsage = {
    day: Number(r.day_calls ?? 0),
    hour: Number(r.hour_calls ?? 0),
    minute: Number(r.minute_calls ?? 0),
    previousMinute: Number(r.previous_minute_calls ?? 0),
  };
  return { expiresAt: r.expires_at, connection, stateBudgetFunded: r.state_budget_funded !== 0, agencyType: (r.agency_type ?? undefined) as AgencyType | undefined, usage };
}
