/**
 * Hot-path reads (token check, citizen by key) as prepared queries: built and compiled by Kysely
 * once, then run with new parameters. Building a Kysely query allocates and freezes an AST on every
 * call, which under load costs more than the lookup itself. On SQLite the compiled SQL runs
 * synchronously on the connection's cached prepared statement, outside Kysely's async connection
 * mutex; on PostgreSQL (and inside transactions) it goes through Kysely's executor.
 */
import type { Compilable, CompiledQuery } from 'kysely';
import type SqliteDatabase from 'better-sqlite3';
import type { Db } from './schema.js';

const sqliteHandles = new WeakMap<object, SqliteDatabase.Database>();

/** Called once by openStore for the SQLite Kysely instance. */
export function registerSqliteHandle(db: Db, sqlite: SqliteDatabase.Database): void {
  sqliteHandles.set(db, sqlite);
}

/** Marker values that stand for the arguments while the query is compiled once. */
const marker = (i: number) => `\u0000dancu-arg-${i}\u0000`;

export interface PreparedRead<Args extends string[], Row> {
  first(db: Db, ...args: Args): Promise<Row | undefined>;
}

/**
 * `build` receives marker strings in place of the arguments; every argument must be used as a
 * plain value (so it becomes a bound parameter), never spliced into SQL text.
 */
export function preparedRead<Args extends string[], Row>(
  arity: Args['length'],
  build: (db: Db, ...args: Args) => Compilable<Row>,
): PreparedRead<Args, Row> {
  const compiledFor = new WeakMap<object, { compiled: CompiledQuery<Row>; slots: (number | undefined)[] }>();
  const markers = Array.from({ length: arity }, (_, i) => marker(i));
  const prepare = (db: Db) => {
    let entry = compiledFor.get(db);
    if (!entry) {
      const compiled = build(db, ...(markers as Args)).compile();
      const slots = compiled.parameters.map((p) => {
        const i = markers.indexOf(p as string);
        return i >= 0 ? i : undefined;
      });
      entry = { compiled, slots };
      compiledFor.set(db, entry);
    }
    return entry;
  };
  return {
    async first(db, ...args) {
      const { compiled, slots } = prepare(db);
      const parameters = compiled.parameters.map((p, i) => (slots[i] === undefined ? p : args[slots[i]!]));
      const sqlite = sqliteHandles.get(db);
      if (sqlite) return sqlite.prepare(compiled.sql).get(...(parameters as unknown[])) as Row | undefined;
      const result = await db.executeQuery<Row>({ ...compiled, parameters });
      return result.rows[0];
    },
  };
}

export interface PreparedWrite<Args extends unknown[]> {
  run(db: Db, ...args: Args): Promise<void>;
}

/**
 * A write compiled once per database or transaction object and run with new values, through
 * Kysely's executor (so it joins the caller's transaction). For statements repeated row by row.
 */
export function preparedWrite<Args extends unknown[]>(arity: Args['length'], build: (db: Db, ...args: Args) => Compilable<unknown>): PreparedWrite<Args> {
  const compiledFor = new WeakMap<object, { compiled: CompiledQuery<unknown>; slots: (number | undefined)[] }>();
  const markers = Array.from({ length: arity }, (_, i) => marker(i));
  return {
    async run(db, ...args) {
      let entry = compiledFor.get(db);
      if (!entry) {
        const compiled = build(db, ...(markers as unknown as Args)).compile();
        entry = { compiled, slots: compiled.parameters.map((p) => (markers.indexOf(p as string) >= 0 ? markers.indexOf(p as string) : undefined)) };
        compiledFor.set(db, entry);
      }
      const { compiled, slots } = entry;
      await db.executeQuery({ ...compiled, parameters: compiled.parameters.map((p, i) => (slots[i] === undefined ? p : args[slots[i]!])) });
    },
  };
}
