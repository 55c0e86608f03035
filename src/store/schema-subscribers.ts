/** The telecom subscriber register (migration 0016; decision 0039). */

export interface SubscriberNumberTable {
  number: string; // E.164
  personal_id: string;
  link_id: string;
  operator_code: string;
  record_id: string;
  confirmed_at: string;
}

export interface SubscriberLinkEventTable {
  personal_id: string;
  link_id: string;
  kind: string; // linked | ended
  recorded_at: string;
  number: string;
  operator_code: string;
  record_id: string;
  at: string;
  reason: string; // linked | operator | new_owner | new_operator
}

export interface SubscriberRecordTable {
  operator_code: string;
  record_id: string;
  action: string;
  number: string;
  personal_id: string;
  at: string;
  outcome: string;
}

export interface SubscriberImportTable {
  operator_code: string;
  import_key: string;
  format: string;
  lines_done: number;
  applied: number;
  unchanged: number;
  duplicates: number;
  rejected: number;
  status: string; // running | done
  started_at: string;
  updated_at: string;
}

export interface SubscriberImportRejectTable {
  operator_code: string;
  import_key: string;
  line_no: number;
  code: string;
  field: string | null;
}
