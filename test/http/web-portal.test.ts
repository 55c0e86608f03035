/**
 * The portal served by the API server (decision 0045): index.html for browsers' page paths and the
 * QR verification URLs, JSON for programs on the same URLs, cached assets, the strict CSP, and a
 * short note instead of a 500 when the portal is not built. Over real HTTP on a real store; the
 * portal here is a tiny stand-in build (the browser tests use the real one).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { startTestServer, type TestServer } from '../support/http.js';
import { prefersHtml } from '../../src/http/web-portal.js';
import { PORTAL_CSP } from '../../src/http/security-headers.js';

const HTML = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const INDEX = '<!doctype html><title>portal</title><div id="root"></div>';

describe('web portal serving', () => {
  let s: TestServer;
  let bare: TestServer;
  const dir = mkdtempSync(join(tmpdir(), 'dancu-web-'));
  before(async () => {
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), INDEX);
    writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
    s = await startTestServer(undefined, { webDir: dir });
    bare = await startTestServer(undefined, { webDir: join(dir, 'absent') });
  });
  after(async () => {
    await s.close();
    await bare.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = (server: TestServer, path: string, accept?: string) => fetch(server.baseUrl + path, { headers: accept ? { accept } : {} });

  it('answers / with index.html, never cached, under the portal CSP without unsafe-inline', async () => {
    const res = await get(s, '/', HTML);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), INDEX);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    assert.equal(res.headers.get('cache-control'), 'no-cache');
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.equal(csp, PORTAL_CSP);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    for (const d of ["script-src 'self'", "style-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'", "connect-src 'self'"]) assert.ok(csp.includes(d), d);
  });

  it('serves hashed assets immutable, and an unknown asset as a 404 problem', async () => {
    const res = await get(s, '/assets/index-abc123.js');
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'console.log(1)');
    assert.equal(res.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.match(res.headers.get('content-type') ?? '', /^text\/javascript/);
    for (const path of ['/assets/missing.js', '/assets/index-abc123.exe', '/assets/..%2Findex.html']) {
      const miss = await get(s, path);
      assert.equal(miss.status, 404, path);
      assert.equal(((await miss.json()) as { code: string }).code, 'NOT_FOUND');
    }
  });

  it('answers a page path to a browser with index.html, and to a program with the 404 problem', async () => {
    for (const path of ['/check', '/sign-in', '/citizen/records', '/officer', '/no/such/page']) {
      const page = await get(s, path, HTML);
      assert.equal(page.status, 200, path);
      assert.equal(await page.text(), INDEX);
      const data = await get(s, path, 'application/json');
      assert.equal(data.status, 404, path);
      assert.equal(((await data.json()) as { code: string }).code, 'NOT_FOUND');
    }
    // API routes stay API routes, even to a browser.
    const api = await get(s, '/health', HTML);
    assert.match(api.headers.get('content-type') ?? '', /json/);
    const post = await fetch(s.baseUrl + '/no/such/page', { method: 'POST', headers: { accept: HTML } });
    assert.equal(post.status, 404);
  });

  it('answers the QR verification URL with the page to a browser and JSON to a program', async () => {
    const path = '/certificates/XNCMND-2026-AB12CD34/verification';
    const page = await get(s, path, HTML);
    assert.equal(page.status, 200);
    assert.equal(await page.text(), INDEX);
    assert.equal(page.headers.get('content-security-policy'), PORTAL_CSP);
    assert.match(page.headers.get('vary') ?? '', /accept/i);
    const data = await get(s, path, 'application/json');
    assert.equal(data.status, 404);
    assert.equal(((await data.json()) as { code: string }).code, 'CERTIFICATE_NOT_FOUND');
    assert.match(data.headers.get('vary') ?? '', /accept/i);
    const residence = await get(s, '/residence-confirmations/XNCT07-2026-AB12CD34/verification', HTML);
    assert.equal(await residence.text(), INDEX);
  });

  it('says how to build the portal when it is not built, never a 500', async () => {
    for (const path of ['/', '/check']) {
      const res = await get(bare, path, HTML);
      assert.equal(res.status, 200);
      assert.match(await res.text(), /npm run build:web/);
    }
  });
});

describe('prefersHtml', () => {
  it('decides by q-value, then by order', () => {
    assert.equal(prefersHtml(HTML), true);
    assert.equal(prefersHtml('text/html'), true);
    assert.equal(prefersHtml(undefined), false);
    assert.equal(prefersHtml('*/*'), false);
    assert.equal(prefersHtml('application/json'), false);
    assert.equal(prefersHtml('application/json, text/html'), false);
    assert.equal(prefersHtml('text/html, application/json'), true);
    assert.equal(prefersHtml('application/json;q=0.5, text/html'), true);
    assert.equal(prefersHtml('text/html;q=0.4, application/json;q=0.5'), false);
    assert.equal(prefersHtml('text/html;q=0'), false);
    assert.equal(prefersHtml('TEXT/HTML'), true);
  });
  it('never prefers HTML when JSON is asked at least as strongly and first', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 0, max: 10 }), (jq, hq) => {
        const header = `application/json;q=${jq / 10}, text/html;q=${hq / 10}`;
        assert.equal(prefersHtml(header), hq > jq);
      }),
    );
  });
});
