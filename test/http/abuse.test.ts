/**
 * Abuse resistance over real HTTP (issue 12, item 4; decision 0022): per-address limits with 429 +
 * Retry-After, security headers on every response, a strict CSP the docs page still works under,
 * and TLS terminated by dancu itself.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../src/http/app.js';
import { loadConfig } from '../../src/config.js';
import { startTestServer, type TestServer } from '../support/http.js';
import { openTestRuntime } from '../support/store.js';

const LIMITS = { anonymous: 40, verification: 5, token: 5, authFailures: 20 };

describe('per-address limits', () => {
  let s: TestServer;
  let nowMs = 0;
  const minuteLater = () => (nowMs += 60_000); // every bucket full again
  before(async () => {
    s = await startTestServer('2026-06-01T08:00:00.000Z', { rateLimits: LIMITS, rateLimitNowMs: () => nowMs });
  });
  after(async () => s.close());

  test('200 bad officer tokens in a second are not answered like 200 good ones', async () => {
    minuteLater();
    const officerPath = '/principals'; // any authenticated route: the token is checked
    const bad: Awaited<ReturnType<TestServer["call"]>>[] = [];
    for (let i = 0; i < 200; i++) bad.push(await s.call('GET', officerPath, { token: `bad-token-${i}` }));
    const count = (status: number) => bad.filter((r) => r.status === status).length;
    assert.equal(count(401), LIMITS.authFailures);
    assert.equal(count(429), 200 - LIMITS.authFailures);
    const refused = bad.at(-1)!;
    assert.equal(refused.body.code, 'TOO_MANY_REQUESTS');
    assert.match(refused.headers.get('content-type') ?? '', /^application\/problem\+json/);
    // 20 per minute refill one every 3 s.
    assert.equal(refused.headers.get('retry-after'), '3');
    assert.equal(refused.body.retryAfter, 3);
    // While the address is refused, its requests are not even authenticated.
    assert.equal((await s.call('GET', officerPath, { token: s.tokens.admin })).status, 429);
    nowMs += 3_000;
    assert.equal((await s.call('GET', officerPath, { token: s.tokens.admin })).status, 200);
  });

  test('good tokens are not counted as failures', async () => {
    minuteLater();
    for (let i = 0; i < LIMITS.authFailures * 3; i++) assert.equal((await s.call('GET', '/principals', { token: s.tokens.admin })).status, 200);
  });

  test('public verification routes: the sixth call in a minute is 429, whatever the answer', async () => {
    minuteLater();
    const paths = ['/certificates/XNCMND-2026-ZZZZZZZZ/verification', '/residence-confirmations/XNCUTR-2026-ZZZZZZZZ/verification'];
    const statuses: number[] = [];
    for (let i = 0; i < LIMITS.verification + 1; i++) statuses.push((await s.call('GET', paths[i % 2]!)).status);
    assert.deepEqual(statuses, [404, 404, 404, 404, 404, 429]);
    const post = await s.call('POST', '/certificates/statement-verification', { body: { statement: 'DCU1.x.y.z' } });
    assert.equal(post.status, 429);
    assert.equal(post.headers.get('retry-after'), '12'); // 5 per minute: one every 12 s
  });

  test('the agency token endpoint: the sixth call in a minute is 429', async () => {
    minuteLater();
    const form = { grant_type: 'client_credentials', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: 'not.a.jwt' };
    const statuses: number[] = [];
    for (let i = 0; i < LIMITS.token + 1; i++) statuses.push((await s.call('POST', '/exchange/oauth/token', { body: form })).status);
    assert.ok(statuses.slice(0, LIMITS.token).every((c) => c !== 429), statuses.join(','));
    assert.equal(statuses.at(-1), 429);
  });

  test('a bearer header on a route that reads none buys nothing: public and unknown routes stay under the anonymous limit', async () => {
    minuteLater();
    const statuses: number[] = [];
    for (let i = 0; i < LIMITS.anonymous + 1; i++) statuses.push((await s.call('GET', i % 2 ? '/health' : '/no/such/route', { token: `x${i}` })).status);
    assert.deepEqual(statuses.slice(0, LIMITS.anonymous).filter((c) => c === 429), []);
    assert.equal(statuses.at(-1), 429);
    // The agency's own routes read their bearer token: a bad one is a failed authentication (401), not an anonymous call.
    minuteLater();
    assert.equal((await s.call('GET', '/exchange/usage', { token: 'not-an-agency-token' })).status, 401);
  });

  test('calls without credentials in general: limited per address; officers are not', async () => {
    minuteLater();
    const statuses: number[] = [];
    // A forged X-Forwarded-For changes nothing when no proxy is trusted.
    for (let i = 0; i < LIMITS.anonymous + 1; i++) statuses.push((await s.call('GET', i % 2 ? '/health' : '/no/such/route', { headers: { 'x-forwarded-for': `10.0.0.${i}` } })).status);
    assert.deepEqual(statuses.slice(0, LIMITS.anonymous).filter((c) => c === 429), []);
    assert.equal(statuses.at(-1), 429);
    assert.equal((await s.call('GET', '/principals', { token: s.tokens.admin })).status, 200);
    minuteLater();
    assert.equal((await s.call('GET', '/health')).status, 200);
  });
});

describe('behind a trusted reverse proxy', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer('2026-06-01T08:00:00.000Z', { rateLimits: { ...LIMITS, anonymous: 3 }, rateLimitNowMs: () => 0, trustProxy: ['127.0.0.1'] });
  });
  after(async () => s.close());

  test('each client named by X-Forwarded-For has its own allowance', async () => {
    const from = async (client: string) => (await s.call('GET', '/health', { headers: { 'x-forwarded-for': client } })).status;
    for (let i = 0; i < 3; i++) assert.equal(await from('203.0.113.7'), 200);
    assert.equal(await from('203.0.113.7'), 429);
    assert.equal(await from('198.51.100.20'), 200, 'another client behind the same proxy is not refused');
  });
});

describe('security headers', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
  });
  after(async () => s.close());

  const common = (h: Headers) => {
    assert.equal(h.get('x-content-type-options'), 'nosniff');
    assert.equal(h.get('referrer-policy'), 'no-referrer');
    assert.equal(h.get('x-frame-options'), 'DENY');
    assert.equal(h.get('strict-transport-security'), null, 'no HSTS over plain HTTP');
  };

  test('JSON answers (personal data, errors, health): nosniff, no-referrer, no-store, a CSP that loads nothing', async () => {
    const person = await s.call('POST', '/citizens', {
      token: s.tokens.officer,
      body: { citizen: { fullName: 'Lê Thị Hoa', dateOfBirth: '2024-03-05', sex: 'female', ethnicity: '01', nationality: 'VN', birthRegistrationPlace: { country: 'VN', unitSet: 'pre2025', unitCode: '00004' } } },
    });
    assert.equal(person.status, 201, JSON.stringify(person.body));
    const read = await s.call('GET', `/citizens/${person.body.personalId}`, { token: s.tokens.officer });
    for (const r of [person, read, await s.call('GET', '/health'), await s.call('GET', '/citizens/000000000000'), await s.call('GET', '/no/such/route')]) {
      common(r.headers);
      assert.equal(r.headers.get('cache-control'), 'no-store');
      assert.equal(r.headers.get('content-security-policy'), "default-src 'none'; frame-ancestors 'none'; sandbox");
    }
  });

  test('the docs page: a strict CSP, and everything it loads is same-origin and allowed by it', async () => {
    const page = await fetch(`${s.baseUrl}/docs/`);
    assert.equal(page.status, 200);
    common(page.headers);
    const csp = page.headers.get('content-security-policy') ?? '';
    for (const directive of ["default-src 'none'", "script-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", "connect-src 'self'"]) assert.ok(csp.includes(directive), `${directive} in ${csp}`);
    assert.ok(!/unsafe-eval|script-src[^;]*unsafe-inline/.test(csp), csp);
    const html = await page.text();
    // script-src 'self' without 'unsafe-inline': every script must come from a file, no handler attributes.
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.ok(scripts.length >= 3);
    for (const [, attrs, body] of scripts) {
      assert.match(attrs!, /\bsrc="/);
      assert.equal(body!.trim(), '');
    }
    assert.ok(!/\son[a-z]+=/i.test(html), 'no inline event handlers');
    const urls = [...html.matchAll(/\b(?:src|href)="([^"]+)"/g)].map((m) => new URL(m[1]!, `${s.baseUrl}/docs/`));
    for (const u of urls) {
      assert.equal(u.origin, s.baseUrl, `${u} is same-origin`);
      const r = await fetch(u);
      assert.equal(r.status, 200, String(u));
      await r.arrayBuffer(); // a body left unread keeps its connection busy and the server from closing
    }
    // The initializer loads the document from this origin (connect-src 'self').
    const init = await (await fetch(`${s.baseUrl}/docs/static/swagger-initializer.js`)).text();
    const docUrl = /url: resolveUrl\('([^']+)'\)/.exec(init)?.[1];
    assert.ok(docUrl, 'the initializer names the document');
    const doc = await fetch(new URL(docUrl!, `${s.baseUrl}/docs/`)); // resolved against the page
    assert.equal(doc.status, 200);
    assert.equal(((await doc.json()) as { openapi: string }).openapi, '3.1.0');
  });
});

describe('TLS terminated by dancu', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dancu-tls-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('HTTPS with a configured certificate and key; HSTS on every answer', async (t) => {
    const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')]);
    if (made.error || made.status !== 0) {
      t.skip(`openssl could not make a test certificate: ${made.error?.message ?? made.stderr}`);
      return;
    }
    const cert = readFileSync(join(dir, 'cert.pem'));
    const runtime = await openTestRuntime();
    const app = await buildApp({ ctx: runtime.ctx, catalogue: runtime.catalogue, keys: runtime.keys, publicUrl: 'https://registry.test', version: 'test', logLevel: 'silent', tls: { cert, key: readFileSync(join(dir, 'key.pem')) } });
    try {
      await app.listen({ host: '127.0.0.1', port: 0 });
      const address = app.server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const res = await new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path: '/health', ca: cert }, (r) => {
          let body = '';
          r.on('data', (c: Buffer) => (body += c.toString()));
          r.on('end', () => resolve({ status: r.statusCode ?? 0, headers: r.headers, body }));
        });
        req.on('error', reject);
        req.end();
      });
      assert.equal(res.status, 200);
      assert.equal(JSON.parse(res.body).status, 'ok');
      assert.match(String(res.headers['strict-transport-security']), /^max-age=31536000/);
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
      // Plain HTTP to the TLS port does not get an answer.
      await assert.rejects(fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(3000) }));
    } finally {
      await app.close();
      await runtime.dropDatabase();
    }
  });
});

describe('configuration', () => {
  test('limits, proxies and TLS files from the environment; half a TLS configuration is refused', () => {
    const c = loadConfig({ DANCU_RATE_AUTH_FAILURES: '5', DANCU_RATE_ANONYMOUS: '0', DANCU_TRUST_PROXY: '10.0.0.1, 192.168.0.0/16', DANCU_TLS_CERT_FILE: '/c.pem', DANCU_TLS_KEY_FILE: '/k.pem' });
    assert.deepEqual(c.rateLimits, { authFailures: 5, token: 60, verification: 60, anonymous: 0 });
    assert.deepEqual(c.trustProxy, ['10.0.0.1', '192.168.0.0/16']);
    assert.deepEqual(c.tls, { certFile: '/c.pem', keyFile: '/k.pem' });
    assert.equal(loadConfig({}).tls, undefined);
    assert.throws(() => loadConfig({ DANCU_TLS_CERT_FILE: '/c.pem' }), /DANCU_TLS_KEY_FILE/);
    assert.throws(() => loadConfig({ DANCU_RATE_TOKEN: '-1' }), /DANCU_RATE_TOKEN/);
  });
});
