/**
 * What citizens see of their usage (issue 13 item 3; decision 0032): the decisions that delay or
 * hide entries from them, and their grievances. Access entries never change: visibility lives in
 * decisions of its own, each a committed row (a leaf of the transparency log), never edited —
 * a release is a new row, a grievance's progress is a new event.
 *
 * - `visibility_default` (requester, seq): a requester's default (shown, delayed N days, hidden);
 *   a change is the next seq. A small table of its own, like the categories (not per citizen).
 * - `visibility_hold` (personal_id, hold_id): a hold over one person's entries by one requester in
 *   a period, delayed until a date or hidden.
 * - `visibility_release` (personal_id, release_id): a release of a hold, or of a requester's hidden
 *   default for that person; a hold is released at most once (unique index).
 * - `grievance` (personal_id, grievance_id): a citizen's flag on an entry about them; at most one per
 *   entry (unique index). `grievance_event` (personal_id, grievance_id, seq): opened, assigned,
 *   answered, closed.
 * Every table is keyed by the personal ID it concerns (DESIGN §5) except the defaults.
 */
import { sql, type Kysely } from 'kysely';
import { keyOrdered } from '../dialect.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await keyOrdered(
    db,
    db.schema
      .createTable('visibility_default')
      .addColumn('requester', 'text', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('delay_days', 'integer')
      .addColumn('decision_ref', 'text', (c) => c.notNull())
      .addColumn('decided_by', 'text', (c) => c.notNull())
      .addColumn('decided_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('visibility_default_pk', ['requester', 'seq']),
  ).execute();

  await keyOrdered(
    db,
    db.schema
      .createTable('visibility_hold')
      .addColumn('personal_id', 'text', (c) => c.notNull())
      .addColumn('hold_id', 'text', (c) => c.notNull())
      .addColumn('requester', 'text', (c) => c.notNull())
      .addColumn('period_from', 'text')
      .addColumn('period_to', 'text')
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('until', 'text')
      .addColumn('decision_ref', 'text', (c) => c.notNull())
      .addColumn('decided_by', 'text', (c) => c.notNull())
      .addColumn('decided_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('visibility_hold_pk', ['personal_id', 'hold_id']),
  ).execute();

  await keyOrdered(
    db,
    db.schema
      .createTable('visibility_release')
      .addColumn('personal_id', 'text', (c) => c.notNull())
      .addColumn('release_id', 'text', (c) => c.notNull())
      .addColumn('hold_id', 'text', (c) => c.notNull())
      .addColumn('released_at', 'text', (c) => c.notNull())
      .addColumn('released_by', 'text', (c) => c.notNull())
      .addColumn('decision_ref', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('visibility_release_pk', ['personal_id', 'release_id']),
  ).execute();
  // A person's hold is released once; a requester's hidden default may be released again later
  // (each release shows the entries made before it).
  await sql`create unique index visibility_release_once on visibility_release (personal_id, hold_id) where hold_id not like 'default:%'`.execute(db);

  await keyOrdered(
    db,
    db.schema
      .createTable('grievance')
      .addColumn('personal_id', 'text', (c) => c.notNull())
      .addColumn('grievance_id', 'text', (c) => c.notNull())
      .addColumn('entry_id', 'text', (c) => c.notNull())
      .addColumn('opened_at', 'text', (c) => c.notNull())
      .addColumn('opened_by', 'text', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('grievance_pk', ['personal_id', 'grievance_id']),
  ).execute();
  await db.schema.createIndex('grievance_per_entry').on('grievance').columns(['personal_id', 'entry_id']).unique().execute();
  // Inspectors open a case by its ID, and read the queue oldest first.
  await db.schema.createIndex('grievance_by_id').on('grievance').columns(['grievance_id']).execute();
  await db.schema.createIndex('grievance_opened').on('grievance').columns(['opened_at', 'grievance_id']).execute();

  await keyOrdered(
    db,
    db.schema
      .createTable('grievance_event')
      .addColumn('personal_id', 'text', (c) => c.notNull())
      .addColumn('grievance_id', 'text', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('text', 'text')
      .addPrimaryKeyConstraint('grievance_event_pk', ['personal_id', 'grievance_id', 'seq']),
  ).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['grievance_event', 'grievance', 'visibility_release', 'visibility_hold', 'visibility_default']) await db.schema.dropTable(t).execute();
}
