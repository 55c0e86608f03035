/**
 * Opens a store: the embedded SQLite file (default) or a PostgreSQL server, behind one Kysely
 * interface. The dialect layer lives here: pg returns 64-bit counts as numbers, SQLite gets WAL,
 * foreign keys and a busy timeout.
 */
import { ensurePrivateDir, ensurePrivateFile, tightenIfPresent } from '../private-files.js';
import { dirname, resolve } from 'node:path';
import pg from 'pg';
import { Kysely, Migrator, PostgresDialect } from 'kysely';
import type { Database, Db } from './schema.js';
import { migrationProvider } from './migrations/index.js';
import { registerPgPool, registerSqliteHandle } from './fast-read.js';
import { startWalCheckpointer, type WalCheckpointer } from './wal-checkpointer.js';
import { SqliteHandle } from './sqlite/handle.js';
import { NodeSqliteDialect } from './sqlite/kysely-dialect.js';
import { storeFailureOf } from './failures.js';

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
  readonly driver: { sqlite?: SqliteHandle; pgPool?: pg.Pool };
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

/**
 * postgres:// or postgresql:// is PostgreSQL; sqlite:… or a plain path is SQLite. Any other scheme
 * (mysql://, file:, http://…) is refused rather than taken for a file name. One letter before the
 * colon is a Windows drive, not a scheme.
 */
export function storeKindOf(url: string): StoreKind {
  if (/^postgres(ql)?:\/\//.test(url)) return 'postgres';
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]+):/.exec(url)?.[1];
  if (scheme !== undefined && scheme !== 'sqlite') {
    throw new Error(`database URL (DANCU_DATABASE_URL): unsupported scheme "${scheme}:" — use postgres://user@host:5432/db (or postgresql://), sqlite:path, or a plain file path`);
  }
  return 'sqlite';
}

export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+)(:[^@/]*)?@/, '//$1@');
}

/**
 * A transaction that failed on the database answers with what the failure means: a unique key
 * taken by a concurrent writer is a lost race (409), an unreachable server a 503 (failures.ts).
 */
async function classified<T>(run: Promise<T>): Promise<T> {
  try {
    return await run;
  } catch (e) {
    throw storeFailureOf(e) ?? e;
  }
}

export function openStore(config: StoreConfig): Store {
  return storeKindOf(config.url) === 'postgres' ? openPostgres(config) : openSqlite(config);
}

function openSqlite(config: StoreConfig): Store {
  const file = config.url.replace(/^sqlite:/, '');
  const path = file === ':memory:' ? file : resolve(file);
  if (path !== ':memory:') {
    // Personal data: the database, its WAL and shared-memory file are the owner's only.
    ensurePrivateDir(dirname(path));
    ensurePrivateFile(path);
    tightenIfPresent(`${path}-wal`, `${path}-shm`);
  }
  const sqlite = new SqliteHandle(path, { busyTimeoutMs: 5000 });
  sqlite.setPragma('journal_mode', 'WAL');
  sqlite.setPragma('synchronous', 'NORMAL');
  sqlite.setPragma('foreign_keys', 'ON');
  sqlite.setPragma('cache_size', -65536);
  sqlite.setPragma('temp_store', 'MEMORY');
  // Reads through a memory map: no read syscall per page miss on large tables.
  sqlite.setPragma('mmap_size', 4294967296);
  const db = new Kysely<Database>({ dialect: new NodeSqliteDialect(sqlite) });
  registerSqliteHandle(db, sqlite);
  let walCheckpointer: WalCheckpointer | undefined;
  return {
    kind: 'sqlite',
    db,
    location: path,
    transaction: (fn) =>
      classified(
        db.transaction().execute((tx) => {
          registerSqliteHandle(tx, sqlite, true);
          return fn(tx);
        }),
      ),
    close: async () => {
      await walCheckpointer?.stop();
      await db.destroy();
    },
    driver: { sqlite },
    checkpointInBackground: () => (walCheckpointer ??= path === ':memory:' ? undefined : startWalCheckpointer(sqlite, path)),
  };
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
  // Likewise a client checked out but between queries when the server goes away (PostgreSQL
  // restarting): without a listener its 'error' event would be an uncaught exception that ends the
  // process. The query in flight still fails (503), and the pool discards the client on release.
  pool.on('connect', (client) => client.on('error', () => undefined));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  registerPgPool(db, pool);
  return {
    kind: 'postgres',
    db,
    location: redactUrl(config.url),
    transaction: (fn) => classified(db.transaction().execute(fn)),
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
