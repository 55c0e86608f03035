/**
 * The transparency log's integrated tree (decision 0029): the sequencer's state row (and its lock),
 * pending leaves taken in leaf_id order, indexes assigned, tiles, checkpoints and cosignatures.
 * The pending leaves themselves are written by every writer (transparency-leaves.ts).
 */
import { sql } from 'kysely';
import type { LeafData } from '../../transparency/leaf.js';
import { isSqlite } from '../dialect.js';
import { preparedWrite } from '../fast-read.js';
import type { Db } from '../schema.js';

export interface LogState {
  size: number;
  /** base64 */
  root: string;
  origin: string | null;
}

function stateOf(r: { size: number | string; root: string; origin: string | null }): LogState {
  return { size: Number(r.size), root: r.root, origin: r.origin };
}

/**
 * Takes the sequencer's lock in this transaction and reads the state, or undefined when another
 * process holds it (PostgreSQL: `for update skip locked` on the one state row, so a second
 * integrator skips its tick instead of queueing). On SQLite the write transaction already holds
 * the database's one writer lock across processes.
 */
export async function lockLogState(tx: Db): Promise<LogState | undefined> {
  const q = tx.selectFrom('tlog_state').select(['size', 'root', 'origin']).where('id', '=', 1);
  const r = isSqlite(tx) ? await q.executeTakeFirst() : await q.forUpdate().skipLocked().executeTakeFirst();
  return r ? stateOf(r) : undefined;
}

/** The integrated size and root (not locked). */
export async function readLogState(db: Db): Promise<LogState> {
  const r = await db.selectFrom('tlog_state').select(['size', 'root', 'origin']).where('id', '=', 1).executeTakeFirstOrThrow();
  return stateOf(r);
}

export async function updateLogState(tx: Db, state: LogState, at: string): Promise<void> {
  await tx.updateTable('tlog_state').set({ size: state.size, root: state.root, origin: state.origin, updated_at: at }).where('id', '=', 1).execute();
}

export interface PendingLeafRow extends LeafData {
  leafId: string;
  /** SQLite: the row's rowid (its index is set by it, not looked up again by the key). */
  rowId?: number;
}

/** Whether any leaf waits for an index (the partial index on pending leaves answers). */
export async function hasPendingLeaves(db: Db): Promise<boolean> {
  const r = await db.selectFrom('tlog_leaf_ref').select('leaf_id').where('idx', 'is', null).orderBy('leaf_id').limit(1).executeTakeFirst();
  return r !== undefined;
}

/** Up to `limit` pending leaves, in leaf_id order (the order they are integrated in). */
export async function pendingLeaves(tx: Db, limit: number): Promise<PendingLeafRow[]> {
  const sqlite = isSqlite(tx);
  const rows = await tx
    .selectFrom('tlog_leaf_ref')
    .select(['subject_key', 'kind', 'ref', 'leaf_id', 'salt', 'digest'])
    .$if(sqlite, (q) => q.select(sql<number>`rowid`.as('row_id')))
    .where('idx', 'is', null)
    .orderBy('leaf_id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    kind: r.kind,
    subjectKey: r.subject_key,
    ref: r.ref,
    salt: r.salt,
    digest: r.digest,
    leafId: r.leaf_id,
    ...(sqlite ? { rowId: Number((r as { row_id?: number }).row_id) } : {}),
  }));
}

/** SQLite: a leaf's index set by its rowid (a rowid table since migration 0026). */
const setIndexSqlite = preparedWrite(2, (db, idx: number, rowId: number) => db.updateTable('tlog_leaf_ref').set({ idx }).where(sql<number>`rowid`, '=', rowId).where('idx', 'is', null));

/**
 * Gives leaves[i] the index first + i (SQLite: by the rowid pendingLeaves read; PostgreSQL: by the
 * key). The leaves were read in this transaction under the log's lock: one that is not there to be
 * indexed now would be hashed into the tree and stay pending, so the batch fails instead.
 */
export async function assignIndexes(tx: Db, leaves: readonly PendingLeafRow[], first: number): Promise<void> {
  if (isSqlite(tx)) {
    for (let i = 0; i < leaves.length; i++) {
      const l = leaves[i] as PendingLeafRow;
      if ((await setIndexSqlite.run(tx, first + i, l.rowId as number)) !== 1) throw new Error(`the pending leaf ${l.leafId} could not be given its index`);
    }
    return;
  }
  if (leaves.length === 0) return;
  // PostgreSQL: one statement, the keys as three array parameters joined by primary key (the index
  // is the position): a VALUES list per thousand leaves was 2–3× slower, in parsing and planning.
  const r = await sql`update tlog_leaf_ref t set idx = ${first - 1}::bigint + v.n
    from unnest(${leaves.map((l) => l.subjectKey)}::text[], ${leaves.map((l) => l.kind)}::text[], ${leaves.map((l) => l.ref)}::text[])
      with ordinality as v(subject_key, kind, ref, n)
    where t.subject_key = v.subject_key and t.kind = v.kind and t.ref = v.ref and t.idx is null`.execute(tx);
  if (Number(r.numAffectedRows ?? 0) !== leaves.length) throw new Error(`${leaves.length - Number(r.numAffectedRows ?? 0)} pending leaves could not be given their index`);
}

/** Integrated leaves with index in [from, to), in index order (entry bundles, the auditor). */
export async function leavesByIndex(db: Db, from: number, to: number): Promise<(LeafData & { idx: number })[]> {
  const rows = await db
    .selectFrom('tlog_leaf_ref')
    .select(['subject_key', 'kind', 'ref', 'salt', 'digest', 'idx'])
    .where('idx', '>=', from)
    .where('idx', '<', to)
    .orderBy('idx')
    .execute();
  return rows.map((r) => ({ kind: r.kind, subjectKey: r.subject_key, ref: r.ref, salt: r.salt, digest: r.digest, idx: Number(r.idx) }));
}

export interface StoredTile {
  level: number;
  index: number;
  /** width × 32 bytes */
  hashes: Buffer;
}

/** The stored tile at (level, index) at its current width, or undefined. */
export async function readTile(db: Db, level: number, index: number): Promise<Buffer | undefined> {
  const r = await db.selectFrom('tlog_tile').select('hashes').where('level', '=', level).where('tile_index', '=', index).executeTakeFirst();
  return r ? Buffer.from(r.hashes) : undefined;
}

/** Writes tiles at their new widths: a partial tile is overwritten as it grows. */
export async function writeTiles(tx: Db, tiles: readonly StoredTile[]): Promise<void> {
  if (tiles.length === 0) return;
  if (isSqlite(tx)) {
    for (const t of tiles) {
      const width = t.hashes.length / 32;
      await tx
        .insertInto('tlog_tile')
        .values({ level: t.level, tile_index: t.index, width, hashes: t.hashes })
        .onConflict((oc) => oc.columns(['level', 'tile_index']).doUpdateSet({ width, hashes: t.hashes }))
        .execute();
    }
    return;
  }
  // PostgreSQL: the batch's tiles in one statement (array parameters; pg sends a bytea[] as hex).
  await sql`insert into tlog_tile (level, tile_index, width, hashes)
    select * from unnest(${tiles.map((t) => t.level)}::integer[], ${tiles.map((t) => t.index)}::bigint[],
      ${tiles.map((t) => t.hashes.length / 32)}::integer[], ${tiles.map((t) => t.hashes)}::bytea[])
    on conflict (level, tile_index) do update set width = excluded.width, hashes = excluded.hashes`.execute(tx);
}

export interface StoredCheckpoint {
  size: number;
  root: string;
  /** The note as the log signed it (no cosignatures). */
  note: string;
  signedAt: string;
}

function checkpointOf(r: { size: number | string; root: string; note: string; signed_at: string }): StoredCheckpoint {
  return { size: Number(r.size), root: r.root, note: r.note, signedAt: r.signed_at };
}

export async function insertCheckpoint(tx: Db, c: StoredCheckpoint): Promise<void> {
  await tx.insertInto('tlog_checkpoint').values({ size: c.size, root: c.root, note: c.note, signed_at: c.signedAt }).execute();
}

export async function latestCheckpoint(db: Db): Promise<StoredCheckpoint | undefined> {
  const r = await db.selectFrom('tlog_checkpoint').selectAll().orderBy('size', 'desc').limit(1).executeTakeFirst();
  return r ? checkpointOf(r) : undefined;
}

export async function checkpointOfSize(db: Db, size: number): Promise<StoredCheckpoint | undefined> {
  const r = await db.selectFrom('tlog_checkpoint').selectAll().where('size', '=', size).executeTakeFirst();
  return r ? checkpointOf(r) : undefined;
}

/** Checkpoints with size in [from, to], oldest first, at most `limit` (the auditor walks them). */
export async function listCheckpoints(db: Db, from: number, to: number, limit: number): Promise<StoredCheckpoint[]> {
  const rows = await db.selectFrom('tlog_checkpoint').selectAll().where('size', '>=', from).where('size', '<=', to).orderBy('size').limit(limit).execute();
  return rows.map(checkpointOf);
}

/**
 * The newest checkpoint that at least `witnesses` witnesses cosigned, if any. Driven by the
 * cosignature table's key order, so it reads back from the newest cosigned checkpoint only.
 */
export async function latestCosignedCheckpoint(db: Db, witnesses: number): Promise<StoredCheckpoint | undefined> {
  if (witnesses <= 0) return undefined;
  const r = await db
    .selectFrom('tlog_cosignature')
    .select('checkpoint_size')
    .groupBy('checkpoint_size')
    .having((eb) => eb.fn.countAll(), '>=', witnesses)
    .orderBy('checkpoint_size', 'desc')
    .limit(1)
    .executeTakeFirst();
  return r ? checkpointOfSize(db, Number(r.checkpoint_size)) : undefined;
}

/** Stores a witness's cosignature lines for a checkpoint (again: replaced). */
export async function saveCosignature(db: Db, size: number, witness: string, lines: string, at: string): Promise<void> {
  await db
    .insertInto('tlog_cosignature')
    .values({ checkpoint_size: size, witness, lines, received_at: at })
    .onConflict((oc) => oc.columns(['checkpoint_size', 'witness']).doUpdateSet({ lines, received_at: at }))
    .execute();
}

/** The cosignature lines of a checkpoint, by witness name order. */
export async function cosignaturesOf(db: Db, size: number): Promise<{ witness: string; lines: string }[]> {
  return db.selectFrom('tlog_cosignature').select(['witness', 'lines']).where('checkpoint_size', '=', size).orderBy('witness').execute();
}
