/**
 * The SMS outbox (migration 0017; decision 0037): insert at most once per key, claim due rows under a
 * lease, record submitted parts and receipts, reschedule, fail, expire.
 */
import { sql } from 'kysely';
import { isSqlite } from '../dialect.js';
import type { Db } from '../schema.js';
import type { SmsOutboxTable } from '../schema-sms.js';

export type OutboxState = 'queued' | 'sending' | 'submitted' | 'delivered' | 'failed' | 'expired';
export const OUTBOX_STATES: readonly OutboxState[] = ['queued', 'sending', 'submitted', 'delivered', 'failed', 'expired'];

export interface OutboxRow {
  messageId: string;
  key: string;
  kind: string;
  to: string;
  text: string;
  alphabet: 'ucs2' | 'gsm7';
  concatRef: number;
  parts: number;
  state: OutboxState;
  attempts: number;
  uncertain: number;
  throttled: number;
  nextAttemptAt: string;
  leaseOwner: string | null;
  leaseUntil: string | null;
  smsc: string | null;
  createdAt: string;
  expiresAt: string | null;
  submittedAt: string | null;
  doneAt: string | null;
  lastError: string | null;
}

function rowOf(r: SmsOutboxTable): OutboxRow {
  return {
    messageId: r.message_id,
    key: r.msg_key,
    kind: r.kind,
    to: r.to_number,
    text: r.body,
    alphabet: r.alphabet as 'ucs2' | 'gsm7',
    concatRef: Number(r.concat_ref),
    parts: Number(r.parts),
    state: r.state as OutboxState,
    attempts: Number(r.attempts),
    uncertain: Number(r.uncertain),
    throttled: Number(r.throttled),
    nextAttemptAt: r.next_attempt_at,
    leaseOwner: r.lease_owner,
    leaseUntil: r.lease_until,
    smsc: r.smsc,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    submittedAt: r.submitted_at,
    doneAt: r.done_at,
    lastError: r.last_error,
  };
}

export interface NewOutboxMessage {
  messageId: string;
  key: string;
  kind: string;
  to: string;
  text: string;
  alphabet: 'ucs2' | 'gsm7';
  concatRef: number;
  parts: number;
  createdAt: string;
  expiresAt?: string;
}

/** Inserts unless a message with this key exists; either way returns the key's message and whether it is new. */
export async function insertOutboxMessage(db: Db, m: NewOutboxMessage): Promise<{ message: OutboxRow; created: boolean }> {
  const r = await db
    .insertInto('sms_outbox')
    .values({
      message_id: m.messageId,
      msg_key: m.key,
      kind: m.kind,
      to_number: m.to,
      body: m.text,
      alphabet: m.alphabet,
      concat_ref: m.concatRef,
      parts: m.parts,
      state: 'queued',
      attempts: 0,
      uncertain: 0,
      throttled: 0,
      next_attempt_at: m.createdAt,
      lease_owner: null,
      lease_until: null,
      smsc: null,
      created_at: m.createdAt,
      expires_at: m.expiresAt ?? null,
      submitted_at: null,
      done_at: null,
      last_error: null,
    })
    .onConflict((oc) => oc.column('msg_key').doNothing())
    .executeTakeFirst();
  const created = Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
  const row = await db.selectFrom('sms_outbox').selectAll().where('msg_key', '=', m.key).executeTakeFirstOrThrow();
  return { message: rowOf(row), created };
}

/** The concatenation reference of the newest message (IDs are time-ordered: the primary key finds it). */
export async function newestConcatRef(db: Db): Promise<number | undefined> {
  const r = await db.selectFrom('sms_outbox').select('concat_ref').orderBy('message_id', 'desc').limit(1).executeTakeFirst();
  return r ? Number(r.concat_ref) : undefined;
}

export async function findOutboxMessage(db: Db, messageId: string): Promise<OutboxRow | undefined> {
  const r = await db.selectFrom('sms_outbox').selectAll().where('message_id', '=', messageId).executeTakeFirst();
  return r ? rowOf(r) : undefined;
}

export async function findOutboxByKey(db: Db, key: string): Promise<OutboxRow | undefined> {
  const r = await db.selectFrom('sms_outbox').selectAll().where('msg_key', '=', key).executeTakeFirst();
  return r ? rowOf(r) : undefined;
}

/**
 * A one-time code's text (it holds the code) is not kept once the message is sent, failed or expired:
 * only the sign-in challenge's hash of the code stays (decision 0038).
 */
const BODY_AFTER_DONE = sql<string>`case when kind = 'otp' then '' else body end`;

/** Queued messages past their expiry become expired (never sent). Returns how many. */
export async function expireOverdue(db: Db, now: string): Promise<number> {
  const r = await db
    .updateTable('sms_outbox')
    .set({ state: 'expired', done_at: now, lease_owner: null, lease_until: null, body: BODY_AFTER_DONE })
    .where('state', 'in', ['queued', 'sending'])
    .where('expires_at', 'is not', null)
    .where('expires_at', '<=', now)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/**
 * Claims up to `limit` due messages for `owner` until `leaseUntil`: queued ones whose time has come,
 * and sending ones whose lease ran out (their sender died: what it sent without recording is
 * uncertain, counted). One UPDATE with the conditions repeated outside the subquery, so that of two
 * concurrent claimers only one gets a row (PostgreSQL re-checks them on the locked row; SQLite has one
 * writer).
 */
export async function claimDueMessages(db: Db, owner: string, now: string, leaseUntil: string, limit: number): Promise<OutboxRow[]> {
  const due = db
    .selectFrom('sms_outbox')
    .select('message_id')
    .where('state', 'in', ['queued', 'sending'])
    .where('next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
    .orderBy('next_attempt_at')
    .orderBy('message_id')
    .limit(limit);
  const rows = await db
    .updateTable('sms_outbox')
    .set({
      state: 'sending',
      lease_owner: owner,
      lease_until: leaseUntil,
      attempts: sql<number>`attempts + 1`,
      uncertain: sql<number>`uncertain + case when state = 'sending' then 1 else 0 end`,
    })
    .where('message_id', 'in', due)
    .where('state', 'in', ['queued', 'sending'])
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
    .returningAll()
    .execute();
  return rows.map(rowOf).sort((a, b) => (a.nextAttemptAt < b.nextAttemptAt ? -1 : a.nextAttemptAt > b.nextAttemptAt ? 1 : a.messageId < b.messageId ? -1 : 1));
}

/** The parts of a message the SMSC has already accepted (a retry sends only the others). */
export async function submittedParts(db: Db, messageId: string): Promise<{ seq: number; smsc: string; smscMessageId: string; state: string }[]> {
  const rows = await db.selectFrom('sms_outbox_part').select(['seq', 'smsc', 'smsc_message_id', 'state']).where('message_id', '=', messageId).orderBy('seq').execute();
  return rows.map((r) => ({ seq: Number(r.seq), smsc: r.smsc, smscMessageId: r.smsc_message_id, state: r.state }));
}

/**
 * One part accepted by the SMSC (its submit_sm_resp): its message ID, for the receipt. An SMSC's IDs
 * are unique only for a while (a restarted SMSC may count again): an older part holding the same ID
 * gives it up, so its receipt goes to the newest.
 */
export async function recordSubmittedPart(db: Db, p: { messageId: string; seq: number; smsc: string; smscMessageId: string; at: string }): Promise<void> {
  await db
    .updateTable('sms_outbox_part')
    .set({ smsc_message_id: sql<string>`smsc_message_id || '~' || message_id || ':' || cast(seq as text)` })
    .where('smsc', '=', p.smsc)
    .where('smsc_message_id', '=', p.smscMessageId)
    .execute();
  await db
    .insertInto('sms_outbox_part')
    .values({ message_id: p.messageId, seq: p.seq, smsc: p.smsc, smsc_message_id: p.smscMessageId, state: 'submitted', submitted_at: p.at, done_at: null })
    .onConflict((oc) => oc.columns(['message_id', 'seq']).doNothing())
    .execute();
}

/** Every part accepted: the message waits for its receipts. Only the lease holder may (false otherwise). */
export async function markSubmitted(db: Db, messageId: string, owner: string, smsc: string, at: string): Promise<boolean> {
  const r = await db
    .updateTable('sms_outbox')
    .set({ state: 'submitted', submitted_at: at, smsc, lease_owner: null, lease_until: null, last_error: null, body: BODY_AFTER_DONE })
    .where('message_id', '=', messageId)
    .where('lease_owner', '=', owner)
    .where('state', '=', 'sending')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Back to the queue, to be tried again at `nextAt` (throttled: counted). */
export async function rescheduleMessage(db: Db, messageId: string, owner: string, nextAt: string, error: string, options: { throttled?: boolean; uncertain?: boolean } = {}): Promise<boolean> {
  const r = await db
    .updateTable('sms_outbox')
    .set({
      state: 'queued',
      lease_owner: null,
      lease_until: null,
      next_attempt_at: nextAt,
      last_error: error,
      ...(options.throttled ? { throttled: sql<number>`throttled + 1` } : {}),
      ...(options.uncertain ? { uncertain: sql<number>`uncertain + 1` } : {}),
    })
    .where('message_id', '=', messageId)
    .where('lease_owner', '=', owner)
    .where('state', '=', 'sending')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** A final refusal by the SMSC (or a text that cannot be sent): failed, never retried. */
export async function markFailed(db: Db, messageId: string, owner: string, error: string, at: string): Promise<boolean> {
  const r = await db
    .updateTable('sms_outbox')
    .set({ state: 'failed', done_at: at, last_error: error, lease_owner: null, lease_until: null, body: BODY_AFTER_DONE })
    .where('message_id', '=', messageId)
    .where('lease_owner', '=', owner)
    .where('state', '=', 'sending')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/**
 * The message's row locked first (PostgreSQL; SQLite writes one at a time): a receipt and the sender's
 * "submitted" run one after the other, so whichever comes second sees the other and settles the message.
 */
export async function lockOutboxMessage(db: Db, messageId: string): Promise<void> {
  if (isSqlite(db)) return;
  await db.selectFrom('sms_outbox').select('message_id').where('message_id', '=', messageId).forUpdate().execute();
}

/**
 * A delivery receipt for one part, then the message settled (see settleMessage). Returns the message's
 * state, or undefined for a receipt of no known part.
 */
export async function applyReceipt(db: Db, smsc: string, smscMessageId: string, stat: string, at: string): Promise<{ messageId: string; state: OutboxState } | undefined> {
  const part = await db.selectFrom('sms_outbox_part').select(['message_id', 'seq']).where('smsc', '=', smsc).where('smsc_message_id', '=', smscMessageId).executeTakeFirst();
  if (!part) return undefined;
  await lockOutboxMessage(db, part.message_id);
  await db.updateTable('sms_outbox_part').set({ state: stat, done_at: at }).where('message_id', '=', part.message_id).where('seq', '=', part.seq).execute();
  return settleMessage(db, part.message_id, at);
}

/**
 * A submitted message whose every part has a final receipt becomes delivered (all DELIVRD) or failed.
 * Called after a receipt and after the message is recorded submitted (a receipt may come first).
 */
export async function settleMessage(db: Db, messageId: string, at: string): Promise<{ messageId: string; state: OutboxState } | undefined> {
  const message = await db.selectFrom('sms_outbox').select(['parts', 'state']).where('message_id', '=', messageId).executeTakeFirst();
  if (!message) return undefined;
  const parts = await db.selectFrom('sms_outbox_part').select('state').where('message_id', '=', messageId).execute();
  const final = parts.filter((p) => p.state !== 'submitted' && p.state !== 'ENROUTE' && p.state !== 'ACCEPTD');
  if (parts.length < Number(message.parts) || final.length < parts.length || message.state !== 'submitted') return { messageId, state: message.state as OutboxState };
  const state: OutboxState = final.every((p) => p.state === 'DELIVRD') ? 'delivered' : 'failed';
  await db
    .updateTable('sms_outbox')
    .set({ state, done_at: at, ...(state === 'failed' ? { last_error: `receipt ${final.find((p) => p.state !== 'DELIVRD')!.state}` } : {}) })
    .where('message_id', '=', messageId)
    .where('state', '=', 'submitted')
    .execute();
  return { messageId, state };
}

/** Messages by state (for metrics and `dancu sms status`). */
export async function outboxCounts(db: Db): Promise<Record<OutboxState, number>> {
  const rows = await db.selectFrom('sms_outbox').select(['state', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('state').execute();
  const counts = Object.fromEntries(OUTBOX_STATES.map((s) => [s, 0])) as Record<OutboxState, number>;
  for (const r of rows) counts[r.state as OutboxState] = Number(r.n);
  return counts;
}

/** Totals of retries, throttling and uncertain resends, and the latest errors. */
export async function outboxTroubles(db: Db, limit = 5): Promise<{ throttled: number; uncertain: number; lastErrors: { messageId: string; at: string; error: string }[] }> {
  const sums = await db
    .selectFrom('sms_outbox')
    .select([(eb) => eb.fn.coalesce(eb.fn.sum<number>('throttled'), eb.lit(0)).as('throttled'), (eb) => eb.fn.coalesce(eb.fn.sum<number>('uncertain'), eb.lit(0)).as('uncertain')])
    .executeTakeFirst();
  const errors = await db
    .selectFrom('sms_outbox')
    .select(['message_id', 'last_error', 'next_attempt_at', 'done_at'])
    .where('last_error', 'is not', null)
    .orderBy('next_attempt_at', 'desc')
    .orderBy('message_id', 'desc')
    .limit(limit)
    .execute();
  return {
    throttled: Number(sums?.throttled ?? 0),
    uncertain: Number(sums?.uncertain ?? 0),
    lastErrors: errors.map((e) => ({ messageId: e.message_id, at: e.done_at ?? e.next_attempt_at, error: e.last_error ?? '' })),
  };
}

/** Messages in a state, newest first (for `dancu sms queue`). */
export async function listOutbox(db: Db, options: { state?: OutboxState; limit: number }): Promise<OutboxRow[]> {
  let q = db.selectFrom('sms_outbox').selectAll();
  if (options.state) q = q.where('state', '=', options.state);
  const rows = await q.orderBy('created_at', 'desc').orderBy('message_id', 'desc').limit(options.limit).execute();
  return rows.map(rowOf);
}

/** A claimed message found past its expiry before sending: expired, not sent. */
export async function markExpired(db: Db, messageId: string, owner: string, at: string): Promise<boolean> {
  const r = await db
    .updateTable('sms_outbox')
    .set({ state: 'expired', done_at: at, lease_owner: null, lease_until: null, body: BODY_AFTER_DONE })
    .where('message_id', '=', messageId)
    .where('lease_owner', '=', owner)
    .where('state', '=', 'sending')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
