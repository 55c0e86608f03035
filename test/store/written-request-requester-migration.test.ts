/**
 * Migration 0029 fills `requester_personal_id` for the written requests recorded before it, from the
 * requester's JSON, the same on both stores: a citizen requester's personal ID, null for an
 * organisation (even one whose name says "citizen").
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase, type TestDatabase } from '../support/store.js';
import { migrateToLatest, openStore, type Store } from '../../src/store/connect.js';
import { backfillRequesters } from '../../src/store/migrations/0029-written-request-requester.js';

let database: TestDatabase;
let store: Store;
before(async () => {
  database = await createTestDatabase({ empty: true });
  store = openStore({ url: database.url });
  await migrateToLatest(store);
});
after(async () => {
  await store.close();
  await database.drop();
});

const row = (requestId: string, personalId: string, requester: unknown) => ({
  request_id: requestId,
  personal_id: personalId,
  status: 'open',
  channel: 'counter',
  received_at: '2026-06-01T03:00:00.000Z',
  received_on: '2026-06-01',
  due_on: '2026-06-04',
  due_half: 'end_of_day',
  requester: JSON.stringify(requester),
  requester_personal_id: null,
  fields: '["identity"]',
  purpose: 'Xác minh thông tin',
  consent_required: 0,
  recorded_by: 'officer-1',
  decided_at: null,
  decided_by: null,
  reasons: null,
  certificate_number: null,
  version: 1,
  updated_at: '2026-06-01T03:00:00.000Z',
});

test('requests recorded before the column get their citizen requester; organisations none', async () => {
  await store.db
    .insertInto('written_request')
    .values([
      row('YCTT-2026-AAAAAAAA', '001211000001', { kind: 'citizen', personalId: '001080000001', ground: 'minor_child' }),
      row('YCTT-2026-BBBBBBBB', '001080000002', { kind: 'citizen', personalId: '001080000002', ground: 'self' }),
      row('YCTT-2026-CCCCCCCC', '001080000003', { kind: 'organisation', name: 'Hội "citizen" thử', stateBody: false }),
    ])
    .execute();
  await backfillRequesters(store.db);
  const rows = await store.db.selectFrom('written_request').select(['request_id', 'requester_personal_id']).orderBy('request_id').execute();
  assert.deepEqual(rows, [
    { request_id: 'YCTT-2026-AAAAAAAA', requester_personal_id: '001080000001' },
    { request_id: 'YCTT-2026-BBBBBBBB', requester_personal_id: '001080000002' },
    { request_id: 'YCTT-2026-CCCCCCCC', requester_personal_id: null },
  ]);
});
