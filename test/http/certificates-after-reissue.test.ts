/**
 * A citizen's own documents across a legal re-issue of their personal ID (NĐ 70/2024 Art. 11(7)):
 * a document issued under the cancelled number stays the person's — listed under /me/certificates
 * and downloadable — for a bearer token and a portal session alike, beside those issued since under
 * the current number; another person's stays not found. Over real HTTP, on SQLite and PostgreSQL.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/http.js';
import { as, citizenWithAccount, FAST_AUTH, signInCitizen, type CitizenSession } from '../support/eid.js';
import { createPrincipal } from '../../src/services/principals.js';

let s: TestServer;
let oldNumber: string;
let newNumber: string;
let token: string;
let session: CitizenSession;
let before1: string;
let after1: string;
let others: string;
let seq = 0;

async function call(method: string, path: string, who: { token: string } | CitizenSession) {
  const requestId = `certs-reissued-${++seq}`;
  const auth = 'token' in who ? { token: who.token } : as(who);
  const r = await s.call(method, path, { ...auth, purpose: null, headers: { ...('headers' in auth ? auth.headers : {}), 'x-request-id': requestId } });
  const rows = await s.runtime.store.db.selectFrom('access_entry').select('subject_key').where('request_id', '=', requestId).execute();
  return { ...r, rows };
}

async function notice(who: { token: string } | CitizenSession): Promise<string> {
  const r = await call('POST', '/me/certificates/personal-id-notice', who);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.number as string;
}

before(async () => {
  s = await startTestServer('2026-06-01T03:00:00.000Z', { auth: FAST_AUTH, trustProxy: ['127.0.0.1'] });
  const c = await citizenWithAccount(s, { fullName: 'Phan Văn Giấy Tờ', dateOfBirth: '1982-02-02', sex: 'male' });
  oldNumber = c.personalId;
  token = (await createPrincipal(s.runtime.store, s.clock, 'Giấy Tờ (token)', 'citizen', undefined, { personalId: oldNumber })).token;
  session = await signInCitizen(s, c);
  before1 = await notice(session);
  const stranger = await citizenWithAccount(s, { fullName: 'Phan Thị Người Khác', dateOfBirth: '1983-03-03' });
  others = await notice(await signInCitizen(s, stranger));
  s.clock.advance(60_000);
  const reissue = await s.call('POST', `/citizens/${oldNumber}/personal-id-cancellation`, { token: s.tokens.officer, purpose: 'reissue', body: { reason: 'BIRTH_YEAR_CORRECTED', corrections: { dateOfBirth: '1983-02-02' } } });
  assert.equal(reissue.status, 201, JSON.stringify(reissue.body));
  newNumber = reissue.body.citizen.personalId as string;
  s.clock.advance(60_000);
  after1 = await notice({ token });
});
after(async () => s?.close());

describe('documents issued before a re-issue', () => {
  test('the premise: one was issued under the cancelled number, one under the current', async () => {
    const rows = await s.runtime.store.db.selectFrom('certificate').select(['number', 'personal_id']).where('number', 'in', [before1, after1]).orderBy('personal_id').execute();
    assert.deepEqual(Object.fromEntries(rows.map((r) => [r.number, r.personal_id])), { [before1]: oldNumber, [after1]: newNumber });
  });

  for (const way of ['token', 'session'] as const) {
    test(`are listed and downloadable with a ${way}, beside those issued since; nothing is recorded under the cancelled number`, async () => {
      const who = way === 'token' ? { token } : session;
      const list = await call('GET', '/me/certificates', who);
      assert.equal(list.status, 200, JSON.stringify(list.body));
      assert.deepEqual((list.body as { number: string }[]).map((c) => c.number), [after1, before1]);
      for (const number of [before1, after1]) {
        const pdf = await call('GET', `/me/certificates/${number}/pdf`, who);
        assert.equal(pdf.status, 200, `${number}: ${JSON.stringify(pdf.body)}`);
        assert.equal(pdf.headers.get('content-type'), 'application/pdf');
        assert.ok(pdf.rows.every((r) => r.subject_key === newNumber), JSON.stringify(pdf.rows));
      }
      assert.ok(list.rows.every((r) => r.subject_key === newNumber), JSON.stringify(list.rows));
      const foreign = await call('GET', `/me/certificates/${others}/pdf`, who);
      assert.equal(foreign.status, 404);
      assert.equal(foreign.body.code, 'CERTIFICATE_NOT_FOUND');
    });
  }
});
