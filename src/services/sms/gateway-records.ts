/**
 * What the SMS gateway (src/channels/sms) writes and reads in the store (decision 0037): its claims on
 * the outbox, each message's outcome, its parts and their receipts, and its links' state. The channel
 * calls these and never the repositories (DESIGN §4: channels → services → store).
 */
import type { Clock } from '../clock.js';
import type { Store } from '../../store/connect.js';
import { deleteSmsLinks, saveSmsLink, type SmsLink } from '../../store/repositories/sms-links.js';
import {
  applyReceipt,
  claimDueMessages,
  expireOverdue,
  lockOutboxMessage,
  markExpired,
  markFailed,
  markSubmitted,
  recordSubmittedPart,
  rescheduleMessage,
  settleMessage,
  submittedParts,
  type OutboxRow,
  type OutboxState,
} from '../../store/repositories/sms-outbox.js';

// The gateway holds the store only to hand it back to these functions.
export type { Store, OutboxRow, OutboxState, SmsLink };

/** Queued messages past their expiry become expired (never sent). Returns how many. */
export function expireOverdueSms(store: Store, now: string): Promise<number> {
  return expireOverdue(store.db, now);
}

/** Up to `limit` due messages claimed for `owner` until `leaseUntil`, in one transaction. */
export function claimDueSms(store: Store, owner: string, now: string, leaseUntil: string, limit: number): Promise<OutboxRow[]> {
  return store.transaction((tx) => claimDueMessages(tx, owner, now, leaseUntil, limit));
}

/** The parts of a message the SMSC has already accepted (a retry sends only the others). */
export function submittedSmsParts(store: Store, messageId: string): Promise<{ seq: number; smsc: string; smscMessageId: string; state: string }[]> {
  return submittedParts(store.db, messageId);
}

/** A claimed message past its expiry: expired, never sent. False when the lease was lost. */
export function markSmsExpired(store: Store, messageId: string, owner: string, at: string): Promise<boolean> {
  return markExpired(store.db, messageId, owner, at);
}

/** Back to the queue, tried again at `nextAt`. False when the lease was lost. */
export function rescheduleSms(store: Store, messageId: string, owner: string, nextAt: string, error: string, options: { throttled?: boolean; uncertain?: boolean } = {}): Promise<boolean> {
  return rescheduleMessage(store.db, messageId, owner, nextAt, error, options);
}

/** A final refusal (or a text that cannot be sent): failed, never retried. False when the lease was lost. */
export function markSmsFailed(store: Store, messageId: string, owner: string, error: string, at: string): Promise<boolean> {
  return markFailed(store.db, messageId, owner, error, at);
}

/**
 * Every part accepted: the message recorded submitted and, as receipts may have come first, settled in
 * the same transaction with its row locked. Its state then, or undefined when the lease was lost.
 */
export function recordSmsSubmitted(store: Store, clock: Clock, messageId: string, owner: string, smsc: string): Promise<OutboxState | undefined> {
  return store.transaction(async (tx) => {
    await lockOutboxMessage(tx, messageId);
    if (!(await markSubmitted(tx, messageId, owner, smsc, clock.now().toISOString()))) return undefined;
    return (await settleMessage(tx, messageId, clock.now().toISOString()))?.state ?? 'submitted';
  });
}

/** One part the SMSC accepted, with its SMSC message ID (for the receipt). */
export function recordSmsPart(store: Store, p: { messageId: string; seq: number; smsc: string; smscMessageId: string; at: string }): Promise<void> {
  return recordSubmittedPart(store.db, p);
}

/** A final receipt for a part, then its message settled; undefined for a receipt of no known part. */
export function applySmsReceipt(store: Store, smsc: string, smscMessageId: string, stat: string, at: string): Promise<{ messageId: string; state: OutboxState } | undefined> {
  return store.transaction((tx) => applyReceipt(tx, smsc, smscMessageId, stat, at));
}

/** A link's state, for `dancu sms status` and /metrics. */
export function saveSmsLinkState(store: Store, link: SmsLink): Promise<void> {
  return saveSmsLink(store.db, link);
}

/** A stopped gateway's link rows go. */
export function forgetSmsLinks(store: Store, gateway: string): Promise<void> {
  return deleteSmsLinks(store.db, gateway);
}
