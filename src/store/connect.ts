/**
 * Opens a store: the embedded SQLite file (default) or a PostgreSQL server, behind one Kysely
 * interface. The dialect layer lives here: pg returns 64-bit counts as numbers, SQLite gets WAL,
 * foreign keys and a busy timeout.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import type { Database, Db } from './schema.js';
import { migrationProvider } from './migrations/index.js';
import { registerPgPool, registerSqliteHandle } from './fast-read.js';
import { startWalCheckpointer, type WalCheckpointer } from './wal-checkpointer.js';

export type StoreKind = 'sqlite' | 'postgres';

export interface Store {
  readonly kind: StoreKind;
  readonly db: Kysely<Database>;
  /** Where the data is, without credentials (safe to log). */
  readonly location: string;
  /** Runs fn in one transaction: a change and its history rows commit together or not at all. */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** Driver handles for the bulk loader only (COPY, prepared statements); nothing else uses them. */
  readonly driver: { sqlite?: SqliteDatabase.Database; pgPool?: pg.Pool };
  /**
   * A long-running server on SQLite: from now on the WAL is checkpointed by a worker thread, off the
   * event loop (started once; undefined on PostgreSQL, which checkpoints by itself). Not during
   * bulk loads, where the worker would compete for the second core.
   */
  checkpointInBackground(): WalCheckpointer | undefined;
}

export interface StoreConfig {
  /** postgres://… or a SQLite file path (optionally prefixed sqlite:). */
  url: string;
  /** Pool size for PostgreSQL. */
  poolSize?: number;
}

const INT8_OID = 20;
const NUMERIC_OID = 1700;

export function storeKindOf(url: string): StoreKind {
  return /^postgres(ql)?:\/\//.test(url) ? 'postgres' : 'sqlite';
}

export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+)(:[^@/]*)?@/, '//$1@');
}

export function openStore(config: StoreConfig): Store {
  return storeKindOf(config.url) === 'postgres' ? openPostgres(config) : openSqlite(config);
}

function openSqlite(config: StoreConfig): Store {
  const file = config.url.replace(/^sqlite:/, '');
  const path = file === ':memory:' ? file : resolve(file);
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SqliteDatabase(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('cache_size = -65536');
  sqlite.pragma('temp_store = MEMORY');
  // Reads through a memory map: no read syscall per page miss on large tables.
  sqlite.pragma('mmap_size = 4294967296');
  const cached = withStatementCache(sqlite);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cached }) });
  registerSqliteHandle(db, cached);
  let walCheckpointer: WalCheckpointer | undefined;
  return {
    kind: 'sqlite',
    db,
    location: path,
    transaction: (fn) =>
      db.transaction().execute((tx) => {
        registerSqliteHandle(tx, cached, true);
        return fn(tx);
      }),
    close: async () => {
      await walCheckpointer?.stop();
      await db.destroy();
    },
    driver: { sqlite },
    checkpointInBackground: () => (walCheckpointer ??= path === ':memory:' ? undefined : startWalCheckpointer(sqlite, path)),
  };
}

/**
 * Kysely's SQLite driver prepares every query anew; preparing costs more than running a key lookup.
 * Queries are parameterised, so the same SQL text can reuse its prepared statement.
 */
function withStatementCache(sqlite: SqliteDatabase.Database): SqliteDatabase.Database {
  const cache = new Map<string, SqliteDatabase.Statement>();
  const MAX = 500;
  // One function for every call (this is on the hot path of every read).
  const prepare = (source: string) => {
    let stmt = cache.get(source);
    if (!stmt) {
      stmt = sqlite.prepare(source);
      if (cache.size >= MAX) cache.delete(cache.keys().next().value!);
      cache.set(source, stmt);
    }
    return stmt;
  };
  return new Proxy(sqlite, {
    get(target, prop, receiver) {
      if (prop === 'prepare') return prepare;
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function openPostgres(config: StoreConfig): Store {
  const pool = new pg.Pool({
    connectionString: config.url,
    max: config.poolSize ?? 10,
    types: {
      getTypeParser: (oid: number, format?: string) =>
        oid === INT8_OID || oid === NUMERIC_OID
          ? (v: string) => Number(v)
          : // eslint-disable-next-line @typescript-eslint/no-explicit-any
            (pg.types.getTypeParser as any)(oid, format),
    },
  });
  // An idle client whose connection drops (server restart, database dropped) must not crash the
  // process: the pool discards it and the next query gets a fresh connection.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  registerPgPool(db, pool);
  return {
    kind: 'postgres',
    db,
    location: redactUrl(config.url),
    transaction: (fn) => db.transaction().execute(fn),
    close: () => db.destroy(),
    driver: { pgPool: pool },
    checkpointInBackground: () => undefined,
  };
}

/** Brings the schema to the latest migration; returns the names applied now. */
export async function migrateToLatest(store: Store): Promise<string[]> {
  const migrator = new Migrator({ db: store.db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Unique-key violations on either dialect. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string };
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE';
}
