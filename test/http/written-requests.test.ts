/**
 * Written requests for citizens' data (issue 14 item 5; decision 0040), over HTTP on the store under
 * test: deadlines on the residence calendar with the clock injected, the consent wait and its answers,
 * the signed reply and refusal letters (read back with pdfjs, verified offline with the published key
 * and through the public route), the work lists, who may do what, the recording of every release,
 * bad uploads, and two simultaneous decisions.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { startTestServer, TEST_PURPOSE, type TestServer } from '../support/http.js';
import { family, asCitizen, type Family } from '../support/usage.js';
import { pdfText } from '../support/pdf.js';
import { sql } from 'kysely';
import { getCertificate, printedTextOf } from '../../src/services/certificates.js';
import { decideWrittenRequest } from '../../src/services/written-requests/decision.js';

let s: TestServer;
let f: Family;
// Synthetic scans: a minimal PDF header and a PNG signature are what the check reads.
const PDF = Buffer.from('%PDF-1.4\n% scanned letter (synthetic)\n%%EOF\n');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
const scanOf = (bytes: Buffer, mediaType = 'application/pdf') => ({ mediaType, contentBase64: bytes.toString('base64') });
const ORG = { kind: 'organisation', name: 'Công ty TNHH Thử Nghiệm', stateBody: false, registrationNumber: '0101234567', address: 'Số 1 phố Thử, Hà Nội' } as const;
const STATE_BODY = { kind: 'organisation', name: 'Tòa án nhân dân khu vực 1', stateBody: true } as const;

function body(personalId: string, more: Record<string, unknown> = {}) {
  return { personalId, channel: 'counter', requester: { kind: 'citizen', personalId }, fields: ['identity'], purpose: 'Làm thủ tục vay vốn', scan: scanOf(PDF), ...more };
}

async function record(b: unknown, expect = 201) {
  const r = await s.call('POST', '/written-requests', { token: s.tokens.officer, body: b });
  assert.equal(r.status, expect, JSON.stringify(r.body));
  return r.body;
}

async function decide(requestId: string, b: unknown, token = s.tokens.officer) {
  return s.call('POST', `/written-requests/${requestId}/decision`, { token, body: b });
}

async function download(path: string, token = s.tokens.officer, purpose = TEST_PURPOSE) {
  const res = await fetch(`${s.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}`, 'x-purpose': encodeURIComponent(purpose) } });
  return { status: res.status, type: res.headers.get('content-type'), headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

async function rowCounts() {
  const db = s.runtime.store.db;
  const n = async (t: 'written_request' | 'written_request_event' | 'written_request_scan') => Number((await db.selectFrom(t).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  return { requests: await n('written_request'), events: await n('written_request_event'), scans: await n('written_request_scan') };
}

/** Offline verification as a third party would do it: only the published JWKS and node:crypto. */
function verifyOffline(statement: string, jwks: { keys: { kid: string; x: string; kty: string; crv: string }[] }): Record<string, unknown> | undefined {
  const [prefix, kid, claims, sig] = statement.split('.');
  const jwk = jwks.keys.find((k) => k.kid === kid);
  if (!jwk || !claims || !sig) return undefined;
  const ok = verify(null, Buffer.from(`${prefix}.${kid}.${claims}`), createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x }, format: 'jwk' }), Buffer.from(sig, 'base64url'));
  return ok ? (JSON.parse(Buffer.from(claims, 'base64url').toString()) as Record<string, unknown>) : undefined;
}

before(async () => {
  s = await startTestServer('2026-06-01T03:00:00.000Z'); // Monday 10:00 in Vietnam
  f = await family(s);
});
after(async () => s.close());

describe('deadlines: 3 working days on the residence calendar', () => {
  const cases: [string, string, string, string][] = [
    // [what, receivedAt (instant), received on, due on]
    ['a Friday before the Tết holidays (16–20 Feb 2026)', '2026-02-13T03:00:00.000Z', '2026-02-13', '2026-02-25'],
    ['a Saturday morning before Tết counts that Saturday', '2026-02-14T02:00:00.000Z', '2026-02-14', '2026-02-25'],
    ['a Saturday afternoon counts from the next working day', '2026-02-14T08:00:00.000Z', '2026-02-23', '2026-02-26'],
    ['a Friday before National Day (2–3 Sep 2026)', '2026-08-28T09:30:00.000Z', '2026-08-28', '2026-09-04'],
    ['late on Sunday evening (local) counts on Monday', '2026-05-31T15:00:00.000Z', '2026-06-01', '2026-06-04'],
    ['a Wednesday before 30 April – 1 May', '2026-04-29T02:00:00.000Z', '2026-04-29', '2026-05-06'],
  ];
  for (const [what, receivedAt, receivedOn, dueOn] of cases) {
    test(what, async () => {
      // Recorded the next day: the receipt, not the recording, starts the period.
      s.clock.set(new Date(Date.parse(receivedAt) + 86_400_000).toISOString());
      const r = await record(body(f.stranger, { channel: 'post', receivedAt })).finally(() => s.clock.set('2026-06-01T03:00:00.000Z'));
      assert.equal(r.receivedOn, receivedOn);
      assert.deepEqual({ day: r.deadline.day, by: r.deadline.by }, { day: dueOn, by: 'end_of_day' });
      assert.equal(r.status, 'open');
    });
  }

  test('a receipt in the future is refused and writes nothing', async () => {
    const before = await rowCounts();
    const r = await s.call('POST', '/written-requests', { token: s.tokens.officer, body: body(f.stranger, { receivedAt: '2026-06-02T03:00:00.000Z' }) });
    assert.equal(r.status, 400);
    assert.equal(r.body.code, 'DATE_IN_FUTURE');
    assert.deepEqual(await rowCounts(), before);
  });
});

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

describe('who may do what', () => {
  test('the authorization matrix', async () => {
    const r = await record(body(f.stranger));
    const citizen = f.tokens.stranger;
    const matrix: [string, string, string | undefined, unknown, number][] = [
      ['record, inspector', 'POST /written-requests', s.tokens.inspector, body(f.stranger), 403],
      ['record, citizen', 'POST /written-requests', citizen, body(f.stranger), 403],
      ['record, anonymous', 'POST /written-requests', undefined, body(f.stranger), 401],
      ['record, admin', 'POST /written-requests', s.tokens.admin, body(f.stranger), 201],
      ['list, inspector', 'GET /written-requests', s.tokens.inspector, undefined, 200],
      ['list, citizen', 'GET /written-requests', citizen, undefined, 403],
      ['decide, admin', `POST /written-requests/${r.requestId}/decision`, s.tokens.admin, { decision: 'provide' }, 403],
      ['decide, inspector', `POST /written-requests/${r.requestId}/decision`, s.tokens.inspector, { decision: 'provide' }, 403],
      ['decide, citizen', `POST /written-requests/${r.requestId}/decision`, citizen, { decision: 'provide' }, 403],
      ['scan, inspector', `GET /written-requests/${r.requestId}/scan`, s.tokens.inspector, undefined, 403],
      ['paper consent, inspector', `POST /written-requests/${r.requestId}/consent`, s.tokens.inspector, { answer: 'given' }, 403],
      ['citizen consent route, officer', `POST /me/written-requests/${r.requestId}/consent`, s.tokens.officer, { answer: 'given' }, 403],
      ['decide, officer', `POST /written-requests/${r.requestId}/decision`, s.tokens.officer, { decision: 'provide' }, 200],
    ];
    for (const [what, route, token, b, expect] of matrix) {
      const [method, path] = route.split(' ') as [string, string];
      const res = await s.call(method, path, { ...(token ? { token } : {}), ...(b !== undefined ? { body: b } : {}), ...(token === citizen ? { headers: { 'x-purpose': '' } } : {}) });
      assert.equal(res.status, expect, `${what}: ${JSON.stringify(res.body)}`);
    }
  });

  test('only an officer decides, whoever calls the service (not only the HTTP edge)', async () => {
    const r = await record(body(f.stranger));
    for (const role of ['admin', 'inspector', 'citizen', 'system'] as const) {
      await assert.rejects(
        decideWrittenRequest(s.runtime.ctx, s.runtime.catalogue, s.runtime.keys, { principalId: `test-${role}`, role }, r.requestId, { decision: 'provide' }),
        (e: { code?: string }) => e.code === 'FORBIDDEN',
        role,
      );
    }
    const shown = await s.call('GET', `/written-requests/${r.requestId}`, { token: s.tokens.officer });
    assert.equal(shown.body.status, 'open');
    assert.equal(shown.body.events.length, 1);
  });

  test('a letter is never served by the generic certificate routes, to any role; anyone still verifies it by number', async () => {
    const r = await record(body(f.ward, { requester: STATE_BODY }));
    const number = (await decide(r.requestId, { decision: 'provide' })).body.certificateNumber as string;
    const refused = await record(body(f.ward));
    const refusal = (await decide(refused.requestId, { decision: 'refuse', reasons: ['Lý do'] })).body.certificateNumber as string;
    for (const n of [number, refusal]) {
      for (const [who, token] of [['officer', s.tokens.officer], ['admin', s.tokens.admin], ['inspector', s.tokens.inspector]] as const) {
        for (const path of [`/certificates/${n}`, `/certificates/${n}/pdf`]) {
          const res = await s.call('GET', path, { token });
          assert.equal(res.status, 404, `${who} ${path}`);
          assert.equal(res.body.code, 'CERTIFICATE_NOT_FOUND');
          assert.match(res.body.detail, /\/written-requests\/\{requestId\}\/letter/);
        }
      }
      const pub = await s.call('GET', `/certificates/${n}/verification`);
      assert.equal(pub.status, 200);
      assert.equal(pub.body.valid, true);
    }
    // Nothing of the subject was released through them.
    const db = s.runtime.store.db;
    const generic = await db.selectFrom('access_entry').select('action').where('subject_key', '=', f.ward).where('action', 'in', ['getCertificate', 'getCertificatePdf']).execute();
    assert.deepEqual(generic, []);
    // The letter's own route still serves it, recorded as a release.
    assert.equal((await download(`/written-requests/${r.requestId}/letter`)).status, 200);
  });

  test('the scanned letter comes back as received, with its SHA-256', async () => {
    const r = await record(body(f.stranger, { scan: scanOf(PNG, 'image/png') }));
    const sha = createHash('sha256').update(PNG).digest('hex');
    assert.deepEqual(r.scan, { sha256: sha, mediaType: 'image/png', size: PNG.length });
    const got = await download(`/written-requests/${r.requestId}/scan`);
    assert.equal(got.status, 200);
    assert.equal(got.type, 'image/png');
    assert.equal(got.headers.get('x-content-sha256'), sha);
    assert.deepEqual(got.bytes, PNG);
    // A download, never rendered from the API's origin, its type not guessed.
    assert.equal(got.headers.get('content-disposition'), `attachment; filename="${r.requestId}-scan.png"`);
    assert.equal(got.headers.get('x-content-type-options'), 'nosniff');
    const received = (await s.call('GET', `/written-requests/${r.requestId}`, { token: s.tokens.officer })).body.events[0];
    assert.equal(received.details.scan.sha256, sha);
  });
});

describe('bad input: a stable code and nothing written', () => {
  const cases: [string, () => unknown, number, string][] = [
    ['a receipt in a leap second (no JavaScript instant)', () => body(f.stranger, { receivedAt: '2016-12-31T23:59:60Z' }), 400, 'RECEIVED_AT_INVALID'],
    ['a receipt on 31 February (the schema\'s date-time check)', () => body(f.stranger, { receivedAt: '2026-02-31T03:00:00Z' }), 400, 'VALIDATION_FAILED'],
    ['a receipt in year 1', () => body(f.stranger, { receivedAt: '0001-01-01T00:00:00Z' }), 400, 'RECEIVED_BEFORE_LAW'],
    ['a receipt in 1900 (it would be overdue at once)', () => body(f.stranger, { receivedAt: '1900-01-01T00:00:00Z' }), 400, 'RECEIVED_BEFORE_LAW'],
    ['a receipt the day before the Law took effect (Vietnam time)', () => body(f.stranger, { receivedAt: '2024-06-30T23:59:59+07:00' }), 400, 'RECEIVED_BEFORE_LAW'],
    ['a wrong media type', () => body(f.stranger, { scan: scanOf(PDF, 'text/plain') }), 415, 'SCAN_TYPE_UNSUPPORTED'],
    ['bytes that are not the type declared', () => body(f.stranger, { scan: scanOf(PNG, 'application/pdf') }), 400, 'SCAN_TYPE_MISMATCH'],
    ['a letter over 10 MiB', () => body(f.stranger, { scan: scanOf(Buffer.concat([PDF, Buffer.alloc(10 * 1024 * 1024)])) }), 413, 'SCAN_TOO_LARGE'],
    ['not base64', () => body(f.stranger, { scan: { mediaType: 'application/pdf', contentBase64: '%%%%' } }), 400, 'VALIDATION_FAILED'],
    ['an unknown field', () => ({ ...body(f.stranger), priority: 'high' }), 400, 'VALIDATION_FAILED'],
    ['an unknown field group', () => body(f.stranger, { fields: ['identity', 'medical'] }), 400, 'VALIDATION_FAILED'],
    ['a field group twice', () => body(f.stranger, { fields: ['identity', 'identity'] }), 400, 'VALIDATION_FAILED'],
    ['an unknown subject', () => body('001099000001', { requester: STATE_BODY }), 404, 'CITIZEN_NOT_FOUND'],
    ['a citizen asking for a stranger\'s data', () => body(f.stranger, { requester: { kind: 'citizen', personalId: f.parent } }), 400, 'REQUESTER_NOT_REPRESENTATIVE'],
    ['a parent asking for an adult child\'s data', () => body(f.adultChild, { requester: { kind: 'citizen', personalId: f.parent } }), 400, 'REQUESTER_NOT_REPRESENTATIVE'],
  ];
  for (const [what, make, status, code] of cases) {
    test(what, async () => {
      const before = await rowCounts();
      const r = await s.call('POST', '/written-requests', { token: s.tokens.officer, body: make() });
      assert.equal(r.status, status, JSON.stringify(r.body).slice(0, 500));
      assert.equal(r.body.code, code);
      assert.equal(r.headers.get('content-type'), 'application/problem+json; charset=utf-8');
      assert.deepEqual(await rowCounts(), before);
    });
  }

  test('a parent may ask for a minor child\'s data', async () => {
    const r = await record(body(f.child, { requester: { kind: 'citizen', personalId: f.parent } }));
    assert.deepEqual(r.requester, { kind: 'citizen', personalId: f.parent, ground: 'minor_child' });
  });
});

describe('work lists', () => {
  test('open, due today, overdue and awaiting consent, ordered by deadline, paged; counts agree', async () => {
    const day = (iso: string) => s.clock.set(iso);
    try {
      // A fresh subject keeps this test's requests apart from the others'.
      day('2026-07-06T03:00:00.000Z'); // Monday
      const a = await record(body(f.ward, { requester: STATE_BODY })); // due Thu 9 July
      day('2026-07-07T03:00:00.000Z');
      const b = await record(body(f.ward, { requester: STATE_BODY })); // due Fri 10 July
      const c = await record(body(f.ward, { requester: ORG })); // awaiting consent
      day('2026-07-10T03:00:00.000Z'); // Friday: a overdue, b due today
      const list = async (view: string, more = '') => (await s.call('GET', `/written-requests?view=${view}&personalId=${f.ward}${more}`, { token: s.tokens.officer })).body;
      assert.deepEqual((await list('overdue')).items.map((i: { requestId: string }) => i.requestId), [a.requestId]);
      assert.deepEqual((await list('due_today')).items.map((i: { requestId: string }) => i.requestId), [b.requestId]);
      assert.deepEqual((await list('awaiting_consent')).items.map((i: { requestId: string }) => i.requestId), [c.requestId]);
      const open = await list('open');
      assert.deepEqual(open.items.map((i: { requestId: string }) => i.requestId), [c.requestId, a.requestId, b.requestId]);
      assert.deepEqual(open.items.map((i: { deadline?: { status: string } }) => i.deadline?.status), [undefined, 'overdue', 'due_today']);
      // Pages of one.
      const seen: string[] = [];
      let cursor = '';
      for (;;) {
        const page = await list('open', `&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        seen.push(...page.items.map((i: { requestId: string }) => i.requestId));
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      assert.deepEqual(seen, [c.requestId, a.requestId, b.requestId]);
      const counts = (await s.call('GET', '/written-requests/counts', { token: s.tokens.officer })).body;
      const everything = (await s.call('GET', '/written-requests?view=all&limit=200', { token: s.tokens.officer })).body.items as { status: string; deadline?: { day: string } }[];
      const today = '2026-07-10';
      assert.deepEqual(counts, {
        awaitingConsent: everything.filter((i) => i.status === 'awaiting_consent').length,
        open: everything.filter((i) => i.status === 'open').length,
        dueToday: everything.filter((i) => i.status === 'open' && i.deadline?.day === today).length,
        overdue: everything.filter((i) => i.status === 'open' && i.deadline!.day < today).length,
        provided: everything.filter((i) => i.status === 'provided').length,
        refused: everything.filter((i) => i.status === 'refused').length,
      });
      assert.ok(counts.overdue >= 1 && counts.dueToday >= 1 && counts.awaitingConsent >= 1);
    } finally {
      day('2026-06-01T03:00:00.000Z');
    }
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
