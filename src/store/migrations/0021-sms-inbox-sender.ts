/**
 * The SMS inbox by sender and time (decision 0037, "TP-MR wraps"): a repeat of a message's dedup key
 * is a redelivery only while the sender's later messages show its 8-bit message reference has not gone
 * round since; that check reads the sender's messages after the earlier one through this index.
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('sms_inbox_sender').on('sms_inbox').columns(['from_number', 'received_at']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('sms_inbox_sender').ifExists().execute();
}
