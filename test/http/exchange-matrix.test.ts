/**
 * The authorization matrix of the data exchange as a property: agency × service × connection state
 * × field × purpose. Five connections are brought to each lifecycle state (with a token obtained
 * while the state allowed one); fast-check then draws a state, a policy (services of the published
 * catalogue, a non-empty subset of each one's fields, purposes from a small pool) and a call (any of
 * the seven services, for synthetic people or the one real citizen, with a purpose from the pool or
 * none). An oracle says what must come back — the status and error code, or for a 200 exactly the
 * granted fields of the registry's answer — and that the call left exactly one access-log row
 * saying the same.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { startTestServer, birthBody, type TestServer } from '../support/http.js';
import { accessLogCount, accessLogRows, admin, entryKeys, agencyBody, assertion, callService, connectIn, tokenCall, type AgencySystem } from '../support/exchange.js';
import { seedPopulation } from '../../src/services/seed.js';
import { insertExchangeToken } from '../../src/store/repositories/exchange-tokens.js';
import { hashExchangeToken } from '../../src/services/exchange/tokens.js';
import { PROVIDER_SERVICE_CODES, type ServiceCode } from '../../src/domain/exchange/catalogue.js';

type State = 'requested' | 'testing' | 'active' | 'suspended' | 'terminated';
type Subject = 'S1' | 'S2' | 'R';
type Asked = Subject | 'U';
interface Grant {
  service: string;
  fields: string[];
  purposes: string[];
}
interface Call {
  service: string;
  /** undefined: no X-Purpose header; '': an empty one. */
  purpose: string | undefined;
  subject: Subject;
  batch: Asked[];
  claims: string[];
}
interface Case {
  state: State;
  grants: Grant[];
  call: Call;
}

const STATES: readonly State[] = ['requested', 'testing', 'active', 'suspended', 'terminated'];
const PURPOSES = ['1.004222', '2.000001', '1.001234'] as const;
const OFFICER = 'CB-0001';
const LEGACY = '123456789';
/** One value per attribute verifyCitizen accepts; a call claims a subset. */
const CLAIMS: Record<string, unknown> = {
  fullName: 'Nguyễn Văn An',
  dateOfBirth: '1990',
  sex: 'female',
  nationality: 'VN',
  legacyIdNumber: LEGACY,
  phone: '0912345678',
  email: 'an@example.vn',
  address: { unitCode: '00004', detail: 'Số 1 phố Hàng Bạc' },
};
const CLAIM_NAMES = Object.keys(CLAIMS);
const PROBLEM_KEYS = new Set(['type', 'title', 'status', 'code', 'detail', 'instance', 'messages', 'errors']);

let s: TestServer;
let ids: Record<Asked, string>;
let household: string;
let services: { code: string; fields: string[]; priceVnd: number; free: boolean }[];
const conns = {} as Record<State, { sys: AgencySystem; token: string }>;
/** The registry's full answers (every field granted), by `service|personalId`. */
const reference = new Map<string, any>(); // eslint-disable-line @typescript-eslint/no-explicit-any

function bodyOf(c: Call): Record<string, unknown> {
  const personalId = ids[c.subject];
  switch (c.service) {
    case 'authenticateLegacyId':
      return { personalId, legacyIdNumber: LEGACY };
    case 'confirmHouseholdHead':
      return { personalId, householdId: household };
    case 'batchLookupCitizens':
      return { personalIds: c.batch.map((a) => ids[a]) };
    case 'verifyCitizen':
      return { personalId, attributes: Object.fromEntries(c.claims.map((a) => [a, CLAIMS[a]])) };
    default:
      return { personalId };
  }
}

/** The personal IDs a call names. */
function asked(c: Call): string[] {
  return c.service === 'batchLookupCitizens' ? c.batch.map((a) => ids[a]) : [ids[c.subject]];
}

/** What the registry must answer (the order of the checks is the mechanism's: state, policy, purpose, attributes, test data). */
function oracle(k: Case): { status: number; code?: string } {
  if (k.state === 'terminated') return { status: 401, code: 'EXCHANGE_TOKEN_INVALID' };
  if (k.state === 'requested') return { status: 403, code: 'CONNECTION_NOT_ACTIVE' };
  if (k.state === 'suspended') return { status: 403, code: 'CONNECTION_SUSPENDED' };
  const grant = k.grants.find((g) => g.service === k.call.service);
  if (!grant) return { status: 403, code: 'SERVICE_NOT_ALLOWED' };
  if (!k.call.purpose) return { status: 400, code: 'PURPOSE_REQUIRED' };
  if (!grant.purposes.includes(k.call.purpose)) return { status: 403, code: 'PURPOSE_NOT_ALLOWED' };
  if (k.call.service === 'verifyCitizen' && k.call.claims.some((a) => !grant.fields.includes(a))) return { status: 403, code: 'ATTRIBUTE_NOT_ALLOWED' };
  if (k.state === 'testing' && asked(k.call).includes(ids.R)) return { status: 403, code: 'TEST_CONNECTION_REAL_DATA' };
  return { status: 200 };
}

/** The reference answer cut to the grant: personalId and every granted field the registry holds, nothing else. */
function cut(full: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { personalId: full.personalId };
  for (const f of fields) if (full[f] !== undefined) out[f] = full[f];
  return out;
}

function keysWithin(o: Record<string, unknown>, allowed: ReadonlySet<string>, what: string): void {
  const outside = Object.keys(o).filter((k) => !allowed.has(k));
  assert.deepEqual(outside, [], `${what}: keys outside the policy`);
}

/** Checks a 200 against the policy and the reference; returns the data fields it carried (for the log). */
function checkServed(k: Case, grant: Grant, body: any): { fields: string[]; personalIds: string[] } { // eslint-disable-line @typescript-eslint/no-explicit-any
  const allowed = new Set([...grant.fields, 'personalId']);
  const c = k.call;
  if (c.service === 'batchLookupCitizens') {
    assert.deepEqual(Object.keys(body).sort(), ['items', 'notFound'], 'batch: only the items/notFound wrappers');
    const askedIds = [...new Set(c.batch.map((a) => ids[a]))];
    const found = askedIds.filter((id) => id !== ids.U);
    assert.deepEqual([...body.notFound].sort(), askedIds.filter((id) => id === ids.U).sort());
    assert.deepEqual(body.items.map((i: any) => i.personalId).sort(), [...found].sort()); // eslint-disable-line @typescript-eslint/no-explicit-any
    const fields = new Set<string>();
    for (const item of body.items) {
      keysWithin(item, allowed, `batch item ${item.personalId}`);
      assert.deepEqual(item, cut(reference.get(`lookupCitizen|${item.personalId}`), grant.fields));
      for (const f of Object.keys(item)) if (f !== 'personalId') fields.add(f);
    }
    return { fields: [...fields].sort(), personalIds: found };
  }
  if (c.service === 'verifyCitizen') {
    assert.deepEqual(Object.keys(body).sort(), ['personalId', 'result', 'results']);
    assert.ok(['match', 'partial', 'no_match'].includes(body.result), `overall result ${body.result}`);
    assert.equal(body.personalId, ids[c.subject]);
    const claimed = CLAIM_NAMES.filter((a) => c.claims.includes(a));
    assert.deepEqual(body.results.map((r: any) => r.attribute), claimed, 'one result per claimed attribute, each granted'); // eslint-disable-line @typescript-eslint/no-explicit-any
    for (const r of body.results) {
      assert.ok(grant.fields.includes(r.attribute));
      keysWithin(r, new Set(['attribute', 'result', 'kind', 'score']), `verify result ${r.attribute}`);
    }
    const full = reference.get(`verifyCitizen|${ids[c.subject]}`);
    assert.deepEqual(body.results, full.results.filter((r: any) => c.claims.includes(r.attribute))); // eslint-disable-line @typescript-eslint/no-explicit-any
    return { fields: [], personalIds: [ids[c.subject]] };
  }
  keysWithin(body, allowed, c.service);
  const full = reference.get(`${c.service}|${ids[c.subject]}`);
  assert.ok(full, `reference for ${c.service}|${c.subject}`);
  assert.deepEqual(body, cut(full, grant.fields), `${c.service}: exactly the granted fields of the registry's answer`);
  return { fields: Object.keys(body).filter((f) => f !== 'personalId').sort(), personalIds: [ids[c.subject]] };
}

before(async () => {
  // No anomaly suspension here (the matrix calls the same connections many times in one test hour);
  // exchange-failures.test.ts exercises the rule.
  s = await startTestServer('2026-06-01T03:00:00.000Z', { anomalyRule: { multiple: 1e9, minimumCalls: 1e9, baselineHours: 1, minimumHistoryHours: 1 } });
  await seedPopulation(s.runtime.store, s.runtime.catalogue.categories, s.clock, { seed: 4, count: 100 });
  const db = s.runtime.store.db;
  const h = await db
    .selectFrom('household')
    .innerJoin('citizen', 'citizen.personal_id', 'household.head_personal_id')
    .select(['household.household_id', 'household.head_personal_id'])
    .where('household.dissolved_at', 'is', null)
    .where('citizen.date_of_death', 'is', null)
    .orderBy('household.household_id')
    .executeTakeFirstOrThrow();
  household = h.household_id;
  const other = await db.selectFrom('citizen').select('personal_id').where('date_of_death', 'is', null).where('personal_id', '!=', h.head_personal_id!).where('legacy_id_number', 'is not', null).orderBy('personal_id').executeTakeFirstOrThrow();
  const realId = (await s.call('POST', '/citizens', { token: s.tokens.officer, body: birthBody({ fullName: 'Đoàn Văn Thật', dateOfBirth: '1990-09-09' }) })).body.personalId as string;
  assert.match(realId, /^\d{12}$/);
  let unknown = '000000000001';
  while (await db.selectFrom('citizen').select('personal_id').where('personal_id', '=', unknown).executeTakeFirst()) unknown = String(Number(unknown) + 1).padStart(12, '0');
  ids = { S1: h.head_personal_id!, S2: other.personal_id, R: realId, U: unknown };

  await admin(s, 'POST', '/admin/catalogue/2026', undefined, 201);
  await admin(s, 'POST', '/admin/catalogue/2026/publication', {}, 200);
  // The matrix is about the seven services that release citizens' data; the provider services
  // (telecom operators feeding the subscriber register) have their own tests.
  const published: typeof services = (await s.call('GET', '/exchange/catalogue')).body.services;
  assert.deepEqual(published.filter((x) => PROVIDER_SERVICE_CODES.includes(x.code as ServiceCode)).map((x) => x.code).sort(), [...PROVIDER_SERVICE_CODES].sort());
  services = published.filter((x) => !PROVIDER_SERVICE_CODES.includes(x.code as ServiceCode));
  assert.equal(services.length, 7);

  // Agencies of the state: the data subject's consent (required of the others) has its own tests (consents-*.test.ts).
  const everything = { grants: services.map((x) => ({ service: x.code, fields: x.fields, purposes: [...PURPOSES] })), ratePerMinute: 100_000 };
  for (const [i, state] of STATES.entries()) {
    const { sys, token } = await connectIn(s, agencyBody(`MX${i}${state.slice(0, 3).toUpperCase()}`, { type: i % 2 ? 'political_organisation' : 'state_agency' }), everything, state);
    let t = token;
    if (state === 'requested') {
      // The endpoint never gives a requested connection a token; a stray one (say, restored from a
      // backup) must still be refused by the mechanism itself.
      assert.equal((await tokenCall(s, await assertion(sys, s))).body.code, 'CONNECTION_NOT_ACTIVE');
      t = `dxt_${randomUUID()}`;
      const now = s.clock.now();
      await insertExchangeToken(db, { tokenHash: hashExchangeToken(t), connectionId: sys.connectionId, issuedAt: now.toISOString(), expiresAt: new Date(now.getTime() + 3_600_000).toISOString() });
    }
    if (state === 'terminated') assert.equal((await tokenCall(s, await assertion(sys, s))).body.code, 'CONNECTION_TERMINATED');
    conns[state] = { sys, token: t! };
    const shown = await admin(s, 'GET', `/admin/connections/${sys.connectionId}`, undefined, 200);
    assert.equal(shown.body.state, state);
  }

  // The registry's full answers, through an active connection granted every field of every service.
  const ref = await connectIn(s, agencyBody('MXREF'), everything, 'active');
  const full = async (service: string, body: unknown) => {
    const r = await callService(s, ref.token, service, body, { 'x-purpose': PURPOSES[0] });
    assert.equal(r.status, 200, `${service} ${JSON.stringify(body)}: ${JSON.stringify(r.body)}`);
    return r.body;
  };
  for (const subject of ['S1', 'S2', 'R'] as const) {
    for (const service of ['lookupCitizen', 'authenticateLegacyId', 'confirmHouseholdHead', 'getResidenceInformation', 'getCardStatus']) {
      reference.set(`${service}|${ids[subject]}`, await full(service, bodyOf({ service, purpose: PURPOSES[0], subject, batch: [], claims: [] })));
    }
    reference.set(`verifyCitizen|${ids[subject]}`, await full('verifyCitizen', bodyOf({ service: 'verifyCitizen', purpose: PURPOSES[0], subject, batch: [], claims: CLAIM_NAMES })));
  }
  // Sanity of the reference: the synthetic head heads the household; the real citizen is who was registered.
  assert.equal(reference.get(`confirmHouseholdHead|${ids.S1}`).isHead, true);
  assert.equal(reference.get(`lookupCitizen|${ids.R}`).fullName, 'Đoàn Văn Thật');
  assert.equal(reference.get(`authenticateLegacyId|${ids.S2}`).match, 'no');
});
after(async () => s?.close());

test('authorization matrix: state × policy × service × field × purpose, every call logged once', async () => {
  const db = s.runtime.store.db;
  const codes = new Map<string, number>();
  const servedBy = new Map<string, number>();
  const stateArb = fc.oneof(
    { arbitrary: fc.constant<State>('requested'), weight: 1 },
    { arbitrary: fc.constant<State>('testing'), weight: 3 },
    { arbitrary: fc.constant<State>('active'), weight: 4 },
    { arbitrary: fc.constant<State>('suspended'), weight: 1 },
    { arbitrary: fc.constant<State>('terminated'), weight: 1 },
  );
  const grantsArb = fc
    .tuple(...services.map((x) => fc.option(fc.record({ fields: fc.shuffledSubarray(x.fields, { minLength: 1 }), purposes: fc.subarray([...PURPOSES], { minLength: 1 }) }), { nil: undefined, freq: 4 })))
    .map((gs) => gs.flatMap((g, i) => (g ? [{ service: services[i]!.code, ...g }] : [])));
  const callArb = fc.record({
    service: fc.constantFrom(...services.map((x) => x.code)),
    purpose: fc.oneof({ arbitrary: fc.constantFrom<string | undefined>(...PURPOSES), weight: 6 }, { arbitrary: fc.constantFrom<string | undefined>(undefined, ''), weight: 1 }),
    subject: fc.constantFrom<Subject>('S1', 'S2', 'R'),
    batch: fc.shuffledSubarray<Asked>(['S1', 'S2', 'R', 'U'], { minLength: 1 }),
    claims: fc.shuffledSubarray(CLAIM_NAMES, { minLength: 1 }),
  });
  const caseArb: fc.Arbitrary<Case> = fc.record({ state: stateArb, grants: grantsArb, call: callArb });

  const all = (code: string) => services.find((x) => x.code === code)!.fields;
  const g = (service: string, fields = all(service), purposes: string[] = [...PURPOSES]): Grant => ({ service, fields, purposes });
  const call = (service: string, o: Partial<Call> = {}): Call => ({ service, purpose: PURPOSES[0], subject: 'S1', batch: ['S1', 'U'], claims: ['fullName'], ...o });
  // Every outcome at least once, whatever the random draws.
  const examples: Case[] = [
    ...services.map((x) => ({ state: 'active' as const, grants: [g(x.code, x.fields.slice(0, 2))], call: call(x.code, { subject: 'R', batch: ['R', 'S2', 'U'] }) })),
    { state: 'testing', grants: [g('lookupCitizen', ['fullName', 'sex'])], call: call('lookupCitizen', { subject: 'S2' }) },
    { state: 'testing', grants: [g('lookupCitizen')], call: call('lookupCitizen', { subject: 'R' }) },
    { state: 'testing', grants: [g('batchLookupCitizens', ['fullName'])], call: call('batchLookupCitizens', { batch: ['S1', 'R'] }) },
    { state: 'active', grants: [g('verifyCitizen', ['fullName', 'sex'])], call: call('verifyCitizen', { claims: ['fullName', 'phone'] }) },
    { state: 'active', grants: [g('lookupCitizen')], call: call('getCardStatus') },
    { state: 'active', grants: [g('lookupCitizen')], call: call('lookupCitizen', { purpose: undefined }) },
    { state: 'active', grants: [g('lookupCitizen', ['fullName'], ['2.000001'])], call: call('lookupCitizen', { purpose: '1.004222' }) },
    { state: 'requested', grants: [g('lookupCitizen')], call: call('lookupCitizen') },
    { state: 'suspended', grants: [g('lookupCitizen')], call: call('lookupCitizen') },
    { state: 'terminated', grants: [g('lookupCitizen')], call: call('lookupCitizen') },
  ];

  const property = fc.asyncProperty(caseArb, async (k) => {
    const conn = conns[k.state];
    const policy = { grants: k.grants, ratePerMinute: 100_000 };
    const put = await s.call('PUT', `/admin/connections/${conn.sys.connectionId}/policy`, { token: s.tokens.admin, body: policy });
    if (k.state === 'terminated') assert.equal(put.body.code, 'CONNECTION_TERMINATED', 'a terminated connection takes no policy');
    else assert.equal(put.status, 200, JSON.stringify(put.body));

    const requestId = randomUUID();
    const logBefore = await accessLogCount(s);
    const r = await callService(s, conn.token, k.call.service, bodyOf(k.call), { 'x-request-id': requestId, 'x-purpose': k.call.purpose, 'x-officer-id': OFFICER });
    const logAfter = await accessLogCount(s);
    const want = oracle(k);
    assert.equal(r.status, want.status, `status: ${JSON.stringify(r.body)}`);
    assert.equal(logAfter, logBefore + 1, 'exactly one access-log row per call');
    const rows = await accessLogRows(s, requestId);
    assert.equal(rows.length, 1);
    const row = rows[0]!;
    const service = services.find((x) => x.code === k.call.service)!;

    let logged: { fields: string[]; personalIds: string[] };
    if (want.status === 200) {
      const grant = k.grants.find((x) => x.service === k.call.service)!;
      logged = checkServed(k, grant, r.body);
      servedBy.set(k.call.service, (servedBy.get(k.call.service) ?? 0) + 1);
      assert.equal(row.outcome, 'served');
      assert.equal(row.error_code, null);
      // Calls in the test stage are free.
      assert.equal(Number(row.fee_vnd), service.free || k.state === 'testing' ? 0 : service.priceVnd);
      const rowFields = JSON.parse(row.fields) as string[];
      if (k.call.service === 'verifyCitizen') {
        // The log names the attributes the answer spoke about, within the grant.
        for (const a of k.call.claims) assert.ok(rowFields.includes(a), `log fields ${rowFields} include ${a}`);
        for (const f of rowFields) assert.ok(grant.fields.includes(f));
      } else {
        assert.deepEqual([...rowFields].sort(), logged.fields, 'the log names exactly the fields returned');
      }
    } else {
      assert.equal(r.body.code, want.code, JSON.stringify(r.body));
      keysWithin(r.body, PROBLEM_KEYS, 'refusal');
      assert.equal(row.outcome, 'refused');
      assert.equal(row.error_code, want.code);
      assert.equal(Number(row.fee_vnd), 0);
      assert.deepEqual(JSON.parse(row.fields), []);
      // A caller that is not authenticated is recorded by its address, never under the IDs it names.
      logged = { fields: [], personalIds: k.state === 'terminated' ? [] : [...new Set(asked(k.call))] };
    }
    codes.set(want.code ?? '200', (codes.get(want.code ?? '200') ?? 0) + 1);
    assert.equal(Number(row.http_status), want.status);
    assert.equal(row.action, k.call.service);
    assert.equal(row.channel, 'exchange');
    assert.equal(row.caller_kind, k.state === 'terminated' ? 'anonymous' : 'connection');
    assert.equal(row.officer_id, OFFICER);
    assert.equal(row.purpose, k.call.purpose || null);
    // Without a valid token nobody is known; otherwise the connection and its agency are.
    assert.equal(row.connection_id, k.state === 'terminated' ? null : conn.sys.connectionId);
    assert.equal(row.agency_code, k.state === 'terminated' ? null : conn.sys.connectionId.split('.')[0]!.toUpperCase());
    assert.equal(row.catalogue_year === null ? null : Number(row.catalogue_year), k.state === 'testing' || k.state === 'active' ? 2026 : null);
    assert.deepEqual((JSON.parse(row.personal_ids) as string[]).sort(), [...logged.personalIds].sort(), 'the people asked about are logged');
    // One row per citizen concerned, under their personal ID; a use about nobody is stored under its caller.
    const people = [...new Set(logged.personalIds)].sort();
    const keys = people.length > 0 ? people : [k.state === 'terminated' ? `address:${row.source_ip}` : `connection:${conn.sys.connectionId}`];
    assert.deepEqual(await entryKeys(s, row.entry_id), keys.sort());
    assert.equal(Number(row.subject_count), people.length);
  });

  const started = Date.now();
  await fc.assert(property, { numRuns: Number(process.env.DANCU_MATRIX_RUNS ?? 100), examples: examples.map((e) => [e]) });
  const ms = Date.now() - started;
  // Every row of the matrix was reached.
  for (const code of ['200', 'EXCHANGE_TOKEN_INVALID', 'CONNECTION_NOT_ACTIVE', 'CONNECTION_SUSPENDED', 'SERVICE_NOT_ALLOWED', 'PURPOSE_REQUIRED', 'PURPOSE_NOT_ALLOWED', 'ATTRIBUTE_NOT_ALLOWED', 'TEST_CONNECTION_REAL_DATA']) {
    assert.ok((codes.get(code) ?? 0) > 0, `${code} never came up: ${JSON.stringify([...codes])}`);
  }
  for (const x of services) assert.ok((servedBy.get(x.code) ?? 0) > 0, `${x.code} never served`);
  if (process.env.DANCU_TEST_VERBOSE) console.log(`matrix: ${ms} ms`, Object.fromEntries(codes), Object.fromEntries(servedBy));
});
