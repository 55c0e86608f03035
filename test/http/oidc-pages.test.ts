/**
 * The citizen's pages of the OpenID Connect provider (decision 0043), on SQLite and PostgreSQL:
 * Vietnamese first and English by a link, no script and no inline style (CSP without
 * 'unsafe-inline'), a CSRF token on every form, no personal data in any URL, the sign-in API's
 * no-enumeration answer, the code page's resend and wrong code, cancel → access_denied, and an
 * expired or unknown interaction answered with a page, never a 500.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as oc from 'openid-client';
import { Browser, citizenWithEid, formActions, hiddenValue, lastCodeSentTo, registerRelyingParty, signInThrough, startOidcServer, type OidcServer, type RelyingParty, type TestCitizen } from '../support/oidc.js';

let s: OidcServer;
let rp: RelyingParty;
let who: TestCitizen;

before(async () => {
  s = await startOidcServer();
  rp = await registerRelyingParty(s, {});
  who = await citizenWithEid(s, 1);
});
after(() => s.close());

/** A browser at the sign-in page of a fresh authorization request. */
async function atSignIn(): Promise<{ b: Browser; url: string; html: string }> {
  const b = new Browser(s.baseUrl);
  const url = oc.buildAuthorizationUrl(rp.config, { redirect_uri: rp.redirectUri, scope: 'openid profile', code_challenge: await oc.calculatePKCECodeChallenge(oc.randomPKCECodeVerifier()), code_challenge_method: 'S256', state: oc.randomState() });
  const page = await b.follow(url.href);
  assert.equal(page.status, 200);
  assert.ok(formActions(page.html).some((a) => a.endsWith('/sign-in')), page.html);
  return { b, url: page.url, html: page.html };
}

async function outboxCount(phone: string): Promise<number> {
  return (await s.runtime.store.db.selectFrom('sms_outbox').select((eb) => eb.fn.countAll<number>().as('n')).where('to_number', '=', phone).executeTakeFirstOrThrow()).n;
}

describe('the pages', () => {
  test('Vietnamese first, English by the link (kept in a cookie); no script, no inline style, a CSP without unsafe-inline; the style sheet is dancu\'s', async () => {
    const { b, url, html } = await atSignIn();
    assert.match(html, /<html lang="vi">/);
    assert.match(html, /Số định danh cá nhân/);
    assert.doesNotMatch(html, /<script|style=|<style/i);
    const en = await b.request(`${new URL(url).pathname}?lang=en`);
    assert.equal(en.status, 200);
    assert.match(en.html, /<html lang="en">/);
    assert.match(en.html, /Personal ID number/);
    const again = await b.request(new URL(url).pathname);
    assert.match(again.html, /<html lang="en">/, 'the choice is kept');
    const res = await fetch(`${s.baseUrl}/oidc/assets/pages.css`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/css/);
  });

  test('the page\'s Content-Security-Policy: own style sheet only, forms to dancu and the relying party\'s redirect origin', async () => {
    const { b, url } = await atSignIn();
    const res = await fetch(url, { headers: { cookie: b.cookieHeader(new URL(url).pathname) } });
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /style-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    assert.match(csp, /form-action 'self' http:\/\/127\.0\.0\.1(;|$)/);
    assert.equal(res.headers.get('x-frame-options'), 'DENY');
  });
});

describe('the forms', () => {
  test('a missing or wrong CSRF token: 403 page, nothing done (no code sent)', async () => {
    const { b, html } = await atSignIn();
    const action = formActions(html).find((a) => a.endsWith('/sign-in'))!;
    const before = await outboxCount(who.phone);
    const wrong = await b.request(action, { form: { csrf: 'x'.repeat(43), personalId: who.personalId, password: who.password } });
    assert.equal(wrong.status, 403);
    assert.match(wrong.html, /Biểu mẫu không hợp lệ/);
    const none = await b.request(action, { form: { personalId: who.personalId, password: who.password } });
    assert.ok(none.status === 400 || none.status === 403, String(none.status));
    assert.equal(await outboxCount(who.phone), before);
  });

  test('a wrong password and an unknown personal ID get the same answer (the sign-in API\'s: no enumeration)', async () => {
    const answers: { status: number; text: string }[] = [];
    for (const [personalId, password] of [[who.personalId, 'mật khẩu sai hoàn toàn'], ['099999999999', who.password]] as const) {
      const { b, html } = await atSignIn();
      const r = await b.request(formActions(html).find((a) => a.endsWith('/sign-in'))!, { form: { csrf: hiddenValue(html, 'csrf'), personalId, password } });
      answers.push({ status: r.status, text: r.html.replace(/value="[^"]*"|action="[^"]*"|href="[^"]*"/g, '') });
    }
    assert.equal(answers[0]!.status, 401);
    assert.deepEqual(answers[0], answers[1]);
    assert.match(answers[0]!.text, /Tên đăng nhập hoặc mật khẩu không đúng/);
  });

  test('the code page: a wrong code is said so; resend waits 30 s, then sends a new code that works', async () => {
    const { b, html } = await atSignIn();
    let page = await b.request(formActions(html).find((a) => a.endsWith('/sign-in'))!, { form: { csrf: hiddenValue(html, 'csrf'), personalId: who.personalId, password: who.password } });
    assert.equal(page.status, 200);
    assert.match(page.html, /\+84•+|\*+\d{3}|đã được gửi/);
    const first = await lastCodeSentTo(s, who.phone);
    const wrongCode = first === '000000' ? '111111' : '000000';
    const bad = await b.request(formActions(page.html).find((a) => a.endsWith('/code'))!, { form: { csrf: hiddenValue(page.html, 'csrf'), code: wrongCode } });
    assert.equal(bad.status, 401);
    assert.match(bad.html, /Mã xác thực không đúng/);
    const soon = await b.request(formActions(page.html).find((a) => a.endsWith('/resend'))!, { form: { csrf: hiddenValue(page.html, 'csrf') } });
    assert.equal(soon.status, 429);
    s.clock.advance(31_000);
    page = await b.request(formActions(page.html).find((a) => a.endsWith('/resend'))!, { form: { csrf: hiddenValue(page.html, 'csrf') } });
    assert.equal(page.status, 200);
    const second = await lastCodeSentTo(s, who.phone);
    const done = await b.follow(formActions(page.html).find((a) => a.endsWith('/code'))!, { form: { csrf: hiddenValue(page.html, 'csrf'), code: second } });
    assert.ok(formActions(done.html).some((a) => a.endsWith('/consent')), done.html);
  });

  test('cancel at sign-in ends with access_denied at the relying party; an unknown interaction is a page, not a 500', async () => {
    const { b, html } = await atSignIn();
    const r = await b.follow(formActions(html).find((a) => a.endsWith('/abort'))!, { form: { csrf: hiddenValue(html, 'csrf') } });
    assert.ok(r.left?.startsWith(rp.redirectUri), r.html);
    assert.equal(new URL(r.left!).searchParams.get('error'), 'access_denied');
    const gone = await new Browser(s.baseUrl).request('/oidc/interaction/nosuchinteraction');
    assert.equal(gone.status, 400);
    assert.match(gone.html, /hết hạn/);
    const post = await new Browser(s.baseUrl).request('/oidc/interaction/nosuchinteraction/sign-in', { form: { csrf: 'x', personalId: '1', password: '2' } });
    assert.equal(post.status, 400);
  });

  test('a malformed cookie (a bad %-escape) is treated as absent: the page in Vietnamese, not a 500', async () => {
    const { b, url } = await atSignIn();
    for (const cookie of ['lang=%E0%A4%A', 'dancu-oidc-step=%ZZ']) {
      const r = await fetch(url, { headers: { cookie: `${b.cookieHeader(new URL(url).pathname)}; ${cookie}` } });
      assert.equal(r.status, 200, cookie);
      assert.match(await r.text(), /<html lang="vi">/);
    }
    const post = await fetch(`${s.baseUrl}/oidc/interaction/nosuchinteraction/sign-in`, { method: 'POST', headers: { cookie: 'lang=%E0%A4%A', 'content-type': 'application/x-www-form-urlencoded' }, body: 'csrf=x&personalId=1&password=2' });
    assert.equal(post.status, 400);
  });

  test('no personal data in any URL of the whole flow', async () => {
    const flow = await signInThrough(s, rp, who, undefined, { scope: 'openid profile' });
    assert.ok(flow.browser.visited.length >= 4);
    for (const u of [...flow.browser.visited, flow.callback]) {
      assert.ok(!u.includes(who.personalId), u);
      assert.ok(!decodeURIComponent(u).includes(who.phone.slice(3)), u);
    }
  });
});

describe('the provider\'s own pages', () => {
  test('the sign-out page follows the lang cookie, has no script or inline style', async () => {
    const flow = await signInThrough(s, rp, who, undefined, { scope: 'openid' });
    const { exchange } = await import('../support/oidc.js');
    const tokens = await exchange(rp, flow);
    await flow.browser.request('/oidc/interaction/x?lang=en').catch(() => undefined);
    const url = oc.buildEndSessionUrl(rp.config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: 'http://127.0.0.1/signed-out' });
    const page = await flow.browser.follow(url.href);
    assert.equal(page.status, 200);
    assert.match(page.html, /<html lang="en">/);
    assert.match(page.html, /Do you want to sign out/);
    assert.doesNotMatch(page.html, /<script|style=|<style/i);
  });
});
