/**
 * Citizens' e-ID accounts over real HTTP (decision 0042), on SQLite and PostgreSQL: level-1
 * self-registration end to end (the code read from the SMS outbox as the SMSC would deliver it) and
 * sign-in with the personal ID, no enumeration (the same answer and the same hashing work whatever
 * the reason), code attempts / resends / expiry / request limits, level 2 at the counter (an adult,
 * and an under-14 through a parent's account and number), activation within and after 7 days with
 * the clock injected, the lapse sweep, locks by the citizen, by the SMS keyword and by the
 * authority effective on the next request in every channel (session, sign-in, bearer token, SMS
 * code: the outbox stays empty), self-unlock, phone and e-mail change with a code to the new
 * contact, and two simultaneous registrations of one person.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, birthBody, type TestServer } from '../support/http.js';
import { registerAgency } from '../../src/services/exchange/agencies.js';
import { submitSubscriberLink } from '../../src/services/subscribers/index.js';
import { issueToken } from '../../src/services/principals.js';
import { authSettings } from '../../src/services/auth/settings.js';
import { hashPassword } from '../../src/services/auth/passwords.js';
import { startRegistration } from '../../src/services/eid/registration.js';
import { openCodeChallenge, requestKeys, sendChallengeCode } from '../../src/services/eid/codes.js';
import { lockEidChallenge, spendEidChallenges } from '../../src/store/repositories/eid-accounts.js';
import { activationDeadline } from '../../src/domain/eid/rules.js';
import type { Db } from '../../src/store/schema.js';
import type { Store } from '../../src/store/connect.js';
import { sweepLapsedAccounts } from '../../src/services/eid/accounts.js';
import { citizenSignInState } from '../../src/services/eid/state.js';
import { answerSms } from '../../src/services/sms/citizen-sms.js';
import { receiveSmsPart } from '../../src/services/sms/inbox.js';
import { listPrincipalEvents } from '../../src/store/repositories/principal-events.js';
import { listPendingMail } from '../../src/store/repositories/mail-outbox.js';
import { lockReply } from '../../src/domain/sms/replies.js';

let s: TestServer;
const FAST = { scryptLogN: 12 };
const OPERATOR = { code: 'EIDTEL', name: 'Nhà mạng thử nghiệm', type: 'telecom_operator' as const, stateBudgetFunded: false, focalPoints: [{ fullName: 'Trần Văn Đầu Mối', position: 'Trưởng phòng', phone: '0912345678', email: 'focal@eidtel.example' }] };
const PASSWORD = 'mây trắng bay qua đồi';

let nextRecord = 0;
let nextNumber = 0;
let nextIp = 0;
const newNumber = () => `+8497${String(++nextNumber).padStart(7, '0')}`;
/** Each test calls from its own address (behind the trusted loopback proxy): the per-address limits stay out of the way. */
const ip = () => ({ 'x-forwarded-for': `10.42.${Math.floor(++nextIp / 250)}.${(nextIp % 250) + 1}` });

async function link(number: string, personalId: string): Promise<void> {
  await submitSubscriberLink(s.runtime.ctx, OPERATOR.code, { recordId: `E-${++nextRecord}`, action: 'link', number, personalId, confirmedAt: '2026-05-01T09:00:00+07:00' });
}

async function citizen(overrides: Record<string, unknown> = {}): Promise<string> {
  const r = await s.call('POST', '/citizens', { token: s.tokens.officer, body: birthBody({ fullName: 'Phạm Thị Thử', dateOfBirth: '1990-04-04', sex: 'female', ...overrides }) });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.personalId;
}

/** A citizen with a number the register links to them. */
async function person(overrides: Record<string, unknown> = {}): Promise<{ id: string; phone: string }> {
  const id = await citizen(overrides);
  const phone = newNumber();
  await link(phone, id);
  return { id, phone };
}

/** The text of the newest one-time code message to a number, as the SMSC would deliver it. */
async function otpRows(phone: string) {
  return s.runtime.store.db.selectFrom('sms_outbox').selectAll().where('kind', '=', 'otp').where('to_number', '=', phone).orderBy('created_at', 'desc').orderBy('message_id', 'desc').execute();
}
async function lastCode(phone: string): Promise<string> {
  const rows = await otpRows(phone);
  assert.ok(rows.length > 0, `a code went to ${phone}`);
  const m = /(\d{6})/.exec(rows[0]!.body);
  assert.ok(m, rows[0]!.body);
  return m[1]!;
}
const otpCount = async (phone: string) => (await otpRows(phone)).length;

async function register(p: { id: string; phone: string }, password = PASSWORD): Promise<string> {
  const one = await s.call('POST', '/eid/registrations', { body: { personalId: p.id, phone: p.phone, password }, headers: ip() });
  assert.equal(one.status, 200, JSON.stringify(one.body));
  const two = await s.call('POST', '/eid/registrations/confirm', { body: { challenge: one.body.challenge, code: await lastCode(p.phone) }, headers: ip() });
  assert.equal(two.status, 201, JSON.stringify(two.body));
  return two.body.principalId;
}

interface Session {
  cookie: string;
  csrf: string;
}
const cookieOf = (headers: Headers) => headers.getSetCookie().find((h) => h.startsWith('dancu-session='))?.split(';')[0];

async function signIn(p: { id: string; phone: string }, password = PASSWORD): Promise<Session> {
  s.clock.advance(1000);
  const one = await s.call('POST', '/auth/sign-in', { body: { login: p.id, password }, headers: ip() });
  assert.equal(one.status, 200, JSON.stringify(one.body));
  assert.equal(one.body.next, 'sms');
  const two = await s.call('POST', '/auth/sign-in/second-factor', { body: { challenge: one.body.challenge, code: await lastCode(p.phone) }, headers: ip() });
  assert.equal(two.status, 200, JSON.stringify(two.body));
  return { cookie: cookieOf(two.headers)!, csrf: two.body.csrfToken };
}
const asMe = (x: Session) => ({ headers: { cookie: x.cookie, 'x-csrf-token': x.csrf } });

async function qrOf(personalId: string, issueDate = '2025-01-10'): Promise<string> {
  const issued = await s.call('POST', `/citizens/${personalId}/cards`, { token: s.tokens.officer, body: { issueDate } });
  assert.equal(issued.status, 201, JSON.stringify(issued.body));
  const qr = await s.call('GET', `/citizens/${personalId}/cards/qr`, { token: s.tokens.officer });
  assert.equal(qr.status, 200, JSON.stringify(qr.body));
  return qr.body.payload;
}

before(async () => {
  s = await startTestServer('2026-06-01T02:00:00.000Z', { auth: FAST, trustProxy: ['127.0.0.1'] });
  await registerAgency(s.runtime.ctx, OPERATOR);
});
after(async () => s?.close());

describe('level 1: self-registration', () => {
  test('personal ID, own number, password → a code by SMS → the account, active at once → sign-in with the personal ID and an SMS code', async () => {
    const p = await person();
    const one = await s.call('POST', '/eid/registrations', { body: { personalId: p.id, phone: `0${p.phone.slice(3)}`, password: PASSWORD }, headers: ip() });
    assert.equal(one.status, 200);
    assert.match(one.body.challenge, /^dec_[A-Za-z0-9_-]{43}$/);
    assert.equal(one.body.sentTo, `${'*'.repeat(9)}${p.phone.slice(-3)}`);
    assert.equal(one.body.expiresAt, new Date(s.clock.now().getTime() + 10 * 60_000).toISOString());
    const code = await lastCode(p.phone);
    const wrong = await s.call('POST', '/eid/registrations/confirm', { body: { challenge: one.body.challenge, code: code === '000000' ? '111111' : '000000' }, headers: ip() });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.code, 'EID_CODE_INVALID');
    const two = await s.call('POST', '/eid/registrations/confirm', { body: { challenge: one.body.challenge, code }, headers: ip() });
    assert.equal(two.status, 201, JSON.stringify(two.body));
    assert.deepEqual({ ...two.body, principalId: undefined, activatedAt: undefined }, { principalId: undefined, activatedAt: undefined, level: 1, state: 'active', phone: one.body.sentTo, secondFactor: 'sms', locked: false }, 'a public answer names nobody');
    // The code is spent with the challenge.
    assert.equal((await s.call('POST', '/eid/registrations/confirm', { body: { challenge: one.body.challenge, code }, headers: ip() })).body.code, 'EID_CHALLENGE_INVALID');

    const session = await signIn(p);
    const me = await s.call('GET', '/me/eid', { headers: { cookie: session.cookie } });
    assert.equal(me.status, 200, JSON.stringify(me.body));
    assert.equal(me.body.principalId, two.body.principalId);
    assert.equal(me.body.level, 1);
    const who = await s.call('GET', '/auth/session', { headers: { cookie: session.cookie } });
    assert.equal(who.body.role, 'citizen');
    // A citizen's session is not an officer's.
    assert.equal((await s.call('GET', `/citizens/${p.id}`, { headers: { cookie: session.cookie } })).body.code, 'FORBIDDEN');
    assert.deepEqual(await citizenSignInState(s.runtime.store.db, two.body.principalId, s.clock.now().getTime()), { level: 1, state: 'active', locked: false });

    const kinds = (await listPrincipalEvents(s.runtime.store.db, two.body.principalId)).map((e) => e.kind);
    assert.deepEqual(kinds, ['created', 'eid-issued', 'eid-activated', 'signed-in']);
    const events = JSON.stringify(await listPrincipalEvents(s.runtime.store.db, two.body.principalId));
    assert.ok(!events.includes(p.phone) && !events.includes(PASSWORD), 'no number or password in the records');
  });

  test('no enumeration: unknown person, a number not theirs, an account already — the same answer, the same hashing, no code sent', async () => {
    const eligible = await person();
    const other = await person();
    const holder = await person();
    await register(holder);
    const cases = [
      { name: 'eligible', personalId: eligible.id, phone: eligible.phone },
      { name: 'unknown person', personalId: '001099999998', phone: eligible.phone },
      { name: 'not their number', personalId: eligible.id, phone: other.phone },
      { name: 'account exists', personalId: holder.id, phone: holder.phone },
    ];
    const d = { store: s.runtime.ctx.store, clock: s.clock, settings: authSettings(FAST), ctx: s.runtime.ctx };
    const answers: { name: string; body: Record<string, unknown>; hashes: number; sent: number }[] = [];
    for (const c of cases) {
      let hashes = 0;
      const before = await otpCount(c.phone);
      const step = await startRegistration({ ...d, hashPassword: (pw, n) => (hashes++, hashPassword(pw, n)) }, { personalId: c.personalId, phone: c.phone, password: PASSWORD }, { sourceIp: `10.77.0.${answers.length + 1}` });
      answers.push({ name: c.name, body: { ...step, challenge: step.challenge.length }, hashes, sent: (await otpCount(c.phone)) - before });
      // Over HTTP as well: status and body shape are one.
      const r = await s.call('POST', '/eid/registrations', { body: { personalId: c.personalId, phone: c.phone, password: PASSWORD }, headers: ip() });
      assert.equal(r.status, 200, c.name);
      assert.deepEqual(Object.keys(r.body).sort(), ['challenge', 'expiresAt', 'sentTo'], c.name);
      const confirm = await s.call('POST', '/eid/registrations/confirm', { body: { challenge: r.body.challenge, code: '123456' }, headers: ip() });
      if (c.name !== 'eligible') assert.deepEqual([confirm.status, confirm.body.code], [401, 'EID_CODE_INVALID'], c.name);
    }
    const [first, ...rest] = answers;
    for (const a of rest) {
      assert.deepEqual(a.body, { ...first!.body, sentTo: a.body.sentTo }, a.name);
      assert.equal(a.hashes, 1, `${a.name}: one password hash, as for an eligible person`);
      assert.equal(a.sent, 0, `${a.name}: nothing sent`);
    }
    assert.equal(first!.hashes, 1);
    assert.equal(first!.sent, 1);
    assert.equal(answers[2]!.body.sentTo, String(answers[0]!.body.sentTo).replace(eligible.phone.slice(-3), other.phone.slice(-3)));
  });

  test('limits: five wrong codes spend the challenge; resends 30 s apart, three in all; ten minutes; four starts for one ID wait', async () => {
    const p = await person();
    const h = ip();
    const one = await s.call('POST', '/eid/registrations', { body: { personalId: p.id, phone: p.phone, password: PASSWORD }, headers: h });
    const code = await lastCode(p.phone);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) assert.equal((await s.call('POST', '/eid/registrations/confirm', { body: { challenge: one.body.challenge, code: wrong }, headers: h })).body.code, 'EID_CODE_INVALID');
    assert.equal((await s.call('POST', '/eid/registrations/confirm', { body: { challenge: one.body.challenge, code }, headers: h })).body.code, 'EID_CHALLENGE_INVALID', 'spent after five');

    const two = await s.call('POST', '/eid/registrations', { body: { personalId: p.id, phone: p.phone, password: PASSWORD }, headers: ip() });
    const soon = await s.call('POST', '/eid/registrations/resend-code', { body: { challenge: two.body.challenge } });
    assert.equal(soon.status, 429);
    assert.equal(soon.body.code, 'CODE_RESEND_TOO_SOON');
    assert.equal(soon.headers.get('retry-after'), '30');
    const firstCode = await lastCode(p.phone);
    s.clock.advance(30_000);
    assert.equal((await s.call('POST', '/eid/registrations/resend-code', { body: { challenge: two.body.challenge } })).status, 200);
    const secondCode = await lastCode(p.phone);
    s.clock.advance(30_000);
    assert.equal((await s.call('POST', '/eid/registrations/resend-code', { body: { challenge: two.body.challenge } })).status, 200);
    s.clock.advance(30_000);
    assert.equal((await s.call('POST', '/eid/registrations/resend-code', { body: { challenge: two.body.challenge } })).body.code, 'CODE_RESEND_LIMIT');
    // A resend replaces the earlier code.
    if (firstCode !== secondCode) assert.equal((await s.call('POST', '/eid/registrations/confirm', { body: { challenge: two.body.challenge, code: firstCode }, headers: ip() })).body.code, 'EID_CODE_INVALID');
    s.clock.advance(10 * 60_000);
    assert.equal((await s.call('POST', '/eid/registrations/confirm', { body: { challenge: two.body.challenge, code: await lastCode(p.phone) }, headers: ip() })).body.code, 'EID_CHALLENGE_INVALID', 'expired');

    // Three starts for this ID so far are free; the fourth waits a minute, then the next doubles.
    await s.call('POST', '/eid/registrations', { body: { personalId: p.id, phone: p.phone, password: PASSWORD }, headers: ip() });
    const fourth = await s.call('POST', '/eid/registrations', { body: { personalId: p.id, phone: p.phone, password: PASSWORD }, headers: ip() });
    assert.equal(fourth.status, 200);
    const fifth = await s.call('POST', '/eid/registrations', { body: { personalId: p.id, phone: p.phone, password: PASSWORD }, headers: ip() });
    assert.equal(fifth.status, 429);
    assert.equal(fifth.body.code, 'EID_TOO_MANY_REQUESTS');
    assert.equal(fifth.headers.get('retry-after'), '60');
    s.clock.advance(60_000);
    assert.equal((await s.call('POST', '/eid/registrations', { body: { personalId: p.id, phone: p.phone, password: PASSWORD }, headers: ip() })).status, 200);
  });

  test('limits per source address: fifteen free starts (an office behind one NAT) and the one that starts the delay, then a wait, whatever the IDs', async () => {
    const h = ip();
    const start = (i: number) => s.call('POST', '/eid/registrations', { body: { personalId: `0010990${String(i).padStart(5, '0')}`, phone: newNumber(), password: PASSWORD }, headers: h });
    for (let i = 0; i < 16; i++) assert.equal((await start(i)).status, 200, `start ${i + 1}`);
    const over = await start(16);
    assert.deepEqual([over.status, over.body.code, over.headers.get('retry-after')], [429, 'EID_TOO_MANY_REQUESTS', '60']);
    // Another address is not held up.
    assert.equal((await s.call('POST', '/eid/registrations', { body: { personalId: '001099000099', phone: newNumber(), password: PASSWORD }, headers: ip() })).status, 200);
  });

  test('bad input: 400 with its code, nothing stored', async () => {
    const p = await person();
    const cases: [Record<string, unknown>, string][] = [
      [{ personalId: p.id, phone: '12345', password: PASSWORD }, 'PHONE_NUMBER_INVALID'],
      [{ personalId: p.id, phone: p.phone, password: 'short' }, 'PASSWORD_TOO_SHORT'],
      [{ personalId: p.id, phone: p.phone, password: 'iloveyou1' }, 'PASSWORD_COMMON'],
      [{ personalId: p.id, phone: p.phone, password: `mk ${p.id} của tôi` }, 'PASSWORD_CONTEXT_WORD'],
      [{ personalId: '12345', phone: p.phone, password: PASSWORD }, 'VALIDATION_FAILED'],
      [{ personalId: p.id, phone: p.phone }, 'VALIDATION_FAILED'],
    ];
    for (const [body, code] of cases) {
      const r = await s.call('POST', '/eid/registrations', { body, headers: ip() });
      assert.deepEqual([r.status, r.body.code], [400, code], JSON.stringify(body));
    }
    assert.equal(await otpCount(p.phone), 0);
  });

  test('two registrations of one person confirmed at once: one account', async () => {
    const p = await person();
    const a = await s.call('POST', '/eid/registrations', { body: { personalId: p.id, phone: p.phone, password: PASSWORD }, headers: ip() });
    const codeA = await lastCode(p.phone);
    const b = await s.call('POST', '/eid/registrations', { body: { personalId: p.id, phone: p.phone, password: `${PASSWORD} hai` }, headers: ip() });
    const codeB = await lastCode(p.phone);
    const [x, y] = await Promise.all([
      s.call('POST', '/eid/registrations/confirm', { body: { challenge: a.body.challenge, code: codeA }, headers: ip() }),
      s.call('POST', '/eid/registrations/confirm', { body: { challenge: b.body.challenge, code: codeB }, headers: ip() }),
    ]);
    assert.deepEqual([x.status, y.status].sort(), [201, 409], JSON.stringify([x.body, y.body]));
    assert.equal([x, y].find((r) => r.status === 409)!.body.code, 'EID_ACCOUNT_EXISTS');
    const rows = await s.runtime.store.db.selectFrom('eid_account').select('principal_id').where('personal_id', '=', p.id).execute();
    assert.equal(rows.length, 1);
    const logins = await s.runtime.store.db.selectFrom('login_account').select('principal_id').where('login', '=', p.id).execute();
    assert.deepEqual(logins, rows);
  });
});

describe('level 2 at the counter, activation', () => {
  test('an adult: card QR verified, own number → pending, code by SMS; activation with a password within 7 days; sign-in', async () => {
    const p = await person({ fullName: 'Vũ Văn Quầy', dateOfBirth: '1985-07-07', sex: 'male' });
    const qr = await qrOf(p.id);
    const notLinked = await s.call('POST', '/eid/accounts/level2', { token: s.tokens.officer, body: { qrPayload: qr, phone: newNumber() } });
    assert.deepEqual([notLinked.status, notLinked.body.code], [422, 'EID_PHONE_NOT_LINKED']);
    const forged = qr.replace('Vũ Văn Quầy', 'Vũ Văn Giả');
    assert.equal((await s.call('POST', '/eid/accounts/level2', { token: s.tokens.officer, body: { qrPayload: forged, phone: p.phone } })).body.code, 'EID_CARD_NOT_VERIFIED');
    assert.equal((await s.call('POST', '/eid/accounts/level2', { token: s.tokens.inspector, body: { qrPayload: qr, phone: p.phone } })).body.code, 'FORBIDDEN');
    assert.equal((await s.call('POST', '/eid/accounts/level2', { token: s.tokens.officer, body: { qrPayload: qr, phone: p.phone }, purpose: null })).status, 400, 'an officer gives a purpose');

    const r = await s.call('POST', '/eid/accounts/level2', { token: s.tokens.officer, body: { qrPayload: qr, phone: p.phone } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.level, 2);
    assert.equal(r.body.state, 'pending-activation');
    // Notice at 09:00+07 on 1 June or later the same day → the end of 8 June, Vietnam time.
    assert.equal(r.body.activationDeadline, '2026-06-08T17:00:00.000Z');
    const code = await lastCode(p.phone);
    // Pending: no sign-in, whatever the password.
    assert.equal((await s.call('POST', '/auth/sign-in', { body: { login: p.id, password: PASSWORD }, headers: ip() })).body.code, 'SIGN_IN_FAILED');
    assert.equal((await s.call('POST', '/eid/activation', { body: { personalId: p.id, code } })).body.code, 'EID_PASSWORD_REQUIRED');
    assert.equal((await s.call('POST', '/eid/activation', { body: { personalId: p.id, code: code === '000000' ? '111111' : '000000', password: PASSWORD } })).body.code, 'EID_CODE_INVALID');
    assert.equal((await s.call('POST', '/eid/activation', { body: { personalId: '001099999997', code, password: PASSWORD } })).body.code, 'EID_CODE_INVALID', 'unknown: the same answer');
    s.clock.advance(6 * 86_400_000);
    const ok = await s.call('POST', '/eid/activation', { body: { personalId: p.id, code, password: PASSWORD } });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body.state, 'active');
    await signIn(p);
    const seen = await s.call('GET', `/eid/accounts/${p.id}`, { token: s.tokens.officer });
    assert.equal(seen.body.level, 2);
    const kinds = (await listPrincipalEvents(s.runtime.store.db, r.body.principalId)).map((e) => e.kind);
    assert.deepEqual(kinds, ['created', 'eid-issued', 'eid-notice-sent', 'sign-in-failed', 'eid-activated', 'signed-in']);
  });

  test('an under-14: through a parent who holds an e-ID account, with the parent\'s number', async () => {
    const parent = await person({ fullName: 'Đỗ Văn Bố', dateOfBirth: '1980-01-01', sex: 'male' });
    const stranger = await person({ fullName: 'Hà Văn Lạ', dateOfBirth: '1981-01-01', sex: 'male' });
    const childId = await citizen({ fullName: 'Đỗ Thị Con', dateOfBirth: '2016-09-09', relatives: [{ relation: 'father', personalId: parent.id, fullName: 'Đỗ Văn Bố', nationality: 'VN' }] });
    const childPhone = newNumber();
    await link(childPhone, childId);
    const qr = await qrOf(childId);
    const call = (body: Record<string, unknown>) => s.call('POST', '/eid/accounts/level2', { token: s.tokens.officer, body: { qrPayload: qr, ...body } });
    assert.equal((await call({ phone: childPhone })).body.code, 'EID_REPRESENTATIVE_REQUIRED');
    assert.equal((await call({ phone: stranger.phone, representativePersonalId: stranger.id })).body.code, 'EID_REPRESENTATIVE_NOT_ALLOWED');
    assert.equal((await call({ phone: parent.phone, representativePersonalId: parent.id })).body.code, 'EID_REPRESENTATIVE_NO_ACCOUNT');
    await register(parent);
    assert.equal((await call({ phone: childPhone, representativePersonalId: parent.id })).body.code, 'EID_PHONE_NOT_LINKED', 'the representative\'s own number');
    const r = await call({ phone: parent.phone, representativePersonalId: parent.id });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.representativePersonalId, parent.id);
    assert.equal(r.body.sentTo, `${'*'.repeat(9)}${parent.phone.slice(-3)}`);
    const ok = await s.call('POST', '/eid/activation', { body: { personalId: childId, code: await lastCode(parent.phone), password: 'con bé học lớp bốn' } });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    // The child's sign-in code goes to the parent's number.
    await signIn({ id: childId, phone: parent.phone }, 'con bé học lớp bốn');
    // An adult does not name a representative.
    const adult = await person({ dateOfBirth: '1970-02-02' });
    assert.equal((await s.call('POST', '/eid/accounts/level2', { token: s.tokens.officer, body: { qrPayload: await qrOf(adult.id), phone: adult.phone, representativePersonalId: parent.id } })).body.code, 'EID_REPRESENTATIVE_NOT_ALLOWED');
  });

  test('a level-1 account raised at the counter keeps its password; an active level 2 is not issued twice', async () => {
    const p = await person({ fullName: 'Lý Thị Nâng', dateOfBirth: '1992-02-02' });
    const id = await register(p);
    const qr = await qrOf(p.id);
    const r = await s.call('POST', '/eid/accounts/level2', { token: s.tokens.officer, body: { qrPayload: qr, phone: p.phone } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.principalId, id);
    const ok = await s.call('POST', '/eid/activation', { body: { personalId: p.id, code: await lastCode(p.phone) } });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.deepEqual([ok.body.level, ok.body.state], [2, 'active']);
    await signIn(p);
    assert.equal((await s.call('POST', '/eid/accounts/level2', { token: s.tokens.officer, body: { qrPayload: qr, phone: p.phone } })).body.code, 'EID_ALREADY_LEVEL2');
  });

  test('a stranger with only the personal ID cannot spend the notice: attempts wait (per ID, whatever the address), the code still works', async () => {
    const p = await person({ fullName: 'Lê Văn Chờ', dateOfBirth: '1982-02-02', sex: 'male' });
    const r = await s.call('POST', '/eid/accounts/level2', { token: s.tokens.officer, body: { qrPayload: await qrOf(p.id), phone: p.phone } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const code = await lastCode(p.phone);
    const wrong = code === '000000' ? '111111' : '000000';
    const attempt = (c: string) => s.call('POST', '/eid/activation', { body: { personalId: p.id, code: c, password: PASSWORD }, headers: ip() });
    for (let i = 0; i < 4; i++) assert.equal((await attempt(wrong)).body.code, 'EID_CODE_INVALID', `attempt ${i + 1} before any wait`);
    const waiting = await attempt(code);
    assert.deepEqual([waiting.status, waiting.body.code], [429, 'EID_TOO_MANY_REQUESTS'], 'the fifth at once waits, from another address too, even with the right code');
    assert.equal(waiting.headers.get('retry-after'), '60');
    // Ten more wrong codes, each after its wait: more than the challenge policy's five attempts.
    for (let i = 0; i < 10; i++) {
      s.clock.advance(3_600_000);
      assert.equal((await attempt(wrong)).body.code, 'EID_CODE_INVALID', `waited attempt ${i + 1}`);
    }
    s.clock.advance(3_600_000);
    const ok = await attempt(code);
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body.state, 'active');
    const counter = await s.runtime.store.db.selectFrom('sign_in_failure').selectAll().where('failure_key', '=', requestKeys('activate', p.id, '').id).execute();
    assert.equal(counter.length, 0, 'the personal ID\'s count is cleared on success');
  });

  test('after 7 days the account is lapsed at once (before any sweep); the sweep marks it; re-issued at the counter', async () => {
    const p = await person({ fullName: 'Tô Văn Muộn', dateOfBirth: '1975-05-05', sex: 'male' });
    const qr = await qrOf(p.id);
    const r = await s.call('POST', '/eid/accounts/level2', { token: s.tokens.officer, body: { qrPayload: qr, phone: p.phone } });
    const code = await lastCode(p.phone);
    s.clock.set(r.body.activationDeadline);
    const seen = await s.call('GET', `/eid/accounts/${p.id}`, { token: s.tokens.officer });
    assert.equal(seen.body.state, 'lapsed');
    const stored = await s.runtime.store.db.selectFrom('eid_account').select('state').where('personal_id', '=', p.id).executeTakeFirstOrThrow();
    assert.equal(stored.state, 'pending-activation', 'not yet swept');
    assert.equal((await s.call('POST', '/eid/activation', { body: { personalId: p.id, code, password: PASSWORD } })).body.code, 'EID_CODE_INVALID');
    assert.ok((await sweepLapsedAccounts({ store: s.runtime.ctx.store, clock: s.clock })) >= 1);
    assert.equal((await s.runtime.store.db.selectFrom('eid_account').select('state').where('personal_id', '=', p.id).executeTakeFirstOrThrow()).state, 'lapsed');
    assert.equal(await sweepLapsedAccounts({ store: s.runtime.ctx.store, clock: s.clock }), 0, 'once');
    const kinds = (await listPrincipalEvents(s.runtime.store.db, r.body.principalId)).map((e) => e.kind);
    assert.equal(kinds.at(-1), 'eid-lapsed');
    const again = await s.call('POST', '/eid/accounts/level2', { token: s.tokens.officer, body: { qrPayload: qr, phone: p.phone } });
    assert.equal(again.status, 201, JSON.stringify(again.body));
    assert.equal(again.body.state, 'pending-activation');
    const ok = await s.call('POST', '/eid/activation', { body: { personalId: p.id, code: await lastCode(p.phone), password: PASSWORD } });
    assert.equal(ok.body.state, 'active');
  });
});

describe('the lapse sweep', () => {
  /**
   * The store, with `meanwhile` run once just after the sweep's transaction lists the overdue
   * accounts — before it writes. On PostgreSQL `meanwhile` commits in its own transaction over HTTP
   * (a real interleaving); SQLite has one writer at a time, so there the same change is written in the
   * sweep's transaction at that point (what the sweep would see had it committed just before).
   */
  function storeWithChangeAfterListing(meanwhile: (tx: Db) => Promise<void>): Store {
    const real = s.runtime.ctx.store;
    let fired = false;
    const after = async (tx: Db) => {
      if (fired) return;
      fired = true;
      await meanwhile(tx);
    };
    const wrap = <T extends object>(b: T, tx: Db): T =>
      new Proxy(b, {
        get(t, k) {
          const v = Reflect.get(t, k) as unknown;
          if (typeof v !== 'function') return v;
          if (k === 'execute') return async (...a: unknown[]) => { const r = await v.apply(t, a); await after(tx); return r; };
          return (...a: unknown[]) => { const r = v.apply(t, a); return r && typeof r === 'object' && 'execute' in r ? wrap(r, tx) : r; };
        },
      });
    // Methods are called on their own objects (Kysely's use private fields, which a proxy lacks).
    const bound = (o: object, k: string | symbol) => {
      const v = Reflect.get(o, k) as unknown;
      return typeof v === 'function' ? v.bind(o) : v;
    };
    return new Proxy(real, {
      get(t, k) {
        if (k !== 'transaction') return bound(t, k);
        return <R,>(fn: (tx: Db) => Promise<R>) =>
          t.transaction((tx) => fn(new Proxy(tx, { get: (x, m) => (m === 'selectFrom' ? (table: 'eid_account') => (table === 'eid_account' ? wrap(x.selectFrom(table), tx) : x.selectFrom(table)) : bound(x, m)) })));
      },
    });
  }

  test('a notice issued at the counter after the sweep listed the account is left alone: its state, its code, no eid-lapsed', async () => {
    const p = await person({ fullName: 'Đỗ Văn Kịp', dateOfBirth: '1979-09-09', sex: 'male' });
    const qr = await qrOf(p.id);
    const r = await s.call('POST', '/eid/accounts/level2', { token: s.tokens.officer, body: { qrPayload: qr, phone: p.phone } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    s.clock.set(r.body.activationDeadline);
    s.clock.advance(1000);
    const reissue = async (tx: Db) => {
      if (s.runtime.store.kind === 'postgres') {
        const again = await s.call('POST', '/eid/accounts/level2', { token: s.tokens.officer, body: { qrPayload: qr, phone: p.phone } });
        assert.equal(again.status, 201, JSON.stringify(again.body));
        return;
      }
      const at = s.clock.now().toISOString();
      await tx.updateTable('eid_account').set({ state: 'pending-activation', notice_at: at, activation_deadline: activationDeadline(at) }).where('personal_id', '=', p.id).execute();
      await spendEidChallenges(tx, r.body.principalId, at, 'activate');
      const opened = await openCodeChallenge(tx, { store: s.runtime.ctx.store, clock: s.clock, settings: authSettings({ ...FAST }) }, { purpose: 'activate', personalId: p.id, principalId: r.body.principalId, contact: p.phone, expiresAt: activationDeadline(at) });
      await sendChallengeCode(tx, { store: s.runtime.ctx.store, clock: s.clock, settings: authSettings({ ...FAST }) }, (await lockEidChallenge(tx, opened.hash))!, { sms: p.phone });
    };
    await sweepLapsedAccounts({ store: storeWithChangeAfterListing(reissue), clock: s.clock });
    const stored = await s.runtime.store.db.selectFrom('eid_account').select(['state', 'activation_deadline']).where('personal_id', '=', p.id).executeTakeFirstOrThrow();
    assert.equal(stored.state, 'pending-activation', 'the new notice stands');
    assert.ok(stored.activation_deadline > s.clock.now().toISOString());
    const kinds = (await listPrincipalEvents(s.runtime.store.db, r.body.principalId)).map((e) => e.kind);
    assert.ok(!kinds.includes('eid-lapsed'), kinds.join());
    const ok = await s.call('POST', '/eid/activation', { body: { personalId: p.id, code: await lastCode(p.phone), password: PASSWORD }, headers: ip() });
    assert.equal(ok.status, 200, `the new notice's code still works: ${JSON.stringify(ok.body)}`);
    assert.equal(ok.body.state, 'active');
  });
});

describe('locks: effective on the next request in every channel', () => {
  async function signedInCitizen(): Promise<{ p: { id: string; phone: string }; principalId: string; session: Session; token: string }> {
    const p = await person();
    const principalId = await register(p);
    const session = await signIn(p);
    const { token } = await issueToken(s.runtime.store, s.clock, principalId, 'system:test', { days: 30 });
    assert.equal((await s.call('GET', '/me/eid', { token, headers: { 'x-purpose': '' } })).status, 200);
    return { p, principalId, session, token };
  }

  test('a bearer token of an account that is not active (pending activation, lapsed) gets nothing, as a lock', async () => {
    const c = await signedInCitizen();
    const state = (v: string) => s.runtime.store.db.updateTable('eid_account').set({ state: v }).where('principal_id', '=', c.principalId).execute();
    const withToken = async () => (await s.call('GET', '/me/eid', { token: c.token, headers: { 'x-purpose': '' } })).status;
    await state('pending-activation');
    assert.equal(await withToken(), 401, 'pending');
    await state('lapsed');
    assert.equal(await withToken(), 401, 'lapsed');
    await state('active');
    assert.equal(await withToken(), 200, 'active again');
  });

  /** After a lock: the session, the token and sign-in get nothing, and no code leaves for the number. */
  async function refusedEverywhere(c: Awaited<ReturnType<typeof signedInCitizen>>) {
    assert.equal((await s.call('GET', '/me/eid', { headers: { cookie: c.session.cookie } })).status, 401, 'session');
    assert.equal((await s.call('GET', '/me/eid', { token: c.token, headers: { 'x-purpose': '' } })).status, 401, 'bearer token');
    const before = await otpCount(c.p.phone);
    const r = await s.call('POST', '/auth/sign-in', { body: { login: c.p.id, password: PASSWORD }, headers: ip() });
    assert.deepEqual([r.status, r.body.code], [401, 'SIGN_IN_FAILED'], 'sign-in: the answer of a wrong password');
    assert.equal(await otpCount(c.p.phone), before, 'no code sent to a locked account');
    assert.equal((await citizenSignInState(s.runtime.store.db, c.principalId, s.clock.now().getTime()))?.locked, true);
  }

  test('by the citizen; unlocked with a fresh code and the password', async () => {
    const c = await signedInCitizen();
    // A sign-in in progress is stopped too: its resend sends nothing.
    s.clock.advance(1000);
    const pending = await s.call('POST', '/auth/sign-in', { body: { login: c.p.id, password: PASSWORD }, headers: ip() });
    assert.equal(pending.body.next, 'sms');
    assert.equal((await s.call('POST', '/me/eid/lock', { headers: { cookie: c.session.cookie }, body: {} })).body.code, 'CSRF_TOKEN_INVALID');
    const lock = await s.call('POST', '/me/eid/lock', { ...asMe(c.session), body: { reason: 'mất điện thoại' } });
    assert.equal(lock.status, 200, JSON.stringify(lock.body));
    assert.deepEqual([lock.body.locked, lock.body.lockKind], [true, 'self']);
    await refusedEverywhere(c);
    const before = await otpCount(c.p.phone);
    s.clock.advance(31_000);
    assert.equal((await s.call('POST', '/auth/sign-in/resend-code', { body: { challenge: pending.body.challenge } })).status, 401);
    assert.equal((await s.call('POST', '/auth/sign-in/second-factor', { body: { challenge: pending.body.challenge, code: '123456' } })).body.code, 'SIGN_IN_CHALLENGE_INVALID');
    assert.equal(await otpCount(c.p.phone), before);

    const one = await s.call('POST', '/eid/unlock', { body: { personalId: c.p.id }, headers: ip() });
    assert.equal(one.status, 200);
    const code = await lastCode(c.p.phone);
    assert.equal((await s.call('POST', '/eid/unlock/confirm', { body: { challenge: one.body.challenge, code, password: 'sai mật khẩu rồi' } })).body.code, 'EID_UNLOCK_FAILED');
    const two = await s.call('POST', '/eid/unlock/confirm', { body: { challenge: one.body.challenge, code, password: PASSWORD } });
    assert.equal(two.status, 200, JSON.stringify(two.body));
    assert.equal(two.body.locked, false);
    await signIn(c.p);
    const kinds = (await listPrincipalEvents(s.runtime.store.db, c.principalId)).map((e) => e.kind);
    assert.ok(kinds.includes('locked') && kinds.includes('unlocked'));
  });

  test('by the SMS keyword KHÓA from the account\'s number (only that number locks it)', async () => {
    const c = await signedInCitizen();
    const stranger = await person();
    const text = async (from: string, body: string) => {
      const stored = await receiveSmsPart(s.runtime.ctx.store, { smsc: 'test', source: from.slice(1), sourceTon: 1, destination: '8088', esmClass: 0, dataCoding: 8, shortMessage: Buffer.from(body, 'utf16le').swap16(), userMessageReference: ++nextRecord % 256 }, { clock: s.clock });
      assert.ok(stored);
      assert.equal(await answerSms(s.runtime.ctx, s.runtime.catalogue, stored), 'answered');
      const reply = await s.runtime.store.db.selectFrom('sms_outbox').select('body').where('msg_key', '=', `sms-reply:${stored.id}`).executeTakeFirstOrThrow();
      return reply.body;
    };
    assert.equal(await text(stranger.phone, 'KHÓA TK'), lockReply(0));
    assert.equal((await s.call('GET', '/me/eid', { headers: { cookie: c.session.cookie } })).status, 200, 'another number locks nothing');
    assert.equal(await text(c.p.phone, 'khoa tk'), lockReply(1));
    await refusedEverywhere(c);
    assert.equal(await text(c.p.phone, 'KHOA'), lockReply(0), 'already locked');
  });

  test('self-unlock answers alike whoever the personal ID is: no sign of a self-lock, no digit of the number (start and resend)', async () => {
    const selfLocked = await signedInCitizen();
    assert.equal((await s.call('POST', '/me/eid/lock', { ...asMe(selfLocked.session), body: {} })).status, 200);
    const authorityLocked = await signedInCitizen();
    assert.equal((await s.call('POST', `/eid/accounts/${authorityLocked.principalId}/lock`, { token: s.tokens.officer, body: { reason: 'Quyết định khóa số 14/QĐ' } })).status, 200);
    const open = await person();
    await register(open);
    const noAccount = await person();
    const ids = { selfLocked: selfLocked.p.id, authorityLocked: authorityLocked.p.id, notLocked: open.id, noAccount: noAccount.id };
    const starts: Record<string, { challenge: string; sentTo: string }> = {};
    const codesBefore = await otpCount(selfLocked.p.phone);
    for (const [name, personalId] of Object.entries(ids)) {
      const r = await s.call('POST', '/eid/unlock', { body: { personalId }, headers: ip() });
      assert.equal(r.status, 200, name);
      starts[name] = r.body;
    }
    assert.equal(await otpCount(selfLocked.p.phone), codesBefore + 1, 'the self-locked account got its code');
    const sentTo = Object.values(starts).map((x) => x.sentTo);
    assert.deepEqual(sentTo, Array(4).fill(sentTo[0]), 'start: one answer for all');
    assert.ok(!/\d/.test(sentTo[0]!), `no digit of a number: ${sentTo[0]}`);
    s.clock.advance(31_000);
    const resent = [];
    for (const [name, start] of Object.entries(starts)) {
      const r = await s.call('POST', '/eid/unlock/resend-code', { body: { challenge: start.challenge } });
      assert.equal(r.status, 200, name);
      resent.push(r.body.sentTo);
    }
    assert.deepEqual(resent, Array(4).fill(sentTo[0]), 'resend: one answer for all');
  });

  test('by the authority, with a reason: only the authority lifts it; no unlock code is sent', async () => {
    const c = await signedInCitizen();
    const path = `/eid/accounts/${c.principalId}`;
    assert.equal((await s.call('POST', `${path}/lock`, { token: s.tokens.inspector, body: { reason: 'x' } })).body.code, 'FORBIDDEN');
    assert.equal((await s.call('POST', `${path}/lock`, { token: s.tokens.officer, body: {} })).status, 400);
    const lock = await s.call('POST', `${path}/lock`, { token: s.tokens.officer, body: { reason: 'Quyết định khóa số 12/QĐ' } });
    assert.equal(lock.status, 200, JSON.stringify(lock.body));
    assert.equal(lock.body.lockKind, 'authority');
    await refusedEverywhere(c);
    const before = await otpCount(c.p.phone);
    const one = await s.call('POST', '/eid/unlock', { body: { personalId: c.p.id }, headers: ip() });
    assert.equal(one.status, 200);
    assert.deepEqual(Object.keys(one.body).sort(), ['challenge', 'expiresAt', 'sentTo']);
    assert.equal(await otpCount(c.p.phone), before, 'no unlock code for an authority lock');
    assert.equal((await s.call('POST', '/eid/unlock/confirm', { body: { challenge: one.body.challenge, code: '123456', password: PASSWORD } })).body.code, 'EID_UNLOCK_FAILED');
    assert.equal((await s.call('POST', `${path}/lock`, { token: s.tokens.officer, body: { reason: 'again' } })).body.code, 'ACCOUNT_ALREADY_LOCKED');
    const unlock = await s.call('POST', `${path}/unlock`, { token: s.tokens.officer, body: { reason: 'Quyết định mở khóa số 13/QĐ' } });
    assert.equal(unlock.status, 200, JSON.stringify(unlock.body));
    assert.equal(unlock.body.locked, false);
    await signIn(c.p);
    const events = await listPrincipalEvents(s.runtime.store.db, c.principalId);
    const locked = events.find((e) => e.kind === 'locked')!;
    assert.deepEqual([locked.details.kind, locked.details.reason, locked.details.sessionsEnded], ['authority', 'Quyết định khóa số 12/QĐ', 1]);
  });
});

describe('contacts', () => {
  test('a new number: it must be the person\'s; the code goes to the NEW number; sign-in codes follow it', async () => {
    const p = await person();
    const principalId = await register(p);
    const session = await signIn(p);
    const foreign = await person();
    assert.equal((await s.call('POST', '/me/eid/phone', { ...asMe(session), body: { phone: foreign.phone } })).body.code, 'EID_PHONE_NOT_LINKED');
    const fresh = newNumber();
    await link(fresh, p.id);
    const oldBefore = await otpCount(p.phone);
    const one = await s.call('POST', '/me/eid/phone', { ...asMe(session), body: { phone: fresh } });
    assert.equal(one.status, 200, JSON.stringify(one.body));
    assert.equal(await otpCount(p.phone), oldBefore, 'nothing to the old number');
    const two = await s.call('POST', '/me/eid/phone/confirm', { ...asMe(session), body: { challenge: one.body.challenge, code: await lastCode(fresh) } });
    assert.equal(two.status, 200, JSON.stringify(two.body));
    assert.equal(two.body.phone, `${'*'.repeat(9)}${fresh.slice(-3)}`);
    await signIn({ id: p.id, phone: fresh });
    const kinds = (await listPrincipalEvents(s.runtime.store.db, principalId)).map((e) => e.kind);
    assert.ok(kinds.includes('eid-phone-changed'));
  });

  test('an e-mail address: the code goes to the mail outbox, blanked once delivered', async () => {
    const p = await person();
    await register(p);
    const session = await signIn(p);
    assert.equal((await s.call('POST', '/me/eid/email', { ...asMe(session), body: { email: 'not an address' } })).body.code, 'EMAIL_INVALID');
    const one = await s.call('POST', '/me/eid/email', { ...asMe(session), body: { email: 'thu.pham@Example.VN' } });
    assert.equal(one.status, 200, JSON.stringify(one.body));
    assert.equal(one.body.sentTo, 't•••@example.vn');
    const mail = (await listPendingMail(s.runtime.store.db, s.clock.now().toISOString())).filter((m) => m.to === 'thu.pham@example.vn');
    assert.equal(mail.length, 1);
    const code = /(\d{6})/.exec(mail[0]!.body)![1]!;
    const two = await s.call('POST', '/me/eid/email/confirm', { ...asMe(session), body: { challenge: one.body.challenge, code } });
    assert.equal(two.status, 200, JSON.stringify(two.body));
    assert.equal(two.body.email, 't•••@example.vn');
  });
});
