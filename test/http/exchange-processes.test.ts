/**
 * Several server processes on one store (`dancu serve --workers N`, or several hosts): the limits
 * and the anomaly rule hold across them, because they are decided from the usage counters in the
 * store, not from a process's memory. Modelled here by two servers in this test process, each with
 * its own store connection and its own in-memory state — all that two processes share is the store.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startPeerServer, startTestServer, type TestServer } from '../support/http.js';
import { admin, agencyBody, connectIn, moveTo } from '../support/exchange.js';
import { seedPopulation } from '../../src/services/seed.js';

const PURPOSE = '1.004222';
const LOOKUP = (extra: Record<string, unknown>) => ({ grants: [{ service: 'lookupCitizen', fields: ['fullName'], purposes: [PURPOSE] }], ratePerMinute: 100_000, ...extra });
type Peer = Pick<TestServer, 'call' | 'close'>;

describe('two server processes on one store', () => {
  let a: TestServer;
  let b: Peer;
  let someone: string;
  const rule = { multiple: 2, minimumCalls: 6, baselineHours: 3, minimumHistoryHours: 3 };

  before(async () => {
    a = await startTestServer('2026-06-01T03:10:00.000Z', { anomalyRule: rule });
    b = await startPeerServer(a, { anomalyRule: rule });
    await seedPopulation(a.runtime.store, a.runtime.catalogue.categories, a.clock, { seed: 4, count: 50 });
    someone = (await a.runtime.store.db.selectFrom('citizen').select('personal_id').where('date_of_death', 'is', null).orderBy('personal_id').limit(1).executeTakeFirstOrThrow()).personal_id;
    await admin(a, 'POST', '/admin/catalogue/2026', undefined, 201);
    await admin(a, 'POST', '/admin/catalogue/2026/publication', {}, 200);
  });
  after(async () => {
    await b?.close();
    await a?.close();
  });

  const lookup = (server: Peer, t: string) =>
    server.call('POST', '/exchange/services/lookupCitizen', {
      headers: { authorization: `Bearer ${t}`, 'x-request-id': randomUUID(), 'x-purpose': PURPOSE, 'x-officer-id': 'CB-0001' },
      body: { personalId: someone },
    });

  test('the per-minute rate counts the calls served by both', async () => {
    const { token: t } = await connectIn(a, agencyBody('PRATE'), LOOKUP({ ratePerMinute: 3 }), 'active');
    const answers = [];
    for (const server of [a, b, a, b, a]) answers.push(await lookup(server, t!));
    assert.deepEqual(answers.map((r) => r.status), [200, 200, 200, 429, 429]);
    assert.deepEqual(answers.slice(3).map((r) => r.body.code), ['RATE_LIMITED', 'RATE_LIMITED']);
  });

  test('the daily quota counts the calls served by both', async () => {
    const { token: t } = await connectIn(a, agencyBody('PQUOTA'), LOOKUP({ dailyQuota: 2 }), 'active');
    const answers = [];
    for (const server of [b, a, b, a]) answers.push(await lookup(server, t!));
    assert.deepEqual(answers.map((r) => r.status), [200, 200, 429, 429]);
    assert.deepEqual(answers.slice(2).map((r) => r.body.code), ['QUOTA_EXCEEDED', 'QUOTA_EXCEEDED']);
  });

  test('a suspension made through one refuses the very next call on the other', async () => {
    const { sys, token: t } = await connectIn(a, agencyBody('PSUSP'), LOOKUP({}), 'active');
    assert.equal((await lookup(b, t!)).status, 200);
    await moveTo(a, sys, 'suspend');
    const next = await lookup(b, t!);
    assert.deepEqual([next.status, next.body.code], [403, 'CONNECTION_SUSPENDED']);
  });

  test('the anomaly rule sees the hour of both: spread over two processes, a burst still suspends', async () => {
    const { sys, token: t } = await connectIn(a, agencyBody('PANOM'), LOOKUP({ dailyQuota: 48 }), 'active');
    // A new connection declaring 48 calls a day (2 an hour): 6 calls in its first hour is the anomaly; each process serves only 3 of them.
    const answers = [];
    for (let i = 0; i < 7; i++) answers.push(await lookup(i % 2 === 0 ? a : b, t!));
    assert.deepEqual(answers.map((r) => r.status), [200, 200, 200, 200, 200, 200, 403]);
    assert.equal(answers[6]!.body.code, 'CONNECTION_SUSPENDED');
    const c = await admin(a, 'GET', `/admin/connections/${sys.connectionId}`, undefined, 200);
    assert.equal(c.body.state, 'suspended');
  });
});
