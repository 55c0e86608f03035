/**
 * The signed-in citizen's own data under /me (issue 16 item 3), over real HTTP on SQLite and
 * PostgreSQL: record, household, residence and its history, cards and the card's QR, the documents a
 * citizen may ask for (CT07, old-CMND confirmation, personal-ID notice) and their PDFs. A matrix: each
 * citizen reaches only their own data (the person comes from the session, never the request), other
 * roles are refused (officers use /citizens/{personalId}), nobody signed out gets in. Recording: a
 * citizen's own use writes no entry; an answer naming household members records a use of theirs by
 * this citizen; refusals are recorded. Bad input: problem+json with a stable code, nothing issued.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/http.js';
import { approve, consent, HANG_BAC, OWNED, submit } from '../support/residence.js';
import { as, citizenWithAccount, FAST_AUTH, signInCitizen } from '../support/eid.js';
import { createPrincipal } from '../../src/services/principals.js';
import { pdfText } from '../support/pdf.js';

let s: TestServer;
let head: string;
let wife: string;
let loner: string;
let householdId: string;
const tokens: Record<'head' | 'wife' | 'loner', string> = { head: '', wife: '', loner: '' };
let seq = 0;

async function citizenToken(name: string, personalId: string): Promise<string> {
  return (await createPrincipal(s.runtime.store, s.clock, name, 'citizen', undefined, { personalId })).token;
}

async function born(fullName: string, dateOfBirth: string, extra: Record<string, unknown> = {}): Promise<string> {
  const r = await s.call('POST', '/citizens', { token: s.tokens.officer, body: { citizen: { fullName, dateOfBirth, sex: 'male', ethnicity: '01', nationality: 'VN', birthRegistrationPlace: { country: 'VN', unitSet: 'pre2025', unitCode: '00004', detail: 'UBND phường' }, ...extra } } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.personalId;
}

/** A call with its own request ID, and the access-log rows it wrote. */
async function call(method: string, path: string, opts: { token?: string; headers?: Record<string, string>; body?: unknown } = {}) {
  const requestId = `me-${++seq}`;
  const r = await s.call(method, path, { ...opts, purpose: null, headers: { ...opts.headers, 'x-request-id': requestId } });
  const rows = await s.runtime.store.db.selectFrom('access_entry').selectAll().where('request_id', '=', requestId).orderBy('subject_key').execute();
  return { ...r, rows };
}

before(async () => {
  s = await startTestServer('2026-06-01T03:00:00.000Z', { auth: FAST_AUTH, trustProxy: ['127.0.0.1'] });
  head = await born('Lê Văn Chủ Hộ', '1960-02-02', { legacyIdNumber: '012345678' });
  wife = await born('Phan Thị Vợ', '1962-03-03', { sex: 'female' });
  loner = await born('Đỗ Văn Một Mình', '1975-05-05');
  const first = await submit(s, 'permanent-registrations', { personalId: head, address: HANG_BAC, lawfulResidence: OWNED });
  householdId = (await approve(s, first.applicationId)).outcome.householdId;
  const second = await submit(s, 'permanent-registrations', { personalId: wife, household: { householdId, relationship: 'wife' }, lawfulResidence: OWNED, consents: [consent('household_head', head)] });
  await approve(s, second.applicationId);
  const issued = await s.call('POST', `/citizens/${head}/cards`, { token: s.tokens.officer, body: { issueDate: '2025-01-10' } });
  assert.equal(issued.status, 201, JSON.stringify(issued.body));
  tokens.head = await citizenToken('Chủ hộ', head);
  tokens.wife = await citizenToken('Vợ', wife);
  tokens.loner = await citizenToken('Một mình', loner);
});
after(async () => s?.close());

describe('/me: a citizen reads their own data', () => {
  test('record: their own, no entry written for their own use', async () => {
    const r = await call('GET', '/me/record', { token: tokens.head });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.personalId, head);
    assert.equal(r.body.fullName, 'Lê Văn Chủ Hộ');
    assert.equal(r.body.legacyIdNumber, '012345678');
    assert.deepEqual(r.rows, []);
    const other = await call('GET', '/me/record', { token: tokens.loner });
    assert.equal(other.body.personalId, loner);
    assert.equal(other.body.fullName, 'Đỗ Văn Một Mình');
  });

  test('household: head and members; the other members\' data used by this citizen is recorded, without a purpose asked', async () => {
    const r = await call('GET', '/me/household', { token: tokens.wife });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.householdId, householdId);
    const ids = (r.body.members as { personalId: string }[]).map((m) => m.personalId).sort();
    assert.deepEqual(ids, [head, wife].sort());
    const primary = r.rows.find((row) => row.primary_row === 1);
    assert.ok(primary, 'a use of the head\'s data was recorded');
    assert.equal(primary.action, 'getMyHousehold');
    assert.equal(primary.role, 'citizen');
    assert.equal(primary.outcome, 'served');
    assert.deepEqual(JSON.parse(primary.personal_ids).sort(), [head, wife].sort());
    const none = await call('GET', '/me/household', { token: tokens.loner });
    assert.equal(none.status, 404);
    assert.match(none.headers.get('content-type') ?? '', /application\/problem\+json/);
  });

  test('residence now and its history: the permanent registration at Hàng Bạc', async () => {
    const now = await call('GET', '/me/residence', { token: tokens.head });
    assert.equal(now.status, 200, JSON.stringify(now.body));
    assert.equal(now.body.personalId, head);
    assert.match(JSON.stringify(now.body.permanent), /Hàng Bạc/);
    const history = await call('GET', '/me/residence/history', { token: tokens.head });
    assert.equal(history.status, 200, JSON.stringify(history.body));
    assert.equal(history.body.registrations.length, 1);
    assert.equal(history.body.registrations[0].kind, 'permanent');
    assert.deepEqual(history.rows, []);
  });

  test('cards and the QR image of the card in force; none for a person without a card', async () => {
    const cards = await call('GET', '/me/cards', { token: tokens.head });
    assert.equal(cards.status, 200, JSON.stringify(cards.body));
    assert.equal(cards.body.personalId, head);
    assert.equal(cards.body.cards.length, 1);
    assert.equal(cards.body.current.status, 'valid');
    const png = await s.call('GET', '/me/cards/qr/png', { token: tokens.head });
    assert.equal(png.status, 200);
    assert.equal(png.headers.get('content-type'), 'image/png');
    const svg = await s.call('GET', '/me/cards/qr/svg', { token: tokens.head });
    assert.match(svg.body, /<svg/);
    const none = await call('GET', '/me/cards/qr/png', { token: tokens.loner });
    assert.equal(none.status, 404);
    assert.equal(none.body.code, 'CARD_NOT_FOUND');
    const bad = await call('GET', '/me/cards/qr/gif', { token: tokens.head });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, 'VALIDATION_FAILED');
  });
});

describe('/me: documents a citizen asks for', () => {
  test('CT07: issued to the citizen, listed, its PDF carries their name; another citizen gets 404 for the same number', async () => {
    const r = await call('POST', '/me/certificates/residence-confirmation', { token: tokens.head });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.kind, 'RESIDENCE_CONFIRMATION');
    assert.equal(r.body.personalId, head);
    assert.match(r.body.number, /^XNCUTR-2026-/);
    assert.equal(r.headers.get('location'), `/me/certificates/${r.body.number}/pdf`);
    assert.deepEqual(r.rows, [], 'own use: no entry');
    const list = await s.call('GET', '/me/certificates', { token: tokens.head });
    assert.deepEqual(list.body.map((c: { number: string }) => c.number), [r.body.number]);
    assert.equal(list.body[0].revoked, false);
    const pdf = await fetch(`${s.baseUrl}/me/certificates/${r.body.number}/pdf`, { headers: { authorization: `Bearer ${tokens.head}` } });
    assert.equal(pdf.status, 200);
    assert.equal(pdf.headers.get('content-type'), 'application/pdf');
    const bytes = new Uint8Array(await pdf.arrayBuffer());
    assert.equal(Buffer.from(bytes.subarray(0, 5)).toString('latin1'), '%PDF-');
    const text = await pdfText(bytes);
    assert.match(text.normalize('NFC'), /LÊ VĂN CHỦ HỘ|Lê Văn Chủ Hộ/);
    const stranger = await call('GET', `/me/certificates/${r.body.number}/pdf`, { token: tokens.wife });
    assert.equal(stranger.status, 404);
    assert.equal(stranger.body.code, 'CERTIFICATE_NOT_FOUND');
    assert.equal((await s.call('GET', '/me/certificates', { token: tokens.wife })).body.length, 0);
  });

  test('old-CMND confirmation for a person with a CMND; 409 NO_LEGACY_ID for one without, nothing issued', async () => {
    const r = await call('POST', '/me/certificates/legacy-id-confirmation', { token: tokens.head });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.kind, 'LEGACY_ID_CONFIRMATION');
    assert.ok(r.body.lines.some((l: { value: string }) => l.value.includes('012345678')));
    const none = await call('POST', '/me/certificates/legacy-id-confirmation', { token: tokens.loner });
    assert.equal(none.status, 409);
    assert.equal(none.body.code, 'NO_LEGACY_ID');
    assert.deepEqual((await s.call('GET', '/me/certificates', { token: tokens.loner })).body, []);
  });

  test('personal-ID notice; CT07 for a person with no residence is 409 NOT_REGISTERED; an unknown kind is 400', async () => {
    const r = await call('POST', '/me/certificates/personal-id-notice', { token: tokens.loner });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.kind, 'PERSONAL_ID_NOTICE');
    assert.equal(r.body.personalId, loner);
    const ct07 = await call('POST', '/me/certificates/residence-confirmation', { token: tokens.loner });
    assert.equal(ct07.status, 409);
    assert.equal(ct07.body.code, 'NOT_REGISTERED');
    const bad = await call('POST', '/me/certificates/birth-certificate', { token: tokens.loner });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, 'VALIDATION_FAILED');
    const badNumber = await call('GET', '/me/certificates/not-a-number/pdf', { token: tokens.loner });
    assert.equal(badNumber.status, 400);
    assert.equal((await s.call('GET', '/me/certificates', { token: tokens.loner })).body.length, 1);
  });
});

describe('/me: who may call (matrix)', () => {
  const ROUTES: [string, string][] = [
    ['GET', '/me/record'],
    ['GET', '/me/household'],
    ['GET', '/me/residence'],
    ['GET', '/me/residence/history'],
    ['GET', '/me/cards'],
    ['GET', '/me/cards/qr/png'],
    ['GET', '/me/certificates'],
    ['POST', '/me/certificates/personal-id-notice'],
  ];
  test('officers, administrators and inspectors are refused (403, recorded); nobody signed out gets in (401)', async () => {
    for (const [method, path] of ROUTES) {
      for (const role of ['officer', 'admin', 'inspector'] as const) {
        const r = await call(method, path, { token: s.tokens[role], headers: { 'x-purpose': 'TEST' } });
        assert.equal(r.status, 403, `${role} ${method} ${path}: ${JSON.stringify(r.body)}`);
        assert.equal(r.body.code, 'FORBIDDEN');
        assert.ok(r.rows.some((row) => row.outcome === 'refused'), `${role} ${method} ${path} refusal recorded`);
      }
      const anonymous = await call(method, path);
      assert.equal(anonymous.status, 401, `${method} ${path}`);
    }
  });

  test('a citizen cannot name another person: a personal ID in the query is not read (the answer is their own); in a body it is refused (400), nothing issued', async () => {
    const q = await call('GET', `/me/record?personalId=${loner}`, { token: tokens.head });
    assert.equal(q.status, 200, JSON.stringify(q.body));
    assert.equal(q.body.personalId, head);
    assert.deepEqual(q.rows, [], 'own use: no entry, and nothing about the other person');
    // A body naming someone is refused at the boundary (these routes take none), and nothing is issued.
    const before = (await s.call('GET', '/me/certificates', { token: tokens.head })).body.length;
    const b = await call('POST', '/me/certificates/personal-id-notice', { token: tokens.head, body: { personalId: loner } });
    assert.equal(b.status, 400, JSON.stringify(b.body));
    assert.equal(b.body.code, 'VALIDATION_FAILED');
    assert.match(b.headers.get('content-type') ?? '', /application\/problem\+json/);
    assert.equal((await s.call('GET', '/me/certificates', { token: tokens.head })).body.length, before);
    assert.deepEqual((await s.call('GET', '/me/certificates', { token: tokens.loner })).body.filter((c: { kind: string }) => c.kind === 'PERSONAL_ID_NOTICE').length, 1);
  });
});

describe('/me over a cookie session (e-ID sign-in)', () => {
  test('a signed-in citizen reads their record and asks for a document with the CSRF token; without it the change is refused', async () => {
    const c = await citizenWithAccount(s, { fullName: 'Vũ Thị Phiên', dateOfBirth: '1988-08-08' });
    const session = await signInCitizen(s, c);
    const record = await s.call('GET', '/me/record', as(session));
    assert.equal(record.status, 200, JSON.stringify(record.body));
    assert.equal(record.body.personalId, c.personalId);
    const noCsrf = await s.call('POST', '/me/certificates/personal-id-notice', { headers: { cookie: session.cookie } });
    assert.equal(noCsrf.status, 403, JSON.stringify(noCsrf.body));
    const issued = await s.call('POST', '/me/certificates/personal-id-notice', as(session));
    assert.equal(issued.status, 201, JSON.stringify(issued.body));
    assert.equal(issued.body.personalId, c.personalId);
  });
});
