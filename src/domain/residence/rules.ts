/**
 * The conditions of each residence procedure, as pure checks over facts the service gathers.
 * Each check returns every violation it finds (empty = the application may proceed); the first
 * violation's code is the refusal's code. Legal bases, article by article: docs/legal/residence.md.
 */
import type { Address } from '../citizen/citizen.js';
import { addDays } from '../dates/day-arithmetic.js';
import { daysInMonth, precisionOf, yearOf } from '../dates/partial-date.js';
import { ageOn } from '../cards/expiry.js';
import type { HouseholdFacts, MemberFacts, Relationship } from './household.js';
import { floorAreaViolations, prohibitedPlaceViolations, repeatedNoticeViolations, type ProhibitedPlace } from './conditions.js';
import { DEFAULT_RESIDENCE_POLICY, NATIONAL_MIN_FLOOR_AREA_M2, type ResidencePolicy } from './policy.js';
import {
  ABSENCE_GROUNDS, NEEDS_OWNER_CONSENT, type AbsenceGround, type CloseRelative, type Consent, type ConsentRole, type LawfulResidence,
} from './procedures.js';
import {
  canFileExtension, extensionWindow, isAllowedTemporaryResidenceEnd, requiresTemporaryRegistration, type ResidenceKind,
} from './time-rules.js';
import { violation as v, type Violation } from './violation.js';

export type { Violation } from './violation.js';

/** A registration as the rules see it (the current one of its kind, if any). */
export interface RegistrationFacts {
  seq: number;
  kind: ResidenceKind | 'absence';
  address: Address;
  startOn: string;
  validUntil?: string;
  householdId?: string;
}

export interface PersonFacts {
  personalId: string;
  dateOfBirth: string;
  dead: boolean;
  missing: boolean;
  permanent?: RegistrationFacts;
  /** The temporary registration not yet ended (it may have expired by the clock). */
  temporary?: RegistrationFacts;
  /** The absence declaration not yet ended (validUntil = its last day). */
  absence?: RegistrationFacts;
}

export const FULL_AGE = 18;

/**
 * Completed years on `day`, counting a partial date of birth from its latest possible day (a person
 * born "1990" is taken as born on 31/12/1990): the conservative reading for capacity and for the
 * protection of minors.
 */
export function completedYears(dateOfBirth: string, day: string): number {
  const p = precisionOf(dateOfBirth);
  const y = yearOf(dateOfBirth);
  const latest =
    p === 'day' ? dateOfBirth
    : p === 'month' ? `${dateOfBirth}-${String(daysInMonth(y, Number(dateOfBirth.slice(5, 7)))).padStart(2, '0')}`
    : `${dateOfBirth}-12-31`;
  return ageOn(latest, day);
}

/** Full civil capacity as the registry can know it: of age and neither dead nor declared missing. */
export function hasFullCivilCapacity(p: { dateOfBirth: string; dead: boolean; missing?: boolean }, day: string): boolean {
  return !p.dead && !p.missing && completedYears(p.dateOfBirth, day) >= FULL_AGE;
}

function lifeViolations(p: PersonFacts, field = 'personalId'): Violation[] {
  if (p.dead) return [v('CITIZEN_DECEASED', field, `${p.personalId} is recorded as deceased`)];
  if (p.missing) return [v('CITIZEN_MISSING', field, `${p.personalId} is declared missing`)];
  return [];
}

/** Whether the consents include one for `role`, from `expectedPersonalId` when the registry knows who that must be. */
/**
 * Problems in how the consents are written, whichever are required: confirmation through the e-ID
 * app names the person by personal ID (the declarant enters it — vn-domain §4.2). Checked once
 * per application.
 */
export function consentFormViolations(consents: readonly Consent[]): Violation[] {
  const out: Violation[] = [];
  consents.forEach((c, i) => {
    if (c.method === 'eid_app' && !c.personalId) out.push(v('CONSENT_INCOMPLETE', `consents/${i}/personalId`, 'Consent through the e-ID app names the person by personal ID'));
  });
  return out;
}

export function consentViolations(consents: readonly Consent[], role: ConsentRole, expectedPersonalId: string | undefined, why: string): Violation[] {
  const out: Violation[] = [];
  const given = consents.filter((c) => c.role === role);
  if (given.length === 0) return [v('CONSENT_REQUIRED', 'consents', `Consent of the ${role.replace('_', ' ')} is required: ${why}`)];
  if (expectedPersonalId && !given.some((c) => c.personalId === expectedPersonalId)) {
    out.push(v('CONSENT_FROM_WRONG_PERSON', 'consents', `The ${role.replace('_', ' ')} consent must come from ${expectedPersonalId}`));
  }
  return out;
}

function minorConsent(applicant: PersonFacts, consents: readonly Consent[], day: string): Violation[] {
  return completedYears(applicant.dateOfBirth, day) < FULL_AGE ? consentViolations(consents, 'parent_guardian', undefined, 'the applicant is a minor') : [];
}

/**
 * The owner's consent (Art. 20(2)–(3), 25(1)(b), 28(1)): for a dwelling that is rented, borrowed or a
 * relative's, and for any dwelling recorded as owned by someone other than the applicant.
 */
function ownerConsent(applicantId: string, lawful: LawfulResidence, consents: readonly Consent[], exceptPersonalId?: string): Violation[] {
  const ownedByOther = lawful.kind === 'owned' && lawful.ownerPersonalId !== undefined;
  if (!NEEDS_OWNER_CONSENT.has(lawful.kind) && !ownedByOther) return [];
  if (lawful.ownerPersonalId === applicantId) return [];
  // The head who already consents as head and owns the dwelling need not consent twice.
  if (lawful.ownerPersonalId && lawful.ownerPersonalId === exceptPersonalId) return [];
  return consentViolations(consents, 'owner', lawful.ownerPersonalId, `the dwelling is ${lawful.kind.replace('_', ' ')}`);
}

/**
 * The same registered address: country, unit list, unit and detail. The unit list matters: 00004 is
 * Phường Trúc Bạch before the 2025 reform and Phường Ba Đình after it, so moving an address onto
 * the new list is a renaming, not "no change".
 */
export const sameAddress = (a: Address, b: Address): boolean =>
  (a.country ?? 'VN') === (b.country ?? 'VN') && (a.unitSet ?? '') === (b.unitSet ?? '') && a.unitCode === b.unitCode && (a.detail ?? '') === (b.detail ?? '');

/** The same commune (unit list and code), for the "outside the commune of permanent residence" rule. */
const sameCommune = (a: Address, b: Address): boolean => (a.unitSet ?? '') === (b.unitSet ?? '') && a.unitCode === b.unitCode;

// ---------------------------------------------------------------- permanent registration

export type PermanentTarget =
  | { kind: 'join'; household: HouseholdFacts; relationship: Relationship }
  | { kind: 'new'; address: Address };

export interface PermanentRegistrationFacts {
  day: string;
  applicant: PersonFacts;
  target: PermanentTarget;
  lawfulResidence: LawfulResidence;
  consents: readonly Consent[];
  /** The household the applicant belongs to now, if any. */
  currentHousehold?: HouseholdFacts;
  /** Who heads the current household once the applicant, its head, has left. */
  newHeadOfCurrentHousehold?: string;
  /** The category entry closing the place to new registration (Art. 23), if any. */
  prohibitedPlace?: ProhibitedPlace;
  /** The minimum m² per person in the dwelling's province (Art. 20(3)(b)); the national floor by default. */
  minFloorAreaPerPerson?: number;
}

/** People registered at the dwelling once the applicant is: a known household's living members and the applicant, or as declared. */
export function residentsAfter(target: PermanentTarget, lawful: LawfulResidence): number {
  const known = target.kind === 'join' ? target.household.members.filter((m) => m.alive).length + 1 : 1;
  return Math.max(known, lawful.registeredResidents ?? 1);
}

/**
 * Permanent registration: Art. 20 (owner's and head's consent, (3)(b) floor area), Art. 23 (places),
 * one permanent residence per person, Art. 10 (a leaving head names the next). Register C1–C4, C17–C18.
 */
export function checkPermanentRegistration(f: PermanentRegistrationFacts): Violation[] {
  const out = [...lifeViolations(f.applicant), ...consentFormViolations(f.consents)];
  const t = f.target;
  if (t.kind === 'join') {
    if (t.household.dissolved) out.push(v('HOUSEHOLD_DISSOLVED', 'household/householdId', 'The household no longer exists'));
    if (t.relationship === 'head') out.push(v('RELATIONSHIP_INVALID', 'household/relationship', 'A person joining a household is not its head; change the head by adjustment'));
    if (f.currentHousehold?.householdId === t.household.householdId) out.push(v('ALREADY_REGISTERED_HERE', 'household/householdId', 'Already a member of this household'));
    if (t.household.headPersonalId === null) out.push(v('HOUSEHOLD_HEAD_VACANT', 'household/householdId', 'The household has no head; name one by adjustment first'));
    else out.push(...consentViolations(f.consents, 'household_head', t.household.headPersonalId, 'joining an existing household'));
  } else if (f.applicant.permanent && sameAddress(f.applicant.permanent.address, t.address)) {
    out.push(v('ALREADY_REGISTERED_HERE', 'address', 'Already permanently registered at this address'));
  }
  const headId = t.kind === 'join' ? t.household.headPersonalId ?? undefined : undefined;
  out.push(...prohibitedPlaceViolations(f.prohibitedPlace, t.kind === 'join' ? 'household/householdId' : 'address'));
  out.push(...ownerConsent(f.applicant.personalId, f.lawfulResidence, f.consents, headId));
  out.push(...floorAreaViolations(f.lawfulResidence, residentsAfter(t, f.lawfulResidence), f.minFloorAreaPerPerson ?? NATIONAL_MIN_FLOOR_AREA_M2));
  out.push(...minorConsent(f.applicant, f.consents, f.day));
  out.push(...leavingHeadViolations(f.applicant.personalId, f.currentHousehold, f.newHeadOfCurrentHousehold, 'newHeadOfCurrentHousehold', f.day));
  return out;
}

/**
 * Who may head a household (Luật Cư trú Art. 10): a member with full civil capacity; only when no
 * member has it do the members nominate one of themselves.
 */
export function headCapacityViolations(candidate: MemberFacts, members: readonly MemberFacts[], day: string, field: string): Violation[] {
  const capable = (m: MemberFacts) => hasFullCivilCapacity({ dateOfBirth: m.dateOfBirth, dead: !m.alive }, day);
  if (capable(candidate) || (candidate.alive && !members.some(capable))) return [];
  return [v('NO_FULL_CIVIL_CAPACITY', field, 'The head must have full civil capacity while a member has it')];
}

/** A head leaving a household that keeps other members must name who heads it next. */
export function leavingHeadViolations(personalId: string, h: HouseholdFacts | undefined, newHead: string | undefined, field: string, day: string): Violation[] {
  if (!h || h.headPersonalId !== personalId) return [];
  const others = h.members.filter((m) => m.personalId !== personalId && m.alive);
  if (others.length === 0) return [];
  if (!newHead) return [v('HEAD_MUST_BE_REPLACED', field, 'The applicant heads a household with other members; name its new head')];
  const next = others.find((m) => m.personalId === newHead);
  if (!next) return [v('NOT_A_HOUSEHOLD_MEMBER', field, `${newHead} is not a remaining member of the household`)];
  return headCapacityViolations(next, others, day, field);
}

// ---------------------------------------------------------------- temporary registration

export interface TemporaryRegistrationFacts {
  day: string;
  applicant: PersonFacts;
  address: Address;
  /** Requested last valid day (the registration starts on the day it is approved). */
  validUntil: string;
  lawfulResidence: LawfulResidence;
  consents: readonly Consent[];
  prohibitedPlace?: ProhibitedPlace;
  policy?: ResidencePolicy;
}

/**
 * Temporary registration: Art. 27 (outside the commune of permanent residence; at most 2 years; not
 * at an Art. 23 place), Art. 28(1) (owner's consent). Art. 27(1) makes registration obligatory from
 * 30 days; it does not forbid registering a shorter stay, so the shortest stay accepted is policy
 * (none by default). Register C2, C4–C6, C22.
 */
export function checkTemporaryRegistration(f: TemporaryRegistrationFacts): Violation[] {
  const out = [...lifeViolations(f.applicant), ...consentFormViolations(f.consents)];
  const minDays = (f.policy ?? DEFAULT_RESIDENCE_POLICY).minTemporaryStayDays;
  if (f.validUntil < f.day) {
    out.push(v('VALIDATION_FAILED', 'validUntil', 'The last valid day is before the registration starts'));
  } else if (daysFrom(f.day, f.validUntil) < minDays) {
    out.push(v('STAY_TOO_SHORT', 'validUntil', `By this registry's policy a temporary registration is for stays of ${minDays} days or more`));
  } else if (!isAllowedTemporaryResidenceEnd(f.day, f.validUntil)) {
    out.push(v('TEMPORARY_VALIDITY_TOO_LONG', 'validUntil', 'A temporary registration is valid for at most 2 years'));
  }
  const home = f.applicant.permanent?.address;
  if (home && sameCommune(home, f.address)) {
    out.push(v('SAME_COMMUNE_AS_PERMANENT', 'address', 'Temporary registration is for living outside the commune of permanent residence'));
  }
  out.push(...prohibitedPlaceViolations(f.prohibitedPlace, 'address'));
  out.push(...ownerConsent(f.applicant.personalId, f.lawfulResidence, f.consents));
  out.push(...minorConsent(f.applicant, f.consents, f.day));
  return out;
}

/** Days of stay from `from` to `to` counting both ends, as a stay of 1 day arrives and leaves the same day; 0 when `to` is before `from`. */
export function daysFrom(from: string, to: string): number {
  const days = Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
  return Math.max(0, days);
}

// ---------------------------------------------------------------- extension

/** Extension: Art. 28(3), filed within the 15 days before expiry; at most 2 years again (Art. 27(2)). Register C6, C9. */
export function checkExtension(f: { day: string; applicant: PersonFacts; validUntil: string }): Violation[] {
  const out = lifeViolations(f.applicant);
  const t = f.applicant.temporary;
  if (!t?.validUntil || t.validUntil < f.day) {
    out.push(v('NO_ACTIVE_TEMPORARY_RESIDENCE', 'personalId', 'There is no temporary registration in force to extend'));
    return out;
  }
  if (!canFileExtension(t.validUntil, f.day)) {
    const w = extensionWindow(t.validUntil);
    out.push(v('EXTENSION_WINDOW_CLOSED', 'personalId', `An extension is filed within the 15 days before expiry: ${w.from} to ${w.to}`));
  }
  if (f.validUntil <= t.validUntil) out.push(v('VALIDATION_FAILED', 'validUntil', 'The new last day must be after the current one'));
  else if (!isAllowedTemporaryResidenceEnd(addDays(t.validUntil, 1), f.validUntil)) {
    out.push(v('TEMPORARY_VALIDITY_TOO_LONG', 'validUntil', 'An extension runs at most 2 years from the day after the current last day'));
  }
  return out;
}

// ---------------------------------------------------------------- household split

export interface SplitFacts {
  day: string;
  household: HouseholdFacts;
  leaving: readonly { personalId: string; relationship: Relationship }[];
  newHeadPersonalId: string;
  consents: readonly Consent[];
  lawfulResidence: LawfulResidence;
  /** A divorced spouse who keeps using the dwelling needs no consent (Art. 25(1)). */
  divorcedSpouseKeepsDwelling: boolean;
  /** When the head leaves with the split-off group: who heads the household that stays. */
  newHeadOfRemainingHousehold?: string;
  prohibitedPlace?: ProhibitedPlace;
  policy?: ResidencePolicy;
}

/** Household split: Art. 25(1)(a)–(c); no article keeps the head back (policy P2). Register C7–C8. */
export function checkSplit(f: SplitFacts): Violation[] {
  const h = f.household;
  if (h.dissolved) return [v('HOUSEHOLD_DISSOLVED', 'householdId', 'The household no longer exists')];
  const out: Violation[] = [...consentFormViolations(f.consents), ...prohibitedPlaceViolations(f.prohibitedPlace, 'householdId')];
  const headMaySplitOff = (f.policy ?? DEFAULT_RESIDENCE_POLICY).headMaySplitOff;
  const byId = new Map(h.members.map((m) => [m.personalId, m]));
  const ids = new Set<string>();
  f.leaving.forEach((l, i) => {
    const m = byId.get(l.personalId);
    if (!m) out.push(v('NOT_A_HOUSEHOLD_MEMBER', `members/${i}/personalId`, `${l.personalId} is not a member of ${h.householdId}`));
    else if (!m.alive) out.push(v('CITIZEN_DECEASED', `members/${i}/personalId`, `${l.personalId} is recorded as deceased`));
    if (l.personalId === h.headPersonalId && !headMaySplitOff) out.push(v('HEAD_CANNOT_SPLIT_OFF', `members/${i}/personalId`, 'By this registry\'s policy the head stays; the members who leave form the new household'));
    if (ids.has(l.personalId)) out.push(v('VALIDATION_FAILED', `members/${i}/personalId`, 'Listed twice'));
    ids.add(l.personalId);
    const isNewHead = l.personalId === f.newHeadPersonalId;
    if (isNewHead !== (l.relationship === 'head')) out.push(v('RELATIONSHIP_INVALID', `members/${i}/relationship`, 'The new head, and only the new head, has relationship "head"'));
  });
  if (!ids.has(f.newHeadPersonalId)) out.push(v('NEW_HEAD_NOT_LEAVING', 'newHeadPersonalId', 'The new head is one of the members who leave'));
  const remaining = h.members.filter((m) => !ids.has(m.personalId) && m.alive);
  if (remaining.length === 0) out.push(v('SPLIT_LEAVES_NOBODY', 'members', 'Every member would leave: that is not a split'));
  // No article keeps the head back; a head who leaves names who heads those who stay (Art. 10).
  else if (headMaySplitOff && h.headPersonalId && ids.has(h.headPersonalId)) {
    out.push(...leavingHeadViolations(h.headPersonalId, { ...h, members: h.members.filter((m) => !ids.has(m.personalId)) }, f.newHeadOfRemainingHousehold, 'newHeadOfRemainingHousehold', f.day));
  }
  const leavers = f.leaving.map((l) => byId.get(l.personalId)).filter((m) => m !== undefined);
  if (leavers.length > 0 && !leavers.some((m) => hasFullCivilCapacity({ dateOfBirth: m.dateOfBirth, dead: !m.alive }, f.day))) {
    out.push(v('NO_FULL_CIVIL_CAPACITY', 'members', 'At least one member who leaves must have full civil capacity'));
  }
  const newHead = byId.get(f.newHeadPersonalId);
  if (newHead && !hasFullCivilCapacity({ dateOfBirth: newHead.dateOfBirth, dead: !newHead.alive }, f.day)) {
    out.push(v('NO_FULL_CIVIL_CAPACITY', 'newHeadPersonalId', 'The new head must have full civil capacity'));
  }
  if (!f.divorcedSpouseKeepsDwelling) {
    if (h.headPersonalId) out.push(...consentViolations(f.consents, 'household_head', h.headPersonalId, 'a household split'));
    out.push(...ownerConsent(f.newHeadPersonalId, f.lawfulResidence, f.consents, h.headPersonalId ?? undefined));
  }
  return out;
}

// ---------------------------------------------------------------- information adjustment

export type Adjustment =
  | { kind: 'change_head'; newHeadPersonalId: string; relationships: readonly { personalId: string; relationship: Relationship }[] }
  | { kind: 'change_relationship'; personalId: string; relationship: Relationship }
  | { kind: 'identity_data'; personalId: string; fields: readonly string[] }
  | { kind: 'rename_address'; address: Address };

/** Adjustment of residence information: Art. 26 (wording unconfirmed, register §3); head capacity Art. 10. */
export function checkAdjustment(f: { day: string; household: HouseholdFacts; adjustment: Adjustment; consents: readonly Consent[] }): Violation[] {
  const h = f.household;
  const a = f.adjustment;
  if (h.dissolved) return [v('HOUSEHOLD_DISSOLVED', 'householdId', 'The household no longer exists')];
  const members = new Map(h.members.map((m) => [m.personalId, m]));
  const out: Violation[] = consentFormViolations(f.consents);
  switch (a.kind) {
    case 'change_head': {
      const m = members.get(a.newHeadPersonalId);
      if (!m) out.push(v('NOT_A_HOUSEHOLD_MEMBER', 'adjustment/newHeadPersonalId', `${a.newHeadPersonalId} is not a member`));
      else out.push(...headCapacityViolations(m, h.members, f.day, 'adjustment/newHeadPersonalId'));
      if (a.newHeadPersonalId === h.headPersonalId) out.push(v('NO_CHANGE', 'adjustment/newHeadPersonalId', 'Already the head'));
      a.relationships.forEach((r, i) => {
        if (!members.has(r.personalId)) out.push(v('NOT_A_HOUSEHOLD_MEMBER', `adjustment/relationships/${i}`, `${r.personalId} is not a member`));
        if (r.relationship === 'head' || r.personalId === a.newHeadPersonalId) out.push(v('RELATIONSHIP_INVALID', `adjustment/relationships/${i}`, 'Relationships are to the new head, who is not listed'));
      });
      // The outgoing head (if alive) agrees to hand over and is given a relationship to the new
      // head; a vacant headship needs no consent.
      if (h.headPersonalId && members.get(h.headPersonalId)?.alive) {
        out.push(...consentViolations(f.consents, 'household_head', h.headPersonalId, 'changing the head'));
        if (!a.relationships.some((r) => r.personalId === h.headPersonalId)) {
          out.push(v('RELATIONSHIP_INVALID', 'adjustment/relationships', 'Give the outgoing head\'s relationship to the new head'));
        }
      }
      break;
    }
    case 'change_relationship': {
      const m = members.get(a.personalId);
      if (!m) out.push(v('NOT_A_HOUSEHOLD_MEMBER', 'adjustment/personalId', `${a.personalId} is not a member`));
      else if (m.relationship === a.relationship) out.push(v('NO_CHANGE', 'adjustment/relationship', 'The relationship is already recorded'));
      if (a.relationship === 'head' || a.personalId === h.headPersonalId) out.push(v('RELATIONSHIP_INVALID', 'adjustment/relationship', 'Change the head with change_head'));
      break;
    }
    case 'identity_data':
      if (!members.has(a.personalId)) out.push(v('NOT_A_HOUSEHOLD_MEMBER', 'adjustment/personalId', `${a.personalId} is not a member`));
      if (a.fields.length === 0) out.push(v('VALIDATION_FAILED', 'adjustment/fields', 'Name the identity fields that changed'));
      break;
    case 'rename_address':
      if (sameAddress(a.address, h.address)) out.push(v('NO_CHANGE', 'adjustment/address', 'The address is unchanged'));
      break;
  }
  return out;
}

// ---------------------------------------------------------------- stay notice and absence

/** Stay notice: under 30 days (Art. 2(6)); one notice for close relatives staying repeatedly (Art. 30). Register C19–C20. */
export function checkStayNotice(f: { arrivalDay: string; departureDay: string; stayer: PersonFacts; closeRelative?: CloseRelative; repeated?: boolean }): Violation[] {
  const out = [...lifeViolations(f.stayer, 'stayer/personalId'), ...repeatedNoticeViolations({ repeated: f.repeated === true, ...(f.closeRelative ? { closeRelative: f.closeRelative } : {}) })];
  if (f.departureDay < f.arrivalDay) out.push(v('VALIDATION_FAILED', 'departureOn', 'Departure is before arrival'));
  else if (requiresTemporaryRegistration(daysFrom(f.arrivalDay, f.departureDay))) {
    out.push(v('STAY_TOO_LONG', 'departureOn', 'A stay of 30 days or more needs temporary registration'));
  }
  return out;
}

/** Absence declaration: Art. 31(1) grounds, some with the supervising authority's written consent. Register C21. */
export function checkAbsenceDeclaration(f: {
  day: string; person: PersonFacts; ground: AbsenceGround; from: string; until: string; authorityConsent?: string;
}): Violation[] {
  const out = lifeViolations(f.person);
  if (!f.person.permanent && !f.person.temporary) out.push(v('NOT_REGISTERED', 'personalId', 'Absence is declared from a place of residence'));
  if (f.until < f.from) out.push(v('VALIDATION_FAILED', 'until', 'The absence ends before it begins'));
  if (ABSENCE_GROUNDS[f.ground].needsAuthorityConsent && !f.authorityConsent?.trim()) {
    out.push(v('AUTHORITY_CONSENT_REQUIRED', 'authorityConsent', 'This ground needs the written consent of the supervising authority'));
  }
  return out;
}
