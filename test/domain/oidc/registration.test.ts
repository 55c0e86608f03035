/** A relying party's registration checks (decision 0043): redirect URIs, sector host, claims. Pure. */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MAX_REDIRECT_URIS, claimPermissionsProblems, redirectUriProblem, redirectUrisProblems, sectorHostProblem } from '../../../src/domain/oidc/registration.js';

describe('redirect URIs', () => {
  test('https anywhere; plain http only to this machine', () => {
    assert.equal(redirectUriProblem('https://dichvucong.gov.vn/callback?x=1'), undefined);
    assert.equal(redirectUriProblem('http://127.0.0.1:8080/cb'), undefined);
    assert.equal(redirectUriProblem('http://localhost/cb'), undefined);
    assert.equal(redirectUriProblem('http://[::1]:3000/cb'), undefined);
    assert.match(redirectUriProblem('http://portal.gov.vn/cb')!, /https/);
    assert.match(redirectUriProblem('http://127.0.0.2/cb')!, /https/);
    assert.match(redirectUriProblem('http://localhost.evil.example/cb')!, /https/);
    assert.match(redirectUriProblem('javascript:alert(1)')!, /https/);
    assert.match(redirectUriProblem('custom-app://cb')!, /https/);
  });

  test('no fragment (even empty), no credentials, absolute, bounded', () => {
    assert.match(redirectUriProblem('https://a.vn/cb#frag')!, /fragment/);
    assert.match(redirectUriProblem('https://a.vn/cb#')!, /fragment/);
    assert.match(redirectUriProblem('https://u:p@a.vn/cb')!, /credentials/);
    assert.match(redirectUriProblem('https://u@a.vn/cb')!, /credentials/);
    assert.match(redirectUriProblem('/cb')!, /absolute/);
    assert.match(redirectUriProblem(`https://a.vn/${'x'.repeat(2000)}`)!, /2000/);
    assert.equal(redirectUriProblem(`https://a.vn/${'x'.repeat(1980)}`), undefined);
  });

  test('lists: at least one when asked, at most ten, none twice, each with its index', () => {
    assert.deepEqual(redirectUrisProblems('redirectUris', [], true), [{ field: 'redirectUris', message: 'at least one is needed' }]);
    assert.deepEqual(redirectUrisProblems('postLogoutRedirectUris', [], false), []);
    assert.deepEqual(redirectUrisProblems('r', ['https://a.vn/1', 'http://b.vn/2'], true), [{ field: 'r/1', message: 'must use https (plain http only to 127.0.0.1 or localhost)' }]);
    assert.deepEqual(redirectUrisProblems('r', ['https://a.vn/1', 'https://a.vn/1'], true), [{ field: 'r', message: 'a URI is listed twice' }]);
    const eleven = Array.from({ length: MAX_REDIRECT_URIS + 1 }, (_, i) => `https://a.vn/${i}`);
    assert.deepEqual(redirectUrisProblems('r', eleven, true), [{ field: 'r', message: 'at most 10' }]);
    assert.deepEqual(redirectUrisProblems('r', eleven.slice(1), true), []);
  });

  test('any https URL without fragment or credentials passes (property)', () => {
    fc.assert(fc.property(fc.webUrl({ validSchemes: ['https'], withFragments: false, withQueryParameters: true }), (u) => redirectUriProblem(u) === undefined || /credentials/.test(redirectUriProblem(u)!)));
  });
});

describe('the sector of a pairwise client', () => {
  test('one host (ports and paths may differ); two hosts refused', () => {
    assert.equal(sectorHostProblem(['https://a.vn/1', 'https://a.vn/2']), undefined);
    assert.equal(sectorHostProblem(['https://a.vn/1']), undefined);
    assert.equal(sectorHostProblem([]), undefined);
    assert.match(sectorHostProblem(['https://a.vn/1', 'https://b.vn/1'])!, /one host/);
    assert.match(sectorHostProblem(['https://a.vn/1', 'https://a.vn:8443/1'])!, /one host/);
  });
});

describe('claims a registration allows', () => {
  test('known, once, within the level', () => {
    assert.deepEqual(claimPermissionsProblems([{ claim: 'name', required: true }, { claim: 'personal_id', required: false }], 2), []);
    assert.deepEqual(claimPermissionsProblems([{ claim: 'personal_id', required: false }], 1), [{ field: 'claims/0/claim', message: '"personal_id" is a level-2 claim; the registration allows level 1' }]);
    assert.deepEqual(claimPermissionsProblems([{ claim: 'email', required: false }], 2), [{ field: 'claims/0/claim', message: 'unknown claim "email"' }]);
    assert.deepEqual(claimPermissionsProblems([{ claim: 'name', required: false }, { claim: 'name', required: true }], 1), [{ field: 'claims/1/claim', message: '"name" is listed twice' }]);
    assert.deepEqual(claimPermissionsProblems([], 1), []);
  });
});
