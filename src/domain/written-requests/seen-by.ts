/**
 * How a citizen's list of written requests names the people in it (decision 0040, its line of
 * 2026-12-06 on who submitted and whom it is about). Pure: the records are given. The viewer is
 * "you" under any number they have held; anyone else is named only by what the viewer may already
 * see — the name the viewer's own record gives them (its relatives, as GET /me/record shows), or,
 * for a person the viewer answers for today (decision 0044: a child under 14, a person whose record
 * names the viewer as legal representative), that person's name. Anyone else is left unnamed: a
 * parent of a child adopted since, say, does not learn the child's name from an old request.
 */
import type { RecordFacts } from '../accountability/representation.js';
import { consentAnswerer } from '../exchange/consent-answerer.js';

/** A record as the naming reads it: the rule's facts, the name, and the relatives' names. */
export interface NamedRecord extends RecordFacts {
  fullName: string;
  relatives: readonly { relation: string; personalId?: string | undefined; fullName: string }[];
}

/**
 * The name under which `viewer` sees another person in the list, or undefined. `numbers` are every
 * number that person has held (their record may be missing: a number nobody holds now).
 */
export function nameSeenBy(viewer: NamedRecord, numbers: readonly string[], person: NamedRecord | undefined, today: string): string | undefined {
  const named = viewer.relatives.find((r) => r.personalId !== undefined && numbers.includes(r.personalId));
  if (named) return named.fullName;
  if (person && 'ground' in consentAnswerer(viewer, person, today)) return person.fullName;
  return undefined;
}
