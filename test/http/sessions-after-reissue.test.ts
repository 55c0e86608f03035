/**
 * A portal session of a citizen whose personal ID is then legally re-issued (NĐ 70/2024 Art. 11(7)):
 * the session's principal, and the e-ID account and login it signs in with, keep naming the
 * cancelled number, yet the citizen acts as the person under their current number under /me — the
 * same answers as a bearer token (which resolves the chain), their own use recorded as their own,
 * what they ask for issued under the current number. Over real HTTP, on SQLite and PostgreSQL.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/http.js';
import { approve, consent, HANG_BAC, OWNED, person, submit } from '../support/residence.js';
import { as, citizenWithAccount, FAST_AUTH, signInCitizen, type CitizenSession } from '../support/eid.js';
import { createPrincipal } from '../../src/services/principals.js';

let s: TestServer;
let head: string;
let oldNumber: string;
let newNumber: string;
let token: string;
let principalId: string;
const sessions: Record<'before' | 'after', CitizenSession> = {} as never;
let seq = 0;

/** A call with its own request ID, and the access-log rows it wrote. */
async function call(method: string, path: string, who: { token: string } | CitizenSession) {
  const requestId = `reissued-${++seq}`;
  const auth = 'token' in who ? { token: who.token } : as(who);
  const r = await s.call(method, path, { ...auth, purpose: null, headers: { ...('headers' in auth ? auth.headers : {}), 'x-request-id': requestId } });
  const rows = await s.runtime.store.db.selectFrom('access_entry').selectAll().where('request_id', '=', requestId).orderBy('subject_key').execute();
  return { ...r, rows };
}

before(async () => {
  s = await startTestServer('2026-06-01T03:00:00.000Z', { auth: FAST_AUTH, trustProxy: ['127.0.0.1'] });
  head = await person(s, 'Lê Văn Chủ Hộ', '1960-02-02');
  const wife = await citizenWithAccount(s, { fullName: 'Phan Thị Đổi Số', dateOfBirth: '1990-04-04', sex: 'female' });
  oldNumber = wife.personalId;
  const first = await submit(s, 'permanent-registrations', { personalId: head, address: HANG_BAC, lawfulResidence: OWNED });
  const householdId = (await approve(s, first.applicationId)).outcome.householdId;
  const second = await submit(s, 'permanent-registrations', { personalId: oldNumber, household: { householdId, relationship: 'wife' }, lawfulResidence: OWNED, consents: [consent('household_head', head)] });
  await approve(s, second.applicationId);
  const made = await createPrincipal(s.runtime.store, s.clock, 'Vợ (token)', 'citizen', undefined, { personalId: oldNumber });
  token = made.token;
  sessions.before = await signInCitizen(s, wife);
  principalId = (await s.runtime.store.db.selectFrom('principal').select('id').where('personal_id', '=', oldNumber).where('name', '!=', 'Vợ (token)').executeTakeFirstOrThrow()).id;
  const reissue = await s.call('POST', `/citizens/${oldNumber}/personal-id-cancellation`, { token: s.tokens.officer, headers: { 'x-purpose': 'reissue' }, body: { reason: 'BIRTH_YEAR_CORRECTED', corrections: { dateOfBirth: '1991-04-04' } } });
  assert.equal(reissue.status, 201, JSON.stringify(reissue.body));
  newNumber = reissue.body.citizen.personalId as string;
  assert.notEqual(newNumber, oldNumber);
  // Signed in again after the re-issue: the login account still names the cancelled number.
  sessions.after = await signInCitizen(s, wife);
});
after(async () => s?.close());

describe('a session of a citizen whose personal ID was re-issued', () => {
  test('the e-ID account and the session\'s principal still name the cancelled number (the premise)', async () => {
    const account = await s.runtime.store.db.selectFrom('eid_account').select('personal_id').where('principal_id', '=', principalId).executeTakeFirstOrThrow();
    assert.equal(account.personal_id, oldNumber);
  });

  for (const when of ['before', 'after'] as const) {
    test(`a session opened ${when} the re-issue reads under /me what the bearer token reads, the current number's`, async () => {
      for (const path of ['/me/record', '/me/household', '/me/residence', '/me/subscriber-numbers', '/me/consents', '/me/usage']) {
        const bearer = await call('GET', path, { token });
        const session = await call('GET', path, sessions[when]);
        assert.equal(bearer.status, 200, `${path}: ${JSON.stringify(bearer.body)}`);
        assert.equal(session.status, 200, `${path}: ${JSON.stringify(session.body)}`);
        assert.deepEqual(session.body, bearer.body, path);
      }
      const record = await call('GET', '/me/record', sessions[when]);
      assert.equal(record.body.personalId, newNumber);
    });
  }

  test('the household read in a session is recorded as the bearer token\'s is: under the head and the current number, never the cancelled one', async () => {
    const r = await call('GET', '/me/household', sessions.before);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual((r.body.members as { personalId: string }[]).map((m) => m.personalId).sort(), [head, newNumber].sort());
    assert.deepEqual([...new Set(r.rows.map((row) => row.subject_key))].sort(), [head, newNumber].sort());
    assert.ok(r.rows.every((row) => row.principal_id === principalId));
    const primary = r.rows.find((row) => row.primary_row === 1);
    assert.deepEqual(JSON.parse(primary!.personal_ids).sort(), [head, newNumber].sort());
  });

  test('a document asked for in the session is issued under the current number: the bearer token finds it among its own', async () => {
    const r = await call('POST', '/me/certificates/personal-id-notice', sessions.before);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const pdf = await call('GET', `/me/certificates/${r.body.number}/pdf`, { token });
    assert.equal(pdf.status, 200);
    const mine = await call('GET', '/me/certificates', { token });
    assert.ok((mine.body as { number: string }[]).some((c) => c.number === r.body.number));
  });
});
