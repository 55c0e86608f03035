/**
 * What a failed database call means for the caller, on either dialect: a lost race (another
 * writer got there first: 409 CONCURRENT_UPDATE) or a store that cannot be reached right now
 * (503 STORE_UNAVAILABLE: PostgreSQL restarting or unreachable, SQLite locked past its busy
 * timeout). Anything else is not classified and stays a bug (500).
 */
import { RegistryError, isRegistryError } from '../domain/errors/registry-error.js';

/** SQLite's extended result codes for a violated primary key and unique constraint. */
const SQLITE_CONSTRAINT_PRIMARYKEY = 1555;
const SQLITE_CONSTRAINT_UNIQUE = 2067;

/** Unique-key violations on either dialect (pg's SQLSTATE; node:sqlite's extended result code). */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; errcode?: number };
  return e?.code === '23505' || (e?.code === 'ERR_SQLITE_ERROR' && (e.errcode === SQLITE_CONSTRAINT_PRIMARYKEY || e.errcode === SQLITE_CONSTRAINT_UNIQUE));
}

/**
 * A unique key another writer took first, seen outside the store's transaction: there it arrives
 * already translated into 409 CONCURRENT_UPDATE (storeFailureOf), so callers that name the key in
 * their own code (LOGIN_IN_USE, an account that exists) test for both.
 */
export function isUniqueRaceLost(err: unknown): boolean {
  return isUniqueViolation(err) || (isRegistryError(err) && err.code === 'CONCURRENT_UPDATE');
}

/** PostgreSQL SQLSTATEs of a lost race: serialization failure, deadlock. */
const PG_RACE = new Set(['40001', '40P01']);
/** Admin shutdown, crash shutdown, cannot connect now, too many connections, read-only standby. */
const PG_UNAVAILABLE = new Set(['57P01', '57P02', '57P03', '53300', '25006']);
/** Socket errors from the pg driver (server down, connection dropped). */
const NET_UNAVAILABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
/** pg reports a dropped connection by message only. */
const PG_UNAVAILABLE_MESSAGE = /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed and is not queryable)/;
/** SQLite primary result codes: busy, locked, I/O error, disk full, cannot open. */
const SQLITE_UNAVAILABLE = new Set([5, 6, 10, 13, 14]);

export function isStoreUnavailable(err: unknown): boolean {
  const e = err as { code?: string; errcode?: number; message?: string } | undefined;
  if (!e || typeof e !== 'object') return false;
  if (typeof e.code === 'string' && (PG_UNAVAILABLE.has(e.code) || e.code.startsWith('08') || NET_UNAVAILABLE.has(e.code))) return true;
  if (e.code === 'ERR_SQLITE_ERROR' && typeof e.errcode === 'number' && SQLITE_UNAVAILABLE.has(e.errcode & 0xff)) return true;
  return typeof e.message === 'string' && PG_UNAVAILABLE_MESSAGE.test(e.message);
}

export function isLostRace(err: unknown): boolean {
  const code = (err as { code?: string } | undefined)?.code;
  return isUniqueViolation(err) || (typeof code === 'string' && PG_RACE.has(code));
}

/** The RegistryError a database failure stands for, or undefined when it is not one we know. */
export function storeFailureOf(err: unknown): RegistryError | undefined {
  if (isRegistryError(err)) return err;
  if (isLostRace(err)) return new RegistryError('CONCURRENT_UPDATE');
  // A restart of PostgreSQL takes seconds: clients are told to come back in one.
  if (isStoreUnavailable(err)) return new RegistryError('STORE_UNAVAILABLE', { extra: { retryAfter: 1 } });
  return undefined;
}
