/**
 * E-mails waiting for a transport (migration 0022; decision 0042). There is no mail transport yet:
 * an operator (or the demo) reads the rows and marks them delivered. A one-time code's body is
 * blanked once delivered or expired, as the SMS outbox blanks `otp` rows.
 */
import type { Db } from '../schema.js';

export interface MailMessage {
  messageId: string;
  key: string;
  kind: 'otp';
  to: string;
  subject: string;
  body: string;
  createdAt: string;
  expiresAt?: string;
  deliveredAt?: string;
}

export async function insertMail(db: Db, m: Omit<MailMessage, 'deliveredAt'>): Promise<void> {
  await db
    .insertInto('mail_outbox')
    .values({ message_id: m.messageId, key: m.key, kind: m.kind, to_address: m.to, subject: m.subject, body: m.body, created_at: m.createdAt, expires_at: m.expiresAt ?? null, delivered_at: null })
    .execute();
}

/** Mail not yet delivered, oldest first; one-time codes past their expiry are blanked first. */
export async function listPendingMail(db: Db, now: string): Promise<MailMessage[]> {
  await db.updateTable('mail_outbox').set({ body: '' }).where('kind', '=', 'otp').where('expires_at', '<=', now).where('body', '!=', '').execute();
  const rows = await db.selectFrom('mail_outbox').selectAll().where('delivered_at', 'is', null).orderBy('created_at').orderBy('message_id').execute();
  return rows.map((r) => ({
    messageId: r.message_id,
    key: r.key,
    kind: 'otp' as const,
    to: r.to_address,
    subject: r.subject,
    body: r.body,
    createdAt: r.created_at,
    ...(r.expires_at ? { expiresAt: r.expires_at } : {}),
  }));
}

/** Marks a message delivered; a one-time code's body is blanked with it. Returns whether it was pending. */
export async function markMailDelivered(db: Db, messageId: string, at: string): Promise<boolean> {
  const r = await db.updateTable('mail_outbox').set({ delivered_at: at, body: '' }).where('message_id', '=', messageId).where('delivered_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
