/**
 * Officers asking about a person by a personal ID a legal re-issue cancelled (NĐ 70/2024 Art. 11(7)):
 * what GET /citizens/{personalId} does — the number resolves to the person it now belongs to, and the
 * use is recorded under the number asked (decision 0032, review F4) — its subscriber numbers and a
 * written request about the person do too. Over real HTTP, on SQLite and PostgreSQL.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { registerAgency } from '../../src/services/exchange/agencies.js';
import { submitSubscriberLink } from '../../src/services/subscribers/index.js';
import { birthBody, startTestServer, type TestServer } from '../support/http.js';
import { body, ORG } from '../support/written-requests.js';

let s: TestServer;
let oldNumber: string;
let newNumber: string;
let seq = 0;

async function officer(method: string, path: string, body?: unknown) {
  const requestId = `officer-reissued-${++seq}`;
  const r = await s.call(method, path, { token: s.tokens.officer, headers: { 'x-request-id': requestId }, ...(body ? { body } : {}) });
  const rows = await s.runtime.store.db.selectFrom('access_entry').select('subject_key').where('request_id', '=', requestId).execute();
  return { ...r, subjects: [...new Set(rows.map((x) => x.subject_key))].sort() };
}

const link = (recordId: string, number: string, personalId: string, confirmedAt: string) =>
  submitSubscriberLink(s.runtime.ctx, 'OPREISSUE', { recordId, action: 'link', number, personalId, confirmedAt });

before(async () => {
  s = await startTestServer('2026-06-01T03:00:00.000Z');
  await registerAgency(s.runtime.ctx, { code: 'OPREISSUE', name: 'Nhà mạng thử cấp lại số', type: 'telecom_operator', stateBudgetFunded: false, focalPoints: [{ fullName: 'Lý Văn Đầu Mối', position: 'Trưởng phòng', phone: '0912345679', email: 'focal@opreissue.example' }] });
  const born = await s.call('POST', '/citizens', { token: s.tokens.officer, body: birthBody({ fullName: 'Lý Thị Hai Số', dateOfBirth: '1991-01-01', sex: 'female' }) });
  assert.equal(born.status, 201, JSON.stringify(born.body));
  oldNumber = born.body.personalId as string;
  await link('RE-1', '+84981000001', oldNumber, '2026-05-01T09:00:00+07:00');
  const r = await s.call('POST', `/citizens/${oldNumber}/personal-id-cancellation`, { token: s.tokens.officer, purpose: 'reissue', body: { reason: 'BIRTH_YEAR_CORRECTED', corrections: { dateOfBirth: '1992-01-01' } } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  newNumber = r.body.citizen.personalId as string;
  await link('RE-2', '+84981000002', newNumber, '2026-05-02T09:00:00+07:00');
});
after(async () => s?.close());

describe('an officer asks by the cancelled number', () => {
  test('the premise: GET /citizens/{cancelled} answers the person under the current number, recorded under the number asked', async () => {
    const r = await officer('GET', `/citizens/${oldNumber}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.personalId, newNumber);
    assert.deepEqual(r.subjects, [oldNumber]);
  });

  test('subscriber numbers: the person\'s links under every number, the same as by the current number; recorded as GET /citizens/{cancelled} is', async () => {
    const byOld = await officer('GET', `/citizens/${oldNumber}/subscriber-numbers`);
    const byNew = await officer('GET', `/citizens/${newNumber}/subscriber-numbers`);
    assert.equal(byOld.status, 200, JSON.stringify(byOld.body));
    assert.deepEqual(byOld.body.numbers.map((n: { number: string }) => n.number), ['+84981000002', '+84981000001']);
    assert.deepEqual(byOld.body.numbers, byNew.body.numbers);
    assert.deepEqual(byOld.subjects, (await officer('GET', `/citizens/${oldNumber}`)).subjects);
    assert.deepEqual(byNew.subjects, [newNumber]);
  });

  test('a written request about the person: recorded about them under the current number; the use recorded as GET /citizens/{cancelled} is', async () => {
    const r = await officer('POST', '/written-requests', body(oldNumber, { requester: ORG }));
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.personalId, newNumber);
    const stored = await s.runtime.store.db.selectFrom('written_request').select('personal_id').where('request_id', '=', r.body.requestId).executeTakeFirstOrThrow();
    assert.equal(stored.personal_id, newNumber);
    assert.deepEqual(r.subjects, (await officer('GET', `/citizens/${oldNumber}`)).subjects);
  });

  test('a number never issued is still not found', async () => {
    const r = await officer('GET', '/citizens/001099999999/subscriber-numbers');
    assert.deepEqual([r.status, r.body.code], [404, 'CITIZEN_NOT_FOUND']);
    const w = await officer('POST', '/written-requests', body('001099999999', { requester: ORG }));
    assert.deepEqual([w.status, w.body.code], [404, 'CITIZEN_NOT_FOUND']);
  });
});
