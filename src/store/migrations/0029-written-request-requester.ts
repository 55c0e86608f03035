/**
 * Written requests by the citizen who asked (decision 0040, its 2026-12-06 line on who sees them):
 * a citizen sees the requests they made under /me, whoever they are about — a parent keeps seeing a
 * request they made about a child who has turned 14, while that child's other requests are the
 * child's alone. The requester was only in the `requester` JSON, which the two stores do not index
 * alike; its personal ID (null for an organisation) is now a column of its own with an index, filled
 * from the JSON for the requests already recorded.
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('written_request').addColumn('requester_personal_id', 'text').execute();
  await db.schema.createIndex('written_request_requester').on('written_request').columns(['requester_personal_id']).execute();
  await backfillRequesters(db);
}

/** Fills the column from the JSON of the requests recorded before it (exported for its test). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function backfillRequesters(db: Kysely<any>): Promise<void> {
  // Read in the application: the JSON functions differ between the stores; written requests are few.
  const rows = (await db.selectFrom('written_request').select(['request_id', 'requester']).where('requester', 'like', '%"citizen"%').execute()) as { request_id: string; requester: string }[];
  for (const r of rows) {
    const requester = JSON.parse(r.requester) as { kind?: unknown; personalId?: unknown };
    if (requester.kind !== 'citizen' || typeof requester.personalId !== 'string') continue;
    await db.updateTable('written_request').set({ requester_personal_id: requester.personalId }).where('request_id', '=', r.request_id).execute();
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('written_request_requester').ifExists().execute();
  await db.schema.alterTable('written_request').dropColumn('requester_personal_id').execute();
}
