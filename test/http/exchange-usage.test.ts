/**
 * Usage counters under concurrency and after a crash (decision 0036). A call claims its place in its
 * connection's counters before it is served, in one conditional statement, so that calls arriving
 * together from several server processes never pass the daily quota or the per-minute rate together;
 * a call not served gives its place back. A counter a crash left wrong is set from the access log when
 * `dancu serve` starts.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { startPeerServer, startTestServer, type TestServer } from '../support/http.js';
import { admin, agencyBody, connectIn } from '../support/exchange.js';
import { freePort, stopChild } from '../support/child.js';
import { seedPopulation } from '../../src/services/seed.js';
import { localDayOf, localHourOf, localMinuteOf } from '../../src/domain/exchange/rate-limit.js';
import { usageOf } from '../../src/store/repositories/access-log.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const PURPOSE = '1.004222';
const LOOKUP = (extra: Record<string, unknown>) => ({ grants: [{ service: 'lookupCitizen', fields: ['fullName'], purposes: [PURPOSE] }], ratePerMinute: 100_000, ...extra });
type Peer = Pick<TestServer, 'call' | 'close'>;

const lookup = (server: Peer, t: string, personalId: string) =>
  server.call('POST', '/exchange/services/lookupCitizen', {
    headers: { authorization: `Bearer ${t}`, 'x-request-id': randomUUID(), 'x-purpose': PURPOSE, 'x-officer-id': 'CB-0001' },
    body: { personalId },
  });

/** Served calls of a connection per the access log (one primary row per call). */
async function servedInLog(s: TestServer, connectionId: string): Promise<number> {
  const db = s.runtime.store.db;
  const r = await db.selectFrom('access_entry').select(db.fn.countAll().as('n')).where('connection_id', '=', connectionId).where('primary_row', '=', 1).where('outcome', '=', 'served').executeTakeFirstOrThrow();
  return Number(r.n);
}

describe('usage counters', () => {
  // The real time: `dancu serve` started by the restart test reads the system clock.
  const now = new Date().toISOString();
  let a: TestServer;
  let b: Peer;
  let someone: string;

  before(async () => {
    a = await startTestServer(now);
    b = await startPeerServer(a);
    await seedPopulation(a.runtime.store, a.runtime.catalogue.categories, a.clock, { seed: 4, count: 30 });
    someone = (await a.runtime.store.db.selectFrom('citizen').select('personal_id').where('date_of_death', 'is', null).orderBy('personal_id').limit(1).executeTakeFirstOrThrow()).personal_id;
    const year = Number(localDayOf(now).slice(0, 4));
    await admin(a, 'POST', `/admin/catalogue/${year}`, undefined, 201);
    await admin(a, 'POST', `/admin/catalogue/${year}/publication`, {}, 200);
  });
  after(async () => {
    await b?.close();
    await a?.close();
  });

  /** `n` calls at once, alternating between the two servers; the statuses. */
  async function burst(t: string, n: number): Promise<number[]> {
    const answers = await Promise.all(Array.from({ length: n }, (_, i) => lookup(i % 2 === 0 ? a : b, t, someone)));
    return answers.map((r) => r.status);
  }

  test('simultaneous calls from two server processes never serve more than the daily quota', async () => {
    const quota = 10;
    const { sys, token: t } = await connectIn(a, agencyBody('UQUOTA'), LOOKUP({ dailyQuota: quota }), 'active');
    const statuses = await burst(t!, 60);
    const served = statuses.filter((x) => x === 200).length;
    if (process.env.DANCU_TEST_VERBOSE) console.log(`quota ${quota}, 60 calls at once from 2 servers: ${served} served`);
    assert.equal(served, quota, JSON.stringify(statuses));
    assert.deepEqual([...new Set(statuses)].sort(), [200, 429]);
    assert.equal(await servedInLog(a, sys.connectionId), quota, 'the log says the same');
    const counters = await usageOf(a.runtime.store.db, sys.connectionId, [localDayOf(now), localHourOf(now), localMinuteOf(now)]);
    assert.deepEqual([...counters.values()], [quota, quota, quota], 'refused calls took no place in the counters');
    assert.equal((await lookup(b, t!, someone)).body.code, 'QUOTA_EXCEEDED');
  });

  test('simultaneous calls from two server processes never pass the per-minute rate', async () => {
    const { token: t } = await connectIn(a, agencyBody('URATE'), LOOKUP({ ratePerMinute: 5 }), 'active');
    const statuses = await burst(t!, 40);
    if (process.env.DANCU_TEST_VERBOSE) console.log(`rate 5/min, 40 calls at once from 2 servers: ${statuses.filter((x) => x === 200).length} served`);
    assert.equal(statuses.filter((x) => x === 200).length, 5, JSON.stringify(statuses));
  });

  test('a call refused after it claimed its place (unknown person) gives the place back', async () => {
    const { sys, token: t } = await connectIn(a, agencyBody('UBACK'), LOOKUP({ dailyQuota: 2 }), 'active');
    const unknown = await lookup(a, t!, '000000000001');
    assert.notEqual(unknown.status, 200);
    assert.deepEqual([(await lookup(a, t!, someone)).status, (await lookup(b, t!, someone)).status, (await lookup(a, t!, someone)).status], [200, 200, 429]);
    assert.equal(await servedInLog(a, sys.connectionId), 2);
  });

  test('dancu serve sets counters a crash left wrong to the served entries before it serves', async () => {
    const { sys, token: t } = await connectIn(a, agencyBody('URESTART'), LOOKUP({ dailyQuota: 50 }), 'active');
    for (let i = 0; i < 3; i++) assert.equal((await lookup(i % 2 ? b : a, t!, someone)).status, 200);
    const db = a.runtime.store.db;
    const day = localDayOf(now);
    const hour = localHourOf(now);
    // As a crash could leave them: the day's counter lost, the hour's gone, the minute's ahead (claimed, never recorded).
    await db.updateTable('connection_usage').set({ calls: 0 }).where('connection_id', '=', sys.connectionId).where('period', '=', day).execute();
    await db.deleteFrom('connection_usage').where('connection_id', '=', sys.connectionId).where('period', '=', hour).execute();
    await db.updateTable('connection_usage').set({ calls: 40 }).where('connection_id', '=', sys.connectionId).where('period', '=', localMinuteOf(now)).execute();

    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--no-demo', '--port', String(port)], {
      cwd: ROOT,
      env: { ...process.env, DANCU_DATABASE_URL: a.runtime.databaseUrl, DANCU_DATA_DIR: a.runtime.dataDir, LOG_LEVEL: 'warn' },
    });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const startedAt = new Date().toISOString();
    try {
      for (let i = 0; i < 600 && !err.includes('dancu is running'); i++) await new Promise((r) => setTimeout(r, 100));
      assert.match(err, /dancu is running/, err);
    } finally {
      await stopChild(child);
    }
    const counters = await usageOf(db, sys.connectionId, [day, hour, localMinuteOf(startedAt)]);
    // The restart set the periods of its own instant: the day and hour of the calls unless a boundary passed meanwhile.
    if (localDayOf(startedAt) === day) assert.equal(counters.get(day), 3);
    if (localHourOf(startedAt) === hour) assert.equal(counters.get(hour), 3);
    const minuteCalls = localMinuteOf(startedAt) === localMinuteOf(now) ? 3 : 0;
    assert.equal(counters.get(localMinuteOf(startedAt)), minuteCalls);
    assert.equal(await servedInLog(a, sys.connectionId), 3);
  });
});
