/**
 * No route can forget the people it touches (issue 13 item 1; decision 0030): every route of the
 * built app is walked, and each one whose path names `:personalId`, or whose params, query or body
 * schema has a personal ID anywhere in it, or whose success answer names one, declares
 * `config.people`; public routes (but the exchange's, which authenticate themselves) name nobody.
 * Also the schema walk the declarations use, on the residence applications' nested people.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/http.js';
import { routesOf, type RouteSpec } from '../../src/http/input-hygiene.js';
import { peopleAnywhereIn, personalIdsBySchema, schemaNamesPeople } from '../../src/http/people.js';
import { REQUEST_SCHEMAS } from '../../src/domain/residence/requests.js';

let s: TestServer;
let routes: RouteSpec[];
before(async () => {
  s = await startTestServer();
  routes = routesOf(s.app).filter((r) => r.method !== 'HEAD' && r.method !== 'OPTIONS');
});
after(async () => s.close());

const name = (r: RouteSpec) => `${r.method} ${r.url}`;
const successSchemas = (r: RouteSpec) =>
  Object.entries((r.schema?.response ?? {}) as Record<string, unknown>)
    .filter(([status]) => /^2\d\d$/.test(status))
    .map(([, schema]) => schema);
/** The request's parts, and the success answer, as the route's schema describes them. */
const namesPeopleInRequest = (r: RouteSpec) => r.url.includes(':personalId') || ['params', 'querystring', 'body'].some((p) => schemaNamesPeople(r.schema?.[p]));
const namesPeopleInAnswer = (r: RouteSpec) => successSchemas(r).some((x) => schemaNamesPeople(x) || schemaNamesPeople((x as { content?: unknown }).content));
/**
 * Routes that only read back what the caller sent, looking nobody up: parsing a scanned card QR
 * reports the payload's own consistency and reads no registry data.
 */
const ECHOES_INPUT = new Set(['POST /cards/qr-parsing']);
const isPublic = (r: RouteSpec) => r.config.public === true && r.config.agencyToken !== true;

test('the app has the routes this test walks (the walk saw them all)', () => {
  assert.ok(routes.length > 80, `${routes.length} routes`);
  for (const must of ['GET /citizens/:personalId', 'GET /citizens/:personalId/cards', 'GET /households/:householdId', 'POST /residence/household-splits', 'GET /inspection/access-log']) {
    assert.ok(routes.some((r) => name(r) === must), must);
  }
});

test('every route that names a person in its request or its answer declares its people', () => {
  const missing = routes.filter((r) => !isPublic(r) && !ECHOES_INPUT.has(name(r)) && (namesPeopleInRequest(r) || namesPeopleInAnswer(r)) && r.config.people === undefined).map(name);
  assert.deepEqual(missing, []);
  // The walk finds what it should: these are caught by the schemas alone, not by the path.
  const bySchema = routes.filter((r) => !r.url.includes(':personalId') && namesPeopleInRequest(r)).map(name);
  for (const r of ['POST /cards/legacy-id-verification', 'GET /residence/household-head-confirmation', 'GET /residence/applications', 'POST /residence/household-splits', 'GET /inspection/access-log']) {
    assert.ok(bySchema.includes(r), r);
  }
});

test('routes found by number (certificate, household, application) declare the people of their answer', () => {
  const byNumber = ['GET /certificates/:number', 'GET /certificates/:number/pdf', 'GET /households/:householdId', 'GET /households/:householdId/history', 'GET /residence/applications/:applicationId', 'POST /residence/applications/:applicationId/approval'];
  for (const n of byNumber) {
    const r = routes.find((x) => name(x) === n);
    assert.ok(r, n);
    const decl = r.config.people as { response?: unknown } | undefined;
    assert.equal(typeof decl?.response, 'function', n);
  }
});

test('public routes (verification, categories, keys, health) declare nobody and answer nobody', () => {
  const open = routes.filter(isPublic);
  assert.ok(open.some((r) => name(r) === 'GET /certificates/:number/verification'));
  assert.deepEqual(open.filter((r) => r.config.people !== undefined).map(name), []);
  assert.deepEqual(open.filter((r) => !r.url.startsWith('/docs') && namesPeopleInAnswer(r)).map(name), []);
});

test('the schema walk finds every person a residence application names, nested ones included', () => {
  const split = {
    householdId: 'HK-0000000001',
    members: [{ personalId: '001200000001', relationship: 'spouse' }, { personalId: '001200000002', relationship: 'child' }],
    newHeadPersonalId: '001200000001',
    newHeadOfRemainingHousehold: '001200000003',
    lawfulResidence: { kind: 'rented', ownerPersonalId: '001200000004' },
    consents: [{ role: 'owner', method: 'signature', fullName: 'A', personalId: '001200000004' }],
  };
  const found = new Set(personalIdsBySchema(REQUEST_SCHEMAS.household_split, split));
  assert.deepEqual([...found].sort(), ['001200000001', '001200000002', '001200000003', '001200000004']);
  const adjustment = { householdId: 'HK-0000000001', adjustment: { kind: 'change_head', newHeadPersonalId: '001200000005', relationships: [{ personalId: '001200000006', relationship: 'spouse' }] }, consents: [] };
  assert.deepEqual(new Set(personalIdsBySchema(REQUEST_SCHEMAS.information_adjustment, adjustment)), new Set(['001200000005', '001200000006']));
  // Invalid input is read defensively: nothing thrown, only what stands where a personal ID goes.
  assert.deepEqual(personalIdsBySchema(REQUEST_SCHEMAS.household_split, { members: 'x', newHeadPersonalId: 7 }), [7]);
  assert.deepEqual(personalIdsBySchema(REQUEST_SCHEMAS.household_split, null), []);
});

test('an answer names its people by property name, household change records included', () => {
  const history = { householdId: 'HK-1', entries: [{ changes: { headPersonalId: [null, '001200000007'], 'member:001200000008': [null, 'head'], address: [null, { detail: '001200000009' }] } }] };
  assert.deepEqual(new Set(peopleAnywhereIn(history)), new Set([null, '001200000007', '001200000008']));
  const household = { headPersonalId: '001200000010', members: [{ personalId: '001200000010' }, { personalId: '001200000011', fullName: 'B' }] };
  assert.deepEqual(new Set(peopleAnywhereIn(household)), new Set(['001200000010', '001200000011']));
});
