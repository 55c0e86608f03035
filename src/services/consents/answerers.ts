/**
 * Who acts on a person's consent requests (decision 0044, 2026-06 addition): the person, or whoever
 * answers for them (domain/exchange/consent-answerer.ts — the usage view's ground, the e-ID
 * account's representative). Over HTTP the person is named as in the usage routes (`personalId`,
 * personInView); by SMS the request is found by its code and the sender's right checked now.
 */
import type { RepresentationGround } from '../../domain/accountability/representation.js';
import { dayOf } from '../../domain/dates/partial-date.js';
import { RegistryError } from '../../domain/errors/registry-error.js';
import { consentAnswerer, type ConsentAnswerer, type ConsentRefusal } from '../../domain/exchange/consent-answerer.js';
import { findCitizen } from '../../store/repositories/citizens.js';
import { findConsentByCode, findConsentsByCode, type StoredConsent } from '../../store/repositories/consents.js';
import { numbersOfPerson } from '../../store/repositories/personal-ids.js';
import type { Principal } from '../../store/repositories/principals.js';
import { personInView } from '../accountability/citizen-usage.js';
import type { ServiceContext } from '../context.js';

/**
 * Whose consent requests the signed-in citizen lists, reads and answers (their own when `personalId`
 * is absent), and on what ground: NOT_REPRESENTED as in the usage view (a stranger, an adult child,
 * nobody); CONSENT_ANSWERED_BY_SUBJECT for a parent of a minor of 14 or more.
 */
export async function consentSubject(ctx: ServiceContext, principal: Principal | undefined, personalId: string | undefined): Promise<{ personalId: string; ground: RepresentationGround }> {
  const view = await personInView(ctx, principal, personalId);
  if (!view.records) return { personalId: view.personalId, ground: view.ground };
  // The records the view read, under their current numbers: a principal bound to a number since
  // re-issued names a row that no longer exists.
  const a = consentAnswerer(view.records.actor, view.records.person, dayOf(ctx.clock.now()));
  if ('refused' in a) throw new RegistryError(a.refused);
  return { personalId: view.personalId, ground: a.ground };
}

/** What a "DONGY / TUCHOI <code>" found: the request and the ground it is answered on, or the request and why the sender may not. */
export type SmsConsentAnswer = { consent: StoredConsent; ground: RepresentationGround } | { consent: StoredConsent; refused: ConsentRefusal };

/**
 * The request a "DONGY / TUCHOI <code>" from the number of `senderId` answers, and on what ground:
 * the sender's own request with that code, else one about a person the sender answers for today.
 * A request with that code about someone the sender does not answer for comes back refused (its
 * refusal is recorded under that person; the sender is told nothing); no request, undefined.
 */
export async function consentForSmsAnswer(ctx: ServiceContext, senderId: string, code: string): Promise<SmsConsentAnswer | undefined> {
  const db = ctx.store.db;
  // Every number the sender has held: a request, or a person's record, may name one since re-issued.
  const numbers = await numbersOfPerson(db, senderId);
  for (const n of numbers) {
    const own = await findConsentByCode(db, n, code);
    if (own) return { consent: own, ground: 'self' };
  }
  const others = (await findConsentsByCode(db, code)).filter((c) => !numbers.includes(c.personalId));
  if (others.length === 0) return undefined;
  const record = await findCitizen(db, numbers[0] ?? senderId);
  const actor = record ? { ...record, numbers } : undefined;
  const today = dayOf(ctx.clock.now());
  let refusal: SmsConsentAnswer | undefined;
  for (const consent of others) {
    const person = await findCitizen(db, consent.personalId);
    const a: ConsentAnswerer = actor && person ? consentAnswerer(actor, person, today) : { refused: 'NOT_REPRESENTED' };
    if ('ground' in a) return { consent, ground: a.ground };
    // Codes are random, so nearly always one request: the newest is the one refused.
    refusal ??= { consent, refused: a.refused };
  }
  return refusal;
}
