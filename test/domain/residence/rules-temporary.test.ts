/** Temporary registration (Art. 27–28) and its extension: 30 days, 2 years, 15-day window, consents. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { addDays } from '../../../src/domain/dates/day-arithmetic.js';
import { maxTemporaryResidenceEnd } from '../../../src/domain/residence/time-rules.js';
import { residencePolicyFrom } from '../../../src/domain/residence/policy.js';
import { checkExtension, checkTemporaryRegistration, type TemporaryRegistrationFacts } from '../../../src/domain/residence/rules.js';
import {
  addr, addressArb, anniversary, APPLICANT, assertViolations, codes, codeSet, consent, consentArb, consentFormOracle, consentKeys, DAY, dayArb,
  dobNear, keyed, keyedList, lawful, lawfulArb, minimumAge, NEEDS_OWNER, OWNER, person, registration, sameCommuneOracle, spanDays, STRANGER,
} from './residence-fixtures.js';

const home = addr('00004', '12 Hàng Bạc');
const away = addr('26734', 'Phòng 3, 45 Nguyễn Trãi');

function temp(over: Partial<TemporaryRegistrationFacts> = {}): TemporaryRegistrationFacts {
  return {
    day: DAY,
    applicant: person({ permanent: registration('permanent', home) }),
    address: away,
    validUntil: '2027-03-10',
    lawfulResidence: lawful('owned', APPLICANT),
    consents: [],
    ...over,
  };
}

describe('temporary registration: pinned examples', () => {
  test('a plain application by an adult owner passes', () => {
    assert.deepEqual(checkTemporaryRegistration(temp()), []);
  });

  test('Art. 27(1) obliges from 30 days and forbids nothing shorter: 1, 29 and 30 days are registered; a last day before the first is not a stay', () => {
    assert.deepEqual(checkTemporaryRegistration(temp({ validUntil: DAY })), []);
    assert.deepEqual(checkTemporaryRegistration(temp({ validUntil: '2026-04-07' })), []);
    assert.deepEqual(checkTemporaryRegistration(temp({ validUntil: '2026-04-08' })), []);
    assert.deepEqual(keyed(checkTemporaryRegistration(temp({ validUntil: '2026-03-09' }))), ['VALIDATION_FAILED@validUntil']);
  });

  test('a minimum stay is policy: with 30 days configured, 29 days (day before) is refused, 30 (the day) and 31 (day after) pass', () => {
    const policy = residencePolicyFrom({ minTemporaryStayDays: 30 });
    assert.deepEqual(keyed(checkTemporaryRegistration(temp({ validUntil: '2026-04-07', policy }))), ['STAY_TOO_SHORT@validUntil']);
    assert.deepEqual(checkTemporaryRegistration(temp({ validUntil: '2026-04-08', policy })), []);
    assert.deepEqual(checkTemporaryRegistration(temp({ validUntil: '2026-04-09', policy })), []);
    assert.deepEqual(codes(checkTemporaryRegistration(temp({ validUntil: '2026-03-09', policy }))), ['VALIDATION_FAILED']);
    assert.deepEqual(checkTemporaryRegistration(temp({ validUntil: '2026-04-07', policy })).map((x) => x.message), ['By this registry\'s policy a temporary registration is for stays of 30 days or more']);
    assert.deepEqual(checkTemporaryRegistration(temp({ validUntil: '2026-03-09' })).map((x) => x.message), ['The last valid day is before the registration starts']);
  });

  test('at most 2 years: through the 2nd anniversary of the start; a 29 February start ends on 28 February', () => {
    assert.deepEqual(checkTemporaryRegistration(temp({ validUntil: '2028-03-10' })), []);
    assert.deepEqual(keyed(checkTemporaryRegistration(temp({ validUntil: '2028-03-11' }))), ['TEMPORARY_VALIDITY_TOO_LONG@validUntil']);
    assert.deepEqual(checkTemporaryRegistration(temp({ day: '2024-02-29', validUntil: '2026-02-28' })), []);
    assert.deepEqual(codes(checkTemporaryRegistration(temp({ day: '2024-02-29', validUntil: '2026-03-01' }))), ['TEMPORARY_VALIDITY_TOO_LONG']);
  });

  test('not in the commune of permanent residence (any house there); without a permanent registration any commune', () => {
    assert.deepEqual(keyed(checkTemporaryRegistration(temp({ address: addr('00004', '99 Hàng Bạc') }))), ['SAME_COMMUNE_AS_PERMANENT@address']);
    assert.deepEqual(checkTemporaryRegistration(temp({ address: addr('00004'), applicant: person() })), []);
  });

  test('the commune is the unit list and the code: 00004 before the 2025 reform is another commune than 00004 after it', () => {
    const oldList = { unitSet: 'pre2025' as const, unitCode: '00004', detail: '99 Hàng Bạc' };
    assert.deepEqual(checkTemporaryRegistration(temp({ address: oldList })), []);
    const registeredOnOldList = person({ permanent: registration('permanent', { unitSet: 'pre2025', unitCode: '00004', detail: '12 Hàng Bạc' }) });
    assert.deepEqual(checkTemporaryRegistration(temp({ applicant: registeredOnOldList, address: addr('00004', '12 Hàng Bạc') })), []);
    assert.deepEqual(keyed(checkTemporaryRegistration(temp({ applicant: registeredOnOldList, address: oldList }))), ['SAME_COMMUNE_AS_PERMANENT@address']);
    // the country and the house do not matter for this rule
    assert.deepEqual(codes(checkTemporaryRegistration(temp({ address: { country: 'VN', unitSet: '2025', unitCode: '00004' } }))), ['SAME_COMMUNE_AS_PERMANENT']);
  });

  test('minors need a parent or guardian, read from the latest possible birthday', () => {
    const minor = (dateOfBirth: string) => temp({ applicant: person({ dateOfBirth }) });
    assert.deepEqual(keyed(checkTemporaryRegistration(minor('2008'))), ['CONSENT_REQUIRED@consents']);
    assert.deepEqual(codes(checkTemporaryRegistration(minor('2008-03'))), ['CONSENT_REQUIRED']);
    assert.deepEqual(codes(checkTemporaryRegistration(minor('2008-03-11'))), ['CONSENT_REQUIRED']);
    assert.deepEqual(checkTemporaryRegistration(minor('2008-03-10')), []);
    assert.deepEqual(checkTemporaryRegistration({ ...minor('2008'), consents: [consent('parent_guardian', STRANGER)] }), []);
    // an owner's consent is not a parent's
    assert.deepEqual(codes(checkTemporaryRegistration({ ...minor('2008'), consents: [consent('owner', STRANGER)] })), ['CONSENT_REQUIRED']);
  });

  test('rented, borrowed or a relative\'s dwelling: the owner consents, the named owner when known', () => {
    for (const kind of ['rented', 'borrowed', 'relative_dwelling'] as const) {
      assert.deepEqual(codes(checkTemporaryRegistration(temp({ lawfulResidence: lawful(kind, OWNER) }))), ['CONSENT_REQUIRED'], kind);
      assert.deepEqual(checkTemporaryRegistration(temp({ lawfulResidence: lawful(kind, OWNER), consents: [consent('owner', OWNER)] })), [], kind);
      assert.deepEqual(
        codes(checkTemporaryRegistration(temp({ lawfulResidence: lawful(kind, OWNER), consents: [consent('owner', STRANGER)] }))),
        ['CONSENT_FROM_WRONG_PERSON'],
        kind,
      );
      assert.deepEqual(checkTemporaryRegistration(temp({ lawfulResidence: lawful(kind), consents: [consent('owner')] })), [], kind);
      assert.deepEqual(checkTemporaryRegistration(temp({ lawfulResidence: lawful(kind, APPLICANT) })), [], `${kind} owned by the applicant`);
    }
    for (const kind of ['religious_facility', 'care_facility', 'vehicle_or_boat', 'military_unit'] as const) {
      assert.deepEqual(checkTemporaryRegistration(temp({ lawfulResidence: lawful(kind, OWNER) })), [], kind);
    }
  });

  test('Art. 28(1): a dwelling recorded as owned by someone else needs that owner\'s consent; owned by the applicant or with no owner named, none', () => {
    assert.deepEqual(keyed(checkTemporaryRegistration(temp({ lawfulResidence: lawful('owned', OWNER) }))), ['CONSENT_REQUIRED@consents']);
    assert.deepEqual(checkTemporaryRegistration(temp({ lawfulResidence: lawful('owned', OWNER), consents: [consent('owner', OWNER)] })), []);
    assert.deepEqual(codes(checkTemporaryRegistration(temp({ lawfulResidence: lawful('owned', OWNER), consents: [consent('owner', STRANGER)] }))), ['CONSENT_FROM_WRONG_PERSON']);
    assert.deepEqual(checkTemporaryRegistration(temp({ lawfulResidence: lawful('owned', APPLICANT) })), []);
    assert.deepEqual(checkTemporaryRegistration(temp({ lawfulResidence: lawful('owned') })), []);
  });

  test('Art. 27(3): no new temporary registration at a place in the Art. 23 category', () => {
    const place = { ground: 'demolition_ordered' as const, decision: 'QĐ 12/QĐ-UBND ngày 01/02/2026' };
    assert.deepEqual(keyed(checkTemporaryRegistration(temp({ prohibitedPlace: place }))), ['PLACE_NOT_REGISTRABLE@address']);
    assert.deepEqual(checkTemporaryRegistration(temp({})), []);
  });

  test('an e-ID consent must name its giver', () => {
    const got = checkTemporaryRegistration(temp({ lawfulResidence: lawful('rented'), consents: [consent('owner', undefined, 'eid_app')] }));
    assert.deepEqual(keyedList(got), ['CONSENT_INCOMPLETE@consents/0/personalId']);
  });

  test('deceased or missing applicants are refused', () => {
    assert.deepEqual(codes(checkTemporaryRegistration(temp({ applicant: person({ dead: true }) }))), ['CITIZEN_DECEASED']);
    assert.deepEqual(codes(checkTemporaryRegistration(temp({ applicant: person({ missing: true }) }))), ['CITIZEN_MISSING']);
  });

  test('each violation is reported once, even when several consents are checked', () => {
    // a minor in a rented room, with one e-ID consent that names nobody: the owner and the parent
    // checks both look at the consents, but the incomplete consent is one fault.
    const got = checkTemporaryRegistration(
      temp({ applicant: person({ dateOfBirth: '2010' }), lawfulResidence: lawful('rented', OWNER), consents: [consent('parent_guardian', undefined, 'eid_app')] }),
    );
    assert.deepEqual(keyedList(got), ['CONSENT_INCOMPLETE@consents/0/personalId', 'CONSENT_REQUIRED@consents']);
    const two = checkTemporaryRegistration(
      temp({ lawfulResidence: lawful('rented', OWNER), consents: [consent('owner', undefined, 'eid_app'), consent('owner', OWNER), consent('parent_guardian', undefined, 'eid_app')] }),
    );
    assert.deepEqual(keyedList(two), ['CONSENT_INCOMPLETE@consents/0/personalId', 'CONSENT_INCOMPLETE@consents/2/personalId']);
  });

  test('an e-ID consent that names nobody is reported even when no consent is needed', () => {
    const got = checkTemporaryRegistration(temp({ consents: [consent('owner', undefined, 'eid_app')] }));
    assert.deepEqual(keyedList(got), ['CONSENT_INCOMPLETE@consents/0/personalId']);
  });

  test('the consent-form violations come first, right after the life violations', () => {
    const got = checkTemporaryRegistration(temp({
      applicant: person({ dead: true, dateOfBirth: '2012', permanent: registration('permanent', home) }),
      address: addr('00004'),
      validUntil: DAY,
      lawfulResidence: lawful('rented', OWNER),
      consents: [consent('owner', STRANGER), consent('household_head', undefined, 'eid_app')],
    }));
    assert.deepEqual(keyedList(got).slice(0, 2), ['CITIZEN_DECEASED@personalId', 'CONSENT_INCOMPLETE@consents/1/personalId']);
    assert.deepEqual(keyedList(got).slice(2).sort(), [
      'CONSENT_FROM_WRONG_PERSON@consents', 'CONSENT_REQUIRED@consents', 'SAME_COMMUNE_AS_PERMANENT@address',
    ]);
    assert.equal(codes(checkTemporaryRegistration(temp({ validUntil: DAY, consents: [consent('owner', undefined, 'eid_app')] })))[0], 'CONSENT_INCOMPLETE');
  });
});

describe('temporary registration: properties', () => {
  const ids = [APPLICANT, OWNER, STRANGER];
  const factsArb = dayArb.chain((day) =>
    fc.record({
      day: fc.constant(day),
      k: fc.integer({ min: -40, max: 800 }),
      minStay: fc.constantFrom(0, 0, 1, 30, 31),
      dob: dobNear(day),
      dead: fc.boolean(),
      missing: fc.boolean(),
      permanent: fc.option(addressArb, { nil: undefined }),
      address: addressArb,
      lawfulResidence: lawfulArb(ids),
      consents: fc.array(consentArb(ids), { maxLength: 4 }),
    }),
  );

  test('violations = oracle: 30 days, 2 years, commune, owner and parent consents, life', () => {
    fc.assert(
      fc.property(factsArb, (g) => {
        const validUntil = addDays(g.day, g.k);
        const applicant = person({
          dateOfBirth: g.dob, dead: g.dead, missing: g.missing,
          ...(g.permanent ? { permanent: registration('permanent', g.permanent) } : {}),
        });
        const policy = residencePolicyFrom({ minTemporaryStayDays: g.minStay });
        const got = checkTemporaryRegistration({ day: g.day, applicant, address: g.address, validUntil, lawfulResidence: g.lawfulResidence, consents: g.consents, policy });

        // first the life and consent-form violations, in this order; then the rest in any order
        const first: string[] = [];
        if (g.dead) first.push('CITIZEN_DECEASED@personalId');
        else if (g.missing) first.push('CITIZEN_MISSING@personalId');
        first.push(...consentFormOracle(g.consents));
        const rest: string[] = [];
        const stay = spanDays(g.day, validUntil);
        if (validUntil < g.day) rest.push('VALIDATION_FAILED@validUntil');
        else if (stay < g.minStay) rest.push('STAY_TOO_SHORT@validUntil');
        else if (validUntil > anniversary(g.day, 2)) rest.push('TEMPORARY_VALIDITY_TOO_LONG@validUntil');
        if (g.permanent && sameCommuneOracle(g.permanent, g.address)) rest.push('SAME_COMMUNE_AS_PERMANENT@address');
        const ownedByOther = g.lawfulResidence.kind === 'owned' && g.lawfulResidence.ownerPersonalId !== undefined;
        if ((NEEDS_OWNER.has(g.lawfulResidence.kind) || ownedByOther) && g.lawfulResidence.ownerPersonalId !== APPLICANT) {
          rest.push(...consentKeys(g.consents, 'owner', g.lawfulResidence.ownerPersonalId));
        }
        if (minimumAge(g.dob, g.day) < 18) rest.push(...consentKeys(g.consents, 'parent_guardian', undefined));
        assertViolations(got, first, rest, JSON.stringify(g));
      }),
      { numRuns: 400 },
    );
  });

  test('the 2-year limit: for any start, the last allowed day is the 2nd anniversary, one day more is refused', () => {
    fc.assert(
      fc.property(dayArb, (day) => {
        const last = anniversary(day, 2);
        assert.equal(maxTemporaryResidenceEnd(day), last);
        assert.deepEqual(checkTemporaryRegistration(temp({ day, validUntil: last })), []);
        assert.deepEqual(codes(checkTemporaryRegistration(temp({ day, validUntil: addDays(last, 1) }))), ['TEMPORARY_VALIDITY_TOO_LONG']);
        assert.deepEqual(checkTemporaryRegistration(temp({ day, validUntil: day })), []);
        assert.deepEqual(codes(checkTemporaryRegistration(temp({ day, validUntil: addDays(day, -1) }))), ['VALIDATION_FAILED']);
      }),
    );
  });
});

// ---------------------------------------------------------------- extension

const withTemporary = (validUntil: string | undefined) =>
  person({ temporary: registration('temporary', away, validUntil === undefined ? {} : { validUntil }) });

describe('extension (gia hạn tạm trú): pinned examples', () => {
  const end = '2026-03-10';
  const ext = (day: string, validUntil: string, applicant = withTemporary(end)) => checkExtension({ day, applicant, validUntil });

  test('filed within the 15 days before expiry, through the last valid day', () => {
    assert.deepEqual(keyed(ext('2026-02-22', '2027-03-10')), ['EXTENSION_WINDOW_CLOSED@personalId']);
    assert.deepEqual(ext('2026-02-23', '2027-03-10'), []);
    assert.deepEqual(ext('2026-03-10', '2027-03-10'), []);
    assert.deepEqual(codes(ext('2025-06-01', '2027-03-10')), ['EXTENSION_WINDOW_CLOSED']);
  });

  test('nothing to extend once expired, or without a temporary registration with a last day', () => {
    assert.deepEqual(keyed(ext('2026-03-11', '2027-03-10')), ['NO_ACTIVE_TEMPORARY_RESIDENCE@personalId']);
    assert.deepEqual(codes(ext('2026-03-01', '2027-03-10', person())), ['NO_ACTIVE_TEMPORARY_RESIDENCE']);
    assert.deepEqual(codes(ext('2026-03-01', '2027-03-10', withTemporary(undefined))), ['NO_ACTIVE_TEMPORARY_RESIDENCE']);
  });

  test('the new last day is after the current one and at most 2 years after it', () => {
    assert.deepEqual(keyed(ext('2026-03-01', end)), ['VALIDATION_FAILED@validUntil']);
    assert.deepEqual(codes(ext('2026-03-01', '2026-03-09')), ['VALIDATION_FAILED']);
    assert.deepEqual(ext('2026-03-01', '2026-03-11'), []);
    // The extension is a new period from the day after the current end (11 March 2026), held to
    // the 2-year rule of a registration starting that day: its 2nd anniversary is the last allowed.
    assert.deepEqual(ext('2026-03-01', '2028-03-11'), []);
    assert.deepEqual(keyed(ext('2026-03-01', '2028-03-12')), ['TEMPORARY_VALIDITY_TOO_LONG@validUntil']);
    // Current end 28 February 2024: the new period starts on 29 February, so it ends by 28 February 2026.
    const leap = withTemporary('2024-02-28');
    assert.deepEqual(checkExtension({ day: '2024-02-20', applicant: leap, validUntil: '2026-02-28' }), []);
    assert.deepEqual(codes(checkExtension({ day: '2024-02-20', applicant: leap, validUntil: '2026-03-01' })), ['TEMPORARY_VALIDITY_TOO_LONG']);
  });

  test('deceased or missing holders are refused; the window and the new day are still checked', () => {
    const dead = person({ ...withTemporary(end), dead: true });
    assert.deepEqual(codes(checkExtension({ day: '2026-03-01', applicant: dead, validUntil: '2027-01-01' })), ['CITIZEN_DECEASED']);
    assert.deepEqual(
      codeSet(checkExtension({ day: '2026-01-01', applicant: person({ ...withTemporary(end), missing: true }), validUntil: end })),
      ['CITIZEN_MISSING', 'EXTENSION_WINDOW_CLOSED', 'VALIDATION_FAILED'],
    );
  });
});

describe('extension: properties', () => {
  test('violations = oracle over the current end, the filing day and the new end', () => {
    fc.assert(
      fc.property(
        dayArb,
        fc.integer({ min: -40, max: 5 }),
        fc.integer({ min: -10, max: 800 }),
        fc.constantFrom('active', 'none', 'open_ended'),
        (end, j, m, shape) => {
          const day = addDays(end, j);
          const validUntil = addDays(end, m);
          const applicant = shape === 'none' ? person() : withTemporary(shape === 'active' ? end : undefined);
          const got = codeSet(checkExtension({ day, applicant, validUntil }));
          const expected: string[] = [];
          if (shape !== 'active' || end < day) {
            expected.push('NO_ACTIVE_TEMPORARY_RESIDENCE');
          } else {
            if (spanDays(day, end) > 16) expected.push('EXTENSION_WINDOW_CLOSED');
            if (validUntil <= end) expected.push('VALIDATION_FAILED');
            else if (validUntil > anniversary(addDays(end, 1), 2)) expected.push('TEMPORARY_VALIDITY_TOO_LONG');
          }
          assert.deepEqual(got, expected.sort());
        },
      ),
      { numRuns: 300 },
    );
  });

  test('renewable any number of times: a chain of maximal extensions, each filed on its first allowed day, always passes', () => {
    fc.assert(
      fc.property(dayArb, fc.integer({ min: 1, max: 6 }), (start, times) => {
        let end = maxTemporaryResidenceEnd(start);
        for (let i = 0; i < times; i++) {
          const next = maxTemporaryResidenceEnd(addDays(end, 1));
          assert.deepEqual(checkExtension({ day: addDays(end, -15), applicant: withTemporary(end), validUntil: next }), []);
          end = next;
        }
      }),
    );
  });
});
