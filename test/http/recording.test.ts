/**
 * The one recording mechanism over HTTP (issue 13 item 1; decisions 0027, 0030), on both stores:
 * - a matrix of routes × callers (no token, bad token, each role without and with a purpose): a
 *   served use gives one row per person with who, why, what and the fields released; each refusal
 *   (401, 403, PURPOSE_REQUIRED) exactly one use with its code — an unauthenticated one by address,
 *   never under the people its path names;
 * - refusals at the other stages (schema validation, unknown route), the exchange's batches (an
 *   unauthenticated one of 1,000 IDs is one row; an authenticated refused one names its people);
 * - a change records inside its own transaction: when that transaction fails after the update, no
 *   served entry exists and nothing changed;
 * - when the entry cannot be written, no data leaves (503 ACCESS_LOG_UNAVAILABLE);
 * - search results and household members: one row per person in the answer;
 * - every row has its transparency-log leaf (same key, digest of the row);
 * - 50 simultaneous reads from two servers on one store: 50 uses, 50 distinct leaves.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { startPeerServer, startTestServer, type TestServer } from '../support/http.js';
import { consent, granted, HANG_BAC, OWNED, person } from '../support/residence.js';
import { admin, agencyBody, callService, connectIn } from '../support/exchange.js';
import { authenticate } from '../../src/services/principals.js';
import { isSqlite } from '../../src/store/dialect.js';
import { LEAF_KINDS } from '../../src/store/repositories/transparency-leaves.js';
import { rowDigest } from '../../src/transparency/leaf.js';

type Row = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Role = 'officer' | 'admin' | 'inspector';
const ROLES: Role[] = ['officer', 'admin', 'inspector'];

let s: TestServer;
let principalIds: Record<Role, string>;
let alice: string; // a citizen with a certificate
let head: string; // head of a household of two
let wife: string;
let certificate: string;
let seq = 0;

before(async () => {
  s = await startTestServer('2026-06-01T03:00:00.000Z');
  principalIds = Object.fromEntries(await Promise.all(ROLES.map(async (r) => [r, (await authenticate(s.runtime.store, s.tokens[r]))!.id]))) as Record<Role, string>;
  alice = await person(s, 'Trần Thị Ghi Nhận', '1991-04-04', 'female');
  head = await person(s, 'Lê Văn Chủ Hộ', '1960-02-02');
  wife = await person(s, 'Phan Thị Vợ', '1962-03-03', 'female');
  const household = (await granted(s, 'permanent-registrations', { personalId: head, address: HANG_BAC, lawfulResidence: OWNED })).outcome.householdId;
  await granted(s, 'permanent-registrations', { personalId: wife, household: { householdId: household, relationship: 'wife' }, lawfulResidence: OWNED, consents: [consent('household_head', head)] });
  const c = await s.call('POST', `/citizens/${alice}/certificates/personal-id-notice`, { token: s.tokens.officer });
  assert.equal(c.status, 201, JSON.stringify(c.body));
  certificate = c.body.number;
});
after(async () => s.close());

/** The rows one request wrote (its X-Request-ID), primary first. */
async function rowsOf(requestId: string): Promise<Row[]> {
  return (await s.runtime.store.db.selectFrom('access_entry').selectAll().where('request_id', '=', requestId).orderBy('primary_row', 'desc').orderBy('subject_key').execute()) as Row[];
}

/** A call with its own request ID, so that its rows can be found. */
async function call(method: string, path: string, opts: { token?: string; purpose?: string | null; body?: unknown; headers?: Record<string, string> } = {}) {
  const requestId = `rec-${++seq}`;
  const r = await s.call(method, path, { ...opts, headers: { ...opts.headers, 'x-request-id': requestId } });
  return { ...r, requestId, rows: await rowsOf(requestId) };
}

/** The fields an answer releases, computed here independently: its keys, or its items' keys. */
function fieldsOf(body: unknown): string[] {
  if (!body || typeof body !== 'object') return [];
  const items = Array.isArray(body) ? body : Array.isArray((body as Row).items) ? (body as Row).items : undefined;
  const keys = new Set<string>();
  for (const it of items ?? [body]) if (it && typeof it === 'object') for (const k of Object.keys(it)) keys.add(k);
  return [...keys].sort();
}

/**
 * A read records the keys of its answer; a change records inside its transaction, before the
 * answer exists, the fields its answer's schema allows — every key the answer has among them.
 */
function assertFields(row: Row, method: string, body: unknown): void {
  const recorded: string[] = JSON.parse(row.fields);
  if (method === 'GET') return assert.deepEqual(recorded, fieldsOf(body));
  for (const k of fieldsOf(body)) assert.ok(recorded.includes(k), `${k} released, not recorded`);
  assert.deepEqual(recorded, [...recorded].sort());
}

/** One use: one primary row; every row shares its entry ID; the rows' keys are `keys`. */
function assertOneUse(rows: Row[], keys: string[], where: string): Row {
  assert.equal(rows.filter((r) => Number(r.primary_row) === 1).length, 1, `${where}: one primary row of ${rows.length}`);
  assert.equal(new Set(rows.map((r) => r.entry_id)).size, 1, `${where}: one entry`);
  assert.deepEqual(rows.map((r) => r.subject_key).sort(), [...keys].sort(), where);
  const primary = rows[0]!;
  assert.deepEqual(JSON.parse(primary.personal_ids).sort(), keys.filter((k) => /^\d{12}$/.test(k)).sort(), `${where}: personal_ids`);
  assert.equal(Number(primary.subject_count), keys.filter((k) => /^\d{12}$/.test(k)).length, `${where}: subject_count (citizens concerned)`);
  for (const r of rows.slice(1)) assert.equal(r.personal_ids, '[]', `${where}: only the primary row lists the people`);
  return primary;
}

interface MatrixRoute {
  method: string;
  path: () => string;
  operationId: string;
  roles: readonly Role[];
  /** The people the request names (refusals after authentication are recorded under them). */
  asked: () => string[];
  /** The people a served answer names. */
  answered: () => string[];
}
const READERS: Role[] = ['officer', 'admin', 'inspector'];
const WRITERS: Role[] = ['officer', 'admin'];
const ROUTES: MatrixRoute[] = [
  { method: 'GET', path: () => `/citizens/${alice}`, operationId: 'getCitizen', roles: READERS, asked: () => [alice], answered: () => [alice] },
  { method: 'GET', path: () => `/citizens/${alice}/history`, operationId: 'getCitizenHistory', roles: READERS, asked: () => [alice], answered: () => [alice] },
  { method: 'GET', path: () => `/citizens/${alice}/cards`, operationId: 'getCardStatus', roles: READERS, asked: () => [alice], answered: () => [alice] },
  { method: 'GET', path: () => `/citizens/${head}/residence`, operationId: 'getCurrentResidence', roles: READERS, asked: () => [head], answered: () => [head] },
  { method: 'GET', path: () => `/citizens/${wife}/household`, operationId: 'getHousehold', roles: READERS, asked: () => [wife], answered: () => [head, wife] },
  { method: 'GET', path: () => `/certificates/${certificate}`, operationId: 'getCertificate', roles: READERS, asked: () => [], answered: () => [alice] },
  { method: 'POST', path: () => `/citizens/${alice}/certificates/personal-id-notice`, operationId: 'issuePersonalIdNotice', roles: WRITERS, asked: () => [alice], answered: () => [alice] },
];

describe('routes × callers', () => {
  for (const route of ROUTES) {
    test(`${route.operationId}: no token and a bad token are recorded by address, never under a person`, async () => {
      for (const token of [undefined, 'dcu_not-a-real-token']) {
        const r = await call(route.method, route.path(), token ? { token } : {});
        assert.equal(r.status, 401);
        const row = assertOneUse(r.rows, [`address:${r.rows[0]?.source_ip}`], `${route.operationId} ${token ? 'bad token' : 'no token'}`);
        assert.equal(row.caller_kind, 'anonymous');
        assert.equal(row.outcome, 'refused');
        assert.equal(row.error_code, 'UNAUTHENTICATED');
        assert.equal(row.principal_id, null);
        assert.equal(Number(row.http_status), 401);
        assert.equal(row.action, route.operationId);
      }
    });

    for (const role of ROLES) {
      test(`${route.operationId} × ${role}: without a purpose, with one`, async () => {
        const allowed = route.roles.includes(role);
        const refusedKeys = route.asked().length > 0 ? route.asked() : [`principal:${principalIds[role]}`];
        const bare = await call(route.method, route.path(), { token: s.tokens[role], purpose: null });
        const bareRow = assertOneUse(bare.rows, refusedKeys, `${route.operationId} ${role} no purpose`);
        assert.equal(bare.status, allowed ? 400 : 403);
        assert.equal(bareRow.error_code, allowed ? 'PURPOSE_REQUIRED' : 'FORBIDDEN');
        assert.equal(bareRow.outcome, 'refused');
        assert.equal(bareRow.principal_id, principalIds[role]);
        assert.equal(bareRow.role, role);
        assert.equal(bareRow.caller_kind, 'principal');
        assert.equal(bareRow.purpose, null);
        assert.equal(bareRow.fields, '[]');

        const purpose = `TT-${role}-${route.operationId}`;
        const given = await call(route.method, route.path(), { token: s.tokens[role], purpose });
        if (!allowed) {
          assert.equal(given.status, 403);
          const row = assertOneUse(given.rows, refusedKeys, `${route.operationId} ${role} forbidden`);
          assert.equal(row.error_code, 'FORBIDDEN');
          assert.equal(row.purpose, purpose);
          return;
        }
        assert.ok(given.status === 200 || given.status === 201, `${given.status} ${JSON.stringify(given.body)}`);
        const row = assertOneUse(given.rows, route.answered(), `${route.operationId} ${role} served`);
        assert.equal(row.outcome, 'served');
        assert.equal(row.error_code, null);
        assert.equal(Number(row.http_status), given.status);
        assert.equal(row.action, route.operationId);
        assert.equal(row.purpose, purpose);
        assert.equal(row.principal_id, principalIds[role]);
        assert.equal(row.role, role);
        assert.equal(row.channel, 'api');
        assertFields(row, route.method, given.body);
        for (const other of given.rows) assert.equal(other.purpose, purpose);
      });
    }
  }
});

describe('refusals at every stage', () => {
  test('schema validation: recorded under the person the path names, with its code', async () => {
    const r = await call('GET', `/citizens/${alice}/as-of`, { token: s.tokens.officer });
    assert.equal(r.status, 400);
    const row = assertOneUse(r.rows, [alice], 'as-of without at');
    assert.equal(row.error_code, 'VALIDATION_FAILED');
    assert.equal(row.principal_id, principalIds.officer);
    assert.equal(row.purpose, 'TEST');
    // A path that names no valid personal ID: recorded by the caller.
    const bad = await call('GET', '/citizens/12345', { token: s.tokens.officer });
    assert.equal(bad.status, 400);
    assert.equal(assertOneUse(bad.rows, [`principal:${principalIds.officer}`], 'bad ID').error_code, 'VALIDATION_FAILED');
  });

  test('an unknown route: one entry, by the caller when known, by address when not', async () => {
    const known = await call('GET', `/citizens/${alice}/nothing-here`, { token: s.tokens.inspector });
    assert.equal(known.status, 404);
    const row = assertOneUse(known.rows, [`principal:${principalIds.inspector}`], 'unknown route');
    assert.equal(row.error_code, 'NOT_FOUND');
    assert.equal(row.action, 'unmatched');
    const anon = await call('DELETE', `/citizens/${alice}/nothing-here`);
    assert.equal(anon.status, 404);
    assert.equal(assertOneUse(anon.rows, [`address:${anon.rows[0]?.source_ip}`], 'unknown route, anonymous').caller_kind, 'anonymous');
  });

  test('search: one row per person returned, each a use of that person\'s data', async () => {
    const twins = [await person(s, 'Vương Văn Tìm Kiếm', '1980-01-01'), await person(s, 'Vương Văn Tìm Kiếm', '1980-05-05')];
    const r = await call('GET', `/citizens?name=${encodeURIComponent('Vương Văn Tìm Kiếm')}&dateOfBirth=1980`, { token: s.tokens.officer });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.items.length, 2);
    const row = assertOneUse(r.rows, twins, 'search');
    assert.equal(row.action, 'searchCitizens');
    assert.deepEqual(JSON.parse(row.fields), fieldsOf(r.body));
    // A search that finds nobody concerns nobody: nothing to record.
    const none = await call('GET', `/citizens?name=${encodeURIComponent('Không Có Ai')}&dateOfBirth=1901`, { token: s.tokens.officer });
    assert.equal(none.status, 200);
    assert.deepEqual(none.rows, []);
  });
});

describe('people named by an answer', () => {
  test('an application names its applicant and everyone its request names; a household its members', async () => {
    const list = await call('GET', `/residence/applications?personalId=${wife}&view=all`, { token: s.tokens.officer });
    assert.equal(list.status, 200, JSON.stringify(list.body));
    assert.equal(list.body.items.length, 1);
    // The wife joined with the head's consent: both are named by her application.
    assert.equal(assertOneUse(list.rows, [head, wife], 'application list').action, 'listResidenceApplications');
    const one = await call('GET', `/residence/applications/${list.body.items[0].applicationId}`, { token: s.tokens.officer });
    assert.equal(assertOneUse(one.rows, [head, wife], 'application').action, 'getResidenceApplication');
    const householdId = list.body.items[0].householdId as string;
    const history = await call('GET', `/households/${householdId}/history`, { token: s.tokens.officer });
    assert.equal(history.status, 200);
    assert.equal(assertOneUse(history.rows, [head, wife], 'household history').action, 'getHouseholdHistory');
    // Refused before any answer: a request by number is recorded under its caller.
    const missing = await call('GET', '/residence/applications/HSCT-2026-0000000000', { token: s.tokens.officer });
    assert.equal(missing.status, 404);
    assertOneUse(missing.rows, [`principal:${principalIds.officer}`], 'unknown application');
  });
});

describe('the exchange', () => {
  let active: string;
  before(async () => {
    await admin(s, 'POST', '/admin/catalogue/2026', undefined, 201);
    await admin(s, 'POST', '/admin/catalogue/2026/publication', {}, 200);
    const policy = { grants: [{ service: 'lookupCitizen', fields: ['fullName'], purposes: ['1.004222'] }], ratePerMinute: 1000, dailyQuota: 100 };
    active = (await connectIn(s, agencyBody('NHGHI'), policy, 'active')).token!;
  });

  test('an unauthenticated batch of 1,000 IDs writes exactly one row, by address, naming nobody', async () => {
    const ids = Array.from({ length: 1000 }, (_, i) => `0012${String(90000000 + i)}`);
    const r = await callService(s, undefined, 'batchLookupCitizens', { personalIds: ids }, { 'x-request-id': 'rec-anon-batch' });
    assert.equal(r.status, 401);
    const rows = await rowsOf('rec-anon-batch');
    const row = assertOneUse(rows, [`address:${rows[0]?.source_ip}`], 'anonymous batch');
    assert.equal(row.personal_ids, '[]');
    assert.equal(row.outcome, 'refused');
    // Nothing under any of those IDs.
    const under = await s.runtime.store.db.selectFrom('access_entry').select('subject_key').where('subject_key', 'in', ids.slice(0, 500)).execute();
    assert.deepEqual(under, []);
  });

  test('an authenticated connection\'s refused batch records the people it asked about', async () => {
    const ids = [alice, head, wife];
    const r = await callService(s, active, 'batchLookupCitizens', { personalIds: ids }, { 'x-request-id': 'rec-refused-batch' });
    assert.equal(r.status, 403, JSON.stringify(r.body));
    const row = assertOneUse(await rowsOf('rec-refused-batch'), ids, 'refused batch');
    assert.equal(row.outcome, 'refused');
    assert.equal(row.caller_kind, 'connection');
    assert.equal(row.agency_code, 'NHGHI');
  });

  test('a call refused by schema validation is recorded under the service\'s code, as the mechanism records served calls', async () => {
    const r = await callService(s, active, 'lookupCitizen', { personalId: alice, unknownProperty: 1 }, { 'x-request-id': 'rec-schema-refused', 'x-officer-id': 'cb-7' });
    assert.equal(r.status, 400, JSON.stringify(r.body));
    const row = assertOneUse(await rowsOf('rec-schema-refused'), [alice], 'schema refusal');
    assert.equal(row.action, 'lookupCitizen');
    assert.equal(row.channel, 'exchange');
    assert.equal(row.officer_id, 'cb-7');
    assert.equal(row.error_code, 'VALIDATION_FAILED');
  });
});

describe('changes and failures of the log', () => {
  test('a served change has exactly one entry; a change whose transaction fails after the update leaves no served entry and changes nothing', async () => {
    const id = await person(s, 'Đỗ Văn Thay Đổi', '1985-08-08');
    const body = { changes: { phone: '0912345678' }, reason: 'Công dân bổ sung số điện thoại' };
    const db = s.runtime.store.db;
    // The change's own transaction refuses its served entry (after the citizen row was updated).
    if (isSqlite(db)) {
      await sql`CREATE TRIGGER rec_fail BEFORE INSERT ON access_entry WHEN NEW.request_id = 'rec-forced' AND NEW.outcome = 'served' BEGIN SELECT RAISE(ABORT, 'forced failure'); END`.execute(db);
    } else {
      await sql`CREATE FUNCTION rec_fail() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.request_id = 'rec-forced' AND NEW.outcome = 'served' THEN RAISE EXCEPTION 'forced failure'; END IF; RETURN NEW; END $$`.execute(db);
      await sql`CREATE TRIGGER rec_fail BEFORE INSERT ON access_entry FOR EACH ROW EXECUTE FUNCTION rec_fail()`.execute(db);
    }
    try {
      const failed = await s.call('PATCH', `/citizens/${id}`, { token: s.tokens.officer, body, headers: { 'if-match': '"1"', 'x-request-id': 'rec-forced' } });
      assert.ok(failed.status >= 500, `${failed.status} ${JSON.stringify(failed.body)}`);
      assert.equal(failed.body.phone, undefined);
    } finally {
      await sql`DROP TRIGGER rec_fail${isSqlite(db) ? sql`` : sql` ON access_entry`}`.execute(db);
      if (!isSqlite(db)) await sql`DROP FUNCTION rec_fail()`.execute(db);
    }
    const forced = await rowsOf('rec-forced');
    assert.deepEqual(forced.filter((r) => r.outcome === 'served'), []);
    assert.equal(assertOneUse(forced, [id], 'failed change').outcome, 'refused');
    const now = await call('GET', `/citizens/${id}`, { token: s.tokens.officer });
    assert.equal(now.body.version, 1);
    assert.equal(now.body.phone, undefined);

    const ok = await call('PATCH', `/citizens/${id}`, { token: s.tokens.officer, body, headers: { 'if-match': '"1"' } });
    assert.equal(ok.status, 200);
    const row = assertOneUse(ok.rows, [id], 'served change');
    assert.equal(row.outcome, 'served');
    assert.equal(row.action, 'updateCitizen');
    assertFields(row, 'PATCH', ok.body);
    // A stale version: refused, recorded once, nothing served.
    const stale = await call('PATCH', `/citizens/${id}`, { token: s.tokens.officer, body: { changes: { phone: '0987654321' }, reason: 'x' } });
    assert.equal(stale.status, 428);
    assert.equal(assertOneUse(stale.rows, [id], 'no If-Match').error_code, 'PRECONDITION_REQUIRED');
  });

  test('two changes of one version at once: one served entry, one refused, one new version', async () => {
    const id = await person(s, 'Đỗ Thị Đồng Thời', '1986-09-09', 'female');
    const patch = (n: number) =>
      s.call('PATCH', `/citizens/${id}`, { token: s.tokens.officer, body: { changes: { phone: `091234567${n}` }, reason: 'Đồng thời' }, headers: { 'if-match': '"1"', 'x-request-id': `rec-race-${n}` } });
    const answers = await Promise.all([patch(1), patch(2)]);
    assert.deepEqual(answers.map((a) => a.status).sort(), [200, 412]);
    const rows = [...(await rowsOf('rec-race-1')), ...(await rowsOf('rec-race-2'))];
    assert.deepEqual(rows.map((r) => r.outcome).sort(), ['refused', 'served']);
  });

  test('when access_entry cannot be written, a read answers 503 ACCESS_LOG_UNAVAILABLE and no data', async () => {
    const db = s.runtime.store.db;
    await sql`ALTER TABLE access_entry RENAME TO access_entry_away`.execute(db);
    let r;
    try {
      r = await s.call('GET', `/citizens/${alice}`, { token: s.tokens.officer, headers: { 'x-request-id': 'rec-no-log' } });
    } finally {
      await sql`ALTER TABLE access_entry_away RENAME TO access_entry`.execute(db);
    }
    assert.equal(r.status, 503);
    assert.equal(r.body.code, 'ACCESS_LOG_UNAVAILABLE');
    assert.equal(r.headers.get('etag'), null);
    assert.ok(!JSON.stringify(r.body).includes('Ghi Nhận'), 'no personal data in the refusal');
    assert.ok(!JSON.stringify(r.body).includes(alice));
    // And the log works again.
    assert.equal((await call('GET', `/citizens/${alice}`, { token: s.tokens.officer })).rows.length, 1);
  });
});

describe('many readers at once', () => {
  test('50 simultaneous reads of one person from two servers: exactly 50 uses, 50 distinct leaves', async () => {
    const peer = await startPeerServer(s);
    try {
      const answers = await Promise.all(
        Array.from({ length: 50 }, (_, i) => (i % 2 ? peer : s).call('GET', `/citizens/${alice}`, { token: s.tokens.inspector, headers: { 'x-request-id': `rec-many-${i}` } })),
      );
      assert.deepEqual([...new Set(answers.map((a) => a.status))], [200]);
    } finally {
      await peer.close();
    }
    const db = s.runtime.store.db;
    const rows = (await db.selectFrom('access_entry').selectAll().where('request_id', 'like', 'rec-many-%').execute()) as Row[];
    assert.equal(rows.length, 50);
    assert.equal(new Set(rows.map((r) => r.entry_id)).size, 50);
    assert.ok(rows.every((r) => r.subject_key === alice && Number(r.primary_row) === 1));
    const leaves = await db.selectFrom('tlog_leaf_ref').select(['leaf_id', 'ref']).where('kind', '=', 'access_entry').where('ref', 'in', rows.map((r) => r.entry_id)).execute();
    assert.equal(leaves.length, 50);
    assert.equal(new Set(leaves.map((l) => l.leaf_id)).size, 50);
  });
});

describe('the transparency log', () => {
  test('every access entry row has exactly one leaf: same key, kind access_entry, the digest of the row', async () => {
    const db = s.runtime.store.db;
    const rows = (await db.selectFrom('access_entry').selectAll().execute()) as Row[];
    assert.ok(rows.length > 100, `${rows.length} rows`);
    const leaves = await db.selectFrom('tlog_leaf_ref').selectAll().where('kind', '=', 'access_entry').execute();
    const byName = new Map<string, typeof leaves>();
    for (const l of leaves) byName.set(`${l.subject_key}\n${l.ref}`, [...(byName.get(`${l.subject_key}\n${l.ref}`) ?? []), l]);
    const columns = LEAF_KINDS.access_entry!.columns;
    for (const r of rows) {
      const found = byName.get(`${r.subject_key}\n${r.entry_id}`) ?? [];
      assert.equal(found.length, 1, `${r.subject_key} ${r.entry_id}`);
      assert.equal(found[0]!.digest, rowDigest(columns, r), `${r.subject_key} ${r.entry_id}`);
    }
    // And no leaf names a row that is not there (the failed change's served entry left none).
    assert.equal(leaves.length, rows.length);
  });
});
