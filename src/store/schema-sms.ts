/**
 * The SMS outbox and inbox (migration 0017; decision 0037). Operational queues, not change records:
 * what a message did for a citizen is recorded where it is used (the SMS service's access entry).
 */

/** One outgoing message: queued → sending (leased) → submitted → delivered | failed | expired. */
export interface SmsOutboxTable {
  message_id: string;
  /** At most one message per key (unique index): how a reply is sent at most once per request. */
  msg_key: string;
  kind: string; // 'sms-reply' | 'otp' | 'notice'
  to_number: string;
  body: string;
  alphabet: string; // 'ucs2' | 'gsm7'
  concat_ref: number;
  parts: number;
  state: string;
  attempts: number;
  /** Submits sent again after their outcome was unknown (no response; decision 0037). */
  uncertain: number;
  throttled: number;
  next_attempt_at: string;
  lease_owner: string | null;
  lease_until: string | null;
  smsc: string | null;
  created_at: string;
  expires_at: string | null;
  submitted_at: string | null;
  done_at: string | null;
  last_error: string | null;
}

/** One submitted part: the SMSC's message ID, which its delivery receipt names. */
export interface SmsOutboxPartTable {
  message_id: string;
  seq: number;
  smsc: string;
  smsc_message_id: string;
  state: string; // 'submitted' | final receipt stat (DELIVRD, UNDELIV, …)
  submitted_at: string;
  done_at: string | null;
}

/** One incoming (mobile-originated) message, parts reassembled. */
export interface SmsInboxTable {
  message_id: string;
  smsc: string;
  from_number: string;
  to_number: string;
  body: string;
  parts: number;
  received_at: string;
  /** A redelivery of the same message finds this key (unique) and is not stored again. */
  dedup_key: string;
  answered_at: string | null;
  handed_at: string | null;
  hand_count: number;
}

/** A part of a concatenated incoming message, kept until its message is whole. */
export interface SmsInboxPartTable {
  part_key: string; // smsc, from, to, reference, total
  seq: number;
  data_coding: number;
  body_hex: string;
  received_at: string;
  message_id: string | null;
}

/** One gateway's link to one SMSC, refreshed while the gateway runs (a stale row is a gateway gone). */
export interface SmsLinkTable {
  smsc: string;
  gateway: string;
  state: string; // 'bound' | 'down'
  since: string;
  binds: number;
  bind_failures: number;
  last_error: string | null;
  last_error_at: string | null;
  updated_at: string;
}
