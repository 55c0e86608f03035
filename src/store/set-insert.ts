/**
 * Rows inserted a set at a time, for writers of many rows in one transaction (a subscriber import's
 * batch, the transparency log's leaves). SQLite: multi-row `insert … values (…), (…)` with every value
 * a bound parameter, in chunks whose row counts are powers of two up to the most that stay within
 * SQLite's 32,766 parameters — so a table needs a dozen statements prepared once, whatever its batch
 * sizes (a 5,000-row set is 4,096 + 512 + 256 + 128 + 8 rows). Measured against one statement per row
 * and against a JSON array unpacked by json_each (decision 0039). PostgreSQL: one bound array per
 * column, unnested — one round trip per chunk (decision 0036).
 */
import { CompiledQuery } from 'kysely';
import { isSqlite } from './dialect.js';
import type { Db } from './schema.js';

/** SQLite's limit on bound parameters in one statement (SQLITE_MAX_VARIABLE_NUMBER since 3.32). */
const SQLITE_MAX_PARAMETERS = 32_766;
/** Rows per PostgreSQL statement (a bound array's size is not limited, the statement's memory is): a CLI import's batch in one. */
const PG_ROWS_PER_STATEMENT = 50_000;

/** Inserts rows given as arrays of column values, in the column order the writer was made with. */
export type SetInsert = (db: Db, rows: readonly (readonly unknown[])[]) => Promise<void>;

/** The largest power of two not above n (n ≥ 1). */
export function powerOfTwoAtMost(n: number): number {
  return 2 ** Math.floor(Math.log2(n));
}

/** The chunk sizes a set of n rows is written in: the largest chunk while it fits, then powers of two. */
export function chunkSizes(n: number, largest: number): number[] {
  const sizes: number[] = [];
  let left = n;
  while (left > 0) {
    const size = left >= largest ? largest : powerOfTwoAtMost(left);
    sizes.push(size);
    left -= size;
  }
  return sizes;
}

export function setInsert(table: string, columns: readonly string[], pgTypes: readonly string[]): SetInsert {
  if (pgTypes.length !== columns.length) throw new TypeError(`${table}: a PostgreSQL type per column`);
  const list = columns.join(', ');
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  const largest = powerOfTwoAtMost(Math.floor(SQLITE_MAX_PARAMETERS / columns.length));
  // The text of each chunk size, made once (the handle prepares each text once and keeps it).
  const sqliteSql = new Map<number, string>();
  const sqliteText = (rows: number) => {
    let text = sqliteSql.get(rows);
    if (text === undefined) {
      text = `insert into ${table} (${list}) values ${Array.from({ length: rows }, () => tuple).join(', ')}`;
      sqliteSql.set(rows, text);
    }
    return text;
  };
  const pgSql = `insert into ${table} (${list}) select * from unnest(${pgTypes.map((t, i) => `$${i + 1}::${t}[]`).join(', ')})`;
  return async (db, rows) => {
    if (rows.length === 0) return;
    if (isSqlite(db)) {
      let at = 0;
      for (const size of chunkSizes(rows.length, largest)) {
        const values: unknown[] = [];
        for (let r = at; r < at + size; r++) for (const v of rows[r]!) values.push(v);
        await db.executeQuery(CompiledQuery.raw(sqliteText(size), values));
        at += size;
      }
      return;
    }
    for (let i = 0; i < rows.length; i += PG_ROWS_PER_STATEMENT) {
      const part = rows.length <= PG_ROWS_PER_STATEMENT ? rows : rows.slice(i, i + PG_ROWS_PER_STATEMENT);
      await db.executeQuery(CompiledQuery.raw(pgSql, columns.map((_, c) => part.map((r) => r[c]))));
    }
  };
}
