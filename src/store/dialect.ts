/** The few places where the two dialects differ in DDL; everything else is shared. */
import { SqliteAdapter, sql, type CreateTableBuilder, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function isSqlite(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof SqliteAdapter;
}

/**
 * SQLite stores a table with a text primary key twice (rowid tree + key index); WITHOUT ROWID keeps
 * one tree ordered by the key, which halves the work of every insert into key-addressed tables.
 * PostgreSQL has no such distinction.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function keyOrdered<T extends CreateTableBuilder<any, any>>(db: Kysely<any>, builder: T): T {
  return (isSqlite(db) ? builder.modifyEnd(sql`without rowid`) : builder) as T;
}
