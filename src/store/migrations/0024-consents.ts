/**
 * Consent of the data subject to an agency outside the state (issue 15 item 4; NĐ 70/2024 Art. 10(2);
 * decision 0044).
 *
 * - `consent_request` (personal_id, consent_id): the request and where it stands — who asks (the
 *   connection and its agency), the purpose, the services and fields, the validity asked, the
 *   answer deadline, the state last decided and when it holds until. Keyed by the subject (DESIGN §5).
 * - `consent_event` (personal_id, consent_id, seq): every decision — requested, approved, refused,
 *   withdrawn, expired — a committed row (a transparency-log leaf), never edited.
 * - `consent_use` (personal_id, consent_id, entry_id): the served exchange call a consent allowed,
 *   written with the call's access entry (same transaction), committed too.
 *
 * At most one pending request per (person, connection, purpose): a partial unique index, on both
 * stores; it leads with the distribution column (Citus).
 */
import { sql, type Kysely } from 'kysely';
import { keyOrdered } from '../dialect.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await keyOrdered(
    db,
    db.schema
      .createTable('consent_request')
      .addColumn('personal_id', 'text', (c) => c.notNull())
      .addColumn('consent_id', 'text', (c) => c.notNull())
      .addColumn('code', 'text', (c) => c.notNull()) // 8 characters, for the SMS keyword
      .addColumn('connection_id', 'text', (c) => c.notNull())
      .addColumn('agency_code', 'text', (c) => c.notNull())
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('data', 'text', (c) => c.notNull()) // JSON [{service, fields}]
      .addColumn('valid_days', 'integer', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull()) // pending | approved | refused | withdrawn | expired
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('answer_by', 'text', (c) => c.notNull())
      .addColumn('decided_at', 'text')
      .addColumn('valid_until', 'text')
      .addColumn('ended_at', 'text') // withdrawn or expired
      .addColumn('version', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('consent_request_pk', ['personal_id', 'consent_id']),
  ).execute();
  await sql`create unique index consent_request_one_pending on consent_request (personal_id, connection_id, purpose) where state = 'pending'`.execute(db);
  await db.schema.createIndex('consent_request_id').on('consent_request').columns(['consent_id']).execute();
  await db.schema.createIndex('consent_request_connection').on('consent_request').columns(['connection_id', 'created_at']).execute();
  await db.schema.createIndex('consent_request_code').on('consent_request').columns(['personal_id', 'code']).execute();

  await keyOrdered(
    db,
    db.schema
      .createTable('consent_event')
      .addColumn('personal_id', 'text', (c) => c.notNull())
      .addColumn('consent_id', 'text', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull()) // requested | approved | refused | withdrawn | expired
      .addColumn('channel', 'text') // exchange | api | sms | system | demo
      .addColumn('details', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('consent_event_pk', ['personal_id', 'consent_id', 'seq']),
  ).execute();

  await keyOrdered(
    db,
    db.schema
      .createTable('consent_use')
      .addColumn('personal_id', 'text', (c) => c.notNull())
      .addColumn('consent_id', 'text', (c) => c.notNull())
      .addColumn('entry_id', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('fields', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('consent_use_pk', ['personal_id', 'consent_id', 'entry_id']),
  ).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['consent_use', 'consent_event', 'consent_request']) await db.schema.dropTable(t).execute();
}
