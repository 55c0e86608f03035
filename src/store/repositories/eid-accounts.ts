/**
 * Citizens' e-ID accounts (migration 0022; decision 0042): the level and state beside the
 * `login_account` that signs in, and the one-time codes of e-ID steps other than signing in (their
 * hashes only). `find*` may return nothing.
 */
import type { Db } from '../schema.js';
import type { EidAccountTable, EidChallengeTable } from '../schema-auth.js';
import { isSqlite } from '../dialect.js';
import type { EidLevel, EidState } from '../../domain/eid/rules.js';

export type { EidLevel, EidState };

export interface EidAccount {
  principalId: string;
  personalId: string;
  level: EidLevel;
  state: EidState;
  createdAt: string;
  noticeAt: string;
  activationDeadline: string;
  activatedAt?: string;
  level2At?: string;
  level2By?: string;
  representativeId?: string;
  email?: string;
  lockKind?: 'self' | 'authority';
}

export function toEidAccount(r: EidAccountTable): EidAccount {
  return {
    principalId: r.principal_id,
    personalId: r.personal_id,
    level: Number(r.level) === 2 ? 2 : 1,
    state: r.state as EidState,
    createdAt: r.created_at,
    noticeAt: r.notice_at,
    activationDeadline: r.activation_deadline,
    ...(r.activated_at ? { activatedAt: r.activated_at } : {}),
    ...(r.level2_at ? { level2At: r.level2_at } : {}),
    ...(r.level2_by ? { level2By: r.level2_by } : {}),
    ...(r.representative_id ? { representativeId: r.representative_id } : {}),
    ...(r.email ? { email: r.email } : {}),
    ...(r.lock_kind === 'self' || r.lock_kind === 'authority' ? { lockKind: r.lock_kind } : {}),
  };
}

export async function findEidAccount(db: Db, principalId: string): Promise<EidAccount | undefined> {
  const r = await db.selectFrom('eid_account').selectAll().where('principal_id', '=', principalId).executeTakeFirst();
  return r ? toEidAccount(r) : undefined;
}

/**
 * The account of one person under any of their numbers (`numbersOfPerson`: a legal re-issue leaves
 * the account under the number it was made with). Should there be one under several, the one under
 * the earliest number of the list (the current one first).
 */
export async function findEidAccountOfPerson(db: Db, numbers: readonly string[]): Promise<EidAccount | undefined> {
  if (numbers.length === 0) return undefined;
  const rows = await db.selectFrom('eid_account').selectAll().where('personal_id', 'in', [...numbers]).execute();
  const r = rows.sort((a, b) => numbers.indexOf(a.personal_id) - numbers.indexOf(b.personal_id))[0];
  return r ? toEidAccount(r) : undefined;
}

export async function insertEidAccount(db: Db, a: { principalId: string; personalId: string; level: EidLevel; state: EidState; at: string; activationDeadline: string; activatedAt?: string; level2By?: string; representativeId?: string }): Promise<void> {
  await db
    .insertInto('eid_account')
    .values({
      principal_id: a.principalId,
      personal_id: a.personalId,
      level: a.level,
      state: a.state,
      created_at: a.at,
      notice_at: a.at,
      activation_deadline: a.activationDeadline,
      activated_at: a.activatedAt ?? null,
      level2_at: a.level === 2 ? a.at : null,
      level2_by: a.level2By ?? null,
      representative_id: a.representativeId ?? null,
      email: null,
      lock_kind: null,
    })
    .execute();
}

export type EidAccountChange = Partial<Pick<EidAccountTable, 'level' | 'state' | 'notice_at' | 'activation_deadline' | 'activated_at' | 'level2_at' | 'level2_by' | 'representative_id' | 'email' | 'lock_kind'>>;

export async function updateEidAccount(db: Db, principalId: string, change: EidAccountChange): Promise<void> {
  await db.updateTable('eid_account').set(change).where('principal_id', '=', principalId).execute();
}

/** Pending accounts whose activation deadline is at or before `now` (the sweep marks them lapsed). */
export async function listOverdueEidAccounts(db: Db, now: string, limit: number): Promise<EidAccount[]> {
  const rows = await db.selectFrom('eid_account').selectAll().where('state', '=', 'pending-activation').where('activation_deadline', '<=', now).orderBy('activation_deadline').orderBy('principal_id').limit(limit).execute();
  return rows.map(toEidAccount);
}

/**
 * Marks the account lapsed only while it is still pending with its deadline at or before `now` (the
 * counter may have issued a new notice since the sweep listed it); whether it did.
 */
export async function markEidAccountLapsed(db: Db, principalId: string, now: string): Promise<boolean> {
  const r = await db.updateTable('eid_account').set({ state: 'lapsed' }).where('principal_id', '=', principalId).where('state', '=', 'pending-activation').where('activation_deadline', '<=', now).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** E-ID accounts whose one-time codes go to this number (their own, or their representative's). */
export async function findEidAccountsByPhone(db: Db, phone: string): Promise<EidAccount[]> {
  const rows = await db
    .selectFrom('eid_account')
    .innerJoin('login_account', 'login_account.principal_id', 'eid_account.principal_id')
    .selectAll('eid_account')
    .where('login_account.phone', '=', phone)
    .orderBy('eid_account.principal_id')
    .execute();
  return rows.map(toEidAccount);
}

// ------------------------------------------------------------------ one-time codes of e-ID steps

export type EidChallengePurpose = 'register' | 'activate' | 'unlock' | 'phone' | 'email';

export interface EidChallenge {
  hash: string;
  purpose: EidChallengePurpose;
  personalId: string;
  principalId?: string;
  contact?: string;
  passwordHash?: string;
  /** Absent when no code was sent (there was nobody to send it to). */
  codeHash?: string;
  createdAt: string;
  expiresAt: string;
  attempts: number;
  sends: number;
  lastSentAt?: string;
  spentAt?: string;
}

function toChallenge(r: EidChallengeTable): EidChallenge {
  return {
    hash: r.challenge_hash,
    purpose: r.purpose as EidChallengePurpose,
    personalId: r.personal_id,
    ...(r.principal_id ? { principalId: r.principal_id } : {}),
    ...(r.contact ? { contact: r.contact } : {}),
    ...(r.password_hash ? { passwordHash: r.password_hash } : {}),
    ...(r.code_hash ? { codeHash: r.code_hash } : {}),
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    attempts: Number(r.attempts),
    sends: Number(r.sends),
    ...(r.last_sent_at ? { lastSentAt: r.last_sent_at } : {}),
    ...(r.spent_at ? { spentAt: r.spent_at } : {}),
  };
}

export async function insertEidChallenge(db: Db, c: Omit<EidChallenge, 'attempts' | 'sends' | 'codeHash' | 'lastSentAt' | 'spentAt'>): Promise<void> {
  await db
    .insertInto('eid_challenge')
    .values({
      challenge_hash: c.hash,
      purpose: c.purpose,
      personal_id: c.personalId,
      principal_id: c.principalId ?? null,
      contact: c.contact ?? null,
      password_hash: c.passwordHash ?? null,
      code_hash: null,
      created_at: c.createdAt,
      expires_at: c.expiresAt,
      attempts: 0,
      sends: 0,
      last_sent_at: null,
      spent_at: null,
    })
    .execute();
}

/** The challenge, read in a write transaction and locked until it ends (PostgreSQL: FOR UPDATE). */
export async function lockEidChallenge(db: Db, hash: string): Promise<EidChallenge | undefined> {
  const q = db.selectFrom('eid_challenge').selectAll().where('challenge_hash', '=', hash);
  const r = await (isSqlite(db) ? q : q.forUpdate()).executeTakeFirst();
  return r ? toChallenge(r) : undefined;
}

/** The newest unspent challenge of an account for a purpose. */
export async function findOpenEidChallenge(db: Db, principalId: string, purpose: EidChallengePurpose): Promise<EidChallenge | undefined> {
  const r = await db
    .selectFrom('eid_challenge')
    .selectAll()
    .where('principal_id', '=', principalId)
    .where('purpose', '=', purpose)
    .where('spent_at', 'is', null)
    .orderBy('created_at', 'desc')
    .orderBy('challenge_hash')
    .executeTakeFirst();
  return r ? toChallenge(r) : undefined;
}

export async function updateEidChallenge(db: Db, hash: string, change: Partial<Pick<EidChallengeTable, 'code_hash' | 'attempts' | 'sends' | 'last_sent_at' | 'spent_at'>>): Promise<void> {
  await db.updateTable('eid_challenge').set(change).where('challenge_hash', '=', hash).execute();
}

/** Spends an account's open challenges (of one purpose, or all): a lock, a new notice. */
export async function spendEidChallenges(db: Db, principalId: string, at: string, purpose?: EidChallengePurpose): Promise<void> {
  let q = db.updateTable('eid_challenge').set({ spent_at: at }).where('principal_id', '=', principalId).where('spent_at', 'is', null);
  if (purpose !== undefined) q = q.where('purpose', '=', purpose);
  await q.execute();
}
