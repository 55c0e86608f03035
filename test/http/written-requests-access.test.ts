/**
 * Written requests for citizens' data (issue 14 item 5; decision 0040), over HTTP on the store under
 * test: who may do what (the authorization matrix, the officer-only decision in the service itself,
 * letters never served by the generic certificate routes, the scan returned as received), and bad
 * input — a stable code and nothing written. Shared helpers: test/support/written-requests.ts.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { startTestServer, type TestServer } from '../support/http.js';
import { family, type Family } from '../support/usage.js';
import { body, PDF, PNG, scanOf, STATE_BODY, writtenRequestCalls } from '../support/written-requests.js';
import { decideWrittenRequest } from '../../src/services/written-requests/decision.js';

let s: TestServer;
let f: Family;
const { record, decide, download, rowCounts } = writtenRequestCalls(() => s);

before(async () => {
  s = await startTestServer('2026-06-01T03:00:00.000Z'); // Monday 10:00 in Vietnam
  f = await family(s);
});
after(async () => s.close());

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
