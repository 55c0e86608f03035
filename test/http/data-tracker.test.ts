/**
 * The Estonia Data Tracker–compatible API (decision 0032): answers validated against the schemas of
 * test/fixtures/estonia-data-tracker/dumonitor-openapi-v2.1.0.yaml (loaded here, with no key
 * beyond the schema's), findUsage's paging and period, userCode and X-Road-UserId, representation,
 * held-back entries counted nowhere, usagePeriod and heartbeat (FAIL when the log cannot be read).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { startTestServer, type TestServer } from '../support/http.js';
import { admin, agencyBody, callService, connectIn } from '../support/exchange.js';
import { asCitizen, family, officerReads, type Family } from '../support/usage.js';

const SPEC = parse(readFileSync(new URL('../fixtures/estonia-data-tracker/dumonitor-openapi-v2.1.0.yaml', import.meta.url), 'utf8')) as { components: { schemas: Record<string, { properties: Record<string, unknown> }> } };
const ajv = new Ajv({ strict: false, allErrors: true });
(addFormats as unknown as (a: Ajv) => void)(ajv);
ajv.addSchema({ $id: 'dumonitor', components: SPEC.components });
const validator = (name: string) => {
  const v = ajv.compile({ $ref: `dumonitor#/components/schemas/${name}` });
  return (body: unknown) => {
    assert.ok(v(body), `${name}: ${JSON.stringify(v.errors)} in ${JSON.stringify(body)}`);
  };
};
const validFindUsage = validator('FindUsageResponse');
const validPeriod = validator('UsagePeriodResponse');
const validHeartbeat = validator('HeartbeatResponse');
/** No key the v2.1.0 schema does not define. */
function onlySpecKeys(name: string, o: Record<string, unknown>): void {
  const allowed = Object.keys(SPEC.components.schemas[name]!.properties);
  for (const k of Object.keys(o)) assert.ok(allowed.includes(k), `${name}: ${k} is not in the spec`);
}

let s: TestServer;
let f: Family;
let agencyToken: string;
const POLICY = { grants: [{ service: 'lookupCitizen', fields: ['fullName', 'dateOfBirth'], purposes: ['1.004222'] }], ratePerMinute: 1000, dailyQuota: 1000 };
const findUsage = (token: string, query: string, headers: Record<string, string> = {}) => s.call('GET', `/data-tracker/findUsage?${query}`, { token, headers: { 'x-purpose': '', ...headers } });

before(async () => {
  s = await startTestServer('2026-06-01T03:00:00.000Z');
  f = await family(s);
  await admin(s, 'POST', '/admin/catalogue/2026', undefined, 201);
  await admin(s, 'POST', '/admin/catalogue/2026/publication', {}, 200);
  agencyToken = (await connectIn(s, agencyBody('NHDT', { name: 'Ngân hàng Theo Dõi' }), POLICY, 'active')).token as string;
});
after(async () => s.close());

describe('findUsage', () => {
  test('shapes of v2.1.0; an officer\'s read and an agency\'s call, oldest first, with the purpose in the action', async () => {
    s.clock.advance(1000);
    await officerReads(s, f.stranger, '1.001234');
    s.clock.advance(1000);
    assert.equal((await callService(s, agencyToken, 'lookupCitizen', { personalId: f.stranger })).status, 200);
    const r = await findUsage(f.tokens.stranger, `userCode=${f.stranger}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    validFindUsage(r.body);
    onlySpecKeys('FindUsageResponse', r.body);
    for (const u of r.body.usages) onlySpecKeys('Usage', u);
    const [registration, read, call] = r.body.usages;
    assert.equal(r.body.totalUsages, 3);
    assert.ok(registration.logtime < read.logtime && read.logtime < call.logtime);
    assert.deepEqual(read, { logtime: '2026-06-01T03:00:01.000Z', action: '1.001234: Tra cứu thông tin công dân', receiverCode: 'dancu', receiverSystem: 'dancu' });
    assert.deepEqual(call, { logtime: '2026-06-01T03:00:02.000Z', action: '1.004222: lookupCitizen', receiverCode: 'NHDT', receiverName: 'Ngân hàng Theo Dõi', receiverSystem: 'Hệ thống nghiệp vụ' });
  });

  test('userCode with the VN prefix; X-Road-UserId must be the signed-in citizen', async () => {
    const plain = await findUsage(f.tokens.stranger, `userCode=${f.stranger}`);
    const prefixed = await findUsage(f.tokens.stranger, `userCode=VN${f.stranger}`, { 'x-road-userid': `VN${f.stranger}` });
    assert.equal(prefixed.status, 200);
    assert.deepEqual(prefixed.body, plain.body);
    const other = await findUsage(f.tokens.stranger, `userCode=${f.stranger}`, { 'x-road-userid': `VN${f.parent}` });
    assert.equal(other.status, 403);
    assert.equal(other.body.code, 'USER_ID_MISMATCH');
    for (const bad of ['userCode=EE12345678901', 'userCode=123', '', `userCode=${f.stranger}&limit=10001`, `userCode=${f.stranger}&limit=0`, `userCode=${f.stranger}&offset=-1`, `userCode=${f.stranger}&periodStart=yesterday`]) {
      assert.equal((await findUsage(f.tokens.stranger, bad)).status, 400, bad);
    }
  });

  test('offset and limit page; totalUsages ignores them; the period bounds are inclusive', async () => {
    for (let i = 0; i < 5; i++) {
      s.clock.advance(1000);
      await officerReads(s, f.ward, `p${i}`);
    }
    const all = await findUsage(f.tokens.parent, `userCode=${f.ward}`);
    assert.equal(all.status, 200, JSON.stringify(all.body));
    const n = all.body.totalUsages;
    assert.equal(all.body.usages.length, n);
    // The representative's reading is itself a use of the ward's data: one more each time.
    const page = await findUsage(f.tokens.parent, `userCode=${f.ward}&offset=2&limit=2`);
    assert.equal(page.body.totalUsages, n + 1);
    assert.deepEqual(page.body.usages, all.body.usages.slice(2, 4));
    assert.deepEqual((await findUsage(f.tokens.parent, `userCode=${f.ward}&offset=${n + 2}`)).body.usages, []);
    const mid = all.body.usages.slice(1, 3);
    const period = await findUsage(f.tokens.parent, `userCode=${f.ward}&periodStart=${encodeURIComponent(mid[0].logtime)}&periodEnd=${encodeURIComponent(mid[1].logtime)}`);
    assert.deepEqual(period.body.usages, mid);
    assert.equal(period.body.totalUsages, 2);
  });

  test('a representative may ask; others are refused NOT_REPRESENTED', async () => {
    assert.equal((await findUsage(f.tokens.parent, `userCode=${f.child}`)).status, 200);
    const r = await findUsage(f.tokens.parent, `userCode=${f.adultChild}`);
    assert.equal(r.status, 403);
    assert.equal(r.body.code, 'NOT_REPRESENTED');
  });

  test('held-back entries are neither listed nor counted', async () => {
    const before = (await findUsage(f.tokens.stranger, `userCode=${f.stranger}`)).body;
    const hold = await s.call('POST', '/inspection/visibility-holds', { token: s.tokens.inspector, headers: { 'x-purpose': 'QD-1' }, body: { personalId: f.stranger, requester: 'agency:NHDT', kind: 'hidden', decisionRef: 'QD 1/2026' } });
    assert.equal(hold.status, 201, JSON.stringify(hold.body));
    const after = (await findUsage(f.tokens.stranger, `userCode=${f.stranger}`)).body;
    assert.equal(after.totalUsages, before.totalUsages - 1, JSON.stringify([before, after]));
    assert.ok(!after.usages.some((u: any) => u.receiverCode === 'NHDT'));
    // Nor is the inspector's placing of the hold (it would tell the person).
    assert.ok(!after.usages.some((u: any) => u.action.includes('placeVisibilityHold')));
  });

  test('only a citizen principal calls it', async () => {
    assert.equal((await s.call('GET', `/data-tracker/findUsage?userCode=${f.stranger}`, { token: s.tokens.officer, headers: { 'x-purpose': 'x' } })).status, 403);
    assert.equal((await s.call('GET', `/data-tracker/findUsage?userCode=${f.stranger}`)).status, 401);
  });
});

describe('usagePeriod and heartbeat', () => {
  test('usagePeriod starts at the first entry the registry keeps', async () => {
    const r = await s.call('GET', '/data-tracker/usagePeriod');
    assert.equal(r.status, 200);
    validPeriod(r.body);
    onlySpecKeys('UsagePeriodResponse', r.body);
    const first = await s.runtime.store.db.selectFrom('access_entry').select('at').orderBy('at').limit(1).executeTakeFirstOrThrow();
    assert.equal(r.body.periodStart, first.at);
  });

  test('heartbeat: OK; FAIL when the log cannot be read', async () => {
    const ok = await s.call('GET', '/data-tracker/heartbeat');
    assert.equal(ok.status, 200);
    validHeartbeat(ok.body);
    onlySpecKeys('HeartbeatResponse', ok.body);
    assert.equal(ok.body.status, 'OK');
    const db = s.runtime.store.db;
    await db.schema.alterTable('access_entry').renameTo('access_entry_away').execute();
    try {
      const fail = await s.call('GET', '/data-tracker/heartbeat');
      assert.equal(fail.status, 200);
      validHeartbeat(fail.body);
      assert.equal(fail.body.status, 'FAIL');
    } finally {
      await db.schema.alterTable('access_entry_away').renameTo('access_entry').execute();
    }
  });
});
