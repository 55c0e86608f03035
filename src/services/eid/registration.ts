/**
 * Level-1 self-registration (NĐ 69/2024 Art. 10, 13; decision 0042): the personal ID, a number the
 * subscriber register links to that person, and a password; a code goes to the number; the code
 * back issues the account at once, active (confirming a code that reached the registered number is
 * the activation Art. 14 asks for).
 *
 * No enumeration: whatever the reason nothing can be issued (no such person, the number not theirs,
 * an account already), the answer is the same challenge and the same work is done (the password is
 * hashed, the challenge stored, the limits counted) — only no code is sent, so every code is wrong.
 */
import { RegistryError } from '../../domain/errors/registry-error.js';
import { lifeStatusOf } from '../../domain/citizen/citizen.js';
import { maskPhoneNumber, normalizePhoneNumber } from '../../domain/telecom/phone-number.js';
import { findCitizen } from '../../store/repositories/citizens.js';
import { findEidAccountOfPerson } from '../../store/repositories/eid-accounts.js';
import { numbersOfPerson } from '../../store/repositories/personal-ids.js';
import { clearFailures } from '../../store/repositories/login-accounts.js';
import { findNumberOwner } from '../../store/repositories/subscribers.js';
import { appendPrincipalEvent } from '../../store/repositories/principal-events.js';
import type { Db } from '../../store/schema.js';
import { checkNewPassword, hashPassword } from '../auth/passwords.js';
import type { Client } from '../auth/sign-in.js';
import { challengeHashOf, checkChallengeCode, claimCodeRequest, EID_CHALLENGE_PREFIX, openChallenge, openCodeChallenge, requestKeys, resendWithin, sendChallengeCode, spendChallenge } from './codes.js';
import { accountRaceOutcome, eidView, insertEidAccountRows, type EidDeps, type EidView } from './accounts.js';
import { lockEidChallenge } from '../../store/repositories/eid-accounts.js';

export interface CodeStep {
  challenge: string;
  expiresAt: string;
  /** Masked: the number (or address) the code goes to — as given, whether or not a code was sent. */
  sentTo: string;
}

/**
 * Whether an account can be issued for the person with this number now (in the caller's
 * transaction). The person is compared, under all their numbers: the operator's link may name one a
 * legal re-issue cancelled, and an account made under one is the person's account already.
 */
async function issuable(tx: Db, personalId: string, phone: string): Promise<boolean> {
  const person = await findCitizen(tx, personalId);
  if (!person || lifeStatusOf(person) === 'deceased') return false;
  const numbers = await numbersOfPerson(tx, personalId);
  const linked = (await findNumberOwner(tx, phone))?.personalId;
  if (linked === undefined || !numbers.includes(linked)) return false;
  return (await findEidAccountOfPerson(tx, numbers)) === undefined;
}

export async function startRegistration(d: EidDeps, input: { personalId: string; phone: string; password: string }, client: Client): Promise<CodeStep> {
  const phone = normalizePhoneNumber(input.phone);
  if (!phone) throw new RegistryError('PHONE_NUMBER_INVALID');
  checkNewPassword(input.password, input.personalId);
  await claimCodeRequest(d, requestKeys('register', input.personalId, client.sourceIp));
  const passwordHash = await (d.hashPassword ?? hashPassword)(input.password, d.settings.scryptLogN);
  const expiresAt = new Date(d.clock.now().getTime() + d.settings.challenges.ttlMinutes * 60_000).toISOString();
  const token = await d.store.transaction(async (tx) => {
    const opened = await openCodeChallenge(tx, d, { purpose: 'register', personalId: input.personalId, contact: phone, passwordHash, expiresAt });
    const c = (await lockEidChallenge(tx, opened.hash))!;
    await sendChallengeCode(tx, d, c, (await issuable(tx, input.personalId, phone)) ? { sms: phone } : undefined);
    return opened.token;
  });
  return { challenge: token, expiresAt, sentTo: maskPhoneNumber(phone) };
}

/** Another code for a registration (within the sends and the wait); counted the same when none is sent. */
export async function resendRegistrationCode(d: EidDeps, input: { challenge: string }): Promise<CodeStep> {
  return d.store.transaction(async (tx) => {
    const c = await openChallenge(tx, d, input.challenge, 'register');
    const phone = c.contact!;
    await resendWithin(tx, d, c, c.codeHash !== undefined && (await issuable(tx, c.personalId, phone)) ? { sms: phone } : undefined);
    return { challenge: input.challenge, expiresAt: c.expiresAt, sentTo: maskPhoneNumber(phone) };
  });
}

/**
 * The code back: the account is issued, level 1, active, with the password chosen at the start and
 * the number as its second factor. Two registrations of one person at once: the unique indexes let
 * one through (409 EID_ACCOUNT_EXISTS for the other, who holds a right code: nothing is disclosed).
 */
export async function confirmRegistration(d: EidDeps, input: { challenge: string; code: string }, client: Client): Promise<EidView> {
  let outcome: { error: RegistryError } | { principalId: string };
  try {
    outcome = await d.store.transaction(async (tx): Promise<{ error: RegistryError } | { principalId: string }> => {
      const c = await openChallenge(tx, d, input.challenge, 'register');
      if (!(await checkChallengeCode(tx, d, c, input.code))) return { error: new RegistryError('EID_CODE_INVALID') };
      const phone = c.contact!;
      // Still the person's number, still no account (the register may have changed since the code left).
      if (!(await issuable(tx, c.personalId, phone))) throw new RegistryError('EID_ACCOUNT_EXISTS');
      const at = d.clock.now().toISOString();
      await spendChallenge(tx, d, c);
      const principalId = await insertEidAccountRows(tx, { personalId: c.personalId, phone, passwordHash: c.passwordHash!, hasOwnPassword: true, level: 1, state: 'active', at }, 'system:eid-registration', 'self-registration');
      await appendPrincipalEvent(tx, { principalId, at, actorId: principalId, kind: 'eid-activated', details: { level: 1, via: 'registration-code', sourceIp: client.sourceIp } });
      await clearFailures(tx, requestKeys('register', c.personalId, client.sourceIp).id);
      return { principalId };
    });
  } catch (e) {
    const claimed = input.challenge.startsWith(EID_CHALLENGE_PREFIX) ? await lockEidChallenge(d.store.db, challengeHashOf(input.challenge)) : undefined;
    return accountRaceOutcome(e, d.store.db, claimed?.personalId);
  }
  if ('error' in outcome) throw outcome.error;
  return eidView(d, outcome.principalId);
}
