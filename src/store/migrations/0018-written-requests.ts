/**
 * Written requests for citizens' data (issue 14 item 5; decision 0040).
 *
 * - `written_request` (request_id): the request and where it stands — the work list's row (status,
 *   due day), changed as the request moves on, guarded by its version. Like a residence application
 *   it is keyed by its own number (a request may come from an organisation, not from its subject).
 * - `written_request_event` (personal_id, request_id, seq): every step — received (with what was
 *   asked and the scanned letter's SHA-256), consent given or refused, provided, refused — each a
 *   committed row (a leaf of the transparency log), never edited. Keyed by the subject's personal ID
 *   (DESIGN §5). At most one decision (consent refused included) and one consent answer per request
 *   (partial unique indexes on (personal_id, request_id)).
 * - `written_request_scan` (request_id): the scanned letter's bytes, media type, size and SHA-256.
 *   Kept in the store, not in files: it is then in every backup with its request, on every server
 *   of a cluster, and written in the request's transaction. Its digest is committed by the
 *   `received` event, so the bytes themselves need no leaf.
 */
import { sql, type Kysely } from 'kysely';
import { isSqlite, keyOrdered } from '../dialect.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await keyOrdered(
    db,
    db.schema
      .createTable('written_request')
      .addColumn('request_id', 'text', (c) => c.notNull().primaryKey())
      .addColumn('personal_id', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('received_at', 'text', (c) => c.notNull())
      .addColumn('received_on', 'text', (c) => c.notNull())
      .addColumn('due_on', 'text')
      .addColumn('due_half', 'text')
      .addColumn('requester', 'text', (c) => c.notNull())
      .addColumn('fields', 'text', (c) => c.notNull())
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('consent_required', 'integer', (c) => c.notNull())
      .addColumn('recorded_by', 'text', (c) => c.notNull())
      .addColumn('decided_at', 'text')
      .addColumn('decided_by', 'text')
      .addColumn('reasons', 'text')
      .addColumn('certificate_number', 'text')
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull()),
  ).execute();
  // Officers' lists: by status, then due day and number (keyset pages).
  await db.schema.createIndex('written_request_work').on('written_request').columns(['status', 'due_on', 'request_id']).execute();
  await db.schema.createIndex('written_request_subject').on('written_request').columns(['personal_id']).execute();

  await keyOrdered(
    db,
    db.schema
      .createTable('written_request_event')
      .addColumn('personal_id', 'text', (c) => c.notNull())
      .addColumn('request_id', 'text', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('channel', 'text')
      .addColumn('details', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('written_request_event_pk', ['personal_id', 'request_id', 'seq']),
  ).execute();
  // "At most one" by the database: one decision and one answer to the consent question per request.
  // A refusal of consent is itself a decision (it ends the request with a refusal letter). The
  // indexes lead with the distribution column: on Citus a unique index must contain it (DESIGN §5).
  await sql`create unique index written_request_decided_once on written_request_event (personal_id, request_id) where kind in ('provided', 'refused', 'consent_refused')`.execute(db);
  await sql`create unique index written_request_consent_once on written_request_event (personal_id, request_id) where kind in ('consent_given', 'consent_refused')`.execute(db);

  const bytes = isSqlite(db) ? 'blob' : 'bytea';
  await keyOrdered(
    db,
    db.schema
      .createTable('written_request_scan')
      .addColumn('request_id', 'text', (c) => c.notNull().primaryKey())
      .addColumn('sha256', 'text', (c) => c.notNull())
      .addColumn('media_type', 'text', (c) => c.notNull())
      .addColumn('size', 'integer', (c) => c.notNull())
      .addColumn('content', sql.raw(bytes), (c) => c.notNull()),
  ).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['written_request_scan', 'written_request_event', 'written_request']) await db.schema.dropTable(t).execute();
}
