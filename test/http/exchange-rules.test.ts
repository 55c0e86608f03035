/**
 * Exchange rules that used to misfire (issue 12, item 5), over HTTP with the default anomaly rule:
 * a connection going live is judged against its declared volume, not a usual volume of zero; calls
 * in the test stage are free and counted apart on the statement; verifyCitizen answers partial,
 * not match, to a near miss, with the threshold set per connection by its policy.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, birthBody, type TestServer } from '../support/http.js';
import { admin, agencyBody, callService, connectIn, moveTo, token } from '../support/exchange.js';
import { seedPopulation } from '../../src/services/seed.js';

const PURPOSE = '1.004222';
const LOOKUP = { grants: [{ service: 'lookupCitizen', fields: ['fullName'], purposes: [PURPOSE] }], ratePerMinute: 100_000 };

let s: TestServer;
let synthetic: string;
let real: string;

before(async () => {
  s = await startTestServer('2026-06-01T03:00:00.000Z'); // the default anomaly rule
  await seedPopulation(s.runtime.store, s.runtime.catalogue.categories, s.clock, { seed: 7, count: 20 });
  synthetic = (await s.runtime.store.db.selectFrom('citizen').select('personal_id').where('date_of_death', 'is', null).orderBy('personal_id').limit(1).executeTakeFirstOrThrow()).personal_id;
  real = (await s.call('POST', '/citizens', { token: s.tokens.officer, body: birthBody({ fullName: 'Nguyễn Thị Minh Khai', dateOfBirth: '1990-09-09', sex: 'female' }) })).body.personalId;
  await admin(s, 'POST', '/admin/catalogue/2026', undefined, 201);
  await admin(s, 'POST', '/admin/catalogue/2026/publication', {}, 200);
});
after(async () => s?.close());

async function inspect(agencyCode: string): Promise<any[]> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const r = await s.call('GET', `/inspection/access-log?agencyCode=${agencyCode}&limit=500`, { token: s.tokens.inspector });
  assert.equal(r.status, 200);
  return r.body.items;
}

async function connection(connectionId: string) {
  const c = await admin(s, 'GET', `/admin/connections/${connectionId}`, undefined, 200);
  return { state: c.body.state as string, suspensions: (c.body.events as any[]).filter((e) => e.toState === 'suspended') }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

async function outboxFor(connectionId: string): Promise<unknown[]> {
  return (await admin(s, 'GET', '/admin/outbox', undefined, 200)).body.filter((m: { related?: string }) => m.related === connectionId);
}

describe('the anomaly rule and a connection going live', () => {
  test('a bank going live makes 300 calls in its first minutes, within its quota: all served, not suspended', async () => {
    const { sys, token: t } = await connectIn(s, agencyBody('NEWBANK'), { ...LOOKUP, dailyQuota: 100_000 }, 'active');
    const statuses: number[] = [];
    for (let i = 0; i < 300; i++) {
      statuses.push((await callService(s, t!, 'lookupCitizen', { personalId: real })).status);
      if (i % 60 === 59) s.clock.advance(60_000); // five minutes, 60 calls each
    }
    assert.deepEqual([...new Set(statuses)], [200], 'every call served');
    assert.deepEqual(await connection(sys.connectionId), { state: 'active', suspensions: [] });
    assert.deepEqual(await outboxFor(sys.connectionId), []);
    assert.equal((await inspect('NEWBANK')).filter((i) => i.outcome === 'served').length, 300);
  });

  test('a new connection without a daily quota is not suspended by a busy first hour either', async () => {
    const { sys, token: t } = await connectIn(s, agencyBody('NEWTEL'), LOOKUP, 'active');
    for (let i = 0; i < 150; i++) assert.equal((await callService(s, t!, 'lookupCitizen', { personalId: real })).status, 200, `call ${i + 1}`);
    assert.equal((await connection(sys.connectionId)).state, 'active');
  });

  test('an established connection (one day at 2 calls an hour) whose hour jumps is still suspended, at the 100th call', async () => {
    const { sys } = await connectIn(s, agencyBody('OLDBANK'), { ...LOOKUP, dailyQuota: 100_000 }, 'active');
    for (let h = 0; h < 24; h++) {
      const t = await token(s, sys);
      for (let i = 0; i < 2; i++) assert.equal((await callService(s, t, 'lookupCitizen', { personalId: real })).status, 200, `hour ${h}`);
      s.clock.advance(3_600_000);
    }
    // Usual volume: the median of 24 hours of 2 = 2; anomalous from 100 calls (the minimum), > 5 × 2.
    const t = await token(s, sys);
    let served = 0;
    let refusal;
    for (; served < 150; served++) {
      const r = await callService(s, t, 'lookupCitizen', { personalId: real });
      if (r.status !== 200) {
        refusal = r;
        break;
      }
    }
    assert.equal(served, 100);
    assert.equal(refusal?.status, 403);
    assert.equal(refusal?.body.code, 'CONNECTION_SUSPENDED');
    const c = await connection(sys.connectionId);
    assert.equal(c.state, 'suspended');
    assert.equal(c.suspensions.length, 1);
    assert.equal(c.suspensions[0].actorId, 'system:anomaly');
    assert.match(c.suspensions[0].reason, /\b100 lượt\b.*mức thông thường \(2 lượt\/giờ\)/);
    assert.equal((await outboxFor(sys.connectionId)).length, 1);
  });
});

describe('the test stage is free', () => {
  test('calls in the test stage cost 0 and are counted apart; billed calls keep their unit price (JSON and CSV)', async () => {
    const policy = { grants: [{ service: 'lookupCitizen', fields: ['fullName'], purposes: [PURPOSE] }, { service: 'getCardStatus', fields: ['status'], purposes: [PURPOSE] }], ratePerMinute: 100_000 };
    const { sys, token: t } = await connectIn(s, agencyBody('TESTPAY'), policy, 'testing');
    for (let i = 0; i < 3; i++) assert.equal((await callService(s, t!, 'lookupCitizen', { personalId: synthetic })).status, 200);
    assert.equal((await callService(s, t!, 'getCardStatus', { personalId: synthetic })).status, 200);
    assert.equal((await callService(s, t!, 'lookupCitizen', { personalId: real })).body.code, 'TEST_CONNECTION_REAL_DATA');
    await moveTo(s, sys, 'activate');
    const live = await token(s, sys);
    for (let i = 0; i < 2; i++) assert.equal((await callService(s, live, 'lookupCitizen', { personalId: real })).status, 200);

    const catalogue = (await s.call('GET', '/exchange/catalogue')).body.services as { code: string; priceVnd: number }[];
    const price = catalogue.find((x) => x.code === 'lookupCitizen')!.priceVnd;
    assert.ok(price > 0);
    const log = await inspect('TESTPAY');
    const served = log.filter((i) => i.outcome === 'served');
    assert.deepEqual(served.map((i) => [i.service, i.feeVnd, i.testStage ?? false]).reverse(), [
      ['lookupCitizen', 0, true], ['lookupCitizen', 0, true], ['lookupCitizen', 0, true], ['getCardStatus', 0, true],
      ['lookupCitizen', price, false], ['lookupCitizen', price, false],
    ]);

    const st = await admin(s, 'GET', '/admin/agencies/TESTPAY/statements/2026-06', undefined, 200);
    assert.deepEqual(st.body.lines, [
      { service: 'getCardStatus', served: 0, refused: 0, testServed: 1, unitPriceVnd: null, amountVnd: 0 },
      { service: 'lookupCitizen', served: 2, refused: 1, testServed: 3, unitPriceVnd: price, amountVnd: 2 * price },
    ]);
    assert.deepEqual([st.body.totalCalls, st.body.totalServed, st.body.totalTestServed, st.body.totalAmountVnd], [7, 2, 4, 2 * price]);
    assert.equal(st.body.totalAmountVnd, log.reduce((n, i) => n + i.feeVnd, 0), 'the statement is the sum of the log');

    const csv = await fetch(`${s.baseUrl}/admin/agencies/TESTPAY/statements/2026-06`, { headers: { authorization: `Bearer ${s.tokens.admin}`, accept: 'text/csv' } });
    assert.equal(csv.status, 200);
    assert.equal(
      await csv.text(),
      'agency_code,month,service,served,refused,unit_price_vnd,amount_vnd,test_served\r\n' +
        'TESTPAY,2026-06,getCardStatus,0,0,,0,1\r\n' +
        `TESTPAY,2026-06,lookupCitizen,2,1,${price},${2 * price},3\r\n` +
        `TESTPAY,2026-06,TOTAL,2,1,,${2 * price},4\r\n`,
    );
    const own = await s.call('GET', '/exchange/statements/2026-06', { headers: { authorization: `Bearer ${live}` } });
    assert.deepEqual(own.body, st.body, "the agency's own statement is the same");
  });
});

describe('verifyCitizen: partial is its own result, the threshold is the policy\'s', () => {
  const VERIFY = { grants: [{ service: 'verifyCitizen', fields: ['fullName', 'dateOfBirth', 'sex'], purposes: [PURPOSE] }], ratePerMinute: 100_000 };
  let sys: { connectionId: string };
  let t: string;

  before(async () => {
    const c = await connectIn(s, agencyBody('VERIFY'), VERIFY, 'active');
    sys = c.sys;
    t = c.token!;
  });

  const verify = async (attributes: Record<string, unknown>) => {
    const r = await callService(s, t, 'verifyCitizen', { personalId: real, attributes });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body as { personalId: string; result: string; results: { attribute: string; result: string; kind?: string; score: number }[] };
  };
  const setMatching = (matching?: Record<string, unknown>) => admin(s, 'PUT', `/admin/connections/${sys.connectionId}/policy`, { ...VERIFY, ...(matching ? { matching } : {}) }, 200);

  test('default policy: exact is match; a one-letter error is partial (score 85), overall partial; a wrong date makes it no_match', async () => {
    assert.deepEqual(await verify({ fullName: 'NGUYỄN THỊ MINH KHAI', dateOfBirth: '1990-09-09' }), {
      personalId: real,
      result: 'match',
      results: [{ attribute: 'fullName', result: 'match', kind: 'exact', score: 100 }, { attribute: 'dateOfBirth', result: 'match', kind: 'exact', score: 100 }],
    });
    const typo = await verify({ fullName: 'Nguyễn Thị Minh Khaj', sex: 'female' });
    assert.equal(typo.result, 'partial');
    assert.deepEqual(typo.results, [{ attribute: 'fullName', result: 'partial', kind: 'partial', score: 85 }, { attribute: 'sex', result: 'match', kind: 'exact', score: 100 }]);
    assert.equal((await verify({ fullName: 'Nguyễn Thị Minh Khai', dateOfBirth: '1991' })).result, 'no_match');
  });

  test('the connection\'s threshold decides; refusing partials leaves exact only; the policy shows the setting', async () => {
    await setMatching({ partialThreshold: 86 });
    const strict = await verify({ fullName: 'Nguyễn Thị Minh Khaj' });
    assert.deepEqual([strict.result, strict.results[0]], ['no_match', { attribute: 'fullName', result: 'no_match', kind: 'partial', score: 85 }]);
    assert.equal((await verify({ fullName: 'Nguyen Thi Minh Khai' })).result, 'partial', 'without diacritics: 90 ≥ 86');

    await setMatching({ partialThreshold: 60 });
    assert.equal((await verify({ fullName: 'Nguyễn Thị Minh Khaj' })).result, 'partial');

    await setMatching({ allowPartial: false });
    const exactOnly = await verify({ fullName: 'Nguyen Thi Minh Khai', sex: 'female' });
    assert.deepEqual(exactOnly.results.map((r) => [r.result, r.score]), [['no_match', 90], ['match', 100]]);
    assert.equal(exactOnly.result, 'no_match');
    assert.equal((await verify({ fullName: 'Nguyễn Thị Minh Khai' })).result, 'match');
    const shown = await admin(s, 'GET', `/admin/connections/${sys.connectionId}`, undefined, 200);
    assert.equal(shown.body.policy.matching.allowPartial, false);

    await setMatching();
    assert.equal((await verify({ fullName: 'Nguyễn Thị Minh Khaj' })).result, 'partial', 'back to the default');
  });

  test('a matching setting out of range or unknown is refused and changes nothing', async () => {
    for (const matching of [{ partialThreshold: 0 }, { partialThreshold: 101 }, { partialThreshold: 80.5 }, { allowPartial: 'yes' }, { exactOnly: true }]) {
      const r = await admin(s, 'PUT', `/admin/connections/${sys.connectionId}/policy`, { ...VERIFY, matching });
      assert.equal(r.status, 400, JSON.stringify(matching));
      assert.equal(typeof r.body.code, 'string');
    }
    const shown = await admin(s, 'GET', `/admin/connections/${sys.connectionId}`, undefined, 200);
    assert.equal(shown.body.policy.matching, undefined);
  });
});
