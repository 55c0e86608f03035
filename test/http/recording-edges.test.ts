/**
 * The recording mechanism's edges (review of issue 13): a change whose people are known only from
 * what it produces (a birth) still records inside its own transaction; a use naming more people than
 * one entry holds is recorded whole; the abuse limiter's refusals are recorded once per address and
 * minute; an exchange call refused before the mechanism runs is recorded under its service's code.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { birthBody, startTestServer, type TestServer } from '../support/http.js';
import { isSqlite } from '../../src/store/dialect.js';
import { PEOPLE_PER_ENTRY } from '../../src/services/accountability/recorder.js';
import { runInScope } from '../../src/services/accountability/scope.js';

let s: TestServer;
before(async () => {
  s = await startTestServer('2026-06-01T08:00:00.000Z', { rateLimits: { anonymous: 2, verification: 0, token: 0, authFailures: 0 } });
});
after(async () => s.close());

const entriesOf = (requestId: string) => s.runtime.store.db.selectFrom('access_entry').selectAll().where('request_id', '=', requestId).execute();

async function withFailingEntries(requestId: string, run: () => Promise<void>): Promise<void> {
  const db = s.runtime.store.db;
  if (isSqlite(db)) {
    await sql`CREATE TRIGGER edge_fail BEFORE INSERT ON access_entry WHEN NEW.request_id = ${sql.lit(requestId)} AND NEW.outcome = 'served' BEGIN SELECT RAISE(ABORT, 'forced failure'); END`.execute(db);
  } else {
    await sql`CREATE FUNCTION edge_fail() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.request_id = ${sql.lit(requestId)} AND NEW.outcome = 'served' THEN RAISE EXCEPTION 'forced failure'; END IF; RETURN NEW; END $$`.execute(db);
    await sql`CREATE TRIGGER edge_fail BEFORE INSERT ON access_entry FOR EACH ROW EXECUTE FUNCTION edge_fail()`.execute(db);
  }
  try {
    await run();
  } finally {
    await sql`DROP TRIGGER edge_fail${isSqlite(db) ? sql`` : sql` ON access_entry`}`.execute(db);
    if (!isSqlite(db)) await sql`DROP FUNCTION edge_fail()`.execute(db);
  }
}

describe('changes whose people are known only once made', () => {
  test('a birth records its entry inside its own transaction: when the entry cannot be written, no one is born', async () => {
    const before = Number((await s.runtime.store.db.selectFrom('citizen').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
    await withFailingEntries('edge-birth-fail', async () => {
      const r = await s.call('POST', '/citizens', { token: s.tokens.officer, body: birthBody({ fullName: 'Lê Thị Sinh Lỗi' }), headers: { 'x-request-id': 'edge-birth-fail' } });
      assert.ok(r.status >= 500, `${r.status} ${JSON.stringify(r.body)}`);
    });
    const after = Number((await s.runtime.store.db.selectFrom('citizen').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
    assert.equal(after, before, 'the birth rolled back with its entry');

    const ok = await s.call('POST', '/citizens', { token: s.tokens.officer, body: birthBody({ fullName: 'Lê Thị Sinh Được' }), headers: { 'x-request-id': 'edge-birth-ok' } });
    assert.equal(ok.status, 201);
    const rows = await entriesOf('edge-birth-ok');
    assert.deepEqual(rows.map((r) => [r.subject_key, r.outcome, r.action, r.purpose]), [[ok.body.personalId, 'served', 'registerBirth', 'TEST']]);
  });
});

describe('a use is recorded whole', () => {
  test(`more than ${PEOPLE_PER_ENTRY} people: several entries, every person a row, the fee once`, async () => {
    const people = Array.from({ length: 2 * PEOPLE_PER_ENTRY + 5 }, (_, i) => `0010990${String(i).padStart(5, '0')}`);
    const scope = { draft: { at: s.clock.now().toISOString(), callerKind: 'principal' as const, principalId: 'inspector-1', role: 'inspector', channel: 'api', action: 'exportAccessEntries', purpose: 'audit', personalIds: people, requestId: 'edge-whole' }, recordInChange: false, recorded: false, startedMs: 0 };
    await runInScope(scope, () => s.runtime.ctx.recorder.record({ ...scope.draft, fields: ['at'], outcome: 'served', httpStatus: 200, latencyMs: 1, feeVnd: 700 }));
    assert.equal(scope.recorded, true);
    const rows = await entriesOf('edge-whole');
    assert.equal(rows.length, people.length);
    assert.deepEqual(new Set(rows.map((r) => r.subject_key)), new Set(people));
    const primaries = rows.filter((r) => Number(r.primary_row) === 1);
    assert.equal(primaries.length, 3, 'three entries of at most PEOPLE_PER_ENTRY people');
    assert.equal(rows.reduce((sum, r) => sum + Number(r.fee_vnd), 0), 700);
    assert.equal(new Set(rows.map((r) => r.entry_id)).size, 3);
    const leaves = await s.runtime.store.db.selectFrom('tlog_leaf_ref').select('subject_key').where('kind', '=', 'access_entry').where('ref', 'in', [...new Set(rows.map((r) => r.entry_id))]).execute();
    assert.equal(leaves.length, people.length);
  });
});

describe('refusals in floods', () => {
  test('the abuse limiter refuses an address: its refusals are recorded once per minute, by address, with no people', async () => {
    const calls = await Promise.all(Array.from({ length: 8 }, (_, i) => s.call('GET', '/categories/ethnicities', { headers: { 'x-request-id': `edge-flood-${i}` } })));
    const limited = calls.filter((c) => c.status === 429);
    assert.ok(limited.length >= 5, calls.map((c) => c.status).join(','));
    const rows = await s.runtime.store.db.selectFrom('access_entry').selectAll().where('error_code', '=', 'TOO_MANY_REQUESTS').execute();
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.caller_kind, 'anonymous');
    assert.match(rows[0]!.subject_key, /^address:/);
    assert.equal(rows[0]!.personal_ids, '[]');
  });
});
