/**
 * The OpenID Connect provider end to end (decision 0043), on SQLite and PostgreSQL: openid-client 6
 * as a real relying party over loopback HTTP (discovery, private_key_jwt, PKCE S256, PAR,
 * UserInfo, refresh, RP-initiated logout), the citizen's sign-in and consent forms submitted as a
 * browser would (cookies, HTML forms, no JavaScript), the SMS code read from the durable outbox.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as oc from 'openid-client';
import { ACR_LEVEL1, ACR_LEVEL2 } from '../../src/domain/oidc/claims.js';
import { citizenWithEid, exchange, registerRelyingParty, signInThrough, startOidcServer, Browser, type OidcServer, type RelyingParty, type TestCitizen } from '../support/oidc.js';

let s: OidcServer;
let rp: RelyingParty;
let level2: TestCitizen;
let level1: TestCitizen;

before(async () => {
  s = await startOidcServer();
  rp = await registerRelyingParty(s, {
    claims: [
      { claim: 'name', required: true },
      { claim: 'birthdate', required: false },
      { claim: 'gender', required: false },
      { claim: 'personal_id', required: false },
      { claim: 'permanent_residence', required: false },
      { claim: 'card_status', required: false },
    ],
    refreshTokens: true,
  });
  level2 = await citizenWithEid(s, 2);
  level1 = await citizenWithEid(s, 1, { fullName: 'Lê Văn Cường', dateOfBirth: '1985-11-02', sex: 'male' });
});
after(() => s.close());

describe('discovery', () => {
  test('the issuer is the public URL + /oidc; the document is at the issuer and at the root, with private_key_jwt only, PKCE S256, PAR, the two acr values', async () => {
    const at = await s.call('GET', '/oidc/.well-known/openid-configuration');
    const root = await s.call('GET', '/.well-known/openid-configuration');
    assert.equal(at.status, 200);
    assert.deepEqual(root.body, at.body);
    assert.equal(at.body.issuer, s.issuer);
    assert.deepEqual(at.body.token_endpoint_auth_methods_supported, ['private_key_jwt']);
    assert.deepEqual(at.body.code_challenge_methods_supported, ['S256']);
    assert.deepEqual(at.body.response_types_supported, ['code']);
    assert.ok(at.body.pushed_authorization_request_endpoint.startsWith(`${s.issuer}/`));
    assert.deepEqual(at.body.acr_values_supported, [ACR_LEVEL1, ACR_LEVEL2]);
    assert.ok(at.body.subject_types_supported.includes('pairwise'));
    assert.equal(at.headers.get('x-content-type-options'), 'nosniff');
  });
});

describe('the code flow', () => {
  test('a level-2 citizen signs in: ID token with acr level 2, UserInfo with the claims consented, the release recorded', async () => {
    const flow = await signInThrough(s, rp, level2, undefined, { scope: 'openid profile personal_id' });
    const tokens = await exchange(rp, flow);
    const id = tokens.claims()!;
    assert.equal(id.acr, ACR_LEVEL2);
    assert.equal(id.iss, s.issuer);
    assert.notEqual(id.sub, level2.principalId);
    assert.notEqual(id.sub, level2.personalId);
    const info = await oc.fetchUserInfo(rp.config, tokens.access_token, id.sub);
    assert.equal(info.name, 'Trần Thị Bích');
    assert.equal(info.birthdate, '1990-04-12');
    assert.equal(info.gender, 'female');
    assert.equal(info.personal_id, level2.personalId);
  });
});
