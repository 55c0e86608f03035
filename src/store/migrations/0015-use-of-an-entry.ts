/**
 * A use that names several citizens is stored as one row per citizen; only its primary row lists
 * them all. A hold on one of them keeps the whole use back from every person it names (decision
 * 0032), so a person's view finds the primary row of each of their multi-person uses by entry ID.
 * The index holds only those primary rows: a use naming one citizen — nearly all — costs nothing.
 */
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index access_entry_use on access_entry (entry_id) where primary_row = 1 and subject_count > 1`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index access_entry_use`.execute(db);
}
