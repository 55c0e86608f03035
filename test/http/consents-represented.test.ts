/**
 * A representative answers consent requests about the person they represent (decision 0044,
 * 2026-06 addition), over HTTP and by SMS: a parent for a child under 14, a legal representative for
 * the person their record names them for; never a parent for a child of 14 or more, nor anyone for a
 * stranger. Each decision's history row names the actor and the ground; the representative's use is
 * recorded under the person; every row has its transparency-log leaf.
 */
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { smsTexter } from '../support/sms-texting.js';
import { registerWithRelatives, startTestServer, type TestServer } from '../support/http.js';
import { admin, agencyBody, callService, connectIn } from '../support/exchange.js';
import { createPrincipal } from '../../src/services/principals.js';
import { registerAgency } from '../../src/services/exchange/agencies.js';
import { submitSubscriberLink } from '../../src/services/subscribers/index.js';
import { decideConsent, decideInTransaction } from '../../src/services/consents/requests.js';
import type { Db } from '../../src/store/schema.js';
import { as as inSession, citizenWithAccount, FAST_AUTH, signInCitizen, type CitizenSession } from '../support/eid.js';

let s: TestServer;
const PURPOSE = 'KYC-MOTAIKHOAN';
let bank: string;
/** People by role in the family, and their citizen principals' tokens and IDs. */
const p: Record<'parent' | 'mother' | 'child' | 'teen' | 'adult' | 'guardian' | 'ward' | 'stranger' | 'otherChild' | 'reissued' | 'reissuedChild', string> = {} as never;
const tokens: Record<string, string> = {};
const principalIds: Record<string, string> = {};
let reissuedSession: CitizenSession;
const NUMBERS = { parent: '+84981110001', mother: '+84981110002', guardian: '+84981110003', teen: '+84981110004', stranger: '+84981110005' } as const;

const register = (fullName: string, dateOfBirth: string, relatives: { relation: string; who: string }[] = []) => registerWithRelatives(s, fullName, dateOfBirth, relatives);
const as = (who: string, method: string, path: string) =>
  who === 'reissued' ? s.call(method, path, inSession(reissuedSession)) : s.call(method, path, { token: tokens[who]!, headers: { 'x-purpose': '' } });
const ask = async (personalId: string, purpose = PURPOSE) => {
  const r = await s.call('POST', '/exchange/consents', { token: bank, purpose: null, body: { personalId, purpose, data: [{ service: 'lookupCitizen', fields: ['fullName'] }], validDays: 30 } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r;
};
const lookup = (personalId: string) => callService(s, bank, 'lookupCitizen', { personalId }, { 'x-purpose': PURPOSE });
const stateOf = async (personalId: string, consentId: string) => (await s.runtime.store.db.selectFrom('consent_request').select('state').where('personal_id', '=', personalId).where('consent_id', '=', consentId).executeTakeFirstOrThrow()).state;
const eventsOf = (personalId: string, consentId: string) =>
  s.runtime.store.db.selectFrom('consent_event').selectAll().where('personal_id', '=', personalId).where('consent_id', '=', consentId).orderBy('seq').execute();
const leafOf = (subjectKey: string, kind: string, ref: string) => s.runtime.store.db.selectFrom('tlog_leaf_ref').select('digest').where('subject_key', '=', subjectKey).where('kind', '=', kind).where('ref', '=', ref).executeTakeFirst();
const entriesOf = (personalId: string, action: string) =>
  s.runtime.store.db.selectFrom('access_entry').selectAll().where('subject_key', '=', personalId).where('action', '=', action).orderBy('at').orderBy('entry_id').execute();

before(async () => {
  s = await startTestServer('2026-06-01T08:00:00.000Z', { auth: FAST_AUTH, trustProxy: ['127.0.0.1'] });
  await admin(s, 'POST', '/admin/catalogue/2026', undefined, 201);
  await admin(s, 'POST', '/admin/catalogue/2026/publication', {}, 200);
  p.parent = await register('Trần Văn Cha', '1980-01-01');
  p.mother = await register('Lê Thị Mẹ', '1982-02-02');
  p.guardian = await register('Phạm Văn Giám', '1970-03-03');
  p.stranger = await register('Đỗ Văn Lạ', '1975-04-04');
  const parents = [{ relation: 'father', who: p.parent }, { relation: 'mother', who: p.mother }];
  p.child = await register('Trần Thị Mười', '2016-01-10', parents); // 10 on 1 June 2026
  p.teen = await register('Trần Văn Mười Lăm', '2011-01-05', parents); // 15
  p.adult = await register('Trần Văn Lớn', '2000-02-02', parents);
  p.ward = await register('Vũ Thị Được Giám Hộ', '1950-05-05', [{ relation: 'legalRepresentative', who: p.guardian }]);
  p.otherChild = await register('Đỗ Thị Nhỏ', '2017-07-07', [{ relation: 'father', who: p.stranger }]);
  for (const who of ['parent', 'guardian', 'stranger', 'child', 'teen', 'adult', 'ward'] as const) {
    const made = await createPrincipal(s.runtime.store, s.clock, who, 'citizen', undefined, { personalId: p[who] });
    [tokens[who], principalIds[who]] = [made.token, made.principal.id];
  }
  // A parent signed in to the portal (a cookie session: its principal names the number it was bound
  // to) whose personal ID is then re-issued (the record moves to a new number); their child,
  // registered since, names the new number.
  const reissued = await citizenWithAccount(s, { fullName: 'Hoàng Văn Đổi Số', dateOfBirth: '1985-06-06', sex: 'male' });
  const oldNumber = reissued.personalId;
  reissuedSession = await signInCitizen(s, reissued);
  principalIds.reissued = (await s.runtime.store.db.selectFrom('principal').select('id').where('personal_id', '=', oldNumber).executeTakeFirstOrThrow()).id;
  const reissue = await s.call('POST', `/citizens/${oldNumber}/personal-id-cancellation`, { token: s.tokens.officer, headers: { 'x-purpose': 'reissue' }, body: { reason: 'BIRTH_YEAR_CORRECTED', corrections: { dateOfBirth: '1986-06-06' } } });
  assert.equal(reissue.status, 201, JSON.stringify(reissue.body));
  p.reissued = reissue.body.citizen.personalId as string;
  assert.notEqual(p.reissued, oldNumber);
  p.reissuedChild = await register('Hoàng Thị Bé', '2018-08-08', [{ relation: 'father', who: p.reissued }]);
  const grants = { grants: [{ service: 'lookupCitizen', fields: ['fullName', 'dateOfBirth'], purposes: [PURPOSE, '1.004222', 'MATRIX-1', 'SMS-1', 'SMS-2', 'SMS-3'] }], ratePerMinute: 10_000 };
  bank = (await connectIn(s, agencyBody('NHDAIDIEN', { type: 'credit_institution', name: 'Ngân hàng Đại Diện' }), grants, 'active')).token!;
  await registerAgency(s.runtime.ctx, { code: 'TELREP', name: 'Nhà mạng thử', type: 'telecom_operator', stateBudgetFunded: false, focalPoints: [{ fullName: 'Đầu Mối', position: 'Trưởng phòng', phone: '0912345678', email: 'focal@telrep.example' }] });
  for (const [who, number] of Object.entries(NUMBERS)) {
    await submitSubscriberLink(s.runtime.ctx, 'TELREP', { recordId: `REP-${who}`, action: 'link', number: `0${number.slice(3)}`, personalId: p[who as keyof typeof p], confirmedAt: '2026-01-10' });
  }
});
after(async () => s?.close());

describe('over HTTP', () => {
  test('a parent answers their 10-year-old\'s request: listed, read, approved → the bank is served; the history row names the parent\'s principal and the ground; the use recorded under the child; leaves present', async () => {
    const made = await ask(p.child);
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const id = made.body.consentId as string;
    assert.equal((await lookup(p.child)).body.code, 'SUBJECT_CONSENT_PENDING');

    const listed = await as('parent', 'GET', `/me/consents?personalId=${p.child}`);
    assert.equal(listed.status, 200, JSON.stringify(listed.body));
    assert.deepEqual(listed.body.items.map((i: { consentId: string; personalId: string }) => [i.consentId, i.personalId]), [[id, p.child]]);
    assert.equal((await as('parent', 'GET', `/me/consents/${id}?personalId=${p.child}`)).body.state, 'pending');

    const approved = await as('parent', 'POST', `/me/consents/${id}/approve?personalId=${p.child}`);
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    assert.equal(approved.body.state, 'approved');
    assert.deepEqual(approved.body.history.map((h: { kind: string; channel: string; details: { ground?: string } }) => `${h.kind}/${h.channel}/${h.details.ground ?? '-'}`), ['requested/exchange/-', 'approved/api/minor_child']);

    const served = await lookup(p.child);
    assert.equal(served.status, 200, JSON.stringify(served.body));
    assert.equal(served.body.fullName, 'Trần Thị Mười');

    const [requested, decided] = await eventsOf(p.child, id);
    assert.equal(requested!.kind, 'requested');
    assert.equal(decided!.kind, 'approved');
    assert.equal(decided!.actor_id, principalIds.parent, 'the representative\'s principal');
    assert.equal(JSON.parse(decided!.details).ground, 'minor_child');
    for (const e of [requested!, decided!]) assert.ok(await leafOf(p.child, 'consent_event', `${id}/${e.seq}`), `leaf of event ${e.seq}`);

    // The parent's reading and deciding are uses of the child's data: recorded under the child, purpose "representation".
    for (const action of ['listMyConsents', 'getMyConsent', 'approveMyConsent']) {
      const [entry] = await entriesOf(p.child, action);
      assert.ok(entry, action);
      assert.equal(entry.principal_id, principalIds.parent, action);
      assert.equal(entry.purpose, 'representation', action);
      assert.equal(entry.outcome, 'served', action);
      assert.ok(await leafOf(p.child, 'access_entry', entry.entry_id), `leaf of ${action}`);
    }
    // The child sees, in their own view, who decided and on what ground.
    const own = await as('child', 'GET', `/me/consents/${id}`);
    assert.equal(own.status, 200);
    assert.equal(own.body.history.at(-1).details.ground, 'minor_child');

    const withdrawn = await as('parent', 'POST', `/me/consents/${id}/withdraw?personalId=${p.child}`);
    assert.equal(withdrawn.body.state, 'withdrawn', JSON.stringify(withdrawn.body));
    assert.equal((await lookup(p.child)).body.code, 'SUBJECT_CONSENT_WITHDRAWN');
  });

  test('a parent refuses for the child; a legal representative approves for the person they represent (ground legal_representative)', async () => {
    const forChild = (await ask(p.child, '1.004222')).body.consentId as string;
    assert.equal((await as('parent', 'POST', `/me/consents/${forChild}/refuse?personalId=${p.child}`)).body.state, 'refused');
    assert.equal(JSON.parse((await eventsOf(p.child, forChild)).at(-1)!.details).ground, 'minor_child');

    const forWard = (await ask(p.ward)).body.consentId as string;
    const approved = await as('guardian', 'POST', `/me/consents/${forWard}/approve?personalId=${p.ward}`);
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    const last = (await eventsOf(p.ward, forWard)).at(-1)!;
    assert.equal(last.actor_id, principalIds.guardian);
    assert.equal(JSON.parse(last.details).ground, 'legal_representative');
    assert.equal((await lookup(p.ward)).status, 200);
  });

  test('a parent cannot answer for a 15-year-old (CONSENT_ANSWERED_BY_SUBJECT, recorded, nothing changes); the 15-year-old answers alone', async () => {
    const id = (await ask(p.teen)).body.consentId as string;
    const routes: [string, string][] = [
      ['GET', `/me/consents?personalId=${p.teen}`],
      ['GET', `/me/consents/${id}?personalId=${p.teen}`],
      ['POST', `/me/consents/${id}/approve?personalId=${p.teen}`],
      ['POST', `/me/consents/${id}/refuse?personalId=${p.teen}`],
    ];
    for (const [method, path] of routes) {
      const r = await as('parent', method, path);
      assert.equal(r.status, 403, `${method} ${path}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.code, 'CONSENT_ANSWERED_BY_SUBJECT');
      assert.match(r.headers.get('content-type') ?? '', /application\/problem\+json/);
    }
    assert.equal(await stateOf(p.teen, id), 'pending');
    assert.deepEqual((await eventsOf(p.teen, id)).map((e) => e.kind), ['requested']);
    const [refusal] = await entriesOf(p.teen, 'approveMyConsent');
    assert.equal(refusal?.outcome, 'refused');
    assert.equal(refusal?.error_code, 'CONSENT_ANSWERED_BY_SUBJECT');
    assert.equal(refusal?.principal_id, principalIds.parent);

    const own = await as('teen', 'POST', `/me/consents/${id}/approve`);
    assert.equal(own.status, 200, JSON.stringify(own.body));
    assert.equal(own.body.history.at(-1).details.ground, 'self');
    assert.equal((await eventsOf(p.teen, id)).at(-1)!.actor_id, principalIds.teen);
  });

  test('the authorization matrix: self, parent of a minor, parent of an adult, legal representative, unrelated citizen, officer, a parent signed in under a re-issued number', async () => {
    const forChild = (await ask(p.child, 'MATRIX-1')).body.consentId as string;
    const forAdult = (await ask(p.adult, 'MATRIX-1')).body.consentId as string;
    const forWard = (await ask(p.ward, 'MATRIX-1')).body.consentId as string;
    const forOther = (await ask(p.otherChild, 'MATRIX-1')).body.consentId as string;
    const forReissuedChild = (await ask(p.reissuedChild, 'MATRIX-1')).body.consentId as string;
    assert.ok(forChild && forAdult && forWard && forOther && forReissuedChild);
    const read = (who: string, person: string | undefined, id: string) => as(who, 'GET', `/me/consents/${id}${person ? `?personalId=${person}` : ''}`);
    const cases: [string, () => Promise<{ status: number; body: any }>, number, string?][] = [
      ['the child themself', () => read('child', undefined, forChild), 200],
      ['the child naming themself', () => read('child', p.child, forChild), 200],
      ['parent of the minor', () => read('parent', p.child, forChild), 200],
      ['parent of the adult', () => read('parent', p.adult, forAdult), 403, 'NOT_REPRESENTED'],
      ['the adult themself', () => read('adult', undefined, forAdult), 200],
      ['legal representative', () => read('guardian', p.ward, forWard), 200],
      ['the represented person themself', () => read('ward', undefined, forWard), 200],
      ['unrelated citizen naming the child', () => read('stranger', p.child, forChild), 403, 'NOT_REPRESENTED'],
      ['unrelated citizen, by the ID alone', () => read('stranger', undefined, forChild), 404, 'CONSENT_REQUEST_NOT_FOUND'],
      ['parent for a stranger\'s child', () => read('parent', p.otherChild, forOther), 403, 'NOT_REPRESENTED'],
      ['parent naming the child, another person\'s request', () => read('parent', p.child, forWard), 404, 'CONSENT_REQUEST_NOT_FOUND'],
      ['parent naming nobody the registry has', () => read('parent', '099999999999', forChild), 403, 'NOT_REPRESENTED'],
      ['a child for the parent', () => read('child', p.parent, forChild), 403, 'NOT_REPRESENTED'],
      ['officer', () => s.call('GET', `/me/consents/${forChild}?personalId=${p.child}`, { token: s.tokens.officer }), 403, 'FORBIDDEN'],
      ['unrelated citizen approves', () => as('stranger', 'POST', `/me/consents/${forChild}/approve?personalId=${p.child}`), 403, 'NOT_REPRESENTED'],
      ['parent of the adult approves', () => as('parent', 'POST', `/me/consents/${forAdult}/approve?personalId=${p.adult}`), 403, 'NOT_REPRESENTED'],
      ['parent approves for a stranger\'s child', () => as('parent', 'POST', `/me/consents/${forOther}/approve?personalId=${p.otherChild}`), 403, 'NOT_REPRESENTED'],
      ['officer approves', () => s.call('POST', `/me/consents/${forChild}/approve?personalId=${p.child}`, { token: s.tokens.officer }), 403, 'FORBIDDEN'],
      ['a malformed personal ID', () => read('parent', '12345', forChild), 400, 'VALIDATION_FAILED'],
      ['parent in a portal session under a personal ID since re-issued', () => read('reissued', p.reissuedChild, forReissuedChild), 200],
      ['that parent approves', () => as('reissued', 'POST', `/me/consents/${forReissuedChild}/approve?personalId=${p.reissuedChild}`), 200],
    ];
    for (const [name, run, status, code] of cases) {
      const r = await run();
      assert.equal(r.status, status, `${name}: ${JSON.stringify(r.body)}`);
      if (code) assert.equal(r.body.code, code, name);
    }
    for (const [person, id] of [[p.child, forChild], [p.adult, forAdult], [p.ward, forWard], [p.otherChild, forOther]] as const) assert.equal(await stateOf(person, id), 'pending', 'nobody decided');
    const decided = (await eventsOf(p.reissuedChild, forReissuedChild)).at(-1)!;
    assert.deepEqual([decided.kind, decided.actor_id, JSON.parse(decided.details).ground], ['approved', principalIds.reissued, 'minor_child']);
  });
});

describe('the ground a decision names', () => {
  test('is always given by the caller: the decision services have no default (a forgotten ground would record a representative\'s decision as the person\'s own) — checked by the type checker', () => {
    const withoutGround = [
      // @ts-expect-error the ground is required
      () => decideConsent(s.runtime.ctx, p.child, principalIds.parent!, randomUUID(), 'approve', 'api'),
      // @ts-expect-error the ground is required
      (tx: Db) => decideInTransaction(tx, s.clock.now().toISOString(), p.child, `sms:${NUMBERS.parent}`, randomUUID(), 'approve', 'sms'),
    ];
    assert.equal(withoutGround.length, 2);
  });
});

describe('by SMS', () => {
  const text = smsTexter(() => s, 300);
  const noticesOf = (consentId: string) => s.runtime.store.db.selectFrom('sms_outbox').select(['to_number', 'body', 'kind']).where('msg_key', 'like', `consent:${consentId}%`).orderBy('to_number').execute();
  const codeOf = async (who: string, person: string, id: string) => (await as(who, 'GET', `/me/consents/${id}?personalId=${person}`)).body.code as string;

  test('a child under 14 (no number): both parents are told, with the code and nothing about the child; a 15-year-old is told alone; a ward\'s guardian is told', async () => {
    const forChild = (await ask(p.child, 'SMS-1')).body.consentId as string;
    const code = await codeOf('parent', p.child, forChild);
    const notices = await noticesOf(forChild);
    assert.deepEqual(notices.map((n) => n.to_number), [NUMBERS.parent, NUMBERS.mother]);
    for (const n of notices) {
      assert.equal(n.kind, 'notice');
      assert.ok(n.body.includes(code) && n.body.includes('Ngan hang Dai Dien') && n.body.includes('nguoi ban dai dien'), n.body);
      for (const leak of [p.child, 'Mười', 'Muoi', '2016']) assert.ok(!n.body.includes(leak), `${leak} in ${n.body}`);
    }
    const forTeen = (await ask(p.teen, 'SMS-1')).body.consentId as string;
    const teenNotices = await noticesOf(forTeen);
    assert.deepEqual(teenNotices.map((n) => n.to_number), [NUMBERS.teen]);
    assert.ok(!teenNotices[0]!.body.includes('nguoi ban dai dien'), 'the person\'s own notice');
    const forWard = (await ask(p.ward, 'SMS-1')).body.consentId as string;
    assert.deepEqual((await noticesOf(forWard)).map((n) => n.to_number), [NUMBERS.guardian]);
  });

  test('DONGY <code> from a parent\'s number decides for the child under 14 (actor the number, ground minor_child, the use recorded under the child); not for the 15-year-old, nor from a stranger\'s number (the reply an unknown code gets; the refusal recorded under the person)', async () => {
    const forChild = (await ask(p.child, 'SMS-2')).body.consentId as string;
    const forTeen = (await ask(p.teen, 'SMS-2')).body.consentId as string;
    const [childCode, teenCode] = [await codeOf('parent', p.child, forChild), await codeOf('teen', p.teen, forTeen)];

    // Refused: the same reply as a code nobody has (it tells nothing), nothing decided, the refusal recorded under the person.
    const unknown = (await text(NUMBERS.stranger, 'DONGY 22222222')).reply;
    assert.equal((await entriesOf(p.child, 'sms:consent')).length, 0);
    const refusals: [keyof typeof NUMBERS, string, string, string][] = [['stranger', childCode, p.child, 'NOT_REPRESENTED'], ['parent', teenCode, p.teen, 'CONSENT_ANSWERED_BY_SUBJECT']];
    for (const [who, code, person, errorCode] of refusals) {
      const refused = await text(NUMBERS[who], `DONGY ${code}`);
      assert.deepEqual(refused, { outcome: 'not-found', reply: unknown }, who);
      const entries = await entriesOf(person, 'sms:consent');
      assert.equal(entries.length, 1, `${who}: one refusal under the person`);
      const e = entries[0]!;
      assert.deepEqual([e.principal_id, e.outcome, e.error_code, e.http_status, e.purpose, e.channel, JSON.parse(e.fields)], [p[who], 'refused', errorCode, 403, 'representation', 'sms', []], who);
      assert.ok(await leafOf(person, 'access_entry', e.entry_id), `leaf of the ${who}'s refusal`);
    }
    assert.equal(await stateOf(p.child, forChild), 'pending');
    assert.equal(await stateOf(p.teen, forTeen), 'pending');
    assert.deepEqual((await eventsOf(p.teen, forTeen)).map((e) => e.kind), ['requested']);

    const answered = await text(NUMBERS.mother, `Dong y ${childCode.toLowerCase()}`);
    assert.equal(answered.outcome, 'answered');
    assert.equal(answered.reply, 'Ban da dong y yeu cau cua Ngan hang Dai Dien ve nguoi ban dai dien. Rut lai: tren tai khoan dinh danh dien tu.', 'unaccented, the agency\'s name too: GSM-7');
    assert.equal(await stateOf(p.child, forChild), 'approved');
    const last = (await eventsOf(p.child, forChild)).at(-1)!;
    assert.equal(last.actor_id, `sms:${NUMBERS.mother}`);
    assert.equal(last.channel, 'sms');
    assert.equal(JSON.parse(last.details).ground, 'minor_child');
    assert.ok(await leafOf(p.child, 'consent_event', `${forChild}/${last.seq}`));
    const use = (await entriesOf(p.child, 'sms:consent')).find((e) => e.outcome === 'served');
    assert.ok(use, 'the mother\'s answer is a use of the child\'s data');
    assert.equal(use.principal_id, p.mother);
    assert.equal(use.purpose, 'representation');
    assert.equal(use.channel, 'sms');
    assert.ok(await leafOf(p.child, 'access_entry', use.entry_id));
    // A second answer from the other parent finds it decided.
    assert.match((await text(NUMBERS.parent, `TUCHOI ${childCode}`)).reply ?? '', /khong con cho tra loi/);
    assert.equal(await stateOf(p.child, forChild), 'approved');

    // The 15-year-old answers from their own number.
    assert.equal((await text(NUMBERS.teen, `TUCHOI ${teenCode}`)).outcome, 'answered');
    const teenLast = (await eventsOf(p.teen, forTeen)).at(-1)!;
    assert.equal(teenLast.kind, 'refused');
    assert.equal(JSON.parse(teenLast.details).ground, 'self');
    assert.deepEqual((await entriesOf(p.teen, 'sms:consent')).map((e) => [e.principal_id, e.outcome]), [[p.parent, 'refused']], 'the parent\'s refusal only: one\'s own answer is no entry');
  });

  test('a guardian answers by SMS for the person they represent (ground legal_representative)', async () => {
    const id = (await ask(p.ward, 'SMS-3')).body.consentId as string;
    const code = await codeOf('guardian', p.ward, id);
    assert.equal((await text(NUMBERS.guardian, `TUCHOI ${code}`)).reply, 'Ban da tu choi yeu cau cua Ngan hang Dai Dien ve nguoi ban dai dien.');
    const last = (await eventsOf(p.ward, id)).at(-1)!;
    assert.equal(last.kind, 'refused');
    assert.equal(JSON.parse(last.details).ground, 'legal_representative');
  });
});
