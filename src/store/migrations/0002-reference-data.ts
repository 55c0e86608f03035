/**
 * Loads the category tables (administrative units and the small code lists) from the files in
 * reference-data/. Later changes to the lists come as new migrations, never as edits of this one.
 */
import type { Kysely } from 'kysely';
import { loadReferenceData } from '../reference-data.js';
import type { Database, CategoryTableName } from '../schema.js';
import { unitToRow } from '../repositories/categories.js';

const CHUNK = 500;

async function insertChunked<T extends keyof Database>(db: Kysely<Database>, table: T, rows: Database[T][]) {
  for (let i = 0; i < rows.length; i += CHUNK) {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    await db.insertInto(table).values(rows.slice(i, i + CHUNK) as any).execute();
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(anyDb: Kysely<any>): Promise<void> {
  const db = anyDb as Kysely<Database>;
  const ref = loadReferenceData();
  await insertChunked(db, 'admin_unit', ref.adminUnits.map(unitToRow));
  const lists: [CategoryTableName, typeof ref.ethnicities][] = [
    ['ethnicity', ref.ethnicities],
    ['religion', ref.religions],
    ['nationality', ref.nationalities],
    ['blood_group', ref.bloodGroups],
    ['marital_status', ref.maritalStatuses],
  ];
  for (const [table, entries] of lists) {
    await insertChunked(
      db,
      table,
      entries.map((e) => ({
        code: e.code,
        name_vi: e.nameVi,
        name_en: e.nameEn,
        aliases: e.aliases && e.aliases.length > 0 ? JSON.stringify(e.aliases) : null,
      })),
    );
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('admin_unit').execute();
  for (const t of ['ethnicity', 'religion', 'nationality', 'blood_group', 'marital_status']) {
    await db.deleteFrom(t).execute();
  }
}
