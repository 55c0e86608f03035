/**
 * Migration 0020 (decision 0038): tokens made before it get a public ID and expire 90 days (the
 * default lifetime) after the migration ran; they keep working until then.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Migrator } from 'kysely';
import { migrationProvider } from '../../src/store/migrations/index.js';
import { openStore, type Store } from '../../src/store/connect.js';
import { authenticate, hashToken, newToken } from '../../src/services/principals.js';
import { fixedClock } from '../../src/services/clock.js';
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

test('an older token: public ID from its hash, expiry 90 days after the migration', async () => {
  const migrator = new Migrator({ db: store.db, provider: migrationProvider });
  assert.equal((await migrator.migrateTo('0015-use-of-an-entry')).error, undefined);
  const token = newToken();
  const hash = hashToken(token);
  // As an older registry wrote them (the columns of migration 0001 only).
  await store.db.insertInto('principal').values({ id: 'p-old', name: 'Cán bộ cũ', role: 'officer', created_at: '2025-01-01T00:00:00.000Z', revoked_at: null, unit: null, personal_id: null }).execute();
  await store.db.insertInto('principal_token').values({ token_hash: hash, principal_id: 'p-old', created_at: '2025-01-01T00:00:00.000Z', revoked_at: null } as never).execute();
  const before = Date.now();
  assert.equal((await migrator.migrateToLatest()).error, undefined);
  const after = Date.now();
  const row = await store.db.selectFrom('principal_token').selectAll().where('token_hash', '=', hash).executeTakeFirstOrThrow();
  assert.equal(row.token_id, hash.slice(0, 16));
  const expires = Date.parse(row.expires_at!);
  assert.ok(expires >= before + 90 * 86_400_000 && expires <= after + 90 * 86_400_000, row.expires_at!);
  assert.equal((await authenticate(store, token, fixedClock(new Date(expires - 1).toISOString())))?.id, 'p-old');
  assert.equal(await authenticate(store, token, fixedClock(new Date(expires).toISOString())), undefined);
});
