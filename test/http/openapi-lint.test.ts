/**
 * The served API document is linted with Spectral's spectral:oas ruleset (0 errors, 0 warnings),
 * and checked for what the ruleset does not see: every operation documented and tagged, errors as
 * problem+json with the shared Problem schema, 401/403 on every authenticated operation, a typed
 * schema for every JSON success body, and the media type of every non-JSON answer.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import spectralCore from '@stoplight/spectral-core';
import { oas } from '@stoplight/spectral-rulesets';
import { startTestServer, type TestServer } from '../support/http.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

let s: TestServer;
let doc: Json;
let operations: { path: string; method: string; op: Json }[];
before(async () => {
  s = await startTestServer();
  const r = await s.call('GET', '/openapi.json');
  assert.equal(r.status, 200);
  doc = r.body;
  operations = Object.entries(doc.paths as Json).flatMap(([path, item]) =>
    METHODS.filter((m) => (item as Json)[m]).map((method) => ({ path, method, op: (item as Json)[method] as Json })),
  );
});
after(async () => s.close());

test('Spectral spectral:oas: 0 errors and 0 warnings', async () => {
  const spectral = new spectralCore.Spectral();
  spectral.setRuleset({ extends: [oas] } as never);
  const results = await spectral.run(JSON.stringify(doc));
  const shown = results.map((x) => `${x.severity === 0 ? 'error' : x.severity === 1 ? 'warning' : 'info'} ${x.code} at ${x.path.join('.')}: ${x.message}`);
  assert.deepEqual(shown.filter((x) => x.startsWith('error') || x.startsWith('warning')), []);
  // The run saw the whole document (a parse failure would also answer nothing).
  assert.ok(operations.length > 80, `${operations.length} operations`);
});

test('every operation: operationId, summary, description, defined tags', () => {
  const tags = new Map((doc.tags as Json[]).map((t) => [t.name as string, t.description as string]));
  const ids = new Set<string>();
  for (const { path, method, op } of operations) {
    const where = `${method.toUpperCase()} ${path}`;
    assert.match(op.operationId ?? '', /^[A-Za-z_]\w*$/, where);
    assert.ok(!ids.has(op.operationId), `${where}: operationId ${op.operationId} used twice`);
    ids.add(op.operationId);
    assert.ok((op.summary ?? '').length > 10, `${where}: summary`);
    assert.ok((op.description ?? '').length > 10, `${where}: description`);
    assert.ok(Array.isArray(op.tags) && op.tags.length > 0, `${where}: tags`);
    for (const t of op.tags) assert.ok((tags.get(t) ?? '').length > 10, `${where}: tag ${t} not described at the top`);
  }
});

test('every error is problem+json with the shared Problem schema; authenticated operations declare 401 and 403', () => {
  assert.deepEqual(doc.components.schemas.Problem.required.sort(), ['code', 'messages', 'status', 'title', 'type']);
  for (const { path, method, op } of operations) {
    const where = `${method.toUpperCase()} ${path}`;
    const errors = Object.entries(op.responses as Json).filter(([status]) => Number(status) >= 400);
    assert.ok(errors.length > 0, `${where}: no error declared`);
    for (const [status, response] of errors) {
      if (path === '/health' && status === '503') continue; // the health report itself, degraded
      assert.deepEqual(Object.keys(response.content ?? {}), ['application/problem+json'], `${where} ${status}`);
      assert.equal(response.content['application/problem+json'].schema.$ref, '#/components/schemas/Problem', `${where} ${status}`);
      assert.ok(response.description.length > 10 && response.description !== 'Default Response', `${where} ${status}: description`);
    }
    const statuses = errors.map(([status]) => status);
    for (const always of ['408', '414', '429', '431', '500', '503']) assert.ok(statuses.includes(always), `${where}: ${always}`);
    for (const later of ['429', '503']) assert.ok(op.responses[later].headers?.['retry-after'] || path === '/health', `${where}: ${later} without Retry-After`);
    const hasInput = (op.parameters ?? []).length > 0 || op.requestBody !== undefined;
    if (hasInput) assert.ok(statuses.includes('400'), `${where}: 400`);
    if (op.requestBody) for (const s of ['413', '415']) assert.ok(statuses.includes(s), `${where}: ${s}`);
    const authenticated = op.security === undefined || op.security.length > 0;
    if (authenticated && !path.startsWith('/exchange/')) for (const s of ['401', '403']) assert.ok(statuses.includes(s), `${where}: ${s}`);
    if (authenticated && path.startsWith('/exchange/') && path !== '/exchange/oauth/token') assert.ok(statuses.includes('401'), `${where}: 401`);
  }
});

/** A schema, or the component it refers to. */
const resolved = (schema: Json): Json => (schema.$ref ? doc.components.schemas[String(schema.$ref).replace('#/components/schemas/', '')] : schema);

/** A JSON schema that says nothing about its properties: what the document must not answer with. */
function freeForm(ref: Json): boolean {
  const schema = resolved(ref);
  assert.ok(schema, `unresolved ${ref.$ref}`);
  if (schema.type === 'array') return freeForm(schema.items);
  if (schema.type === 'string' || schema.type === 'null' || schema.anyOf || schema.oneOf || schema.allOf) return false;
  return !schema.properties || Object.keys(schema.properties).length === 0;
}

test('every success body has a typed schema; non-JSON answers declare their media type', () => {
  const media: Record<string, string[]> = {};
  for (const { path, method, op } of operations) {
    const where = `${method.toUpperCase()} ${path}`;
    const ok = Object.entries(op.responses as Json).filter(([status]) => status.startsWith('2'));
    assert.ok(ok.length > 0, `${where}: no success response`);
    for (const [status, response] of ok) {
      if (status === '204') continue;
      const content = response.content as Json | undefined;
      assert.ok(content && Object.keys(content).length > 0, `${where} ${status}: no content`);
      media[`${method} ${path}`] = Object.keys(content);
      for (const [type, m] of Object.entries(content)) {
        if (type.includes('json')) assert.ok(!freeForm(m.schema), `${where} ${status} ${type}: free-form object`);
        else assert.equal(m.schema.type, 'string', `${where} ${status} ${type}`);
      }
    }
  }
  assert.deepEqual(media['get /certificates/{number}/pdf'], ['application/pdf']);
  assert.deepEqual(media['get /citizens/{personalId}/cards/qr/{format}'], ['image/png', 'image/svg+xml']);
  assert.deepEqual(media['get /exchange/statements/{month}'], ['application/json', 'text/csv']);
  assert.deepEqual(media['get /admin/agencies/{code}/statements/{month}'], ['application/json', 'text/csv']);
  assert.deepEqual(media['get /metrics'], ['text/plain']);
  // Response types are components named after their type, referenced where they are answered.
  const answer = (path: string, method: string, status: string) => doc.paths[path][method].responses[status].content['application/json'].schema.$ref;
  assert.equal(answer('/citizens/{personalId}', 'get', '200'), '#/components/schemas/CitizenView');
  assert.equal(answer('/admin/connections/{connectionId}', 'get', '200'), '#/components/schemas/ConnectionWithEvents');
  assert.equal(answer('/residence/applications/{applicationId}', 'get', '200'), '#/components/schemas/ApplicationView');
  for (const { path, method, op } of operations) {
    for (const [status, response] of Object.entries(op.responses as Json)) assert.notEqual(response.description, 'Default Response', `${method} ${path} ${status}`);
  }
});

test('the headers the exchange refuses a call without are declared required', () => {
  const services = operations.filter((o) => o.path.startsWith('/exchange/services/'));
  assert.ok(services.length >= 7);
  for (const { path, op } of services) {
    const headers = Object.fromEntries((op.parameters as Json[]).filter((p) => p.in === 'header').map((p) => [p.name, p.required]));
    assert.deepEqual(headers, { 'x-request-id': true, 'x-purpose': true, 'x-officer-id': true }, path);
    const answer = resolved(op.responses['200'].content['application/json'].schema);
    // Consumer services answer about a person or a list; the operators' file import answers with its report.
    assert.ok(answer.properties.personalId || answer.properties.items || (path.endsWith('/importSubscriberLinks') && answer.properties.rejects), path);
  }
});
