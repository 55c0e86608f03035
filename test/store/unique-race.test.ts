/**
 * A unique key taken by another writer, seen by a caller of store.transaction: the store has already
 * translated it into 409 CONCURRENT_UPDATE, so a raw unique-violation test never fires there —
 * isUniqueRaceLost sees both forms (officer and e-ID account creation, grievances and visibility
 * releases name their key with it). Both stores.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openStore, migrateToLatest, type Store } from '../../src/store/connect.js';
import { isUniqueRaceLost, isUniqueViolation } from '../../src/store/failures.js';
import { RegistryError } from '../../src/domain/errors/registry-error.js';
import { insertLoginAccount } from '../../src/store/repositories/login-accounts.js';
import { createTestDatabase, type TestDatabase } from '../support/store.js';

let tdb: TestDatabase;
let store: Store;
before(async () => {
  tdb = await createTestDatabase({ empty: true });
  store = openStore({ url: tdb.url });
  await migrateToLatest(store);
});
after(async () => {
  await store.close();
  await tdb.drop();
});

const account = (principalId: string) => ({ principalId, login: 'mot.ten', passwordHash: 'scrypt$x', at: '2026-12-06T00:00:00.000Z' });

test('a unique key taken twice: raw inside the transaction, CONCURRENT_UPDATE outside it; isUniqueRaceLost sees both', async () => {
  await store.transaction((tx) => insertLoginAccount(tx, account('p-1')));
  let inside: unknown;
  const outside = await store
    .transaction(async (tx) => {
      try {
        await insertLoginAccount(tx, account('p-2'));
      } catch (e) {
        inside = e;
        throw e;
      }
    })
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  assert.ok(isUniqueViolation(inside) && isUniqueRaceLost(inside), 'the driver error inside');
  assert.ok(outside instanceof RegistryError && outside.code === 'CONCURRENT_UPDATE', String(outside));
  assert.equal(isUniqueViolation(outside), false);
  assert.equal(isUniqueRaceLost(outside), true);
});

test('other failures are not a lost unique key', () => {
  assert.equal(isUniqueRaceLost(new RegistryError('LOGIN_IN_USE')), false);
  assert.equal(isUniqueRaceLost(new Error('boom')), false);
  assert.equal(isUniqueRaceLost({ code: '40001' }), false);
  assert.equal(isUniqueRaceLost(undefined), false);
  assert.equal(isUniqueRaceLost({ code: '23505' }), true);
});
