/** Which page a path opens and who may enter it (web/src/routes.ts). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { accessTo, AREAS, homeOf, routeOf, signInPathFor, type Area } from '../../web/src/routes.js';

describe('routeOf', () => {
  it('names the public pages', () => {
    assert.deepEqual(routeOf('/'), { kind: 'public', page: 'landing', params: {} });
    assert.deepEqual(routeOf('/check/'), { kind: 'public', page: 'check', params: {} });
    assert.deepEqual(routeOf('/sign-in'), { kind: 'public', page: 'sign-in', params: {} });
    assert.deepEqual(routeOf('/sms-guide'), { kind: 'public', page: 'sms-guide', params: {} });
    assert.deepEqual(routeOf('/catalogue'), { kind: 'public', page: 'catalogue', params: {} });
    assert.deepEqual(routeOf('/nowhere'), { kind: 'public', page: 'not-found', params: {} });
  });
  it('opens the check page from the QR URLs, only for well-formed numbers', () => {
    assert.deepEqual(routeOf('/certificates/XNCMND-2026-AB12CD34/verification'), { kind: 'public', page: 'check', params: { number: 'XNCMND-2026-AB12CD34', document: 'certificate' } });
    assert.deepEqual(routeOf('/residence-confirmations/XNCTRU-2026-AB12CD34/verification'), { kind: 'public', page: 'check', params: { number: 'XNCTRU-2026-AB12CD34', document: 'residence-confirmation' } });
    assert.equal(routeOf('/certificates/nope/verification').kind, 'public');
    assert.equal((routeOf('/certificates/%E0%A4%A/verification') as { page: string }).page, 'not-found');
  });
  it('hands an area the rest of its path', () => {
    assert.deepEqual(routeOf('/citizen'), { kind: 'area', area: 'citizen', rest: '/' });
    assert.deepEqual(routeOf('/officer/queue/'), { kind: 'area', area: 'officer', rest: '/queue' });
    assert.equal(routeOf('/citizens').kind, 'public');
    fc.assert(fc.property(fc.constantFrom(...AREAS), fc.stringMatching(/^(\/[a-z0-9-]{1,8}){0,3}$/), (area, rest) => {
      assert.deepEqual(routeOf(`/${area}${rest}`), { kind: 'area', area, rest: rest || '/' });
    }));
  });
});

describe('accessTo (the role guard, as a matrix)', () => {
  const roles = [undefined, 'citizen', 'officer', 'admin', 'inspector', 'agency'] as const;
  const owner: Record<Area, string> = { citizen: 'citizen', officer: 'officer', ministry: 'admin', inspector: 'inspector', agency: 'agency' };
  for (const area of AREAS) {
    for (const role of roles) {
      const expected = role === undefined ? 'sign-in' : owner[area] === role ? 'enter' : 'forbidden';
      it(`${role ?? 'signed out'} → /${area}: ${expected}`, () => {
        assert.equal(accessTo(area, role), expected);
        assert.equal(accessTo(area, role, '/sign-in'), 'enter');
      });
    }
  }
  it('sends each role home and each area to its sign-in', () => {
    assert.equal(homeOf('admin'), '/ministry');
    assert.equal(homeOf('citizen'), '/citizen');
    assert.equal(homeOf('robot'), '/');
    assert.equal(signInPathFor('citizen'), '/citizen/sign-in');
    assert.equal(signInPathFor('officer'), '/sign-in');
  });
});
