/** What the OpenID Connect provider releases (decision 0043): levels, acr, demands, consent, releases. Pure. */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  ACR_LEVEL1,
  ACR_LEVEL2,
  CLAIM_LEVELS,
  CLAIM_NAMES,
  CLAIM_WORDS,
  SCOPE_CLAIMS,
  acrOf,
  claimsOfLevel,
  consentItems,
  consentOutcome,
  demandedLevel,
  isClaimName,
  levelOfAcr,
  parseClaimsParameter,
  releasedClaims,
  requestedClaims,
  type ClaimName,
} from '../../../src/domain/oidc/claims.js';

const claim = fc.constantFrom(...CLAIM_NAMES);
const level = fc.constantFrom(1 as const, 2 as const);
const scopeWord = fc.constantFrom('openid', 'profile', 'personal_id', 'residence', 'household', 'card', 'offline_access', 'email');

describe('levels and acr', () => {
  test('acr names the level and back; unknown values name none', () => {
    assert.equal(acrOf(1), ACR_LEVEL1);
    assert.equal(acrOf(2), ACR_LEVEL2);
    assert.equal(levelOfAcr(ACR_LEVEL1), 1);
    assert.equal(levelOfAcr(ACR_LEVEL2), 2);
    assert.equal(levelOfAcr('urn:dancu:eid:level3'), undefined);
    assert.equal(levelOfAcr(''), undefined);
  });

  test('level 1 carries name, birthdate, gender; level 2 everything', () => {
    assert.deepEqual(claimsOfLevel(1), ['name', 'birthdate', 'gender']);
    assert.deepEqual(claimsOfLevel(2), CLAIM_NAMES);
    assert.deepEqual(CLAIM_NAMES, ['name', 'birthdate', 'gender', 'personal_id', 'permanent_residence', 'current_residence', 'household', 'card_status']);
  });

  test('every claim has Vietnamese and English words; names are recognised exactly', () => {
    for (const c of CLAIM_NAMES) {
      assert.ok(CLAIM_WORDS[c].vi.length > 3 && CLAIM_WORDS[c].en.length > 3);
      assert.ok(isClaimName(c));
    }
    assert.equal(isClaimName('toString'), false);
    assert.equal(isClaimName('Name'), false);
    assert.equal(isClaimName('sub'), false);
  });
});

describe('the claims parameter', () => {
  test('objects of id_token / userinfo are read; anything else asks nothing', () => {
    assert.deepEqual(parseClaimsParameter('{"id_token":{"acr":null},"userinfo":{"name":null}}'), { id_token: { acr: null }, userinfo: { name: null } });
    assert.deepEqual(parseClaimsParameter('{"id_token":[1],"userinfo":null}'), {});
    for (const bad of [undefined, '', 'null', '[]', '{', 42, '"x"']) assert.deepEqual(parseClaimsParameter(bad), {});
  });

  test('any text parses without throwing (property)', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.json()), (t) => typeof parseClaimsParameter(t) === 'object'));
  });
});

describe('the level a request demands', () => {
  test('acr_values listing only level 2 demands 2; listing both, 1; none or unknown, 1', () => {
    assert.equal(demandedLevel(ACR_LEVEL2, {}), 2);
    assert.equal(demandedLevel(`${ACR_LEVEL2} ${ACR_LEVEL1}`, {}), 1);
    assert.equal(demandedLevel(`  ${ACR_LEVEL2}  `, {}), 2);
    assert.equal(demandedLevel(undefined, {}), 1);
    assert.equal(demandedLevel('urn:other', {}), 1);
    assert.equal(demandedLevel(`urn:other ${ACR_LEVEL2}`, {}), 2);
  });

  test('the essential acr claim: value or values; a voluntary one demands nothing', () => {
    assert.equal(demandedLevel(undefined, { id_token: { acr: { essential: true, values: [ACR_LEVEL2] } } }), 2);
    assert.equal(demandedLevel(undefined, { id_token: { acr: { essential: true, value: ACR_LEVEL2 } } }), 2);
    assert.equal(demandedLevel(undefined, { id_token: { acr: { essential: true, values: [ACR_LEVEL1, ACR_LEVEL2] } } }), 1);
    assert.equal(demandedLevel(undefined, { id_token: { acr: { values: [ACR_LEVEL2] } } }), 1);
    assert.equal(demandedLevel(undefined, { id_token: { acr: { essential: 'yes', values: [ACR_LEVEL2] } } }), 1);
    assert.equal(demandedLevel(undefined, { id_token: { acr: [ACR_LEVEL2] } }), 1);
    assert.equal(demandedLevel(undefined, { userinfo: { acr: { essential: true, values: [ACR_LEVEL2] } } }), 1);
    assert.equal(demandedLevel(ACR_LEVEL1, { id_token: { acr: { essential: true, values: [ACR_LEVEL2] } } }), 1);
  });

  test('the demand is the lowest level listed (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(ACR_LEVEL1, ACR_LEVEL2, 'urn:x', 'level2'), { maxLength: 5 }), (values) => {
        const known = values.map(levelOfAcr).filter((l) => l !== undefined);
        const want = known.length === 0 ? 1 : Math.min(...known);
        return demandedLevel(values.join(' '), {}) === want && demandedLevel(undefined, { id_token: { acr: { essential: true, values } } }) === want;
      }),
    );
  });
});

describe('what a request asks for', () => {
  test('scopes and the claims parameter, in catalogue order, once', () => {
    assert.deepEqual(requestedClaims('openid profile', {}), ['name', 'birthdate', 'gender']);
    assert.deepEqual(requestedClaims('openid residence card', { userinfo: { personal_id: null, sub: null, email: null } }), ['personal_id', 'permanent_residence', 'current_residence', 'card_status']);
    assert.deepEqual(requestedClaims('openid', { id_token: { household: { essential: true } } }), ['household']);
    assert.deepEqual(requestedClaims('', {}), []);
  });

  test('exactly the union of the scopes\' claims and the parameter\'s known names (property)', () => {
    fc.assert(
      fc.property(fc.array(scopeWord, { maxLength: 6 }), fc.array(claim, { maxLength: 4 }), (scopes, named) => {
        const got = requestedClaims(scopes.join(' '), { userinfo: Object.fromEntries(named.map((n) => [n, null])) });
        const want = new Set<ClaimName>([...scopes.flatMap((s) => SCOPE_CLAIMS[s] ?? []), ...named]);
        return got.length === want.size && got.every((c) => want.has(c));
      }),
    );
  });
});

describe('the consent page', () => {
  const allowed = [
    { claim: 'name' as const, required: true },
    { claim: 'gender' as const, required: false },
    { claim: 'personal_id' as const, required: false },
    { claim: 'household' as const, required: true },
  ];

  test('asked ∩ allowed, at the level; a required claim above the level is missing', () => {
    assert.deepEqual(consentItems(['name', 'birthdate', 'gender', 'personal_id'], allowed, 2), { items: [{ claim: 'name', required: true }, { claim: 'gender', required: false }, { claim: 'personal_id', required: false }], missingRequired: [] });
    assert.deepEqual(consentItems(['name', 'personal_id', 'household'], allowed, 1), { items: [{ claim: 'name', required: true }], missingRequired: ['household'] });
    assert.deepEqual(consentItems(['birthdate'], allowed, 2), { items: [], missingRequired: [] });
  });

  test('approve with the ticks; a required one unticked or a refusal denies', () => {
    const items = [
      { claim: 'name' as const, required: true },
      { claim: 'gender' as const, required: false },
      { claim: 'birthdate' as const, required: false },
    ];
    assert.deepEqual(consentOutcome(items, 'approve', ['name', 'birthdate']), { denied: false, granted: ['name', 'birthdate'], declined: ['gender'] });
    assert.deepEqual(consentOutcome(items, 'approve', ['gender', 'birthdate']), { denied: true, reason: 'required-declined' });
    assert.deepEqual(consentOutcome(items, 'deny', ['name']), { denied: true, reason: 'cancelled' });
    assert.deepEqual(consentOutcome(items, 'APPROVE', ['name']), { denied: true, reason: 'cancelled' });
    assert.deepEqual(consentOutcome([], 'approve', []), { denied: false, granted: [], declined: [] });
    assert.deepEqual(consentOutcome(items, 'approve', ['name', 'name', 'personal_id']), { denied: false, granted: ['name'], declined: ['gender', 'birthdate'] });
  });

  test('granted and declined split the items; denied exactly when a required one is not ticked (property)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(claim, { maxLength: 8 }), fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }), fc.array(claim, { maxLength: 8 }), (names, req, ticked) => {
        const items = names.map((c, i) => ({ claim: c, required: req[i]! }));
        const o = consentOutcome(items, 'approve', ticked);
        const mustDeny = items.some((i) => i.required && !ticked.includes(i.claim));
        if (o.denied) return mustDeny;
        return !mustDeny && o.granted.length + o.declined.length === items.length && o.granted.every((c) => ticked.includes(c)) && o.declined.every((c) => !ticked.includes(c));
      }),
    );
  });
});

describe('a release', () => {
  const all = CLAIM_NAMES;
  test('the ID token: only what the claims parameter asks of it; UserInfo: the scopes\' claims too', () => {
    assert.deepEqual(releasedClaims('id_token', 'openid profile', { name: null }, all, 2, []), ['name']);
    assert.deepEqual(releasedClaims('id_token', 'openid profile', undefined, all, 2, []), []);
    assert.deepEqual(releasedClaims('userinfo', 'openid profile', { card_status: null }, all, 2, []), ['name', 'birthdate', 'gender', 'card_status']);
  });

  test('never beyond the registration, the level, or what was declined', () => {
    assert.deepEqual(releasedClaims('userinfo', 'openid profile personal_id', undefined, ['name', 'personal_id'], 2, []), ['name', 'personal_id']);
    assert.deepEqual(releasedClaims('userinfo', 'openid profile personal_id', undefined, all, 1, []), ['name', 'birthdate', 'gender']);
    assert.deepEqual(releasedClaims('userinfo', 'openid profile', undefined, all, 2, ['birthdate']), ['name', 'gender']);
  });

  test('a release is a subset of allowed ∩ level − rejected (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom('id_token' as const, 'userinfo' as const), fc.array(scopeWord, { maxLength: 5 }), fc.array(claim, { maxLength: 5 }), fc.array(claim, { maxLength: 8 }), level, fc.array(claim, { maxLength: 3 }), (use, scopes, asked, allowed, lv, rejected) => {
        const out = releasedClaims(use, scopes.join(' '), Object.fromEntries(asked.map((a) => [a, null])), allowed, lv, rejected);
        const fromScopes = use === 'userinfo' ? scopes.flatMap((s) => SCOPE_CLAIMS[s] ?? []) : [];
        return out.every((c) => allowed.includes(c) && CLAIM_LEVELS[c] <= lv && !rejected.includes(c) && (asked.includes(c) || fromScopes.includes(c)));
      }),
    );
  });
});
