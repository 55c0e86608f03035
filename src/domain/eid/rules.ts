/**
 * The time and person rules of citizens' e-ID accounts (NĐ 69/2024; decision 0042), pure:
 * - the activation deadline: 7 days after the notice (Art. 14), counted as the Civil Code counts a
 *   period in days (Art. 147–148 BLDS 2015: from the day after the notice to the end of the 7th day,
 *   Vietnam's time, UTC+7);
 * - the state an account is in at an instant (a pending account past its deadline is lapsed,
 *   whether or not the sweep has marked it);
 * - who needs a legal representative at the counter (under 14 on the day, or a record naming a
 *   legal representative: guardianship) and who may be that representative.
 */
import { daysInMonth, precisionOf } from '../dates/partial-date.js';
import type { LockoutPolicy } from '../auth/limits.js';
import { relativesName } from '../accountability/representation.js';

export type EidLevel = 1 | 2;
export type EidState = 'pending-activation' | 'active' | 'lapsed';

export const ACTIVATION_DAYS = 7;
/** Under this age a person's e-ID account is applied for and held through their representative (Art. 11). */
export const REPRESENTATION_AGE = 14;
const DAY_MS = 86_400_000;
/** Vietnam's time (no daylight saving): a period's days are Vietnam's days. */
const VN_OFFSET_MS = 7 * 3_600_000;

/** The end of the ACTIVATION_DAYS-th day after the notice's day (Vietnam's days), as an instant. */
export function activationDeadline(noticeAt: string): string {
  const localDay = Math.floor((Date.parse(noticeAt) + VN_OFFSET_MS) / DAY_MS);
  return new Date((localDay + 1 + ACTIVATION_DAYS) * DAY_MS - VN_OFFSET_MS).toISOString();
}

/** The state at `nowMs`: a pending account whose deadline has passed is lapsed, marked or not. */
export function effectiveState(a: { state: EidState; activationDeadline: string }, nowMs: number): EidState {
  return a.state === 'pending-activation' && nowMs >= Date.parse(a.activationDeadline) ? 'lapsed' : a.state;
}

/** The latest day a partial date (YYYY, YYYY-MM, YYYY-MM-DD) can stand for. */
export function latestDay(date: string): string {
  const p = precisionOf(date);
  if (p === 'day') return date;
  const y = Number(date.slice(0, 4));
  if (p === 'year') return `${date}-12-31`;
  // A month has 28 to 31 days: always two digits.
  return `${date}-${daysInMonth(y, Number(date.slice(5, 7)))}`;
}

/** The day a person born on `day` (YYYY-MM-DD, year ≥ 1800) turns `age` (a 29 February birthday: 1 March in common years, compared as text). */
function birthdayAt(day: string, age: number): string {
  return `${Number(day.slice(0, 4)) + age}${day.slice(4)}`;
}

/**
 * Under 14 on `today` for some day a partial date of birth can stand for: in doubt, the child's
 * account goes through a representative (the protective reading).
 */
export function isUnder14On(dateOfBirth: string, today: string): boolean {
  return today < birthdayAt(latestDay(dateOfBirth), REPRESENTATION_AGE);
}

/** The parts of a record the representation rule reads. */
export interface PersonFacts {
  dateOfBirth: string;
  relatives: readonly { relation: string; personalId?: string | undefined }[];
}

const named = (p: PersonFacts, relations: readonly string[], ids: readonly string[]) => relativesName(p.relatives, relations, ids);

/** Whether the person's account must go through a representative: under 14, or under guardianship (a representative named on their record). */
export function needsRepresentative(p: PersonFacts, today: string): boolean {
  return isUnder14On(p.dateOfBirth, today) || p.relatives.some((r) => r.relation === 'legalRepresentative' && r.personalId !== undefined);
}

/**
 * Whether `representativeId` may act for the person: the legal representative their record names;
 * for an under-14 also a parent their record names (the child's record: the one an adoption or a
 * court's decision changes). A list: every number the representative has held (a legal re-issue).
 */
export function mayRepresent(p: PersonFacts, representativeId: string | readonly string[], today: string): boolean {
  const ids = typeof representativeId === 'string' ? [representativeId] : representativeId;
  if (named(p, ['legalRepresentative'], ids)) return true;
  return isUnder14On(p.dateOfBirth, today) && named(p, ['father', 'mother'], ids);
}

const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/** An e-mail address as accepted here (ASCII, a dotted domain), lower-cased domain; undefined otherwise. */
export function normalizeEmail(text: string): string | undefined {
  const t = text.trim();
  if (t.length > 254 || !EMAIL.test(t)) return undefined;
  const at = t.lastIndexOf('@');
  return `${t.slice(0, at)}@${t.slice(at + 1).toLowerCase()}`;
}

/** An address shown back: its first character, the domain (a•••@example.vn). */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  return `${email.slice(0, 1)}•••${email.slice(at)}`;
}

/**
 * Codes asked for a personal ID without an account's password (registration, self-unlock): each
 * request counts under the claimed ID and under the source address (five times the free ones, for
 * offices behind one NAT); past the free ones the wait doubles from a minute to an hour. A completed
 * registration or unlock clears its ID's count.
 */
export const CODE_REQUEST_LIMITS: LockoutPolicy = { freeFailures: 3, baseDelaySeconds: 60, maxDelaySeconds: 3600, forgetAfterSeconds: 86_400 };
