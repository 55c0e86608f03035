/**
 * Who answers an agency's consent request about a person (decision 0044, addition of 2026-06):
 * the person, or whoever uses the person's e-ID account for them. The subject confirms consent in
 * VNeID (NĐ 70/2024 Art. 10(2)); the account of an under-14 or of a person under guardianship is
 * applied for and used through their representative (NĐ 69/2024 Art. 11). Pure, and no new rule:
 * the ground is the usage view's (representationGround), the right to act the e-ID account's
 * (mayRepresent) — so a parent answers for a child under 14, a legal representative for the person
 * their record names them for, and a child of 14 or more answers alone.
 */
import { numbersOf, representationGround, type RecordFacts, type RepresentationGround } from '../accountability/representation.js';
import { mayRepresent } from '../eid/rules.js';

export type ConsentRefusal = 'NOT_REPRESENTED' | 'CONSENT_ANSWERED_BY_SUBJECT';
export type ConsentAnswerer = { ground: RepresentationGround } | { refused: ConsentRefusal };

/**
 * Whether `actor` answers `person`'s consent requests on `today`, and on what ground. A parent of a
 * minor of 14 or more is told so precisely (CONSENT_ANSWERED_BY_SUBJECT); anyone else without a
 * ground is NOT_REPRESENTED, as in the usage view.
 */
export function consentAnswerer(actor: RecordFacts, person: RecordFacts, today: string): ConsentAnswerer {
  const ground = representationGround(actor, person, today);
  if (ground === undefined) return { refused: 'NOT_REPRESENTED' };
  if (ground === 'self' || mayRepresent(person, numbersOf(actor), today)) return { ground };
  return { refused: 'CONSENT_ANSWERED_BY_SUBJECT' };
}

/**
 * The people who answer for `person` on `today` besides the person: the parents and legal
 * representatives the person's record names by personal ID, each once, in the record's order. They
 * are told of a request by SMS.
 */
export function consentRepresentatives(person: RecordFacts, today: string): string[] {
  const out: string[] = [];
  for (const r of person.relatives) {
    const id = r.personalId;
    if (id === undefined || id === person.personalId || out.includes(id)) continue;
    if (mayRepresent(person, id, today)) out.push(id);
  }
  return out;
}
