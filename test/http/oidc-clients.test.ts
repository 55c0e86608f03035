/**
 * Relying parties' registration (decision 0043), on SQLite and PostgreSQL: validation answered as
 * problem+json with stable codes and nothing stored (bad key sets, private keys, bad redirect URIs,
 * claims beyond the level), the authorization matrix of the administrators' routes, every change
 * a leaf-backed event, and a relying party that must push its requests (PAR) refused without.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import * as oc from 'openid-client';
import { listPrincipalEvents } from '../../src/store/repositories/principal-events.js';
import { issueToken } from '../../src/services/principals.js';
import { Browser, citizenWithEid, exchange, registerRelyingParty, signInThrough, startOidcServer, type OidcServer } from '../support/oidc.js';

let s: OidcServer;
before(async () => {
  s = await startOidcServer();
});
after(() => s.close());

const publicJwk = () => ({ ...generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'ES256' });
const body = (over: Record<string, unknown> = {}) => ({
  name: 'Cổng dịch vụ công tỉnh',
  purpose: 'Thủ tục hành chính',
  jwks: { keys: [publicJwk()] },
  redirectUris: ['https://dichvucong.example.vn/callback'],
  claims: [{ claim: 'name', required: true }],
  maxLevel: 1,
  ...over,
});

async function count(): Promise<number> {
  return (await s.runtime.store.db.selectFrom('oidc_client').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
}

describe('validation', () => {
  const cases: [string, Record<string, unknown>, string, string?][] = [
    ['a private key', { jwks: { keys: [{ ...generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }), kid: 'p' }] } }, 'JWKS_INVALID', 'private member'],
    ['a symmetric key', { jwks: { keys: [{ kty: 'oct', k: 'c2VjcmV0', kid: 's' }] } }, 'JWKS_INVALID', 'symmetric'],
    ['a key that is no key', { jwks: { keys: [{ kty: 'EC', crv: 'P-256', x: 'AAAA', y: 'AAAA', kid: 'x' }] } }, 'JWKS_INVALID', 'usable public key'],
    ['a key without kid', { jwks: { keys: [{ ...publicJwk(), kid: undefined }] } }, 'JWKS_INVALID', 'kid missing'],
    ['plain http to another host', { redirectUris: ['http://portal.example.vn/cb'] }, 'OIDC_REDIRECT_URI_INVALID', 'https'],
    ['a fragment', { redirectUris: ['https://portal.example.vn/cb#x'] }, 'OIDC_REDIRECT_URI_INVALID', 'fragment'],
    ['credentials', { redirectUris: ['https://u:p@portal.example.vn/cb'] }, 'OIDC_REDIRECT_URI_INVALID', 'credentials'],
    ['not a URL', { redirectUris: ['callback'] }, 'OIDC_REDIRECT_URI_INVALID', 'absolute'],
    ['no redirect URI', { redirectUris: [] }, 'OIDC_REDIRECT_URI_INVALID', 'at least one'],
    ['two hosts, pairwise', { redirectUris: ['https://a.example.vn/cb', 'https://b.example.vn/cb'] }, 'OIDC_REDIRECT_URI_INVALID', 'one host'],
    ['a bad post-logout URI', { postLogoutRedirectUris: ['ftp://x.example.vn/'] }, 'OIDC_REDIRECT_URI_INVALID'],
    ['an unknown claim', { claims: [{ claim: 'religion', required: false }] }, 'OIDC_CLAIMS_INVALID', 'unknown'],
    ['a level-2 claim at level 1', { claims: [{ claim: 'personal_id', required: false }] }, 'OIDC_CLAIMS_INVALID', 'level-2'],
    ['a claim twice', { claims: [{ claim: 'name', required: true }, { claim: 'name', required: false }] }, 'OIDC_CLAIMS_INVALID', 'twice'],
    ['an extra property', { secret: 'x' }, 'VALIDATION_FAILED'],
    ['level 3', { maxLevel: 3 }, 'VALIDATION_FAILED'],
  ];
  for (const [what, over, code, message] of cases) {
    test(`${what}: 400 ${code}, nothing stored`, async () => {
      const before = await count();
      const r = await s.call('POST', '/oidc-clients', { token: s.tokens.admin, body: body(over) });
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.match(r.headers.get('content-type') ?? '', /application\/problem\+json/);
      assert.equal(r.body.code, code);
      if (message) assert.ok(JSON.stringify(r.body.errors).includes(message), JSON.stringify(r.body));
      assert.equal(await count(), before);
    });
  }

  test('two hosts are fine for a public-subject client; a change is validated as a registration is', async () => {
    const r = await s.call('POST', '/oidc-clients', { token: s.tokens.admin, body: body({ subjectType: 'public', redirectUris: ['https://a.example.vn/cb', 'https://b.example.vn/cb'] }) });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const bad = await s.call('PATCH', `/oidc-clients/${r.body.clientId}`, { token: s.tokens.admin, body: { subjectType: 'pairwise' } });
    assert.equal(bad.body.code, 'OIDC_REDIRECT_URI_INVALID');
    assert.equal((await s.call('GET', `/oidc-clients/${r.body.clientId}`, { token: s.tokens.admin })).body.subjectType, 'public');
    assert.equal((await s.call('PATCH', '/oidc-clients/rp-nosuch', { token: s.tokens.admin, body: { state: 'suspended' } })).body.code, 'OIDC_CLIENT_NOT_FOUND');
  });
});

describe('authorization matrix', () => {
  test('only administrators register, list, read and change relying parties', async () => {
    const made = await s.call('POST', '/oidc-clients', { token: s.tokens.admin, body: body() });
    assert.equal(made.status, 201);
    const who = await citizenWithEid(s, 1);
    const citizen = (await issueToken(s.runtime.store, s.clock, who.principalId, 'system:test', { days: 30 })).token;
    const callers: [string, string | undefined][] = [['officer', s.tokens.officer], ['inspector', s.tokens.inspector], ['citizen', citizen], ['anonymous', undefined], ['admin', s.tokens.admin]];
    const routes: [string, string, unknown?][] = [
      ['POST', '/oidc-clients', body()],
      ['GET', '/oidc-clients'],
      ['GET', `/oidc-clients/${made.body.clientId}`],
      ['PATCH', `/oidc-clients/${made.body.clientId}`, { name: 'Tên mới' }],
    ];
    for (const [role, token] of callers) {
      for (const [method, path, b] of routes) {
        const r = await s.call(method, path, { ...(token ? { token } : {}), ...(b ? { body: b } : {}) });
        const want = role === 'admin' ? (method === 'POST' ? 201 : 200) : role === 'anonymous' ? 401 : 403;
        assert.equal(r.status, want, `${role} ${method} ${path}: ${JSON.stringify(r.body)}`);
      }
    }
    // The citizen's routes are the citizen's only.
    for (const [role, token] of callers.filter(([r]) => r !== 'citizen')) {
      const r = await s.call('GET', '/me/relying-parties', { ...(token ? { token } : {}) });
      assert.equal(r.status, role === 'anonymous' ? 401 : 403, role);
    }
  });

  test('every registration and change is an event with its transparency-log leaf', async () => {
    const made = await s.call('POST', '/oidc-clients', { token: s.tokens.admin, body: body({ name: 'Cổng có lịch sử' }) });
    await s.call('PATCH', `/oidc-clients/${made.body.clientId}`, { token: s.tokens.admin, body: { state: 'suspended' } });
    const events = await listPrincipalEvents(s.runtime.store.db, `oidc-client:${made.body.clientId}`);
    assert.deepEqual(events.map((e) => e.kind), ['oidc-client-registered', 'oidc-client-changed']);
    assert.deepEqual(events[1]!.details.changed, ['state']);
    assert.equal(events[1]!.details.state, 'suspended');
    assert.ok(!JSON.stringify(events).includes('"x"'), 'no key material in the events, only key IDs');
    const leaves = await s.runtime.store.db.selectFrom('tlog_leaf_ref').select(['kind', 'subject_key']).where('kind', '=', 'principal_event').where('subject_key', '=', `oidc-client:${made.body.clientId}`).execute();
    assert.equal(leaves.length, 2);
  });
});

describe('pushed authorization requests', () => {
  test('a relying party registered for PAR only: a plain request is refused, a pushed one signs in', async () => {
    const rp = await registerRelyingParty(s, { requirePar: true });
    const who = await citizenWithEid(s, 1, { fullName: 'Vũ Văn Giang' });
    const plain = await new Browser(s.baseUrl).follow(
      oc.buildAuthorizationUrl(rp.config, { redirect_uri: rp.redirectUri, scope: 'openid', code_challenge: await oc.calculatePKCECodeChallenge(oc.randomPKCECodeVerifier()), code_challenge_method: 'S256', state: 'x' }).href,
    );
    assert.ok(plain.left?.includes('error=invalid_request'), plain.left ?? plain.html);
    const tokens = await exchange(rp, await signInThrough(s, rp, who, undefined, { par: true }));
    assert.ok(tokens.claims()!.sub);
  });

  test('PKCE is required: a request without a code challenge is refused', async () => {
    const rp = await registerRelyingParty(s, {});
    const r = await new Browser(s.baseUrl).follow(oc.buildAuthorizationUrl(rp.config, { redirect_uri: rp.redirectUri, scope: 'openid', state: 'x' }).href);
    assert.ok(r.left?.includes('error=invalid_request'), r.left ?? r.html);
  });
});
