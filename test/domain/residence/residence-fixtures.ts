/**
 * Shared builders, arbitraries and independent oracles for the residence-rule tests. Not a test
 * file itself. The oracles (ages, anniversaries, day spans) are computed here from first principles
 * — not through src/domain/dates — so that a rule and its check do not share one mistake.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Address } from '../../../src/domain/citizen/citizen.js';
import { addDays } from '../../../src/domain/dates/day-arithmetic.js';
import type { HouseholdFacts, MemberFacts, Relationship } from '../../../src/domain/residence/household.js';
import { RELATIONSHIP_CODES } from '../../../src/domain/residence/household.js';
import type { Consent, ConsentMethod, ConsentRole, LawfulResidence, LawfulResidenceKind } from '../../../src/domain/residence/procedures.js';
import type { PersonFacts, RegistrationFacts, Violation } from '../../../src/domain/residence/rules.js';

// ---------------------------------------------------------------- people and places

export const DAY = '2026-03-10';
export const APPLICANT = '001090000001';
export const HEAD = '001070000002';
export const OWNER = '001060000003';
export const MEMBER = '001095000004';
export const STRANGER = '079080000005';
export const HID = 'HS00001ABCDEFGH';

export const addr = (unitCode: string, detail?: string): Address =>
  detail === undefined ? { unitSet: '2025', unitCode } : { unitSet: '2025', unitCode, detail };

export const registration = (kind: RegistrationFacts['kind'], address: Address, extra: Partial<RegistrationFacts> = {}): RegistrationFacts => ({
  seq: 1, kind, address, startOn: '2020-01-01', ...extra,
});

/** An adult, alive, with no registration unless given. */
export function person(over: Partial<PersonFacts> = {}): PersonFacts {
  return { personalId: APPLICANT, dateOfBirth: '1990-05-20', dead: false, missing: false, ...over };
}

export function member(personalId: string, relationship: Relationship, dateOfBirth = '1980-01-01', alive = true): MemberFacts {
  return { personalId, relationship, dateOfBirth, alive };
}

export function household(over: Partial<HouseholdFacts> = {}): HouseholdFacts {
  return {
    householdId: HID,
    address: addr('00004', '12 Hàng Bạc'),
    headPersonalId: HEAD,
    members: [member(HEAD, 'head', '1970-02-02'), member(MEMBER, 'child', '1995-07-07')],
    dissolved: false,
    ...over,
  };
}

export function consent(role: ConsentRole, personalId?: string, method: ConsentMethod = 'signature'): Consent {
  return personalId === undefined ? { role, method, fullName: 'Nguyễn Văn A' } : { role, method, fullName: 'Nguyễn Văn A', personalId };
}

/** A lawful residence; rented and borrowed dwellings get a roomy 100 m² unless a test is about the area (Art. 20(3)(b)). */
export const lawful = (kind: LawfulResidenceKind, ownerPersonalId?: string): LawfulResidence => ({
  kind,
  ...(ownerPersonalId === undefined ? {} : { ownerPersonalId }),
  ...(kind === 'rented' || kind === 'borrowed' ? { floorAreaM2: 100 } : {}),
});

// ---------------------------------------------------------------- comparing results

export const codes = (vs: readonly Violation[]): string[] => vs.map((v) => v.code);
/** Distinct codes, sorted: what a property compares when duplicates are not the point. */
export const codeSet = (vs: readonly Violation[]): string[] => [...new Set(vs.map((v) => v.code))].sort();
/** Distinct "CODE@field", sorted. */
export const keyed = (vs: readonly Violation[]): string[] => [...new Set(vs.map((v) => `${v.code}@${v.field}`))].sort();
/** Every "CODE@field" in the order reported, duplicates kept. */
export const keyedList = (vs: readonly Violation[]): string[] => vs.map((v) => `${v.code}@${v.field}`);
export const sortedSet = (xs: Iterable<string>): string[] => [...new Set(xs)].sort();

/**
 * The violations, as "CODE@field", are `first` in this order (the life and consent-form checks that
 * lead every result), then exactly `rest` in any order — duplicates counted, so a fault reported
 * twice fails.
 */
export function assertViolations(got: readonly Violation[], first: readonly string[], rest: readonly string[], note = ''): void {
  const all = keyedList(got);
  assert.deepEqual(all.slice(0, first.length), [...first], `leading violations ${note}: ${JSON.stringify(all)}`);
  assert.deepEqual(all.slice(first.length).sort(), [...rest].sort(), `violations ${note}: ${JSON.stringify(all)}`);
}

// ---------------------------------------------------------------- independent date oracles

export const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const monthLength = (y: number, m: number): number => (m === 2 ? (isLeap(y) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31);

/**
 * The ordinal of a day in the proleptic Gregorian calendar (1 January of year 1 is day 1), counted
 * from the leap-year rule alone: no Date, so that it cannot share a mistake with epoch arithmetic.
 */
export function dayNumber(day: string): number {
  const y = Number(day.slice(0, 4));
  const m = Number(day.slice(5, 7));
  const d = Number(day.slice(8, 10));
  const p = y - 1;
  let n = 365 * p + Math.floor(p / 4) - Math.floor(p / 100) + Math.floor(p / 400);
  for (let k = 1; k < m; k++) n += monthLength(y, k);
  return n + d;
}

/** Days from `from` to `to`, both counted (0 when `to` is before `from`), by the day ordinal. */
export function spanDays(from: string, to: string): number {
  const d = dayNumber(to) - dayNumber(from);
  return d < 0 ? 0 : d + 1;
}

/** The same month and day `years` later; 29 February becomes 28 February in a common year. */
export function anniversary(day: string, years: number): string {
  const y = Number(day.slice(0, 4)) + years;
  const md = day.slice(5) === '02-29' && !isLeap(y) ? '02-28' : day.slice(5);
  return `${y}-${md}`;
}

/** Completed years on `day` for a full date of birth; 29 February birthdays fall on 28 February. */
export function ageOracle(dob: string, day: string): number {
  const years = Number(day.slice(0, 4)) - Number(dob.slice(0, 4));
  return day < anniversary(dob, years) ? years - 1 : years;
}

/** Every full day a (partial) date of birth may stand for. */
export function fullDaysOf(partial: string): string[] {
  const y = Number(partial.slice(0, 4));
  const months = partial.length >= 7 ? [Number(partial.slice(5, 7))] : [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  if (partial.length === 10) return [partial];
  const out: string[] = [];
  for (const m of months) {
    for (let d = 1; d <= monthLength(y, m); d++) out.push(`${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
  }
  return out;
}

/** The conservative age: the least any possible birthday gives. */
export const minimumAge = (partial: string, day: string): number => Math.min(...fullDaysOf(partial).map((d) => ageOracle(d, day)));

// ---------------------------------------------------------------- arbitraries

export const dayArb = fc.integer({ min: 0, max: 365 * 12 }).map((k) => addDays('2020-01-01', k));
export const precisionArb = fc.constantFrom<'day' | 'month' | 'year'>('day', 'month', 'year');
export const truncate = (day: string, p: 'day' | 'month' | 'year'): string => (p === 'day' ? day : p === 'month' ? day.slice(0, 7) : day.slice(0, 4));

/** A date of birth 14 to 22 years before `day`, at any precision: ages around 18 are frequent. */
export const dobNear = (day: string): fc.Arbitrary<string> =>
  fc.tuple(fc.integer({ min: 14 * 365, max: 22 * 366 }), precisionArb).map(([k, p]) => truncate(addDays(day, -k), p));

export const personalIdArb = fc.stringMatching(/^\d{12}$/);

/** A consent for any role and method, from one of `ids` or from nobody named. */
export const consentArb = (ids: readonly string[]): fc.Arbitrary<Consent> =>
  fc
    .record({
      role: fc.constantFrom<ConsentRole>('household_head', 'owner', 'parent_guardian'),
      method: fc.constantFrom<ConsentMethod>('signature', 'eid_app', 'written_note'),
      personalId: fc.option(fc.constantFrom(...ids), { nil: undefined }),
    })
    .map(({ role, method, personalId }) => consent(role, personalId, method));

export const lawfulKindArb = fc.constantFrom<LawfulResidenceKind>(
  'owned', 'rented', 'borrowed', 'relative_dwelling', 'religious_facility', 'care_facility', 'vehicle_or_boat', 'military_unit',
);
export const lawfulArb = (ids: readonly string[]): fc.Arbitrary<LawfulResidence> =>
  fc.record({ kind: lawfulKindArb, owner: fc.option(fc.constantFrom(...ids), { nil: undefined }) }).map(({ kind, owner }) => lawful(kind, owner));

export const nonHeadRelationshipArb = fc.constantFrom(...RELATIONSHIP_CODES.filter((r) => r !== 'head'));
export const relationshipArb = fc.constantFrom(...RELATIONSHIP_CODES);

/**
 * A few communes and house numbers, mostly on the 2025 unit list and in Vietnam, so that equal
 * addresses come up often; sometimes the same code on the pre-2025 list (00004 is another commune
 * there), "VN" written out (the same as no country), or another country.
 */
export const addressArb: fc.Arbitrary<Address> = fc
  .tuple(
    fc.constantFrom('00004', '00007', '26734'),
    fc.constantFrom(undefined, '1 Lê Lợi', '2 Lê Lợi'),
    fc.constantFrom<Address['unitSet']>('2025', '2025', '2025', 'pre2025', undefined),
    fc.constantFrom(undefined, undefined, undefined, 'VN', 'LA'),
  )
  .map(([unitCode, detail, unitSet, country]) => ({
    ...(country === undefined ? {} : { country }),
    ...(unitSet === undefined ? {} : { unitSet }),
    unitCode,
    ...(detail === undefined ? {} : { detail }),
  }));

/** The same registered address, written from the rule: country (VN when absent), unit list, unit code, detail ("" when absent). */
export const sameAddressOracle = (a: Address, b: Address): boolean =>
  (a.country ?? 'VN') === (b.country ?? 'VN') && a.unitSet === b.unitSet && a.unitCode === b.unitCode && (a.detail ?? '') === (b.detail ?? '');
/** The same commune: the unit list and the code on it. */
export const sameCommuneOracle = (a: Address, b: Address): boolean => a.unitSet === b.unitSet && a.unitCode === b.unitCode;

// ---------------------------------------------------------------- the consent oracle

export const NEEDS_OWNER = new Set<LawfulResidenceKind>(['rented', 'borrowed', 'relative_dwelling']);

/**
 * What a required consent check should report, written from the rule: the role's consent must be
 * there, from `expected` when the registry knows who that is. At most one violation, on "consents".
 */
export function consentOracle(consents: readonly Consent[], role: ConsentRole, expected: string | undefined): string[] {
  const ofRole = consents.filter((c) => c.role === role);
  if (ofRole.length === 0) return ['CONSENT_REQUIRED'];
  if (expected !== undefined && !ofRole.some((c) => c.personalId === expected)) return ['CONSENT_FROM_WRONG_PERSON'];
  return [];
}

/** consentOracle as "CODE@field". */
export const consentKeys = (consents: readonly Consent[], role: ConsentRole, expected: string | undefined): string[] =>
  consentOracle(consents, role, expected).map((c) => `${c}@consents`);

/**
 * How the consents are written, whichever are required: each e-ID consent that names nobody, once,
 * at its own index ("CODE@field", in the order given).
 */
export function consentFormOracle(consents: readonly Consent[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < consents.length; i++) {
    const c = consents[i]!;
    if (c.method === 'eid_app' && c.personalId === undefined) out.push(`CONSENT_INCOMPLETE@consents/${i}/personalId`);
  }
  return out;
}

/** Full civil capacity from first principles: alive and at least 18 by the conservative age. */
export const capableOracle = (m: MemberFacts | undefined, day: string): boolean => m !== undefined && m.alive && minimumAge(m.dateOfBirth, day) >= 18;

/**
 * Luật Cư trú Art. 10, written from the rule: a head has full civil capacity, unless no member has
 * it, when the members nominate one of themselves (alive).
 */
export const headCapacityOracle = (candidate: MemberFacts, members: readonly MemberFacts[], day: string): boolean =>
  capableOracle(candidate, day) || (candidate.alive && members.every((m) => !capableOracle(m, day)));
