/**
 * Residence: households (their own distribution group, keyed by the residence file number — DESIGN
 * §5), their members and history; each person's registrations (permanent, temporary, absence) and
 * residence events, keyed by personal_id; stay notices; and residence applications, keyed by
 * application number (an application may concern several people, as a household split does).
 */
import type { Kysely } from 'kysely';
import { keyOrdered } from '../dialect.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await keyOrdered(
    db,
    db.schema
      .createTable('household')
      .addColumn('household_id', 'text', (c) => c.primaryKey())
      .addColumn('address', 'text', (c) => c.notNull())
      .addColumn('head_personal_id', 'text')
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('dissolved_at', 'text'),
  ).execute();

  await keyOrdered(
    db,
    db.schema
      .createTable('household_member')
      .addColumn('household_id', 'text', (c) => c.notNull())
      .addColumn('personal_id', 'text', (c) => c.notNull())
      .addColumn('relationship', 'text', (c) => c.notNull())
      .addColumn('joined_on', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('household_member_pk', ['household_id', 'personal_id']),
  ).execute();

  await keyOrdered(
    db,
    db.schema
      .createTable('household_history')
      .addColumn('household_id', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('recorded_at', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('change_kind', 'text', (c) => c.notNull())
      .addColumn('reason', 'text')
      .addColumn('application_id', 'text')
      .addColumn('changes', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('household_history_pk', ['household_id', 'version']),
  ).execute();

  await keyOrdered(
    db,
    db.schema
      .createTable('residence_registration')
      .addColumn('personal_id', 'text', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('address', 'text', (c) => c.notNull())
      .addColumn('household_id', 'text')
      .addColumn('relationship', 'text')
      .addColumn('start_on', 'text', (c) => c.notNull())
      .addColumn('valid_until', 'text')
      .addColumn('ended_on', 'text')
      .addColumn('end_reason', 'text')
      .addColumn('application_id', 'text')
      .addColumn('details', 'text')
      .addColumn('recorded_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('residence_registration_pk', ['personal_id', 'seq']),
  ).execute();

  await keyOrdered(
    db,
    db.schema
      .createTable('residence_event')
      .addColumn('personal_id', 'text', (c) => c.notNull())
      .addColumn('revision', 'integer', (c) => c.notNull())
      .addColumn('recorded_at', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('application_id', 'text')
      .addColumn('details', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('residence_event_pk', ['personal_id', 'revision']),
  ).execute();

  await keyOrdered(
    db,
    db.schema
      .createTable('stay_notice')
      .addColumn('personal_id', 'text', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('address', 'text', (c) => c.notNull())
      .addColumn('host', 'text', (c) => c.notNull())
      .addColumn('arrival_at', 'text', (c) => c.notNull())
      .addColumn('departure_on', 'text', (c) => c.notNull())
      .addColumn('notified_at', 'text', (c) => c.notNull())
      .addColumn('on_time', 'integer', (c) => c.notNull())
      .addColumn('application_id', 'text')
      .addPrimaryKeyConstraint('stay_notice_pk', ['personal_id', 'seq']),
  ).execute();

  await keyOrdered(
    db,
    db.schema
      .createTable('residence_application')
      .addColumn('application_id', 'text', (c) => c.primaryKey())
      .addColumn('procedure', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('personal_id', 'text', (c) => c.notNull())
      .addColumn('household_id', 'text')
      .addColumn('unit_code', 'text')
      .addColumn('submitted_at', 'text', (c) => c.notNull())
      .addColumn('submitted_by', 'text', (c) => c.notNull())
      .addColumn('received_on', 'text', (c) => c.notNull())
      .addColumn('due_on', 'text')
      .addColumn('due_half', 'text')
      .addColumn('request', 'text', (c) => c.notNull())
      .addColumn('forms', 'text', (c) => c.notNull())
      .addColumn('decided_at', 'text')
      .addColumn('decided_by', 'text')
      .addColumn('outcome', 'text')
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull()),
  ).execute();
  await db.schema.createIndex('residence_application_due').on('residence_application').columns(['status', 'due_on', 'application_id']).execute();
  await db.schema.createIndex('residence_application_person').on('residence_application').columns(['personal_id', 'submitted_at']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['residence_application', 'stay_notice', 'residence_event', 'residence_registration', 'household_history', 'household_member', 'household']) {
    await db.schema.dropTable(t).execute();
  }
}
