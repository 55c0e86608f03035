/**
 * What the offline auditor reads back (decision 0034): the rows of every committed table
 * (LEAF_KINDS) in a period, single rows by their leaf's name, the leaves (integrated and pending),
 * the tiles, the checkpoints signed in a period with their cosignatures, and the redirects of
 * re-issued personal IDs. Rows come back exactly as selectAll gives them: their digest is
 * recomputed from these values, so nothing here converts a column.
 */
import { sql } from 'kysely';
import { addSignatures } from '../../transparency/note.js';
import type { Db } from '../schema.js';
import { IN_GROUP } from '../in-groups.js';
import { LEAF_KINDS, type LeafKind } from './transparency-leaves.js';

/**
 * The instant column of each committed table: a row written after the log began must have a leaf,
 * a row older than the log's first leaf (carried over by a migration) need not. A kind added to
 * LEAF_KINDS belongs here too (test/cli/audit.test.ts checks both lists agree); until then the
 * auditor exports all its rows whatever the period, and each must have a leaf.
 */
export const AUDIT_TIME_COLUMNS: Readonly<Record<string, string>> = {
  access_entry: 'at',
  principal_event: 'at',
  citizen_history: 'recorded_at',
  household_history: 'recorded_at',
  residence_event: 'recorded_at',
  stay_notice: 'notified_at',
  id_card_history: 'recorded_at',
  certificate: 'issued_at',
  connection_event: 'at',
  catalogue_version: 'published_at',
  visibility_default: 'decided_at',
  visibility_hold: 'decided_at',
  visibility_release: 'released_at',
  grievance: 'opened_at',
  grievance_event: 'at',
  written_request_event: 'at',
  subscriber_link_event: 'recorded_at',
  consent_event: 'at',
  consent_use: 'at',
};

export type AuditRow = Record<string, string | number | null>;

export function leafKindOf(kind: string): LeafKind {
  const k = LEAF_KINDS[kind];
  if (!k) throw new TypeError(`not a committed kind: ${kind}`);
  return k;
}


// Kysely's typed builder does not take a table name held in a variable: the names come from
// LEAF_KINDS (never from input), and values are always bound.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const anyDb = (db: Db) => db as unknown as import('kysely').Kysely<any>;

/** Every row of a committed table whose instant lies in [from, to) (either bound may be open). */
export async function committedRowsInPeriod(db: Db, kind: string, from?: string, to?: string): Promise<AuditRow[]> {
  const k = leafKindOf(kind);
  const t = AUDIT_TIME_COLUMNS[kind];
  let q = anyDb(db).selectFrom(k.table).selectAll();
  if (!t) return (await q.execute()) as AuditRow[];
  // A row whose instant is not set yet (a draft catalogue) is not committed yet.
  q = q.where(t, 'is not', null);
  if (from) q = q.where(t, '>=', from);
  if (to) q = q.where(t, '<', to);
  return (await q.execute()) as AuditRow[];
}

/** The row a leaf names (its key and ref), if it exists. */
export async function committedRow(db: Db, kind: string, subjectKey: string, ref: string): Promise<AuditRow | undefined> {
  const k = leafKindOf(kind);
  // A ref joins the rest of the key with '/'; only a kind with one ref column may hold a '/' in it.
  const parts = k.refColumns.length === 1 ? [ref] : ref.split('/');
  if (parts.length !== k.refColumns.length) return undefined;
  let q = anyDb(db).selectFrom(k.table).selectAll().where(sql.ref(k.keyColumn), '=', subjectKey);
  k.refColumns.forEach((c, i) => {
    q = q.where(sql`cast(${sql.ref(c)} as text)`, '=', parts[i]);
  });
  const rows = (await q.execute()) as AuditRow[];
  return rows.find((r) => String(r[k.keyColumn]) === subjectKey && k.refColumns.map((c) => String(r[c])).join('/') === ref);
}

export interface AuditLeaf {
  kind: string;
  subjectKey: string;
  ref: string;
  leafId: string;
  salt: string;
  digest: string;
  idx: number | null;
}

type LeafRow = { subject_key: string; kind: string; ref: string; leaf_id: string; salt: string; digest: string; idx: number | string | null };

const leafOf = (r: LeafRow): AuditLeaf => ({
  kind: r.kind,
  subjectKey: r.subject_key,
  ref: r.ref,
  leafId: r.leaf_id,
  salt: r.salt,
  digest: r.digest,
  idx: r.idx === null ? null : Number(r.idx),
});

/** Integrated leaves with index in [from, to), by index. */
export async function leavesInRange(db: Db, from: number, to: number): Promise<AuditLeaf[]> {
  if (to <= from) return [];
  const rows = await db
    .selectFrom('tlog_leaf_ref')
    .select(['subject_key', 'kind', 'ref', 'leaf_id', 'salt', 'digest', 'idx'])
    .where('idx', '>=', from)
    .where('idx', '<', to)
    .orderBy('idx')
    .execute();
  return rows.map(leafOf);
}

/** The leaves of these rows of one kind (by their keys), integrated or pending. */
export async function leavesOfRows(db: Db, kind: string, names: readonly { subjectKey: string; ref: string }[]): Promise<AuditLeaf[]> {
  const out: AuditLeaf[] = [];
  // By the whole key (kind, ref, subject): the one lookup both stores' key indexes answer, whatever
  // the order of their columns (SQLite's leads with the kind and ref: migration 0028).
  const keys = [...new Map(names.map((n) => [`${n.subjectKey}\n${n.ref}`, n])).values()];
  for (let i = 0; i < keys.length; i += IN_GROUP) {
    const part = keys.slice(i, i + IN_GROUP);
    const rows = await db
      .selectFrom('tlog_leaf_ref')
      .select(['subject_key', 'kind', 'ref', 'leaf_id', 'salt', 'digest', 'idx'])
      .where('kind', '=', kind)
      .where((eb) => eb(eb.refTuple('ref', 'subject_key'), 'in', part.map((n) => eb.tuple(n.ref, n.subjectKey))))
      .execute();
    for (const r of rows) out.push(leafOf(r));
  }
  return out;
}

/** The first leaf ever written (smallest leaf ID): where the log begins. */
export async function firstLeafId(db: Db): Promise<string | undefined> {
  const r = await db.selectFrom('tlog_leaf_ref').select('leaf_id').orderBy('leaf_id').limit(1).executeTakeFirst();
  return r?.leaf_id;
}

export interface AuditTile {
  level: number;
  index: number;
  hashes: Buffer;
}

/**
 * The tiles a segment [start, end) needs: the level-0 tiles over it (from the tile holding
 * `start`), and every tile of the levels above that begins below `end` (a 256th of the level
 * below each: small), so that every checkpoint's root can be recomputed.
 */
export async function tilesForSegment(db: Db, start: number, end: number): Promise<AuditTile[]> {
  const rows = await db
    .selectFrom('tlog_tile')
    .select(['level', 'tile_index', 'hashes'])
    .where((eb) =>
      eb.or([
        eb.and([eb('level', '=', 0), eb('tile_index', '>=', Math.floor(start / 256)), eb('tile_index', '<', Math.ceil(end / 256))]),
        eb('level', '>=', 1),
      ]),
    )
    .execute();
  return rows
    .map((r) => ({ level: Number(r.level), index: Number(r.tile_index), hashes: Buffer.from(r.hashes) }))
    .filter((t) => t.level === 0 || t.index * 256 ** (t.level + 1) < end)
    .sort((a, b) => a.level - b.level || a.index - b.index);
}

export interface AuditCheckpoint {
  size: number;
  root: string;
  signedAt: string;
  /** The signed note with every witness cosignature line stored for it. */
  note: string;
}

async function withCosignatures(db: Db, rows: { size: number | string; root: string; note: string; signed_at: string }[]): Promise<AuditCheckpoint[]> {
  if (rows.length === 0) return [];
  const sizes = rows.map((r) => Number(r.size));
  // One range read for all of them (a day signs hundreds of thousands of checkpoints).
  const cos = await db
    .selectFrom('tlog_cosignature')
    .select(['checkpoint_size', 'witness', 'lines'])
    .where('checkpoint_size', '>=', sizes.reduce((a, b) => Math.min(a, b)))
    .where('checkpoint_size', '<=', sizes.reduce((a, b) => Math.max(a, b)))
    .execute();
  const bySize = new Map<number, { witness: string; lines: string }[]>();
  for (const c of cos) {
    const list = bySize.get(Number(c.checkpoint_size)) ?? [];
    list.push(c);
    bySize.set(Number(c.checkpoint_size), list);
  }
  return rows.map((r) => {
    const size = Number(r.size);
    const lines = (bySize.get(size) ?? []).sort((a, b) => (a.witness < b.witness ? -1 : a.witness > b.witness ? 1 : 0)).map((c) => c.lines);
    return { size, root: r.root, signedAt: r.signed_at, note: lines.length === 0 ? r.note : addSignatures(r.note, lines.join('')) };
  });
}

/** Checkpoints signed in [from, to), by size. */
export async function checkpointsSigned(db: Db, from?: string, to?: string): Promise<AuditCheckpoint[]> {
  let q = db.selectFrom('tlog_checkpoint').selectAll();
  if (from) q = q.where('signed_at', '>=', from);
  if (to) q = q.where('signed_at', '<', to);
  return withCosignatures(db, await q.orderBy('size').execute());
}

/** The largest checkpoint signed before `at`, if any. */
export async function checkpointBefore(db: Db, at: string): Promise<AuditCheckpoint | undefined> {
  const rows = await db.selectFrom('tlog_checkpoint').selectAll().where('signed_at', '<', at).orderBy('size', 'desc').limit(1).execute();
  return (await withCosignatures(db, rows))[0];
}

/** Checkpoints of size in (after, upTo], by size. */
export async function checkpointsAfterSize(db: Db, after: number, upTo: number): Promise<AuditCheckpoint[]> {
  const rows = await db.selectFrom('tlog_checkpoint').selectAll().where('size', '>', after).where('size', '<=', upTo).orderBy('size').execute();
  return withCosignatures(db, rows);
}

/** The smallest checkpoint of at least this size, if any. */
export async function checkpointCovering(db: Db, size: number): Promise<AuditCheckpoint | undefined> {
  const rows = await db.selectFrom('tlog_checkpoint').selectAll().where('size', '>=', size).orderBy('size').limit(1).execute();
  return (await withCosignatures(db, rows))[0];
}

export interface Redirect {
  personalId: string;
  replacedBy: string;
}

/** Where these personal IDs were re-issued to (cancelled numbers only). */
export async function redirectsOf(db: Db, personalIds: readonly string[]): Promise<Redirect[]> {
  const out: Redirect[] = [];
  for (let i = 0; i < personalIds.length; i += 500) {
    const rows = await db
      .selectFrom('personal_id_issued')
      .select(['personal_id', 'replaced_by'])
      .where('personal_id', 'in', personalIds.slice(i, i + 500))
      .where('replaced_by', 'is not', null)
      .execute();
    for (const r of rows) out.push({ personalId: r.personal_id, replacedBy: r.replaced_by as string });
  }
  return out;
}
