/**
 * Consent of the data subject to agencies outside the state (issue 15 item 4; decision 0044), over
 * HTTP against the real exchange — what a consent allows: required / pending / given / withdrawn /
 * refused, asking again after a refusal, expiry of approvals and of unanswered requests, verifyCitizen
 * configured without consent, a state agency needing none, batches answered per person. The world
 * (agencies' systems with their own keys and tokens, citizens with bearer tokens) is
 * test/support/consents.ts; the request API is consents-requests.test.ts, the SMS side consents-sms.test.ts.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { TestServer } from '../support/http.js';
import { accessLogRows, admin, agencyBody, callService, connectIn, token, type AgencySystem } from '../support/exchange.js';
import { consentCalls, consentWorld, DAY, grants, PURPOSE } from '../support/consents.js';
import { expireLapsedConsents } from '../../src/services/consents/requests.js';
import { LEAF_KINDS } from '../../src/store/repositories/transparency-leaves.js';
import { rowDigest } from '../../src/transparency/leaf.js';

let s: TestServer;
let bank: string;
let bankSys: AgencySystem;
let stateAgency: string;
let verifyFree: string;
let people: string[];
let citizens: string[];
const { asAgency, asCitizen, ask, lookup } = consentCalls(() => ({ s, citizens }));

before(async () => {
  ({ s, bank, bankSys, stateAgency, verifyFree, people, citizens } = await consentWorld());
});
after(async () => s?.close());

describe('required, pending, given, withdrawn', () => {
  test('a bank is refused without consent (recorded); a state agency is served without one', async () => {
    const id = randomUUID();
    const r = await callService(s, bank, 'lookupCitizen', { personalId: people[0] }, { 'x-purpose': PURPOSE, 'x-request-id': id });
    assert.equal(r.status, 403);
    assert.equal(r.body.code, 'SUBJECT_CONSENT_REQUIRED');
    assert.match(r.headers.get('content-type') ?? '', /application\/problem\+json/);
    const [row] = await accessLogRows(s, id);
    assert.equal(row?.outcome, 'refused');
    assert.equal(row?.error_code, 'SUBJECT_CONSENT_REQUIRED');
    assert.deepEqual(JSON.parse(row!.personal_ids), [people[0]]);
    const st = await lookup(stateAgency, people[0]!);
    assert.equal(st.status, 200, JSON.stringify(st.body));
    assert.equal(st.body.fullName, 'Nguyễn Văn An');
  });

  test('request → pending (refused as pending) → approved (served, only the consented fields, the consent recorded with the use) → withdrawn (refused at once)', async () => {
    const p = people[1]!;
    const created = await ask(bank, p);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.state, 'pending');
    assert.equal(created.body.answerBy, '2026-06-08T08:00:00.000Z');
    assert.deepEqual(Object.keys(created.body).sort(), ['answerBy', 'consentId', 'createdAt', 'data', 'personalId', 'purpose', 'state', 'validDays']);
    const consentId = created.body.consentId as string;
    assert.equal((await lookup(bank, p)).body.code, 'SUBJECT_CONSENT_PENDING');

    const mine = await asCitizen(1, 'GET', '/me/consents');
    assert.equal(mine.status, 200, JSON.stringify(mine.body));
    assert.equal(mine.body.items.length, 1);
    assert.equal(mine.body.items[0].agencyName, 'Ngân hàng Đồng Ý');
    assert.equal(mine.body.items[0].state, 'pending');
    assert.match(mine.body.items[0].code, /^[2-9A-HJKMNP-Z]{8}$/);

    const approved = await asCitizen(1, 'POST', `/me/consents/${consentId}/approve`);
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    assert.equal(approved.body.state, 'approved');
    assert.equal(approved.body.validUntil, '2026-07-01T08:00:00.000Z');

    const id = randomUUID();
    const served = await callService(s, bank, 'lookupCitizen', { personalId: p }, { 'x-purpose': PURPOSE, 'x-request-id': id });
    assert.equal(served.status, 200, JSON.stringify(served.body));
    assert.deepEqual(served.body, { personalId: p, fullName: 'Trần Thị Bình', sex: served.body.sex }, 'the grant also has dateOfBirth: the consent did not give it');
    assert.ok(served.body.sex);
    const [entry] = await accessLogRows(s, id);
    assert.equal(entry?.outcome, 'served');
    assert.deepEqual(JSON.parse(entry!.fields), ['fullName', 'sex']);
    const shown = await asCitizen(1, 'GET', `/me/consents/${consentId}`);
    assert.equal(shown.status, 200);
    assert.deepEqual(shown.body.uses.map((u: { entryId: string; action: string; fields: string[] }) => [u.entryId, u.action, u.fields]), [[entry!.entry_id, 'lookupCitizen', ['fullName', 'sex']]]);
    // Another purpose is not consented to.
    assert.equal((await callService(s, bank, 'lookupCitizen', { personalId: p }, { 'x-purpose': '1.004222' })).body.code, 'SUBJECT_CONSENT_REQUIRED');

    const withdrawn = await asCitizen(1, 'POST', `/me/consents/${consentId}/withdraw`);
    assert.equal(withdrawn.status, 200);
    assert.equal(withdrawn.body.state, 'withdrawn');
    assert.equal((await lookup(bank, p)).body.code, 'SUBJECT_CONSENT_WITHDRAWN');
    assert.equal((await asCitizen(1, 'POST', `/me/consents/${consentId}/approve`)).body.code, 'CONSENT_REQUEST_DECIDED');
    assert.deepEqual(withdrawn.body.history.map((h: { kind: string; channel: string }) => `${h.kind}/${h.channel}`), ['requested/exchange', 'approved/api', 'withdrawn/api']);
    // Every decision is a committed row with its leaf; the use too.
    const db = s.runtime.store.db;
    const leaves = await db.selectFrom('tlog_leaf_ref').select(['kind', 'ref']).where('subject_key', '=', p).where('kind', 'in', ['consent_event', 'consent_use']).execute();
    assert.equal(leaves.filter((l) => l.kind === 'consent_event').length, 3);
    assert.deepEqual(leaves.filter((l) => l.kind === 'consent_use').map((l) => l.ref), [`${consentId}/${entry!.entry_id}`]);
    // Each leaf commits to its row as stored (what the audit verifier recomputes).
    for (const kind of ['consent_event', 'consent_use'] as const) {
      const rows = await db.selectFrom(kind).selectAll().where('personal_id', '=', p).execute();
      for (const row of rows) {
        const ref = LEAF_KINDS[kind]!.refColumns.map((c) => String((row as Record<string, unknown>)[c])).join('/');
        const leaf = await db.selectFrom('tlog_leaf_ref').select('digest').where('subject_key', '=', p).where('kind', '=', kind).where('ref', '=', ref).executeTakeFirstOrThrow();
        assert.equal(leaf.digest, rowDigest(LEAF_KINDS[kind]!.columns, row), `${kind} ${ref}`);
      }
    }
    // The agency sees the state, nothing more than it sent.
    const agencyView = await asAgency(bank, 'GET', `/exchange/consents/${consentId}`);
    assert.equal(agencyView.body.state, 'withdrawn');
    assert.equal(agencyView.body.code, undefined);
    assert.equal(agencyView.body.history, undefined);
  });

  test('confirmHouseholdHead by a member needs the member\'s consent too, not only the person asked about', async () => {
    const headGrant = { grants: [{ service: 'confirmHouseholdHead', fields: ['isHead'], purposes: [PURPOSE] }], ratePerMinute: 10_000 };
    const t = (await connectIn(s, agencyBody('NHCHUHO', { type: 'credit_institution' }), headGrant, 'active')).token!;
    const [head, member] = [people[4]!, people[5]!];
    const consentOf = async (i: number, personalId: string) => {
      const c = await ask(t, personalId, { data: [{ service: 'confirmHouseholdHead', fields: ['isHead'] }] });
      assert.equal(c.status, 201, JSON.stringify(c.body));
      assert.equal((await asCitizen(i, 'POST', `/me/consents/${c.body.consentId}/approve`)).status, 200);
    };
    const check = () => callService(s, t, 'confirmHouseholdHead', { personalId: head, memberPersonalId: member }, { 'x-purpose': PURPOSE });
    await consentOf(4, head);
    const refused = await check();
    assert.equal(refused.status, 403, JSON.stringify(refused.body));
    assert.equal(refused.body.code, 'SUBJECT_CONSENT_REQUIRED');
    await consentOf(5, member);
    const served = await check();
    assert.notEqual(served.status, 403, JSON.stringify(served.body));
    assert.ok(!String(served.body.code ?? '').startsWith('SUBJECT_CONSENT'), JSON.stringify(served.body));
  });

  test('refused: the call says so', async () => {
    const p = people[2]!;
    const c = await ask(bank, p);
    assert.equal((await asCitizen(2, 'POST', `/me/consents/${c.body.consentId}/refuse`)).body.state, 'refused');
    assert.equal((await lookup(bank, p)).body.code, 'SUBJECT_CONSENT_REFUSED');
    assert.equal((await asCitizen(2, 'POST', `/me/consents/${c.body.consentId}/withdraw`)).body.code, 'CONSENT_REQUEST_DECIDED');
  });
});

describe('after a refusal', () => {
  test('the same connection may not ask the same person for the same purpose again for 30 days; then it may', async () => {
    const conn = await connectIn(s, agencyBody('NHTUCHOI', { type: 'credit_institution' }), grants(), 'active');
    let t = conn.token!;
    const c = await ask(t, people[3]!);
    assert.equal((await asCitizen(3, 'POST', `/me/consents/${c.body.consentId}/refuse`)).body.state, 'refused');
    const again = await ask(t, people[3]!);
    assert.equal(again.status, 409, JSON.stringify(again.body));
    assert.equal(again.body.code, 'CONSENT_REQUEST_REFUSED_RECENTLY');
    assert.equal((await ask(t, people[3]!, { purpose: '1.004222' })).status, 201, 'another purpose may be asked');
    try {
      s.clock.advance(29 * DAY);
      t = await token(s, conn.sys); // tokens are short-lived
      assert.equal((await ask(t, people[3]!)).body.code, 'CONSENT_REQUEST_REFUSED_RECENTLY');
      s.clock.advance(DAY);
      t = await token(s, conn.sys);
      assert.equal((await ask(t, people[3]!)).status, 201);
    } finally {
      s.clock.set('2026-06-01T08:00:00.000Z');
    }
  });
});

describe('expiry', () => {
  test('an approval ends at its validity; an unanswered request at its deadline, and then a new one may be made', async () => {
    const p = people[3]!;
    const c = await ask(bank, p, { validDays: 1 });
    await asCitizen(3, 'POST', `/me/consents/${c.body.consentId}/approve`);
    assert.equal((await lookup(bank, p)).status, 200);
    s.clock.advance(DAY);
    // Access tokens last 5 minutes: the agency takes a new one after the clock moves.
    let t = await token(s, bankSys);
    try {
      assert.equal((await lookup(t, p)).body.code, 'SUBJECT_CONSENT_EXPIRED');
      assert.equal((await asAgency(t, 'GET', `/exchange/consents/${c.body.consentId}`)).body.state, 'expired');

      const pending = await ask(t, p);
      assert.equal(pending.status, 201);
      assert.equal((await ask(t, p)).body.code, 'CONSENT_REQUEST_OPEN');
      s.clock.advance(7 * DAY);
      t = await token(s, bankSys);
      assert.equal((await lookup(t, p)).body.code, 'SUBJECT_CONSENT_EXPIRED');
      const listed = await asAgency(t, 'GET', `/exchange/consents?personalId=${p}&state=expired`);
      assert.deepEqual(listed.body.items.map((i: { consentId: string }) => i.consentId).sort(), [c.body.consentId, pending.body.consentId].sort());
      assert.equal((await asCitizen(3, 'POST', `/me/consents/${pending.body.consentId}/approve`)).body.code, 'CONSENT_REQUEST_DECIDED');
      // The lapse was written down by the refused approval; a new request is now possible.
      const again = await ask(t, p);
      assert.equal(again.status, 201, JSON.stringify(again.body));
      const events = await s.runtime.store.db.selectFrom('consent_event').select(['consent_id', 'kind']).where('personal_id', '=', p).orderBy('consent_id').orderBy('seq').execute();
      assert.deepEqual(events.filter((e) => e.consent_id === pending.body.consentId).map((e) => e.kind), ['requested', 'expired']);
      // The sweep writes the approval's expiry too (once).
      assert.ok((await expireLapsedConsents(s.runtime.ctx)) >= 1);
      assert.equal(await expireLapsedConsents(s.runtime.ctx), 0);
      const first = await s.runtime.store.db.selectFrom('consent_event').select('kind').where('personal_id', '=', p).where('consent_id', '=', c.body.consentId).orderBy('seq').execute();
      assert.deepEqual(first.map((e) => e.kind), ['requested', 'approved', 'expired']);
    } finally {
      s.clock.set('2026-06-01T08:00:00.000Z');
      bank = await token(s, bankSys);
    }
  });
});

describe('configuration', () => {
  test('verifyCitizen may be configured without consent; lookups may not be', async () => {
    const v = await callService(s, verifyFree, 'verifyCitizen', { personalId: people[4], attributes: { fullName: 'Hoàng Văn Em' } }, { 'x-purpose': PURPOSE });
    assert.equal(v.status, 200, JSON.stringify(v.body));
    assert.equal(v.body.result, 'match');
    assert.equal((await lookup(verifyFree, people[4]!)).body.code, 'SUBJECT_CONSENT_REQUIRED');
    // The bank's verifyCitizen needs consent, covering each attribute claimed.
    assert.equal((await callService(s, bank, 'verifyCitizen', { personalId: people[4], attributes: { fullName: 'Hoàng Văn Em' } }, { 'x-purpose': PURPOSE })).body.code, 'SUBJECT_CONSENT_REQUIRED');
    const c = await ask(bank, people[4]!, { data: [{ service: 'verifyCitizen', fields: ['fullName'] }] });
    await asCitizen(4, 'POST', `/me/consents/${c.body.consentId}/approve`);
    assert.equal((await callService(s, bank, 'verifyCitizen', { personalId: people[4], attributes: { fullName: 'Hoàng Văn Em' } }, { 'x-purpose': PURPOSE })).status, 200);
    assert.equal((await callService(s, bank, 'verifyCitizen', { personalId: people[4], attributes: { fullName: 'Hoàng Văn Em', dateOfBirth: '1991-02-03' } }, { 'x-purpose': PURPOSE })).body.code, 'SUBJECT_CONSENT_REQUIRED');

    const sys = await connectIn(s, agencyBody('NHMIEN', { type: 'credit_institution' }), grants(), 'requested');
    const r = await admin(s, 'PUT', `/admin/connections/${sys.sys.connectionId}/policy`, { grants: [{ service: 'lookupCitizen', fields: ['fullName'], purposes: [PURPOSE], consentRequired: false }], ratePerMinute: 10 });
    assert.equal(r.status, 400);
    assert.equal(r.body.code, 'POLICY_INVALID');
    // A state agency may ask for consent where the law does not require it.
    const st = await connectIn(s, agencyBody('UBNDDY'), { grants: [{ service: 'lookupCitizen', fields: ['fullName'], purposes: [PURPOSE], consentRequired: true }], ratePerMinute: 10 }, 'active');
    assert.equal((await lookup(st.token!, people[4]!)).body.code, 'SUBJECT_CONSENT_REQUIRED');
  });

  test('a batch answers per person: the consented found, the others refused (neither found nor not found)', async () => {
    const [a, b] = [people[5]!, people[0]!];
    const c = await ask(bank, a, { data: [{ service: 'batchLookupCitizens', fields: ['fullName'] }] });
    await asCitizen(5, 'POST', `/me/consents/${c.body.consentId}/approve`);
    const r = await callService(s, bank, 'batchLookupCitizens', { personalIds: [a, b, '000000000001'] }, { 'x-purpose': PURPOSE });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body.items, [{ personalId: a, fullName: 'Vũ Thị Phương' }]);
    assert.deepEqual(r.body.notFound, []);
    assert.deepEqual(r.body.refused, [
      { personalId: b, code: 'SUBJECT_CONSENT_REQUIRED' },
      { personalId: '000000000001', code: 'SUBJECT_CONSENT_REQUIRED' },
    ]);
  });
});
