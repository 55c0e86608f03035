/**
 * Written requests for citizens' data (issue 14 item 5; decision 0040), over HTTP on the store under
 * test: a request's course — the subject's consent wait and its answers, the decision and the signed
 * reply and refusal letters (read back with pdfjs, verified offline with the published key and through
 * the public route), each release recorded, two simultaneous decisions, one decision per request held
 * by the database. Shared helpers: test/support/written-requests.ts.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import { sql } from 'kysely';
import { startTestServer, type TestServer } from '../support/http.js';
import { family, asCitizen, type Family } from '../support/usage.js';
import { pdfText } from '../support/pdf.js';
import { body, ORG, STATE_BODY, writtenRequestCalls } from '../support/written-requests.js';
import { getCertificate, printedTextOf } from '../../src/services/certificates.js';

let s: TestServer;
let f: Family;
const { record, decide, download, rowCounts } = writtenRequestCalls(() => s);

before(async () => {
  s = await startTestServer('2026-06-01T03:00:00.000Z'); // Monday 10:00 in Vietnam
  f = await family(s);
});
after(async () => s.close());

/** Offline verification as a third party would do it: only the published JWKS and node:crypto. */
function verifyOffline(statement: string, jwks: { keys: { kid: string; x: string; kty: string; crv: string }[] }): Record<string, unknown> | undefined {
  const [prefix, kid, claims, sig] = statement.split('.');
  const jwk = jwks.keys.find((k) => k.kid === kid);
  if (!jwk || !claims || !sig) return undefined;
  const ok = verify(null, Buffer.from(`${prefix}.${kid}.${claims}`), createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x }, format: 'jwk' }), Buffer.from(sig, 'base64url'));
  return ok ? (JSON.parse(Buffer.from(claims, 'base64url').toString()) as Record<string, unknown>) : undefined;
}

describe('consent of the subject (NĐ 70/2024 Art. 10(2))', () => {
  test('a state body of Art. 8(1) does not wait; another organisation waits with no deadline and cannot be provided', async () => {
    const state = await record(body(f.stranger, { requester: STATE_BODY }));
    assert.equal(state.status, 'open');
    assert.equal(state.consentRequired, false);
    const org = await record(body(f.stranger, { requester: ORG }));
    assert.equal(org.status, 'awaiting_consent');
    assert.equal(org.consentRequired, true);
    assert.equal(org.deadline, undefined);
    const early = await decide(org.requestId, { decision: 'provide' });
    assert.equal(early.status, 409);
    assert.equal(early.body.code, 'WRITTEN_REQUEST_AWAITING_CONSENT');
  });

  test('the subject consents through the API: the 3 working days run from the consent', async () => {
    const org = await record(body(f.stranger, { requester: ORG }));
    const mine = await asCitizen(s, f.tokens.stranger, 'GET', '/me/written-requests');
    assert.equal(mine.status, 200, JSON.stringify(mine.body));
    assert.ok(mine.body.items.some((i: { requestId: string; status: string }) => i.requestId === org.requestId && i.status === 'awaiting_consent'));
    s.clock.set('2026-06-03T02:00:00.000Z'); // Wednesday 09:00
    try {
      const ok = await asCitizen(s, f.tokens.stranger, 'POST', `/me/written-requests/${org.requestId}/consent`, { answer: 'given' });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.equal(ok.body.status, 'open');
      assert.deepEqual({ day: ok.body.deadline.day, by: ok.body.deadline.by }, { day: '2026-06-08', by: 'end_of_day' });
      const again = await asCitizen(s, f.tokens.stranger, 'POST', `/me/written-requests/${org.requestId}/consent`, { answer: 'refused' });
      assert.equal(again.status, 409);
      assert.equal(again.body.code, 'CONSENT_NOT_PENDING');
      const shown = await s.call('GET', `/written-requests/${org.requestId}`, { token: s.tokens.officer });
      assert.deepEqual(shown.body.events.map((e: { kind: string; channel?: string }) => [e.kind, e.channel]), [['received', 'counter'], ['consent_given', 'api']]);
    } finally {
      s.clock.set('2026-06-01T03:00:00.000Z');
    }
  });

  test('the subject refuses: the request is refused with that reason in a signed refusal letter', async () => {
    const org = await record(body(f.stranger, { requester: ORG }));
    const no = await asCitizen(s, f.tokens.stranger, 'POST', `/me/written-requests/${org.requestId}/consent`, { answer: 'refused' });
    assert.equal(no.status, 200, JSON.stringify(no.body));
    assert.equal(no.body.status, 'refused');
    assert.match(no.body.reasons[0], /không đồng ý/);
    assert.match(no.body.certificateNumber, /^TCYCTT-2026-/);
    const letter = await download(`/written-requests/${org.requestId}/letter`);
    assert.equal(letter.status, 200);
    const text = await pdfText(letter.bytes);
    assert.match(text, /TỪ CHỐI CUNG CẤP THÔNG TIN/);
    assert.match(text.replace(/\s+/g, ' '), /Chủ thể thông tin không đồng ý/);
    const late = await decide(org.requestId, { decision: 'provide' });
    assert.equal(late.status, 409);
    assert.equal(late.body.code, 'WRITTEN_REQUEST_ALREADY_DECIDED');
  });

  test('an officer records a consent given on paper; a request not waiting for consent refuses it', async () => {
    const org = await record(body(f.stranger, { requester: ORG }));
    const paper = await s.call('POST', `/written-requests/${org.requestId}/consent`, { token: s.tokens.officer, body: { answer: 'given', note: 'Giấy đồng ý ký ngày 01/06/2026' } });
    assert.equal(paper.status, 200, JSON.stringify(paper.body));
    assert.equal(paper.body.status, 'open');
    const own = await record(body(f.stranger));
    const none = await s.call('POST', `/written-requests/${own.requestId}/consent`, { token: s.tokens.officer, body: { answer: 'given' } });
    assert.equal(none.status, 409);
    assert.equal(none.body.code, 'CONSENT_NOT_PENDING');
  });
});

describe('decisions and letters', () => {
  test('provide: a Vietnamese PDF with the data asked, signed, verifiable offline and by number; each download recorded', async () => {
    const r = await record(body(f.parent, { fields: ['identity', 'usage'], requester: STATE_BODY }));
    const d = await decide(r.requestId, { decision: 'provide' });
    assert.equal(d.status, 200, JSON.stringify(d.body));
    assert.equal(d.body.status, 'provided');
    assert.equal(d.body.deadline.status, 'met');
    const number = d.body.certificateNumber as string;
    assert.match(number, /^TLYCTT-2026-[0-9A-Z]{8}$/);

    const letter = await download(`/written-requests/${r.requestId}/letter`, s.tokens.officer, 'Trả lời văn bản yêu cầu');
    assert.equal(letter.status, 200);
    assert.equal(letter.type, 'application/pdf');
    const text = (await pdfText(letter.bytes)).replace(/\s+/g, ' ');
    for (const expected of ['CUNG CẤP THÔNG TIN', 'Trần Văn Cha', '01/01/1980', f.parent, 'Thông tin nhân thân', 'Lịch sử khai thác thông tin', 'Tòa án nhân dân khu vực 1', r.requestId, number]) {
      assert.ok(text.includes(expected), `${expected} in the letter`);
    }

    // The letter as issued, read through the service (the generic certificate routes refuse letters).
    const cert = await getCertificate(s.runtime.ctx, number);
    assert.equal(cert.kind, 'WRITTEN_REQUEST_REPLY');
    const claims = verifyOffline(cert.statement, (await s.call('GET', '/.well-known/dancu-keys.json')).body);
    assert.equal(claims?.n, number);
    assert.equal(claims?.p, f.parent);
    const pub = await s.call('POST', `/certificates/${number}/verification`, { body: { printedText: printedTextOf(cert) } });
    assert.equal(pub.status, 200);
    assert.deepEqual(pub.body, { number, kind: 'WRITTEN_REQUEST_REPLY', issuedOn: '2026-06-01', valid: true, status: 'valid', textMatches: true });

    // Two downloads, two releases recorded under the subject with the purpose given.
    await download(`/written-requests/${r.requestId}/letter`, s.tokens.officer, 'Giao bản thứ hai');
    const entries = await s.runtime.store.db.selectFrom('access_entry').selectAll().where('subject_key', '=', f.parent).where('action', '=', 'releaseWrittenRequestLetter').orderBy('at').orderBy('entry_id').execute();
    assert.deepEqual(entries.map((e) => [e.purpose, e.outcome]), [['Trả lời văn bản yêu cầu', 'served'], ['Giao bản thứ hai', 'served']]);
    assert.deepEqual(JSON.parse(entries[0]!.fields as string).sort(), ['identity', 'personalId', 'usage']);
    const withoutPurpose = await download(`/written-requests/${r.requestId}/letter`, s.tokens.officer, '');
    assert.equal(withoutPurpose.status, 400);
  });

  test('refuse without reasons → 400 and nothing changes; with reasons → a signed refusal letter', async () => {
    const r = await record(body(f.stranger));
    const before = await rowCounts();
    for (const b of [{ decision: 'refuse' }, { decision: 'refuse', reasons: [] }, { decision: 'refuse', reasons: ['  '] }]) {
      const bad = await decide(r.requestId, b);
      assert.equal(bad.status, 400, JSON.stringify(b));
      assert.equal(bad.body.code, 'REASONS_REQUIRED');
    }
    assert.deepEqual(await rowCounts(), before);
    assert.equal((await s.call('GET', `/written-requests/${r.requestId}`, { token: s.tokens.officer })).body.status, 'open');
    const no = await decide(r.requestId, { decision: 'refuse', reasons: ['Văn bản yêu cầu không nêu rõ mục đích sử dụng thông tin'] });
    assert.equal(no.status, 200, JSON.stringify(no.body));
    assert.equal(no.body.status, 'refused');
    const text = (await pdfText((await download(`/written-requests/${r.requestId}/letter`)).bytes)).replace(/\s+/g, ' ');
    assert.ok(text.includes('Lý do từ chối 1'));
    assert.ok(text.includes('không nêu rõ mục đích sử dụng thông tin'));
  });

  test('an undecided request has no letter', async () => {
    const r = await record(body(f.stranger));
    const l = await s.call('GET', `/written-requests/${r.requestId}/letter`, { token: s.tokens.officer });
    assert.equal(l.status, 409);
    assert.equal(l.body.code, 'WRITTEN_REQUEST_UNDECIDED');
  });

  test('two simultaneous decisions: exactly one wins, the other is 409; one decision row, one letter', async () => {
    for (let round = 0; round < 3; round++) {
      const r = await record(body(f.stranger));
      const answers = await Promise.all([decide(r.requestId, { decision: 'provide' }), decide(r.requestId, { decision: 'refuse', reasons: ['Lý do'] }), decide(r.requestId, { decision: 'provide' })]);
      assert.deepEqual(answers.map((a) => a.status).sort(), [200, 409, 409], JSON.stringify(answers.map((a) => a.body)));
      for (const a of answers.filter((x) => x.status === 409)) assert.equal(a.body.code, 'WRITTEN_REQUEST_ALREADY_DECIDED');
      const db = s.runtime.store.db;
      const decisions = await db.selectFrom('written_request_event').select('kind').where('request_id', '=', r.requestId).where('kind', 'in', ['provided', 'refused']).execute();
      assert.equal(decisions.length, 1);
      const letters = await db.selectFrom('certificate').select('number').where('personal_id', '=', f.stranger).execute();
      const shown = await s.call('GET', `/written-requests/${r.requestId}`, { token: s.tokens.officer });
      assert.ok(letters.some((l) => l.number === shown.body.certificateNumber));
      assert.equal(letters.filter((l) => l.number.startsWith('TLYCTT') || l.number.startsWith('TCYCTT')).length, (await db.selectFrom('written_request').select('request_id').where('personal_id', '=', f.stranger).where('certificate_number', 'is not', null).execute()).length);
    }
  });

  test('every step is a committed row with its transparency-log leaf', async () => {
    const db = s.runtime.store.db;
    const events = await db.selectFrom('written_request_event').select(['personal_id', 'request_id', 'seq']).execute();
    const leaves = await db.selectFrom('tlog_leaf_ref').select(['subject_key', 'ref']).where('kind', '=', 'written_request_event').execute();
    assert.ok(events.length > 10);
    assert.deepEqual(new Set(leaves.map((l) => `${l.subject_key}/${l.ref}`)), new Set(events.map((e) => `${e.personal_id}/${e.request_id}/${e.seq}`)));
  });
});

describe('one decision per request, by the database', () => {
  test('the unique indexes lead with personal_id (Citus: DESIGN §5), and a refused consent counts as the decision', async () => {
    const store = s.runtime.store;
    const defs = store.kind === 'sqlite'
      ? (await sql<{ name: string; def: string }>`select name, sql as def from sqlite_master where name in ('written_request_decided_once', 'written_request_consent_once')`.execute(store.db)).rows
      : (await sql<{ name: string; def: string }>`select indexname as name, indexdef as def from pg_indexes where indexname in ('written_request_decided_once', 'written_request_consent_once')`.execute(store.db)).rows;
    assert.equal(defs.length, 2);
    for (const d of defs) assert.match(d.def.replace(/\s+/g, ' '), /\(personal_id, request_id\)/, d.name);
    assert.match(defs.find((d) => d.name === 'written_request_decided_once')!.def, /consent_refused/);

    // A request ended by the subject's refusal cannot take another decision row, even written past the service.
    const org = await record(body(f.stranger, { requester: ORG }));
    const no = await asCitizen(s, f.tokens.stranger, 'POST', `/me/written-requests/${org.requestId}/consent`, { answer: 'refused' });
    assert.equal(no.status, 200, JSON.stringify(no.body));
    const row = { personal_id: f.stranger, request_id: org.requestId, at: '2026-06-01T03:00:00.000Z', actor_id: 'test', channel: null, details: '{}' };
    await assert.rejects(store.transaction((tx) => tx.insertInto('written_request_event').values({ ...row, seq: 3, kind: 'refused' }).execute()));
    await assert.rejects(store.transaction((tx) => tx.insertInto('written_request_event').values({ ...row, seq: 3, kind: 'provided' }).execute()));
    const kinds = await store.db.selectFrom('written_request_event').select('kind').where('request_id', '=', org.requestId).orderBy('seq').execute();
    assert.deepEqual(kinds.map((k) => k.kind), ['received', 'consent_refused']);
  });
});
