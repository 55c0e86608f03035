/**
 * The telecom subscriber register (issue 14 item 1; decision 0039).
 *
 * - `subscriber_number` (number): the current owner of a number — at most one citizen per number at
 *   a time, by the primary key. A lookup by its own key (DESIGN §5), changed in place.
 * - `subscriber_link_event` (personal_id, link_id, kind): every link made (`linked`) or ended
 *   (`ended`), keyed by the citizen; a committed row (a leaf of the transparency log), never edited.
 *   The key itself says a link is made once and ends once; link IDs are time-ordered.
 * - `subscriber_record` (operator_code, record_id): each line an operator's record ID made accepted,
 *   with what it said: a line sent again is recognised (idempotency) and a reused ID refused.
 * - `subscriber_import` (operator_code, import_key) and `subscriber_import_reject` (…, line_no): a
 *   file's progress marker (lines done, counts) and its rejected lines, committed with each batch,
 *   so an interrupted import resumes after its last committed line and its report is complete.
 */
import type { Kysely } from 'kysely';
import { keyOrdered } from '../dialect.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await keyOrdered(
    db,
    db.schema
      .createTable('subscriber_number')
      .addColumn('number', 'text', (c) => c.notNull().primaryKey())
      .addColumn('personal_id', 'text', (c) => c.notNull())
      .addColumn('link_id', 'text', (c) => c.notNull())
      .addColumn('operator_code', 'text', (c) => c.notNull())
      .addColumn('record_id', 'text', (c) => c.notNull())
      .addColumn('confirmed_at', 'text', (c) => c.notNull()),
  ).execute();

  await keyOrdered(
    db,
    db.schema
      .createTable('subscriber_link_event')
      .addColumn('personal_id', 'text', (c) => c.notNull())
      .addColumn('link_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('recorded_at', 'text', (c) => c.notNull())
      .addColumn('number', 'text', (c) => c.notNull())
      .addColumn('operator_code', 'text', (c) => c.notNull())
      .addColumn('record_id', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('subscriber_link_event_pk', ['personal_id', 'link_id', 'kind']),
  ).execute();

  await keyOrdered(
    db,
    db.schema
      .createTable('subscriber_record')
      .addColumn('operator_code', 'text', (c) => c.notNull())
      .addColumn('record_id', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('number', 'text', (c) => c.notNull())
      .addColumn('personal_id', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('subscriber_record_pk', ['operator_code', 'record_id']),
  ).execute();

  await keyOrdered(
    db,
    db.schema
      .createTable('subscriber_import')
      .addColumn('operator_code', 'text', (c) => c.notNull())
      .addColumn('import_key', 'text', (c) => c.notNull())
      .addColumn('format', 'text', (c) => c.notNull())
      .addColumn('lines_done', 'integer', (c) => c.notNull())
      .addColumn('applied', 'integer', (c) => c.notNull())
      .addColumn('unchanged', 'integer', (c) => c.notNull())
      .addColumn('duplicates', 'integer', (c) => c.notNull())
      .addColumn('rejected', 'integer', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('subscriber_import_pk', ['operator_code', 'import_key']),
  ).execute();

  await keyOrdered(
    db,
    db.schema
      .createTable('subscriber_import_reject')
      .addColumn('operator_code', 'text', (c) => c.notNull())
      .addColumn('import_key', 'text', (c) => c.notNull())
      .addColumn('line_no', 'integer', (c) => c.notNull())
      .addColumn('code', 'text', (c) => c.notNull())
      .addColumn('field', 'text')
      .addPrimaryKeyConstraint('subscriber_import_reject_pk', ['operator_code', 'import_key', 'line_no']),
  ).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['subscriber_import_reject', 'subscriber_import', 'subscriber_record', 'subscriber_link_event', 'subscriber_number']) await db.schema.dropTable(t).execute();
}
