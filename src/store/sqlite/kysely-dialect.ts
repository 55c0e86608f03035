/**
 * A Kysely dialect for `node:sqlite`: Kysely's own SQLite adapter, query compiler and
 * introspector, with a driver over our SqliteHandle (statements prepared once, rows built by a
 * fixed-shape builder). SQLite has one connection per handle; a mutex hands it to one user at a
 * time, so a transaction holds it from BEGIN to COMMIT.
 */
import {
  CompiledQuery,
  SelectQueryNode,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
} from 'kysely';
import type { SqliteHandle } from './handle.js';

export class NodeSqliteDialect implements Dialect {
  readonly #handle: SqliteHandle;
  constructor(handle: SqliteHandle) {
    this.#handle = handle;
  }
  createAdapter(): DialectAdapter {
    return new SqliteAdapter();
  }
  createDriver(): Driver {
    return new NodeSqliteDriver(this.#handle);
  }
  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }
  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }
}

class NodeSqliteConnection implements DatabaseConnection {
  readonly #handle: SqliteHandle;
  constructor(handle: SqliteHandle) {
    this.#handle = handle;
  }

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    try {
      const statement = this.#handle.statement(query.sql);
      if (statement.reader) return Promise.resolve({ rows: statement.all(query.parameters) as R[] });
      const { changes, lastInsertRowid } = statement.run(query.parameters);
      return Promise.resolve({ numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] });
    } catch (e) {
      return Promise.reject(e as Error);
    }
  }

  async *streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    if (!SelectQueryNode.is(query.query)) throw new Error('node:sqlite streams SELECT queries only');
    for (const row of this.#handle.statement(query.sql).iterate(query.parameters)) yield { rows: [row as R] };
  }
}

/** Waiters in arrival order; the connection passes straight to the next one on release. */
class ConnectionMutex {
  #held = false;
  readonly #waiting: (() => void)[] = [];
  lock(): Promise<void> {
    if (!this.#held) {
      this.#held = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }
  unlock(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#held = false;
  }
}

class NodeSqliteDriver implements Driver {
  readonly #handle: SqliteHandle;
  readonly #connection: NodeSqliteConnection;
  readonly #mutex = new ConnectionMutex();

  constructor(handle: SqliteHandle) {
    this.#handle = handle;
    this.#connection = new NodeSqliteConnection(handle);
  }
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    await this.#mutex.lock();
    return this.#connection;
  }
  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    // Immediate: the writer lock is taken (or waited for, busy timeout) at BEGIN, so two server
    // processes on one file queue up instead of one failing with SQLITE_BUSY at its first write
    // after reading a snapshot the other has since changed (decision 0024).
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }
  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`savepoint ${quoteName(name)}`));
  }
  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`rollback to ${quoteName(name)}`));
  }
  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`release ${quoteName(name)}`));
  }
  async releaseConnection(): Promise<void> {
    this.#mutex.unlock();
  }
  async destroy(): Promise<void> {
    this.#handle.close();
  }
}

function quoteName(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
