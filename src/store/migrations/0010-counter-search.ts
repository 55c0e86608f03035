/**
 * Counter search (decision 0025): the given name (last word of the folded name) beside each name
 * key, indexed with the birth year and date, so "Nguyễn An" or "An" with a date of birth is one
 * index range, as the whole name was.
 */
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('citizen_name_key').addColumn('given_key', 'text').execute();
  await backfillGivenKeys(db);
  await db.schema.createIndex('citizen_name_key_given').on('citizen_name_key').columns(['given_key', 'birth_year', 'date_of_birth']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('citizen_name_key_given').execute();
  await db.schema.alterTable('citizen_name_key').dropColumn('given_key').execute();
}

/**
 * Sets given_key on rows that have none, in SQL both stores share: rtrim strips the trailing run of
 * characters that are not spaces (the set of name_key's own characters without the space), leaving
 * the words before the last one; what follows them is the last word.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function backfillGivenKeys(db: Kysely<any>): Promise<void> {
  await db
    .updateTable('citizen_name_key')
    .set({ given_key: sql`substr(name_key, length(rtrim(name_key, replace(name_key, ' ', ''))) + 1)` })
    .where('given_key', 'is', null)
    .execute();
}
