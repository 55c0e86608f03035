/** Table types of the residence register (migration 0004); conventions as in schema.ts. */

export interface HouseholdTable {
  household_id: string; // the residence file number (số hồ sơ cư trú)
  address: string; // JSON Address
  head_personal_id: string | null;
  version: number;
  created_at: string;
  updated_at: string;
  dissolved_at: string | null;
}

export interface HouseholdMemberTable {
  household_id: string;
  personal_id: string;
  relationship: string;
  joined_on: string;
}

export interface HouseholdHistoryTable {
  household_id: string;
  version: number;
  recorded_at: string;
  actor_id: string;
  source: string;
  change_kind: string;
  reason: string | null;
  application_id: string | null;
  changes: string; // JSON {field: [before, after]}
}

export interface ResidenceRegistrationTable {
  personal_id: string;
  seq: number;
  kind: string; // permanent | temporary | absence
  address: string; // JSON Address, as registered (never rewritten)
  household_id: string | null;
  relationship: string | null;
  start_on: string;
  valid_until: string | null;
  ended_on: string | null;
  end_reason: string | null;
  application_id: string | null;
  details: string | null; // JSON
  recorded_at: string;
}

export interface ResidenceEventTable {
  personal_id: string;
  revision: number;
  recorded_at: string;
  actor_id: string;
  kind: string;
  application_id: string | null;
  details: string; // JSON
}

export interface StayNoticeTable {
  personal_id: string;
  seq: number;
  address: string; // JSON Address
  host: string; // JSON {fullName, personalId?, phone?}
  arrival_at: string;
  departure_on: string;
  notified_at: string;
  on_time: number;
  application_id: string | null;
}

export interface ResidenceApplicationTable {
  application_id: string;
  procedure: string;
  status: string;
  personal_id: string; // the person the application is about (the applicant, or the new head in a split)
  household_id: string | null;
  unit_code: string | null; // the commune that handles it
  submitted_at: string;
  submitted_by: string;
  received_on: string;
  due_on: string | null;
  due_half: string | null;
  request: string; // JSON: the application as filed
  forms: string; // JSON: CT05 / CT06 issued, and the lifecycle steps
  decided_at: string | null;
  decided_by: string | null;
  outcome: string | null; // JSON: what approval did
  version: number;
  updated_at: string;
}
