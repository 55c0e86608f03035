/**
 * The SMS inbox (migration 0017; decision 0037): incoming messages stored once (unique dedup key, with a
 * window after which the same key is a new message), parts of concatenated messages until whole,
 * handing to the handler under a short claim, and answered marks.
 */
import { sql } from 'kysely';
import { isSqlite } from '../dialect.js';
import type { Db } from '../schema.js';
import type { SmsInboxTable } from '../schema-sms.js';

export interface InboxRow {
  id: string;
  smsc: string;
  from: string;
  to: string;
  text: string;
  parts: number;
  receivedAt: string;
  answeredAt: string | null;
  handCount: number;
}

const rowOf = (r: SmsInboxTable): InboxRow => ({
  id: r.message_id,
  smsc: r.smsc,
  from: r.from_number,
  to: r.to_number,
  text: r.body,
  parts: Number(r.parts),
  receivedAt: r.received_at,
  answeredAt: r.answered_at,
  handCount: Number(r.hand_count),
});

export interface NewInboxMessage {
  id: string;
  smsc: string;
  from: string;
  to: string;
  text: string;
  parts: number;
  receivedAt: string;
  dedupKey: string;
}

/**
 * Stores a message unless one with the same dedup key was received since `windowStart` (then it is a
 * redelivery: returns that one, stored false). An older holder of the key gives it up first (its key
 * gets its own ID appended), so the same text long after is a new message. The message is marked as
 * handed now: the caller hands it to the handler right after the commit.
 */
export async function storeInboxMessage(db: Db, m: NewInboxMessage, windowStart: string): Promise<{ message: InboxRow; stored: boolean }> {
  const existing = await db.selectFrom('sms_inbox').selectAll().where('dedup_key', '=', m.dedupKey).executeTakeFirst();
  if (existing && existing.received_at >= windowStart && !(await referenceWentRound(db, existing))) return { message: rowOf(existing), stored: false };
  if (existing) await db.updateTable('sms_inbox').set({ dedup_key: `${existing.dedup_key}#${existing.message_id}` }).where('message_id', '=', existing.message_id).execute();
  const r = await db
    .insertInto('sms_inbox')
    .values({ message_id: m.id, smsc: m.smsc, from_number: m.from, to_number: m.to, body: m.text, parts: m.parts, received_at: m.receivedAt, dedup_key: m.dedupKey, answered_at: null, handed_at: m.receivedAt, hand_count: 1 })
    .onConflict((oc) => oc.column('dedup_key').doNothing())
    .executeTakeFirst();
  if (Number(r.numInsertedOrUpdatedRows ?? 0) === 1) return { message: { id: m.id, smsc: m.smsc, from: m.from, to: m.to, text: m.text, parts: m.parts, receivedAt: m.receivedAt, answeredAt: null, handCount: 1 }, stored: true };
  // A concurrent store of the same redelivery won.
  const winner = await db.selectFrom('sms_inbox').selectAll().where('dedup_key', '=', m.dedupKey).executeTakeFirstOrThrow();
  return { message: rowOf(winner), stored: false };
}

/** The user_message_reference in a single-part message's dedup key (`s|smsc|from|to|umr|digest[#id]`). */
function referenceOf(dedupKey: string): number | undefined {
  const fields = dedupKey.split('#')[0]!.split('|');
  if (fields[0] !== 's' || fields.length < 6) return undefined;
  const umr = Number(fields[fields.length - 2]);
  return Number.isInteger(umr) ? umr : undefined;
}

/**
 * A phone's message reference (TP-MR) is 8 bits: after 256 messages — to anyone, not only to us — the
 * same text comes with the same reference. It went round since `earlier` when a message from the
 * sender stored after it has a reference at least half the cycle ahead (a redelivery of `earlier`
 * can follow a few newer messages, never 128). Without the check, the 257th "CN" within the window
 * was taken for a redelivery and never answered (the SMS bench's lost replies).
 */
async function referenceWentRound(db: Db, earlier: { dedup_key: string; from_number: string; received_at: string }): Promise<boolean> {
  const umr = referenceOf(earlier.dedup_key);
  if (umr === undefined) return false;
  const later = await db
    .selectFrom('sms_inbox')
    .select('dedup_key')
    .where('from_number', '=', earlier.from_number)
    .where('received_at', '>', earlier.received_at)
    .orderBy('received_at')
    .limit(256)
    .execute();
  return later.some((r) => {
    const u = referenceOf(r.dedup_key);
    return u !== undefined && (u - umr + 256) % 256 >= 128;
  });
}

export interface InboxPart {
  seq: number;
  dataCoding: number;
  body: Buffer;
  receivedAt: string;
}

/**
 * Stores one part of a concatenated message. Parts of the same key older than `windowStart` belong to
 * an earlier message that reused the 8-bit reference and are dropped first. Returns 'duplicate' for a
 * part already stored (then `completedAs` names the message it completed, if any), else the message's
 * parts still unassembled (all of them once the last arrives).
 */
export async function storeInboxPart(
  db: Db,
  partKey: string,
  part: InboxPart,
  windowStart: string,
): Promise<{ outcome: 'duplicate'; completedAs: string | null } | { outcome: 'stored'; parts: InboxPart[] }> {
  await db.deleteFrom('sms_inbox_part').where('part_key', '=', partKey).where('received_at', '<', windowStart).execute();
  const r = await db
    .insertInto('sms_inbox_part')
    .values({ part_key: partKey, seq: part.seq, data_coding: part.dataCoding, body_hex: part.body.toString('hex'), received_at: part.receivedAt, message_id: null })
    .onConflict((oc) => oc.columns(['part_key', 'seq']).doNothing())
    .executeTakeFirst();
  if (Number(r.numInsertedOrUpdatedRows ?? 0) !== 1) {
    const had = await db.selectFrom('sms_inbox_part').select('message_id').where('part_key', '=', partKey).where('seq', '=', part.seq).executeTakeFirst();
    return { outcome: 'duplicate', completedAs: had?.message_id ?? null };
  }
  const rows = await db.selectFrom('sms_inbox_part').selectAll().where('part_key', '=', partKey).where('message_id', 'is', null).orderBy('seq').execute();
  return { outcome: 'stored', parts: rows.map((p) => ({ seq: Number(p.seq), dataCoding: Number(p.data_coding), body: Buffer.from(p.body_hex, 'hex'), receivedAt: p.received_at })) };
}

/** The parts now form message `messageId`. */
export async function completeInboxParts(db: Db, partKey: string, messageId: string): Promise<void> {
  await db.updateTable('sms_inbox_part').set({ message_id: messageId }).where('part_key', '=', partKey).where('message_id', 'is', null).execute();
}

/** Removes completed parts received before `before` (they only served deduplication). */
export async function pruneInboxParts(db: Db, before: string): Promise<void> {
  await db.deleteFrom('sms_inbox_part').where('received_at', '<', before).execute();
}

/**
 * Unanswered messages whose last handing is older than `handedBefore` (its handler failed or its
 * process died), claimed for handing again now: of two processes only one gets each.
 */
export async function claimUnanswered(db: Db, handedBefore: string, now: string, limit: number): Promise<InboxRow[]> {
  const candidates = await db
    .selectFrom('sms_inbox')
    .select('message_id')
    .where('answered_at', 'is', null)
    .where((eb) => eb.or([eb('handed_at', 'is', null), eb('handed_at', '<', handedBefore)]))
    .orderBy('received_at')
    .orderBy('message_id')
    .limit(limit)
    .execute();
  const claimed: InboxRow[] = [];
  for (const c of candidates) {
    const r = await db
      .updateTable('sms_inbox')
      .set((eb) => ({ handed_at: now, hand_count: eb('hand_count', '+', 1) }))
      .where('message_id', '=', c.message_id)
      .where('answered_at', 'is', null)
      .where((eb) => eb.or([eb('handed_at', 'is', null), eb('handed_at', '<', handedBefore)]))
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) continue;
    const row = await db.selectFrom('sms_inbox').selectAll().where('message_id', '=', c.message_id).executeTakeFirst();
    if (row) claimed.push(rowOf(row));
  }
  return claimed;
}

/** Marks a message answered (in the transaction that enqueues its reply); false if it already was. */
export async function markInboxAnswered(db: Db, id: string, at: string): Promise<boolean> {
  const r = await db.updateTable('sms_inbox').set({ answered_at: at }).where('message_id', '=', id).where('answered_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function findInboxMessage(db: Db, id: string): Promise<InboxRow | undefined> {
  const r = await db.selectFrom('sms_inbox').selectAll().where('message_id', '=', id).executeTakeFirst();
  return r ? rowOf(r) : undefined;
}

export async function inboxCounts(db: Db): Promise<{ received: number; unanswered: number }> {
  const r = await db
    .selectFrom('sms_inbox')
    .select([(eb) => eb.fn.countAll<number>().as('received'), (eb) => eb.fn.count<number>('message_id').filterWhere('answered_at', 'is', null).as('unanswered')])
    .executeTakeFirst();
  return { received: Number(r?.received ?? 0), unanswered: Number(r?.unanswered ?? 0) };
}

/**
 * Serialises the parts of one concatenated message across server processes, so that the transaction
 * storing the last part sees all the others (PostgreSQL: a transaction-scoped advisory lock on the
 * key's hash; SQLite write transactions are already one at a time).
 */
export async function lockInboxPartKey(db: Db, partKey: string): Promise<void> {
  if (isSqlite(db)) return;
  await sql`select pg_advisory_xact_lock(hashtextextended(${partKey}, 0))`.execute(db);
}
