/**
 * Fuzzing every route from its own schemas (fast-check): path, query and body values that are
 * well-formed, or hostile (wrong types, forbidden characters, deep nesting, unknown or missing
 * properties, edge numbers), raw bodies (bad JSON, bad UTF-8, other media types), with and without
 * the right credentials. Over real HTTP, on the store under test. Every answer must be below 500,
 * and every refusal a problem+json with a code from the catalogue that repeats no personal ID of
 * the URL. DANCU_FUZZ_RUNS sets the cases per route (a short run here; `npm run fuzz` runs 100,000).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { startTestServer, type TestServer } from '../support/http.js';
import { admin, agencyBody, connectIn } from '../support/exchange.js';
import { routesOf, type RouteSpec } from '../../src/http/input-hygiene.js';
import { ERROR_CATALOGUE } from '../../src/domain/errors/codes.js';
import { seedPopulation } from '../../src/services/seed.js';
import { DEFAULT_ANOMALY_RULE } from '../../src/domain/exchange/anomaly.js';
import { encode, HOSTILE, pathOf, queryOf, tokenFor, validArbitrary, type Hints, prepareCitizenToken, prepareAgencyAdminToken } from '../support/route-requests.js';

const RUNS = Number(process.env.DANCU_FUZZ_RUNS ?? 10);
const SEED = process.env.DANCU_FUZZ_SEED ? Number(process.env.DANCU_FUZZ_SEED) : undefined;

let s: TestServer;
let agencyToken: string;
let hints: Hints;
const tally = new Map<number, number>();
let fuzzed = 0;

before(async () => {
  // An anomaly rule that never fires, so the fuzzing agency stays active however much it calls, and
  // per-address limits out of reach: otherwise most cases would be answered 429 and test nothing else.
  const options = {
    anomalyRule: { ...DEFAULT_ANOMALY_RULE, minimumCalls: 1_000_000_000 },
    rateLimits: { anonymous: 1e9, verification: 1e9, token: 1e9, authFailures: 1e9 },
  };
  s = await startTestServer('2026-06-01T03:00:00.000Z', options);
  await seedPopulation(s.runtime.store, s.runtime.catalogue.categories, s.clock, { seed: 9, count: 40 });
  await prepareCitizenToken(s);
  await prepareAgencyAdminToken(s);
  const ids = (await s.runtime.store.db.selectFrom('citizen').select('personal_id').orderBy('personal_id').execute()).map((r) => r.personal_id);
  await admin(s, 'POST', '/admin/catalogue/2026', undefined, 201);
  await admin(s, 'POST', '/admin/catalogue/2026/publication', {}, 200);
  const policy = {
    grants: [
      { service: 'lookupCitizen', fields: ['fullName', 'dateOfBirth', 'sex'], purposes: ['1.004222'] },
      { service: 'verifyCitizen', fields: ['fullName', 'dateOfBirth', 'sex'], purposes: ['1.004222'] },
    ],
    ratePerMinute: 1_000_000,
  };
  agencyToken = (await connectIn(s, agencyBody('FUZZBANK'), policy, 'active')).token!;
  const people = fc.constantFrom(...ids);
  // Values that exist (people, category codes, communes, dates in range) get requests past the
  // schema into the services now and then.
  hints = {
    personalId: people,
    memberPersonalId: people,
    householdHeadPersonalId: people,
    personalIds: fc.array(people, { minLength: 1, maxLength: 5 }),
    ethnicity: fc.constantFrom('01', '02', '17'),
    religion: fc.constantFrom('00', '01'),
    nationality: fc.constant('VN'),
    country: fc.constant('VN'),
    unitSet: fc.constantFrom('pre2025', '2025'),
    unitCode: fc.constantFrom('00004', '00008', '26734'),
    dateOfBirth: fc.constantFrom('1990', '1985-07', '2001-02-03', '2024-03-05'),
    fullName: fc.constantFrom('Nguyễn Văn An', 'Trần Thị Bích Ngọc', 'Lê\u200b Hoàng'),
  };
});
after(async () => {
  const total = [...tally.values()].reduce((a, b) => a + b, 0);
  const byStatus = [...tally.entries()].sort(([a], [b]) => a - b).map(([k, v]) => `${k}: ${v}`).join(', ');
  console.log(`fuzz: ${total} requests over ${fuzzed} routes (${RUNS} per route) — ${byStatus}`);
  await s.close();
});

interface FuzzRequest {
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Raw bodies no route takes. */
const RAW_BODIES: fc.Arbitrary<{ type: string; body: string | Uint8Array }> = fc.oneof(
  fc.constantFrom('{', '{"a":', '[1,]', 'nul', '"\\ud800"', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{"x":1}}}', '', '   ', '1e999999').map((body) => ({ type: 'application/json', body })),
  fc.integer({ min: 33, max: 3000 }).map((n) => ({ type: 'application/json', body: '{"a":' + '['.repeat(n) + ']'.repeat(n) + '}' })),
  fc.uint8Array({ minLength: 1, maxLength: 40 }).map((b) => ({ type: 'application/json', body: Uint8Array.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, ...b.map((x) => x | 0x80), 0x22, 0x7d]) })),
  fc.constantFrom('text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', 'application/json-patch+json').map((type) => ({ type, body: 'a=1' })),
);

function requestOf(route: RouteSpec): fc.Arbitrary<FuzzRequest> {
  const schema = route.schema ?? {};
  const params = validArbitrary(schema.params ?? { type: 'object', properties: {} }, 1, hints);
  const query = schema.querystring ? validArbitrary(schema.querystring, 1, hints) : fc.constant(undefined);
  const json = schema.body ? validArbitrary(schema.body, 1, hints) : fc.oneof(fc.constant(undefined), HOSTILE);
  const body = BODY_METHODS.has(route.method)
    ? fc.oneof(
        { weight: 6, arbitrary: json.map((b) => (b === undefined ? undefined : { type: 'application/json', body: JSON.stringify(b) })) },
        { weight: 1, arbitrary: RAW_BODIES },
      )
    : fc.constant(undefined);
  const isAgency = route.url.startsWith('/exchange/services/') || route.url.startsWith('/exchange/own');
  const token = fc.oneof(
    { weight: 8, arbitrary: fc.constant(isAgency ? agencyToken : tokenFor(s, route)) },
    { weight: 1, arbitrary: fc.constantFrom(undefined, 'garbage', s.tokens.inspector, s.tokens.officer) },
  );
  const extra = fc.record({
    ifMatch: fc.constantFrom(undefined, '"1"', '"2"', 'W/"1"', '*', 'x'),
    purpose: fc.constantFrom('1.004222', '', 'x'.repeat(300), '1.004222\u0085'),
    // Raw query text no encoder would produce: bad UTF-8 escapes, bare "%", NUL, repeated keys.
    rawQuery: fc.constantFrom('', '', '', '', 'zz=%C3%28', 'a=%ED%A0%80', 'b=%', '%00=%00', 'limit=1&limit=2', 'x=%FF%FE'),
  });
  return fc.record({ params, query, body, token, extra }).map(({ params, query, body, token, extra }) => {
    const headers: Record<string, string> = { 'x-request-id': `fuzz-${Math.random().toString(36).slice(2, 10)}`, 'x-officer-id': 'CB-0001' };
    if (token) headers.authorization = `Bearer ${token}`;
    if (extra.ifMatch) headers['if-match'] = extra.ifMatch;
    headers['x-purpose'] = encode(extra.purpose);
    if (body) headers['content-type'] = body.type;
    const q = queryOf(query as Record<string, unknown> | undefined);
    const path = pathOf(route.url, (params ?? {}) as Record<string, unknown>) + (extra.rawQuery ? `${q ? `${q}&` : '?'}${extra.rawQuery}` : q);
    return { path, headers, ...(body ? { body: body.body } : {}) };
  });
}

const CODES = new Set(Object.keys(ERROR_CATALOGUE));

/** Sends one request and checks its answer. */
async function check(route: RouteSpec, req: FuzzRequest): Promise<void> {
  const res = await fetch(s.baseUrl + req.path, { method: route.method, headers: req.headers, ...(req.body !== undefined ? { body: req.body } : {}) });
  const text = await res.text();
  tally.set(res.status, (tally.get(res.status) ?? 0) + 1);
  const where = `${route.method} ${route.url} → ${res.status}: ${text.slice(0, 300)}`;
  assert.ok(res.status < 500, where);
  if (res.status < 400) return;
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/, where);
  const p = JSON.parse(text) as { code: string; status: number; messages: { vi: string; en: string } };
  assert.ok(CODES.has(p.code), where);
  assert.equal(p.status, res.status, where);
  assert.ok(p.messages.vi && p.messages.en, where);
  // No refusal repeats a personal ID (12 digits) that was in the URL.
  for (const id of req.path.match(/\d{12}/g) ?? []) assert.ok(!text.includes(id), `${where} repeats ${id}`);
}

test(`fuzz: every route, ${RUNS} cases each: no 5xx, every refusal a problem+json with a catalogue code`, async () => {
  const routes = routesOf(s.app).filter((r) => !r.url.startsWith('/docs') && r.method !== 'HEAD' && r.method !== 'OPTIONS');
  assert.ok(routes.length >= 60, `only ${routes.length} routes`);
  fuzzed = routes.length;
  // Every route is fuzzed even when an earlier one fails, so one run names every failing route.
  const failures: string[] = [];
  const started = Date.now();
  for (const [i, route] of routes.entries()) {
    // Long runs say where they are.
    if (RUNS >= 1000) console.log(`fuzz: route ${i + 1}/${routes.length} ${route.method} ${route.url}`);
    const property = fc.asyncProperty(requestOf(route), (req) => check(route, req));
    try {
      await fc.assert(property, { numRuns: RUNS, ...(SEED !== undefined ? { seed: SEED } : {}) });
    } catch (e) {
      failures.push(`${route.method} ${route.url}: ${String((e as Error).message).slice(0, 2000)}`);
    }
  }
  console.log(`fuzz: ${routes.length} routes fuzzed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  assert.deepEqual(failures, []);
});
