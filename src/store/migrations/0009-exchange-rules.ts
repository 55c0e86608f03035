/**
 * Exchange rules (issue 12, item 5; decision 0013): the access log records whether a call was
 * served in the connection's test stage, so statements can count those calls apart (they are
 * free) from what the log itself says rather than from a later reading of the lifecycle.
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // A constant default: PostgreSQL adds it without rewriting the table; earlier rows were all live.
  await db.schema.alterTable('access_log').addColumn('test_stage', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('access_log').dropColumn('test_stage').execute();
}
