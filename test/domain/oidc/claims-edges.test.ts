/**
 * Edges of the claim rules that the first property tests left open (StrykerJS found them): each
 * scope's claims, malformed `claims` parameters of every JSON shape, an `acr` demand given in every
 * shape, and redirect URIs at their limits.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACR_LEVEL1, ACR_LEVEL2, demandedLevel, parseClaimsParameter, releasedClaims, requestedClaims, SCOPE_CLAIMS } from '../../../src/domain/oidc/claims.js';
import { redirectUriProblem } from '../../../src/domain/oidc/registration.js';

test('each scope asks for its own claims, and only known scopes ask for any', () => {
  for (const [scope, claims] of Object.entries(SCOPE_CLAIMS)) assert.deepEqual(requestedClaims(`openid ${scope}`, {}), claims, scope);
  assert.deepEqual(requestedClaims('openid household', {}), ['household']);
  assert.deepEqual(requestedClaims('openid email phone constructor toString', {}), []);
  assert.deepEqual(requestedClaims('', {}), []);
});

test('the claims parameter names claims through either part, never unknown names', () => {
  assert.deepEqual(requestedClaims('openid', { id_token: { birthdate: null, acr: { essential: true } } }), ['birthdate']);
  assert.deepEqual(requestedClaims('openid', { userinfo: { card_status: null, email: null } }), ['card_status']);
  assert.deepEqual(requestedClaims('openid profile', { userinfo: { household: null } }), ['name', 'birthdate', 'gender', 'household']);
});

test('a malformed claims parameter asks for nothing, whatever its JSON shape', () => {
  for (const text of ['', 'null', '5', '"x"', '[]', '[{"id_token":{}}]', '{', 'true'] as const) assert.deepEqual(parseClaimsParameter(text), {}, text);
  for (const part of ['null', '5', '"x"', '[]', '[{"name":null}]', 'true']) {
    assert.deepEqual(parseClaimsParameter(`{"id_token":${part}}`), {}, `id_token ${part}`);
    assert.deepEqual(parseClaimsParameter(`{"userinfo":${part}}`), {}, `userinfo ${part}`);
  }
  // Only text is read: a value of another type (an array holding the text, an object) is nothing.
  assert.deepEqual(parseClaimsParameter(['{"id_token":{"name":null}}']), {});
  assert.deepEqual(parseClaimsParameter({ id_token: { name: null } }), {});
  assert.deepEqual(parseClaimsParameter(undefined), {});
  assert.deepEqual(parseClaimsParameter('{"id_token":{"name":null},"userinfo":{"gender":null}}'), { id_token: { name: null }, userinfo: { gender: null } });
});

test('an acr demand in any shape: only known values count, the lowest wins, non-essential is a hint', () => {
  assert.equal(demandedLevel(undefined, {}), 1);
  assert.equal(demandedLevel(ACR_LEVEL2, {}), 2);
  assert.equal(demandedLevel(`  ${ACR_LEVEL2}  `, {}), 2);
  assert.equal(demandedLevel(`${ACR_LEVEL2} ${ACR_LEVEL1}`, {}), 1);
  assert.equal(demandedLevel(`urn:other ${ACR_LEVEL2}`, {}), 2);
  assert.equal(demandedLevel(5, {}), 1);
  assert.equal(demandedLevel(undefined, { id_token: { acr: null } }), 1);
  assert.equal(demandedLevel(undefined, { id_token: { acr: [ACR_LEVEL2] } }), 1);
  assert.equal(demandedLevel(undefined, { id_token: { acr: { essential: true, value: ACR_LEVEL2 } } }), 2);
  assert.equal(demandedLevel(undefined, { id_token: { acr: { essential: 'true', value: ACR_LEVEL2 } } }), 1);
  assert.equal(demandedLevel(undefined, { id_token: { acr: { value: ACR_LEVEL2 } } }), 1);
  assert.equal(demandedLevel(undefined, { id_token: { acr: { essential: true, values: [ACR_LEVEL2, 7, null] } } }), 2);
  assert.equal(demandedLevel(undefined, { id_token: { acr: { essential: true, values: ACR_LEVEL2 } } }), 1);
  assert.equal(demandedLevel(undefined, { id_token: { acr: { essential: true, value: 2, values: [{}] } } }), 1);
  assert.equal(demandedLevel(ACR_LEVEL2, { id_token: { acr: { essential: true, value: ACR_LEVEL1 } } }), 1);
});

test('released claims: the ID token only what the parameter asks of it, UserInfo also the scopes', () => {
  const all = ['name', 'birthdate', 'gender', 'personal_id', 'household'] as const;
  assert.deepEqual(releasedClaims('id_token', 'openid profile household', undefined, [...all], 2, []), []);
  assert.deepEqual(releasedClaims('id_token', 'openid profile', { gender: null, email: null }, [...all], 2, []), ['gender']);
  assert.deepEqual(releasedClaims('userinfo', 'openid profile household', undefined, [...all], 2, ['birthdate']), ['name', 'gender', 'household']);
  assert.deepEqual(releasedClaims('userinfo', 'openid household personal_id', {}, [...all], 1, []), []);
  assert.deepEqual(releasedClaims('userinfo', 'openid unknown', {}, [...all], 2, []), []);
});

test('redirect URIs at their limits', () => {
  const base = 'https://cong.example/cb?x=';
  assert.equal(redirectUriProblem(base + 'a'.repeat(2000 - base.length)), undefined, 'exactly 2000 characters');
  assert.match(redirectUriProblem(base + 'a'.repeat(2001 - base.length)) ?? '', /2000/);
  assert.match(redirectUriProblem('ftp://127.0.0.1/cb') ?? '', /https/);
  assert.match(redirectUriProblem('ws://localhost/cb') ?? '', /https/);
  assert.equal(redirectUriProblem('http://127.0.0.1:8080/cb'), undefined);
  assert.match(redirectUriProblem('http://cong.example/cb') ?? '', /https/);
  assert.match(redirectUriProblem('https://cong.example/cb#') ?? '', /fragment/);
  assert.match(redirectUriProblem('https://cong.example/cb#x') ?? '', /fragment/);
  assert.match(redirectUriProblem('https://:secret@cong.example/cb') ?? '', /credentials/);
  assert.match(redirectUriProblem('https://user@cong.example/cb') ?? '', /credentials/);
});
