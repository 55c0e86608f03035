/**
 * Locking and unlocking e-ID accounts (issue 15 item 2; NĐ 69/2024 Art. 16; decision 0042):
 * - the citizen locks their own account (signed in; or by the SMS keyword KHÓA from the number the
 *   account's codes go to — a lost phone) and unlocks it with a fresh code to that number and the
 *   password (a locked account cannot sign in, so unlocking is a public two-step);
 * - the authority (an officer or administrator, with a reason) locks and unlocks; a self-unlock
 *   cannot lift the authority's lock, and no unlock code is sent for one.
 * The lock is `login_account.locked_at` (sign-in, sessions and tokens already refuse it) and the kind
 * is `eid_account.lock_kind`. A lock spends the account's open challenges and ends its sessions, in
 * the transaction that records it.
 */
import { RegistryError } from '../../domain/errors/registry-error.js';
import { effectiveState } from '../../domain/eid/rules.js';
import { findEidAccount, findEidAccountsByPhone, lockEidChallenge, spendEidChallenges, updateEidAccount } from '../../store/repositories/eid-accounts.js';
import { clearFailures, findAccount, lockAccount, revokeSessions, spendChallenges, updateAccount } from '../../store/repositories/login-accounts.js';
import { appendPrincipalEvent } from '../../store/repositories/principal-events.js';
import type { Db } from '../../store/schema.js';
import { dummyHash, verifyPassword } from '../auth/passwords.js';
import { loginFailureKey, type Client } from '../auth/sign-in.js';
import { checkChallengeCode, claimCodeRequest, countWrongAttempt, openChallenge, openCodeChallenge, requestKeys, resendWithin, sendChallengeCode, spendChallenge } from './codes.js';
import { eidView, type EidDeps, type EidView } from './accounts.js';
import { eidAccountOfPerson } from './state.js';
import type { CodeStep } from './registration.js';

export type LockKind = 'self' | 'authority';
export type LockChannel = 'session' | 'sms' | 'counter' | 'cli';

/**
 * Locks in the caller's transaction. An authority lock replaces a self-lock (it can then be lifted
 * only by the authority); a self-lock over any lock changes nothing. Returns whether it locked.
 */
async function lockIn(tx: Db, principalId: string, kind: LockKind, reason: string, actorId: string, channel: LockChannel, at: string): Promise<boolean> {
  const login = await lockAccount(tx, principalId);
  const a = await findEidAccount(tx, principalId);
  if (!login || !a) throw new RegistryError('EID_ACCOUNT_NOT_FOUND');
  if (login.lockedAt && (kind === 'self' || a.lockKind === 'authority')) return false;
  await updateAccount(tx, principalId, { locked_at: login.lockedAt ?? at, lock_reason: reason });
  await updateEidAccount(tx, principalId, { lock_kind: kind });
  await spendChallenges(tx, principalId, at);
  await spendEidChallenges(tx, principalId, at);
  const ended = await revokeSessions(tx, principalId, at, actorId);
  await appendPrincipalEvent(tx, { principalId, at, actorId, kind: 'locked', details: { kind, channel, reason, sessionsEnded: ended.length } });
  return true;
}

async function unlockIn(tx: Db, principalId: string, kind: LockKind, actorId: string, channel: LockChannel, at: string, reason?: string): Promise<void> {
  const login = await lockAccount(tx, principalId);
  const a = await findEidAccount(tx, principalId);
  if (!login || !a) throw new RegistryError('EID_ACCOUNT_NOT_FOUND');
  if (!login.lockedAt) throw new RegistryError('ACCOUNT_NOT_LOCKED');
  if (kind === 'self' && a.lockKind === 'authority') throw new RegistryError('EID_UNLOCK_FAILED');
  await updateAccount(tx, principalId, { locked_at: null, lock_reason: null });
  await updateEidAccount(tx, principalId, { lock_kind: null });
  // The growing delay of its login name starts again.
  await clearFailures(tx, await loginFailureKey(tx, login.login));
  await appendPrincipalEvent(tx, { principalId, at, actorId, kind: 'unlocked', details: { kind, channel, ...(reason ? { reason } : {}) } });
}

/** The citizen locks their own account (POST /me/eid/lock): at once, this session included. */
export async function lockOwnAccount(d: EidDeps, principalId: string, reason: string | undefined): Promise<EidView> {
  const at = d.clock.now().toISOString();
  const locked = await d.store.transaction((tx) => lockIn(tx, principalId, 'self', reason ?? 'self-lock', principalId, 'session', at));
  if (!locked) throw new RegistryError('ACCOUNT_ALREADY_LOCKED');
  return eidView(d, principalId);
}

/** The authority's lock or unlock of an account, with a reason (the unlock lifts a self-lock too). */
export async function lockByAuthority(d: EidDeps, principalId: string, reason: string, actorId: string, channel: LockChannel = 'counter'): Promise<EidView> {
  const at = d.clock.now().toISOString();
  const locked = await d.store.transaction((tx) => lockIn(tx, principalId, 'authority', reason, actorId, channel, at));
  if (!locked) throw new RegistryError('ACCOUNT_ALREADY_LOCKED');
  return eidView(d, principalId);
}

export async function unlockByAuthority(d: EidDeps, principalId: string, reason: string, actorId: string, channel: LockChannel = 'counter'): Promise<EidView> {
  const at = d.clock.now().toISOString();
  await d.store.transaction((tx) => unlockIn(tx, principalId, 'authority', actorId, channel, at, reason));
  return eidView(d, principalId);
}

/**
 * The SMS keyword KHÓA from `from` (E.164): every e-ID account whose codes go to that number is
 * locked at once (its holder's, and those of people it represents — a lost phone exposes all).
 * Returns how many were locked now (accounts already locked are left as they are).
 */
export async function lockBySms(d: Pick<EidDeps, 'store' | 'clock'>, from: string, tx?: Db): Promise<number> {
  const at = d.clock.now().toISOString();
  const work = async (t: Db) => {
    let n = 0;
    for (const a of await findEidAccountsByPhone(t, from)) if (await lockIn(t, a.principalId, 'self', 'sms-keyword', a.principalId, 'sms', at)) n++;
    return n;
  };
  return tx ? work(tx) : d.store.transaction(work);
}

/**
 * Where an unlock code went, as every unlock step answers it: the account's number with no digit shown.
 * The same for every personal ID, so the answer does not tell who has a self-locked account nor the
 * end of their number (the caller gave only a personal ID, not the number).
 */
export const UNLOCK_SENT_TO = '*'.repeat(12);

/**
 * Self-unlock, step 1 (public): a code to the account's number when the account is self-locked and
 * not lapsed; otherwise the same answer and nothing sent.
 */
export async function startSelfUnlock(d: EidDeps, input: { personalId: string }, client: Client): Promise<CodeStep> {
  await claimCodeRequest(d, requestKeys('unlock', input.personalId, client.sourceIp));
  const expiresAt = new Date(d.clock.now().getTime() + d.settings.challenges.ttlMinutes * 60_000).toISOString();
  return d.store.transaction(async (tx) => {
    const a = await eidAccountOfPerson(tx, input.personalId);
    const login = a ? await lockAccount(tx, a.principalId) : undefined;
    const eligible = a && login?.phone && login.lockedAt && a.lockKind === 'self' && effectiveState(a, d.clock.now().getTime()) !== 'lapsed' ? login.phone : undefined;
    const opened = await openCodeChallenge(tx, d, { purpose: 'unlock', personalId: input.personalId, principalId: eligible ? a?.principalId : undefined, contact: eligible, expiresAt });
    await sendChallengeCode(tx, d, (await lockEidChallenge(tx, opened.hash))!, eligible ? { sms: eligible } : undefined);
    return { challenge: opened.token, expiresAt, sentTo: UNLOCK_SENT_TO };
  });
}

export async function resendUnlockCode(d: EidDeps, input: { challenge: string }): Promise<CodeStep> {
  return d.store.transaction(async (tx) => {
    const c = await openChallenge(tx, d, input.challenge, 'unlock');
    const login = c.principalId ? await lockAccount(tx, c.principalId) : undefined;
    const a = c.principalId ? await findEidAccount(tx, c.principalId) : undefined;
    const to = c.contact && login?.lockedAt && a?.lockKind === 'self' ? c.contact : undefined;
    await resendWithin(tx, d, c, to ? { sms: to } : undefined);
    return { challenge: input.challenge, expiresAt: c.expiresAt, sentTo: UNLOCK_SENT_TO };
  });
}

/**
 * Self-unlock, step 2: the code and the account's password (both factors; the password is always
 * checked, against a dummy hash when there is no account). One answer for every refusal.
 */
export async function confirmSelfUnlock(d: EidDeps, input: { challenge: string; code: string; password: string }, client: Client): Promise<EidView> {
  const first = await d.store.transaction((tx) => openChallenge(tx, d, input.challenge, 'unlock'));
  const login = first.principalId ? await findAccount(d.store.db, first.principalId) : undefined;
  const passwordOk = await verifyPassword(input.password, login?.passwordHash ?? (await dummyHash(d.settings.scryptLogN)));
  const at = d.clock.now().toISOString();
  const outcome = await d.store.transaction(async (tx): Promise<{ error: RegistryError } | { ok: string }> => {
    const c = await openChallenge(tx, d, input.challenge, 'unlock');
    const codeOk = await checkChallengeCode(tx, d, c, input.code);
    if (!codeOk || !passwordOk || !c.principalId) {
      // A right code with a wrong password still counts an attempt against the challenge.
      if (codeOk) await countWrongAttempt(tx, d, c);
      return { error: new RegistryError('EID_UNLOCK_FAILED') };
    }
    await spendChallenge(tx, d, c);
    await unlockIn(tx, c.principalId, 'self', c.principalId, 'sms', at);
    await clearFailures(tx, requestKeys('unlock', c.personalId, client.sourceIp).id);
    return { ok: c.principalId };
  });
  if ('error' in outcome) throw outcome.error;
  return eidView(d, outcome.ok);
}
