/** Migration 0010 fills given_key for name keys written before it, the same on both stores as givenKeyOf. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createTestDatabase, type TestDatabase } from '../support/store.js';
import { migrateToLatest, openStore, type Store } from '../../src/store/connect.js';
import { backfillGivenKeys } from '../../src/store/migrations/0010-counter-search.js';
import { givenKeyOf } from '../../src/domain/citizen/name-match.js';

let database: TestDatabase;
let store: Store;
before(async () => {
  database = await createTestDatabase();
  store = openStore({ url: database.url });
  await migrateToLatest(store);
});
after(async () => {
  await store.close();
  await database.drop();
});

test('the backfill gives every old row the last word of its key', async () => {
  const word = fc.stringMatching(/^[a-z]{1,8}$/);
  const keys = fc.sample(fc.array(word, { minLength: 1, maxLength: 6 }).map((ws) => ws.join(' ')), 200);
  const fixed = ['an', 'nguyen van an', 'an an', 'van an van', 'le thi b', 'a b a b'];
  const all = [...new Set([...fixed, ...keys])];
  await store.db
    .insertInto('citizen_name_key')
    .values(all.map((k, i) => ({ name_key: k, given_key: null as unknown as string, birth_year: 1990, personal_id: String(i).padStart(12, '0'), date_of_birth: '1990', sex: 'male', birth_province: '01' })))
    .execute();
  await backfillGivenKeys(store.db);
  const rows = await store.db.selectFrom('citizen_name_key').select(['name_key', 'given_key']).execute();
  assert.equal(rows.length, all.length);
  for (const r of rows) assert.equal(r.given_key, givenKeyOf(r.name_key), r.name_key);
});
