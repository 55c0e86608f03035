/**
 * The node:sqlite Kysely dialect on its own: what a driver must give Kysely (rows as plain
 * objects with SQLite's types, affected rows and insert IDs, statements that return rows told from
 * those that do not), transactions holding the one connection, savepoints, errors that leave the
 * connection usable, and the statement cache. (PostgreSQL uses Kysely's own pg dialect.)
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { Kysely, sql } from 'kysely';
import { SqliteHandle, rowBuilder } from '../../src/store/sqlite/handle.js';
import { NodeSqliteDialect } from '../../src/store/sqlite/kysely-dialect.js';
import { isUniqueViolation } from '../../src/store/failures.js';
import { TEST_STORE } from '../support/store.js';

const skip = TEST_STORE !== 'sqlite' ? 'SQLite only' : false;

interface T {
  item: { id: number; name: string; score: number | null; data: Uint8Array | null };
}

describe('node:sqlite dialect', { skip }, () => {
  let dir: string;
  let handle: SqliteHandle;
  let db: Kysely<T>;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dancu-dialect-'));
    handle = new SqliteHandle(join(dir, 'd.sqlite'), { statementCacheSize: 4 });
    handle.setPragma('journal_mode', 'WAL');
    db = new Kysely<T>({ dialect: new NodeSqliteDialect(handle) });
    await sql`create table item (id integer primary key, name text not null unique, score real, data blob)`.execute(db);
  });
  after(async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('rows are plain objects with SQLite values: integers and reals as numbers, text, null, blobs as bytes', async () => {
    await db.insertInto('item').values({ id: 1, name: 'một', score: 2.5, data: new Uint8Array([0, 255, 7]) }).execute();
    await db.insertInto('item').values({ id: 2, name: 'hai', score: null, data: null }).execute();
    const rows = await db.selectFrom('item').selectAll().orderBy('id').execute();
    assert.equal(Object.getPrototypeOf(rows[0]), Object.prototype);
    assert.deepEqual(rows[1], { id: 2, name: 'hai', score: null, data: null });
    assert.equal(rows[0]!.score, 2.5);
    assert.deepEqual([...rows[0]!.data!], [0, 255, 7]);
    assert.deepEqual(Object.keys(rows[0]!), ['id', 'name', 'score', 'data']);
  });

  it('reports affected rows and the insert ID; INSERT … RETURNING returns its rows', async () => {
    const ins = await db.insertInto('item').values({ id: 10, name: 'mười', score: 1, data: null }).executeTakeFirstOrThrow();
    assert.equal(ins.insertId, 10n);
    const upd = await db.updateTable('item').set({ score: 3 }).where('id', '>=', 2).executeTakeFirstOrThrow();
    assert.equal(upd.numUpdatedRows, 2n);
    const ret = await db.insertInto('item').values({ id: 11, name: 'mười một', score: null, data: null }).returning(['id', 'name']).execute();
    assert.deepEqual(ret, [{ id: 11, name: 'mười một' }]);
    const del = await db.deleteFrom('item').where('id', 'in', [10, 11]).executeTakeFirstOrThrow();
    assert.equal(del.numDeletedRows, 2n);
  });

  it('a transaction commits or rolls back as one; other queries wait for it', async () => {
    const order: string[] = [];
    const tx = db.transaction().execute(async (t) => {
      await t.insertInto('item').values({ id: 20, name: 'hai mươi', score: null, data: null }).execute();
      order.push('tx-insert');
      await new Promise((r) => setTimeout(r, 20));
      order.push('tx-end');
    });
    const outside = db.selectFrom('item').select('id').where('id', '=', 20).execute().then((r) => {
      order.push(`outside-saw-${r.length}`);
    });
    await Promise.all([tx, outside]);
    assert.deepEqual(order, ['tx-insert', 'tx-end', 'outside-saw-1']);

    await assert.rejects(
      db.transaction().execute(async (t) => {
        await t.insertInto('item').values({ id: 21, name: 'hai mươi mốt', score: null, data: null }).execute();
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.equal((await db.selectFrom('item').select('id').where('id', '=', 21).execute()).length, 0);
    assert.equal(handle.inTransaction, false);
  });

  it('savepoints roll back part of a transaction', async () => {
    const trx = await db.startTransaction().execute();
    await trx.insertInto('item').values({ id: 30, name: 'ba mươi', score: null, data: null }).execute();
    const sp = await trx.savepoint('sp"1').execute();
    await sp.insertInto('item').values({ id: 31, name: 'ba mươi mốt', score: null, data: null }).execute();
    await sp.rollbackToSavepoint('sp"1').execute();
    await trx.commit().execute();
    const ids = (await db.selectFrom('item').select('id').where('id', 'in', [30, 31]).execute()).map((r) => r.id);
    assert.deepEqual(ids, [30]);
  });

  it('a failing statement rejects with SQLite\'s code and leaves the connection usable', async () => {
    await assert.rejects(db.insertInto('item').values({ id: 40, name: 'một', score: null, data: null }).execute(), (e: { code?: string; errcode?: number }) => {
      assert.equal(e.code, 'ERR_SQLITE_ERROR');
      assert.equal(e.errcode, 2067); // SQLITE_CONSTRAINT_UNIQUE
      assert.ok(isUniqueViolation(e));
      return true;
    });
    await assert.rejects(db.insertInto('item').values({ id: 1, name: 'khác', score: null, data: null }).execute(), (e: unknown) => isUniqueViolation(e));
    await assert.rejects(sql`insert into item (id, name) values (99, null)`.execute(db), (e: unknown) => !isUniqueViolation(e));
    await assert.rejects(sql`select * from nowhere`.execute(db), /no such table/);
    assert.equal((await db.selectFrom('item').select('id').where('id', '=', 1).execute()).length, 1);
  });

  it('booleans, dates, objects and undefined are refused, not bound as 1, null or named parameters', async () => {
    for (const v of [true, false, new Date(0), {}, [1], undefined]) {
      await assert.rejects(sql`select ${v as unknown as number} as v`.execute(db), TypeError, String(v));
    }
    assert.deepEqual((await sql<{ v: unknown }>`select ${new Uint8Array([1])} as v, ${2n} as w`.execute(db)).rows.map((r) => Object.keys(r)), [['v', 'w']]);
  });

  it('streams a SELECT row by row', async () => {
    const ids: number[] = [];
    for await (const r of db.selectFrom('item').select('id').orderBy('id').stream()) ids.push(r.id);
    assert.deepEqual(ids, [1, 2, 20, 30]);
  });

  it('keeps at most the configured number of statements prepared, and an evicted one works again', async () => {
    for (let i = 0; i < 10; i++) assert.deepEqual((await sql<{ v: number }>`select ${i} + ${'x'.length * i} as v`.execute(db)).rows, [{ v: 2 * i }]);
    for (let i = 0; i < 6; i++) {
      const r = await sql.raw<{ v: number }>(`select ${i} as v`).execute(db);
      assert.deepEqual(r.rows, [{ v: i }]);
    }
    const first = await sql.raw<{ v: number }>('select 0 as v').execute(db);
    assert.deepEqual(first.rows, [{ v: 0 }]);
  });

  it('pragmas read back what was set', () => {
    handle.setPragma('cache_size', -1234);
    assert.equal(handle.pragma('cache_size'), -1234);
    assert.equal(handle.pragma('journal_mode'), 'wal');
  });
});

describe('row builder', () => {
  it('maps any list of column names to a plain object in column order, the last of a repeated name winning', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('__proto__', 'constructor', '0', '10', 'a b', '"')), { maxLength: 30 }), (names) => {
        const values = names.map((_, i) => i);
        const expected: Record<string, unknown> = {};
        names.forEach((n, i) => Object.defineProperty(expected, n, { value: i, enumerable: true, writable: true, configurable: true }));
        const row = rowBuilder(names)(values);
        assert.equal(Object.getPrototypeOf(row), Object.prototype);
        assert.deepEqual(Object.keys(row), Object.keys(expected));
        for (const k of Object.keys(expected)) assert.equal(row[k], expected[k]);
      }),
    );
  });
});
