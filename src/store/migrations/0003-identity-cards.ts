/**
 * ID cards, their history, signed certificates and the registry's signing keys.
 * Cards are citizen-owned: keyed by (personal_id, seq) — successive CCCD / căn cước cards carry
 * the same number (the personal ID), so the number alone does not identify a card. Certificate
 * numbers are unique across people and have their own lookup table (DESIGN §5).
 */
import type { Kysely } from 'kysely';
import { keyOrdered } from '../dialect.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await keyOrdered(
    db,
    db.schema
      .createTable('id_card')
      .addColumn('personal_id', 'text', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('card_no', 'text', (c) => c.notNull())
      .addColumn('generation', 'text', (c) => c.notNull())
      .addColumn('issue_date', 'text', (c) => c.notNull())
      .addColumn('issuing_authority', 'text', (c) => c.notNull())
      .addColumn('expiry_date', 'text')
      .addColumn('lost_on', 'text')
      .addColumn('revoked_on', 'text')
      .addColumn('revocation_reason', 'text')
      .addColumn('replaced_on', 'text')
      .addColumn('replaced_by', 'text')
      .addColumn('replaced_by_seq', 'integer')
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('id_card_pk', ['personal_id', 'seq']),
  ).execute();

  await keyOrdered(
    db,
    db.schema
      .createTable('id_card_history')
      .addColumn('personal_id', 'text', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('recorded_at', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('change_kind', 'text', (c) => c.notNull())
      .addColumn('reason', 'text')
      .addColumn('changes', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('id_card_history_pk', ['personal_id', 'seq', 'version']),
  ).execute();

  await keyOrdered(
    db,
    db.schema
      .createTable('certificate')
      .addColumn('personal_id', 'text', (c) => c.notNull())
      .addColumn('number', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('issued_at', 'text', (c) => c.notNull())
      .addColumn('issued_by', 'text', (c) => c.notNull())
      .addColumn('content', 'text', (c) => c.notNull())
      .addColumn('statement', 'text', (c) => c.notNull())
      .addColumn('key_id', 'text', (c) => c.notNull())
      .addColumn('revoked_at', 'text')
      .addPrimaryKeyConstraint('certificate_pk', ['personal_id', 'number']),
  ).execute();

  await keyOrdered(
    db,
    db.schema
      .createTable('certificate_lookup')
      .addColumn('number', 'text', (c) => c.primaryKey())
      .addColumn('personal_id', 'text', (c) => c.notNull()),
  ).execute();

  await db.schema
    .createTable('signing_key')
    .addColumn('kid', 'text', (c) => c.primaryKey())
    .addColumn('public_key_pem', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('retired_at', 'text')
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['signing_key', 'certificate_lookup', 'certificate', 'id_card_history', 'id_card']) await db.schema.dropTable(t).execute();
}
