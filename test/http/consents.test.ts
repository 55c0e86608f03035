/**
 * Consent of the data subject to agencies outside the state (issue 15 item 4; decision 0044), over
 * HTTP against the real exchange: agencies' systems with their own keys and tokens, citizens with
 * bearer tokens bound to their personal IDs. Required / pending / given / withdrawn / expired,
 * verifyCitizen configured without consent, a state agency needing none, batches per person, at
 * most one pending request under simultaneous requests, who may see what, bad input.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { smsTexter } from '../support/sms-texting.js';
import { randomUUID } from 'node:crypto';
import { birthBody, startTestServer, type TestServer } from '../support/http.js';
import { accessLogRows, admin, agencyBody, callService, connectIn, moveTo, token, type AgencySystem } from '../support/exchange.js';
import { createPrincipal } from '../../src/services/principals.js';
import { registerAgency } from '../../src/services/exchange/agencies.js';
import { submitSubscriberLink } from '../../src/services/subscribers/index.js';
import { expireLapsedConsents } from '../../src/services/consents/requests.js';
import { LEAF_KINDS } from '../../src/store/repositories/transparency-leaves.js';
import { rowDigest } from '../../src/transparency/leaf.js';
import { seedPopulation } from '../../src/services/seed.js';

let s: TestServer;
const PURPOSE = 'KYC-MOTAIKHOAN';
const DAY = 86_400_000;
const grants = (extra: Record<string, unknown> = {}) => ({
  grants: [
    { service: 'lookupCitizen', fields: ['fullName', 'dateOfBirth', 'sex'], purposes: [PURPOSE, '1.004222'] },
    { service: 'batchLookupCitizens', fields: ['fullName', 'sex'], purposes: [PURPOSE] },
    { service: 'verifyCitizen', fields: ['fullName', 'dateOfBirth'], purposes: [PURPOSE], ...extra },
  ],
  ratePerMinute: 10_000,
});
let bank: string;
let bankSys: AgencySystem;
let bank2: string;
let stateAgency: string;
let verifyFree: string;
const people: string[] = [];
const citizens: string[] = [];

const register = async (fullName: string) => {
  const r = await s.call('POST', '/citizens', { token: s.tokens.officer, body: birthBody({ fullName, dateOfBirth: '1991-02-03' }) });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.personalId as string;
};
const asAgency = (token: string, method: string, path: string, body?: unknown) => s.call(method, path, { token, purpose: null, ...(body !== undefined ? { body } : {}) });
const asCitizen = (i: number, method: string, path: string) => s.call(method, path, { token: citizens[i]!, headers: { 'x-purpose': '' } });
const ask = (token: string, personalId: string, o: Record<string, unknown> = {}) =>
  asAgency(token, 'POST', '/exchange/consents', { personalId, purpose: PURPOSE, data: [{ service: 'lookupCitizen', fields: ['fullName', 'sex'] }], validDays: 30, ...o });
const lookup = (token: string, personalId: string) => callService(s, token, 'lookupCitizen', { personalId }, { 'x-purpose': PURPOSE });

before(async () => {
  s = await startTestServer('2026-06-01T08:00:00.000Z');
  // A few synthetic people (the generator needs an empty store), for the test-stage connection.
  await seedPopulation(s.runtime.store, s.runtime.catalogue.categories, s.clock, { seed: 7, count: 3 });
  await admin(s, 'POST', '/admin/catalogue/2026', undefined, 201);
  await admin(s, 'POST', '/admin/catalogue/2026/publication', {}, 200);
  for (const name of ['Nguyễn Văn An', 'Trần Thị Bình', 'Lê Văn Cường', 'Phạm Thị Dung', 'Hoàng Văn Em', 'Vũ Thị Phương']) people.push(await register(name));
  for (const [i, p] of people.entries()) citizens.push((await createPrincipal(s.runtime.store, s.clock, `Công dân ${i}`, 'citizen', undefined, { personalId: p })).token);
  const b = await connectIn(s, agencyBody('NHDONGY', { type: 'credit_institution', name: 'Ngân hàng Đồng Ý' }), grants(), 'active');
  [bank, bankSys] = [b.token!, b.sys];
  bank2 = (await connectIn(s, agencyBody('NHKHAC', { type: 'notary', name: 'Văn phòng công chứng Khác' }), grants(), 'active')).token!;
  stateAgency = (await connectIn(s, agencyBody('BHXHDY'), grants(), 'active')).token!;
  verifyFree = (await connectIn(s, agencyBody('NHXACTHUC', { type: 'credit_institution' }), grants({ consentRequired: false }), 'active')).token!;
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

describe('a connection in its test stage', () => {
  test('asks synthetic people only: a real citizen or an unknown ID is refused, nothing made, no SMS', async () => {
    const synthetic = (await s.runtime.store.db.selectFrom('citizen_history').select('personal_id').where('source', '=', 'generator').where('version', '=', 1).orderBy('personal_id').limit(1).executeTakeFirstOrThrow()).personal_id;
    const t = (await connectIn(s, agencyBody('NHTHUNGHIEM', { type: 'credit_institution' }), grants(), 'testing')).token!;
    const count = async () => (await s.runtime.store.db.selectFrom('consent_request').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
    const sms = async () => (await s.runtime.store.db.selectFrom('sms_outbox').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
    const [before, smsBefore] = [await count(), await sms()];
    for (const personalId of [people[0]!, '001099000001']) {
      const r = await ask(t, personalId);
      assert.equal(r.status, 403, JSON.stringify(r.body));
      assert.equal(r.body.code, 'TEST_CONNECTION_REAL_DATA');
    }
    assert.equal(Number(await count()), Number(before));
    assert.equal(Number(await sms()), Number(smsBefore));
    assert.equal((await ask(t, synthetic)).status, 201);
  });
});

describe('at most one pending request', () => {
  test('simultaneous requests for one person and purpose: exactly one is made', async () => {
    const p = people[0]!;
    const results = await Promise.all(Array.from({ length: 8 }, () => ask(bank2, p)));
    const statuses = results.map((r) => r.status).sort();
    assert.deepEqual(statuses, [201, 409, 409, 409, 409, 409, 409, 409], JSON.stringify(results.map((r) => r.body)));
    assert.ok(results.filter((r) => r.status === 409).every((r) => r.body.code === 'CONSENT_REQUEST_OPEN'));
    const rows = await s.runtime.store.db.selectFrom('consent_request').select('consent_id').where('personal_id', '=', p).where('state', '=', 'pending').execute();
    assert.equal(rows.length, 1);
    // Another purpose is another request.
    assert.equal((await ask(bank2, p, { purpose: '1.004222' })).status, 201);
  });
});

describe('who sees what', () => {
  test('agencies see only their own requests; citizens only theirs; other roles and tokens get nothing', async () => {
    const mine = await ask(bank, people[0]!, { purpose: '1.004222' });
    assert.equal(mine.status, 201);
    const id = mine.body.consentId as string;
    const cases: [string, () => Promise<{ status: number; body: any }>, number, string?][] = [
      ['own agency reads', () => asAgency(bank, 'GET', `/exchange/consents/${id}`), 200],
      ['other agency reads', () => asAgency(bank2, 'GET', `/exchange/consents/${id}`), 404, 'CONSENT_REQUEST_NOT_FOUND'],
      ['no token reads', () => s.call('GET', `/exchange/consents/${id}`), 401, 'EXCHANGE_TOKEN_INVALID'],
      ['officer token reads', () => s.call('GET', `/exchange/consents/${id}`, { token: s.tokens.officer }), 401, 'EXCHANGE_TOKEN_INVALID'],
      ['subject reads', () => asCitizen(0, 'GET', `/me/consents/${id}`), 200],
      ['another citizen reads', () => asCitizen(1, 'GET', `/me/consents/${id}`), 404, 'CONSENT_REQUEST_NOT_FOUND'],
      ['another citizen approves', () => asCitizen(1, 'POST', `/me/consents/${id}/approve`), 404, 'CONSENT_REQUEST_NOT_FOUND'],
      ['officer approves', () => s.call('POST', `/me/consents/${id}/approve`, { token: s.tokens.officer }), 403],
      ['agency approves', () => s.call('POST', `/me/consents/${id}/approve`, { token: bank }), 401],
      ['nobody lists', () => s.call('GET', '/me/consents'), 401],
    ];
    for (const [name, run, status, code] of cases) {
      const r = await run();
      assert.equal(r.status, status, `${name}: ${JSON.stringify(r.body)}`);
      if (code) assert.equal(r.body.code, code, name);
    }
    const otherList = await asAgency(bank2, 'GET', '/exchange/consents?limit=200');
    assert.ok(!otherList.body.items.some((i: { consentId: string }) => i.consentId === id));
    const ownList = await asAgency(bank, 'GET', '/exchange/consents?limit=200');
    assert.ok(ownList.body.items.some((i: { consentId: string }) => i.consentId === id));
    const citizenList = await asCitizen(1, 'GET', '/me/consents?limit=200');
    assert.ok(citizenList.body.items.every((i: { personalId: string }) => i.personalId === people[1]));
    // Still pending: nobody but its subject decided it.
    assert.equal((await asAgency(bank, 'GET', `/exchange/consents/${id}`)).body.state, 'pending');
  });

  test('a suspended connection can no longer read its requests, even with an unexpired token; resumed, it can again', async () => {
    const c = await connectIn(s, agencyBody('NHTAMNGUNG', { type: 'credit_institution' }), grants(), 'active');
    const made = await ask(c.token!, people[2]!);
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const paths = [`/exchange/consents/${made.body.consentId}`, '/exchange/consents'];
    await moveTo(s, c.sys, 'suspend');
    for (const path of paths) {
      const r = await asAgency(c.token!, 'GET', path);
      assert.equal(r.status, 403, `${path}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.code, 'CONNECTION_SUSPENDED');
    }
    await moveTo(s, c.sys, 'resume');
    for (const path of paths) assert.equal((await asAgency(c.token!, 'GET', path)).status, 200, path);
  });

  test('pages: newest first, `next` continues without repeats', async () => {
    const all = (await asAgency(bank, 'GET', '/exchange/consents?limit=200')).body.items as { consentId: string; createdAt: string }[];
    assert.ok(all.length >= 5);
    const seen: string[] = [];
    let next: string | undefined;
    do {
      const r = await asAgency(bank, 'GET', `/exchange/consents?limit=2${next ? `&before=${next}` : ''}`);
      assert.equal(r.status, 200);
      seen.push(...r.body.items.map((i: { consentId: string }) => i.consentId));
      next = r.body.next;
    } while (next);
    assert.deepEqual(seen, all.map((i) => i.consentId));
  });
});

describe('bad input', () => {
  test('problem+json with a stable code; nothing is made', async () => {
    const count = async () => Number((await s.runtime.store.db.selectFrom('consent_request').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    const bad: [Record<string, unknown>, number, string][] = [
      [{ validDays: 366 }, 400, 'VALIDATION_FAILED'],
      [{ validDays: 0 }, 400, 'VALIDATION_FAILED'],
      [{ personalId: '12345' }, 400, 'VALIDATION_FAILED'],
      [{ purpose: 'bad purpose!' }, 400, 'VALIDATION_FAILED'],
      [{ data: [] }, 400, 'VALIDATION_FAILED'],
      [{ data: [{ service: 'nope', fields: ['x'] }] }, 400, 'VALIDATION_FAILED'],
      [{ data: [{ service: 'getCardStatus', fields: ['status'] }] }, 400, 'CONSENT_REQUEST_INVALID'],
      [{ data: [{ service: 'lookupCitizen', fields: ['email'] }] }, 400, 'CONSENT_REQUEST_INVALID'],
      [{ purpose: '9.999999' }, 400, 'CONSENT_REQUEST_INVALID'],
      [{ extra: 1 }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [o, status, code] of bad) {
      const r = await ask(bank, people[2]!, o);
      assert.equal(r.status, status, `${JSON.stringify(o)}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.code, code, JSON.stringify(o));
      assert.match(r.headers.get('content-type') ?? '', /application\/problem\+json/);
    }
    assert.equal((await asCitizen(0, 'POST', '/me/consents/not-a-uuid/approve')).body.code, 'VALIDATION_FAILED');
    assert.equal((await asCitizen(0, 'GET', '/me/consents?state=maybe')).body.code, 'VALIDATION_FAILED');
    assert.equal((await asCitizen(0, 'GET', `/me/consents/${randomUUID()}`)).body.code, 'CONSENT_REQUEST_NOT_FOUND');
    assert.equal((await asCitizen(0, 'GET', '/me/consents?before=%%%')).status, 400);
    assert.equal(await count(), before);
  });
});

describe('the citizen is told by SMS', () => {
  test('a registered number gets the agency\'s name and the code, nothing about the person', async () => {
    await registerAgency(s.runtime.ctx, { code: 'TELDY', name: 'Nhà mạng thử', type: 'telecom_operator', stateBudgetFunded: false, focalPoints: [{ fullName: 'Đầu Mối', position: 'Trưởng phòng', phone: '0912345678', email: 'focal@teldy.example' }] });
    const p = people[5]!;
    await submitSubscriberLink(s.runtime.ctx, 'TELDY', { recordId: 'DY-1', action: 'link', number: '0981234567', personalId: p, confirmedAt: '2026-01-10' });
    const c = await ask(bank, p, { purpose: '1.004222' });
    assert.equal(c.status, 201);
    const code = (await asCitizen(5, 'GET', `/me/consents/${c.body.consentId}`)).body.code as string;
    const sms = await s.runtime.store.db.selectFrom('sms_outbox').select(['body', 'kind']).where('to_number', '=', '+84981234567').execute();
    assert.equal(sms.length, 1);
    assert.equal(sms[0]!.kind, 'notice');
    assert.ok(sms[0]!.body.includes('Ngan hang Dong Y'), sms[0]!.body);
    assert.ok(sms[0]!.body.includes(code));
    assert.ok(!sms[0]!.body.includes(p));
    assert.ok(!sms[0]!.body.includes('Phương') && !sms[0]!.body.includes('Phuong'));
  });
});

describe('answering by SMS', () => {
  const text = smsTexter(() => s, 100);

  test('DONGY / TUCHOI <code> from the registered number decide; another number, a wrong code, a second answer do not', async () => {
    // people[5] has +84981234567 (linked in the SMS notice test above).
    const p = people[5]!;
    const a = await ask(bank2, p).then((r) => r.body);
    const b = await ask(bank2, p, { purpose: '1.004222' }).then((r) => r.body);
    assert.equal(a.state, 'pending', JSON.stringify(a));
    const codeOf = async (id: string) => (await asCitizen(5, 'GET', `/me/consents/${id}`)).body.code as string;
    const [codeA, codeB] = [await codeOf(a.consentId), await codeOf(b.consentId)];

    const approved = await text('+84981234567', `Dong y ${codeA.toLowerCase().slice(0, 4)}-${codeA.slice(4)}`);
    assert.equal(approved.outcome, 'answered');
    assert.equal(approved.reply, 'Ban da dong y yeu cau cua Van phong cong chung Khac. Rut lai: tren tai khoan dinh danh dien tu.');
    const shown = await asCitizen(5, 'GET', `/me/consents/${a.consentId}`);
    assert.equal(shown.body.state, 'approved');
    assert.deepEqual(shown.body.history.map((h: { kind: string; channel: string }) => `${h.kind}/${h.channel}`), ['requested/exchange', 'approved/sms']);

    assert.match((await text('+84981234567', `TUCHOI ${codeA}`)).reply ?? '', /khong con cho tra loi/);
    assert.equal((await asCitizen(5, 'GET', `/me/consents/${a.consentId}`)).body.state, 'approved');
    // Another number: the code is not found for its owner (nobody here).
    assert.equal((await text('+84987654321', `TUCHOI ${codeB}`)).outcome, 'not-found');
    assert.equal((await text('+84981234567', 'TUCHOI 22222222')).outcome, 'not-found');
    assert.equal((await asCitizen(5, 'GET', `/me/consents/${b.consentId}`)).body.state, 'pending');
    const refused = await text('+84981234567', `tu choi ${codeB}`);
    assert.match(refused.reply ?? '', /Ban da tu choi/);
    assert.equal((await asCitizen(5, 'GET', `/me/consents/${b.consentId}`)).body.state, 'refused');
  });
});
