/**
 * Every migration has a `down`; on an empty store every migration after the last deliberately
 * irreversible one (0011 dropped the old access-log tables and says so) goes down and up again — a
 * forgotten `down` left migration 0021 behind once, and Kysely then refused the store as out of
 * order. Runs on both stores.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Migrator } from 'kysely';
import { migrationProvider } from '../../src/store/migrations/index.js';
import { openStore, type Store } from '../../src/store/connect.js';
import { createTestDatabase, type TestDatabase } from '../support/store.js';

let tdb: TestDatabase;
let store: Store;
before(async () => {
  tdb = await createTestDatabase({ empty: true });
  store = openStore({ url: tdb.url });
});
after(async () => {
  await store.close();
  await tdb.drop();
});

test('each migration has an up and a down', async () => {
  const all = await migrationProvider.getMigrations();
  const names = Object.keys(all);
  assert.ok(names.length >= 20, `${names.length} migrations`);
  for (const name of names) {
    assert.equal(typeof all[name]?.up, 'function', `${name}: up`);
    assert.equal(typeof all[name]?.down, 'function', `${name}: down`);
  }
  // Named in order, as Kysely applies them.
  assert.deepEqual([...names].sort(), names);
});

/** Migrations whose `down` refuses on purpose, with the reason it gives. */
const IRREVERSIBLE: Record<string, RegExp> = { '0011-accountability': /cannot be undone/ };

test('every migration after the last irreversible one goes down and up again', async () => {
  const migrator = new Migrator({ db: store.db, provider: migrationProvider });
  const up = await migrator.migrateToLatest();
  assert.equal(up.error, undefined, String(up.error));
  const names = Object.keys(await migrationProvider.getMigrations());
  assert.equal(up.results?.length, names.length);
  const floor = Object.keys(IRREVERSIBLE).sort().at(-1) as string;
  const reversible = names.filter((n) => n > floor);
  const down = await migrator.migrateTo(floor);
  assert.equal(down.error, undefined, String(down.error));
  assert.deepEqual(down.results?.filter((r) => r.status === 'Success' && r.direction === 'Down').map((r) => r.migrationName), [...reversible].reverse());
  // The irreversible one refuses with its reason and leaves the store where it was.
  const refused = await migrator.migrateDown();
  assert.match(String(refused.error), IRREVERSIBLE[floor] as RegExp);
  const again = await migrator.migrateToLatest();
  assert.equal(again.error, undefined, String(again.error));
  assert.deepEqual(again.results?.map((r) => r.migrationName), reversible);
});

test('each migration listed as irreversible exists', async () => {
  const names = Object.keys(await migrationProvider.getMigrations());
  for (const name of Object.keys(IRREVERSIBLE)) assert.ok(names.includes(name), name);
});
