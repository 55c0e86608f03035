/**
 * Input hygiene at the boundary over real HTTP (decision 0021): no type coercion, unknown
 * properties refused on every route, the character rule, depth/size/media type/URL/header limits,
 * all as problem+json with stable codes and nothing stored.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { connect as tcpConnect } from 'node:net';
import { startTestServer, birthBody, type TestServer } from '../support/http.js';
import { routesOf, MAX_JSON_DEPTH, MAX_URL_LENGTH } from '../../src/http/input-hygiene.js';
import { sampleRequest, tokenFor, prepareCitizenToken, prepareAgencyAdminToken } from '../support/route-requests.js';
import { admin, agencyBody, connectIn } from '../support/exchange.js';

let s: TestServer;
let agencyToken: string;
before(async () => {
  s = await startTestServer();
  await admin(s, 'POST', '/admin/catalogue/2026', undefined, 201);
  await admin(s, 'POST', '/admin/catalogue/2026/publication', {}, 200);
  const policy = { grants: [{ service: 'lookupCitizen', fields: ['fullName'], purposes: ['1.004222'] }], ratePerMinute: 1000 };
  agencyToken = (await connectIn(s, agencyBody('HYGIENE'), policy, 'active')).token!;
  await prepareCitizenToken(s);
  await prepareAgencyAdminToken(s);
});

const CALL_HEADERS = { 'x-request-id': 'hygiene-1', 'x-purpose': '1.004222', 'x-officer-id': 'CB-0001' };
const isAgencyRoute = (url: string) => url.startsWith('/exchange/services/') || url.startsWith('/exchange/own');
after(async () => s.close());

async function citizenCount(): Promise<number> {
  const r = await s.runtime.store.db.selectFrom('citizen').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

function assertProblem(r: { status: number; headers: Headers; body: any }, status: number, code: string) {
  assert.equal(r.status, status, JSON.stringify(r.body));
  assert.match(r.headers.get('content-type') ?? '', /^application\/problem\+json/);
  assert.equal(r.body.code, code);
  assert.ok(r.body.messages.vi && r.body.messages.en);
}

/** A raw HTTP exchange, for requests fetch will not send (bad UTF-8, huge headers). */
function raw(method: string, path: string, headers: Record<string, string>, body?: Buffer): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  const url = new URL(s.baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

describe('no type coercion', () => {
  for (const [name, overrides, field] of [
    ['a boolean for the name', { fullName: true }, 'fullName'],
    ['a number for a date', { dateOfBirth: 20240305 }, 'dateOfBirth'],
    ['an array for sex', { sex: ['female'] }, 'sex'],
    ['a number for a code', { ethnicity: 1 }, 'ethnicity'],
  ] as const) {
    test(`${name} is 400 and nothing is stored`, async () => {
      const before = await citizenCount();
      const r = await s.call('POST', '/citizens', { token: s.tokens.officer, body: birthBody(overrides) });
      assertProblem(r, 400, 'VALIDATION_FAILED');
      assert.ok(r.body.errors.some((e: { field: string }) => e.field.startsWith(`body.citizen.${field}`)), JSON.stringify(r.body.errors));
      assert.equal(await citizenCount(), before);
    });
  }

  test('a full date is a real calendar day: 2024-02-30 for a card is 400, not 500', async () => {
    const c = await s.call('POST', '/citizens', { token: s.tokens.officer, body: birthBody({ dateOfBirth: '1990-01-02' }) });
    for (const [path, body] of [
      ['cards', { issueDate: '2024-02-30' }],
      ['cards/replacement', { reason: 'ON_REQUEST', issueDate: '2024-02-30' }],
      ['cards', { issueDate: '2023-13-01' }],
    ] as const) {
      const r = await s.call('POST', `/citizens/${c.body.personalId}/${path}`, { token: s.tokens.officer, body });
      assertProblem(r, 400, 'VALIDATION_FAILED');
      assert.equal(r.body.errors[0].field, 'body.issueDate');
    }
    const cards = await s.runtime.store.db.selectFrom('id_card').select('seq').where('personal_id', '=', c.body.personalId).execute();
    assert.equal(cards.length, 0);
  });

  test('query numbers are parsed strictly: "20" is a number, "0x14", "1e1", " 5" and "" are refused', async () => {
    const ok = await s.call('GET', '/citizens?name=Nguy%E1%BB%85n&dateOfBirth=2024&limit=20', { token: s.tokens.officer });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    for (const bad of ['0x14', '1e1', '%205', '', '5.0', '-0x1']) {
      const r = await s.call('GET', `/citizens?name=An&dateOfBirth=2024&limit=${bad}`, { token: s.tokens.officer });
      assertProblem(r, 400, 'VALIDATION_FAILED');
    }
  });
});

describe('unknown properties', () => {
  test('every route with a body refuses an unknown top-level property, and no route without one accepts a body', async () => {
    const routes = routesOf(s.app).filter((r) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method));
    assert.ok(routes.length >= 40, `only ${routes.length} routes with bodies`);
    const answered: string[] = [];
    for (const route of routes) {
      const { path, body } = sampleRequest(route);
      const withExtra = body !== null && typeof body === 'object' && !Array.isArray(body) ? { ...body, zzUnknownProperty: 1 } : { zzUnknownProperty: 1 };
      const token = isAgencyRoute(route.url) ? agencyToken : tokenFor(s, route);
      const r = await s.call(route.method, path, { token, body: withExtra, headers: { 'if-match': '"1"', ...CALL_HEADERS } });
      // A route that takes another media type (the subscriber import's NDJSON/CSV) refuses JSON whole.
      const consumes = route.schema?.consumes as string[] | undefined;
      if (consumes && !consumes.includes('application/json')) {
        assert.equal(r.status, 415, `${route.method} ${route.url} answered ${r.status}: ${JSON.stringify(r.body)}`);
        assert.equal(r.body.code, 'UNSUPPORTED_MEDIA_TYPE', `${route.method} ${route.url}`);
        answered.push(`${route.method} ${route.url}`);
        continue;
      }
      assert.equal(r.status, 400, `${route.method} ${route.url} answered ${r.status}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.code, 'VALIDATION_FAILED', `${route.method} ${route.url}`);
      assert.ok(
        r.body.errors.some((e: { code: string }) => e.code === 'SCHEMA_ADDITIONALPROPERTIES'),
        `${route.method} ${route.url}: ${JSON.stringify(r.body.errors)}`,
      );
      answered.push(`${route.method} ${route.url}`);
    }
    assert.equal(answered.length, routes.length);
  });

  test('every object of every body schema is closed', () => {
    const open: string[] = [];
    const walk = (schema: unknown, where: string): void => {
      if (!schema || typeof schema !== 'object') return;
      const o = schema as Record<string, unknown>;
      if ((o.type === 'object' || o.properties) && o.additionalProperties !== false && !o.patternProperties) open.push(where);
      for (const [k, v] of Object.entries(o)) {
        if (k === 'properties' && v && typeof v === 'object') for (const [n, sub] of Object.entries(v)) walk(sub, `${where}.${n}`);
        else if (Array.isArray(v)) v.forEach((sub, i) => walk(sub, `${where}.${k}[${i}]`));
        else if (k === 'items' || k === 'additionalProperties') walk(v, `${where}.${k}`);
      }
    };
    for (const r of routesOf(s.app)) if (r.schema?.body) walk(r.schema.body, `${r.method} ${r.url}`);
    assert.deepEqual(open, []);
  });

  test('a certificate is not issued for {"x":1}', async () => {
    const c = await s.call('POST', '/citizens', { token: s.tokens.officer, body: birthBody() });
    const r = await s.call('POST', `/citizens/${c.body.personalId}/certificates/personal-id-notice`, { token: s.tokens.officer, body: { x: 1 } });
    assertProblem(r, 400, 'VALIDATION_FAILED');
    assert.equal(r.body.errors[0].field, 'body.x');
    const none = await s.runtime.store.db.selectFrom('certificate').select('number').where('personal_id', '=', c.body.personalId).execute();
    assert.equal(none.length, 0);
  });
});

describe('the character rule', () => {
  for (const [name, text, kind] of [
    ['NUL', 'Nguyễn\u0000Văn An', 'U+0000'],
    ['an escape character', 'Nguyễn Văn\u001b An', 'U+001B'],
    ['a C1 control', 'Nguyễn Văn\u0085An', 'U+0085'],
    ['a lone surrogate', 'Nguyễn \ud800Văn An', 'U+D800'],
    ['a right-to-left override', 'Nguyễn \u202eVăn An', 'U+202E'],
    ['a noncharacter', 'Nguyễn Văn An\uffff', 'U+FFFF'],
  ] as const) {
    test(`${name} in a name is refused with TEXT_FORBIDDEN_CHARACTER, naming the field and ${kind}`, async () => {
      const before = await citizenCount();
      const r = await s.call('POST', '/citizens', { token: s.tokens.officer, body: birthBody({ fullName: text }) });
      assertProblem(r, 400, 'TEXT_FORBIDDEN_CHARACTER');
      assert.equal(r.body.errors[0].field, 'body.citizen.fullName');
      assert.match(r.body.errors[0].message, new RegExp(kind.replace('+', '\\+')));
      assert.equal(await citizenCount(), before);
    });
  }

  test('the same rule holds in the query string', async () => {
    const r = await s.call('GET', '/citizens?name=An%00&dateOfBirth=2024', { token: s.tokens.officer });
    assertProblem(r, 400, 'TEXT_FORBIDDEN_CHARACTER');
    assert.equal(r.body.errors[0].field, 'querystring.name');
  });

  test('invisible characters are removed before storing, so the name is found by search', async () => {
    const typed = 'Lê\u200b Thị\u00ad Hồng\u200d Nhung\ufeff';
    const c = await s.call('POST', '/citizens', { token: s.tokens.officer, body: birthBody({ fullName: typed, dateOfBirth: '2023-07-08', sex: 'female' }) });
    assert.equal(c.status, 201, JSON.stringify(c.body));
    assert.equal(c.body.fullName, 'Lê Thị Hồng Nhung');
    const found = await s.call('GET', `/citizens?name=${encodeURIComponent('Lê Thị Hồng Nhung')}&dateOfBirth=2023-07-08`, { token: s.tokens.officer });
    assert.deepEqual(found.body.items.map((i: { personalId: string }) => i.personalId), [c.body.personalId]);
    // …and a search typed with the same invisible characters finds her too.
    const found2 = await s.call('GET', `/citizens?name=${encodeURIComponent(typed)}&dateOfBirth=2023-07-08`, { token: s.tokens.officer });
    assert.deepEqual(found2.body.items.map((i: { personalId: string }) => i.personalId), [c.body.personalId]);
  });

  test('a Cyrillic letter inside a Vietnamese name is refused with NAME_SCRIPT_INVALID', async () => {
    const before = await citizenCount();
    const r = await s.call('POST', '/citizens', { token: s.tokens.officer, body: birthBody({ fullName: 'Nguyễn Văn Hоà' }) });
    assertProblem(r, 400, 'VALIDATION_FAILED');
    assert.deepEqual(r.body.errors.map((e: { field: string; code: string }) => [e.field, e.code]), [['fullName', 'NAME_SCRIPT_INVALID']]);
    assert.equal(await citizenCount(), before);
  });

  test('an update to a name obeys the same rules as a birth registration', async () => {
    const c = await s.call('POST', '/citizens', { token: s.tokens.officer, body: birthBody({ fullName: 'Phạm Văn Hòa', dateOfBirth: '2022-02-02' }) });
    const id = c.body.personalId as string;
    const change = (fullName: unknown) =>
      s.call('PATCH', `/citizens/${id}`, { token: s.tokens.officer, headers: { 'if-match': '"1"' }, body: { changes: { fullName }, reason: 'Cải chính họ tên' } });
    assertProblem(await change('Phạm Văn Hоà'), 400, 'VALIDATION_FAILED');
    assertProblem(await change('Phạm\u202e Văn Hòa'), 400, 'TEXT_FORBIDDEN_CHARACTER');
    assertProblem(await change(42), 400, 'VALIDATION_FAILED');
    const read = await s.call('GET', `/citizens/${id}`, { token: s.tokens.officer });
    assert.equal(read.body.fullName, 'Phạm Văn Hòa');
    assert.equal(read.body.version, 1);
  });

  test('a declared header the registry stores (the agency officer ID) obeys the rule too', async () => {
    const r = await raw('POST', '/exchange/services/lookupCitizen', {
      authorization: `Bearer ${agencyToken}`,
      'content-type': 'application/json',
      ...CALL_HEADERS,
      'x-officer-id': 'CB-\u0085001',
    }, Buffer.from('{"personalId":"001190012345"}'));
    assert.equal(r.status, 400, r.text);
    const body = JSON.parse(r.text);
    assert.equal(body.code, 'TEXT_FORBIDDEN_CHARACTER');
    assert.equal(body.errors[0].field, 'headers.x-officer-id');
  });

  test('invalid UTF-8 in the query string is refused with INVALID_UTF8; a malformed path escape with MALFORMED_REQUEST', async () => {
    for (const bad of ['%C3%28', '%ED%A0%80', '%FF', 'Nguy%E1%BB']) {
      const r = await s.call('GET', `/citizens?name=${bad}&dateOfBirth=2024`, { token: s.tokens.officer });
      assertProblem(r, 400, 'INVALID_UTF8');
    }
    const ok = await s.call('GET', '/citizens?name=Nguy%E1%BB%85n&dateOfBirth=2024', { token: s.tokens.officer });
    assert.equal(ok.status, 200);
    assertProblem(await s.call('GET', '/citizens/%C3%28', { token: s.tokens.officer }), 400, 'MALFORMED_REQUEST');
  });

  test('invalid UTF-8 in a body is refused with INVALID_UTF8', async () => {
    const body = Buffer.concat([Buffer.from('{"citizen":{"fullName":"Nguy'), Buffer.from([0xc3, 0x28]), Buffer.from('n"}}')]);
    const r = await raw('POST', '/citizens', { authorization: `Bearer ${s.tokens.officer}`, 'content-type': 'application/json', 'content-length': String(body.length) }, body);
    assert.equal(r.status, 400);
    assert.match(String(r.headers['content-type']), /problem\+json/);
    assert.equal(JSON.parse(r.text).code, 'INVALID_UTF8');
  });
});

describe('structure and size', () => {
  test(`JSON nested deeper than ${MAX_JSON_DEPTH} is 400 JSON_TOO_DEEP on public and authenticated routes, even 100,000 deep`, async () => {
    for (const depth of [MAX_JSON_DEPTH + 1, 8_000, 100_000]) {
      const text = '['.repeat(depth) + ']'.repeat(depth);
      for (const [path, token] of [['/certificates/statement-verification', undefined], ['/citizens', s.tokens.officer]] as const) {
        const res = await fetch(s.baseUrl + path, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: `{"statement":${text}}` });
        const body = (await res.json()) as { code: string };
        assert.equal(res.status, 400, `${path} ${depth}: ${JSON.stringify(body)}`);
        assert.equal(body.code, 'JSON_TOO_DEEP');
      }
    }
  });

  test('a body over the limit is 413 PAYLOAD_TOO_LARGE', async () => {
    const res = await fetch(s.baseUrl + '/citizens', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${s.tokens.officer}` }, body: JSON.stringify({ citizen: { fullName: 'x'.repeat(1_100_000) } }) });
    assert.equal(res.status, 413);
    assert.match(res.headers.get('content-type') ?? '', /problem\+json/);
    assert.equal(((await res.json()) as { code: string }).code, 'PAYLOAD_TOO_LARGE');
  });

  test('another media type is 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
      const res = await fetch(s.baseUrl + '/citizens', { method: 'POST', headers: { 'content-type': type, authorization: `Bearer ${s.tokens.officer}` }, body: 'citizen=1' });
      assert.equal(res.status, 415, type);
      assert.equal(((await res.json()) as { code: string }).code, 'UNSUPPORTED_MEDIA_TYPE');
    }
  });

  test('a URL over the limit is 414 URI_TOO_LONG, and no error body repeats the URL', async () => {
    const personalId = '001190012345';
    for (const extra of [MAX_URL_LENGTH, 20_000]) {
      const r = await raw('GET', `/citizens/${personalId}?name=${'a'.repeat(extra)}`, { authorization: `Bearer ${s.tokens.officer}` });
      assert.equal(r.status, 414, `${extra}: ${r.text}`);
      assert.match(String(r.headers['content-type']), /problem\+json/);
      assert.equal(JSON.parse(r.text).code, 'URI_TOO_LONG');
      assert.ok(!r.text.includes(personalId));
    }
    const nf = await s.call('GET', `/citizens/${personalId}/nothing-here`, { token: s.tokens.officer });
    assert.equal(nf.status, 404);
    assert.ok(!JSON.stringify(nf.body).includes(personalId));
  });

  test('a request Node cannot parse is 400 MALFORMED_REQUEST in problem+json', async () => {
    const url = new URL(s.baseUrl);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = tcpConnect(Number(url.port), url.hostname, () => socket.write('GET /health HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n'));
      let text = '';
      socket.on('data', (d) => (text += d.toString('utf8')));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    assert.match(answer, /^HTTP\/1\.1 400 /);
    assert.match(answer, /content-type: application\/problem\+json/i);
    assert.equal(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)).code, 'MALFORMED_REQUEST');
  });

  test('huge headers are 431 HEADERS_TOO_LARGE in problem+json', async () => {
    const r = await raw('GET', '/health', { 'x-padding': 'p'.repeat(40_000) });
    assert.equal(r.status, 431, r.text);
    assert.match(String(r.headers['content-type']), /problem\+json/);
    const body = JSON.parse(r.text);
    assert.equal(body.code, 'HEADERS_TOO_LARGE');
    assert.ok(body.messages.vi);
  });
});
