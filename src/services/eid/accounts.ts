/**
 * Citizens' e-ID accounts (issue 15 item 2; NĐ 69/2024; decision 0042): issuing one (a `citizen`
 * principal, its `login_account` — login the personal ID, codes by SMS to the registered number —
 * and its `eid_account`), level 2 at the counter, activation within 7 days of the notice, the sweep
 * that marks lapsed accounts, and the citizen's own view. Every change writes the principal's event
 * (a transparency-log leaf) in its transaction.
 */
import { randomUUID } from 'node:crypto';
import { RegistryError } from '../../domain/errors/registry-error.js';
import { dayOf } from '../../domain/dates/partial-date.js';
import { lifeStatusOf } from '../../domain/citizen/citizen.js';
import { activationDeadline, effectiveState, maskEmail, mayRepresent, needsRepresentative, type EidLevel, type EidState } from '../../domain/eid/rules.js';
import { maskPhoneNumber, normalizePhoneNumber } from '../../domain/telecom/phone-number.js';
import { findCitizen } from '../../store/repositories/citizens.js';
import { currentPersonalId } from '../../store/repositories/personal-ids.js';
import {
  findEidAccount,
  insertEidAccount,
  listOverdueEidAccounts,
  markEidAccountLapsed,
  spendEidChallenges,
  updateEidAccount,
  findOpenEidChallenge,
  type EidAccount,
} from '../../store/repositories/eid-accounts.js';
import { clearFailures, findAccount, insertLoginAccount, lockAccount, spendChallenges, updateAccount } from '../../store/repositories/login-accounts.js';
import { insertPrincipal } from '../../store/repositories/principals.js';
import { appendPrincipalEvent } from '../../store/repositories/principal-events.js';
import { isUniqueRaceLost } from '../../store/failures.js';
import type { Db } from '../../store/schema.js';
import type { ServiceContext } from '../context.js';
import type { CategoryCatalogue } from '../categories.js';
import { verifyCardQr } from '../cards/qr.js';
import { findSubscriberOf } from '../subscribers/index.js';
import { checkNewPassword, dummyHash, hashPassword } from '../auth/passwords.js';
import type { AuthDeps, Client } from '../auth/sign-in.js';
import { claimCodeRequest, codeMatches, openCodeChallenge, requestKeys, sendChallengeCode, spendChallenge } from './codes.js';
import { lockEidChallenge } from '../../store/repositories/eid-accounts.js';
import { eidAccountOfPerson } from './state.js';

/** What e-ID services need: sign-in's settings and clock, and the registry (subscribers, cards). */
export type EidDeps = AuthDeps & {
  ctx: ServiceContext;
  /** The password hashing (default: passwords.ts's); injected by tests that count the work done. */
  hashPassword?: typeof hashPassword;
};

/** The name of an e-ID account's principal: the registry holds the person's name; this is not a copy of it. */
export const EID_PRINCIPAL_NAME = 'Tài khoản định danh điện tử';

/** A new account in the caller's transaction: principal, login account, e-ID row, and their events. */
export async function insertEidAccountRows(
  tx: Db,
  a: { personalId: string; phone: string; passwordHash: string; hasOwnPassword: boolean; level: EidLevel; state: EidState; at: string; level2By?: string | undefined; representativeId?: string | undefined },
  actorId: string,
  via: 'self-registration' | 'counter',
): Promise<string> {
  const principalId = randomUUID();
  await insertPrincipal(tx, { id: principalId, name: EID_PRINCIPAL_NAME, role: 'citizen', createdAt: a.at, personalId: a.personalId }, actorId);
  await insertLoginAccount(tx, { principalId, login: a.personalId, passwordHash: a.passwordHash, at: a.at, smsPhone: a.phone });
  if (a.hasOwnPassword) await updateAccount(tx, principalId, { must_change_password: 0 });
  await insertEidAccount(tx, {
    principalId,
    personalId: a.personalId,
    level: a.level,
    state: a.state,
    at: a.at,
    activationDeadline: activationDeadline(a.at),
    ...(a.state === 'active' ? { activatedAt: a.at } : {}),
    ...(a.level2By ? { level2By: a.level2By } : {}),
    ...(a.representativeId ? { representativeId: a.representativeId } : {}),
  });
  await appendPrincipalEvent(tx, { principalId, at: a.at, actorId, kind: 'eid-issued', details: { level: a.level, state: a.state, via, representativeId: a.representativeId ?? null } });
  return principalId;
}

/**
 * A transaction that lost a race for one person's account (the unique indexes on the personal ID and
 * the login: the store answers CONCURRENT_UPDATE) ends as 409 EID_ACCOUNT_EXISTS when an account is
 * there now; anything else is thrown as it came.
 */
export async function accountRaceOutcome(e: unknown, db: Db, personalId: string | undefined): Promise<never> {
  const lost = isUniqueRaceLost(e);
  if (lost && personalId !== undefined && (await eidAccountOfPerson(db, personalId))) throw new RegistryError('EID_ACCOUNT_EXISTS');
  throw e;
}

/** The e-ID account of a principal; 404 when there is none. */
export async function getEidAccount(db: Db, principalId: string): Promise<EidAccount> {
  const a = await findEidAccount(db, principalId);
  if (!a) throw new RegistryError('EID_ACCOUNT_NOT_FOUND');
  return a;
}

export interface EidView {
  principalId: string;
  personalId: string;
  level: EidLevel;
  state: EidState;
  activationDeadline?: string;
  activatedAt?: string;
  /** Masked: the number one-time codes go to. */
  phone?: string;
  email?: string;
  secondFactor?: 'sms' | 'totp';
  locked: boolean;
  lockKind?: 'self' | 'authority';
  lockedAt?: string;
  /** The personal ID of the representative whose account and number act for this one. */
  representativePersonalId?: string;
}

/** The account as its holder (or an officer) sees it: the state at this instant, contacts masked. */
export async function eidView(d: EidDeps, principalId: string): Promise<EidView> {
  const db = d.store.db;
  const a = await getEidAccount(db, principalId);
  const login = await findAccount(db, principalId);
  const rep = a.representativeId ? await findEidAccount(db, a.representativeId) : undefined;
  const state = effectiveState(a, d.clock.now().getTime());
  return {
    principalId,
    personalId: a.personalId,
    level: a.level,
    state,
    ...(state === 'pending-activation' ? { activationDeadline: a.activationDeadline } : {}),
    ...(a.activatedAt ? { activatedAt: a.activatedAt } : {}),
    ...(login?.phone ? { phone: maskPhoneNumber(login.phone) } : {}),
    ...(a.email ? { email: maskEmail(a.email) } : {}),
    ...(login?.secondFactor ? { secondFactor: login.secondFactor } : {}),
    locked: login?.lockedAt !== undefined,
    ...(login?.lockedAt ? { lockedAt: login.lockedAt, ...(a.lockKind ? { lockKind: a.lockKind } : {}) } : {}),
    ...(rep ? { representativePersonalId: rep.personalId } : {}),
  };
}

/** The e-ID account of a person, for officers; 404 when there is none. */
export async function eidViewOfPerson(d: EidDeps, personalId: string): Promise<EidView> {
  const a = await eidAccountOfPerson(d.store.db, personalId);
  if (!a) throw new RegistryError('EID_ACCOUNT_NOT_FOUND');
  return eidView(d, a.principalId);
}

export interface Level2Input {
  /** The card's QR text as scanned at the counter (the counter verification checks it against the registry). */
  qrPayload: string;
  /** The number the officer checked: the person's, or their representative's. */
  phone: string;
  /** Under 14 or under guardianship: the legal representative's personal ID (they hold an e-ID account). */
  representativePersonalId?: string | undefined;
}

export interface Level2Result extends EidView {
  /** Masked: where the activation code went. */
  sentTo: string;
}

/**
 * Level 2 at the counter (Art. 11): the card verified against the registry (authentic, valid), a
 * number the subscriber register links to the person — or, for an under-14 or a person under
 * guardianship, to their legal representative, who holds an active e-ID account. Creates the account
 * at level 2 or raises the person's level-1 (or lapsed) account; either way it is pending activation
 * until the code sent by SMS is used within 7 days of this notice (Art. 14).
 */
export async function issueLevel2(d: EidDeps, catalogue: CategoryCatalogue, input: Level2Input, actorId: string): Promise<Level2Result> {
  const checked = await verifyCardQr(d.ctx, catalogue, { payload: input.qrPayload });
  if (checked.verdict !== 'authentic' || checked.card?.status !== 'valid' || !checked.personalId) throw new RegistryError('EID_CARD_NOT_VERIFIED', { detail: `verdict: ${checked.verdict}${checked.card ? `, card: ${checked.card.status}` : ''}` });
  const personalId = checked.personalId;
  const phone = normalizePhoneNumber(input.phone);
  if (!phone) throw new RegistryError('PHONE_NUMBER_INVALID');
  const person = await findCitizen(d.store.db, personalId);
  if (!person || lifeStatusOf(person) === 'deceased') throw new RegistryError('EID_CARD_NOT_VERIFIED', { detail: 'the person is not alive in the registry' });
  const today = dayOf(d.clock.now());
  let representative: EidAccount | undefined;
  if (needsRepresentative(person, today)) {
    if (input.representativePersonalId === undefined) throw new RegistryError('EID_REPRESENTATIVE_REQUIRED');
    if (!mayRepresent(person, input.representativePersonalId, today)) throw new RegistryError('EID_REPRESENTATIVE_NOT_ALLOWED');
    representative = await eidAccountOfPerson(d.store.db, input.representativePersonalId);
    const repLogin = representative ? await findAccount(d.store.db, representative.principalId) : undefined;
    if (!representative || effectiveState(representative, d.clock.now().getTime()) !== 'active' || !repLogin || repLogin.lockedAt) throw new RegistryError('EID_REPRESENTATIVE_NO_ACCOUNT');
  } else if (input.representativePersonalId !== undefined) {
    throw new RegistryError('EID_REPRESENTATIVE_NOT_ALLOWED');
  }
  // The number must be registered to the person (chính chủ), or to the representative acting for them.
  // The register answers under current numbers; a representative's account may name one since re-issued.
  const holder = await currentPersonalId(d.store.db, representative?.personalId ?? personalId);
  if ((await findSubscriberOf(d.ctx, phone)) !== holder) throw new RegistryError('EID_PHONE_NOT_LINKED');
  const placeholder = await dummyHash(d.settings.scryptLogN);
  const at = d.clock.now().toISOString();
  const deadline = activationDeadline(at);
  try {
    const principalId = await d.store.transaction(async (tx) => {
      // The person's account under any number they have held: a re-issue does not make a second one.
      const existing = await eidAccountOfPerson(tx, personalId);
      let id: string;
      if (!existing) {
        // No password yet: one is chosen at activation (the placeholder is no one's, checked at the same cost).
        id = await insertEidAccountRows(tx, { personalId, phone, passwordHash: placeholder, hasOwnPassword: false, level: 2, state: 'pending-activation', at, level2By: actorId, representativeId: representative?.principalId }, actorId, 'counter');
      } else {
        id = existing.principalId;
        const login = await lockAccount(tx, id);
        if (login?.lockedAt && (await findEidAccount(tx, id))?.lockKind === 'authority') throw new RegistryError('EID_ACCOUNT_LOCKED');
        if (existing.level === 2 && effectiveState(existing, d.clock.now().getTime()) === 'active') throw new RegistryError('EID_ALREADY_LEVEL2');
        await updateEidAccount(tx, id, { level: 2, state: 'pending-activation', notice_at: at, activation_deadline: deadline, level2_at: at, level2_by: actorId, representative_id: representative?.principalId ?? null });
        // The verified number becomes the account's; a self-lock (a lost phone) ends with the new notice.
        await updateAccount(tx, id, { phone, ...(login?.secondFactor === 'totp' ? {} : { second_factor: 'sms' }), locked_at: null, lock_reason: null });
        await updateEidAccount(tx, id, { lock_kind: null });
        await spendChallenges(tx, id, at);
        await appendPrincipalEvent(tx, { principalId: id, at, actorId, kind: 'eid-level-raised', details: { level: 2, from: { level: existing.level, state: effectiveState(existing, d.clock.now().getTime()) }, representativeId: representative?.principalId ?? null } });
      }
      await spendEidChallenges(tx, id, at, 'activate');
      const c = await openCodeChallenge(tx, d, { purpose: 'activate', personalId, principalId: id, contact: phone, expiresAt: deadline });
      const opened = await lockEidChallenge(tx, c.hash);
      await sendChallengeCode(tx, d, opened!, { sms: phone });
      await appendPrincipalEvent(tx, { principalId: id, at, actorId, kind: 'eid-notice-sent', details: { activationDeadline: deadline } });
      return id;
    });
    return { ...(await eidView(d, principalId)), sentTo: maskPhoneNumber(phone) };
  } catch (e) {
    // Two counters at once for one person: the unique index lets one account through.
    return accountRaceOutcome(e, d.store.db, personalId);
  }
}

/**
 * Activation with the code of the notice, before the deadline (Art. 14). An account without a
 * password of its own (issued at the counter) chooses one now. Anyone may try a personal ID, so
 * wrong codes do not spend the notice (that would let a stranger destroy it): every attempt counts
 * under the claimed personal ID and the source address before any work, with the growing delay of
 * code requests (`claimCodeRequest`), cleared on success. An unknown personal ID, a wrong code, a
 * lapsed or locked account: one answer (401 EID_CODE_INVALID).
 */
export async function activateEid(d: EidDeps, input: { personalId: string; code: string; password?: string | undefined }, client: Client): Promise<EidView> {
  if (input.password !== undefined) checkNewPassword(input.password, input.personalId);
  const keys = requestKeys('activate', input.personalId, client.sourceIp);
  await claimCodeRequest(d, keys);
  const found = await eidAccountOfPerson(d.store.db, input.personalId);
  const hash = input.password !== undefined ? await hashPassword(input.password, d.settings.scryptLogN) : undefined;
  const outcome = await d.store.transaction(async (tx): Promise<{ error: RegistryError } | { ok: string }> => {
    if (!found) return { error: new RegistryError('EID_CODE_INVALID') };
    const login = await lockAccount(tx, found.principalId);
    const a = await findEidAccount(tx, found.principalId);
    const open = await findOpenEidChallenge(tx, found.principalId, 'activate');
    const c = open ? await lockEidChallenge(tx, open.hash) : undefined;
    const nowMs = d.clock.now().getTime();
    if (!login || !a || !c || c.spentAt || Date.parse(c.expiresAt) <= nowMs || login.lockedAt || effectiveState(a, nowMs) !== 'pending-activation') return { error: new RegistryError('EID_CODE_INVALID') };
    if (!codeMatches(c, input.code)) return { error: new RegistryError('EID_CODE_INVALID') };
    if (!hash && login.mustChangePassword) throw new RegistryError('EID_PASSWORD_REQUIRED');
    const at = d.clock.now().toISOString();
    await spendChallenge(tx, d, c);
    await updateEidAccount(tx, a.principalId, { state: 'active', activated_at: at });
    if (hash) await updateAccount(tx, a.principalId, { password_hash: hash, password_changed_at: at, must_change_password: 0 });
    await appendPrincipalEvent(tx, { principalId: a.principalId, at, actorId: a.principalId, kind: 'eid-activated', details: { level: a.level, passwordSet: hash !== undefined } });
    await clearFailures(tx, keys.id);
    return { ok: a.principalId };
  });
  if ('error' in outcome) throw outcome.error;
  return eidView(d, outcome.ok);
}

/**
 * Marks pending accounts past their deadline as lapsed, each with its event, in batches; returns
 * how many. Sign-in does not wait for it: the state is computed at read time too.
 */
export async function sweepLapsedAccounts(d: Pick<AuthDeps, 'store' | 'clock'>, batch = 500): Promise<number> {
  let total = 0;
  for (;;) {
    const now = d.clock.now().toISOString();
    const { listed, lapsed } = await d.store.transaction(async (tx) => {
      const due = await listOverdueEidAccounts(tx, now, batch);
      let n = 0;
      for (const a of due) {
        // Listed a moment ago: a notice issued since (a new deadline) leaves the row, its code and its record alone.
        if (!(await markEidAccountLapsed(tx, a.principalId, now))) continue;
        await spendEidChallenges(tx, a.principalId, now, 'activate');
        await appendPrincipalEvent(tx, { principalId: a.principalId, at: now, actorId: 'system:eid-sweep', kind: 'eid-lapsed', details: { activationDeadline: a.activationDeadline } });
        n++;
      }
      return { listed: due.length, lapsed: n };
    });
    total += lapsed;
    if (listed < batch) return total;
  }
}
