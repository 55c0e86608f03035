/** Residence rules, building blocks: age and capacity, day counts, consents; stay notice and absence declaration. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { addDays } from '../../../src/domain/dates/day-arithmetic.js';
import { ABSENCE_GROUNDS, type AbsenceGround, type ConsentRole } from '../../../src/domain/residence/procedures.js';
import type { Address } from '../../../src/domain/citizen/citizen.js';
import type { MemberFacts } from '../../../src/domain/residence/household.js';
import {
  checkAbsenceDeclaration,
  checkStayNotice,
  completedYears,
  consentFormViolations,
  consentViolations,
  daysFrom,
  FULL_AGE,
  hasFullCivilCapacity,
  headCapacityViolations,
  sameAddress,
} from '../../../src/domain/residence/rules.js';
import {
  addr, addressArb, anniversary, APPLICANT, capableOracle, codes, codeSet, consent, consentArb, consentFormOracle, consentOracle, DAY, dayArb,
  dayNumber, dobNear, HEAD, headCapacityOracle, keyed, keyedList, member, MEMBER, minimumAge, nonHeadRelationshipArb, OWNER, person,
  registration, sameAddressOracle, spanDays, STRANGER, truncate,
} from './residence-fixtures.js';

describe('completedYears: partial dates of birth read from their latest possible day', () => {
  test('pinned: year-only, month-only and full dates around the 18th birthday', () => {
    assert.equal(completedYears('2008', '2026-12-30'), 17);
    assert.equal(completedYears('2008', '2026-12-31'), 18);
    assert.equal(completedYears('2008-03', '2026-03-30'), 17);
    assert.equal(completedYears('2008-03', '2026-03-31'), 18);
    assert.equal(completedYears('2008-03-10', '2026-03-09'), 17);
    assert.equal(completedYears('2008-03-10', '2026-03-10'), 18);
    // February of a leap year ends on the 29th; that birthday falls on 28 February in common years.
    assert.equal(completedYears('2008-02', '2026-02-27'), 17);
    assert.equal(completedYears('2008-02', '2026-02-28'), 18);
    assert.equal(completedYears('2008-02-29', '2026-02-28'), 18);
    assert.equal(completedYears('2008-02-29', '2026-02-27'), 17);
    assert.equal(completedYears('2006-02', '2024-02-28'), 18);
  });

  test('property: equals the least age any possible birthday gives (independent oracle)', () => {
    fc.assert(
      fc.property(dayArb.chain((day) => fc.tuple(fc.constant(day), dobNear(day))), ([day, dob]) => {
        assert.equal(completedYears(dob, day), minimumAge(dob, day), `${dob} on ${day}`);
      }),
      { numRuns: 300 },
    );
  });

  test('property: never decreasing in the day, and a coarser date never gives more years', () => {
    fc.assert(
      fc.property(dayArb, fc.integer({ min: 0, max: 400 }), fc.integer({ min: 10 * 365, max: 30 * 365 }), (day, k, back) => {
        const dob = addDays(day, -back);
        assert.ok(completedYears(dob, day) <= completedYears(dob, addDays(day, k)));
        assert.ok(completedYears(truncate(dob, 'month'), day) <= completedYears(dob, day));
        assert.ok(completedYears(truncate(dob, 'year'), day) <= completedYears(truncate(dob, 'month'), day));
      }),
    );
  });

  test('property: full dates turn 18 exactly on the 18th anniversary', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 365 * 30 }), (k) => {
        const dob = addDays('1990-01-01', k);
        const birthday = anniversary(dob, FULL_AGE);
        assert.equal(completedYears(dob, birthday), 18);
        assert.equal(completedYears(dob, addDays(birthday, -1)), 17);
      }),
    );
  });
});

describe('hasFullCivilCapacity', () => {
  test('pinned: of age and neither dead nor missing', () => {
    assert.equal(hasFullCivilCapacity({ dateOfBirth: '2008-03-10', dead: false }, DAY), true);
    assert.equal(hasFullCivilCapacity({ dateOfBirth: '2008-03-11', dead: false }, DAY), false);
    assert.equal(hasFullCivilCapacity({ dateOfBirth: '2008-03', dead: false }, DAY), false);
    assert.equal(hasFullCivilCapacity({ dateOfBirth: '1950', dead: true }, DAY), false);
    assert.equal(hasFullCivilCapacity({ dateOfBirth: '1950', dead: false, missing: true }, DAY), false);
    assert.equal(hasFullCivilCapacity({ dateOfBirth: '1950', dead: false, missing: false }, DAY), true);
  });

  test('property: iff alive, not missing and at least 18 by the conservative age', () => {
    fc.assert(
      fc.property(dayArb.chain((d) => fc.tuple(fc.constant(d), dobNear(d))), fc.boolean(), fc.option(fc.boolean(), { nil: undefined }), ([day, dob], dead, missing) => {
        assert.equal(hasFullCivilCapacity({ dateOfBirth: dob, dead, missing }, day), !dead && missing !== true && minimumAge(dob, day) >= 18);
      }),
      { numRuns: 200 },
    );
  });
});

describe('daysFrom: days of stay, both ends counted', () => {
  test('pinned', () => {
    assert.equal(daysFrom(DAY, DAY), 1);
    assert.equal(daysFrom('2026-03-01', '2026-03-30'), 30);
    assert.equal(daysFrom('2026-03-02', '2026-03-01'), 0);
    assert.equal(daysFrom('2020-01-01', '2019-01-01'), 0);
    assert.equal(daysFrom('2024-02-28', '2024-03-01'), 3);
    assert.equal(daysFrom('2023-02-28', '2023-03-01'), 2);
    assert.equal(daysFrom('2023-12-31', '2024-01-01'), 2);
    // long spans are exact too: 2020–2029 holds three leap days (2020, 2024, 2028)
    assert.equal(daysFrom('2020-01-01', '2029-12-31'), 3653);
    assert.equal(daysFrom('2000-01-01', '2099-12-31'), 36_525);
    assert.equal(daysFrom('2100-01-01', '2199-12-31'), 36_524);
  });

  test('the day-ordinal oracle itself: consecutive days differ by one, and years have 365 or 366 days', () => {
    assert.equal(dayNumber('0001-01-01'), 1);
    assert.equal(dayNumber('2024-03-01') - dayNumber('2024-02-28'), 2);
    assert.equal(dayNumber('2100-03-01') - dayNumber('2100-02-28'), 1);
    assert.equal(dayNumber('2001-01-01') - dayNumber('2000-01-01'), 366);
    fc.assert(fc.property(dayArb, (d) => assert.equal(dayNumber(addDays(d, 1)), dayNumber(d) + 1)), { numRuns: 200 });
  });

  test('property: equals the day-ordinal span for any span, short or many years long', () => {
    fc.assert(
      fc.property(dayArb, fc.oneof(fc.integer({ min: -10, max: 800 }), fc.integer({ min: -40_000, max: 40_000 })), (from, k) => {
        const to = addDays(from, k);
        assert.equal(daysFrom(from, to), spanDays(from, to), `${from} → ${to}`);
        assert.equal(daysFrom(from, to), k < 0 ? 0 : k + 1);
      }),
      { numRuns: 400 },
    );
  });
});

describe('consentViolations: one required consent', () => {
  test('pinned: missing, from the wrong person, from the right one', () => {
    assert.deepEqual(keyed(consentViolations([], 'owner', OWNER, 'x')), ['CONSENT_REQUIRED@consents']);
    assert.deepEqual(codes(consentViolations([consent('household_head', OWNER)], 'owner', OWNER, 'x')), ['CONSENT_REQUIRED']);
    assert.deepEqual(keyed(consentViolations([consent('owner', STRANGER)], 'owner', OWNER, 'x')), ['CONSENT_FROM_WRONG_PERSON@consents']);
    assert.deepEqual(codes(consentViolations([consent('owner')], 'owner', OWNER, 'x')), ['CONSENT_FROM_WRONG_PERSON']);
    assert.deepEqual(consentViolations([consent('owner', STRANGER), consent('owner', OWNER)], 'owner', OWNER, 'x'), []);
    assert.deepEqual(consentViolations([consent('owner')], 'owner', undefined, 'x'), []);
    assert.deepEqual(consentViolations([consent('owner', OWNER, 'eid_app')], 'owner', OWNER, 'x'), []);
  });

  test('pinned: how a consent is written is not this check\'s concern (consentFormViolations reports it once)', () => {
    assert.deepEqual(consentViolations([consent('owner', OWNER), consent('parent_guardian', undefined, 'eid_app')], 'owner', OWNER, 'x'), []);
    assert.deepEqual(consentViolations([consent('owner', undefined, 'eid_app')], 'owner', undefined, 'x'), []);
    assert.deepEqual(keyed(consentViolations([consent('owner', undefined, 'eid_app')], 'owner', OWNER, 'x')), ['CONSENT_FROM_WRONG_PERSON@consents']);
    assert.deepEqual(keyed(consentViolations([consent('owner', undefined, 'eid_app')], 'parent_guardian', undefined, 'x')), ['CONSENT_REQUIRED@consents']);
  });

  test('property: exactly the oracle\'s violation (at most one), on "consents"', () => {
    fc.assert(
      fc.property(
        fc.array(consentArb([OWNER, STRANGER, APPLICANT]), { maxLength: 5 }),
        fc.constantFrom<ConsentRole>('household_head', 'owner', 'parent_guardian'),
        fc.option(fc.constantFrom(OWNER, STRANGER), { nil: undefined }),
        (cs, role, expected) => {
          const got = consentViolations(cs, role, expected, 'why');
          assert.deepEqual(keyedList(got), consentOracle(cs, role, expected).map((c) => `${c}@consents`));
        },
      ),
    );
  });
});

describe('consentFormViolations: an e-ID consent names its giver', () => {
  test('pinned: each e-ID consent without a personal ID, once, at its index; other methods need none', () => {
    assert.deepEqual(consentFormViolations([]), []);
    assert.deepEqual(consentFormViolations([consent('owner'), consent('household_head', undefined, 'written_note'), consent('parent_guardian', HEAD, 'eid_app')]), []);
    assert.deepEqual(keyedList(consentFormViolations([consent('owner', OWNER), consent('parent_guardian', undefined, 'eid_app')])), ['CONSENT_INCOMPLETE@consents/1/personalId']);
    assert.deepEqual(
      keyedList(consentFormViolations([consent('owner', undefined, 'eid_app'), consent('owner'), consent('household_head', undefined, 'eid_app')])),
      ['CONSENT_INCOMPLETE@consents/0/personalId', 'CONSENT_INCOMPLETE@consents/2/personalId'],
    );
  });

  test('property: exactly the oracle\'s list, in consent order', () => {
    fc.assert(
      fc.property(fc.array(consentArb([OWNER, STRANGER, APPLICANT]), { maxLength: 6 }), (cs) => {
        assert.deepEqual(keyedList(consentFormViolations(cs)), consentFormOracle(cs));
      }),
    );
  });
});

describe('sameAddress: country, unit list, unit and detail', () => {
  test('pinned', () => {
    const a = addr('00004', '12 Hàng Bạc');
    assert.equal(sameAddress(a, { ...a }), true);
    assert.equal(sameAddress(a, { country: 'VN', ...a }), true, 'no country is Vietnam');
    assert.equal(sameAddress(a, { country: 'LA', ...a }), false);
    // 00004 is Phường Trúc Bạch before the 2025 reform and Phường Ba Đình after it
    assert.equal(sameAddress(a, { ...a, unitSet: 'pre2025' }), false);
    assert.equal(sameAddress(a, addr('00007', '12 Hàng Bạc')), false);
    assert.equal(sameAddress(a, addr('00004', '14 Hàng Bạc')), false);
    assert.equal(sameAddress(addr('00004'), addr('00004', '')), true, 'no detail is an empty detail');
    assert.equal(sameAddress(addr('00004'), { unitCode: '00004' }), false, 'a unit list against none');
  });

  test('property: agrees with the oracle, and is symmetric', () => {
    fc.assert(
      fc.property(addressArb, addressArb, (a: Address, b: Address) => {
        assert.equal(sameAddress(a, b), sameAddressOracle(a, b), `${JSON.stringify(a)} / ${JSON.stringify(b)}`);
        assert.equal(sameAddress(a, b), sameAddress(b, a));
        assert.equal(sameAddress(a, { ...a }), true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('headCapacityViolations: who may head a household (Luật Cư trú Art. 10)', () => {
  const F = 'f';
  const adult = member(HEAD, 'head', '1970-02-02');
  const minor = member(MEMBER, 'child', '2015-01-01');
  const deadAdult = member(STRANGER, 'wife', '1970', false);

  test('pinned: a capable candidate always; an incapable one only when no member is capable and the candidate lives', () => {
    assert.deepEqual(headCapacityViolations(adult, [adult, minor], DAY, F), []);
    assert.deepEqual(keyedList(headCapacityViolations(minor, [adult, minor], DAY, F)), ['NO_FULL_CIVIL_CAPACITY@f']);
    assert.deepEqual(headCapacityViolations(minor, [minor, deadAdult], DAY, F), [], 'only minors (and the dead): they nominate one');
    assert.deepEqual(headCapacityViolations(minor, [], DAY, F), []);
    assert.deepEqual(keyedList(headCapacityViolations(deadAdult, [minor], DAY, 'x/y')), ['NO_FULL_CIVIL_CAPACITY@x/y'], 'the dead cannot be nominated');
    assert.deepEqual(codes(headCapacityViolations(deadAdult, [deadAdult], DAY, F)), ['NO_FULL_CIVIL_CAPACITY']);
    // the capable member need not be in the list twice, nor be the candidate: any member counts
    assert.deepEqual(codes(headCapacityViolations(minor, [minor, member(OWNER, 'sibling', '2008-03-10')], DAY, F)), ['NO_FULL_CIVIL_CAPACITY']);
    assert.deepEqual(headCapacityViolations(minor, [minor, member(OWNER, 'sibling', '2008-03-11')], DAY, F), []);
  });

  test('property: agrees with the oracle for members around 18, some dead', () => {
    const ids = ['001070000010', '001071000011', '001072000012', '001073000013'];
    const memberArb = (day: string) =>
      fc.tuple(fc.constantFrom(...ids), nonHeadRelationshipArb, dobNear(day), fc.integer({ min: 0, max: 4 }).map((k) => k > 0))
        .map(([id, rel, dob, alive]): MemberFacts => member(id, rel, dob, alive));
    fc.assert(
      fc.property(
        dayArb.chain((day) => fc.tuple(fc.constant(day), memberArb(day), fc.array(memberArb(day), { maxLength: 4 }), fc.boolean())),
        ([day, candidate, others, includeCandidate]) => {
          const members = includeCandidate ? [candidate, ...others] : others;
          const got = keyedList(headCapacityViolations(candidate, members, day, 'field'));
          assert.deepEqual(got, headCapacityOracle(candidate, members, day) ? [] : ['NO_FULL_CIVIL_CAPACITY@field']);
          if (capableOracle(candidate, day)) assert.deepEqual(got, []);
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe('stay notice, Art. 30: one notice for close relatives who stay repeatedly', () => {
  const stayer = person();
  const day = { arrivalDay: '2026-03-01', departureDay: '2026-03-03', stayer };
  test('repeated stays: for the six close relatives only; a single stay needs no relationship', () => {
    assert.deepEqual(checkStayNotice({ ...day, repeated: true, closeRelative: 'sibling' }), []);
    assert.deepEqual(keyed(checkStayNotice({ ...day, repeated: true })), ['REPEATED_NOTICE_NOT_CLOSE_RELATIVE@closeRelative']);
    assert.deepEqual(checkStayNotice({ ...day, repeated: false }), []);
    assert.deepEqual(checkStayNotice({ ...day, closeRelative: 'parent' }), []);
    assert.deepEqual(checkStayNotice(day), []);
  });
});

describe('stay notice (lưu trú): stays under 30 days', () => {
  const stayer = person();

  test('pinned: 29 days is a stay, 30 days needs temporary registration; departure before arrival is invalid', () => {
    assert.deepEqual(checkStayNotice({ arrivalDay: '2026-03-01', departureDay: '2026-03-01', stayer }), []);
    assert.deepEqual(checkStayNotice({ arrivalDay: '2026-03-01', departureDay: '2026-03-29', stayer }), []);
    assert.deepEqual(codes(checkStayNotice({ arrivalDay: '2026-03-01', departureDay: '2026-03-30', stayer })), ['STAY_TOO_LONG']);
    assert.deepEqual(codes(checkStayNotice({ arrivalDay: '2026-02-15', departureDay: '2026-03-16', stayer })), ['STAY_TOO_LONG']);
    assert.deepEqual(codes(checkStayNotice({ arrivalDay: '2026-02-15', departureDay: '2026-03-15', stayer })), []);
    assert.deepEqual(keyed(checkStayNotice({ arrivalDay: '2026-03-02', departureDay: '2026-03-01', stayer })), ['VALIDATION_FAILED@departureOn']);
  });

  test('pinned: a dead or missing stayer is refused, on the stayer field', () => {
    assert.deepEqual(keyed(checkStayNotice({ arrivalDay: DAY, departureDay: DAY, stayer: person({ dead: true }) })), ['CITIZEN_DECEASED@stayer/personalId']);
    assert.deepEqual(keyed(checkStayNotice({ arrivalDay: DAY, departureDay: DAY, stayer: person({ missing: true }) })), ['CITIZEN_MISSING@stayer/personalId']);
  });

  test('property: STAY_TOO_LONG iff the stay is 30 days or more (inclusive); VALIDATION_FAILED iff departure precedes arrival', () => {
    fc.assert(
      fc.property(dayArb, fc.integer({ min: -40, max: 90 }), fc.boolean(), fc.boolean(), (arrivalDay, k, dead, missing) => {
        const departureDay = addDays(arrivalDay, k);
        const got = codeSet(checkStayNotice({ arrivalDay, departureDay, stayer: person({ dead, missing }) }));
        const expected: string[] = [];
        if (dead) expected.push('CITIZEN_DECEASED');
        else if (missing) expected.push('CITIZEN_MISSING');
        if (departureDay < arrivalDay) expected.push('VALIDATION_FAILED');
        else if (spanDays(arrivalDay, departureDay) >= 30) expected.push('STAY_TOO_LONG');
        assert.deepEqual(got, expected.sort());
      }),
    );
  });
});

describe('absence declaration (khai báo tạm vắng)', () => {
  const registered = person({ permanent: registration('permanent', addr('00004')) });
  const base = { day: DAY, person: registered, from: DAY, until: addDays(DAY, 30) };

  test('pinned: grounds (a)(b) need the supervising authority\'s written consent; (c)(d) do not', () => {
    assert.deepEqual(keyed(checkAbsenceDeclaration({ ...base, ground: 'accused_on_bail' })), ['AUTHORITY_CONSENT_REQUIRED@authorityConsent']);
    assert.deepEqual(codes(checkAbsenceDeclaration({ ...base, ground: 'suspended_sentence', authorityConsent: '   ' })), ['AUTHORITY_CONSENT_REQUIRED']);
    assert.deepEqual(checkAbsenceDeclaration({ ...base, ground: 'administrative_measure', authorityConsent: 'CV 12/CAX' }), []);
    assert.deepEqual(checkAbsenceDeclaration({ ...base, ground: 'military_service_age' }), []);
    assert.deepEqual(checkAbsenceDeclaration({ ...base, ground: 'other_long_absence' }), []);
  });

  test('pinned: absence is declared from a registration; the period runs forward; a temporary registration suffices', () => {
    assert.deepEqual(codes(checkAbsenceDeclaration({ ...base, person: person(), ground: 'military_service_age' })), ['NOT_REGISTERED']);
    assert.deepEqual(codes(checkAbsenceDeclaration({ ...base, until: addDays(DAY, -1), ground: 'military_service_age' })), ['VALIDATION_FAILED']);
    assert.deepEqual(checkAbsenceDeclaration({ ...base, until: DAY, ground: 'military_service_age' }), []);
    const temp = person({ temporary: registration('temporary', addr('00007'), { validUntil: '2027-01-01' }) });
    assert.deepEqual(checkAbsenceDeclaration({ ...base, person: temp, ground: 'other_long_absence' }), []);
    assert.deepEqual(codes(checkAbsenceDeclaration({ ...base, person: person({ ...registered, dead: true }), ground: 'other_long_absence' })), ['CITIZEN_DECEASED']);
  });

  test('property: the violations follow ground, consent, registration and dates', () => {
    const grounds = Object.keys(ABSENCE_GROUNDS) as AbsenceGround[];
    fc.assert(
      fc.property(
        fc.constantFrom(...grounds),
        fc.constantFrom(undefined, '', ' \t', 'Văn bản số 5/CA'),
        fc.boolean(),
        fc.boolean(),
        dayArb,
        fc.integer({ min: -5, max: 400 }),
        (ground, authorityConsent, hasPermanent, hasTemporary, from, k) => {
          const p = person({
            ...(hasPermanent ? { permanent: registration('permanent', addr('00004')) } : {}),
            ...(hasTemporary ? { temporary: registration('temporary', addr('00007'), { validUntil: '2030-01-01' }) } : {}),
          });
          const until = addDays(from, k);
          const f = authorityConsent === undefined ? { day: from, person: p, ground, from, until } : { day: from, person: p, ground, from, until, authorityConsent };
          const expected: string[] = [];
          if (!hasPermanent && !hasTemporary) expected.push('NOT_REGISTERED');
          if (k < 0) expected.push('VALIDATION_FAILED');
          const needs = ground === 'accused_on_bail' || ground === 'suspended_sentence' || ground === 'administrative_measure';
          if (needs && (authorityConsent === undefined || authorityConsent.trim() === '')) expected.push('AUTHORITY_CONSENT_REQUIRED');
          assert.deepEqual(codeSet(checkAbsenceDeclaration(f)), expected.sort());
        },
      ),
    );
  });

  test('the table: exactly the three supervised grounds need authority consent', () => {
    const needing = (Object.keys(ABSENCE_GROUNDS) as AbsenceGround[]).filter((g) => ABSENCE_GROUNDS[g].needsAuthorityConsent).sort();
    assert.deepEqual(needing, ['accused_on_bail', 'administrative_measure', 'suspended_sentence']);
  });
});
