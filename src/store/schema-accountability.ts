/** Tables of accountability (migration 0011): the record of every use, and the log's pending leaves. */

export interface AccessEntryTable {
  subject_key: string; // a citizen's personal ID, or the caller's key (connection:…, principal:…, address:…)
  entry_id: string; // time-ordered, unique; shared by the rows of one use
  at: string;
  caller_kind: string; // principal | connection | anonymous | system
  principal_id: string | null;
  role: string | null;
  unit: string | null;
  agency_code: string | null;
  connection_id: string | null;
  officer_id: string | null; // the agency's officer (exchange)
  channel: string; // api | cli | exchange | job | …
  action: string; // the route's operationId or the exchange service code
  purpose: string | null;
  fields: string; // JSON string[]: the fields released
  outcome: string; // served | refused
  error_code: string | null;
  http_status: number;
  request_id: string | null;
  source_ip: string | null;
  latency_ms: number;
  fee_vnd: number;
  catalogue_year: number | null;
  test_stage: number;
  primary_row: number; // 1: the row that stands for the whole use (fee, every citizen concerned)
  subject_count: number;
  personal_ids: string; // JSON string[] on the primary row; [] on the others
}

export interface TlogLeafRefTable {
  subject_key: string;
  kind: string;
  ref: string;
  leaf_id: string;
  salt: string;
  digest: string;
  idx: number | null;
}

export interface PrincipalEventTable {
  principal_id: string;
  seq: number;
  at: string;
  actor_id: string;
  kind: string; // created | revoked
  details: string; // JSON: name, role, unit, bound personal ID
}
