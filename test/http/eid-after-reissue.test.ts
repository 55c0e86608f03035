/**
 * The e-ID account of a citizen whose personal ID is legally re-issued (NĐ 70/2024 Art. 11(7)):
 * the account and its login keep the number they were made with, and the person is who they name.
 * Signing in with the current number or any number it replaced finds that one account; registering
 * under the current number makes no second one, and works when the operator's link names the
 * cancelled number; a new phone number linked under either number is the holder's. Over real HTTP,
 * on SQLite and PostgreSQL.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { submitSubscriberLink } from '../../src/services/subscribers/index.js';
import { birthBody, startTestServer, type TestServer } from '../support/http.js';
import { as, CITIZEN_PASSWORD, citizenWithAccount, FAST_AUTH, freshIp, lastCodeTo, signInCitizen, type EidCitizen } from '../support/eid.js';

let s: TestServer;
let phones = 0;
const newPhone = () => `+8497${String(++phones).padStart(7, '0')}`;

before(async () => {
  s = await startTestServer('2026-06-01T03:00:00.000Z', { auth: FAST_AUTH, trustProxy: ['127.0.0.1'] });
});
after(async () => s?.close());

/** Cancels the number for a corrected birth year; the number that replaces it. */
async function reissue(personalId: string, dateOfBirth: string): Promise<string> {
  const r = await s.call('POST', `/citizens/${personalId}/personal-id-cancellation`, { token: s.tokens.officer, purpose: 'reissue', body: { reason: 'BIRTH_YEAR_CORRECTED', corrections: { dateOfBirth } } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const current = r.body.citizen.personalId as string;
  assert.notEqual(current, personalId);
  return current;
}

/** The operator (registered by citizenWithAccount) certifies the link of a number to a personal ID. */
async function link(phone: string, personalId: string): Promise<void> {
  await submitSubscriberLink(s.runtime.ctx, 'TESTTEL', { recordId: `R-${phone.slice(1)}`, action: 'link', number: phone, personalId, confirmedAt: '2026-05-20T09:00:00+07:00' });
}

const accountsUnder = async (numbers: string[]) => (await s.runtime.store.db.selectFrom('eid_account').select(['principal_id', 'personal_id']).where('personal_id', 'in', numbers).execute());
const otpsTo = async (phone: string) => (await s.runtime.store.db.selectFrom('sms_outbox').select('message_id').where('kind', '=', 'otp').where('to_number', '=', phone).execute()).length;

describe('signing in after a re-issue', () => {
  test('the current number and every number it replaced sign in to the one account; its login still names the number it was made with', async () => {
    const c = await citizenWithAccount(s, { fullName: 'Trịnh Thị Ba Số', dateOfBirth: '1990-04-04' });
    const second = await reissue(c.personalId, '1991-04-04');
    const current = await reissue(second, '1992-04-04');
    const [account] = await accountsUnder([c.personalId]);
    assert.ok(account);
    for (const login of [c.personalId, second, current]) {
      const session = await signInCitizen(s, { ...c, personalId: login });
      const eid = await s.call('GET', '/me/eid', { ...as(session), purpose: null });
      assert.equal(eid.status, 200, `${login}: ${JSON.stringify(eid.body)}`);
      assert.equal(eid.body.principalId, account.principal_id, login);
      const record = await s.call('GET', '/me/record', { ...as(session), purpose: null });
      assert.equal(record.body.personalId, current, login);
    }
    // Nothing stored was rewritten, and no account was made under the later numbers.
    assert.deepEqual(await accountsUnder([c.personalId, second, current]), [account]);
    const login = await s.runtime.store.db.selectFrom('login_account').select('login').where('principal_id', '=', account.principal_id).executeTakeFirstOrThrow();
    assert.equal(login.login, c.personalId);
  });

  test('wrong passwords count against the person, whichever of their numbers is typed: no second set of free failures', async () => {
    const c = await citizenWithAccount(s, { fullName: 'Trịnh Văn Đếm Sai', dateOfBirth: '1980-03-03', sex: 'male' });
    const current = await reissue(c.personalId, '1981-03-03');
    const attempt = (login: string) => s.call('POST', '/auth/sign-in', { body: { login, password: `${CITIZEN_PASSWORD} sai` }, headers: freshIp() });
    // The free failures (3) under the cancelled number, the fourth under the current one starts the delay.
    for (const login of [c.personalId, c.personalId, c.personalId, current]) assert.equal((await attempt(login)).body.code, 'SIGN_IN_FAILED', login);
    for (const login of [current, c.personalId]) {
      const r = await attempt(login);
      assert.deepEqual([r.status, r.body.code], [429, 'SIGN_IN_DELAYED'], login);
    }
    // The right password after the wait signs in, and clears the person's count.
    s.clock.advance(3_000);
    await signInCitizen(s, { ...c, personalId: current });
    assert.equal((await attempt(c.personalId)).body.code, 'SIGN_IN_FAILED');
  });

  test('an officer reads the account by the current number as by the cancelled one', async () => {
    const c = await citizenWithAccount(s, { fullName: 'Trịnh Thị Xem Tài Khoản', dateOfBirth: '1970-07-07' });
    const current = await reissue(c.personalId, '1971-07-07');
    const byOld = await s.call('GET', `/eid/accounts/${c.personalId}`, { token: s.tokens.officer, purpose: 'eid support' });
    const byNew = await s.call('GET', `/eid/accounts/${current}`, { token: s.tokens.officer, purpose: 'eid support' });
    assert.equal(byNew.status, 200, JSON.stringify(byNew.body));
    assert.deepEqual(byNew.body, byOld.body);
  });
});

describe('registering after a re-issue', () => {
  test('under the current number, with a number linked to it since: no code, no second account for a person who holds one', async () => {
    const c = await citizenWithAccount(s, { fullName: 'Trịnh Văn Hai Tài Khoản', dateOfBirth: '1985-05-05', sex: 'male' });
    const current = await reissue(c.personalId, '1986-05-05');
    const phone = newPhone();
    await link(phone, current);
    const one = await s.call('POST', '/eid/registrations', { body: { personalId: current, phone, password: CITIZEN_PASSWORD }, headers: freshIp() });
    assert.equal(one.status, 200, JSON.stringify(one.body));
    assert.equal(await otpsTo(phone), 0, 'no code: the person has an account');
    const two = await s.call('POST', '/eid/registrations/confirm', { body: { challenge: one.body.challenge, code: '000000' }, headers: freshIp() });
    assert.equal(two.status, 401, JSON.stringify(two.body));
    assert.deepEqual((await accountsUnder([c.personalId, current])).map((a) => a.personal_id), [c.personalId]);
  });

  test('under the current number, the operator\'s link still naming the cancelled one: the account is made, under the current number', async () => {
    const born = await s.call('POST', '/citizens', { token: s.tokens.officer, body: birthBody({ fullName: 'Trịnh Thị Đăng Ký Sau', dateOfBirth: '1995-06-06', sex: 'female' }) });
    assert.equal(born.status, 201, JSON.stringify(born.body));
    const old = born.body.personalId as string;
    const phone = newPhone();
    await link(phone, old);
    const current = await reissue(old, '1996-06-06');
    const one = await s.call('POST', '/eid/registrations', { body: { personalId: current, phone, password: CITIZEN_PASSWORD }, headers: freshIp() });
    assert.equal(one.status, 200, JSON.stringify(one.body));
    assert.equal(await otpsTo(phone), 1, 'a code to the person\'s number');
    const two = await s.call('POST', '/eid/registrations/confirm', { body: { challenge: one.body.challenge, code: await lastCodeTo(s, phone) }, headers: freshIp() });
    assert.equal(two.status, 201, JSON.stringify(two.body));
    assert.deepEqual((await accountsUnder([old, current])).map((a) => a.personal_id), [current]);
    // The cancelled number signs in to it as well.
    const session = await signInCitizen(s, { personalId: old, phone, password: CITIZEN_PASSWORD });
    assert.equal((await s.call('GET', '/me/eid', { ...as(session), purpose: null })).body.principalId, two.body.principalId);
  });
});

describe('level 2 at the counter after a re-issue', () => {
  test('a card under the current number raises the account made under the cancelled one (no second account); activation takes the current number', async () => {
    const c = await citizenWithAccount(s, { fullName: 'Trịnh Thị Quầy', dateOfBirth: '1988-10-10' });
    const [account] = await accountsUnder([c.personalId]);
    const current = await reissue(c.personalId, '1989-10-10');
    // A card issued since the re-issue (one from before it reads as outdated).
    const card = await s.call('POST', `/citizens/${current}/cards`, { token: s.tokens.officer, body: { issueDate: s.clock.now().toISOString().slice(0, 10) } });
    assert.equal(card.status, 201, JSON.stringify(card.body));
    const qr = await s.call('GET', `/citizens/${current}/cards/qr`, { token: s.tokens.officer });
    assert.equal(qr.status, 200, JSON.stringify(qr.body));
    const r = await s.call('POST', '/eid/accounts/level2', { token: s.tokens.officer, body: { qrPayload: qr.body.payload, phone: c.phone } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.principalId, account!.principal_id);
    assert.deepEqual(await accountsUnder([c.personalId, current]), [account]);
    const ok = await s.call('POST', '/eid/activation', { body: { personalId: current, code: await lastCodeTo(s, c.phone) }, headers: freshIp() });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.deepEqual([ok.body.principalId, ok.body.level, ok.body.state], [account!.principal_id, 2, 'active']);
  });
});

describe('a new phone number after a re-issue', () => {
  test('a number the operator links to the current number is the holder\'s, for an account made under the cancelled one', async () => {
    const c: EidCitizen = await citizenWithAccount(s, { fullName: 'Trịnh Văn Đổi Máy', dateOfBirth: '1975-08-08', sex: 'male' });
    const current = await reissue(c.personalId, '1976-08-08');
    const session = await signInCitizen(s, c);
    const phone = newPhone();
    await link(phone, current);
    const one = await s.call('POST', '/me/eid/phone', { ...as(session), purpose: null, body: { phone } });
    assert.equal(one.status, 200, JSON.stringify(one.body));
    const two = await s.call('POST', '/me/eid/phone/confirm', { ...as(session), purpose: null, body: { challenge: one.body.challenge, code: await lastCodeTo(s, phone) } });
    assert.equal(two.status, 200, JSON.stringify(two.body));
    // Sign-in codes now go to it, under either number.
    await signInCitizen(s, { ...c, personalId: c.personalId, phone });
  });
});
