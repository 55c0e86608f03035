/**
 * A parent (or legal representative) whose personal ID is legally re-issued after their child's (or
 * ward's) record was written: the record still names the cancelled number, and the telecom
 * operator's link still names it too. The representative is the same person under their current
 * number (decisions 0044 and 0040; the numbers a person has held: numbersOfPerson), so they answer
 * consent requests for the child over HTTP and by SMS, answer a written request's consent
 * question, and are recorded as a written request's requester — on the ground the record gives,
 * their use recorded under their current number. Over HTTP, on SQLite and PostgreSQL.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { smsTexter } from '../support/sms-texting.js';
import { registerWithRelatives, startTestServer, type TestServer } from '../support/http.js';
import { asCitizen } from '../support/usage.js';
import { admin, agencyBody, connectIn } from '../support/exchange.js';
import { createPrincipal } from '../../src/services/principals.js';
import { registerAgency } from '../../src/services/exchange/agencies.js';
import { submitSubscriberLink } from '../../src/services/subscribers/index.js';

let s: TestServer;
let bank: string;
const PURPOSE = 'KYC-DOISO';
const SMS_PURPOSE = 'KYC-DOISO-SMS';
const PHONE = '+84981220001';
/** The parent's cancelled and current numbers, the child (8) and the ward, both naming the cancelled one. */
const p = { old: '', current: '', child: '', ward: '' };
/** Bearer tokens of the parent: one bound to the cancelled number before the re-issue, one to the current. */
const tokens = { old: '', current: '' };
const text = smsTexter(() => s, 500);
const ORG = { kind: 'organisation', name: 'Công ty TNHH Thử Nghiệm', stateBody: false, registrationNumber: '0101234567' } as const;
const SCAN = { mediaType: 'application/pdf', contentBase64: Buffer.from('%PDF-1.4\n% scanned letter (synthetic)\n%%EOF\n').toString('base64') };

const db = () => s.runtime.store.db;
const register = (fullName: string, dateOfBirth: string, relatives: { relation: string; who: string }[] = []) => registerWithRelatives(s, fullName, dateOfBirth, relatives);
const ask = async (personalId: string, purpose = PURPOSE) => {
  const r = await s.call('POST', '/exchange/consents', { token: bank, purpose: null, body: { personalId, purpose, data: [{ service: 'lookupCitizen', fields: ['fullName'] }], validDays: 30 } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.consentId as string;
};
const codeOf = async (personalId: string, consentId: string) =>
  (await db().selectFrom('consent_request').select('code').where('personal_id', '=', personalId).where('consent_id', '=', consentId).executeTakeFirstOrThrow()).code;
const lastEventOf = async (personalId: string, consentId: string) => {
  const e = await db().selectFrom('consent_event').selectAll().where('personal_id', '=', personalId).where('consent_id', '=', consentId).orderBy('seq', 'desc').executeTakeFirstOrThrow();
  return { kind: e.kind, channel: e.channel, ground: JSON.parse(e.details).ground as string | undefined };
};

before(async () => {
  s = await startTestServer('2026-06-01T08:00:00.000Z');
  await admin(s, 'POST', '/admin/catalogue/2026', undefined, 201);
  await admin(s, 'POST', '/admin/catalogue/2026/publication', {}, 200);
  p.old = await register('Hoàng Văn Đổi Số', '1980-06-06');
  p.child = await register('Hoàng Thị Bé', '2018-08-08', [{ relation: 'father', who: p.old }]);
  p.ward = await register('Vũ Văn Được Giám Hộ', '1950-05-05', [{ relation: 'legalRepresentative', who: p.old }]);
  tokens.old = (await createPrincipal(s.runtime.store, s.clock, 'Cha (số cũ)', 'citizen', undefined, { personalId: p.old })).token;
  await registerAgency(s.runtime.ctx, { code: 'TELDOI', name: 'Nhà mạng thử', type: 'telecom_operator', stateBudgetFunded: false, focalPoints: [{ fullName: 'Đầu Mối', position: 'Trưởng phòng', phone: '0912345678', email: 'focal@teldoi.example' }] });
  await submitSubscriberLink(s.runtime.ctx, 'TELDOI', { recordId: 'DOI-1', action: 'link', number: PHONE, personalId: p.old, confirmedAt: '2026-01-10' });
  const reissue = await s.call('POST', `/citizens/${p.old}/personal-id-cancellation`, { token: s.tokens.officer, headers: { 'x-purpose': 'reissue' }, body: { reason: 'BIRTH_YEAR_CORRECTED', corrections: { dateOfBirth: '1981-06-06' } } });
  assert.equal(reissue.status, 201, JSON.stringify(reissue.body));
  p.current = reissue.body.citizen.personalId as string;
  assert.notEqual(p.current, p.old);
  tokens.current = (await createPrincipal(s.runtime.store, s.clock, 'Cha', 'citizen', undefined, { personalId: p.current })).token;
  const grants = { grants: [{ service: 'lookupCitizen', fields: ['fullName'], purposes: [PURPOSE, SMS_PURPOSE] }], ratePerMinute: 10_000 };
  bank = (await connectIn(s, agencyBody('NHDOISO', { type: 'credit_institution', name: 'Ngân hàng Đổi Số' }), grants, 'active')).token!;
});
after(async () => s?.close());

describe('consent requests', () => {
  test('over HTTP, with either token: the parent reads and answers for the child (minor_child) and the ward (legal_representative)', async () => {
    const cases = [
      ['current', p.child, 'approve', 'minor_child'],
      ['old', p.child, 'refuse', 'minor_child'],
      ['current', p.ward, 'approve', 'legal_representative'],
    ] as const;
    for (const [token, person, action, ground] of cases) {
      const id = await ask(person);
      const read = await asCitizen(s, tokens[token], 'GET', `/me/consents/${id}?personalId=${person}`);
      assert.equal(read.status, 200, `${token}/${ground}: ${JSON.stringify(read.body)}`);
      const done = await asCitizen(s, tokens[token], 'POST', `/me/consents/${id}/${action}?personalId=${person}`);
      assert.equal(done.status, 200, `${token}/${ground}: ${JSON.stringify(done.body)}`);
      assert.deepEqual(await lastEventOf(person, id), { kind: action === 'approve' ? 'approved' : 'refused', channel: 'api', ground });
    }
  });

  test('by SMS from the number the operator linked to the cancelled one: told of their own request, DONGY answers it (self), TUCHOI the child\'s (minor_child), the use recorded under the child by the current number', async () => {
    const own = await ask(p.current, SMS_PURPOSE);
    const notices = await db().selectFrom('sms_outbox').select('to_number').where('msg_key', 'like', `consent:${own}%`).execute();
    assert.deepEqual(notices.map((n) => n.to_number), [PHONE]);
    const answered = await text(PHONE, `DONGY ${await codeOf(p.current, own)}`);
    assert.equal(answered.outcome, 'answered', answered.reply);
    assert.deepEqual(await lastEventOf(p.current, own), { kind: 'approved', channel: 'sms', ground: 'self' });

    const forChild = await ask(p.child, SMS_PURPOSE);
    const refused = await text(PHONE, `TUCHOI ${await codeOf(p.child, forChild)}`);
    assert.equal(refused.outcome, 'answered', refused.reply);
    assert.equal(refused.reply, 'Ban da tu choi yeu cau cua Ngan hang Doi So ve nguoi ban dai dien.');
    assert.deepEqual(await lastEventOf(p.child, forChild), { kind: 'refused', channel: 'sms', ground: 'minor_child' });
    const uses = await db().selectFrom('access_entry').select(['principal_id', 'outcome', 'purpose']).where('subject_key', '=', p.child).where('action', '=', 'sms:consent').execute();
    assert.deepEqual(uses, [{ principal_id: p.current, outcome: 'served', purpose: 'representation' }]);
  });
});

describe('written requests', () => {
  test('the parent answers the consent question of an organisation\'s request about the child (minor_child)', async () => {
    const made = await s.call('POST', '/written-requests', { token: s.tokens.officer, body: { personalId: p.child, channel: 'post', requester: ORG, fields: ['identity'], purpose: 'Thẩm định hồ sơ', scan: SCAN } });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const r = await asCitizen(s, tokens.current, 'POST', `/me/written-requests/${made.body.requestId}/consent`, { answer: 'given', personalId: p.child });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.status, 'open');
    const step = await db().selectFrom('written_request_event').select(['kind', 'details']).where('request_id', '=', made.body.requestId).orderBy('seq', 'desc').executeTakeFirstOrThrow();
    assert.deepEqual([step.kind, JSON.parse(step.details).ground], ['consent_given', 'minor_child']);
  });

  test('the parent asks in writing for the child\'s data, named by either number: recorded under the current one, ground minor_child', async () => {
    for (const given of [p.current, p.old]) {
      const r = await s.call('POST', '/written-requests', { token: s.tokens.officer, body: { personalId: p.child, channel: 'counter', requester: { kind: 'citizen', personalId: given }, fields: ['identity'], purpose: 'Hồ sơ nhập học', scan: SCAN } });
      assert.equal(r.status, 201, `${given === p.old ? 'old' : 'current'}: ${JSON.stringify(r.body)}`);
      assert.deepEqual(r.body.requester, { kind: 'citizen', personalId: p.current, ground: 'minor_child' });
    }
  });
});
