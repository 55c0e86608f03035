/**
 * Grievances (decision 0032): a citizen flags an entry; one per entry (also under concurrency);
 * the inspectors' queue and case with the entry and its receipt; assign, answer, close — each a
 * committed event the citizen sees; inspectors' readings recorded under the person. And the
 * authorization matrix of every citizen and inspection route over citizen, officer, inspector,
 * admin and no token.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/http.js';
import { asCitizen, family, officerReads, rowsOf, sequence, type Family } from '../support/usage.js';
import { verifyReceipt, parseProof } from '../../src/transparency/receipt.js';
import { decodeReceiptExtra } from '../../src/transparency/receipt-extra.js';
import { verifierFromKeyString } from '../../src/transparency/keys.js';
import { rowDigest } from '../../src/transparency/leaf.js';
import { LEAF_KINDS } from '../../src/store/repositories/transparency-leaves.js';

let s: TestServer;
let f: Family;
const PURPOSE = { 'x-purpose': 'TT-2026/grievance' };
const inspector = (method: string, path: string, body?: unknown) => s.call(method, path, { token: s.tokens.inspector, headers: PURPOSE, ...(body !== undefined ? { body } : {}) });
const latestEntryOf = async (token: string, query = '') => (await asCitizen(s, token, 'GET', `/me/usage${query}`)).body.items[0].entryId as string;

before(async () => {
  s = await startTestServer('2026-06-01T03:00:00.000Z');
  f = await family(s);
});
after(async () => s.close());

describe('grievance lifecycle', () => {
  let grievanceId: string;
  let entryId: string;

  test('a citizen flags an entry about them: opened, with its event; a second flag on it is 409', async () => {
    await officerReads(s, f.stranger, 'no reason given');
    entryId = await latestEntryOf(f.tokens.stranger);
    const g = await asCitizen(s, f.tokens.stranger, 'POST', `/me/usage/${entryId}/grievance`, { text: 'Tôi không biết vì sao cán bộ tra cứu thông tin của tôi.' });
    assert.equal(g.status, 201, JSON.stringify(g.body));
    assert.equal(g.body.status, 'opened');
    assert.equal(g.body.entryId, entryId);
    assert.equal(g.body.personalId, f.stranger);
    assert.deepEqual(g.body.events.map((e: any) => e.kind), ['opened']);
    grievanceId = g.body.grievanceId;
    const again = await asCitizen(s, f.tokens.stranger, 'POST', `/me/usage/${entryId}/grievance`, { text: 'again' });
    assert.equal(again.status, 409);
    assert.equal(again.body.code, 'GRIEVANCE_EXISTS');
    const mine = await asCitizen(s, f.tokens.stranger, 'GET', '/me/grievances');
    assert.deepEqual(mine.body.items.map((i: any) => [i.grievanceId, i.status]), [[grievanceId, 'opened']]);
  });

  test('concurrent flags of one entry: exactly one opens, the others get 409', async () => {
    await officerReads(s, f.parent, 'x');
    const entry = await latestEntryOf(f.tokens.parent);
    const results = await Promise.all(Array.from({ length: 8 }, () => asCitizen(s, f.tokens.parent, 'POST', `/me/usage/${entry}/grievance`, { text: 'race' })));
    assert.deepEqual(results.map((r) => r.status).sort(), [201, 409, 409, 409, 409, 409, 409, 409]);
    const rows = await s.runtime.store.db.selectFrom('grievance').selectAll().where('entry_id', '=', entry).execute();
    assert.equal(rows.length, 1);
  });

  test('refused: another person\'s entry, an unknown entry, a text over 2,000 characters', async () => {
    const others = (await rowsOf(s, f.parent))[0]!.entry_id;
    assert.equal((await asCitizen(s, f.tokens.stranger, 'POST', `/me/usage/${others}/grievance`, { text: 'x' })).body.code, 'ENTRY_NOT_FOUND');
    assert.equal((await asCitizen(s, f.tokens.stranger, 'POST', '/me/usage/0123456789abcdef/grievance', { text: 'x' })).body.code, 'ENTRY_NOT_FOUND');
    assert.equal((await asCitizen(s, f.tokens.stranger, 'POST', `/me/usage/${entryId}/grievance`, { text: 'x'.repeat(2001) })).status, 400);
  });

  test('the queue by status; the case carries the entry and its receipt (verifies offline); reading it is recorded', async () => {
    const queue = await inspector('GET', '/inspection/grievances?status=opened');
    assert.equal(queue.status, 200, JSON.stringify(queue.body));
    assert.ok(queue.body.items.some((g: any) => g.grievanceId === grievanceId));
    assert.ok(queue.body.items.every((g: any) => g.status === 'opened'));
    const pending = await inspector('GET', `/inspection/grievances/${grievanceId}`);
    assert.equal(pending.status, 200, JSON.stringify(pending.body));
    assert.equal(pending.body.entry.entryId, entryId);
    assert.equal(pending.body.entry.purpose, 'no reason given');
    assert.equal(pending.body.receipt, undefined);
    await sequence(s);
    const c = await inspector('GET', `/inspection/grievances/${grievanceId}`);
    const keys = await s.call('GET', '/transparency/keys');
    const result = verifyReceipt(c.body.receipt, { leafData: decodeReceiptExtra(parseProof(c.body.receipt).extra!)!.leafData, origin: keys.body.origin, logKeys: [verifierFromKeyString(keys.body.log)] });
    assert.deepEqual(result.reasons, []);
    const recorded = await rowsOf(s, f.stranger);
    assert.ok(recorded.some((r) => r.action === 'getGrievance' && r.role === 'inspector' && r.purpose === PURPOSE['x-purpose']));
    assert.ok(recorded.some((r) => r.action === 'listGrievances' && r.role === 'inspector'));
  });

  test('assign, answer, close: the citizen sees each step; nothing after closing', async () => {
    for (const [action, status] of [['assign', 'assigned'], ['answer', 'answered'], ['close', 'closed']] as const) {
      const r = await inspector('POST', `/inspection/grievances/${grievanceId}/events`, { action, text: `${action}: thanh tra viên` });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.equal(r.body.status, status);
      const mine = (await asCitizen(s, f.tokens.stranger, 'GET', '/me/grievances')).body.items[0];
      assert.equal(mine.status, status);
    }
    const mine = (await asCitizen(s, f.tokens.stranger, 'GET', '/me/grievances')).body.items[0];
    assert.deepEqual(mine.events.map((e: any) => [e.seq, e.kind]), [[1, 'opened'], [2, 'assigned'], [3, 'answered'], [4, 'closed']]);
    const late = await inspector('POST', `/inspection/grievances/${grievanceId}/events`, { action: 'answer', text: 'late' });
    assert.equal(late.body.code, 'GRIEVANCE_CLOSED');
    assert.equal((await inspector('GET', '/inspection/grievances?status=closed')).body.items[0].grievanceId, grievanceId);
    assert.equal((await inspector('GET', `/inspection/grievances/00000000-0000-4000-8000-000000000000`)).body.code, 'GRIEVANCE_NOT_FOUND');
  });

  test('a representative flags an entry about the child: recorded in the change\'s transaction with purpose "representation"', async () => {
    await officerReads(s, f.child, 'y');
    const entry = await latestEntryOf(f.tokens.parent, `?personalId=${f.child}`);
    const g = await asCitizen(s, f.tokens.parent, 'POST', `/me/usage/${entry}/grievance`, { personalId: f.child, text: 'Con tôi không có thủ tục nào.' });
    assert.equal(g.status, 201, JSON.stringify(g.body));
    assert.equal(g.body.personalId, f.child);
    const recorded = (await rowsOf(s, f.child)).find((r) => r.action === 'openGrievance')!;
    assert.equal(recorded.purpose, 'representation');
    assert.equal(recorded.outcome, 'served');
    assert.equal((await asCitizen(s, f.tokens.stranger, 'POST', `/me/usage/${entry}/grievance`, { personalId: f.child, text: 'x' })).body.code, 'NOT_REPRESENTED');
  });

  test('every grievance row and event is a committed leaf (digest of the row as read back)', async () => {
    for (const kind of ['grievance', 'grievance_event'] as const) {
      const rows = await s.runtime.store.db.selectFrom(kind).selectAll().execute();
      assert.ok(rows.length > 0);
      for (const row of rows) {
        const ref = LEAF_KINDS[kind]!.refColumns.map((c) => String((row as Record<string, unknown>)[c])).join('/');
        const leaf = await s.runtime.store.db.selectFrom('tlog_leaf_ref').selectAll().where('subject_key', '=', row.personal_id).where('kind', '=', kind).where('ref', '=', ref).executeTakeFirst();
        assert.ok(leaf, `${kind} ${ref}`);
        assert.equal(leaf.digest, rowDigest(LEAF_KINDS[kind]!.columns, row as Record<string, unknown>));
      }
    }
  });
});

describe('authorization matrix', () => {
  test('citizen routes: citizens only; inspection routes: inspectors only; the tracker\'s period and heartbeat: everyone', async () => {
    await officerReads(s, f.ward, 'z');
    const entry = (await rowsOf(s, f.ward))[0]!.entry_id;
    const routes: [string, string, 'citizen' | 'inspector' | 'public', unknown?][] = [
      ['GET', `/data-tracker/findUsage?userCode=${f.ward}`, 'citizen'],
      ['GET', '/data-tracker/usagePeriod', 'public'],
      ['GET', '/data-tracker/heartbeat', 'public'],
      ['GET', `/me/usage?personalId=${f.ward}`, 'citizen'],
      ['GET', `/me/usage/${entry}/receipt?personalId=${f.ward}`, 'citizen'],
      ['POST', `/me/usage/${entry}/grievance`, 'citizen', { personalId: f.ward, text: 'matrix' }],
      ['GET', `/me/grievances?personalId=${f.ward}`, 'citizen'],
      ['GET', '/inspection/grievances', 'inspector'],
      ['GET', '/inspection/grievances/00000000-0000-4000-8000-000000000000', 'inspector'],
      ['POST', '/inspection/grievances/00000000-0000-4000-8000-000000000000/events', 'inspector', { action: 'assign' }],
      ['GET', `/inspection/visibility-holds?personalId=${f.ward}`, 'inspector'],
      ['POST', '/inspection/visibility-holds', 'inspector', { personalId: f.ward, requester: 'agency:NOBODY', kind: 'hidden', decisionRef: 'matrix' }],
      ['POST', '/inspection/visibility-releases', 'inspector', { personalId: f.ward, requester: 'agency:NOBODY', decisionRef: 'matrix' }],
      ['GET', '/inspection/visibility-defaults', 'inspector'],
      ['POST', '/inspection/visibility-defaults', 'inspector', { requester: 'agency:NOBODY', kind: 'shown', decisionRef: 'matrix' }],
    ];
    const callers = { citizen: f.tokens.parent, officer: s.tokens.officer, inspector: s.tokens.inspector, admin: s.tokens.admin, none: undefined };
    const failures: string[] = [];
    for (const [method, path, allowed, body] of routes) {
      for (const [who, token] of Object.entries(callers)) {
        const r = await s.call(method, path, { ...(token ? { token } : {}), headers: PURPOSE, ...(body !== undefined ? { body } : {}) });
        const expected = allowed === 'public' || who === allowed ? 'allowed' : who === 'none' ? 401 : 403;
        const got = r.status === 401 || r.status === 403 ? r.status : r.status < 300 || r.status === 404 || r.status === 409 ? 'allowed' : r.status;
        if (got !== expected) failures.push(`${who} ${method} ${path}: ${r.status} ${JSON.stringify(r.body).slice(0, 120)}`);
      }
    }
    assert.deepEqual(failures, []);
  });
});
