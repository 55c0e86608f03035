/**
 * Review fixes of what citizens see (decision 0032): an inspector's refused hold action is not shown
 * to the person (F12); a hold on one person keeps a use back from everyone it names (F13); what was
 * recorded under a number later cancelled by a legal re-issue is the person's, seen under their
 * current number, also by a citizen principal bound to the old one (F4).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, birthBody, type TestServer } from '../support/http.js';
import { createPrincipal } from '../../src/services/principals.js';
import { asCitizen, officerReads, rowsOf, sequence } from '../support/usage.js';

let s: TestServer;
const inspector = (method: string, path: string, body?: unknown) => s.call(method, path, { token: s.tokens.inspector, headers: { 'x-purpose': 'VB-7/QD' }, ...(body !== undefined ? { body } : {}) });
const citizenToken = async (personalId: string) => (await createPrincipal(s.runtime.store, s.clock, 'Citizen', 'citizen', undefined, { personalId })).token;
const usage = async (token: string, query = '') => {
  const r = await asCitizen(s, token, 'GET', `/me/usage?limit=1000${query}`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body as { personalId: string; items: { entryId: string; action: string; outcome: string; errorCode?: string; kind: string }[] };
};
const tracked = async (token: string, personalId: string) => {
  const r = await asCitizen(s, token, 'GET', `/data-tracker/findUsage?userCode=${personalId}`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body as { totalUsages: number; usages: { logtime: string; action: string }[] };
};

async function register(overrides: Record<string, unknown>): Promise<string> {
  const r = await s.call('POST', '/citizens', { token: s.tokens.officer, headers: { 'x-purpose': 'registration' }, body: birthBody(overrides) });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.personalId as string;
}

before(async () => {
  s = await startTestServer('2026-06-01T03:00:00.000Z');
});
after(async () => s.close());

describe('F12: hold actions, refused ones too, are kept from the person', () => {
  test('a refused first placement is recorded under the person and never shown to them; a placed and released hold shows both', async () => {
    const z = await register({ fullName: 'Hoàng Văn Nghi', dateOfBirth: '1975-01-01' });
    const token = await citizenToken(z);
    const invalid = await inspector('POST', '/inspection/visibility-holds', { personalId: z, requester: 'agency:CA-HN', kind: 'delayed', decisionRef: 'QĐ 1' });
    assert.equal(invalid.body.code, 'HOLD_INVALID');
    const noPurpose = await s.call('POST', '/inspection/visibility-holds', { token: s.tokens.inspector, headers: { 'x-purpose': '' }, body: { personalId: z, requester: 'agency:CA-HN', kind: 'hidden', decisionRef: 'QĐ 1' } });
    assert.equal(noPurpose.body.code, 'PURPOSE_REQUIRED');
    const rows = await rowsOf(s, z);
    assert.deepEqual(rows.filter((r) => r.action === 'placeVisibilityHold').map((r) => r.error_code).sort(), ['HOLD_INVALID', 'PURPOSE_REQUIRED']);
    const shown = async () => (await usage(token)).items.filter((i) => i.action === 'placeVisibilityHold' || i.action === 'releaseVisibilityHold').length;
    assert.equal(await shown(), 0);
    s.clock.advance(1000);
    const hold = await inspector('POST', '/inspection/visibility-holds', { personalId: z, requester: 'agency:CA-HN', kind: 'hidden', decisionRef: 'QĐ 2' });
    assert.equal(hold.status, 201, JSON.stringify(hold.body));
    assert.equal(await shown(), 0);
    s.clock.advance(1000);
    const rel = await inspector('POST', '/inspection/visibility-releases', { personalId: z, holdId: hold.body.holdId, decisionRef: 'QĐ 3' });
    assert.equal(rel.status, 201, JSON.stringify(rel.body));
    // The hold ended after every one of them: the two refusals, the placing and the release show.
    assert.equal(await shown(), 4);
  });
});

describe('F13: a hold on one person keeps a use naming several back from all of them', () => {
  test('a search naming two people: a hold on either hides it from both, in /me/usage, findUsage and receipts', async () => {
    const name = 'Vương Thị Trùng Tên';
    const a = await register({ fullName: name, dateOfBirth: '1988-08-08' });
    const b = await register({ fullName: name, dateOfBirth: '1988-08-08' });
    const found = await s.call('GET', `/citizens?name=${encodeURIComponent(name)}&dateOfBirth=1988-08-08`, { token: s.tokens.officer, headers: { 'x-purpose': 'VB-9 investigation' } });
    assert.equal(found.status, 200, JSON.stringify(found.body));
    const [rowA] = (await rowsOf(s, a)).filter((r) => r.action === 'searchCitizens');
    const [rowB] = (await rowsOf(s, b)).filter((r) => r.action === 'searchCitizens');
    assert.ok(rowA && rowB);
    assert.equal(rowA.entry_id, rowB.entry_id);
    const entryId = rowA.entry_id;
    const [primary, other] = Number(rowA.primary_row) === 1 ? [a, b] : [b, a];
    const tokens = { [a]: await citizenToken(a), [b]: await citizenToken(b) };
    const sees = async (person: string) => (await usage(tokens[person]!)).items.some((i) => i.entryId === entryId);
    const tracks = async (person: string) => (await tracked(tokens[person]!, person)).usages.some((u) => u.action.startsWith('VB-9'));
    assert.deepEqual([await sees(a), await sees(b), await tracks(a), await tracks(b)], [true, true, true, true]);
    const requester = `principal:${rowA.principal_id}`;
    for (const [held, viewer] of [[primary, other], [other, primary]] as const) {
      const hold = await inspector('POST', '/inspection/visibility-holds', { personalId: held, requester, kind: 'hidden', decisionRef: 'QĐ 20/2026' });
      assert.equal(hold.status, 201, JSON.stringify(hold.body));
      // Hidden from the person held and from the other person the same use named.
      assert.deepEqual([await sees(held), await sees(viewer), await tracks(held), await tracks(viewer)], [false, false, false, false], `hold on the ${held === primary ? 'primary' : 'other'} row's person`);
      await sequence(s);
      const receipt = await asCitizen(s, tokens[viewer]!, 'GET', `/me/usage/${entryId}/receipt`);
      assert.equal(receipt.body.code, 'ENTRY_NOT_FOUND');
      const rel = await inspector('POST', '/inspection/visibility-releases', { personalId: held, holdId: hold.body.holdId, decisionRef: 'QĐ 21/2026' });
      assert.equal(rel.status, 201, JSON.stringify(rel.body));
      assert.deepEqual([await sees(held), await sees(viewer)], [true, true]);
    }
  });
});

describe('F4: entries under a number cancelled by a re-issue are the person\'s', () => {
  test('reads before and through the old number, a principal bound to it, receipts, grievances and holds under either number', async () => {
    const oldId = await register({ fullName: 'Lý Văn Đổi Số', dateOfBirth: '1995-04-04', sex: 'male' });
    const boundToOld = await citizenToken(oldId);
    await officerReads(s, oldId, 'before-reissue');
    s.clock.advance(60_000);
    const r = await s.call('POST', `/citizens/${oldId}/personal-id-cancellation`, {
      token: s.tokens.officer,
      headers: { 'x-purpose': 'reissue' },
      body: { reason: 'BIRTH_YEAR_CORRECTED', corrections: { dateOfBirth: '1996-04-04' } },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const newId = r.body.citizen.personalId as string;
    s.clock.advance(1000);
    // A read through the old number resolves to the person and is recorded under the number asked.
    await officerReads(s, oldId, 'via-old-number');
    assert.ok((await rowsOf(s, oldId)).some((x) => x.purpose === 'via-old-number'));
    const boundToNew = await citizenToken(newId);
    for (const token of [boundToOld, boundToNew]) {
      const view = await usage(token);
      assert.equal(view.personalId, newId);
      const purposes = new Set((await rowsOf(s, oldId)).concat(await rowsOf(s, newId)).map((x) => x.entry_id));
      assert.deepEqual(new Set(view.items.map((i) => i.entryId)), purposes);
      assert.ok(view.items.some((i) => i.action === 'getCitizen') && view.items.filter((i) => i.action === 'getCitizen').length === 2);
    }
    const trackedNew = await tracked(boundToOld, newId);
    assert.deepEqual(trackedNew.usages.filter((u) => u.action.includes('Tra cứu')).map((u) => u.action.split(':')[0]).sort(), ['before-reissue', 'via-old-number']);
    assert.equal((await tracked(boundToNew, oldId)).totalUsages, trackedNew.totalUsages);
    // The receipt of an entry under the old number: its leaf is the old number's.
    const oldEntry = (await rowsOf(s, oldId)).find((x) => x.purpose === 'via-old-number')!;
    await sequence(s);
    const receipt = await asCitizen(s, boundToNew, 'GET', `/me/usage/${oldEntry.entry_id}/receipt`);
    assert.equal(receipt.status, 200, String(receipt.body));
    // A grievance on it, opened by the principal bound to the old number, is the person's under the new one.
    const g = await asCitizen(s, boundToOld, 'POST', `/me/usage/${oldEntry.entry_id}/grievance`, { text: 'Tôi không yêu cầu' });
    assert.equal(g.status, 201, JSON.stringify(g.body));
    assert.equal(g.body.personalId, newId);
    const mine = await asCitizen(s, boundToNew, 'GET', '/me/grievances');
    assert.deepEqual(mine.body.items.map((x: { entryId: string }) => x.entryId), [oldEntry.entry_id]);
    const c = await inspector('GET', `/inspection/grievances/${g.body.grievanceId}`);
    assert.equal(c.status, 200, JSON.stringify(c.body));
    assert.equal(c.body.entry?.entryId, oldEntry.entry_id);
    assert.ok(c.body.receipt, 'the case carries the receipt of the entry under the old number');
    // A hold placed under the old number covers the person's entries under both; listed and released under the new.
    const hold = await inspector('POST', '/inspection/visibility-holds', { personalId: oldId, requester: `principal:${oldEntry.principal_id}`, kind: 'hidden', decisionRef: 'QĐ 30' });
    assert.equal(hold.status, 201, JSON.stringify(hold.body));
    assert.equal((await usage(boundToNew)).items.filter((i) => i.action === 'getCitizen').length, 0);
    const listed = await inspector('GET', `/inspection/visibility-holds?personalId=${newId}`);
    assert.deepEqual(listed.body.holds.map((h: { holdId: string }) => h.holdId), [hold.body.holdId]);
    const rel = await inspector('POST', '/inspection/visibility-releases', { personalId: newId, holdId: hold.body.holdId, decisionRef: 'QĐ 31' });
    assert.equal(rel.status, 201, JSON.stringify(rel.body));
    assert.equal((await usage(boundToNew)).items.filter((i) => i.action === 'getCitizen').length, 2);
    // Re-issued a second time: every earlier number stays the person's, for a principal bound to any.
    s.clock.advance(60_000);
    const again = await s.call('POST', `/citizens/${newId}/personal-id-cancellation`, { token: s.tokens.officer, headers: { 'x-purpose': 'reissue' }, body: { reason: 'BIRTH_YEAR_CORRECTED', corrections: { dateOfBirth: '1997-04-04' } } });
    assert.equal(again.status, 201, JSON.stringify(again.body));
    const third = again.body.citizen.personalId as string;
    await officerReads(s, newId, 'via-second-number');
    for (const token of [boundToOld, boundToNew, await citizenToken(third)]) {
      const view = await usage(token);
      assert.equal(view.personalId, third);
      assert.equal(view.items.filter((i) => i.action === 'getCitizen').length, 3);
    }
    assert.deepEqual((await inspector('GET', `/inspection/visibility-holds?personalId=${third}`)).body.holds.map((h: { holdId: string }) => h.holdId), [hold.body.holdId]);
  });
});
