/**
 * The rows a batch's residence register occupies: households with their members and first history
 * version, every person's registrations and one residence event per registration, stay notices.
 * Written with the batch's citizens, in the same transaction (see load-citizens.ts).
 */
import type { Address } from '../../domain/citizen/citizen.js';
import type { Relationship } from '../../domain/residence/household.js';
import { diffHouseholds, type HouseholdState, type ResidenceEventKind } from '../../domain/residence/household-history.js';
import type { Database } from '../schema.js';
import type { StayNotice } from '../repositories/residence-registrations.js';

/** A household as the bulk loader takes it: its living members each hold permanent registration seq 1. */
export interface BulkHousehold {
  householdId: string;
  address: Address;
  headPersonalId: string | null;
  members: readonly { personalId: string; relationship: Relationship; joinedOn: string }[];
}

/** A registration other than a member's own open permanent one (ended ones, temporary ones). */
export interface BulkRegistration {
  personalId: string;
  seq: number;
  kind: 'permanent' | 'temporary';
  address: Address;
  householdId: string | null;
  relationship: Relationship | null;
  startOn: string;
  validUntil: string | null;
  endedOn: string | null;
  endReason: string | null;
}

/** A stay notice as the repository holds it, without an application (seeded notices have none). */
export type BulkStayNotice = Omit<StayNotice, 'applicationId'>;

export interface BulkResidence {
  households: readonly BulkHousehold[];
  registrations: readonly BulkRegistration[];
  stayNotices: readonly BulkStayNotice[];
}

/** Who wrote the rows and when (all rows of a seed run carry the run's "now"). */
export interface ResidenceRecord {
  actorId: string;
  source: string;
  changeKind: string;
  at: string;
}

export interface ResidenceRowSet {
  household: Database['household'][];
  household_member: Database['household_member'][];
  household_history: Database['household_history'][];
  residence_registration: Database['residence_registration'][];
  residence_event: Database['residence_event'][];
  stay_notice: Database['stay_notice'][];
}

function registrationRow(
  personalId: string,
  seq: number,
  kind: string,
  address: string,
  householdId: string | null,
  relationship: string | null,
  startOn: string,
  rest: { validUntil: string | null; endedOn: string | null; endReason: string | null },
  at: string,
): Database['residence_registration'] {
  return {
    personal_id: personalId,
    seq,
    kind,
    address,
    household_id: householdId,
    relationship,
    start_on: startOn,
    valid_until: rest.validUntil,
    ended_on: rest.endedOn,
    end_reason: rest.endReason,
    application_id: null,
    details: null,
    recorded_at: at,
  };
}

const OPEN = { validUntil: null, endedOn: null, endReason: null } as const;

export function residenceRowsOf(r: BulkResidence, record: ResidenceRecord): ResidenceRowSet {
  const { at } = record;
  const out: ResidenceRowSet = {
    household: [],
    household_member: [],
    household_history: [],
    residence_registration: [],
    residence_event: [],
    stay_notice: [],
  };
  for (const h of r.households) {
    const address = JSON.stringify(h.address);
    out.household.push({
      household_id: h.householdId,
      address,
      head_personal_id: h.headPersonalId,
      version: 1,
      created_at: at,
      updated_at: at,
      dissolved_at: null,
    });
    const members: Record<string, Relationship> = {};
    for (const m of h.members) {
      members[m.personalId] = m.relationship;
      out.household_member.push({ household_id: h.householdId, personal_id: m.personalId, relationship: m.relationship, joined_on: m.joinedOn });
      out.residence_registration.push(registrationRow(m.personalId, 1, 'permanent', address, h.householdId, m.relationship, m.joinedOn, OPEN, at));
    }
    const state: HouseholdState = { address: h.address, headPersonalId: h.headPersonalId, members };
    out.household_history.push({
      household_id: h.householdId,
      version: 1,
      recorded_at: at,
      actor_id: record.actorId,
      source: record.source,
      change_kind: record.changeKind,
      reason: null,
      application_id: null,
      changes: JSON.stringify(diffHouseholds(null, state)),
    });
  }
  for (const g of r.registrations) {
    out.residence_registration.push(
      registrationRow(g.personalId, g.seq, g.kind, JSON.stringify(g.address), g.householdId, g.relationship, g.startOn, g, at),
    );
  }
  // One event per registration, numbered per person in the order of the registrations.
  out.residence_registration.sort((a, b) => (a.personal_id < b.personal_id ? -1 : a.personal_id > b.personal_id ? 1 : a.seq - b.seq));
  let revision = 0;
  let previous = '';
  for (const g of out.residence_registration) {
    revision = g.personal_id === previous ? revision + 1 : 1;
    previous = g.personal_id;
    const kind: ResidenceEventKind = g.kind === 'permanent' ? 'permanent_registered' : 'temporary_registered';
    const details =
      g.kind === 'permanent'
        ? JSON.stringify({ seq: g.seq, householdId: g.household_id, relationship: g.relationship })
        : JSON.stringify({ seq: g.seq });
    out.residence_event.push({
      personal_id: g.personal_id,
      revision,
      recorded_at: at,
      actor_id: record.actorId,
      kind,
      application_id: null,
      details,
    });
    // A registration already ended (by death) has its ending recorded too, as the procedures do.
    if (g.ended_on !== null) {
      revision += 1;
      out.residence_event.push({
        personal_id: g.personal_id,
        revision,
        recorded_at: at,
        actor_id: record.actorId,
        kind: g.kind === 'permanent' ? 'permanent_ended' : 'temporary_ended',
        application_id: null,
        details: JSON.stringify({ seq: g.seq, changes: { endedOn: [null, g.ended_on], endReason: [null, g.end_reason] } }),
      });
    }
  }
  for (const s of r.stayNotices) {
    out.stay_notice.push({
      personal_id: s.personalId,
      seq: s.seq,
      address: JSON.stringify(s.address),
      host: JSON.stringify(s.host),
      arrival_at: s.arrivalAt,
      departure_on: s.departureOn,
      notified_at: s.notifiedAt,
      on_time: s.onTime ? 1 : 0,
      application_id: null,
    });
  }
  return out;
}
