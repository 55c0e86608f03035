/**
 * Changing the e-ID account's phone number or e-mail address (decision 0042): a code goes to the NEW
 * contact and the change is made when it comes back. A new number must be one the subscriber
 * register links to the person — or to their representative, for an account held through one. The
 * e-mail code goes to the mail outbox (no mail transport yet: an operator or the demo delivers it).
 * The records say that a contact changed, never the contact.
 */
import { RegistryError } from '../../domain/errors/registry-error.js';
import { maskEmail, normalizeEmail } from '../../domain/eid/rules.js';
import { maskPhoneNumber, normalizePhoneNumber } from '../../domain/telecom/phone-number.js';
import { findEidAccount, lockEidChallenge, spendEidChallenges, updateEidAccount } from '../../store/repositories/eid-accounts.js';
import { lockAccount, updateAccount } from '../../store/repositories/login-accounts.js';
import { appendPrincipalEvent } from '../../store/repositories/principal-events.js';
import type { Db } from '../../store/schema.js';
import { findNumberOwner } from '../../store/repositories/subscribers.js';
import { numbersOfPerson } from '../../store/repositories/personal-ids.js';
import { checkChallengeCode, openChallenge, openCodeChallenge, resendWithin, sendChallengeCode, spendChallenge, type CodeTarget } from './codes.js';
import { eidView, getEidAccount, type EidDeps, type EidView } from './accounts.js';
import type { CodeStep } from './registration.js';

/**
 * Whether the register links the number to the person who must hold it for this account — its
 * representative, or its own — under any number that person has held (a link, or the account, may
 * name one a legal re-issue cancelled).
 */
async function linkedToHolder(db: Db, principalId: string, phone: string): Promise<boolean> {
  const a = await getEidAccount(db, principalId);
  const rep = a.representativeId ? await findEidAccount(db, a.representativeId) : undefined;
  const linked = (await findNumberOwner(db, phone))?.personalId;
  return linked !== undefined && (await numbersOfPerson(db, rep?.personalId ?? a.personalId)).includes(linked);
}

export async function startPhoneChange(d: EidDeps, principalId: string, input: { phone: string }): Promise<CodeStep> {
  const phone = normalizePhoneNumber(input.phone);
  if (!phone) throw new RegistryError('PHONE_NUMBER_INVALID');
  if (!(await linkedToHolder(d.store.db, principalId, phone))) throw new RegistryError('EID_PHONE_NOT_LINKED');
  return startChange(d, principalId, 'phone', phone, { sms: phone }, maskPhoneNumber(phone));
}

export async function startEmailChange(d: EidDeps, principalId: string, input: { email: string }): Promise<CodeStep> {
  const email = normalizeEmail(input.email);
  if (!email) throw new RegistryError('EMAIL_INVALID');
  return startChange(d, principalId, 'email', email, { mail: email }, maskEmail(email));
}

async function startChange(d: EidDeps, principalId: string, purpose: 'phone' | 'email', contact: string, target: CodeTarget, sentTo: string): Promise<CodeStep> {
  const expiresAt = new Date(d.clock.now().getTime() + d.settings.challenges.ttlMinutes * 60_000).toISOString();
  const token = await d.store.transaction(async (tx) => {
    const login = await lockAccount(tx, principalId);
    const a = await getEidAccount(tx, principalId);
    // A locked account is sent nothing (its sessions end with the lock; this holds for any other way in).
    if (!login || login.lockedAt) throw new RegistryError('EID_ACCOUNT_LOCKED');
    await spendEidChallenges(tx, principalId, d.clock.now().toISOString(), purpose);
    const opened = await openCodeChallenge(tx, d, { purpose, personalId: a.personalId, principalId, contact, expiresAt });
    await sendChallengeCode(tx, d, (await lockEidChallenge(tx, opened.hash))!, target);
    return opened.token;
  });
  return { challenge: token, expiresAt, sentTo };
}

export async function resendChangeCode(d: EidDeps, principalId: string, input: { challenge: string }, purpose: 'phone' | 'email'): Promise<CodeStep> {
  return d.store.transaction(async (tx) => {
    const c = await openChallenge(tx, d, input.challenge, purpose);
    const login = await lockAccount(tx, principalId);
    if (c.principalId !== principalId || !c.contact) throw new RegistryError('EID_CHALLENGE_INVALID');
    if (!login || login.lockedAt) throw new RegistryError('EID_ACCOUNT_LOCKED');
    await resendWithin(tx, d, c, purpose === 'phone' ? { sms: c.contact } : { mail: c.contact });
    return { challenge: input.challenge, expiresAt: c.expiresAt, sentTo: purpose === 'phone' ? maskPhoneNumber(c.contact) : maskEmail(c.contact) };
  });
}

/** The code from the new contact: the change is made (a new number is checked against the register again). */
export async function confirmContactChange(d: EidDeps, principalId: string, input: { challenge: string; code: string }, purpose: 'phone' | 'email'): Promise<EidView> {
  const outcome = await d.store.transaction(async (tx): Promise<RegistryError | undefined> => {
    const c = await openChallenge(tx, d, input.challenge, purpose);
    if (c.principalId !== principalId || !c.contact) throw new RegistryError('EID_CHALLENGE_INVALID');
    const login = await lockAccount(tx, principalId);
    if (!login || login.lockedAt) throw new RegistryError('EID_ACCOUNT_LOCKED');
    if (!(await checkChallengeCode(tx, d, c, input.code))) return new RegistryError('EID_CODE_INVALID');
    const at = d.clock.now().toISOString();
    if (purpose === 'phone') {
      if (!(await linkedToHolder(tx, principalId, c.contact))) throw new RegistryError('EID_PHONE_NOT_LINKED');
      await updateAccount(tx, principalId, { phone: c.contact, ...(login.secondFactor === 'totp' ? {} : { second_factor: 'sms' }) });
    } else {
      await updateEidAccount(tx, principalId, { email: c.contact });
    }
    await spendChallenge(tx, d, c);
    await appendPrincipalEvent(tx, { principalId, at, actorId: principalId, kind: purpose === 'phone' ? 'eid-phone-changed' : 'eid-email-changed', details: {} });
    return undefined;
  });
  if (outcome) throw outcome;
  return eidView(d, principalId);
}
