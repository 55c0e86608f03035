/**
 * Citizens with an e-ID account, for tests over HTTP: a person registered by an officer, a number the
 * subscriber register links to them, a level-1 account (the code read from the SMS outbox as the
 * SMSC would deliver it), and a cookie session signed in with the personal ID, password and SMS code.
 * The server should be started with `auth: FAST_AUTH` and `trustProxy: ['127.0.0.1']`: each step
 * calls from its own address, so the per-address limits stay out of the way.
 */
import assert from 'node:assert/strict';
import { registerAgency } from '../../src/services/exchange/agencies.js';
import { submitSubscriberLink } from '../../src/services/subscribers/index.js';
import { birthBody, type TestServer } from './http.js';

export const FAST_AUTH = { scryptLogN: 12 };
export const CITIZEN_PASSWORD = 'mây trắng bay qua đồi';
const OPERATOR = { code: 'TESTTEL', name: 'Nhà mạng thử nghiệm', type: 'telecom_operator' as const, stateBudgetFunded: false, focalPoints: [{ fullName: 'Trần Văn Đầu Mối', position: 'Trưởng phòng', phone: '0912345678', email: 'focal@testtel.example' }] };

let counter = 0;
const next = () => ++counter;
/** A fresh client address behind the trusted loopback proxy. */
export const freshIp = () => {
  const n = next();
  return { 'x-forwarded-for': `10.77.${Math.floor(n / 250) % 250}.${(n % 250) + 1}` };
};

const operators = new WeakSet<TestServer>();

export interface EidCitizen {
  personalId: string;
  phone: string;
  password: string;
}

export interface CitizenSession {
  cookie: string;
  csrf: string;
}

/** The newest one-time code sent to a number, as the SMSC would deliver it. */
export async function lastCodeTo(s: TestServer, phone: string): Promise<string> {
  const rows = await s.runtime.store.db.selectFrom('sms_outbox').selectAll().where('kind', '=', 'otp').where('to_number', '=', phone).orderBy('created_at', 'desc').orderBy('message_id', 'desc').execute();
  assert.ok(rows.length > 0, `a code went to ${phone}`);
  const m = /(\d{6})/.exec(rows[0]!.body);
  assert.ok(m, 'the message holds a code');
  return m[1]!;
}

/** A person with a linked number and an active level-1 account. */
export async function citizenWithAccount(s: TestServer, overrides: Record<string, unknown> = {}): Promise<EidCitizen> {
  if (!operators.has(s)) {
    await registerAgency(s.runtime.ctx, OPERATOR);
    operators.add(s);
  }
  const born = await s.call('POST', '/citizens', { token: s.tokens.officer, body: birthBody({ fullName: 'Phạm Thị Thử', dateOfBirth: '1990-04-04', sex: 'female', ...overrides }) });
  assert.equal(born.status, 201, JSON.stringify(born.body));
  const personalId = born.body.personalId as string;
  const n = next();
  const phone = `+8496${String(n).padStart(7, '0')}`;
  await submitSubscriberLink(s.runtime.ctx, OPERATOR.code, { recordId: `T-${n}`, action: 'link', number: phone, personalId, confirmedAt: '2026-05-01T09:00:00+07:00' });
  const one = await s.call('POST', '/eid/registrations', { body: { personalId, phone, password: CITIZEN_PASSWORD }, headers: freshIp() });
  assert.equal(one.status, 200, JSON.stringify(one.body));
  const two = await s.call('POST', '/eid/registrations/confirm', { body: { challenge: one.body.challenge, code: await lastCodeTo(s, phone) }, headers: freshIp() });
  assert.equal(two.status, 201, JSON.stringify(two.body));
  return { personalId, phone, password: CITIZEN_PASSWORD };
}

/** Signs a citizen in over the API (personal ID, password, SMS code): the session cookie and its CSRF token. */
export async function signInCitizen(s: TestServer, c: EidCitizen): Promise<CitizenSession> {
  s.clock.advance(1000);
  const one = await s.call('POST', '/auth/sign-in', { body: { login: c.personalId, password: c.password }, headers: freshIp() });
  assert.equal(one.status, 200, JSON.stringify(one.body));
  assert.equal(one.body.next, 'sms');
  const two = await s.call('POST', '/auth/sign-in/second-factor', { body: { challenge: one.body.challenge, code: await lastCodeTo(s, c.phone) }, headers: freshIp() });
  assert.equal(two.status, 200, JSON.stringify(two.body));
  const cookie = two.headers.getSetCookie().find((h) => /^(__Host-)?dancu-session=/.test(h))?.split(';')[0];
  assert.ok(cookie, 'a session cookie');
  return { cookie, csrf: two.body.csrfToken as string };
}

/** Headers that call as the signed-in citizen (cookie and CSRF token). */
export const as = (x: CitizenSession) => ({ headers: { cookie: x.cookie, 'x-csrf-token': x.csrf } });
