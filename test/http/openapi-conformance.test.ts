/**
 * The server answers what its document says: real responses across the routes, successes and
 * errors, each checked against the response the served /openapi.json declares for its status and
 * media type (JSON bodies validated with Ajv against the declared schema).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { birthBody, startTestServer, type TestServer } from '../support/http.js';
import { agencyBody, assertion, newKey, TOKEN_PATH, ASSERTION_TYPE } from '../support/exchange.js';
import { HANG_BAC, OWNED } from '../support/residence.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Answer = { status: number; headers: Headers; body: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

// CommonJS modules: under ESM their default import is module.exports, whose `default` is the export.
const Ajv2020 = Ajv2020Module.default;
const addFormats = addFormatsModule.default;

let s: TestServer;
let doc: Json;
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
/** Every (operation, status, media type) a response was checked against. */
const checked = new Set<string>();

/** The declared schema with its component references replaced by the components themselves. */
function inline(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(inline);
  if (!schema || typeof schema !== 'object') return schema;
  const ref = (schema as Json).$ref as string | undefined;
  if (ref?.startsWith('#/components/schemas/')) return inline(doc.components.schemas[ref.slice('#/components/schemas/'.length)]);
  return Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, inline(v)]));
}

/** Calls the server and checks the answer against the document; `template` is the documented path. */
async function call(method: string, template: string, path: string, opts: { token?: string; body?: unknown; headers?: Record<string, string>; raw?: string } = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  // Officers give the purpose of a use of citizens' data (X-Purpose).
  if (opts.token && headers['x-purpose'] === undefined) headers['x-purpose'] = 'TEST';
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(s.baseUrl + path, { method, headers, body: opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)) });
  const text = await res.text();
  const media = (res.headers.get('content-type') ?? '').split(';')[0]!.trim();
  const body = media.includes('json') && text ? JSON.parse(text) : text;
  const where = `${method} ${template} → ${res.status} ${media}`;
  const op = doc.paths[template]?.[method.toLowerCase()] as Json | undefined;
  assert.ok(op, `${method} ${template} is not in the document`);
  const declared = op.responses[String(res.status)] as Json | undefined;
  assert.ok(declared, `${where}: status not declared (${JSON.stringify(body).slice(0, 300)})`);
  if (res.status === 204) {
    assert.equal(text, '', where);
    checked.add(`${method} ${template} 204`);
    return { status: res.status, headers: res.headers, body };
  }
  // The headers a client acts on are declared where they are sent, and sent where declared.
  const declaredHeaders = Object.keys((declared.headers ?? {}) as Json);
  for (const h of ['etag', 'location', 'retry-after']) if (res.headers.has(h)) assert.ok(declaredHeaders.includes(h), `${where}: ${h} sent, not declared`);
  if (res.status < 300) for (const h of declaredHeaders) assert.ok(res.headers.has(h), `${where}: ${h} declared, not sent`);
  const content = declared.content as Json | undefined;
  assert.ok(content?.[media], `${where}: media type not declared (declared: ${Object.keys(content ?? {}).join(', ')})`);
  if (media.includes('json')) {
    const validate = ajv.compile(inline(content[media].schema) as object);
    assert.ok(validate(body), `${where}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body).slice(0, 600)}`);
  } else {
    assert.ok(text.length > 0, `${where}: empty body`);
  }
  checked.add(`${method} ${template} ${res.status} ${media}`);
  return { status: res.status, headers: res.headers, body };
}

before(async () => {
  s = await startTestServer('2026-06-01T03:00:00.000Z');
  doc = (await s.call('GET', '/openapi.json')).body;
});
after(async () => s.close());

let personalId: string;
let certificateNumber: string;

test('system and categories', async () => {
  assert.equal((await call('GET', '/health', '/health')).status, 200);
  assert.equal((await call('GET', '/categories/ethnicities', '/categories/ethnicities')).status, 200);
  assert.equal((await call('GET', '/categories/admin-units', '/categories/admin-units?date=2025-02-30')).status, 400);
  assert.equal((await call('GET', '/categories/admin-units', '/categories/admin-units?unitSet=2025&parent=01')).status, 200);
  assert.equal((await call('GET', '/categories/admin-units/{unitSet}/{code}', '/categories/admin-units/2025/99999')).status, 404);
});

test('citizens: created, read, changed, refused', async () => {
  const created = await call('POST', '/citizens', '/citizens', { token: s.tokens.officer, body: birthBody({ fullName: 'Trần Thị Văn Bản', dateOfBirth: '1991-04-02', sex: 'female' }) });
  assert.equal(created.status, 201);
  personalId = created.body.personalId;
  assert.equal((await call('POST', '/citizens', '/citizens', { body: birthBody() })).status, 401);
  assert.equal((await call('POST', '/citizens', '/citizens', { token: s.tokens.inspector, body: birthBody() })).status, 403);
  assert.equal((await call('POST', '/citizens', '/citizens', { token: s.tokens.officer, body: { citizen: { fullName: 'X' } } })).status, 400);
  assert.equal((await call('POST', '/citizens', '/citizens', { token: s.tokens.officer, headers: { 'content-type': 'application/json' }, raw: '{"citizen":' })).status, 400);
  // Refused at the boundary: wrong media type, too large, too long a URL — answered as declared.
  assert.equal((await call('POST', '/citizens', '/citizens', { token: s.tokens.officer, headers: { 'content-type': 'text/plain' }, raw: 'Nguyễn Văn An' })).status, 415);
  assert.equal((await call('POST', '/citizens', '/citizens', { token: s.tokens.officer, headers: { 'content-type': 'application/json' }, raw: JSON.stringify({ citizen: { fullName: 'x'.repeat(1_100_000) } }) })).status, 413);
  assert.equal((await call('GET', '/citizens/{personalId}', `/citizens/${personalId}?${'a=1&'.repeat(1100)}`, { token: s.tokens.inspector })).status, 414);
  assert.equal((await call('GET', '/citizens/{personalId}', `/citizens/${personalId}`, { token: s.tokens.inspector })).status, 200);
  const change = { changes: { phone: '0987654321' }, reason: 'Điều chỉnh theo tờ khai', legalBasis: 'Luật Căn cước 2023' };
  assert.equal((await call('PATCH', '/citizens/{personalId}', `/citizens/${personalId}`, { token: s.tokens.officer, body: change })).status, 428);
  assert.equal((await call('PATCH', '/citizens/{personalId}', `/citizens/${personalId}`, { token: s.tokens.officer, body: change, headers: { 'if-match': '"99"' } })).status, 412);
  const changed = await call('PATCH', '/citizens/{personalId}', `/citizens/${personalId}`, { token: s.tokens.officer, body: change, headers: { 'if-match': '"1"' } });
  assert.equal(changed.status, 200, JSON.stringify(changed.body));
  assert.equal((await call('GET', '/citizens/{personalId}/history', `/citizens/${personalId}/history`, { token: s.tokens.officer })).status, 200);
  assert.equal((await call('GET', '/citizens/{personalId}/as-of', `/citizens/${personalId}/as-of?at=2026-06-01T03:00:00.000Z`, { token: s.tokens.officer })).status, 200);
  assert.equal((await call('GET', '/citizens', `/citizens?personalId=${personalId}`, { token: s.tokens.officer })).status, 200);
});

test('cards and certificates, with their images and PDF', async () => {
  assert.equal((await call('POST', '/citizens/{personalId}/cards', `/citizens/${personalId}/cards`, { token: s.tokens.officer, body: {} })).status, 201);
  assert.equal((await call('POST', '/citizens/{personalId}/cards', `/citizens/${personalId}/cards`, { token: s.tokens.officer, body: {} })).status, 409);
  assert.equal((await call('GET', '/citizens/{personalId}/cards', `/citizens/${personalId}/cards`, { token: s.tokens.officer })).status, 200);
  assert.equal((await call('GET', '/citizens/{personalId}/cards/history', `/citizens/${personalId}/cards/history`, { token: s.tokens.officer })).status, 200);
  const qr = await call('GET', '/citizens/{personalId}/cards/qr', `/citizens/${personalId}/cards/qr`, { token: s.tokens.officer });
  assert.equal(qr.status, 200);
  assert.equal((await call('GET', '/citizens/{personalId}/cards/qr/{format}', `/citizens/${personalId}/cards/qr/png`, { token: s.tokens.officer })).headers.get('content-type'), 'image/png');
  assert.equal((await call('GET', '/citizens/{personalId}/cards/qr/{format}', `/citizens/${personalId}/cards/qr/svg`, { token: s.tokens.officer })).status, 200);
  assert.equal((await call('POST', '/cards/qr-verification', '/cards/qr-verification', { token: s.tokens.officer, body: { payload: qr.body.payload } })).body.verdict, 'authentic');
  assert.equal((await call('POST', '/cards/qr-parsing', '/cards/qr-parsing', { token: s.tokens.officer, body: { payload: qr.body.payload } })).status, 200);

  const notice = await call('POST', '/citizens/{personalId}/certificates/personal-id-notice', `/citizens/${personalId}/certificates/personal-id-notice`, { token: s.tokens.officer });
  assert.equal(notice.status, 201, JSON.stringify(notice.body));
  certificateNumber = notice.body.number;
  assert.equal((await call('GET', '/certificates/{number}', `/certificates/${certificateNumber}`, { token: s.tokens.officer })).status, 200);
  assert.equal((await call('GET', '/certificates/{number}', '/certificates/ABCDE-2026-ZZZZZZZZ', { token: s.tokens.officer })).status, 404);
  assert.equal((await call('GET', '/certificates/{number}/pdf', `/certificates/${certificateNumber}/pdf`, { token: s.tokens.officer })).headers.get('content-type'), 'application/pdf');
  const verification = await call('GET', '/certificates/{number}/verification', `/certificates/${certificateNumber}/verification`);
  assert.equal(verification.status, 200);
  assert.equal((await call('POST', '/certificates/statement-verification', '/certificates/statement-verification', { body: { statement: notice.body.statement } })).body.signatureValid, true);
  assert.equal((await call('GET', '/.well-known/dancu-keys.json', '/.well-known/dancu-keys.json')).status, 200);
});

test('principals and residence', async () => {
  assert.equal((await call('GET', '/principals', '/principals', { token: s.tokens.admin })).status, 200);
  assert.equal((await call('GET', '/principals', '/principals', { token: s.tokens.officer })).status, 403);
  const created = await call('POST', '/principals', '/principals', { token: s.tokens.admin, body: { name: 'Cán bộ tạm', role: 'officer' } });
  assert.equal(created.status, 201);
  assert.equal((await call('DELETE', '/principals/{id}', `/principals/${created.body.principal.id}`, { token: s.tokens.admin })).status, 204);
  assert.equal((await call('DELETE', '/principals/{id}', `/principals/${randomUUID()}`, { token: s.tokens.admin })).status, 404);
  assert.equal((await call('GET', '/residence/applications', '/residence/applications?view=all', { token: s.tokens.officer })).status, 200);
  await call('GET', '/citizens/{personalId}/residence', `/citizens/${personalId}/residence`, { token: s.tokens.officer });
  await call('GET', '/citizens/{personalId}/residence/history', `/citizens/${personalId}/residence/history`, { token: s.tokens.officer });
});

test('the exchange: ministry, agency system, public, inspection', async () => {
  const adminCall = (method: string, template: string, path: string, body?: unknown) => call(method, template, path, { token: s.tokens.admin, ...(body !== undefined ? { body } : {}) });
  assert.equal((await adminCall('POST', '/admin/catalogue/{year}', '/admin/catalogue/2026')).status, 201);
  assert.equal((await adminCall('POST', '/admin/catalogue/{year}/publication', '/admin/catalogue/2026/publication', {})).status, 200);
  assert.equal((await adminCall('GET', '/admin/catalogue', '/admin/catalogue')).status, 200);
  const catalogue = await call('GET', '/exchange/catalogue', '/exchange/catalogue');
  assert.equal(catalogue.status, 200);
  assert.equal((await call('GET', '/exchange/catalogue/{year}', '/exchange/catalogue/2026')).status, 200);
  const fieldsOf = (code: string) => catalogue.body.services.find((x: { code: string }) => x.code === code).fields as string[];

  const agency = agencyBody('NHCONFORM');
  assert.equal((await adminCall('POST', '/admin/agencies', '/admin/agencies', agency)).status, 201);
  assert.equal((await adminCall('POST', '/admin/agencies', '/admin/agencies', agency)).status, 409);
  assert.equal((await adminCall('GET', '/admin/agencies', '/admin/agencies')).status, 200);
  assert.equal((await adminCall('GET', '/admin/agencies/{code}', '/admin/agencies/NHCONFORM')).status, 200);
  const key = await newKey();
  const services = ['lookupCitizen', 'verifyCitizen', 'batchLookupCitizens', 'getCardStatus'];
  const connection = await adminCall('POST', '/admin/connections', '/admin/connections', { agencyCode: 'NHCONFORM', systemName: 'Hệ thống thử', services, purposes: ['1.004222'], jwks: { keys: [key.jwk] } });
  assert.equal(connection.status, 201);
  const id = connection.body.connectionId as string;
  const grants = services.map((service) => ({ service, fields: fieldsOf(service), purposes: ['1.004222'] }));
  assert.equal((await adminCall('PUT', '/admin/connections/{connectionId}/policy', `/admin/connections/${id}/policy`, { grants, ratePerMinute: 1000 })).status, 200);
  assert.equal((await adminCall('POST', '/admin/connections/{connectionId}/assessments', `/admin/connections/${id}/assessments`, { result: 'passed', summary: 'Đạt', assessor: 'A05' })).status, 201);
  for (const action of ['approve_for_test', 'activate']) {
    assert.equal((await adminCall('POST', '/admin/connections/{connectionId}/transitions', `/admin/connections/${id}/transitions`, { action, reason: 'Thử nghiệm' })).status, 200);
  }
  assert.equal((await adminCall('POST', '/admin/connections/{connectionId}/transitions', `/admin/connections/${id}/transitions`, { action: 'activate', reason: 'Lần nữa' })).status, 409);
  assert.equal((await adminCall('GET', '/admin/connections/{connectionId}', `/admin/connections/${id}`)).status, 200);
  assert.equal((await adminCall('GET', '/admin/connections', '/admin/connections?agencyCode=NHCONFORM')).status, 200);

  const sys = { connectionId: id, privateKey: key.privateKey, kid: key.kid, jwk: key.jwk };
  const form = new URLSearchParams({ grant_type: 'client_credentials', client_assertion_type: ASSERTION_TYPE, client_assertion: await assertion(sys, s) }).toString();
  const issued = await call('POST', TOKEN_PATH, TOKEN_PATH, { headers: { 'content-type': 'application/x-www-form-urlencoded' }, raw: form });
  assert.equal(issued.status, 200);
  const bearer = issued.body.access_token as string;
  const headers = () => ({ authorization: `Bearer ${bearer}`, 'x-request-id': randomUUID(), 'x-purpose': '1.004222', 'x-officer-id': 'CB-0001' });
  const service = (code: string, body: unknown, h: Record<string, string> = headers()) => call('POST', `/exchange/services/${code}`, `/exchange/services/${code}`, { headers: h, body });

  const lookup = await service('lookupCitizen', { personalId });
  assert.equal(lookup.status, 200);
  // The typed answer drops nothing the policy grants: every field this record has arrives.
  for (const f of ['fullName', 'dateOfBirth', 'sex', 'ethnicity', 'religion', 'nationality', 'birthRegistrationPlace', 'lifeStatus']) assert.ok(f in lookup.body, f);
  assert.equal(lookup.body.birthRegistrationPlace.unitCode, '00004');
  assert.ok(lookup.body.birthRegistrationPlace.text.length > 5);
  const verify = await service('verifyCitizen', { personalId, attributes: { fullName: 'Trần Thị Văn Bản', dateOfBirth: '1991-04-02' } });
  assert.equal(verify.body.result, 'match');
  assert.equal(verify.body.results.length, 2);
  const batch = await service('batchLookupCitizens', { personalIds: [personalId, '001099000001'] });
  assert.deepEqual([batch.body.items.length, batch.body.notFound], [1, ['001099000001']]);
  assert.equal((await service('getCardStatus', { personalId })).body.status, 'valid');
  assert.equal((await service('lookupCitizen', { personalId }, { ...headers(), authorization: 'Bearer nope' })).status, 401);
  const noRequestId: Record<string, string> = headers();
  delete noRequestId['x-request-id'];
  assert.equal((await service('lookupCitizen', { personalId }, noRequestId)).body.code, 'REQUEST_ID_REQUIRED');
  assert.equal((await service('getResidenceInformation', { personalId })).status, 403);

  assert.equal((await call('GET', '/exchange/usage', '/exchange/usage', { headers: { authorization: `Bearer ${bearer}` } })).status, 200);
  assert.equal((await call('GET', '/exchange/usage', '/exchange/usage')).status, 401);
  assert.equal((await call('GET', '/exchange/statements/{month}', '/exchange/statements/2026-06', { headers: { authorization: `Bearer ${bearer}` } })).body.totalServed, 4);
  const csv = await call('GET', '/exchange/statements/{month}', '/exchange/statements/2026-06', { headers: { authorization: `Bearer ${bearer}`, accept: 'text/csv' } });
  assert.equal(csv.headers.get('content-type'), 'text/csv; charset=utf-8');
  assert.equal((await adminCall('GET', '/admin/agencies/{code}/statements/{month}', '/admin/agencies/NHCONFORM/statements/2026-06')).status, 200);
  assert.equal((await adminCall('GET', '/admin/monitoring', '/admin/monitoring?hours=2')).status, 200);
  assert.match((await adminCall('GET', '/metrics', '/metrics')).body, /# (HELP|TYPE) /);
  assert.equal((await adminCall('GET', '/admin/outbox', '/admin/outbox')).status, 200);
  const log = await call('GET', '/inspection/access-log', '/inspection/access-log?agencyCode=NHCONFORM', { token: s.tokens.inspector });
  assert.equal(log.body.items.length, 6); // 4 served, 2 refused (the unknown token is nobody's)
  assert.equal((await call('GET', '/exchange/directory', '/exchange/directory')).status, 200);

  // Over the rate: 429 with Retry-After, as declared.
  assert.equal((await adminCall('PUT', '/admin/connections/{connectionId}/policy', `/admin/connections/${id}/policy`, { grants, ratePerMinute: 1 })).status, 200);
  const limited = await service('lookupCitizen', { personalId });
  assert.equal(limited.status, 429);
  assert.ok(Number(limited.headers.get('retry-after')) >= 1);
  const newKeys = await newKey();
  assert.equal((await adminCall('PUT', '/admin/connections/{connectionId}/keys', `/admin/connections/${id}/keys`, { keys: [newKeys.jwk] })).status, 200);
});

test('residence: an application through approval, the household it founds, the CT07 confirmation', async () => {
  const body = { personalId, address: HANG_BAC, lawfulResidence: OWNED };
  const submitted = await call('POST', '/residence/permanent-registrations', '/residence/permanent-registrations', { token: s.tokens.officer, body });
  assert.equal(submitted.status, 201, JSON.stringify(submitted.body));
  const id = submitted.body.applicationId as string;
  assert.equal((await call('GET', '/residence/applications/{applicationId}', `/residence/applications/${id}`, { token: s.tokens.officer })).status, 200);
  const approved = await call('POST', '/residence/applications/{applicationId}/approval', `/residence/applications/${id}/approval`, { token: s.tokens.officer, body: {} });
  assert.equal(approved.status, 200, JSON.stringify(approved.body));
  assert.equal((await call('POST', '/residence/applications/{applicationId}/approval', `/residence/applications/${id}/approval`, { token: s.tokens.officer, body: {} })).status, 409);
  assert.equal((await call('GET', '/citizens/{personalId}/residence', `/citizens/${personalId}/residence`, { token: s.tokens.officer })).status, 200);
  const household = await call('GET', '/citizens/{personalId}/household', `/citizens/${personalId}/household`, { token: s.tokens.officer });
  assert.equal(household.status, 200);
  const householdId = household.body.householdId as string;
  assert.equal((await call('GET', '/households/{householdId}', `/households/${householdId}`, { token: s.tokens.officer })).status, 200);
  assert.equal((await call('GET', '/households/{householdId}/history', `/households/${householdId}/history`, { token: s.tokens.officer })).status, 200);
  const head = await call('GET', '/residence/household-head-confirmation', `/residence/household-head-confirmation?personalId=${personalId}&householdId=${householdId}`, { token: s.tokens.officer });
  assert.equal(head.body.isHead, true);
  const ct07 = await call('POST', '/citizens/{personalId}/residence-confirmations', `/citizens/${personalId}/residence-confirmations`, { token: s.tokens.officer });
  assert.equal(ct07.status, 201, JSON.stringify(ct07.body));
  const checked07 = await call('GET', '/residence-confirmations/{number}/verification', `/residence-confirmations/${ct07.body.number}/verification`);
  assert.equal(checked07.body.status, 'valid');
});

test('card lifecycle, the CMND check, a death, and the ministry editing an agency and a draft catalogue', async () => {
  const other = (await call('POST', '/citizens', '/citizens', { token: s.tokens.officer, body: birthBody({ fullName: 'Lý Văn Thẻ', dateOfBirth: '1980-01-01' }) })).body.personalId as string;
  assert.equal((await call('POST', '/citizens/{personalId}/cards', `/citizens/${other}/cards`, { token: s.tokens.officer, body: {} })).status, 201);
  assert.equal((await call('POST', '/citizens/{personalId}/cards/loss', `/citizens/${other}/cards/loss`, { token: s.tokens.officer, body: {} })).body.status, 'lost');
  assert.equal((await call('POST', '/citizens/{personalId}/cards/replacement', `/citizens/${other}/cards/replacement`, { token: s.tokens.officer, body: { reason: 'LOST' } })).status, 201);
  assert.equal((await call('POST', '/citizens/{personalId}/cards/revocation', `/citizens/${other}/cards/revocation`, { token: s.tokens.officer, body: { reason: 'Thu hồi theo quyết định' } })).body.status, 'revoked');
  assert.equal((await call('POST', '/cards/legacy-id-verification', '/cards/legacy-id-verification', { token: s.tokens.officer, body: { personalId: other, legacyIdNumber: '012345678' } })).body.answer, 'unknown'); // no CMND on record
  const dead = await call('POST', '/citizens/{personalId}/death', `/citizens/${other}/death`, { token: s.tokens.officer, body: { dateOfDeath: '2026-05-30', reason: 'Trích lục khai tử' } });
  assert.equal(dead.status, 200, JSON.stringify(dead.body));
  assert.equal((await call('POST', '/citizens/{personalId}/missing', `/citizens/${other}/missing`, { token: s.tokens.officer, body: { dateDeclaredMissing: '2026-05-31', reason: 'Quyết định của tòa án' } })).status, 409);

  const agency = agencyBody('NHCONFORM');
  const { code: _code, ...change } = { ...agency, name: 'Ngân hàng thử nghiệm (đổi tên)' };
  assert.equal((await call('PUT', '/admin/agencies/{code}', '/admin/agencies/NHCONFORM', { token: s.tokens.admin, body: change })).body.name, 'Ngân hàng thử nghiệm (đổi tên)');
  const draft = await call('POST', '/admin/catalogue/{year}', '/admin/catalogue/2027', { token: s.tokens.admin });
  assert.equal(draft.status, 201);
  assert.equal((await call('PUT', '/admin/catalogue/{year}', '/admin/catalogue/2027', { token: s.tokens.admin, body: { services: draft.body.services } })).body.status, 'draft');
  assert.equal((await call('GET', '/exchange/catalogue/{year}', '/exchange/catalogue/2027')).status, 404);
});

test('the sample covered successes and errors of every kind, and every non-JSON media type', () => {
  const statuses = new Set([...checked].map((c) => c.split(' ')[2]));
  for (const status of ['200', '201', '204', '400', '401', '403', '404', '409', '412', '413', '414', '415', '428', '429']) assert.ok(statuses.has(status), `no ${status} checked`);
  const media = new Set([...checked].map((c) => c.split(' ')[3]));
  for (const m of ['application/json', 'application/problem+json', 'application/pdf', 'image/png', 'image/svg+xml', 'text/csv', 'text/plain']) assert.ok(media.has(m), `no ${m} checked`);
  const operations = new Set([...checked].map((c) => c.split(' ').slice(0, 2).join(' ')));
  assert.ok(operations.size >= 75, `${operations.size} operations checked`);
});
