/**
 * The log begins with everything (decision 0027): rows of committed tables written before the
 * transparency log existed (carried over by migration 0011, or seeded before it) get their leaves
 * now, in one transaction, ordered by their own instants — so that from here on every row of a
 * committed table has a leaf, and the auditor can call any row without one an insertion, whatever
 * date it claims. On a new store the tables are empty and this does nothing.
 *
 * It digests rows with today's column lists (LEAF_KINDS): it must run where it stands, before any
 * later migration that changes a committed table.
 */
import type { Kysely } from 'kysely';
import { AUDIT_TIME_COLUMNS } from '../repositories/audit.js';
import { insertLeaves, LEAF_KINDS, leafFor, refOf } from '../repositories/transparency-leaves.js';
import type { Db } from '../schema.js';

const EPOCH = '1970-01-01T00:00:00.000Z';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  for (const [kindName, kind] of Object.entries(LEAF_KINDS)) {
    const existing = new Set(
      (await db.selectFrom('tlog_leaf_ref').select(['subject_key', 'ref']).where('kind', '=', kindName).execute()).map((r) => `${r.subject_key}\n${r.ref}`),
    );
    const timeColumn = AUDIT_TIME_COLUMNS[kindName];
    let q = db.selectFrom(kind.table).selectAll();
    // A row whose instant is not set is not committed yet (a draft catalogue).
    if (timeColumn) q = q.where(timeColumn, 'is not', null);
    const rows = (await q.execute()) as Record<string, unknown>[];
    const leaves = rows
      .filter((r) => !existing.has(`${String(r[kind.keyColumn])}\n${refOf(kind, r)}`))
      .map((r) => leafFor(kindName, r, timeColumn ? String(r[timeColumn]) : EPOCH));
    await insertLeaves(db as unknown as Db, leaves);
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(_db: Kysely<any>): Promise<void> {
  // Leaves are never taken back.
}
