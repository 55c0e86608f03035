/** Written requests for citizens' data (migration 0018; decision 0040). */

export interface WrittenRequestTable {
  request_id: string;
  personal_id: string;
  status: string; // awaiting_consent | open | provided | refused
  channel: string; // counter | post
  received_at: string;
  received_on: string;
  due_on: string | null; // null while the subject's consent is awaited
  due_half: string | null; // noon | end_of_day
  requester: string; // JSON
  requester_personal_id: string | null; // a citizen requester's personal ID (migration 0029)
  fields: string; // JSON list of field groups
  purpose: string;
  consent_required: number;
  recorded_by: string;
  decided_at: string | null;
  decided_by: string | null;
  reasons: string | null; // JSON list (refusals)
  certificate_number: string | null; // the signed reply or refusal letter
  version: number;
  updated_at: string;
}

export interface WrittenRequestEventTable {
  personal_id: string;
  request_id: string;
  seq: number;
  at: string;
  actor_id: string;
  kind: string; // received | consent_given | consent_refused | provided | refused
  channel: string | null; // received: counter | post; consent: api | paper
  details: string; // JSON
}

export interface WrittenRequestScanTable {
  request_id: string;
  sha256: string;
  media_type: string;
  size: number;
  content: Uint8Array;
}
