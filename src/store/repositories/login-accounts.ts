/**
 * Accounts that sign in, the challenges between sign-in steps, sessions, and failed-attempt counts
 * (migration 0020; decision 0038). Secrets are stored only as SHA-256 hashes (challenges, sessions)
 * or as scrypt hashes (passwords); the TOTP secret is stored as it must be used.
 */
import { sql } from 'kysely';
import type { Db } from '../schema.js';
import type { LoginAccountTable, AuthSessionTable } from '../schema-auth.js';
import { isSqlite } from '../dialect.js';

export interface LoginAccount {
  principalId: string;
  login: string;
  passwordHash: string;
  passwordChangedAt: string;
  mustChangePassword: boolean;
  secondFactor?: 'totp' | 'sms';
  totpSecret?: string;
  totpLastStep?: number;
  phone?: string;
  lockedAt?: string;
  lockReason?: string;
  createdAt: string;
}

function toAccount(r: LoginAccountTable): LoginAccount {
  return {
    principalId: r.principal_id,
    login: r.login,
    passwordHash: r.password_hash,
    passwordChangedAt: r.password_changed_at,
    mustChangePassword: Number(r.must_change_password) === 1,
    ...(r.second_factor === 'totp' || r.second_factor === 'sms' ? { secondFactor: r.second_factor } : {}),
    ...(r.totp_secret ? { totpSecret: r.totp_secret } : {}),
    ...(r.totp_last_step !== null ? { totpLastStep: Number(r.totp_last_step) } : {}),
    ...(r.phone ? { phone: r.phone } : {}),
    ...(r.locked_at ? { lockedAt: r.locked_at } : {}),
    ...(r.lock_reason ? { lockReason: r.lock_reason } : {}),
    createdAt: r.created_at,
  };
}

export async function insertLoginAccount(db: Db, a: { principalId: string; login: string; passwordHash: string; at: string; smsPhone?: string | undefined }): Promise<void> {
  await db
    .insertInto('login_account')
    .values({ principal_id: a.principalId, login: a.login, password_hash: a.passwordHash, password_changed_at: a.at, must_change_password: 1, second_factor: a.smsPhone ? 'sms' : null, totp_secret: null, totp_last_step: null, phone: a.smsPhone ?? null, locked_at: null, lock_reason: null, created_at: a.at })
    .execute();
}

export async function findAccountByLogin(db: Db, login: string): Promise<LoginAccount | undefined> {
  const r = await db.selectFrom('login_account').selectAll().where('login', '=', login).executeTakeFirst();
  return r ? toAccount(r) : undefined;
}

/**
 * The account, read first in a write transaction and locked until it ends (PostgreSQL: FOR UPDATE;
 * SQLite's write transactions already hold the one writer lock), so that two sign-ins, enrolments or
 * resets of one account run one after the other.
 */
export async function lockAccount(db: Db, principalId: string): Promise<LoginAccount | undefined> {
  const q = db.selectFrom('login_account').selectAll().where('principal_id', '=', principalId);
  const r = await (isSqlite(db) ? q : q.forUpdate()).executeTakeFirst();
  return r ? toAccount(r) : undefined;
}

export async function findAccount(db: Db, principalId: string): Promise<LoginAccount | undefined> {
  const r = await db.selectFrom('login_account').selectAll().where('principal_id', '=', principalId).executeTakeFirst();
  return r ? toAccount(r) : undefined;
}

export async function listAccounts(db: Db): Promise<(LoginAccount & { name: string; role: string; unit?: string; revokedAt?: string })[]> {
  const rows = await db
    .selectFrom('login_account')
    .innerJoin('principal', 'principal.id', 'login_account.principal_id')
    .selectAll('login_account')
    .select(['principal.name', 'principal.role', 'principal.unit', 'principal.revoked_at'])
    .orderBy('login_account.login')
    .execute();
  return rows.map((r) => ({ ...toAccount(r), name: r.name, role: r.role, ...(r.unit ? { unit: r.unit } : {}), ...(r.revoked_at ? { revokedAt: r.revoked_at } : {}) }));
}

export type AccountChange = Partial<Pick<LoginAccountTable, 'password_hash' | 'password_changed_at' | 'must_change_password' | 'second_factor' | 'totp_secret' | 'totp_last_step' | 'phone' | 'locked_at' | 'lock_reason'>>;

export async function updateAccount(db: Db, principalId: string, change: AccountChange): Promise<void> {
  await db.updateTable('login_account').set(change).where('principal_id', '=', principalId).execute();
}

// ------------------------------------------------------------------ challenges

export interface SignInChallenge {
  principalId: string;
  stage: 'set-password' | 'enrol-totp' | 'totp' | 'sms';
  createdAt: string;
  expiresAt: string;
  attempts: number;
  pendingSecret?: string;
  spentAt?: string;
  /** An SMS code: its hash and expiry, how many were sent, the last when. */
  codeHash?: string;
  codeExpiresAt?: string;
  sends: number;
  lastSentAt?: string;
}

export async function insertChallenge(db: Db, hash: string, c: { principalId: string; stage: SignInChallenge['stage']; at: string; expiresAt: string; pendingSecret?: string }): Promise<void> {
  await db
    .insertInto('sign_in_challenge')
    .values({ challenge_hash: hash, principal_id: c.principalId, stage: c.stage, created_at: c.at, expires_at: c.expiresAt, attempts: 0, pending_secret: c.pendingSecret ?? null, spent_at: null, code_hash: null, code_expires_at: null, sends: 0, last_sent_at: null })
    .execute();
}

export async function findChallenge(db: Db, hash: string): Promise<SignInChallenge | undefined> {
  const r = await db.selectFrom('sign_in_challenge').selectAll().where('challenge_hash', '=', hash).executeTakeFirst();
  if (!r) return undefined;
  return {
    principalId: r.principal_id,
    stage: r.stage as SignInChallenge['stage'],
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    attempts: Number(r.attempts),
    ...(r.pending_secret ? { pendingSecret: r.pending_secret } : {}),
    ...(r.spent_at ? { spentAt: r.spent_at } : {}),
    ...(r.code_hash ? { codeHash: r.code_hash } : {}),
    ...(r.code_expires_at ? { codeExpiresAt: r.code_expires_at } : {}),
    sends: Number(r.sends),
    ...(r.last_sent_at ? { lastSentAt: r.last_sent_at } : {}),
  };
}

export async function updateChallenge(
  db: Db,
  hash: string,
  change: { stage?: SignInChallenge['stage']; attempts?: number; pendingSecret?: string | null; spentAt?: string; code?: { hash: string; expiresAt: string; sends: number; sentAt: string } },
): Promise<void> {
  await db
    .updateTable('sign_in_challenge')
    .set({
      ...(change.stage !== undefined ? { stage: change.stage } : {}),
      ...(change.attempts !== undefined ? { attempts: change.attempts } : {}),
      ...(change.pendingSecret !== undefined ? { pending_secret: change.pendingSecret } : {}),
      ...(change.spentAt !== undefined ? { spent_at: change.spentAt } : {}),
      ...(change.code ? { code_hash: change.code.hash, code_expires_at: change.code.expiresAt, sends: change.code.sends, last_sent_at: change.code.sentAt } : {}),
    })
    .where('challenge_hash', '=', hash)
    .execute();
}

/** Spends every open challenge of a principal (a password reset or lock ends sign-ins under way). */
export async function spendChallenges(db: Db, principalId: string, at: string): Promise<void> {
  await db.updateTable('sign_in_challenge').set({ spent_at: at }).where('principal_id', '=', principalId).where('spent_at', 'is', null).execute();
}

/** Forgets challenges that expired before `before` (they can no longer be used). */
export async function deleteExpiredChallenges(db: Db, before: string): Promise<void> {
  await db.deleteFrom('sign_in_challenge').where('expires_at', '<', before).execute();
}

// ------------------------------------------------------------------ sessions

export interface AuthSession {
  sessionId: string;
  principalId: string;
  createdAt: string;
  lastSeenAt: string;
  revokedAt?: string;
  revokedBy?: string;
  sourceIp?: string;
  userAgent?: string;
}

function toSession(r: AuthSessionTable): AuthSession {
  return {
    sessionId: r.session_id,
    principalId: r.principal_id,
    createdAt: r.created_at,
    lastSeenAt: r.last_seen_at,
    ...(r.revoked_at ? { revokedAt: r.revoked_at } : {}),
    ...(r.revoked_by ? { revokedBy: r.revoked_by } : {}),
    ...(r.source_ip ? { sourceIp: r.source_ip } : {}),
    ...(r.user_agent ? { userAgent: r.user_agent } : {}),
  };
}

export async function insertSession(db: Db, hash: string, s: AuthSession): Promise<void> {
  await db
    .insertInto('auth_session')
    .values({ session_hash: hash, session_id: s.sessionId, principal_id: s.principalId, created_at: s.createdAt, last_seen_at: s.lastSeenAt, revoked_at: null, revoked_by: null, source_ip: s.sourceIp ?? null, user_agent: s.userAgent ?? null })
    .execute();
}

/** The session with this cookie hash, with its principal and whether its account is locked. */
export async function findSessionByHash(db: Db, hash: string): Promise<(AuthSession & { accountLocked: boolean }) | undefined> {
  const r = await db
    .selectFrom('auth_session')
    .leftJoin('login_account', 'login_account.principal_id', 'auth_session.principal_id')
    .selectAll('auth_session')
    .select('login_account.locked_at')
    .where('auth_session.session_hash', '=', hash)
    .executeTakeFirst();
  return r ? { ...toSession(r), accountLocked: r.locked_at !== null } : undefined;
}

export async function touchSession(db: Db, hash: string, at: string): Promise<void> {
  await db.updateTable('auth_session').set({ last_seen_at: at }).where('session_hash', '=', hash).where('revoked_at', 'is', null).execute();
}

export async function listSessions(db: Db, principalId: string): Promise<AuthSession[]> {
  const rows = await db.selectFrom('auth_session').selectAll().where('principal_id', '=', principalId).orderBy('created_at', 'desc').orderBy('session_id').execute();
  return rows.map(toSession);
}

/** Revokes the principal's sessions (one by ID, or all but `except`); returns the IDs revoked. */
export async function revokeSessions(db: Db, principalId: string, at: string, by: string, only?: { sessionId?: string; except?: string }): Promise<string[]> {
  let q = db.selectFrom('auth_session').select('session_id').where('principal_id', '=', principalId).where('revoked_at', 'is', null);
  if (only?.sessionId !== undefined) q = q.where('session_id', '=', only.sessionId);
  if (only?.except !== undefined) q = q.where('session_id', '!=', only.except);
  const ids = (await q.orderBy('session_id').execute()).map((r) => r.session_id);
  if (ids.length > 0) await db.updateTable('auth_session').set({ revoked_at: at, revoked_by: by }).where('session_id', 'in', ids).where('revoked_at', 'is', null).execute();
  return ids;
}

// ------------------------------------------------------------------ failed attempts

/**
 * Counts one more failure under `key` at `at`, atomically (two failures at once both count); a
 * count whose last failure is before `forgetBefore` starts again at 1. Returns the new count.
 */
export async function addFailure(db: Db, key: string, at: string, forgetBefore: string): Promise<{ failures: number; lastFailureAt: string }> {
  const r = await db
    .insertInto('sign_in_failure')
    .values({ failure_key: key, failures: 1, last_failure_at: at })
    .onConflict((oc) =>
      oc.column('failure_key').doUpdateSet({
        failures: sql<number>`case when sign_in_failure.last_failure_at < ${forgetBefore} then 1 else sign_in_failure.failures + 1 end`,
        last_failure_at: at,
      }),
    )
    .returning(['failures', 'last_failure_at'])
    .executeTakeFirstOrThrow();
  return { failures: Number(r.failures), lastFailureAt: r.last_failure_at };
}

/**
 * The count under `key` (made at 0 if there was none), its row locked until the transaction ends
 * (PostgreSQL: the upsert's row lock; SQLite's write transactions hold the one writer lock): a check
 * of the count and the count that follows it run one attempt at a time.
 */
export async function lockFailures(db: Db, key: string, at: string): Promise<{ failures: number; lastFailureAt: string }> {
  const r = await db
    .insertInto('sign_in_failure')
    .values({ failure_key: key, failures: 0, last_failure_at: at })
    .onConflict((oc) => oc.column('failure_key').doUpdateSet({ failures: sql<number>`sign_in_failure.failures` }))
    .returning(['failures', 'last_failure_at'])
    .executeTakeFirstOrThrow();
  return { failures: Number(r.failures), lastFailureAt: r.last_failure_at };
}

/** Takes back one counted attempt under `key` (it turned out not to be a failure). */
export async function takeBackFailure(db: Db, key: string): Promise<void> {
  await db.updateTable('sign_in_failure').set({ failures: sql<number>`failures - 1` }).where('failure_key', '=', key).where('failures', '>', 0).execute();
}

export async function clearFailures(db: Db, key: string): Promise<void> {
  await db.deleteFrom('sign_in_failure').where('failure_key', '=', key).execute();
}

/**
 * Locks a principal's row until the transaction ends (PostgreSQL; SQLite's write transactions hold
 * the one writer lock), so that two writers of its events do not race for the same seq.
 */
export async function lockPrincipal(db: Db, principalId: string): Promise<void> {
  if (isSqlite(db)) return;
  await db.selectFrom('principal').select('id').where('id', '=', principalId).forUpdate().execute();
}
