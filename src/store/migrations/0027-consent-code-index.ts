/**
 * Consent requests by their SMS code alone (decision 0044, 2026-06 addition): a representative's
 * "DONGY <code>" comes from the representative's number, not the subject's, so the request is found
 * by its code and the sender's right to answer is checked on the subject's record. The index on
 * (personal_id, code) still serves the subject's own answers (one key).
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('consent_request_by_code').on('consent_request').columns(['code']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('consent_request_by_code').ifExists().execute();
}
