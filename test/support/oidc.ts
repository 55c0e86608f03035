/**
 * The OpenID Connect provider under test (decision 0043): a real server on a loopback port whose
 * public URL is that port (the issuer must be what relying parties reach), citizens with e-ID
 * accounts, relying parties with their own keys, openid-client 6 as the relying party, and a
 * browser: fetch with a cookie jar that follows dancu's redirects and submits its HTML forms as a
 * browser would (no JavaScript).
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import * as oc from 'openid-client';
import { buildApp, type App } from '../../src/http/app.js';
import { createPrincipal } from '../../src/services/principals.js';
import { fixedClock } from '../../src/services/clock.js';
import { hashPassword } from '../../src/services/auth/passwords.js';
import { insertLoginAccount, updateAccount } from '../../src/store/repositories/login-accounts.js';
import { insertPrincipal } from '../../src/store/repositories/principals.js';
import { openTestRuntime, type TestRuntime } from './store.js';
import { birthBody, LONG_LIVED, TEST_PURPOSE } from './http.js';

export interface OidcServer {
  baseUrl: string;
  issuer: string;
  app: App;
  runtime: TestRuntime;
  clock: ReturnType<typeof fixedClock>;
  tokens: { officer: string; admin: string; inspector: string };
  call(method: string, path: string, opts?: { token?: string; body?: unknown; headers?: Record<string, string>; purpose?: string | null }): Promise<{ status: number; headers: Headers; body: any }>;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export const TEST_PASSWORD = 'hoa sen nở giữa đầm';

export async function startOidcServer(now = '2026-06-01T08:00:00.000Z'): Promise<OidcServer> {
  const clock = fixedClock(now);
  const runtime = await openTestRuntime(clock);
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const app = await buildApp({
    ctx: runtime.ctx,
    catalogue: runtime.catalogue,
    keys: runtime.keys,
    publicUrl: baseUrl,
    version: 'test',
    logLevel: process.env.DANCU_TEST_LOG ?? 'silent',
    rateLimits: { anonymous: 0, verification: 0, token: 0, authFailures: 0 },
    auth: { scryptLogN: 14 },
    oidc: { dataDir: runtime.dataDir },
  });
  await app.listen({ host: '127.0.0.1', port });
  const tokens = {
    officer: (await createPrincipal(runtime.store, clock, 'Test officer', 'officer', undefined, LONG_LIVED)).token,
    admin: (await createPrincipal(runtime.store, clock, 'Test admin', 'admin', undefined, LONG_LIVED)).token,
    inspector: (await createPrincipal(runtime.store, clock, 'Test inspector', 'inspector', undefined, LONG_LIVED)).token,
  };
  const call: OidcServer['call'] = async (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.token && opts.purpose !== null) headers['x-purpose'] = opts.purpose ?? TEST_PURPOSE;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(baseUrl + path, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: (res.headers.get('content-type') ?? '').includes('json') && text ? JSON.parse(text) : text };
  };
  return {
    baseUrl,
    issuer: `${baseUrl}/oidc`,
    app,
    runtime,
    clock,
    tokens,
    call,
    async close() {
      await app.close();
      await runtime.dropDatabase();
    },
  };
}

export interface TestCitizen {
  personalId: string;
  principalId: string;
  phone: string;
  password: string;
}

let phoneSeq = 0;

/**
 * A registered person with an active e-ID account of the level asked for: a citizen principal, its
 * login account (login = personal ID, SMS second factor) and its eid_account row. (To switch to the
 * e-ID service's registration once it is committed.)
 */
export async function citizenWithEid(s: OidcServer, level: 1 | 2, overrides: Record<string, unknown> = {}): Promise<TestCitizen> {
  const r = await s.call('POST', '/citizens', { token: s.tokens.officer, body: birthBody({ fullName: 'Trần Thị Bích', dateOfBirth: '1990-04-12', sex: 'female', ...overrides }) });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const personalId = r.body.personalId as string;
  const phone = `+8491${String(2000000 + ++phoneSeq * 7919).padStart(7, '0')}`;
  const passwordHash = await hashPassword(TEST_PASSWORD, 14);
  const at = s.clock.now().toISOString();
  const principalId = randomUUID();
  await s.runtime.store.transaction(async (tx) => {
    await insertPrincipal(tx, { id: principalId, name: 'Tài khoản định danh điện tử', role: 'citizen', createdAt: at, personalId }, 'system:test');
    await insertLoginAccount(tx, { principalId, login: personalId, passwordHash, at, smsPhone: phone });
    await updateAccount(tx, principalId, { must_change_password: 0 });
    await tx
      .insertInto('eid_account')
      .values({ principal_id: principalId, personal_id: personalId, level, state: 'active', created_at: at, notice_at: at, activation_deadline: at, activated_at: at, level2_at: level === 2 ? at : null, level2_by: null, representative_id: null, email: null, lock_kind: null })
      .execute();
  });
  return { personalId, principalId, phone, password: TEST_PASSWORD };
}

/** The last sign-in code queued for a number in the SMS outbox (as the test SMSC would deliver it). */
export async function lastCodeSentTo(s: OidcServer, phone: string): Promise<string> {
  const rows = await s.runtime.store.db.selectFrom('sms_outbox').select(['body', 'created_at', 'message_id']).where('to_number', '=', phone).orderBy('created_at', 'desc').orderBy('message_id', 'desc').execute();
  const code = rows.map((r) => /(\d{6})/.exec(r.body)?.[1]).find((c) => c !== undefined);
  assert.ok(code, 'a code was sent');
  return code;
}

export interface RelyingParty {
  clientId: string;
  redirectUri: string;
  config: oc.Configuration;
}

/** A relying party with its own RSA key: registered by the administrator, configured by discovery as an outside portal would be. */
export async function registerRelyingParty(s: OidcServer, input: { host?: string; claims?: { claim: string; required: boolean }[]; maxLevel?: 1 | 2; requirePar?: boolean; refreshTokens?: boolean; name?: string }): Promise<RelyingParty> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomUUID();
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
  const redirectUri = `http://${input.host ?? '127.0.0.1'}/callback`;
  const r = await s.call('POST', '/oidc-clients', {
    token: s.tokens.admin,
    body: {
      name: input.name ?? 'Cổng dịch vụ công thử nghiệm',
      purpose: 'Giải quyết thủ tục hành chính',
      jwks: { keys: [jwk] },
      redirectUris: [redirectUri],
      postLogoutRedirectUris: [`http://${input.host ?? '127.0.0.1'}/signed-out`],
      claims: input.claims ?? [
        { claim: 'name', required: true },
        { claim: 'birthdate', required: false },
        { claim: 'gender', required: false },
      ],
      maxLevel: input.maxLevel ?? 2,
      ...(input.requirePar !== undefined ? { requirePar: input.requirePar } : {}),
      ...(input.refreshTokens !== undefined ? { refreshTokens: input.refreshTokens } : {}),
    },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const clientId = r.body.clientId as string;
  const key = privateKey.toCryptoKey({ name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']);
  const config = await oc.discovery(new URL(s.issuer), clientId, { redirect_uris: [redirectUri], id_token_signed_response_alg: 'RS256' }, oc.PrivateKeyJwt({ key, kid }), { execute: [oc.allowInsecureRequests] });
  return { clientId, redirectUri, config };
}

/** A browser: a cookie jar (path-scoped), manual redirects within dancu, HTML forms read and submitted. */
export class Browser {
  private jar = new Map<string, { value: string; path: string }>();
  /** Every URL requested, in order (to check that no personal data travels in one). */
  readonly visited: string[] = [];
  constructor(readonly origin: string) {}

  cookieHeader(path: string): string {
    return [...this.jar].filter(([, c]) => path.startsWith(c.path)).map(([k, c]) => `${k}=${c.value}`).join('; ');
  }

  private keep(res: Response, path: string): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const p = attrs.map((a) => a.trim()).find((a) => a.toLowerCase().startsWith('path='))?.slice(5) ?? path.replace(/\/[^/]*$/, '') ?? '/';
      const expired = attrs.some((a) => /max-age=0/i.test(a.trim()) || /expires=thu, 01 jan 1970/i.test(a.trim()));
      const key = `${name}`;
      if (expired || value === '') this.jar.delete(key);
      else this.jar.set(key, { value, path: p || '/' });
    }
  }

  /** One request; the answer and where it points next. */
  async request(url: string, init: { method?: string; form?: Record<string, string | string[]> } = {}): Promise<{ status: number; location?: string; html: string }> {
    const u = new URL(url, this.origin);
    this.visited.push(u.href);
    const headers: Record<string, string> = {};
    const cookie = this.cookieHeader(u.pathname);
    if (cookie) headers.cookie = cookie;
    let body: string | undefined;
    if (init.form) {
      const f = new URLSearchParams();
      for (const [k, v] of Object.entries(init.form)) for (const x of Array.isArray(v) ? v : [v]) f.append(k, x);
      body = f.toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
      headers.origin = this.origin;
    }
    const res = await fetch(u, { method: init.method ?? (body ? 'POST' : 'GET'), headers, body, redirect: 'manual' });
    this.keep(res, u.pathname);
    const location = res.headers.get('location') ?? undefined;
    return { status: res.status, ...(location ? { location: new URL(location, u).href } : {}), html: await res.text() };
  }

  /** Follows redirects while they stay at dancu; returns the last page, or the URL that leaves dancu. */
  async follow(url: string, init: { method?: string; form?: Record<string, string | string[]> } = {}): Promise<{ status: number; html: string; url: string; left?: string }> {
    let r = await this.request(url, init);
    let at = new URL(url, this.origin).href;
    for (let i = 0; i < 10 && r.location; i++) {
      if (!r.location.startsWith(this.origin)) return { status: r.status, html: r.html, url: at, left: r.location };
      at = r.location;
      r = await this.request(r.location);
    }
    return { status: r.status, html: r.html, url: at };
  }
}

/** The value of a hidden input of a page. */
export function hiddenValue(html: string, name: string): string {
  const m = new RegExp(`<input type="hidden" name="${name}" value="([^"]*)">`).exec(html);
  assert.ok(m, `the page has a hidden ${name}`);
  return m[1]!.replace(/&amp;/g, '&');
}

/** The form actions of a page. */
export function formActions(html: string): string[] {
  return [...html.matchAll(/<form method="post" action="([^"]*)"/g)].map((m) => m[1]!);
}

export interface FlowOptions {
  scope?: string;
  claims?: unknown;
  acrValues?: string;
  par?: boolean;
  prompt?: string;
  /** The consent page's answer: the claims left ticked (all when undefined), or 'deny'. */
  consent?: string[] | 'deny';
}

/**
 * The authorization code flow as a citizen in a browser goes through it: the relying party builds
 * the request (PKCE S256, state, nonce; PAR when asked), the citizen signs in (personal ID and
 * password, then the SMS code read from the outbox) and consents; returns the URL dancu sends the
 * browser back to (the relying party's callback), and the checks to exchange it.
 */
export async function signInThrough(s: OidcServer, rp: RelyingParty, who: TestCitizen, browser = new Browser(s.baseUrl), o: FlowOptions = {}) {
  const verifier = oc.randomPKCECodeVerifier();
  const state = oc.randomState();
  const nonce = oc.randomNonce();
  const params: Record<string, string> = {
    redirect_uri: rp.redirectUri,
    scope: o.scope ?? 'openid profile',
    code_challenge: await oc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...(o.claims ? { claims: JSON.stringify(o.claims) } : {}),
    ...(o.acrValues ? { acr_values: o.acrValues } : {}),
    ...(o.prompt ? { prompt: o.prompt } : {}),
  };
  const url = o.par ? await oc.buildAuthorizationUrlWithPAR(rp.config, params) : oc.buildAuthorizationUrl(rp.config, params);
  const steps: string[] = [];
  let page = await browser.follow(url.href);
  if (page.left) return { callback: page.left, verifier, state, nonce, browser, page, steps };
  if (page.html.includes('/sign-in"')) {
    steps.push('sign-in');
    const action = formActions(page.html).find((a) => a.endsWith('/sign-in'))!;
    page = await browser.follow(action, { form: { csrf: hiddenValue(page.html, 'csrf'), personalId: who.personalId, password: who.password } });
    assert.equal(page.status, 200, page.html);
    const codeAction = formActions(page.html).find((a) => a.endsWith('/code'));
    assert.ok(codeAction, `the code page: ${page.html}`);
    page = await browser.follow(codeAction, { form: { csrf: hiddenValue(page.html, 'csrf'), code: await lastCodeSentTo(s, who.phone) } });
    if (page.left) return { callback: page.left, verifier, state, nonce, browser, page, steps };
  }
  const consentAction = formActions(page.html).find((a) => a.endsWith('/consent'));
  assert.ok(consentAction, `the consent page: ${page.status} ${page.html}`);
  steps.push('consent');
  const ticked = o.consent === 'deny' ? [] : (o.consent ?? [...page.html.matchAll(/name="claim" value="([^"]+)"/g)].map((m) => m[1]!));
  page = await browser.follow(consentAction, { form: { csrf: hiddenValue(page.html, 'csrf'), decision: o.consent === 'deny' ? 'deny' : 'approve', claim: ticked } });
  assert.ok(page.left, `back to the relying party: ${page.status} ${page.html}`);
  return { callback: page.left, verifier, state, nonce, browser, page, steps };
}

/** The relying party's side of the callback: the code exchanged (private_key_jwt, PKCE), the ID token checked. */
export async function exchange(rp: RelyingParty, flow: { callback: string; verifier: string; state: string; nonce: string }) {
  return oc.authorizationCodeGrant(rp.config, new URL(flow.callback), { pkceCodeVerifier: flow.verifier, expectedState: flow.state, expectedNonce: flow.nonce });
}
