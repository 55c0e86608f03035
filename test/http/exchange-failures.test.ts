/**
 * The exchange when things go wrong or reach a limit: an access log that cannot be written (the
 * call is not answered), the anomaly rule suspending a connection by itself and telling the
 * agency's focal points, the per-minute rate limit, catalogue versions (drafts, publication,
 * invalid drafts and policies), and charging (state-budget agencies, free services) reconciled with
 * the log.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { startTestServer, birthBody, type TestServer } from '../support/http.js';
import { accessLogCount, accessLogRows, admin, agencyBody, assertion, callService, connectIn, token, tokenCall } from '../support/exchange.js';
import { seedPopulation } from '../../src/services/seed.js';

const PURPOSE = '1.004222';
const PROBLEM_KEYS = ['type', 'title', 'status', 'code', 'detail', 'instance', 'messages', 'errors'];
const LOOKUP = (fields: string[] = ['fullName', 'dateOfBirth'], extra: Record<string, unknown> = {}) => ({
  grants: [{ service: 'lookupCitizen', fields, purposes: [PURPOSE] }],
  ratePerMinute: 100_000,
  ...extra,
});

/** Calls with a fresh request ID; returns the answer and that ID. */
async function call(s: TestServer, t: string, service: string, body: unknown, headers: Record<string, string | undefined> = {}) {
  const requestId = randomUUID();
  const r = await callService(s, t, service, body, { 'x-request-id': requestId, ...headers });
  return { ...r, requestId };
}

async function inspect(s: TestServer, agencyCode: string): Promise<any[]> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const r = await s.call('GET', `/inspection/access-log?agencyCode=${agencyCode}&limit=500`, { token: s.tokens.inspector });
  assert.equal(r.status, 200);
  return r.body.items;
}

describe('on one server', () => {
  let s: TestServer;
  let real: string;
  let synthetic: string;

  before(async () => {
    s = await startTestServer('2026-06-01T03:00:00.000Z');
    await seedPopulation(s.runtime.store, s.runtime.catalogue.categories, s.clock, { seed: 4, count: 100 });
    synthetic = (await s.runtime.store.db.selectFrom('citizen').select('personal_id').where('date_of_death', 'is', null).orderBy('personal_id').limit(1).executeTakeFirstOrThrow()).personal_id;
    real = (await s.call('POST', '/citizens', { token: s.tokens.officer, body: birthBody({ fullName: 'Đoàn Văn Thật', dateOfBirth: '1990-09-09' }) })).body.personalId;
    // The 2026 catalogue makes the card-status check free for everyone.
    const draft = await admin(s, 'POST', '/admin/catalogue/2026', undefined, 201);
    const services = draft.body.services.map((x: any) => (x.code === 'getCardStatus' ? { ...x, free: true } : x)); // eslint-disable-line @typescript-eslint/no-explicit-any
    await admin(s, 'PUT', '/admin/catalogue/2026', { services }, 200);
    await admin(s, 'POST', '/admin/catalogue/2026/publication', {}, 200);
  });
  after(async () => s?.close());

  describe('an access log that cannot be written', () => {
    const hide = (s: TestServer) => sql`alter table access_entry rename to access_entry_hidden`.execute(s.runtime.store.db);
    const restore = (s: TestServer) => sql`alter table access_entry_hidden rename to access_entry`.execute(s.runtime.store.db);

    test('a call whose log entry cannot be written is not answered; once the log is back, calls are served and logged', async () => {
      const { sys, token: t } = await connectIn(s, agencyBody('FLOG'), LOOKUP(), 'active');
      assert.equal((await call(s, t!, 'lookupCitizen', { personalId: real })).status, 200);
      const before = await accessLogCount(s);
      const served = await s.runtime.store.db.selectFrom('connection_usage').select(['period', 'calls']).where('connection_id', '=', sys.connectionId).execute();
      await hide(s);
      let unanswered, unansweredRefusal;
      try {
        unanswered = await call(s, t!, 'lookupCitizen', { personalId: real });
        // A call that would be refused is not answered either: its refusal could not be logged.
        unansweredRefusal = await call(s, t!, 'getCardStatus', { personalId: real });
      } finally {
        await restore(s);
      }
      for (const r of [unanswered, unansweredRefusal]) {
        assert.equal(r.status, 503, JSON.stringify(r.body));
        assert.equal(r.body.code, 'ACCESS_LOG_UNAVAILABLE');
        assert.deepEqual(Object.keys(r.body).filter((k) => !PROBLEM_KEYS.includes(k)), [], 'a problem document and nothing else');
        const text = JSON.stringify(r.body);
        for (const leak of ['Đoàn Văn Thật', '1990-09-09', 'fullName', 'dateOfBirth']) assert.ok(!text.includes(leak), `503 body holds ${leak}`);
      }
      // Nothing was stored for the unanswered calls: no log row, no usage count.
      assert.equal(await accessLogCount(s), before);
      assert.deepEqual((await accessLogRows(s, unanswered!.requestId)).length, 0);
      assert.deepEqual(await s.runtime.store.db.selectFrom('connection_usage').select(['period', 'calls']).where('connection_id', '=', sys.connectionId).execute(), served);

      const next = await call(s, t!, 'lookupCitizen', { personalId: real });
      assert.equal(next.status, 200, JSON.stringify(next.body));
      assert.deepEqual(next.body, { personalId: real, fullName: 'Đoàn Văn Thật', dateOfBirth: '1990-09-09' });
      assert.equal(await accessLogCount(s), before + 1);
      const rows = await accessLogRows(s, next.requestId);
      assert.equal(rows.length, 1);
      assert.equal(rows[0]!.outcome, 'served');
      assert.equal(rows[0]!.connection_id, sys.connectionId);
    });

    test('an unanswered call uses none of the daily quota (the quota counts served calls, as the log does)', async () => {
      const { sys, token: t } = await connectIn(s, agencyBody('FLOGQ'), LOOKUP(['fullName'], { dailyQuota: 2 }), 'active');
      await hide(s);
      let unanswered;
      try {
        unanswered = await call(s, t!, 'lookupCitizen', { personalId: synthetic });
      } finally {
        await restore(s);
      }
      assert.equal(unanswered.status, 503);
      const first = await call(s, t!, 'lookupCitizen', { personalId: synthetic });
      const second = await call(s, t!, 'lookupCitizen', { personalId: synthetic });
      const third = await call(s, t!, 'lookupCitizen', { personalId: synthetic });
      const served = (await inspect(s, 'FLOGQ')).filter((i) => i.outcome === 'served' && i.connectionId === sys.connectionId);
      assert.deepEqual([first.status, second.status, third.status], [200, 200, 429], `${JSON.stringify(second.body)} — served per the log: ${served.length}`);
      assert.equal(third.body.code, 'QUOTA_EXCEEDED');
      assert.equal(served.length, 2);
    });
  });

  test('a failure of the registry while serving is logged as a refusal (INTERNAL) and answered 500 without data', async () => {
    const { token: t } = await connectIn(s, agencyBody('FINT'), LOOKUP(), 'testing');
    // The test stage reads where a record came from; without its table that read fails.
    await sql`alter table citizen_history rename to citizen_history_hidden`.execute(s.runtime.store.db);
    let r;
    try {
      r = await call(s, t!, 'lookupCitizen', { personalId: synthetic });
    } finally {
      await sql`alter table citizen_history_hidden rename to citizen_history`.execute(s.runtime.store.db);
    }
    assert.equal(r.status, 500);
    assert.equal(r.body.code, 'INTERNAL');
    assert.ok(!JSON.stringify(r.body).includes(synthetic.slice(0, 3) + '"'), 'no data in the answer');
    const rows = await accessLogRows(s, r.requestId);
    assert.deepEqual(rows.map((x) => [x.outcome, x.error_code, x.http_status]), [['refused', 'INTERNAL', 500]]);
  });

  test('rate limit: the 4th call in the same minute is refused with Retry-After; once the window has slid, calls are served again', async () => {
    const { sys, token: t } = await connectIn(s, agencyBody('FRATE'), LOOKUP(['fullName'], { ratePerMinute: 3 }), 'active');
    for (let i = 0; i < 3; i++) assert.equal((await call(s, t!, 'lookupCitizen', { personalId: synthetic })).status, 200, `call ${i + 1}`);
    const limited = await call(s, t!, 'lookupCitizen', { personalId: synthetic });
    assert.equal(limited.status, 429);
    assert.equal(limited.body.code, 'RATE_LIMITED');
    const retryAfter = Number(limited.headers.get('retry-after'));
    assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 120, `Retry-After ${limited.headers.get('retry-after')}`);
    assert.ok(!JSON.stringify(limited.body).includes('fullName'));
    const row = (await accessLogRows(s, limited.requestId))[0]!;
    assert.deepEqual([row.outcome, row.error_code, Number(row.http_status), Number(row.fee_vnd)], ['refused', 'RATE_LIMITED', 429, 0]);
    // A refused call counts nowhere: still limited in the same instant, with the same wait.
    const still = await call(s, t!, 'lookupCitizen', { personalId: synthetic });
    assert.equal(still.body.code, 'RATE_LIMITED');
    assert.equal(Number(still.headers.get('retry-after')), retryAfter);

    // Two minutes on, the earlier calls are out of the window: three more pass, the fourth does not.
    s.clock.advance(120_000);
    const t2 = await token(s, sys);
    for (let i = 0; i < 3; i++) assert.equal((await call(s, t2, 'lookupCitizen', { personalId: synthetic })).status, 200, `two minutes later, call ${i + 1}`);
    const again = await call(s, t2, 'lookupCitizen', { personalId: synthetic });
    assert.equal(again.body.code, 'RATE_LIMITED');
    // Waiting exactly Retry-After is enough for one more call; a second less is not.
    const wait = Number(again.headers.get('retry-after'));
    s.clock.advance((wait - 1) * 1000);
    if (wait > 1) assert.equal((await call(s, t2, 'lookupCitizen', { personalId: synthetic })).body.code, 'RATE_LIMITED');
    s.clock.advance(1000);
    assert.equal((await call(s, t2, 'lookupCitizen', { personalId: synthetic })).status, 200);
  });

  describe('catalogue versions', () => {
    test('a draft is edited and kept private until published; a published version never changes', async () => {
      const draft = await admin(s, 'POST', '/admin/catalogue/2027', undefined, 201);
      assert.equal(draft.body.status, 'draft');
      // Prepared from the latest version: the 2026 one, with its free card-status check.
      assert.equal(draft.body.services.find((x: any) => x.code === 'getCardStatus').free, true); // eslint-disable-line @typescript-eslint/no-explicit-any
      assert.equal((await admin(s, 'POST', '/admin/catalogue/2027')).body.code, 'CATALOGUE_VERSION_EXISTS');
      const notPublic = await s.call('GET', '/exchange/catalogue/2027');
      assert.equal(notPublic.status, 404);
      assert.equal(notPublic.body.code, 'CATALOGUE_NOT_FOUND');

      const services = draft.body.services.map((x: any) => (x.code === 'lookupCitizen' ? { ...x, priceVnd: 1500, fields: ['fullName', 'dateOfBirth', 'sex'] } : x)); // eslint-disable-line @typescript-eslint/no-explicit-any
      const updated = await admin(s, 'PUT', '/admin/catalogue/2027', { services }, 200);
      assert.equal(updated.body.status, 'draft');
      assert.deepEqual(updated.body.services.find((x: any) => x.code === 'lookupCitizen'), services.find((x: any) => x.code === 'lookupCitizen')); // eslint-disable-line @typescript-eslint/no-explicit-any
      assert.equal((await s.call('GET', '/exchange/catalogue/2027')).status, 404, 'an edited draft is still not public');

      // Invalid drafts are refused and change nothing.
      const cannot = services.map((x: any) => (x.code === 'authenticateLegacyId' ? { ...x, fields: ['match', 'fullName'] } : x)); // eslint-disable-line @typescript-eslint/no-explicit-any
      const invalid = await admin(s, 'PUT', '/admin/catalogue/2027', { services: cannot }, 400);
      assert.equal(invalid.body.code, 'CATALOGUE_INVALID');
      assert.ok(invalid.body.errors.some((e: any) => /authenticateLegacyId.*fullName/.test(e.message)), JSON.stringify(invalid.body.errors)); // eslint-disable-line @typescript-eslint/no-explicit-any
      const twice = await admin(s, 'PUT', '/admin/catalogue/2027', { services: [...services, services[0]] }, 400);
      assert.equal(twice.body.code, 'CATALOGUE_INVALID');
      const listed = (await admin(s, 'GET', '/admin/catalogue', undefined, 200)).body.find((v: any) => v.year === 2027); // eslint-disable-line @typescript-eslint/no-explicit-any
      assert.equal(listed.status, 'draft');
      assert.deepEqual(listed.services, services);

      const published = await admin(s, 'POST', '/admin/catalogue/2027/publication', {}, 200);
      assert.equal(published.body.status, 'published');
      const open = await s.call('GET', '/exchange/catalogue/2027');
      assert.equal(open.status, 200);
      assert.equal(open.body.services.find((x: any) => x.code === 'lookupCitizen').priceVnd, 1500); // eslint-disable-line @typescript-eslint/no-explicit-any

      for (const year of [2027, 2026]) {
        const change = await admin(s, 'PUT', `/admin/catalogue/${year}`, { services }, 409);
        assert.equal(change.body.code, 'CATALOGUE_NOT_DRAFT');
        assert.equal((await admin(s, 'POST', `/admin/catalogue/${year}/publication`, {}, 409)).body.code, 'CATALOGUE_NOT_DRAFT');
      }
      assert.deepEqual((await s.call('GET', '/exchange/catalogue/2027')).body, open.body, 'unchanged');
      // 2027 has not begun: 2026 is still the catalogue in force.
      const inForce = await s.call('GET', '/exchange/catalogue');
      assert.equal(inForce.body.year, 2026);
      assert.equal(inForce.body.services.find((x: any) => x.code === 'lookupCitizen').priceVnd, 1000); // eslint-disable-line @typescript-eslint/no-explicit-any
    });

    test('a year without any version is not found (neither edited nor published)', async () => {
      const services = (await s.call('GET', '/exchange/catalogue')).body.services;
      const change = await admin(s, 'PUT', '/admin/catalogue/2031', { services });
      assert.deepEqual([change.status, change.body.code], [404, 'CATALOGUE_NOT_FOUND']);
      const publish = await admin(s, 'POST', '/admin/catalogue/2031/publication', {});
      assert.deepEqual([publish.status, publish.body.code], [404, 'CATALOGUE_NOT_FOUND']);
    });

    test('a policy naming a field outside the service (or a service twice) is refused and changes nothing', async () => {
      const { sys } = await connectIn(s, agencyBody('FPOL'), LOOKUP(), 'requested');
      const bad = [
        { grants: [{ service: 'lookupCitizen', fields: ['fullName', 'match'], purposes: [PURPOSE] }], ratePerMinute: 10 },
        { grants: [{ service: 'getCardStatus', fields: ['status', 'fullName'], purposes: [PURPOSE] }], ratePerMinute: 10 },
        { grants: [{ service: 'verifyCitizen', fields: ['fullName', 'religion'], purposes: [PURPOSE] }], ratePerMinute: 10 },
        { grants: [{ service: 'getResidenceInformation', fields: ['livesAt'], purposes: [PURPOSE] }, { service: 'getResidenceInformation', fields: ['householdId'], purposes: [PURPOSE] }], ratePerMinute: 10 },
        { ...LOOKUP(), allowedNetworks: ['not-a-network'] },
      ];
      for (const policy of bad) {
        const r = await admin(s, 'PUT', `/admin/connections/${sys.connectionId}/policy`, policy, 400);
        assert.equal(r.body.code, 'POLICY_INVALID', JSON.stringify(policy));
      }
      const shown = await admin(s, 'GET', `/admin/connections/${sys.connectionId}`, undefined, 200);
      assert.deepEqual(shown.body.policy, LOOKUP());
      assert.equal(shown.body.events.filter((e: any) => e.kind === 'policy').length, 1); // eslint-disable-line @typescript-eslint/no-explicit-any
    });
  });

  describe('charging reconciles with the log', () => {
    test('a state-budget-funded agency is charged 0 for served calls', async () => {
      const policy = { grants: [{ service: 'lookupCitizen', fields: ['fullName'], purposes: [PURPOSE] }, { service: 'batchLookupCitizens', fields: ['fullName'], purposes: [PURPOSE] }], ratePerMinute: 100_000 };
      const { token: t } = await connectIn(s, agencyBody('FSTATE', { type: 'state_agency', stateBudgetFunded: true }), policy, 'active');
      for (let i = 0; i < 3; i++) assert.equal((await call(s, t!, 'lookupCitizen', { personalId: real })).status, 200);
      assert.equal((await call(s, t!, 'batchLookupCitizens', { personalIds: [real, synthetic] })).status, 200);
      assert.equal((await call(s, t!, 'lookupCitizen', { personalId: real }, { 'x-purpose': '9.999999' })).body.code, 'PURPOSE_NOT_ALLOWED');
      const log = await inspect(s, 'FSTATE');
      assert.equal(log.length, 5);
      assert.equal(log.filter((i) => i.outcome === 'served').length, 4);
      assert.ok(log.every((i) => i.feeVnd === 0), JSON.stringify(log.map((i) => i.feeVnd)));
      const st = await admin(s, 'GET', '/admin/agencies/FSTATE/statements/2026-06', undefined, 200);
      assert.equal(st.body.stateBudgetFunded, true);
      assert.equal(st.body.totalAmountVnd, 0);
      assert.equal(st.body.totalAmountVnd, log.reduce((n, i) => n + i.feeVnd, 0));
      assert.equal(st.body.totalCalls, log.length);
      assert.equal(st.body.totalServed, 4);
      assert.deepEqual(st.body.lines, [
        { service: 'batchLookupCitizens', served: 1, refused: 0, testServed: 0, unitPriceVnd: 0, amountVnd: 0 },
        { service: 'lookupCitizen', served: 3, refused: 1, testServed: 0, unitPriceVnd: 0, amountVnd: 0 },
      ]);
      const own = await s.call('GET', '/exchange/statements/2026-06', { headers: { authorization: `Bearer ${t}` } });
      assert.deepEqual(own.body, st.body);
    });

    test('a free service costs nothing, a priced one its price; the statement (JSON and CSV) is the sum of the log', async () => {
      const policy = { grants: [{ service: 'getCardStatus', fields: ['status'], purposes: [PURPOSE] }, { service: 'lookupCitizen', fields: ['fullName'], purposes: [PURPOSE] }], ratePerMinute: 100_000 };
      const { token: t } = await connectIn(s, agencyBody('FPAY'), policy, 'active');
      const catalogue = (await s.call('GET', '/exchange/catalogue')).body.services;
      const price = (code: string) => catalogue.find((x: any) => x.code === code).priceVnd as number; // eslint-disable-line @typescript-eslint/no-explicit-any
      assert.ok(price('getCardStatus') > 0, 'the free service has a price it does not charge');
      for (let i = 0; i < 3; i++) assert.equal((await call(s, t!, 'getCardStatus', { personalId: synthetic })).status, 200);
      for (let i = 0; i < 2; i++) assert.equal((await call(s, t!, 'lookupCitizen', { personalId: real })).status, 200);
      const log = await inspect(s, 'FPAY');
      assert.deepEqual(log.filter((i) => i.service === 'getCardStatus').map((i) => i.feeVnd), [0, 0, 0]);
      assert.deepEqual(log.filter((i) => i.service === 'lookupCitizen').map((i) => i.feeVnd), [price('lookupCitizen'), price('lookupCitizen')]);
      const st = await admin(s, 'GET', '/admin/agencies/FPAY/statements/2026-06', undefined, 200);
      assert.equal(st.body.stateBudgetFunded, false);
      assert.equal(st.body.totalAmountVnd, log.reduce((n, i) => n + i.feeVnd, 0));
      assert.equal(st.body.totalAmountVnd, 2 * price('lookupCitizen'));
      assert.deepEqual(st.body.lines, [
        { service: 'getCardStatus', served: 3, refused: 0, testServed: 0, unitPriceVnd: 0, amountVnd: 0 },
        { service: 'lookupCitizen', served: 2, refused: 0, testServed: 0, unitPriceVnd: price('lookupCitizen'), amountVnd: 2 * price('lookupCitizen') },
      ]);
      const csv = await fetch(`${s.baseUrl}/admin/agencies/FPAY/statements/2026-06`, { headers: { authorization: `Bearer ${s.tokens.admin}`, accept: 'text/csv' } });
      const lines = (await csv.text()).trim().split(/\r?\n/);
      assert.equal(lines.at(-1), `FPAY,2026-06,TOTAL,5,0,,${st.body.totalAmountVnd},0`);
      assert.ok(lines.includes('FPAY,2026-06,getCardStatus,3,0,0,0,0'), lines.join('\n'));
    });
  });
});

describe('the anomaly rule', () => {
  let s: TestServer;
  let synthetic: string;
  const POLICY = { grants: [{ service: 'lookupCitizen', fields: ['fullName'], purposes: [PURPOSE] }], ratePerMinute: 100_000 };
  const focalPoints = [
    { fullName: 'Trần Thị Một', position: 'Trưởng phòng CNTT', phone: '0912345678', email: 'mot@fanom.example' },
    { fullName: 'Lê Văn Hai', position: 'Phó phòng An ninh', phone: '0987654321', email: 'hai@fanom.example' },
  ];

  before(async () => {
    // Anomalous: at least 5 calls in the hour and more than twice the median of the previous 3 hours
    // since going live — or, with fewer than 3 such hours, twice the hourly share of the daily quota.
    s = await startTestServer('2026-06-01T03:10:00.000Z', { anomalyRule: { multiple: 2, minimumCalls: 5, baselineHours: 3, minimumHistoryHours: 3 } });
    await seedPopulation(s.runtime.store, s.runtime.catalogue.categories, s.clock, { seed: 4, count: 100 });
    synthetic = (await s.runtime.store.db.selectFrom('citizen').select('personal_id').where('date_of_death', 'is', null).orderBy('personal_id').limit(1).executeTakeFirstOrThrow()).personal_id;
    await admin(s, 'POST', '/admin/catalogue/2026', undefined, 201);
    await admin(s, 'POST', '/admin/catalogue/2026/publication', {}, 200);
  });
  after(async () => s?.close());

  /** Calls until one is not served (at most `max`); returns how many were served and the refusal. */
  async function until(t: string, max: number) {
    for (let served = 0; served < max; served++) {
      const r = await call(s, t, 'lookupCitizen', { personalId: synthetic });
      if (r.status !== 200) return { served, refusal: r };
    }
    return { served: max, refusal: undefined };
  }

  test('a burst on a new connection beyond its declared volume suspends it by itself; each focal point is told by e-mail', async () => {
    const { sys, token: t } = await connectIn(s, agencyBody('FANOM', { focalPoints }), { ...POLICY, dailyQuota: 48 }, 'active');
    const { served, refusal } = await until(t!, 20);
    // No history yet: the declared volume is 48 / 24 = 2 an hour, so the 5th call of the hour (≥ 5, > 2 × 2) is the anomaly — served, then the connection is suspended.
    assert.equal(served, 5);
    assert.equal(refusal?.status, 403);
    assert.equal(refusal?.body.code, 'CONNECTION_SUSPENDED');
    const row = (await accessLogRows(s, refusal!.requestId))[0]!;
    assert.deepEqual([row.outcome, row.error_code], ['refused', 'CONNECTION_SUSPENDED']);
    const log = await inspect(s, 'FANOM');
    assert.deepEqual(log.map((i) => i.outcome).reverse(), ['served', 'served', 'served', 'served', 'served', 'refused']);
    assert.equal((await tokenCall(s, await assertion(sys, s))).body.code, 'CONNECTION_SUSPENDED', 'no new token either');

    const c = await admin(s, 'GET', `/admin/connections/${sys.connectionId}`, undefined, 200);
    assert.equal(c.body.state, 'suspended');
    const suspensions = c.body.events.filter((e: any) => e.kind === 'suspend'); // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.equal(suspensions.length, 1);
    assert.equal(suspensions[0].actorId, 'system:anomaly');
    assert.equal(suspensions[0].fromState, 'active');
    assert.equal(suspensions[0].toState, 'suspended');
    assert.match(suspensions[0].reason, /\S/);
    assert.match(suspensions[0].reason, /\b5 lượt\b.*mức khai báo trong chính sách \(2 lượt\/giờ/);

    const outbox = (await admin(s, 'GET', '/admin/outbox', undefined, 200)).body.filter((m: any) => m.related === sys.connectionId); // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.equal(outbox.length, 2, JSON.stringify(outbox));
    assert.deepEqual(outbox.map((m: any) => m.recipient).sort(), focalPoints.map((f) => f.email).sort()); // eslint-disable-line @typescript-eslint/no-explicit-any
    for (const m of outbox) {
      assert.equal(m.channel, 'email');
      assert.equal(m.status, 'pending');
      assert.ok(m.subject.includes(sys.connectionId));
      assert.ok(m.body.includes(suspensions[0].reason), 'the message gives the reason');
      assert.ok(m.body.includes('(Hệ thống nghiệp vụ)'), 'and names the system suspended');
      const to = focalPoints.find((f) => f.email === m.recipient)!;
      assert.ok(m.body.includes(to.fullName), 'addressed to the focal point by name');
    }
  });

  test('the usual volume is the median of the previous hours: a busier connection is suspended later', async () => {
    const { sys } = await connectIn(s, agencyBody('FANOMB'), POLICY, 'active');
    // Three previous hours with 3 calls each: usual volume 3, so anomalous from 7 calls (> 2 × 3).
    for (let h = 0; h < 3; h++) {
      const t = await token(s, sys);
      for (let i = 0; i < 3; i++) assert.equal((await call(s, t, 'lookupCitizen', { personalId: synthetic })).status, 200, `hour ${h}, call ${i + 1}`);
      s.clock.advance(3_600_000);
    }
    const { served, refusal } = await until(await token(s, sys), 20);
    assert.equal(served, 7);
    assert.equal(refusal?.body.code, 'CONNECTION_SUSPENDED');
    const events = (await admin(s, 'GET', `/admin/connections/${sys.connectionId}`, undefined, 200)).body.events.filter((e: any) => e.kind === 'suspend'); // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.equal(events.length, 1);
    assert.equal(events[0].actorId, 'system:anomaly');
    assert.match(events[0].reason, /\b7 lượt\b.*\(3 lượt\/giờ\)/);
    const outbox = (await admin(s, 'GET', '/admin/outbox', undefined, 200)).body.filter((m: any) => m.related === sys.connectionId); // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.deepEqual(outbox.map((m: any) => m.recipient), ['focal@fanomb.example']); // eslint-disable-line @typescript-eslint/no-explicit-any
  });
});
