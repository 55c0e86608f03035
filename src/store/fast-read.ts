/**
 * Hot-path statements (token check, citizen by key, access-log rows) as prepared queries: built
 * and compiled by Kysely once, then run with new parameters. Building a Kysely query allocates and
 * freezes an AST on every call, which under load costs more than the lookup itself. On SQLite the
 * compiled SQL runs synchronously on the connection's cached prepared statement: inside a
 * transaction on that transaction (SQLite has one connection, and the transaction holds it), outside
 * one only while no transaction is open on the connection — otherwise the statement would run
 * inside somebody else's open transaction and could see what it has not committed, so it queues
 * behind it through Kysely's executor. On PostgreSQL reads outside a transaction are named
 * statements on the pool; everything else goes through the executor.
 */
import { createHash } from 'node:crypto';
import type { Compilable, CompiledQuery } from 'kysely';
import type pg from 'pg';
import type { Db } from './schema.js';
import type { SqliteHandle } from './sqlite/handle.js';

const sqliteHandles = new WeakMap<object, { sqlite: SqliteHandle; transaction: boolean }>();

/** Called by openStore for the SQLite Kysely instance and for each transaction it opens. */
export function registerSqliteHandle(db: Db, sqlite: SqliteHandle, transaction = false): void {
  sqliteHandles.set(db, { sqlite, transaction });
}

const pgPools = new WeakMap<object, pg.Pool>();

/** Called by openStore for the PostgreSQL Kysely instance (not for its transactions). */
export function registerPgPool(db: Db, pool: pg.Pool): void {
  pgPools.set(db, pool);
}

/** The SQLite handle a statement may run on directly now, if any. */
function directHandle(db: Db): SqliteHandle | undefined {
  const h = sqliteHandles.get(db);
  if (!h) return undefined;
  return h.transaction || !h.sqlite.inTransaction ? h.sqlite : undefined;
}

/** Marker values that stand for the arguments while the query is compiled once. */
const marker = (i: number) => `\u0000dancu-arg-${i}\u0000`;

export interface PreparedRead<Args extends string[], Row> {
  first(db: Db, ...args: Args): Promise<Row | undefined>;
}

/** A query compiled once per dialect, with where each argument goes among its parameters. */
function compiledOnce<Args extends unknown[], Row>(arity: number, build: (db: Db, ...args: Args) => Compilable<Row>) {
  // Keyed by the dialect's adapter, which a database and its transactions share.
  const compiledFor = new WeakMap<object, { compiled: CompiledQuery<Row>; slots: (number | undefined)[] }>();
  const markers = Array.from({ length: arity }, (_, i) => marker(i));
  return (db: Db, args: Args): { sql: string; query: CompiledQuery<Row>; parameters: unknown[] } => {
    const adapter = db.getExecutor().adapter;
    let entry = compiledFor.get(adapter);
    if (!entry) {
      const compiled = build(db, ...(markers as unknown as Args)).compile();
      const slots = compiled.parameters.map((p) => {
        const i = markers.indexOf(p as string);
        return i >= 0 ? i : undefined;
      });
      entry = { compiled, slots };
      compiledFor.set(adapter, entry);
    }
    const { compiled, slots } = entry;
    return { sql: compiled.sql, query: compiled, parameters: compiled.parameters.map((p, i) => (slots[i] === undefined ? p : args[slots[i]!])) };
  };
}

/**
 * PostgreSQL: a named statement is parsed and planned once per pooled connection, then only bound
 * and executed — for a key lookup, parsing and planning cost about as much as running it.
 */
function namedOnPg(sql: string): string {
  return `dancu_${createHash('sha256').update(sql).digest('hex').slice(0, 24)}`;
}

/**
 * `build` receives marker strings in place of the arguments; every argument must be used as a
 * plain value (so it becomes a bound parameter), never spliced into SQL text.
 */
export function preparedRead<Args extends string[], Row>(
  arity: Args['length'],
  build: (db: Db, ...args: Args) => Compilable<Row>,
): PreparedRead<Args, Row> {
  const compile = compiledOnce<Args, Row>(arity, build);
  let pgName: string | undefined;
  return {
    async first(db, ...args) {
      const { sql, query, parameters } = compile(db, args);
      const sqlite = directHandle(db);
      if (sqlite) {
        return sqlite.statement(sql).get(parameters) as Row | undefined;
      }
      const pool = pgPools.get(db);
      if (pool) {
        pgName ??= namedOnPg(sql);
        return (await pool.query<Row & pg.QueryResultRow>({ name: pgName, text: sql, values: parameters })).rows[0];
      }
      const result = await db.executeQuery<Row>({ ...query, parameters });
      return result.rows[0];
    },
  };
}

export interface PreparedWrite<Args extends unknown[]> {
  /** Runs the write; resolves with the number of rows it changed. */
  run(db: Db, ...args: Args): Promise<number>;
}

/** A write compiled once and run with new values in the caller's transaction. For statements repeated row by row. */
export function preparedWrite<Args extends unknown[]>(arity: Args['length'], build: (db: Db, ...args: Args) => Compilable<unknown>): PreparedWrite<Args> {
  const compile = compiledOnce<Args, unknown>(arity, build);
  return {
    async run(db, ...args) {
      const { sql, query, parameters } = compile(db, args);
      const sqlite = directHandle(db);
      if (sqlite) return sqlite.statement(sql).run(parameters).changes;
      return Number((await db.executeQuery({ ...query, parameters })).numAffectedRows ?? 0);
    },
  };
}

export interface PreparedReturning<Args extends unknown[], Row> {
  rows(db: Db, ...args: Args): Promise<Row[]>;
}

/**
 * A write with RETURNING compiled once and run with new values — in the caller's transaction, or on
 * its own (PostgreSQL: a named statement on the pool). For a statement on a hot path that must say
 * what it changed (the exchange's usage claim).
 */
export function preparedReturning<Args extends unknown[], Row>(arity: Args['length'], build: (db: Db, ...args: Args) => Compilable<Row>): PreparedReturning<Args, Row> {
  const compile = compiledOnce<Args, Row>(arity, build);
  let pgName: string | undefined;
  return {
    async rows(db, ...args) {
      const { sql, query, parameters } = compile(db, args);
      const sqlite = directHandle(db);
      if (sqlite) return sqlite.statement(sql).all(parameters) as Row[];
      const pool = pgPools.get(db);
      if (pool) {
        pgName ??= namedOnPg(sql);
        return (await pool.query<Row & pg.QueryResultRow>({ name: pgName, text: sql, values: parameters })).rows;
      }
      return (await db.executeQuery<Row>({ ...query, parameters })).rows;
    },
  };
}
