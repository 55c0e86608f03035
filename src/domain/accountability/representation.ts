/**
 * Whose usage a citizen may see (issue 13 item 3; decision 0032): their own, their minor child's,
 * and that of a person whose record names them as legal representative. Pure: the records and the
 * day are given.
 *
 * - A child: the child's record names the citizen as father or mother, and the child is under 18
 *   on the day. The parent's own `child` link is not enough: after an adoption or a loss of
 *   parental rights the child's record changes, while the parent's may keep a stale link. A partial date of birth counts from its earliest day, so a child is treated
 *   as a minor only when every day the date can stand for makes them one (no access by doubt).
 * - Legal representation: the represented person's record names the citizen as
 *   `legalRepresentative`. A `representedPerson` link on the representative's side alone is not
 *   enough: the represented person's record is the one a guardianship decision changes.
 */
import { earliestDay } from '../dates/partial-date.js';

/** The parts of a record the rule reads. */
export interface RecordFacts {
  personalId: string;
  /**
   * Every number the person has held, the current one first: another's record may still name one a
   * legal re-issue cancelled, and it names the same person. Absent: `personalId` alone.
   */
  numbers?: readonly string[];
  dateOfBirth: string;
  relatives: readonly { relation: string; personalId?: string | undefined }[];
}

export type RepresentationGround = 'self' | 'minor_child' | 'legal_representative';

/** The purpose recorded when a citizen reads or acts on the data of a person they represent (decision 0032). */
export const REPRESENTATION_PURPOSE = 'representation';

export const AGE_OF_MAJORITY = 18;

/** The day a person born on `dateOfBirth` turns 18 (a 29 February birthday: 1 March in common years). */
export function majorityDay(dateOfBirth: string): string {
  const day = earliestDay(dateOfBirth);
  const year = Number(day.slice(0, 4)) + AGE_OF_MAJORITY;
  // Compared as text: "YYYY-02-29" of a common year sorts between 02-28 and 03-01, which is the rule.
  return `${String(year).padStart(4, '0')}${day.slice(4)}`;
}

/** Under 18 on `today` (YYYY-MM-DD), for every day a partial date of birth can stand for. */
export function isMinorOn(dateOfBirth: string, today: string): boolean {
  return today < majorityDay(dateOfBirth);
}

/** The numbers a record may name `who` by: every one they have held. */
export function numbersOf(who: RecordFacts): readonly string[] {
  return who.numbers ?? [who.personalId];
}

/** Whether `relatives` name one of `ids` as one of `relations` (the one test of "this record names them as …"). */
export function relativesName(relatives: readonly { relation: string; personalId?: string | undefined }[], relations: readonly string[], ids: readonly string[]): boolean {
  return relatives.some((r) => r.personalId !== undefined && ids.includes(r.personalId) && relations.includes(r.relation));
}

function names(record: RecordFacts, relations: readonly string[], who: RecordFacts): boolean {
  return relativesName(record.relatives, relations, numbersOf(who));
}

/**
 * Why `actor` may see `person`'s usage on `today`, or undefined when they may not. `person` may be
 * undefined only when it is the actor themself (no record read needed).
 */
export function representationGround(actor: RecordFacts, person: RecordFacts, today: string): RepresentationGround | undefined {
  if (actor.personalId === person.personalId) return 'self';
  // Only the child's side: that record is the one an adoption or a court's decision changes.
  const parentOf = names(person, ['father', 'mother'], actor);
  if (parentOf && isMinorOn(person.dateOfBirth, today)) return 'minor_child';
  if (names(person, ['legalRepresentative'], actor)) return 'legal_representative';
  return undefined;
}
