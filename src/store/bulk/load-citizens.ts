/**
 * Bulk loading of new citizens, their cards and residence register, for seeding and imports:
 * prepared statements in one SQLite transaction per batch, COPY in one PostgreSQL transaction per
 * batch. A batch and its progress marker commit together, so an interrupted load resumes where it
 * stopped. Runs alone: the SQLite path uses the connection directly, outside Kysely.
 */
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import copyStreams from 'pg-copy-streams';
import type { Store } from '../connect.js';
import { BULK_COLUMNS, type BulkTable } from './citizen-rows.js';

const BULK_CACHE_KIB = 512 * 1024;

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
];

export interface ProgressMarker {
  seed: number;
  done: number;
}

/** Writes rows already grouped by table (see tableRowsOf) and the progress marker in one transaction. */
export async function loadTableRows(store: Store, rows: Record<BulkTable, unknown[][]>, progress?: ProgressMarker): Promise<void> {
  if (store.kind === 'sqlite') return loadSqlite(store, rows, progress);
  return loadPostgres(store, rows, progress);
}

function loadSqlite(store: Store, rows: Record<BulkTable, unknown[][]>, progress?: ProgressMarker): void {
  const sqlite = store.driver.sqlite!;
  const statements = TABLE_ORDER.map((t) => {
    const cols = BULK_COLUMNS[t];
    return [t, sqlite.prepare(`insert into ${t} (${cols.join(', ')}) values (${cols.map(() => '?').join(', ')})`)] as const;
  });
  const mark = sqlite.prepare('update seed_run set done = ? where seed = ?');
  sqlite.transaction(() => {
    for (const [table, stmt] of statements) for (const r of rows[table]) stmt.run(r);
    if (progress) mark.run(progress.done, progress.seed);
  })();
}

/**
 * Runs a whole bulk load (many loadTableRows calls) with the connection tuned for it, then puts
 * the settings back. SQLite: a batch need not survive a power cut (the load resumes from its
 * marker), so WAL commits skip their fsync; a process crash still loses nothing committed. And
 * random keys into large B-trees want a bigger page cache, kept for the whole load: shrinking it
 * between batches would throw away the pages the next batch needs (6% less CPU at 600,000 people).
 */
export async function withBulkLoad<T>(store: Store, fn: () => Promise<T>): Promise<T> {
  const sqlite = store.driver.sqlite;
  if (!sqlite) return fn();
  const previous = sqlite.pragma('synchronous', { simple: true });
  const previousCache = sqlite.pragma('cache_size', { simple: true });
  sqlite.pragma('synchronous = OFF');
  sqlite.pragma(`cache_size = -${BULK_CACHE_KIB}`);
  try {
    return await fn();
  } finally {
    sqlite.pragma(`synchronous = ${Number(previous)}`);
    sqlite.pragma(`cache_size = ${Number(previousCache)}`);
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
