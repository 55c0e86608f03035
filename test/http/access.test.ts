/**
 * Who may call what: the matrix of principal (none, bad token, revoked, each role) × route,
 * checked against the roles each route declares. Plus the public routes and the OpenAPI document.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { startTestServer, birthBody, type TestServer } from '../support/http.js';
import { createPrincipal } from '../../src/services/principals.js';

let s: TestServer;
let personalId: string;
before(async () => {
  s = await startTestServer();
  const r = await s.call('POST', '/citizens', { token: s.tokens.officer, body: birthBody() });
  personalId = r.body.personalId;
});
after(async () => s.close());

type Who = 'none' | 'garbage' | 'revoked' | 'officer' | 'admin' | 'inspector';
interface Route {
  method: string;
  path: () => string;
  body?: () => unknown;
  allowed: Who[];
}
const ROUTES: Route[] = [
  { method: 'GET', path: () => `/citizens/${personalId}`, allowed: ['officer', 'admin', 'inspector'] },
  { method: 'GET', path: () => `/citizens/${personalId}/history`, allowed: ['officer', 'admin', 'inspector'] },
  { method: 'GET', path: () => `/citizens/${personalId}/as-of?at=2030-01-01T00:00:00Z`, allowed: ['officer', 'admin', 'inspector'] },
  { method: 'GET', path: () => `/citizens?personalId=${personalId}`, allowed: ['officer', 'admin', 'inspector'] },
  { method: 'POST', path: () => '/citizens', body: () => birthBody(), allowed: ['officer', 'admin'] },
  { method: 'GET', path: () => '/principals', allowed: ['admin'] },
  { method: 'GET', path: () => `/citizens/${personalId}/residence`, allowed: ['officer', 'admin', 'inspector'] },
  { method: 'GET', path: () => `/citizens/${personalId}/residence/history`, allowed: ['officer', 'admin', 'inspector'] },
  { method: 'GET', path: () => '/residence/applications?view=overdue', allowed: ['officer', 'admin', 'inspector'] },
  { method: 'GET', path: () => '/admin/agencies', allowed: ['admin'] },
  { method: 'GET', path: () => '/admin/connections', allowed: ['admin'] },
  { method: 'GET', path: () => '/admin/monitoring', allowed: ['admin'] },
  { method: 'GET', path: () => '/admin/outbox', allowed: ['admin'] },
  { method: 'GET', path: () => '/metrics', allowed: ['admin'] },
  { method: 'GET', path: () => '/inspection/access-log', allowed: ['inspector', 'admin'] },
];

let revokedToken: string;
async function tokenOf(who: Who): Promise<string | undefined> {
  if (who === 'none') return undefined;
  if (who === 'garbage') return 'dcu_not-a-real-token';
  if (who === 'revoked') return revokedToken;
  return s.tokens[who];
}

describe('authorization matrix', () => {
  before(async () => {
    const { principal, token } = await createPrincipal(s.runtime.store, s.clock, 'Soon revoked', 'admin');
    revokedToken = token;
    const ok = await s.call('GET', '/principals', { token });
    assert.equal(ok.status, 200);
    const del = await s.call('DELETE', `/principals/${principal.id}`, { token: s.tokens.admin });
    assert.equal(del.status, 204);
  });

  test('every (principal, route) pair is answered as the route declares', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom<Who>('none', 'garbage', 'revoked', 'officer', 'admin', 'inspector'), fc.constantFrom(...ROUTES), async (who, route) => {
        const r = await s.call(route.method, route.path(), { token: await tokenOf(who), body: route.body?.() });
        if (route.allowed.includes(who)) {
          assert.ok(r.status < 400, `${who} ${route.method} ${route.path()} → ${r.status}`);
        } else {
          const expected = ['none', 'garbage', 'revoked'].includes(who) ? 401 : 403;
          assert.equal(r.status, expected, `${who} ${route.method} ${route.path()}`);
          assert.equal(r.body.code, expected === 401 ? 'UNAUTHENTICATED' : 'FORBIDDEN');
        }
      }),
      { numRuns: 80 },
    );
  });

  test('a revoked principal is refused on the very next request', async () => {
    const { principal, token } = await createPrincipal(s.runtime.store, s.clock, 'Officer leaving', 'officer');
    assert.equal((await s.call('GET', `/citizens/${personalId}`, { token })).status, 200);
    await s.call('DELETE', `/principals/${principal.id}`, { token: s.tokens.admin });
    assert.equal((await s.call('GET', `/citizens/${personalId}`, { token })).status, 401);
  });
});

describe('public routes', () => {
  test('health reports the store and version', async () => {
    const r = await s.call('GET', '/health');
    assert.equal(r.status, 200);
    assert.deepEqual({ ...r.body, store: { ...r.body.store, latencyMs: 0 } }, {
      status: 'ok',
      version: 'test',
      store: { kind: s.runtime.store.kind, reachable: true, latencyMs: 0 },
    });
  });

  test('the OpenAPI 3.1 document lists every required operation; /docs serves the browser UI', async () => {
    const doc = await s.call('GET', '/openapi.json');
    assert.equal(doc.status, 200);
    assert.equal(doc.body.openapi, '3.1.0');
    const ops = new Set<string>();
    for (const methods of Object.values(doc.body.paths as Record<string, Record<string, { operationId?: string }>>)) {
      for (const op of Object.values(methods)) if (op.operationId) ops.add(op.operationId);
    }
    for (const id of [
      'registerBirth', 'getCitizen', 'updateCitizen', 'recordDeath', 'getCitizenHistory', 'getCitizenAsOf', 'searchCitizens', 'cancelPersonalId', 'getHealth', 'listAdminUnits',
      'registerPermanentResidence', 'registerTemporaryResidence', 'extendTemporaryResidence', 'splitHousehold', 'deregisterResidence', 'adjustResidenceInformation',
      'notifyStay', 'declareAbsence', 'issueResidenceConfirmation', 'verifyResidenceConfirmation', 'confirmHouseholdHead', 'getHousehold', 'getResidenceHistory',
      'getCurrentResidence', 'listResidenceApplications',
      'issueExchangeToken', 'exchange_lookupCitizen', 'exchange_verifyCitizen', 'exchange_batchLookupCitizens', 'exchange_authenticateLegacyId', 'exchange_confirmHouseholdHead',
      'exchange_getResidenceInformation', 'exchange_getCardStatus', 'registerAgency', 'requestConnection', 'transitionConnection', 'setConnectionPolicy', 'rotateConnectionKeys',
      'recordSecurityAssessment', 'prepareCatalogueVersion', 'publishCatalogueVersion', 'getPublishedCatalogue', 'getAgencyDirectory', 'queryAccessLog', 'getAgencyStatement',
      'getOwnStatement', 'getExchangeMonitoring', 'getMetrics', 'listOutbox',
    ]) {
      assert.ok(ops.has(id), id);
    }
    const ui = await fetch(`${s.baseUrl}/docs`, { redirect: 'follow' });
    assert.equal(ui.status, 200);
    assert.match(await ui.text(), /swagger-ui/i);
  });

  test('unknown routes get problem+json 404', async () => {
    const r = await s.call('GET', '/no-such-thing');
    assert.equal(r.status, 404);
    assert.equal(r.body.code, 'NOT_FOUND');
  });
});
