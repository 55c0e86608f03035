/** Consent of the data subject to agencies outside the state (migration 0024; decision 0044). */

export interface ConsentRequestTable {
  personal_id: string;
  consent_id: string;
  code: string;
  connection_id: string;
  agency_code: string;
  purpose: string;
  data: string; // JSON [{service, fields}]
  valid_days: number;
  state: string;
  created_at: string;
  answer_by: string;
  decided_at: string | null;
  valid_until: string | null;
  ended_at: string | null;
  version: number;
}

export interface ConsentEventTable {
  personal_id: string;
  consent_id: string;
  seq: number;
  at: string;
  actor_id: string;
  kind: string;
  channel: string | null;
  details: string; // JSON
}

export interface ConsentUseTable {
  personal_id: string;
  consent_id: string;
  entry_id: string;
  at: string;
  action: string;
  fields: string; // JSON list
}
