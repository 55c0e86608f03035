/** The residence data the generator yields with each batch (households.ts, stays.ts). */
import type { Address } from '../domain/citizen/citizen.js';
import type { Relationship } from '../domain/residence/household.js';

export interface GeneratedHousehold {
  householdId: string;
  address: Address;
  /** Null when no living member has full civil capacity: the headship is vacant. */
  headPersonalId: string | null;
  /**
   * The living members. Each holds the permanent registration seq 1 at the household's address from
   * `joinedOn` (not repeated in `registrations`: half the objects, and the generator is GC-bound).
   */
  members: GeneratedMember[];
}

export interface GeneratedMember {
  personalId: string;
  relationship: Relationship;
  joinedOn: string;
}

export interface GeneratedRegistration {
  personalId: string;
  seq: number;
  kind: 'permanent' | 'temporary';
  address: Address;
  householdId: string | null;
  relationship: Relationship | null;
  startOn: string;
  validUntil: string | null;
  endedOn: string | null;
  endReason: 'death' | null;
}

export interface GeneratedStayNotice {
  personalId: string;
  seq: number;
  address: Address;
  host: { fullName: string; phone: string };
  arrivalAt: string;
  departureOn: string;
  notifiedAt: string;
  onTime: boolean;
}

/** The residence data of a batch, grouped by kind (families appended in order). */
export interface GeneratedResidence {
  households: GeneratedHousehold[];
  /** All registrations but the members' own (see GeneratedHousehold.members): ended and temporary ones. */
  registrations: GeneratedRegistration[];
  stayNotices: GeneratedStayNotice[];
}

export function emptyResidence(): GeneratedResidence {
  return { households: [], registrations: [], stayNotices: [] };
}

/** Every registration of a batch, the members' permanent ones included, by person and seq. */
export function allRegistrations(r: GeneratedResidence): GeneratedRegistration[] {
  const out: GeneratedRegistration[] = [...r.registrations];
  for (const h of r.households) {
    for (const m of h.members) {
      out.push({
        personalId: m.personalId, seq: 1, kind: 'permanent', address: h.address, householdId: h.householdId,
        relationship: m.relationship, startOn: m.joinedOn, validUntil: null, endedOn: null, endReason: null,
      });
    }
  }
  return out.sort((a, b) => (a.personalId < b.personalId ? -1 : a.personalId > b.personalId ? 1 : a.seq - b.seq));
}
