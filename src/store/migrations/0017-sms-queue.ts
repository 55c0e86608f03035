/**
 * The SMS outbox and inbox (issue 14; decision 0037).
 * - `sms_outbox`: one row per outgoing message, unique by its key (at most once per key); the sender
 *   claims due rows by a lease (lease_owner, lease_until), so two server processes never send one row.
 * - `sms_outbox_part`: the SMSC message ID of each submitted part, unique per SMSC (receipts find it).
 * - `sms_inbox`: incoming messages, stored before deliver_sm_resp, unique by a dedup key.
 * - `sms_inbox_part`: parts of a concatenated incoming message until it is whole.
 * - `sms_link`: each gateway's binds (up or down, failures, last error), so that `dancu sms status` and
 *   /metrics of any process see every process's links without binding themselves.
 */
import type { Kysely } from 'kysely';
import { keyOrdered } from '../dialect.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await keyOrdered(
    db,
    db.schema
      .createTable('sms_outbox')
      .addColumn('message_id', 'text', (c) => c.primaryKey())
      .addColumn('msg_key', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('to_number', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('alphabet', 'text', (c) => c.notNull())
      .addColumn('concat_ref', 'integer', (c) => c.notNull())
      .addColumn('parts', 'integer', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('uncertain', 'integer', (c) => c.notNull())
      .addColumn('throttled', 'integer', (c) => c.notNull())
      .addColumn('next_attempt_at', 'text', (c) => c.notNull())
      .addColumn('lease_owner', 'text')
      .addColumn('lease_until', 'text')
      .addColumn('smsc', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text')
      .addColumn('submitted_at', 'text')
      .addColumn('done_at', 'text')
      .addColumn('last_error', 'text'),
  ).execute();
  await db.schema.createIndex('sms_outbox_key').on('sms_outbox').column('msg_key').unique().execute();
  // The sender's claim: due rows in order.
  await db.schema.createIndex('sms_outbox_due').on('sms_outbox').columns(['state', 'next_attempt_at']).execute();

  await keyOrdered(
    db,
    db.schema
      .createTable('sms_outbox_part')
      .addColumn('message_id', 'text', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('smsc', 'text', (c) => c.notNull())
      .addColumn('smsc_message_id', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('submitted_at', 'text', (c) => c.notNull())
      .addColumn('done_at', 'text')
      .addPrimaryKeyConstraint('sms_outbox_part_pk', ['message_id', 'seq']),
  ).execute();
  await db.schema.createIndex('sms_outbox_part_smsc_id').on('sms_outbox_part').columns(['smsc', 'smsc_message_id']).unique().execute();

  await keyOrdered(
    db,
    db.schema
      .createTable('sms_inbox')
      .addColumn('message_id', 'text', (c) => c.primaryKey())
      .addColumn('smsc', 'text', (c) => c.notNull())
      .addColumn('from_number', 'text', (c) => c.notNull())
      .addColumn('to_number', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('parts', 'integer', (c) => c.notNull())
      .addColumn('received_at', 'text', (c) => c.notNull())
      .addColumn('dedup_key', 'text', (c) => c.notNull())
      .addColumn('answered_at', 'text')
      .addColumn('handed_at', 'text')
      .addColumn('hand_count', 'integer', (c) => c.notNull()),
  ).execute();
  await db.schema.createIndex('sms_inbox_dedup').on('sms_inbox').column('dedup_key').unique().execute();
  await db.schema.createIndex('sms_inbox_unanswered').on('sms_inbox').columns(['answered_at', 'received_at']).execute();

  await keyOrdered(
    db,
    db.schema
      .createTable('sms_inbox_part')
      .addColumn('part_key', 'text', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('data_coding', 'integer', (c) => c.notNull())
      .addColumn('body_hex', 'text', (c) => c.notNull())
      .addColumn('received_at', 'text', (c) => c.notNull())
      .addColumn('message_id', 'text')
      .addPrimaryKeyConstraint('sms_inbox_part_pk', ['part_key', 'seq']),
  ).execute();

  await keyOrdered(
    db,
    db.schema
      .createTable('sms_link')
      .addColumn('smsc', 'text', (c) => c.notNull())
      .addColumn('gateway', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('since', 'text', (c) => c.notNull())
      .addColumn('binds', 'integer', (c) => c.notNull())
      .addColumn('bind_failures', 'integer', (c) => c.notNull())
      .addColumn('last_error', 'text')
      .addColumn('last_error_at', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('sms_link_pk', ['smsc', 'gateway']),
  ).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['sms_link', 'sms_inbox_part', 'sms_inbox', 'sms_outbox_part', 'sms_outbox']) await db.schema.dropTable(t).execute();
}
