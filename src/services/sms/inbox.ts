/**
 * Incoming (mobile-originated) SMS (issue 14; decision 0037): each deliver_sm is stored — parts of a
 * concatenated message kept until the message is whole — before the gateway answers deliver_sm_resp,
 * and stored once however often the SMSC redelivers it:
 *
 * - a single message's key is (SMSC, sender, recipient, user_message_reference, hash of the octets):
 *   a redelivery within the window finds it; after the window the same text is a new question;
 * - a concatenated message's parts are keyed by (SMSC, sender, recipient, reference, total) and their
 *   number; a part seen again within the window is a redelivery, and the message is created once, by
 *   the transaction that stores its last part (the key locked so two processes cannot both miss it).
 */
import { createHash } from 'node:crypto';
import { parseUserData, reassemble, decodeBody } from '../../domain/sms/encoding.js';
import { normalizePhoneNumber } from '../../domain/telecom/phone-number.js';
import type { Store } from '../../store/connect.js';
import type { Db } from '../../store/schema.js';
import { claimUnanswered, completeInboxParts, lockInboxPartKey, markInboxAnswered, storeInboxMessage, storeInboxPart, type InboxRow } from '../../store/repositories/sms-inbox.js';
import { timeOrderedIds } from '../../store/time-ordered-ids.js';
import { systemClock, type Clock } from '../clock.js';

/** An incoming message as the handler gets it. */
export interface IncomingSms {
  id: string;
  /** The SMSC it came through (host:port). */
  smsc: string;
  /** The sender: E.164 when it is a Vietnamese mobile number, else as the SMSC gave it. */
  from: string;
  /** The number it was sent to (the service's). */
  to: string;
  text: string;
  receivedAt: string;
}

/** One deliver_sm that is not a receipt, as the gateway read it. */
export interface IncomingPart {
  smsc: string;
  source: string;
  sourceTon: number;
  destination: string;
  esmClass: number;
  dataCoding: number;
  shortMessage: Uint8Array;
  /** SAR TLVs and user_message_reference, when the SMSC sent them. */
  sar?: { ref: number; total: number; seq: number };
  userMessageReference?: number;
}

export const DEFAULT_DEDUP_WINDOW_MS = 60 * 60_000;

const nextId = timeOrderedIds(6);

/** The sender as E.164 when it is a Vietnamese mobile number (TON 1 = international: digits after +). */
export function senderOf(source: string, ton: number): string {
  const raw = source.trim();
  return normalizePhoneNumber(ton === 1 && !raw.startsWith('+') ? `+${raw}` : raw) ?? raw;
}

const toIncoming = (r: InboxRow): IncomingSms => ({ id: r.id, smsc: r.smsc, from: r.from, to: r.to, text: r.text, receivedAt: r.receivedAt });

/**
 * Stores one incoming part in one transaction. Returns the message when this part made a new one
 * whole (hand it to the handler after this resolves), undefined for a redelivery or a part still
 * waiting for the others.
 */
export async function receiveSmsPart(store: Store, part: IncomingPart, options: { clock?: Clock; dedupWindowMs?: number } = {}): Promise<IncomingSms | undefined> {
  const clock = options.clock ?? systemClock;
  const now = clock.now();
  const at = now.toISOString();
  const windowStart = new Date(now.getTime() - (options.dedupWindowMs ?? DEFAULT_DEDUP_WINDOW_MS)).toISOString();
  const from = senderOf(part.source, part.sourceTon);
  const user = parseUserData(part.shortMessage, (part.esmClass & 0x40) !== 0);
  const concat = user.concat ?? (part.sar && part.sar.total > 1 && part.sar.seq >= 1 && part.sar.seq <= part.sar.total ? part.sar : undefined);
  return store.transaction(async (tx) => {
    if (!concat || concat.total === 1) {
      const digest = createHash('sha256').update(`${part.dataCoding}:`).update(user.body).digest('hex').slice(0, 32);
      const dedupKey = ['s', part.smsc, from, part.destination, part.userMessageReference ?? '-', digest].join('|');
      const r = await storeInboxMessage(tx, { id: nextId(at), smsc: part.smsc, from, to: part.destination, text: decodeBody(part.dataCoding, user.body), parts: 1, receivedAt: at, dedupKey }, windowStart);
      return r.stored ? toIncoming(r.message) : undefined;
    }
    const partKey = ['p', part.smsc, from, part.destination, concat.ref, concat.total].join('|');
    await lockInboxPartKey(tx, partKey);
    const r = await storeInboxPart(tx, partKey, { seq: concat.seq, dataCoding: part.dataCoding, body: Buffer.from(user.body), receivedAt: at }, windowStart);
    if (r.outcome === 'duplicate' || r.parts.length < concat.total) return undefined;
    const first = r.parts.reduce((a, p) => (p.receivedAt < a ? p.receivedAt : a), at);
    const id = nextId(at);
    const text = reassemble(r.parts.map((p) => ({ seq: p.seq, dataCoding: p.dataCoding, body: p.body })));
    const stored = await storeInboxMessage(tx, { id, smsc: part.smsc, from, to: part.destination, text, parts: concat.total, receivedAt: at, dedupKey: `m|${partKey}|${first}` }, windowStart);
    await completeInboxParts(tx, partKey, stored.message.id);
    return stored.stored ? toIncoming(stored.message) : undefined;
  });
}

/** Marks a message answered — in the transaction that queues its reply. False if it already was. */
export async function markSmsAnswered(db: Db, id: string, clock: Clock = systemClock): Promise<boolean> {
  return markInboxAnswered(db, id, clock.now().toISOString());
}

/** Unanswered messages last handed more than `retryAfterMs` ago, claimed for handing again. */
export async function claimUnansweredSms(store: Store, options: { clock?: Clock; retryAfterMs: number; limit: number }): Promise<IncomingSms[]> {
  const now = (options.clock ?? systemClock).now();
  const rows = await store.transaction((tx) => claimUnanswered(tx, new Date(now.getTime() - options.retryAfterMs).toISOString(), now.toISOString(), options.limit));
  return rows.map(toIncoming);
}
