/**
 * Citizens see who used their data (issue 13 item 3; decision 0032): /me/usage right after an
 * officer's read and an agency's call, with the purpose of each; representation (a minor child, a
 * person naming them legal representative) and its record; filters and paging; holds that hide and
 * releases that show; receipts that verify offline once sequenced.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/http.js';
import { admin, agencyBody, callService, connectIn, token, type AgencySystem } from '../support/exchange.js';
import { createPrincipal } from '../../src/services/principals.js';
import { asCitizen, family, officerReads, rowsOf, sequence, type Family } from '../support/usage.js';
import { parseProof, verifyReceipt } from '../../src/transparency/receipt.js';
import { checkRow, decodeReceiptExtra } from '../../src/transparency/receipt-extra.js';
import { verifierFromKeyString } from '../../src/transparency/keys.js';

let s: TestServer;
let f: Family;
let agencyToken: string;
let connectionId: string;
let system: AgencySystem;
const POLICY = { grants: [{ service: 'lookupCitizen', fields: ['fullName', 'dateOfBirth'], purposes: ['1.004222'] }], ratePerMinute: 1000, dailyQuota: 1000 };
const usage = (token: string, query = '') => asCitizen(s, token, 'GET', `/me/usage${query}`);
const inspector = (method: string, path: string, body?: unknown) => s.call(method, path, { token: s.tokens.inspector, headers: { 'x-purpose': 'VB-123/QD' }, ...(body !== undefined ? { body } : {}) });

before(async () => {
  s = await startTestServer('2026-06-01T03:00:00.000Z');
  f = await family(s);
  await admin(s, 'POST', '/admin/catalogue/2026', undefined, 201);
  await admin(s, 'POST', '/admin/catalogue/2026/publication', {}, 200);
  const c = await connectIn(s, agencyBody('NHUSAGE', { name: 'Ngân hàng Thử' }), POLICY, 'active');
  agencyToken = c.token as string;
  connectionId = c.sys.connectionId;
  system = c.sys;
});
after(async () => s.close());

describe('the usage view', () => {
  test('an officer\'s read and an agency\'s call show at once, with purpose, system, fields and result', async () => {
    await officerReads(s, f.parent, '1.001234 card renewal');
    const call = await callService(s, agencyToken, 'lookupCitizen', { personalId: f.parent });
    assert.equal(call.status, 200, JSON.stringify(call.body));
    const r = await usage(f.tokens.parent);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.personalId, f.parent);
    const exchange = r.body.items.find((i: any) => i.kind === 'exchange');
    assert.ok(exchange, JSON.stringify(r.body.items));
    assert.equal(exchange.agencyCode, 'NHUSAGE');
    assert.equal(exchange.agencyName, 'Ngân hàng Thử');
    assert.equal(exchange.system, 'Hệ thống nghiệp vụ');
    assert.equal(exchange.purpose, '1.004222');
    assert.equal(exchange.action, 'lookupCitizen');
    assert.deepEqual(exchange.fields, ['dateOfBirth', 'fullName']);
    assert.equal(exchange.outcome, 'served');
    const read = r.body.items.find((i: any) => i.kind === 'officer' && i.action === 'getCitizen');
    assert.ok(read, JSON.stringify(r.body.items));
    assert.equal(read.purpose, '1.001234 card renewal');
    assert.equal(read.system, 'dancu');
    assert.equal(read.description, '1.001234 card renewal: Tra cứu thông tin công dân');
    assert.ok(read.fields.includes('fullName'));
    assert.equal(read.receiptReady, false);
    // Newest first: the agency's call came after the officer's read.
    assert.ok(r.body.items.indexOf(exchange) < r.body.items.indexOf(read));
  });

  test('refusals are shown with their code; the citizen\'s own reading records nothing', async () => {
    const refused = await s.call('GET', `/citizens/${f.parent}`, { token: s.tokens.officer, headers: { 'x-purpose': '' } });
    assert.equal(refused.status, 400);
    const before = (await rowsOf(s, f.parent)).length;
    const r = await usage(f.tokens.parent);
    const item = r.body.items.find((i: any) => i.outcome === 'refused');
    assert.equal(item?.errorCode, 'PURPOSE_REQUIRED');
    assert.deepEqual(item.fields, []);
    assert.equal((await rowsOf(s, f.parent)).length, before);
  });

  test('filters: kind, agency, period; paging by cursor walks every item once', async () => {
    const registered = (await usage(f.tokens.stranger, '?limit=1000')).body.items.length; // the birth registration
    for (let i = 0; i < 4; i++) await officerReads(s, f.stranger, `purpose ${i}`);
    s.clock.advance(60_000);
    await callService(s, agencyToken, 'lookupCitizen', { personalId: f.stranger });
    const all = (await usage(f.tokens.stranger, '?limit=1000')).body.items;
    assert.equal(all.length, registered + 5);
    const exchange = (await usage(f.tokens.stranger, '?kind=exchange')).body.items;
    assert.deepEqual(exchange.map((i: any) => i.kind), ['exchange']);
    assert.deepEqual((await usage(f.tokens.stranger, '?agency=NHUSAGE')).body.items.map((i: any) => i.agencyCode), ['NHUSAGE']);
    assert.equal((await usage(f.tokens.stranger, '?kind=inspector')).body.items.length, 0);
    const later = (await usage(f.tokens.stranger, `?from=${encodeURIComponent('2026-06-01T03:00:30.000Z')}`)).body.items;
    assert.deepEqual(later.map((i: any) => i.kind), ['exchange']);
    const earlier = (await usage(f.tokens.stranger, `?to=${encodeURIComponent('2026-06-01T03:00:30.000Z')}`)).body.items;
    assert.equal(earlier.length, registered + 4);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await usage(f.tokens.stranger, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      assert.equal(page.status, 200);
      seen.push(...page.body.items.map((i: any) => i.entryId));
      cursor = page.body.nextCursor;
    } while (cursor);
    assert.deepEqual(seen, all.map((i: any) => i.entryId));
    assert.equal((await usage(f.tokens.stranger, '?cursor=nonsense')).body.code, 'INVALID_CURSOR');
  });
});

describe('representation', () => {
  test('a parent sees a minor child\'s usage, recorded under the child with purpose "representation"', async () => {
    await officerReads(s, f.child);
    const r = await usage(f.tokens.parent, `?personalId=${f.child}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.personalId, f.child);
    assert.ok(r.body.items.some((i: any) => i.action === 'getCitizen'));
    const recorded = (await rowsOf(s, f.child))[0]!;
    assert.equal(recorded.action, 'listMyUsage');
    assert.equal(recorded.role, 'citizen');
    assert.equal(recorded.purpose, 'representation');
    assert.equal(recorded.outcome, 'served');
    // The child's own view shows the parent's reading.
    const child = await usage(f.tokens.child);
    assert.ok(child.body.items.some((i: any) => i.kind === 'citizen' && i.purpose === 'representation'));
  });

  test('a legal representative sees the represented person\'s usage', async () => {
    assert.equal((await usage(f.tokens.parent, `?personalId=${f.ward}`)).status, 200);
  });

  test('others are refused NOT_REPRESENTED (an adult child, a stranger, a child\'s view of the parent), and the refusal is recorded', async () => {
    for (const [token, person] of [[f.tokens.parent, f.adultChild], [f.tokens.parent, f.stranger], [f.tokens.stranger, f.parent], [f.tokens.child, f.parent]] as const) {
      const r = await usage(token, `?personalId=${person}`);
      assert.equal(r.status, 403, `${person}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.code, 'NOT_REPRESENTED');
      const row = (await rowsOf(s, person))[0]!;
      assert.equal(row.outcome, 'refused');
      assert.equal(row.error_code, 'NOT_REPRESENTED');
    }
    // A person who does not exist is refused the same way (nothing revealed).
    assert.equal((await usage(f.tokens.parent, '?personalId=099999999999')).body.code, 'NOT_REPRESENTED');
  });
});

describe('visibility', () => {
  test('a hidden hold keeps an agency\'s entries back (still in the log) until released', async () => {
    await callService(s, agencyToken, 'lookupCitizen', { personalId: f.ward });
    const visible = async () => (await usage(f.tokens.parent, `?personalId=${f.ward}&kind=exchange`)).body.items.length;
    assert.equal(await visible(), 1);
    const hold = await inspector('POST', '/inspection/visibility-holds', { personalId: f.ward, requester: 'agency:NHUSAGE', kind: 'hidden', decisionRef: 'QĐ 12/2026/CSĐT' });
    assert.equal(hold.status, 201, JSON.stringify(hold.body));
    assert.equal(await visible(), 0);
    assert.ok((await rowsOf(s, f.ward)).some((r) => r.agency_code === 'NHUSAGE'));
    // Placing the hold is itself recorded under the person, with the inspector's purpose.
    assert.ok((await rowsOf(s, f.ward)).some((r) => r.action === 'placeVisibilityHold' && r.role === 'inspector' && r.purpose === 'VB-123/QD'));
    const rel = await inspector('POST', '/inspection/visibility-releases', { personalId: f.ward, holdId: hold.body.holdId, decisionRef: 'QĐ 13/2026/CSĐT' });
    assert.equal(rel.status, 201, JSON.stringify(rel.body));
    assert.equal(await visible(), 1);
    const again = await inspector('POST', '/inspection/visibility-releases', { personalId: f.ward, holdId: hold.body.holdId, decisionRef: 'x' });
    assert.equal(again.body.code, 'HOLD_ALREADY_RELEASED');
    const listed = await inspector('GET', `/inspection/visibility-holds?personalId=${f.ward}`);
    assert.equal(listed.body.holds.length, 1);
    assert.equal(listed.body.releases.length, 1);
  });

  test('a delayed hold shows the entries from its date', async () => {
    const until = new Date(s.clock.now().getTime() + 86_400_000).toISOString();
    const hold = await inspector('POST', '/inspection/visibility-holds', { personalId: f.stranger, requester: `connection:${connectionId}`, kind: 'delayed', until, decisionRef: 'QĐ 14' });
    assert.equal(hold.status, 201, JSON.stringify(hold.body));
    assert.equal((await usage(f.tokens.stranger, '?kind=exchange')).body.items.length, 0);
    s.clock.advance(86_400_000);
    assert.equal((await usage(f.tokens.stranger, '?kind=exchange')).body.items.length, 1);
    const bad = await inspector('POST', '/inspection/visibility-holds', { personalId: f.stranger, requester: 'agency:X1', kind: 'delayed', decisionRef: 'QĐ' });
    assert.equal(bad.body.code, 'HOLD_INVALID');
  });

  test('a requester hidden by default (e.g. an investigation connection) until released for the person', async () => {
    const d = await inspector('POST', '/inspection/visibility-defaults', { requester: 'agency:NHUSAGE', kind: 'hidden', decisionRef: 'QĐ 15' });
    assert.equal(d.status, 201, JSON.stringify(d.body));
    assert.equal(d.body.seq, 1);
    agencyToken = await token(s, system); // the clock moved a day: a fresh access token
    assert.equal((await callService(s, agencyToken, 'lookupCitizen', { personalId: f.parent })).status, 200);
    const before = (await usage(f.tokens.parent, '?kind=exchange')).body.items.length;
    s.clock.advance(1000);
    assert.equal((await callService(s, agencyToken, 'lookupCitizen', { personalId: f.parent })).status, 200);
    assert.equal((await usage(f.tokens.parent, '?kind=exchange')).body.items.length, before);
    const rel = await inspector('POST', '/inspection/visibility-releases', { personalId: f.parent, requester: 'agency:NHUSAGE', decisionRef: 'QĐ 16' });
    assert.equal(rel.status, 201, JSON.stringify(rel.body));
    s.clock.advance(1000);
    assert.equal((await usage(f.tokens.parent, '?kind=exchange')).body.items.length, before + 1);
    const shown = await inspector('POST', '/inspection/visibility-defaults', { requester: 'agency:NHUSAGE', kind: 'shown', decisionRef: 'QĐ 17' });
    assert.equal(shown.body.seq, 2);
    assert.equal((await inspector('GET', '/inspection/visibility-defaults')).body.length, 2);
  });
});

describe('receipts', () => {
  test('409 LEAF_NOT_YET_SEQUENCED while pending; then a tlog-proof that verifies offline with the published key', async () => {
    await officerReads(s, f.adultChild);
    const token = await citizenToken(f.adultChild);
    const [item] = (await asCitizen(s, token, 'GET', '/me/usage')).body.items;
    const path = `/me/usage/${item.entryId}/receipt`;
    const pending = await asCitizen(s, token, 'GET', path);
    assert.equal(pending.status, 409);
    assert.equal(pending.body.code, 'LEAF_NOT_YET_SEQUENCED');
    await sequence(s);
    assert.equal((await asCitizen(s, token, 'GET', '/me/usage')).body.items[0].receiptReady, true);
    const r = await asCitizen(s, token, 'GET', path);
    assert.equal(r.status, 200, String(r.body));
    assert.match(r.headers.get('content-type') ?? '', /^application\/tlog-proof/);
    const keys = await s.call('GET', '/transparency/keys');
    const extra = decodeReceiptExtra(parseProof(r.body).extra!)!;
    const leaf = extra.leaf;
    assert.deepEqual([leaf?.kind, leaf?.subjectKey, leaf?.ref], ['access_entry', f.adultChild, item.entryId]);
    const result = verifyReceipt(r.body, { leafData: extra.leafData, origin: keys.body.origin, logKeys: [verifierFromKeyString(keys.body.log)] });
    assert.deepEqual(result.reasons, []);
    // The receipt carries the entry's row, which is what the leaf committed to: the citizen reads its purpose.
    const row = checkRow(leaf!, extra.row!);
    assert.ok(row.ok);
    assert.equal(row.columns.purpose, item.purpose);
    assert.equal(row.columns.entry_id, item.entryId);
    // Someone else's entry ID: not found for this person.
    const other = (await rowsOf(s, f.parent))[0]!;
    assert.equal((await asCitizen(s, token, 'GET', `/me/usage/${other.entry_id}/receipt`)).body.code, 'ENTRY_NOT_FOUND');
  });
});

async function citizenToken(personalId: string): Promise<string> {
  return (await createPrincipal(s.runtime.store, s.clock, 'Citizen', 'citizen', undefined, { personalId })).token;
}
