/**
 * The durable SMS outbox (issue 14 item 3; decision 0037): every outgoing SMS — replies to citizens,
 * one-time codes, notices — is a row in the store, written in the caller's transaction, sent by the
 * gateway's sender (src/channels/sms/sender.ts) with retries until delivered or expired.
 */
import { randomInt } from 'node:crypto';
import { chooseAlphabet, partCount, type SmsAlphabet } from '../../domain/sms/encoding.js';
import type { Db } from '../../store/schema.js';
import { insertOutboxMessage, newestConcatRef, type OutboxRow } from '../../store/repositories/sms-outbox.js';
import { timeOrderedIds } from '../../store/time-ordered-ids.js';
import { systemClock, type Clock } from '../clock.js';

export type SmsKind = 'sms-reply' | 'otp' | 'notice';

export interface OutgoingSms {
  /** E.164 (`+…`). */
  to: string;
  text: string;
  /** 'ucs2' forces UCS-2; otherwise GSM-7 when every character has a code (an unaccented text), else UCS-2. */
  alphabet?: SmsAlphabet;
  /** At most one message per key: a second enqueue returns the first and sends nothing new. */
  key: string;
  kind: SmsKind;
  expiresAt?: Date;
}

/** More parts than this is not a text message any more (and a long reply costs the citizen's operator). */
export const MAX_SMS_PARTS = 10;

const nextId = timeOrderedIds(6);
// Concatenation references follow one another, not drawn each time: a phone groups parts by sender and
// reference, and 256 messages in a row never share one (random draws would collide within a few dozen).
// The sequence goes on from the newest stored message, so a restart does not start it again where it
// could collide with replies still arriving; random only on an empty outbox.
let lastRef: number | undefined;
const listeners = new Set<() => void>();

/** The gateway in this process is told of new rows (it also polls: rows from other processes, commits later). */
export function onSmsEnqueued(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * Queues a message, in the caller's transaction when given one. Throws RangeError for a number not in
 * E.164 or a text over MAX_SMS_PARTS parts (programming errors: callers check their input first).
 */
export async function enqueueSms(db: Db, sms: OutgoingSms, clock: Clock = systemClock): Promise<{ message: OutboxRow; created: boolean }> {
  if (!/^\+[1-9]\d{6,14}$/.test(sms.to)) throw new RangeError('enqueueSms: the number must be E.164');
  const alphabet = chooseAlphabet(sms.text, sms.alphabet);
  const parts = partCount(sms.text, alphabet);
  if (parts > MAX_SMS_PARTS) throw new RangeError(`enqueueSms: the text needs ${parts} parts (at most ${MAX_SMS_PARTS})`);
  if (lastRef === undefined) {
    const newest = await newestConcatRef(db);
    lastRef ??= newest ?? randomInt(256);
  }
  const now = clock.now().toISOString();
  const r = await insertOutboxMessage(db, {
    messageId: nextId(now),
    key: sms.key,
    kind: sms.kind,
    to: sms.to,
    text: sms.text,
    alphabet,
    concatRef: (lastRef = (lastRef + 1) % 256),
    parts,
    createdAt: now,
    ...(sms.expiresAt ? { expiresAt: sms.expiresAt.toISOString() } : {}),
  });
  if (r.created) for (const l of listeners) setImmediate(l);
  return r;
}
