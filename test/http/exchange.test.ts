/**
 * Data exchange end to end over HTTP: an agency registered, its system connected through every
 * lifecycle stage, calling services within its policy and nothing more, suspended and terminated
 * with immediate effect, every call logged, and a statement that matches the log.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, birthBody, type TestServer } from '../support/http.js';
import { admin, agencyBody, assertion, callService, connect, moveTo, newKey, token, tokenCall, type AgencySystem } from '../support/exchange.js';
import { seedPopulation } from '../../src/services/seed.js';

let s: TestServer;
let bank: AgencySystem;
let synthetic: string;
let real: string;
const POLICY = {
  grants: [
    { service: 'lookupCitizen', fields: ['fullName', 'dateOfBirth'], purposes: ['1.004222'] },
    { service: 'verifyCitizen', fields: ['fullName', 'dateOfBirth', 'sex'], purposes: ['1.004222'] },
  ],
  ratePerMinute: 1000,
  dailyQuota: 12,
};

before(async () => {
  s = await startTestServer('2026-06-01T03:00:00.000Z');
  await seedPopulation(s.runtime.store, s.runtime.catalogue.categories, s.clock, { seed: 4, count: 100 });
  synthetic = (await s.runtime.store.db.selectFrom('citizen').select('personal_id').where('date_of_death', 'is', null).orderBy('personal_id').limit(1).executeTakeFirstOrThrow()).personal_id;
  real = (await s.call('POST', '/citizens', { token: s.tokens.officer, body: birthBody({ fullName: 'Đoàn Văn Thật', dateOfBirth: '1990-09-09' }) })).body.personalId;
  await admin(s, 'POST', '/admin/catalogue/2026', undefined, 201);
  await admin(s, 'POST', '/admin/catalogue/2026/publication', {}, 200);
  bank = await connect(s, agencyBody('NHTEST'), POLICY);
});
after(async () => s.close());

describe('connection lifecycle', () => {
  test('approval needs a passed assessment; the test stage reaches synthetic people only', async () => {
    const early = await admin(s, 'POST', `/admin/connections/${bank.connectionId}/transitions`, { action: 'approve_for_test', reason: 'x' });
    assert.equal(early.body.code, 'ASSESSMENT_REQUIRED');
    // A requested connection gets no token.
    assert.equal((await tokenCall(s, await assertion(bank, s))).body.code, 'CONNECTION_NOT_ACTIVE');
    await moveTo(s, bank, 'assess', 'approve_for_test');
    const t = await token(s, bank);
    const ok = await callService(s, t, 'lookupCitizen', { personalId: synthetic });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.deepEqual(Object.keys(ok.body).sort(), ['dateOfBirth', 'fullName', 'personalId']);
    const realCall = await callService(s, t, 'lookupCitizen', { personalId: real });
    assert.equal(realCall.status, 403);
    assert.equal(realCall.body.code, 'TEST_CONNECTION_REAL_DATA');
  });

  test('active: real data within the policy, nothing outside it', async () => {
    await moveTo(s, bank, 'activate');
    const t = await token(s, bank);
    const r = await callService(s, t, 'lookupCitizen', { personalId: real });
    assert.deepEqual(r.body, { personalId: real, fullName: 'Đoàn Văn Thật', dateOfBirth: '1990-09-09' });
    assert.equal((await callService(s, t, 'lookupCitizen', { personalId: real }, { 'x-purpose': undefined })).body.code, 'PURPOSE_REQUIRED');
    assert.equal((await callService(s, t, 'lookupCitizen', { personalId: real }, { 'x-purpose': '2.000001' })).body.code, 'PURPOSE_NOT_ALLOWED');
    assert.equal((await callService(s, t, 'lookupCitizen', { personalId: real }, { 'x-request-id': undefined })).body.code, 'REQUEST_ID_REQUIRED');
    assert.equal((await callService(s, t, 'lookupCitizen', { personalId: real }, { 'x-officer-id': undefined })).body.code, 'OFFICER_ID_REQUIRED');
    assert.equal((await callService(s, t, 'getCardStatus', { personalId: real })).body.code, 'SERVICE_NOT_ALLOWED');
    assert.equal((await callService(s, undefined, 'lookupCitizen', { personalId: real })).status, 401);
    const v = await callService(s, t, 'verifyCitizen', { personalId: real, attributes: { fullName: 'Doan Van That', dateOfBirth: '1990' } });
    assert.equal(v.status, 200, JSON.stringify(v.body));
    assert.deepEqual(v.body.results.map((x: any) => [x.attribute, x.result, x.kind]), [['fullName', 'partial', 'partial'], ['dateOfBirth', 'no_match', 'partial']]);
    assert.equal(v.body.result, 'no_match', 'the weakest attribute decides the overall result');
    const outside = await callService(s, t, 'verifyCitizen', { personalId: real, attributes: { phone: '0912345678' } });
    assert.equal(outside.body.code, 'ATTRIBUTE_NOT_ALLOWED');
  });

  test('allowed source networks: a call from outside them is refused, and the refusal is logged', async () => {
    const t = await token(s, bank);
    const only = (networks: string[]) => admin(s, 'PUT', `/admin/connections/${bank.connectionId}/policy`, { ...POLICY, allowedNetworks: networks }, 200);
    await only(['10.0.0.0/8', '2001:db8::/32']);
    const r = await callService(s, t, 'lookupCitizen', { personalId: real });
    assert.equal(r.status, 403);
    assert.equal(r.body.code, 'NETWORK_NOT_ALLOWED');
    await only(['127.0.0.0/8']);
    assert.equal((await callService(s, t, 'lookupCitizen', { personalId: real })).status, 200);
    const bad = await admin(s, 'PUT', `/admin/connections/${bank.connectionId}/policy`, { ...POLICY, allowedNetworks: ['300.1.2.3/8'] });
    assert.equal(bad.body.code, 'POLICY_INVALID');
    await admin(s, 'PUT', `/admin/connections/${bank.connectionId}/policy`, POLICY, 200);
  });

  test('suspension refuses the very next call; resumption restores it; the quota answers 429 with Retry-After', async () => {
    const t = await token(s, bank);
    await moveTo(s, bank, 'suspend');
    const r = await callService(s, t, 'lookupCitizen', { personalId: real });
    assert.equal(r.status, 403);
    assert.equal(r.body.code, 'CONNECTION_SUSPENDED');
    assert.equal((await tokenCall(s, await assertion(bank, s))).body.code, 'CONNECTION_SUSPENDED');
    await moveTo(s, bank, 'resume');
    let last;
    for (let i = 0; i < 12; i++) {
      last = await callService(s, t, 'lookupCitizen', { personalId: real });
      if (last.status !== 200) break;
    }
    assert.equal(last!.status, 429);
    assert.equal(last!.body.code, 'QUOTA_EXCEEDED');
    assert.equal(last!.headers.get('retry-after'), String(14 * 3600)); // 10:00 in Hà Nội → midnight
  });

  test('token errors: expired, wrong audience, replayed jti, unknown key', async () => {
    assert.equal((await tokenCall(s, await assertion(bank, s, { issuedAt: Math.floor(s.clock.now().getTime() / 1000) - 600, expiresIn: 60 }))).body.code, 'ASSERTION_EXPIRED');
    assert.equal((await tokenCall(s, await assertion(bank, s, { expiresIn: 3600 }))).body.code, 'ASSERTION_EXPIRED');
    assert.equal((await tokenCall(s, await assertion(bank, s, { audience: 'https://elsewhere.example/token' }))).body.code, 'ASSERTION_WRONG_AUDIENCE');
    const once = await assertion(bank, s, { jti: 'same-jti' });
    assert.equal((await tokenCall(s, once)).status, 200);
    const replay = await tokenCall(s, once);
    assert.equal(replay.status, 401);
    assert.equal(replay.body.code, 'ASSERTION_REPLAYED');
    const stranger = await newKey();
    assert.equal((await tokenCall(s, await assertion(bank, s, { key: stranger.privateKey, kid: stranger.kid }))).body.code, 'ASSERTION_UNKNOWN_KEY');
    assert.equal((await tokenCall(s, await assertion(bank, s, { key: stranger.privateKey }))).body.code, 'CLIENT_ASSERTION_INVALID');
    // Rotation: the new key works, the old one no longer does.
    await admin(s, 'PUT', `/admin/connections/${bank.connectionId}/keys`, { keys: [stranger.jwk] }, 200);
    assert.equal((await tokenCall(s, await assertion(bank, s, { key: stranger.privateKey, kid: stranger.kid }))).status, 200);
    assert.equal((await tokenCall(s, await assertion(bank, s))).body.code, 'ASSERTION_UNKNOWN_KEY');
    const privateJwks = await admin(s, 'PUT', `/admin/connections/${bank.connectionId}/keys`, { keys: [{ ...stranger.jwk, d: 'secret' }] });
    assert.equal(privateJwks.body.code, 'JWKS_INVALID');
    bank = { ...bank, privateKey: stranger.privateKey, kid: stranger.kid, jwk: stranger.jwk };
  });
});

describe('access log, statements, monitoring', () => {
  test('every call is in the log, served or refused; inspectors query it by agency and citizen', async () => {
    const log = await s.call('GET', '/inspection/access-log?agencyCode=NHTEST&limit=500', { token: s.tokens.inspector });
    assert.equal(log.status, 200);
    const items = log.body.items as any[];
    const served = items.filter((i) => i.outcome === 'served');
    const refused = items.filter((i) => i.outcome === 'refused');
    // 12 served (the daily quota) and every refusal so far: test stage, purpose, IDs, service, token, suspension, quota.
    assert.equal(served.length, 12, `${served.length} served`); // the daily quota
    assert.ok(refused.length >= 9, `${refused.length} refused`);
    assert.ok(refused.some((i) => i.errorCode === 'QUOTA_EXCEEDED' && i.httpStatus === 429));
    for (const i of served) assert.ok(i.requestId && i.purpose === '1.004222' && i.officerId === 'CB-0001' && i.connectionId === bank.connectionId);
    assert.deepEqual(served.find((i) => i.service === 'lookupCitizen' && i.personalIds[0] === real).fields, ['dateOfBirth', 'fullName']);
    const byCitizen = await s.call('GET', `/inspection/access-log?personalId=${real}`, { token: s.tokens.inspector });
    assert.ok(byCitizen.body.items.length >= 10);
    assert.ok(byCitizen.body.items.every((i: any) => i.personalIds.includes(real)));
    assert.equal((await s.call('GET', '/inspection/access-log', { token: s.tokens.officer })).status, 403);
  });

  test('the monthly statement reconciles exactly with the log (JSON and CSV)', async () => {
    const st = await admin(s, 'GET', '/admin/agencies/NHTEST/statements/2026-06', undefined, 200);
    const log = (await s.call('GET', '/inspection/access-log?agencyCode=NHTEST&limit=500', { token: s.tokens.inspector })).body.items as any[];
    assert.equal(st.body.totalAmountVnd, log.reduce((n, i) => n + i.feeVnd, 0));
    assert.equal(st.body.totalCalls, log.length);
    const lookup = st.body.lines.find((l: any) => l.service === 'lookupCitizen');
    assert.equal(lookup.amountVnd, lookup.served * 1000);
    const csv = await fetch(`${s.baseUrl}/admin/agencies/NHTEST/statements/2026-06`, { headers: { authorization: `Bearer ${s.tokens.admin}`, accept: 'text/csv' } });
    const text = await csv.text();
    assert.match(csv.headers.get('content-type') ?? '', /text\/csv/);
    const b = st.body;
    assert.equal(text.trim().split(/\r?\n/).at(-1)!, `NHTEST,2026-06,TOTAL,${b.totalServed},${b.totalCalls - b.totalServed - b.totalTestServed},,${b.totalAmountVnd},${b.totalTestServed}`);
    // The one lookup served in the test stage: counted apart, free.
    assert.equal(b.totalTestServed, 1);
    assert.equal(lookup.testServed, 1);
    const own = await s.call('GET', '/exchange/statements/2026-06', { headers: { authorization: `Bearer ${await token(s, bank)}` } });
    assert.equal(own.body.totalAmountVnd, st.body.totalAmountVnd);
  });

  test('monitoring: per agency and service, Prometheus text, public catalogue and directory', async () => {
    const m = await admin(s, 'GET', '/admin/monitoring?hours=24', undefined, 200);
    const row = m.body.rows.find((r: any) => r.agencyCode === 'NHTEST' && r.service === 'lookupCitizen');
    assert.ok(row.calls >= row.served && row.served > 0 && row.p99Ms >= row.p50Ms);
    const prom = await fetch(`${s.baseUrl}/metrics`, { headers: { authorization: `Bearer ${s.tokens.admin}` } });
    assert.match(await prom.text(), /dancu_exchange_calls_total\{agency="NHTEST",service="lookupCitizen",outcome="served",code=""\} \d+/);
    const cat = await s.call('GET', '/exchange/catalogue');
    assert.equal(cat.body.year, 2026);
    assert.ok(cat.body.services.some((x: any) => x.code === 'verifyCitizen'));
    const dir = await s.call('GET', '/exchange/directory');
    const entry = dir.body.find((a: any) => a.code === 'NHTEST');
    assert.equal(entry.focalPoints[0].email, 'focal@nhtest.example');
    assert.deepEqual(entry.services, ['lookupCitizen', 'verifyCitizen']);
  });

  test('termination revokes the credentials for good', async () => {
    const t = await token(s, bank);
    await moveTo(s, bank, 'terminate');
    assert.equal((await callService(s, t, 'lookupCitizen', { personalId: real })).status, 401);
    assert.equal((await tokenCall(s, await assertion(bank, s))).body.code, 'CONNECTION_TERMINATED');
    const again = await admin(s, 'POST', `/admin/connections/${bank.connectionId}/transitions`, { action: 'resume', reason: 'x' });
    assert.equal(again.body.code, 'TRANSITION_NOT_ALLOWED');
    const events = (await admin(s, 'GET', `/admin/connections/${bank.connectionId}`, undefined, 200)).body.events.map((e: any) => e.kind);
    assert.deepEqual(events.filter((k: string) => !['keys', 'policy'].includes(k)), ['request', 'assessment', 'approve_for_test', 'activate', 'suspend', 'resume', 'terminate']);
  });
});
