/**
 * Migration 0014: rows of committed tables written before the log existed get their leaves when it
 * begins, once each, with digests of the rows as stored; drafts (no instant) stay uncommitted.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Migrator } from 'kysely';
import { migrationProvider } from '../../src/store/migrations/index.js';
import { openStore, type Store } from '../../src/store/connect.js';
import { LEAF_KINDS, refOf } from '../../src/store/repositories/transparency-leaves.js';
import { rowDigest } from '../../src/transparency/leaf.js';
import { createTestDatabase, type TestDatabase } from '../support/store.js';

describe('migration 0014: the log begins with every existing row', () => {
  let tdb: TestDatabase;
  let store: Store;
  before(async () => {
    tdb = await createTestDatabase();
    store = openStore({ url: tdb.url });
  });
  after(async () => {
    await store.close();
    await tdb.drop();
  });

  test('rows written before it get exactly one leaf each; a second run adds none; drafts none', async () => {
    const migrator = new Migrator({ db: store.db, provider: migrationProvider });
    const to13 = await migrator.migrateTo('0013-citizen-usage');
    assert.equal(to13.error, undefined);
    // Rows as an older registry wrote them: no leaves.
    const entries = [0, 1, 2].map((i) => ({
      subject_key: `00109800000${i}`, entry_id: `2026010100000000000${i}`, at: `2026-01-0${i + 1}T00:00:00.000Z`, caller_kind: 'principal', principal_id: 'p1', role: 'officer',
      unit: null, agency_code: null, connection_id: null, officer_id: null, channel: 'api', action: 'getCitizen', purpose: 'old', fields: '["fullName"]', outcome: 'served',
      error_code: null, http_status: 200, request_id: null, source_ip: '127.0.0.1', latency_ms: 1.25, fee_vnd: 0, catalogue_year: null, test_stage: 0, primary_row: 1,
      subject_count: 1, personal_ids: JSON.stringify([`00109800000${i}`]),
    }));
    await store.db.insertInto('access_entry').values(entries).execute();
    await store.db.insertInto('principal_event').values({ principal_id: 'p1', seq: 1, at: '2025-12-31T00:00:00.000Z', actor_id: 'system:cli', kind: 'created', details: '{}' }).execute();
    await store.db.insertInto('catalogue_version').values({ year: 2031, status: 'draft', services: '[]', published_at: null, updated_at: '2026-01-01T00:00:00.000Z' }).execute();

    const latest = await migrator.migrateToLatest();
    assert.equal(latest.error, undefined);
    const leaves = await store.db.selectFrom('tlog_leaf_ref').selectAll().execute();
    assert.equal(leaves.length, 4, 'three entries and one principal event; the draft catalogue has none');
    for (const e of entries) {
      const l = leaves.filter((x) => x.kind === 'access_entry' && x.subject_key === e.subject_key && x.ref === refOf(LEAF_KINDS.access_entry!, e));
      assert.equal(l.length, 1);
      const stored = await store.db.selectFrom('access_entry').selectAll().where('entry_id', '=', e.entry_id).executeTakeFirstOrThrow();
      assert.equal(l[0]!.digest, rowDigest(LEAF_KINDS.access_entry!.columns, stored));
      assert.equal(l[0]!.idx, null, 'pending until the sequencer integrates it');
    }
    // Ordered by the rows' own instants: the principal event (2025) sequences first.
    const ordered = [...leaves].sort((a, b) => (a.leaf_id < b.leaf_id ? -1 : 1));
    assert.equal(ordered[0]!.kind, 'principal_event');

    // Run again (down to 0013 and up): nothing is committed twice.
    await migrator.migrateTo('0013-citizen-usage');
    await migrator.migrateToLatest();
    assert.equal((await store.db.selectFrom('tlog_leaf_ref').selectAll().execute()).length, 4);
  });
});
