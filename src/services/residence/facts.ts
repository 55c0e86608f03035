/**
 * Gathers what the residence rules need from the store: a person's current registrations and
 * household, a household with its members' dates of birth and life status. The rules themselves
 * are pure (domain/residence/rules.ts).
 */
import type { Address } from '../../domain/citizen/citizen.js';
import { RegistryError } from '../../domain/errors/registry-error.js';
import type { HouseholdFacts } from '../../domain/residence/household.js';
import type { PersonFacts, RegistrationFacts, Violation } from '../../domain/residence/rules.js';
import { findCitizens } from '../../store/repositories/citizens.js';
import { findHousehold, type Household } from '../../store/repositories/households.js';
import { listRegistrations, type Registration } from '../../store/repositories/residence-registrations.js';
import type { Db } from '../../store/schema.js';
import type { CategoryCatalogue } from '../categories.js';
import { getCurrent } from '../citizens/current.js';

/** The open registrations of a person, by kind (the newest open one of each). */
export interface OpenRegistrations {
  permanent?: Registration;
  temporary?: Registration;
  absence?: Registration;
  all: Registration[];
}

export function openRegistrations(all: Registration[]): OpenRegistrations {
  const out: OpenRegistrations = { all };
  for (const r of all) if (!r.endedOn) out[r.kind] = r;
  return out;
}

const toFacts = (r: Registration): RegistrationFacts => ({
  seq: r.seq,
  kind: r.kind,
  address: r.address,
  startOn: r.startOn,
  ...(r.validUntil ? { validUntil: r.validUntil } : {}),
  ...(r.householdId ? { householdId: r.householdId } : {}),
});

export interface PersonState {
  facts: PersonFacts;
  open: OpenRegistrations;
}

export async function personState(tx: Db, personalId: string): Promise<PersonState> {
  const c = await getCurrent(tx, personalId);
  const open = openRegistrations(await listRegistrations(tx, c.personalId));
  return {
    facts: {
      personalId: c.personalId,
      dateOfBirth: c.dateOfBirth,
      dead: Boolean(c.dateOfDeath),
      missing: Boolean(c.dateDeclaredMissing),
      ...(open.permanent ? { permanent: toFacts(open.permanent) } : {}),
      ...(open.temporary ? { temporary: toFacts(open.temporary) } : {}),
      ...(open.absence ? { absence: toFacts(open.absence) } : {}),
    },
    open,
  };
}

export async function getHousehold(tx: Db, householdId: string): Promise<Household> {
  const h = await findHousehold(tx, householdId);
  if (!h) throw new RegistryError('HOUSEHOLD_NOT_FOUND');
  return h;
}

export async function householdFacts(tx: Db, h: Household): Promise<HouseholdFacts> {
  const people = new Map((await findCitizens(tx, h.members.map((m) => m.personalId))).map((c) => [c.personalId, c]));
  return {
    householdId: h.householdId,
    address: h.address,
    headPersonalId: h.headPersonalId,
    dissolved: Boolean(h.dissolvedAt),
    members: h.members.map((m) => {
      const c = people.get(m.personalId);
      return { personalId: m.personalId, relationship: m.relationship, dateOfBirth: c?.dateOfBirth ?? '1900', alive: Boolean(c && !c.dateOfDeath && !c.dateDeclaredMissing) };
    }),
  };
}

/** The household a person belongs to now (through their open permanent registration). */
export async function currentHousehold(tx: Db, open: OpenRegistrations): Promise<Household | undefined> {
  const id = open.permanent?.householdId;
  return id ? findHousehold(tx, id) : undefined;
}

/** A residence address names a commune in force on `day` (any unit list), with a detail. */
export function addressViolations(catalogue: CategoryCatalogue, address: Address, day: string, field: string): Violation[] {
  const abroad = address.country !== undefined && address.country !== 'VN';
  const unit = !abroad && address.unitSet && address.unitCode ? catalogue.unit(address.unitSet, address.unitCode, day) : undefined;
  if (!unit || unit.level !== 'commune' || !address.detail?.trim()) {
    return [{ code: 'ADDRESS_NOT_A_COMMUNE', field, message: 'Give a commune in force today (unitSet + 5-digit unitCode) and the detail (house number, street, hamlet)' }];
  }
  return [];
}

export function throwIfAny(violations: Violation[]): void {
  const first = violations[0];
  if (first) throw new RegistryError(first.code, { fields: violations.map((v) => ({ field: v.field, code: v.code, message: v.message })) });
}
