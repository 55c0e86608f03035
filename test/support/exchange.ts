/** Helpers for exchange tests: an agency system with its own key pair, driven through the real API. */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import type { TestServer } from './http.js';

export const TOKEN_PATH = '/exchange/oauth/token';
export const TOKEN_AUDIENCE = `http://registry.test${TOKEN_PATH}`;
export const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export interface AgencySystem {
  connectionId: string;
  privateKey: CryptoKey;
  kid: string;
  jwk: JWK;
}

export async function newKey(kid = randomUUID()): Promise<{ privateKey: CryptoKey; jwk: JWK; kid: string }> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  return { privateKey, jwk, kid };
}

export function agencyBody(code: string, overrides: Record<string, unknown> = {}) {
  return {
    code,
    name: `Cơ quan thử nghiệm ${code}`,
    // A state agency: no data subject's consent by default (decision 0044); consent tests say their type.
    type: 'state_agency',
    stateBudgetFunded: false,
    dataOffer: 'Sẵn sàng chia sẻ thông tin tài khoản định danh khách hàng',
    focalPoints: [{ fullName: 'Nguyễn Thị Đầu Mối', position: 'Trưởng phòng CNTT', phone: '0912345678', email: `focal@${code.toLowerCase()}.example` }],
    ...overrides,
  };
}

export async function admin(s: TestServer, method: string, path: string, body?: unknown, expect?: number) {
  const r = await s.call(method, path, { token: s.tokens.admin, ...(body !== undefined ? { body } : {}) });
  if (expect !== undefined) assert.equal(r.status, expect, `${method} ${path}: ${JSON.stringify(r.body)}`);
  return r;
}

/** Registers the agency, requests a connection with a fresh key, sets the policy; the connection stays `requested`. */
export async function connect(s: TestServer, agency: Record<string, unknown>, policy: unknown): Promise<AgencySystem> {
  await admin(s, 'POST', '/admin/agencies', agency, 201);
  const key = await newKey();
  const c = await admin(s, 'POST', '/admin/connections', { agencyCode: agency.code, systemName: 'Hệ thống nghiệp vụ', services: ['lookupCitizen'], purposes: ['1.004222'], jwks: { keys: [key.jwk] } }, 201);
  await admin(s, 'PUT', `/admin/connections/${c.body.connectionId}/policy`, policy, 200);
  return { connectionId: c.body.connectionId, privateKey: key.privateKey, kid: key.kid, jwk: key.jwk };
}

export async function moveTo(s: TestServer, sys: AgencySystem, ...actions: string[]) {
  for (const action of actions) {
    if (action === 'assess') await admin(s, 'POST', `/admin/connections/${sys.connectionId}/assessments`, { result: 'passed', summary: 'Đạt yêu cầu an toàn thông tin cấp độ 3', assessor: 'A05' }, 201);
    else await admin(s, 'POST', `/admin/connections/${sys.connectionId}/transitions`, { action, reason: `Thử nghiệm: ${action}` }, 200);
  }
}

export async function assertion(sys: AgencySystem, s: TestServer, o: { audience?: string; expiresIn?: number; issuedAt?: number; jti?: string; key?: CryptoKey; kid?: string } = {}) {
  const now = Math.floor(s.clock.now().getTime() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'ES256', kid: o.kid ?? sys.kid })
    .setIssuer(sys.connectionId)
    .setSubject(sys.connectionId)
    .setAudience(o.audience ?? TOKEN_AUDIENCE)
    .setIssuedAt(o.issuedAt ?? now)
    .setExpirationTime((o.issuedAt ?? now) + (o.expiresIn ?? 60))
    .setJti(o.jti ?? randomUUID())
    .sign(o.key ?? sys.privateKey);
}

/** The token endpoint, form-encoded as RFC 6749 says. */
export async function tokenCall(s: TestServer, clientAssertion: string) {
  const res = await fetch(s.baseUrl + TOKEN_PATH, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_assertion_type: ASSERTION_TYPE, client_assertion: clientAssertion }).toString(),
  });
  return { status: res.status, body: (await res.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export async function token(s: TestServer, sys: AgencySystem): Promise<string> {
  const r = await tokenCall(s, await assertion(sys, s));
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.access_token as string;
}

export async function callService(s: TestServer, accessToken: string | undefined, service: string, body: unknown, headers: Record<string, string | undefined> = {}) {
  const h: Record<string, string> = { 'x-request-id': randomUUID(), 'x-purpose': '1.004222', 'x-officer-id': 'CB-0001' };
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) delete h[k];
    else h[k] = v;
  }
  if (accessToken) h.authorization = `Bearer ${accessToken}`;
  return s.call('POST', `/exchange/services/${service}`, { headers: h, body });
}

// ---------------------------------------------------------------- access-log and state helpers (added for exchange-*.test.ts)

/** Uses recorded (one primary access_entry row stands for each use), read straight from the store. */
export async function accessLogCount(s: TestServer): Promise<number> {
  const db = s.runtime.store.db;
  const r = await db.selectFrom('access_entry').select(db.fn.countAll().as('n')).where('primary_row', '=', 1).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** The uses recorded for one request ID (the agency's X-Request-ID): their primary rows, oldest first. */
export async function accessLogRows(s: TestServer, requestId: string) {
  return s.runtime.store.db
    .selectFrom('access_entry')
    .selectAll()
    .where('request_id', '=', requestId)
    .where('primary_row', '=', 1)
    .orderBy('at')
    .orderBy('entry_id')
    .execute();
}

/** The keys a use is stored under: each citizen concerned, or its caller ("connection:…", "address:…"). */
export async function entryKeys(s: TestServer, entryId: string): Promise<string[]> {
  const rows = await s.runtime.store.db.selectFrom('access_entry').select('subject_key').where('entry_id', '=', entryId).orderBy('subject_key').execute();
  return rows.map((r) => r.subject_key);
}

/**
 * Registers the agency and brings a new connection to `state`, with an access token obtained while
 * the state allowed one (testing or active) before moving on. A `requested` connection never gets a
 * token from the endpoint: `token` is undefined then.
 */
export async function connectIn(
  s: TestServer,
  agency: Record<string, unknown>,
  policy: unknown,
  state: 'requested' | 'testing' | 'active' | 'suspended' | 'terminated',
): Promise<{ sys: AgencySystem; token: string | undefined }> {
  const sys = await connect(s, agency, policy);
  if (state === 'requested') return { sys, token: undefined };
  await moveTo(s, sys, 'assess', 'approve_for_test');
  if (state === 'testing') return { sys, token: await token(s, sys) };
  await moveTo(s, sys, 'activate');
  const t = await token(s, sys);
  if (state === 'suspended') await moveTo(s, sys, 'suspend');
  if (state === 'terminated') await moveTo(s, sys, 'terminate');
  return { sys, token: t };
}
