/**
 * The registry core tables. Plain column types only (text, integer) so the same migration runs on
 * SQLite and PostgreSQL; see schema.ts for the conventions. Keys follow DESIGN §5: every key of a
 * citizen-owned table includes personal_id; identifiers unique across people live in lookup tables.
 */
import type { Kysely } from 'kysely';
import { CATEGORY_TABLES } from '../schema.js';
import { keyOrdered } from '../dialect.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('admin_unit')
    .addColumn('unit_set', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('valid_from', 'text', (c) => c.notNull())
    .addColumn('valid_to', 'text')
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('full_name', 'text', (c) => c.notNull())
    .addColumn('parent_code', 'text')
    .addColumn('province_code', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('admin_unit_pk', ['unit_set', 'code', 'valid_from'])
    .execute();

  for (const table of CATEGORY_TABLES) {
    await db.schema
      .createTable(table)
      .addColumn('code', 'text', (c) => c.primaryKey())
      .addColumn('name_vi', 'text', (c) => c.notNull())
      .addColumn('name_en', 'text', (c) => c.notNull())
      .addColumn('aliases', 'text')
      .execute();
  }

  await db.schema
    .createTable('citizen')
    .addColumn('personal_id', 'text', (c) => c.primaryKey())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('full_name', 'text', (c) => c.notNull())
    .addColumn('other_names', 'text', (c) => c.notNull())
    .addColumn('date_of_birth', 'text', (c) => c.notNull())
    .addColumn('sex', 'text', (c) => c.notNull())
    .addColumn('place_of_birth', 'text', (c) => c.notNull())
    .addColumn('birth_registration_place', 'text', (c) => c.notNull())
    .addColumn('hometown', 'text', (c) => c.notNull())
    .addColumn('ethnicity', 'text', (c) => c.notNull().references('ethnicity.code'))
    .addColumn('religion', 'text', (c) => c.notNull().references('religion.code'))
    .addColumn('nationality', 'text', (c) => c.notNull().references('nationality.code'))
    .addColumn('blood_group', 'text', (c) => c.notNull().references('blood_group.code'))
    .addColumn('marital_status', 'text', (c) => c.notNull().references('marital_status.code'))
    .addColumn('legacy_id_number', 'text')
    .addColumn('relatives', 'text', (c) => c.notNull())
    .addColumn('permanent_residence', 'text')
    .addColumn('temporary_residence', 'text')
    .addColumn('current_residence', 'text')
    .addColumn('date_of_death', 'text')
    .addColumn('date_declared_missing', 'text')
    .addColumn('phone', 'text')
    .addColumn('email', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await keyOrdered(
    db,
    db.schema
    .createTable('citizen_history')
    .addColumn('personal_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('change_kind', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('legal_basis', 'text')
    .addColumn('changes', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('citizen_history_pk', ['personal_id', 'version'])
  ).execute();

  await keyOrdered(
    db,
    db.schema
    .createTable('personal_id_issued')
    .addColumn('personal_id', 'text', (c) => c.primaryKey())
    .addColumn('issued_at', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('cancelled_at', 'text')
    .addColumn('cancel_reason', 'text')
    .addColumn('replaced_by', 'text')
  ).execute();

  await keyOrdered(
    db,
    db.schema
    .createTable('legacy_id_lookup')
    .addColumn('legacy_id_number', 'text', (c) => c.primaryKey())
    .addColumn('personal_id', 'text', (c) => c.notNull())
  ).execute();

  await keyOrdered(
    db,
    db.schema
    .createTable('phone_lookup')
    .addColumn('phone', 'text', (c) => c.primaryKey())
    .addColumn('personal_id', 'text', (c) => c.notNull())
  ).execute();

  await keyOrdered(
    db,
    db.schema
    .createTable('citizen_name_key')
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('birth_year', 'integer', (c) => c.notNull())
    .addColumn('personal_id', 'text', (c) => c.notNull())
    .addColumn('date_of_birth', 'text', (c) => c.notNull())
    .addColumn('sex', 'text', (c) => c.notNull())
    .addColumn('birth_province', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('citizen_name_key_pk', ['name_key', 'birth_year', 'personal_id'])
  ).execute();

  await db.schema
    .createTable('principal')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute();

  await db.schema
    .createTable('principal_token')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('principal_id', 'text', (c) => c.notNull().references('principal.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema.createIndex('principal_token_principal').on('principal_token').column('principal_id').execute();

  await db.schema
    .createTable('seed_run')
    .addColumn('seed', 'integer', (c) => c.primaryKey())
    .addColumn('target', 'integer', (c) => c.notNull())
    .addColumn('done', 'integer', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'seed_run',
    'principal_token',
    'principal',
    'citizen_name_key',
    'phone_lookup',
    'legacy_id_lookup',
    'personal_id_issued',
    'citizen_history',
    'citizen',
    ...CATEGORY_TABLES,
    'admin_unit',
  ]) {
    await db.schema.dropTable(t).execute();
  }
}
