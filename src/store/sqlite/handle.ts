/**
 * The one SQLite connection of a store, on Node's built-in `node:sqlite` (no native module to
 * compile). Every statement is prepared once per SQL text and kept, and reads come back as arrays
 * turned into objects by a row builder made once from the statement's columns: building a
 * 25-column row key by key in the driver was a third of a key lookup, and a fixed-shape object
 * literal is also a plain object (the driver's own rows have no prototype).
 */
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';

export type Row = Record<string, unknown>;

export interface RunResult {
  changes: number;
  lastInsertRowid: number;
}

/** A statement prepared once; `reader` when it returns rows (SELECT, PRAGMA, … RETURNING). */
export class SqliteStatement {
  readonly reader: boolean;
  readonly columns: readonly string[];
  readonly #statement: StatementSync;
  readonly #rowOf: (values: readonly unknown[]) => Row;

  constructor(statement: StatementSync) {
    this.#statement = statement;
    this.columns = statement.columns().map((c) => c.name);
    this.reader = this.columns.length > 0;
    if (this.reader) statement.setReturnArrays(true);
    this.#rowOf = rowBuilder(this.columns);
  }

  all(parameters: readonly unknown[]): Row[] {
    const rows = this.#statement.all(...bindable(parameters)) as unknown as unknown[][];
    const out = new Array<Row>(rows.length);
    for (let i = 0; i < rows.length; i++) out[i] = this.#rowOf(rows[i]!);
    return out;
  }

  get(parameters: readonly unknown[]): Row | undefined {
    const values = this.#statement.get(...bindable(parameters)) as unknown as unknown[] | undefined;
    return values === undefined ? undefined : this.#rowOf(values);
  }

  *iterate(parameters: readonly unknown[]): IterableIterator<Row> {
    for (const values of this.#statement.iterate(...bindable(parameters))) yield this.#rowOf(values as unknown as unknown[]);
  }

  run(parameters: readonly unknown[]): RunResult {
    const r = this.#statement.run(...bindable(parameters));
    return { changes: Number(r.changes), lastInsertRowid: Number(r.lastInsertRowid) };
  }
}

/**
 * node:sqlite binds booleans as 1/0, and a Date, a plain object or an array in first place as
 * named parameters or null, silently; PostgreSQL refuses them. Both stores take the same values:
 * null, numbers, bigints, strings and bytes — anything else is a bug and throws.
 */
function bindable(parameters: readonly unknown[]): SQLInputValue[] {
  for (let i = 0; i < parameters.length; i++) {
    const v = parameters[i];
    const t = typeof v;
    if (v === null || t === 'string' || t === 'number' || t === 'bigint' || v instanceof Uint8Array) continue;
    throw new TypeError(`SQLite parameter ${i + 1} is a ${v === undefined ? 'undefined' : (v as object)?.constructor?.name ?? t}, which it cannot hold`);
  }
  return parameters as SQLInputValue[];
}

/**
 * `{ "a": v[0], "b": v[1], … }` compiled once. Column names come from the schema and the SQL we
 * write, never from input, and JSON.stringify quotes each one; a repeated name keeps its last value,
 * as a driver building objects would. `__proto__` alone is written as a computed key, which makes
 * an own property instead of setting the prototype.
 */
export function rowBuilder(columns: readonly string[]): (values: readonly unknown[]) => Row {
  const key = (n: string) => (n === '__proto__' ? `[${JSON.stringify(n)}]` : JSON.stringify(n));
  const body = `return {${columns.map((n, i) => `${key(n)}: v[${i}]`).join(', ')}};`;
  return new Function('v', body) as (values: readonly unknown[]) => Row;
}

export interface SqliteOpenOptions {
  /** Milliseconds a statement waits for another connection's lock before SQLITE_BUSY. */
  busyTimeoutMs?: number;
  /** Statements kept prepared (least recently prepared evicted first). */
  statementCacheSize?: number;
}

export class SqliteHandle {
  readonly path: string;
  readonly #db: DatabaseSync;
  readonly #statements = new Map<string, SqliteStatement>();
  readonly #cacheSize: number;

  constructor(path: string, options: SqliteOpenOptions = {}) {
    this.path = path;
    this.#db = new DatabaseSync(path, { timeout: options.busyTimeoutMs ?? 5000 });
    this.#cacheSize = options.statementCacheSize ?? 500;
  }

  /** The statement for this SQL text, prepared on first use. */
  statement(sql: string): SqliteStatement {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = new SqliteStatement(this.#db.prepare(sql));
      if (this.#statements.size >= this.#cacheSize) this.#statements.delete(this.#statements.keys().next().value!);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  /** Runs SQL text with no parameters and no result (BEGIN, COMMIT, several statements). */
  exec(sql: string): void {
    this.#db.exec(sql);
  }

  /** The value of a pragma (its first column), e.g. pragma('synchronous'). */
  pragma(name: string): unknown {
    const statement = this.#db.prepare(`pragma ${name}`);
    statement.setReturnArrays(true);
    return (statement.get() as unknown as unknown[] | undefined)?.[0];
  }

  /** Sets a pragma: setPragma('synchronous', 'OFF'). Values are ours (never input). */
  setPragma(name: string, value: string | number): void {
    this.#db.exec(`pragma ${name} = ${value}`);
  }

  get inTransaction(): boolean {
    return this.#db.isTransaction;
  }

  get isOpen(): boolean {
    return this.#db.isOpen;
  }

  close(): void {
    this.#statements.clear();
    if (this.#db.isOpen) this.#db.close();
  }
}
