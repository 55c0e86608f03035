/**
 * Migration 0014: rows of committed tables written before the log existed get their leaves when it
 * begins, once each, with digests of the rows as stored; drafts (no instant) stay uncommitted.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Migrator } from 'kysely';
import { migrationProvider } from '../../src/store/migrations/index.js';
import { openStore, type Store } from '../../src/store/connect.js';
import { LEAF_KINDS, leafFor, insertLeaves, refOf } from '../../src/store/repositories/transparency-leaves.js';
import { commitExistingRows } from '../../src/store/migrations/0014-commit-existing-rows.js';
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

  test('more rows than one batch: read in keyset batches (two- and three-column keys), each row once, an existing leaf kept', async () => {
    const other = await createTestDatabase();
    const st = openStore({ url: other.url });
    try {
      const migrator = new Migrator({ db: st.db, provider: migrationProvider });
      assert.equal((await migrator.migrateTo('0013-citizen-usage')).error, undefined);
      // Several entries per subject, so that batch boundaries fall inside one subject's rows.
      const entries = Array.from({ length: 11 }, (_, i) => ({
        subject_key: `00109800001${i % 3}`, entry_id: `2026020100000000${String(i).padStart(4, '0')}`, at: `2026-02-01T00:00:${String(i).padStart(2, '0')}.000Z`,
        caller_kind: 'principal', principal_id: 'p1', role: 'officer', unit: null, agency_code: null, connection_id: null, officer_id: null, channel: 'api',
        action: 'getCitizen', purpose: 'old', fields: '[]', outcome: 'served', error_code: null, http_status: 200, request_id: null, source_ip: '127.0.0.1',
        latency_ms: 1, fee_vnd: 0, catalogue_year: null, test_stage: 0, primary_row: 1, subject_count: 1, personal_ids: '[]',
      }));
      await st.db.insertInto('access_entry').values(entries).execute();
      const events = Array.from({ length: 7 }, (_, i) => ({
        personal_id: `00109800002${i % 2}`, grievance_id: `g${i % 3}`, seq: i, at: `2026-02-02T00:00:0${i}.000Z`, actor_id: 'x', kind: 'note', text: null,
      }));
      await st.db.insertInto('grievance_event').values(events).execute();
      // One row already committed (as a writer would have): it keeps its leaf and gets no second one.
      const committed = leafFor('access_entry', entries[4]!, entries[4]!.at);
      await insertLeaves(st.db, [committed]);

      await commitExistingRows(st.db, 2);
      const leaves = await st.db.selectFrom('tlog_leaf_ref').selectAll().execute();
      const names = (kind: string) => leaves.filter((l) => l.kind === kind).map((l) => `${l.subject_key}/${l.ref}`).sort();
      assert.deepEqual(names('access_entry'), entries.map((e) => `${e.subject_key}/${e.entry_id}`).sort());
      assert.deepEqual(names('grievance_event'), events.map((e) => `${e.personal_id}/${e.grievance_id}/${e.seq}`).sort());
      assert.equal(leaves.find((l) => l.ref === entries[4]!.entry_id)?.leaf_id, committed.leafId);
      // Another run, with another batch size: nothing twice.
      await commitExistingRows(st.db, 3);
      assert.equal((await st.db.selectFrom('tlog_leaf_ref').selectAll().execute()).length, entries.length + events.length);
    } finally {
      await st.close();
      await other.drop();
    }
  });

  test('migration 0011 carries the old exchange log over: one row per citizen for a connection, the address alone for an unauthenticated call', async () => {
    const other = await createTestDatabase({ empty: true });
    const st = openStore({ url: other.url });
    try {
      const migrator = new Migrator({ db: st.db, provider: migrationProvider });
      assert.equal((await migrator.migrateTo('0010-counter-search')).error, undefined);
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const db = st.db as any;
      const base = { request_id: 'r', purpose: 'p', officer_id: 'o', fields: '[]', error_code: null, latency_ms: 2.5, catalogue_year: 2026, test_stage: 0, entry_hash: 'h' };
      await db.insertInto('access_log').values([
        { ...base, log_id: 'L1', at: '2026-06-01T00:00:00.000Z', agency_code: 'BHXH', connection_id: 'c1', service: 'lookupCitizen', personal_ids: '["001098000001","001098000002"]', outcome: 'served', http_status: 200, fee_vnd: 500, source_ip: '10.0.0.1' },
        { ...base, log_id: 'L2', at: '2026-06-01T00:00:01.000Z', agency_code: null, connection_id: null, service: 'lookupCitizen', personal_ids: '["001098000003","001098000004","001098000005"]', outcome: 'refused', http_status: 401, fee_vnd: 0, source_ip: '203.0.113.9' },
      ]).execute();
      await db.insertInto('access_log_subject').values([
        { personal_id: '001098000001', log_id: 'L1', at: '2026-06-01T00:00:00.000Z' },
        { personal_id: '001098000002', log_id: 'L1', at: '2026-06-01T00:00:00.000Z' },
        ...['001098000003', '001098000004', '001098000005'].map((p) => ({ personal_id: p, log_id: 'L2', at: '2026-06-01T00:00:01.000Z' })),
      ]).execute();
      assert.equal((await migrator.migrateToLatest()).error, undefined);
      const rows = await st.db.selectFrom('access_entry').selectAll().orderBy('entry_id').orderBy('subject_key').execute();
      assert.deepEqual(rows.map((r) => [r.entry_id, r.subject_key, Number(r.primary_row), Number(r.fee_vnd), r.personal_ids, Number(r.subject_count), r.caller_kind]), [
        ['L1', '001098000001', 1, 500, '["001098000001","001098000002"]', 2, 'connection'],
        ['L1', '001098000002', 0, 0, '[]', 2, 'connection'],
        ['L2', 'address:203.0.113.9', 1, 0, '[]', 0, 'anonymous'],
      ]);
      // Each carried-over row is committed to the log (migration 0014).
      assert.equal((await st.db.selectFrom('tlog_leaf_ref').selectAll().where('kind', '=', 'access_entry').execute()).length, 3);
    } finally {
      await st.close();
      await other.drop();
    }
  });
});
