/**
 * The log begins with everything (decision 0027): rows of committed tables written before the
 * transparency log existed (carried over by migration 0011, or seeded before it) get their leaves
 * now, in the migration's one transaction, ordered by their own instants — so that from here on
 * every row of a committed table has a leaf, and the auditor can call any row without one an
 * insertion, whatever date it claims. On a new store the tables are empty and this does nothing.
 *
 * Tables are read in keyset batches on the row's key (the leaf's key columns, unique per row), a few
 * thousand rows at a time, each batch checked against the leaves that already exist for its keys:
 * a registry with millions of rows is never held in memory at once.
 *
 * It digests rows with today's column lists (LEAF_KINDS): it must run where it stands, before any
 * later migration that changes a committed table.
 */
import type { Kysely } from 'kysely';
import { AUDIT_TIME_COLUMNS } from '../repositories/audit.js';
import { insertLeaves, LEAF_KINDS, leafFor, refOf, type LeafKind } from '../repositories/transparency-leaves.js';
import type { Db } from '../schema.js';

const EPOCH = '1970-01-01T00:00:00.000Z';

/** Rows read per batch (well under SQLite's and PostgreSQL's bound-parameter limits for the leaf check). */
export const COMMIT_EXISTING_BATCH = 2000;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/** The columns that name a row of the kind, in keyset order (catalogue_version's key is also its ref). */
const keyColumnsOf = (kind: LeafKind): string[] => [...new Set([kind.keyColumn, ...kind.refColumns])];

async function commitKind(db: AnyDb, kindName: string, kind: LeafKind, batch: number): Promise<void> {
  const keyColumns = keyColumnsOf(kind);
  const timeColumn = AUDIT_TIME_COLUMNS[kindName];
  let after: unknown[] | undefined;
  for (;;) {
    let q = db.selectFrom(kind.table).selectAll();
    // A row whose instant is not set is not committed yet (a draft catalogue).
    if (timeColumn) q = q.where(timeColumn, 'is not', null);
    if (after) {
      const last = after;
      q = q.where((eb) => (keyColumns.length === 1 ? eb(keyColumns[0] as string, '>', last[0]) : eb(eb.refTuple(...(keyColumns as [string, string])), '>', eb.tuple(...(last as [unknown, unknown])))));
    }
    for (const c of keyColumns) q = q.orderBy(c);
    const rows = (await q.limit(batch).execute()) as Record<string, unknown>[];
    if (rows.length === 0) return;
    const keys = [...new Set(rows.map((r) => String(r[kind.keyColumn])))];
    const existing = new Set(
      (await db.selectFrom('tlog_leaf_ref').select(['subject_key', 'ref']).where('kind', '=', kindName).where('subject_key', 'in', keys).execute()).map(
        (r) => `${r.subject_key}\n${r.ref}`,
      ),
    );
    const leaves = rows
      .filter((r) => !existing.has(`${String(r[kind.keyColumn])}\n${refOf(kind, r)}`))
      .map((r) => leafFor(kindName, r, timeColumn ? String(r[timeColumn]) : EPOCH));
    await insertLeaves(db as unknown as Db, leaves);
    if (rows.length < batch) return;
    const lastRow = rows[rows.length - 1] as Record<string, unknown>;
    after = keyColumns.map((c) => lastRow[c]);
  }
}

/** Gives every committed row without a leaf its pending leaf, `batch` rows at a time (tests lower it). */
export async function commitExistingRows(db: AnyDb, batch = COMMIT_EXISTING_BATCH): Promise<void> {
  // Kinds whose tables a later migration creates are empty when they appear: nothing to commit, and
  // their tables do not exist yet when this runs in sequence on a new store.
  const tables = new Set((await db.introspection.getTables()).map((t) => t.name));
  for (const [kindName, kind] of Object.entries(LEAF_KINDS)) if (tables.has(kind.table)) await commitKind(db, kindName, kind, batch);
}

export async function up(db: AnyDb): Promise<void> {
  await commitExistingRows(db);
}

export async function down(_db: AnyDb): Promise<void> {
  // Leaves are never taken back.
}
