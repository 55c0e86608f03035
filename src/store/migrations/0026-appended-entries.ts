/**
 * SQLite: the access entries and the pending leaves are appended (issue 13 item 5; decision 0033).
 * Both were `without rowid` tables keyed by personal ID, so every recorded call wrote its wide entry
 * row and its leaf row each on a random page of its own, the sequencer rewrote the leaf's page when
 * it set the index, and the WAL checkpoint copied all those pages back. As rowid tables their rows
 * go to the end pages in time order; only the narrow key (the same columns, a unique index under the
 * old primary key's name) lands on a random page. Queries and constraints are unchanged.
 *
 * PostgreSQL stores heap tables with a key index already: nothing to do there.
 */
import { sql, type Kysely } from 'kysely';
import { isSqlite } from '../dialect.js';

interface Shape {
  table: string;
  /** The old primary key's columns (kept as a unique index named `<table>_pk`). */
  key: string;
  /** Order of the copy: time order, so that old rows too lie in the order new ones are appended. */
  order: string;
  indexes: string[];
}

const SHAPES: Shape[] = [
  {
    table: 'access_entry',
    key: 'subject_key, entry_id',
    order: 'at, entry_id',
    indexes: [
      'create index access_entry_agency on access_entry (agency_code, at, entry_id)',
      'create index access_entry_connection on access_entry (connection_id, at, entry_id)',
      'create index access_entry_principal on access_entry (principal_id, at, entry_id)',
      'create index access_entry_at on access_entry (at, entry_id)',
      'create index access_entry_use on access_entry (entry_id) where primary_row = 1 and subject_count > 1',
    ],
  },
  {
    table: 'tlog_leaf_ref',
    key: 'subject_key, kind, ref',
    order: 'leaf_id',
    indexes: ['create index tlog_leaf_pending on tlog_leaf_ref (leaf_id) where idx is null', 'create unique index tlog_leaf_index on tlog_leaf_ref (idx) where idx is not null'],
  },
];

/** The table's `create table` text as stored. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function createText(db: Kysely<any>, table: string): Promise<string> {
  const r = await sql<{ sql: string }>`select sql from sqlite_master where type = 'table' and name = ${table}`.execute(db);
  const text = r.rows[0]?.sql;
  if (!text) throw new Error(`no table ${table}`);
  return text;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function rebuild(db: Kysely<any>, s: Shape, appended: boolean): Promise<void> {
  const old = await createText(db, s.table);
  const next = `${s.table}_rebuilt`;
  // The columns as they are (their types and not-null constraints), only the key clause changes.
  const keyClause = old.search(/,\s*constraint\s+"?\w+"?\s+primary key/i);
  const columns = old.slice(old.indexOf('(') + 1, keyClause >= 0 ? keyClause : old.lastIndexOf(')'));
  const tail = appended ? ')' : `, constraint "${s.table}_pk" primary key (${s.key})) without rowid`;
  await sql.raw(`create table "${next}" (${columns}${tail}`).execute(db);
  await sql.raw(`insert into "${next}" select * from "${s.table}" order by ${appended ? s.order : s.key}`).execute(db);
  await sql.raw(`drop table "${s.table}"`).execute(db);
  await sql.raw(`alter table "${next}" rename to "${s.table}"`).execute(db);
  if (appended) await sql.raw(`create unique index "${s.table}_pk" on "${s.table}" (${s.key})`).execute(db);
  for (const i of s.indexes) await sql.raw(i).execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  if (!isSqlite(db)) return;
  // Kysely runs SQLite migrations outside a transaction: a crash between drop and rename must lose nothing.
  await db.transaction().execute(async (tx) => {
    for (const s of SHAPES) await rebuild(tx, s, true);
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  if (!isSqlite(db)) return;
  await db.transaction().execute(async (tx) => {
    for (const s of SHAPES) await rebuild(tx, s, false);
  });
}
