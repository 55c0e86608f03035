/**
 * The subscriber register over HTTP: operators' provider services with a real exchange token (one
 * link; a streamed NDJSON/CSV file, resumable by its request ID), refusals as problem+json (not a
 * telecom operator, no policy for the service), and the officer's and the citizen's views, recorded.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { startTestServer, type TestServer } from '../support/http.js';
import { admin, agencyBody, connectIn } from '../support/exchange.js';
import { seedPopulation } from '../../src/services/seed.js';
import { createPrincipal } from '../../src/services/principals.js';

const PURPOSE = 'TB-CAPNHAT';
const GRANTS = (services: string[]) => ({
  grants: services.map((service) => ({ service, fields: service === 'importSubscriberLinks' ? ['report'] : ['outcome', 'number', 'personalId'], purposes: [PURPOSE] })),
  ratePerMinute: 10_000,
});
const LIMITS = { maxLines: 50, maxBytes: 20_000 };
const telecom = (code: string) => agencyBody(code, { type: 'telecom_operator', name: `Nhà mạng ${code}` });

let s: TestServer;
let people: string[];
let vtl: string;

const headers = (t: string, requestId: string = randomUUID()) => ({ authorization: `Bearer ${t}`, 'x-request-id': requestId, 'x-purpose': PURPOSE, 'x-officer-id': 'NV-0001' });

async function upload(t: string, body: string, contentType: string, requestId?: string) {
  const res = await fetch(`${s.baseUrl}/exchange/services/importSubscriberLinks`, { method: 'POST', headers: { ...headers(t, requestId), 'content-type': contentType }, body });
  return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

before(async () => {
  // Small upload limits, so that a test can pass them (the defaults fit a million lines).
  s = await startTestServer('2026-06-01T08:00:00.000Z', { subscriberUpload: LIMITS });
  await seedPopulation(s.runtime.store, s.runtime.catalogue.categories, s.clock, { seed: 9, count: 60 });
  people = (await s.runtime.store.db.selectFrom('citizen').select('personal_id').orderBy('personal_id').execute()).map((r) => r.personal_id);
  await admin(s, 'POST', '/admin/catalogue/2026', undefined, 201);
  await admin(s, 'POST', '/admin/catalogue/2026/publication', {}, 200);
  vtl = (await connectIn(s, telecom('VTLTEST'), GRANTS(['submitSubscriberLink', 'importSubscriberLinks']), 'active')).token!;
});
after(async () => s?.close());

describe('provider services', () => {
  test('one link with an exchange token: applied, then a duplicate; the call is in the access log', async () => {
    const body = { recordId: 'V-1', action: 'link', number: '+84 97 000 0001', personalId: people[0], confirmedAt: '2026-05-01T10:00:00+07:00' };
    const r = await s.call('POST', '/exchange/services/submitSubscriberLink', { headers: headers(vtl), body });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body, { outcome: 'applied', number: '+84970000001', personalId: people[0] });
    const again = await s.call('POST', '/exchange/services/submitSubscriberLink', { headers: headers(vtl), body });
    assert.equal(again.body.outcome, 'duplicate');
    const logged = await s.runtime.store.db.selectFrom('access_entry').select(['action', 'outcome', 'agency_code']).where('subject_key', '=', people[0]!).where('action', '=', 'submitSubscriberLink').execute();
    assert.deepEqual(logged.map((x) => [x.action, x.outcome, x.agency_code]), [['submitSubscriberLink', 'served', 'VTLTEST'], ['submitSubscriberLink', 'served', 'VTLTEST']]);
  });

  test('a bad line is a problem+json with its stable code, and changes nothing', async () => {
    const r = await s.call('POST', '/exchange/services/submitSubscriberLink', { headers: headers(vtl), body: { recordId: 'V-2', action: 'link', number: '0201234567', personalId: people[1], confirmedAt: '2026-05-01' } });
    assert.equal(r.status, 400);
    assert.match(r.headers.get('content-type') ?? '', /problem\+json/);
    assert.equal(r.body.code, 'PHONE_NUMBER_INVALID');
    const unknown = await s.call('POST', '/exchange/services/submitSubscriberLink', { headers: headers(vtl), body: { recordId: 'V-3', action: 'link', number: '0970000003', personalId: '001099999999', confirmedAt: '2026-05-01' } });
    assert.deepEqual([unknown.status, unknown.body.code], [404, 'CITIZEN_NOT_FOUND']);
    const rows = await s.runtime.store.db.selectFrom('subscriber_record').select('record_id').where('record_id', 'in', ['V-2', 'V-3']).execute();
    assert.deepEqual(rows, []);
  });

  test('a file, streamed as NDJSON: the report; the same request ID again returns the same report', async () => {
    const lines = people.slice(10, 40).map((p, i) => JSON.stringify({ recordId: `VF-${i}`, action: 'link', number: `097100${String(i).padStart(4, '0')}`, personalId: p, confirmedAt: '2026-05-02' }));
    lines.splice(5, 0, 'not json', JSON.stringify({ recordId: 'VF-x', action: 'link', number: '0971009999', personalId: people[10], confirmedAt: '2027-01-01' }));
    const id = randomUUID();
    const r = await upload(vtl, lines.join('\n') + '\n', 'application/x-ndjson', id);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual([r.body.status, r.body.linesDone, r.body.applied, r.body.rejected], ['done', 32, 30, 2]);
    assert.deepEqual(r.body.rejects, [{ lineNo: 6, code: 'SUBSCRIBER_LINE_MALFORMED', field: null }, { lineNo: 7, code: 'DATE_IN_FUTURE', field: 'confirmedAt' }]);
    const again = await upload(vtl, lines.join('\n'), 'application/x-ndjson', id);
    assert.deepEqual(again.body, r.body);
    const csv = await upload(vtl, `recordId,action,number,personalId,endedAt\nVC-1,end,0971000000,${people[10]},2026-05-03\n`, 'text/csv');
    assert.deepEqual([csv.status, csv.body.applied, csv.body.rejected], [200, 1, 0]);
    const owner = await s.runtime.store.db.selectFrom('subscriber_number').select('personal_id').where('number', '=', '+84971000000').executeTakeFirst();
    assert.equal(owner, undefined);
  });

  test('refusals: an agency that is not a telecom operator; an operator whose policy lacks the service; a bad media type', async () => {
    const bank = (await connectIn(s, agencyBody('BANKSUB'), GRANTS(['submitSubscriberLink', 'importSubscriberLinks']), 'active')).token!;
    const body = { recordId: 'B-1', action: 'link', number: '0970000050', personalId: people[2], confirmedAt: '2026-05-01' };
    const r = await s.call('POST', '/exchange/services/submitSubscriberLink', { headers: headers(bank), body });
    assert.deepEqual([r.status, r.body.code], [403, 'AGENCY_NOT_TELECOM_OPERATOR']);
    const f = await upload(bank, JSON.stringify(body) + '\n', 'application/x-ndjson');
    assert.deepEqual([f.status, f.body.code], [403, 'AGENCY_NOT_TELECOM_OPERATOR']);
    assert.match(f.type ?? '', /problem\+json/);
    const narrow = (await connectIn(s, telecom('MBFTEST'), GRANTS(['submitSubscriberLink']), 'active')).token!;
    const n = await upload(narrow, JSON.stringify(body) + '\n', 'application/x-ndjson');
    assert.deepEqual([n.status, n.body.code], [403, 'SERVICE_NOT_ALLOWED']);
    const noToken = await upload('x', JSON.stringify(body), 'application/x-ndjson');
    assert.deepEqual([noToken.status, noToken.body.code], [401, 'EXCHANGE_TOKEN_INVALID']);
    const json = await fetch(`${s.baseUrl}/exchange/services/importSubscriberLinks`, { method: 'POST', headers: { ...headers(vtl), 'content-type': 'application/json' }, body: '{}' });
    assert.equal(json.status, 415);
    assert.equal(await s.runtime.store.db.selectFrom('subscriber_record').select('record_id').where('record_id', '=', 'B-1').executeTakeFirst(), undefined);
  });
});

/** A request written on a raw socket (a declared length or chunks the client controls); the answer read until the server closes. */
async function rawUpload(t: string, head: Record<string, string>, chunks: string[]): Promise<{ status: number; headers: string; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const { port } = new URL(s.baseUrl);
  const socket = connect(Number(port), '127.0.0.1');
  let text = '';
  socket.on('data', (d) => (text += d));
  socket.on('error', () => undefined); // the server may close while we still write: its answer is what counts
  await new Promise<void>((r) => socket.once('connect', () => r()));
  const all = { ...headers(t), 'content-type': 'application/x-ndjson', ...head };
  socket.write(`POST /exchange/services/importSubscriberLinks HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\n${Object.entries(all).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`);
  for (const c of chunks) socket.write(c);
  await new Promise<void>((r) => socket.once('close', () => r()));
  const [headText = '', bodyText = ''] = text.split('\r\n\r\n');
  const chunked = /transfer-encoding: chunked/i.test(headText);
  const payload = chunked ? bodyText.split('\r\n').filter((_, i) => i % 2 === 1).join('') : bodyText;
  return { status: Number(headText.split(' ')[1]), headers: headText, body: JSON.parse(payload) };
}

describe('upload limits', () => {
  const link = (i: number, pad = '') => JSON.stringify({ recordId: `LIM-${i}`, action: 'link', number: `0975${String(i).padStart(6, '0')}`, personalId: people[40 + (i % 20)], confirmedAt: '2026-05-02', pad }) + '\n';
  const records = async () => (await s.runtime.store.db.selectFrom('subscriber_record').select('record_id').where('record_id', 'like', 'LIM-%').execute()).length;

  test('a declared size past the limit: 413 problem+json before anything is read, the connection closed, nothing changed', async () => {
    const id = randomUUID();
    const r = await rawUpload(vtl, { 'x-request-id': id, 'content-length': String(LIMITS.maxBytes + 1) }, [link(1)]);
    assert.deepEqual([r.status, r.body.code], [413, 'SUBSCRIBER_UPLOAD_TOO_LARGE']);
    assert.match(r.headers, /content-type: application\/problem\+json/i);
    assert.match(r.headers, /connection: close/i);
    assert.equal(await records(), 0);
    const m = await s.runtime.store.db.selectFrom('subscriber_import').select('import_key').where('import_key', '=', `http:${id}`).executeTakeFirst();
    assert.equal(m, undefined, 'no import was opened');
  });

  test('more lines than the limit: 413 at the line past it; within one batch nothing is committed', async () => {
    const body = Array.from({ length: LIMITS.maxLines + 1 }, (_, i) => link(i)).join('');
    assert.ok(Buffer.byteLength(body) < LIMITS.maxBytes);
    const r = await upload(vtl, body, 'application/x-ndjson');
    assert.deepEqual([r.status, r.body.code], [413, 'SUBSCRIBER_UPLOAD_TOO_LARGE']);
    assert.match(r.type ?? '', /problem\+json/);
    assert.equal(await records(), 0);
    // Exactly the limit is accepted.
    const ok = await upload(vtl, Array.from({ length: LIMITS.maxLines }, (_, i) => link(i)).join(''), 'application/x-ndjson');
    assert.deepEqual([ok.status, ok.body.linesDone, ok.body.applied], [200, LIMITS.maxLines, LIMITS.maxLines]);
  });

  test('a chunked upload (no declared size) passing the byte limit: 413 when it does, nothing changed', async () => {
    const pad = 'x'.repeat(1_000);
    const lines = Array.from({ length: 30 }, (_, i) => link(100 + i, pad)); // ~32 KB, under the line limit
    const chunks = lines.map((l) => `${Buffer.byteLength(l).toString(16)}\r\n${l}\r\n`).concat('0\r\n\r\n');
    const r = await rawUpload(vtl, { 'x-request-id': randomUUID(), 'transfer-encoding': 'chunked' }, chunks);
    assert.deepEqual([r.status, r.body.code], [413, 'SUBSCRIBER_UPLOAD_TOO_LARGE']);
    assert.equal((await s.runtime.store.db.selectFrom('subscriber_record').select('record_id').where('record_id', 'like', 'LIM-1__').execute()).length, 0);
  });
});

describe('views', () => {
  test("an officer sees a citizen's numbers (recorded with the purpose); the citizen sees their own, not another's", async () => {
    const p = people[0]!;
    const r = await s.call('GET', `/citizens/${p}/subscriber-numbers`, { token: s.tokens.officer });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { personalId: p, numbers: [{ number: '+84970000001', operator: 'VTLTEST', recordId: 'V-1', confirmedAt: '2026-05-01T03:00:00.000Z', current: true }] });
    const entry = await s.runtime.store.db.selectFrom('access_entry').select(['action', 'purpose', 'role']).where('subject_key', '=', p).where('action', '=', 'getSubscriberNumbers').execute();
    assert.deepEqual(entry, [{ action: 'getSubscriberNumbers', purpose: 'TEST', role: 'officer' }]);
    const noPurpose = await s.call('GET', `/citizens/${p}/subscriber-numbers`, { token: s.tokens.officer, purpose: null });
    assert.equal(noPurpose.status, 400);
    const missing = await s.call('GET', '/citizens/001099999999/subscriber-numbers', { token: s.tokens.officer });
    assert.deepEqual([missing.status, missing.body.code], [404, 'CITIZEN_NOT_FOUND']);

    const citizen = (await createPrincipal(s.runtime.store, s.clock, 'Citizen', 'citizen', undefined, { personalId: p })).token;
    const own = await s.call('GET', '/me/subscriber-numbers', { token: citizen });
    assert.equal(own.status, 200, JSON.stringify(own.body));
    assert.deepEqual(own.body.numbers.map((x: { number: string }) => x.number), ['+84970000001']);
    const other = await s.call('GET', `/me/subscriber-numbers?personalId=${people[5]}`, { token: citizen });
    assert.equal(other.status, 403);
    const officerOnMe = await s.call('GET', '/me/subscriber-numbers', { token: s.tokens.officer });
    assert.equal(officerOnMe.status, 403);
    const own2 = await s.runtime.store.db.selectFrom('access_entry').select(['action', 'role']).where('subject_key', '=', p).where('action', '=', 'getMySubscriberNumbers').execute();
    // A citizen using their own data makes no entry (http/recording.ts, decision 0032).
    assert.deepEqual(own2, []);
  });
});
