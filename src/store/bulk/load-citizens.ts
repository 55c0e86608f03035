/**
 * Bulk loading of new citizens, their cards and residence register, for seeding and imports:
 * prepared statements in SQLite transactions that gather several batches, COPY in one PostgreSQL
 * transaction per batch. A batch and its progress marker commit together, so an interrupted load
 * resumes where it stopped. Runs alone: the SQLite path uses the connection directly, outside Kysely.
 */
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import copyStreams from 'pg-copy-streams';
import type { Store } from '../connect.js';
import { BULK_COLUMNS, type BulkTable } from './citizen-rows.js';

const TABLE_ORDER: BulkTable[] = [
  'personal_id_issued',
  'citizen',
  'citizen_history',
  'citizen_name_key',
  'legacy_id_lookup',
  'phone_lookup',
  'id_card',
  'id_card_history',
  'household',
  'household_member',
  'household_history',
  'residence_registration',
  'residence_event',
  'stay_notice',
  'tlog_leaf_ref',
];

export interface ProgressMarker {
  seed: number;
  done: number;
}

/** Writes batches of rows already grouped by table (see tableRowsOf), each with its progress marker. */
export interface BulkLoad {
  write(rows: Record<BulkTable, unknown[][]>, progress?: ProgressMarker): Promise<void>;
}

/**
 * SQLite: how many rows a transaction gathers before it commits. The keys are random (personal IDs,
 * name keys), so every batch touches pages all over each primary-key index, and each commit writes
 * those pages to the WAL and the checkpoint writes them again: at 1,000,000 people one commit of
 * 10,000 people wrote ~470 MB. Fewer, larger commits write each such page once for many batches.
 */
export const SQLITE_COMMIT_ROWS = 1_200_000;
const BULK_CACHE_KIB = 2 * 1024 * 1024;

/**
 * Runs a whole bulk load with the connection tuned for it, then puts the settings back. Each batch
 * and its progress marker commit together, so an interrupted load resumes from the last marker
 * committed. SQLite: batches are gathered into transactions of about `commitRows` rows (a failure
 * rolls back the open one, marker included); a batch need not survive a power cut (the load
 * resumes from its marker), so WAL commits skip their fsync — a process crash still loses nothing
 * committed; and random keys into large B-trees want a big page cache, kept for the whole load
 * (it must also hold a transaction's dirty pages). PostgreSQL: one COPY transaction per batch.
 */
export async function withBulkLoad<T>(store: Store, fn: (load: BulkLoad) => Promise<T>, opts: { commitRows?: number } = {}): Promise<T> {
  const sqlite = store.driver.sqlite;
  if (!sqlite) return fn({ write: (rows, progress) => loadPostgres(store, rows, progress) });
  const previous = Number(sqlite.pragma('synchronous'));
  const previousCache = Number(sqlite.pragma('cache_size'));
  sqlite.setPragma('synchronous', 'OFF');
  sqlite.setPragma('cache_size', -BULK_CACHE_KIB);
  const commitRows = opts.commitRows ?? SQLITE_COMMIT_ROWS;
  const statements = TABLE_ORDER.map((t) => {
    const cols = BULK_COLUMNS[t];
    return [t, sqlite.statement(`insert into ${t} (${cols.join(', ')}) values (${cols.map(() => '?').join(', ')})`)] as const;
  });
  const mark = sqlite.statement('update seed_run set done = ? where seed = ?');
  let pending = 0;
  const load: BulkLoad = {
    async write(rows, progress) {
      if (pending === 0) sqlite.exec('begin');
      for (const [table, stmt] of statements) for (const r of rows[table]) stmt.run(r);
      if (progress) mark.run([progress.done, progress.seed]);
      for (const table of TABLE_ORDER) pending += rows[table].length;
      if (pending >= commitRows) {
        sqlite.exec('commit');
        pending = 0;
      }
    },
  };
  try {
    const result = await fn(load);
    if (sqlite.inTransaction) sqlite.exec('commit');
    return result;
  } finally {
    if (sqlite.inTransaction) sqlite.exec('rollback');
    sqlite.setPragma('synchronous', previous);
    sqlite.setPragma('cache_size', previousCache);
  }
}

/** COPY text format: backslash escapes for the four special characters, \N for null. */
export function copyField(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  const s = String(v);
  return /[\\\t\n\r]/.test(s) ? s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : s;
}

async function loadPostgres(store: Store, rows: Record<BulkTable, unknown[][]>, progress?: ProgressMarker): Promise<void> {
  const client = await store.driver.pgPool!.connect();
  try {
    await client.query('begin');
    for (const table of TABLE_ORDER) {
      const data = rows[table];
      if (data.length === 0) continue;
      const text = data.map((r) => r.map(copyField).join('\t')).join('\n') + '\n';
      const copy = client.query(copyStreams.from(`copy ${table} (${BULK_COLUMNS[table].join(', ')}) from stdin`));
      await pipeline(Readable.from([text]), copy);
    }
    if (progress) await client.query('update seed_run set done = $1 where seed = $2', [progress.done, progress.seed]);
    await client.query('commit');
  } catch (e) {
    await client.query('rollback').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}
