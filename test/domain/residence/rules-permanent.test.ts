/** Permanent registration (one permanent residence per person, joining and leaving households) and deregistration. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Address } from '../../../src/domain/citizen/citizen.js';
import { addDays } from '../../../src/domain/dates/day-arithmetic.js';
import type { HouseholdFacts } from '../../../src/domain/residence/household.js';
import { DEREGISTRATION_REASON_CODES, reasonAppliesTo } from '../../../src/domain/residence/procedures.js';
import { absenceThresholdDay } from '../../../src/domain/residence/time-rules.js';
import { checkDeregistration, type DeregistrationFacts } from '../../../src/domain/residence/deregistration.js';
import { checkPermanentRegistration, type PermanentRegistrationFacts } from '../../../src/domain/residence/rules.js';
import type { MemberFacts } from '../../../src/domain/residence/household.js';
import {
  addr, addressArb, APPLICANT, assertViolations, codes, consent, consentArb, consentFormOracle, consentKeys, DAY, dayArb, dobNear,
  anniversary, HEAD, headCapacityOracle, HID, household, keyed, keyedList, lawful, lawfulArb, member, MEMBER, minimumAge, NEEDS_OWNER, OWNER, person,
  precisionArb, registration, relationshipArb, sameAddressOracle, STRANGER, truncate,
} from './residence-fixtures.js';

const CURRENT = 'HS00007CURRENT0';
const OTHER = '001099000006';
const DEAD = '001050000007';
const home = addr('00007', '3 Lý Thái Tổ');

/** The applicant's current household, headed by the applicant unless said otherwise. */
const current = (over: Partial<HouseholdFacts> = {}): HouseholdFacts =>
  household({ householdId: CURRENT, address: home, headPersonalId: APPLICANT, members: [member(APPLICANT, 'head'), member(OTHER, 'wife')], ...over });

function perm(over: Partial<PermanentRegistrationFacts> = {}): PermanentRegistrationFacts {
  return {
    day: DAY,
    applicant: person({ permanent: registration('permanent', home, { householdId: CURRENT }) }),
    target: { kind: 'join', household: household(), relationship: 'grandchild' },
    lawfulResidence: lawful('owned', HEAD),
    consents: [consent('household_head', HEAD)],
    ...over,
  };
}

describe('permanent registration: joining a household', () => {
  test('with the head\'s consent from the head itself', () => {
    assert.deepEqual(checkPermanentRegistration(perm()), []);
    assert.deepEqual(keyed(checkPermanentRegistration(perm({ consents: [] }))), ['CONSENT_REQUIRED@consents']);
    assert.deepEqual(codes(checkPermanentRegistration(perm({ consents: [consent('household_head', STRANGER)] }))), ['CONSENT_FROM_WRONG_PERSON']);
    assert.deepEqual(codes(checkPermanentRegistration(perm({ consents: [consent('owner', HEAD)] }))), ['CONSENT_REQUIRED']);
  });

  test('a vacant headship, a dissolved household, or joining as "head" is refused', () => {
    const vacant = perm({ target: { kind: 'join', household: household({ headPersonalId: null }), relationship: 'child' }, consents: [], lawfulResidence: lawful('owned') });
    assert.deepEqual(keyed(checkPermanentRegistration(vacant)), ['HOUSEHOLD_HEAD_VACANT@household/householdId']);
    // with no head to consent for the owner, the owner HEAD recorded on the dwelling consents as owner (Art. 20(2))
    assert.deepEqual(keyed(checkPermanentRegistration({ ...vacant, lawfulResidence: lawful('owned', HEAD) })), ['CONSENT_REQUIRED@consents', 'HOUSEHOLD_HEAD_VACANT@household/householdId']);
    const dissolved = perm({ target: { kind: 'join', household: household({ dissolved: true }), relationship: 'child' } });
    assert.deepEqual(codes(checkPermanentRegistration(dissolved)), ['HOUSEHOLD_DISSOLVED']);
    const asHead = perm({ target: { kind: 'join', household: household(), relationship: 'head' } });
    assert.deepEqual(keyed(checkPermanentRegistration(asHead)), ['RELATIONSHIP_INVALID@household/relationship']);
  });

  test('one permanent residence: joining one\'s own household is refused, another household at the same address is not', () => {
    const own = current({ headPersonalId: HEAD, members: [member(HEAD, 'head'), member(APPLICANT, 'child')] });
    const again = perm({ target: { kind: 'join', household: own, relationship: 'child' }, currentHousehold: own });
    assert.deepEqual(keyed(checkPermanentRegistration(again)), ['ALREADY_REGISTERED_HERE@household/householdId']);
    const neighbour = household({ address: home });
    assert.deepEqual(checkPermanentRegistration(perm({ target: { kind: 'join', household: neighbour, relationship: 'child' }, currentHousehold: own })), []);
  });

  test('a head who owns the dwelling consents once, as head; another owner consents as owner', () => {
    assert.deepEqual(checkPermanentRegistration(perm({ lawfulResidence: lawful('relative_dwelling', HEAD) })), []);
    assert.deepEqual(codes(checkPermanentRegistration(perm({ lawfulResidence: lawful('rented', OWNER) }))), ['CONSENT_REQUIRED']);
    assert.deepEqual(checkPermanentRegistration(perm({ lawfulResidence: lawful('rented', OWNER), consents: [consent('household_head', HEAD), consent('owner', OWNER)] })), []);
    assert.deepEqual(
      codes(checkPermanentRegistration(perm({ lawfulResidence: lawful('borrowed', OWNER), consents: [consent('household_head', HEAD), consent('owner', HEAD)] }))),
      ['CONSENT_FROM_WRONG_PERSON'],
    );
  });
});

describe('permanent registration: Art. 20(3)(b) and Art. 23 in the rule', () => {
  test('the people counted are the living members of the household joined and the applicant, or more if declared', () => {
    const rented = (floorAreaM2: number, registeredResidents?: number) => ({ kind: 'rented' as const, ownerPersonalId: OWNER, floorAreaM2, ...(registeredResidents ? { registeredResidents } : {}) });
    const consents = [consent('household_head', HEAD), consent('owner', OWNER)];
    const withDead = household({ members: [member(HEAD, 'head', '1970-02-02'), member(MEMBER, 'child', '1995-07-07'), member(STRANGER, 'mother', '1940', false)] });
    const join = (floorAreaM2: number, h = household(), registeredResidents?: number) =>
      keyed(checkPermanentRegistration(perm({ target: { kind: 'join', household: h, relationship: 'grandchild' }, lawfulResidence: rented(floorAreaM2, registeredResidents), consents })));
    assert.deepEqual(join(24), [], '2 members + the applicant: 3 × 8');
    assert.deepEqual(join(23.9), ['FLOOR_AREA_BELOW_MINIMUM@lawfulResidence/floorAreaM2']);
    assert.deepEqual(join(24, withDead), [], 'the dead member is not counted');
    assert.deepEqual(join(24, household(), 4), ['FLOOR_AREA_BELOW_MINIMUM@lawfulResidence/floorAreaM2'], 'a larger declared number counts');
    assert.deepEqual(join(24, household(), 2), [], 'a smaller declared number does not');
    const found = (floorAreaM2: number, registeredResidents?: number) =>
      keyed(checkPermanentRegistration(perm({ target: { kind: 'new', address: addr('26734', 'Phòng 2') }, lawfulResidence: rented(floorAreaM2, registeredResidents), consents: [consent('owner', OWNER)], minFloorAreaPerPerson: 15 })));
    assert.deepEqual(found(15), []);
    assert.deepEqual(found(14.9), ['FLOOR_AREA_BELOW_MINIMUM@lawfulResidence/floorAreaM2']);
    assert.deepEqual(found(29.9, 2), ['FLOOR_AREA_BELOW_MINIMUM@lawfulResidence/floorAreaM2']);
  });

  test('a place of Art. 23 refuses on the household (joining) or on the address (founding); the owner\'s refusal says why', () => {
    const place = { ground: 'encroached_land' as const, decision: 'QĐ 3/2026' };
    assert.deepEqual(keyed(checkPermanentRegistration(perm({ prohibitedPlace: place }))), ['PLACE_NOT_REGISTRABLE@household/householdId']);
    const founding = perm({ target: { kind: 'new', address: addr('26734', 'Phòng 2') }, lawfulResidence: lawful('owned', APPLICANT), consents: [], prohibitedPlace: place });
    assert.deepEqual(keyed(checkPermanentRegistration(founding)), ['PLACE_NOT_REGISTRABLE@address']);
    const owner = checkPermanentRegistration(perm({ target: { kind: 'new', address: addr('26734', 'Phòng 2') }, lawfulResidence: lawful('relative_dwelling', OWNER), consents: [] }));
    assert.deepEqual(owner.map((x) => x.message), ['Consent of the owner is required: the dwelling is relative dwelling']);
  });
});

describe('permanent registration: a new household, leaving heads, minors, life', () => {
  const fresh = (address: Address, over: Partial<PermanentRegistrationFacts> = {}) =>
    perm({ target: { kind: 'new', address }, lawfulResidence: lawful('owned', APPLICANT), consents: [], ...over });

  test('a new household at one\'s own permanent address is refused; another house in the commune is not', () => {
    assert.deepEqual(keyed(checkPermanentRegistration(fresh(home))), ['ALREADY_REGISTERED_HERE@address']);
    assert.deepEqual(codes(checkPermanentRegistration(fresh({ country: 'VN', ...home }))), ['ALREADY_REGISTERED_HERE']);
    assert.deepEqual(checkPermanentRegistration(fresh(addr('00007', '5 Lý Thái Tổ'))), []);
    const noDetail = person({ permanent: registration('permanent', addr('00007')) });
    assert.deepEqual(codes(checkPermanentRegistration(fresh({ unitSet: '2025', unitCode: '00007', detail: '' }, { applicant: noDetail }))), ['ALREADY_REGISTERED_HERE']);
    assert.deepEqual(checkPermanentRegistration(fresh(home, { applicant: person() })), []);
  });

  test('the same address means the same country, unit list, unit and house', () => {
    // 3 Lý Thái Tổ in 00007 of the pre-2025 list is not the address registered on the 2025 list
    assert.deepEqual(checkPermanentRegistration(fresh({ ...home, unitSet: 'pre2025' })), []);
    assert.deepEqual(checkPermanentRegistration(fresh({ ...home, country: 'LA' })), []);
    const onOldList = person({ permanent: registration('permanent', { unitSet: 'pre2025', unitCode: '00007', detail: '3 Lý Thái Tổ' }) });
    assert.deepEqual(keyed(checkPermanentRegistration(fresh({ unitSet: 'pre2025', unitCode: '00007', detail: '3 Lý Thái Tổ' }, { applicant: onOldList }))), ['ALREADY_REGISTERED_HERE@address']);
    assert.deepEqual(checkPermanentRegistration(fresh(home, { applicant: onOldList })), []);
  });

  test('e-ID consents that name nobody are reported once each, right after the life violations, needed or not', () => {
    const eid = consent('owner', undefined, 'eid_app');
    assert.deepEqual(keyedList(checkPermanentRegistration(fresh(addr('00004'), { consents: [eid] }))), ['CONSENT_INCOMPLETE@consents/0/personalId']);
    // joining: the head's consent is there, the e-ID one beside it names nobody
    assert.deepEqual(keyedList(checkPermanentRegistration(perm({ consents: [consent('household_head', HEAD), eid] }))), ['CONSENT_INCOMPLETE@consents/1/personalId']);
    // an e-ID head consent without an ID is incomplete and, the head being known, not from the head
    assert.deepEqual(
      keyedList(checkPermanentRegistration(perm({ applicant: person({ missing: true }), consents: [consent('household_head', undefined, 'eid_app')] }))),
      ['CITIZEN_MISSING@personalId', 'CONSENT_INCOMPLETE@consents/0/personalId', 'CONSENT_FROM_WRONG_PERSON@consents'],
    );
    // a minor joining a rented dwelling: head, owner and parent checks all look at the consents; the incomplete one is one fault
    const got = checkPermanentRegistration(perm({
      applicant: person({ dateOfBirth: '2012' }), lawfulResidence: lawful('rented', OWNER), consents: [consent('parent_guardian', undefined, 'eid_app'), eid],
    }));
    assert.deepEqual(keyedList(got).slice(0, 2), ['CONSENT_INCOMPLETE@consents/0/personalId', 'CONSENT_INCOMPLETE@consents/1/personalId']);
    assert.deepEqual(keyedList(got).slice(2).sort(), ['CONSENT_FROM_WRONG_PERSON@consents', 'CONSENT_REQUIRED@consents']);
  });

  test('a head leaving a household with living members names a remaining member as its new head', () => {
    assert.deepEqual(keyed(checkPermanentRegistration(fresh(addr('00004'), { currentHousehold: current() }))), ['HEAD_MUST_BE_REPLACED@newHeadOfCurrentHousehold']);
    assert.deepEqual(checkPermanentRegistration(fresh(addr('00004'), { currentHousehold: current(), newHeadOfCurrentHousehold: OTHER })), []);
    for (const wrong of [STRANGER, APPLICANT]) {
      assert.deepEqual(
        keyed(checkPermanentRegistration(fresh(addr('00004'), { currentHousehold: current(), newHeadOfCurrentHousehold: wrong }))),
        ['NOT_A_HOUSEHOLD_MEMBER@newHeadOfCurrentHousehold'],
        wrong,
      );
    }
    const widowed = current({ members: [member(APPLICANT, 'head'), member(DEAD, 'wife', '1950', false)] });
    assert.deepEqual(checkPermanentRegistration(fresh(addr('00004'), { currentHousehold: widowed })), []);
    assert.deepEqual(codes(checkPermanentRegistration(fresh(addr('00004'), { currentHousehold: widowed, newHeadOfCurrentHousehold: DEAD }))), []);
    // a member who is not the head just leaves
    const asMember = current({ headPersonalId: OTHER, members: [member(OTHER, 'head'), member(APPLICANT, 'husband')] });
    assert.deepEqual(checkPermanentRegistration(fresh(addr('00004'), { currentHousehold: asMember })), []);
  });

  test('the new head of the household left behind has full civil capacity when a remaining member has it (Luật Cư trú Art. 10)', () => {
    // checkAdjustment's change_head and checkSplit require capacity of a new head; a head who
    // leaves by registering elsewhere or by deregistration names one too.
    const withChild = current({ members: [member(APPLICANT, 'head'), member(OTHER, 'wife', '1990'), member(MEMBER, 'child', '2015-01-01')] });
    const leaving = fresh(addr('00004'), { currentHousehold: withChild, newHeadOfCurrentHousehold: MEMBER });
    assert.ok(codes(checkPermanentRegistration(leaving)).includes('NO_FULL_CIVIL_CAPACITY'), JSON.stringify(checkPermanentRegistration(leaving)));
    const h = household({ headPersonalId: APPLICANT, members: withChild.members });
    const gone = checkDeregistration(dereg({ reason: 'emigration', household: h, newHeadPersonalId: MEMBER }));
    assert.ok(codes(gone).includes('NO_FULL_CIVIL_CAPACITY'), JSON.stringify(gone));
    assert.deepEqual(keyed(checkPermanentRegistration(leaving)), ['NO_FULL_CIVIL_CAPACITY@newHeadOfCurrentHousehold']);
    assert.deepEqual(keyed(gone), ['NO_FULL_CIVIL_CAPACITY@newHeadPersonalId']);
    assert.deepEqual(checkPermanentRegistration(fresh(addr('00004'), { currentHousehold: withChild, newHeadOfCurrentHousehold: OTHER })), []);
    assert.deepEqual(checkDeregistration(dereg({ reason: 'emigration', household: h, newHeadPersonalId: OTHER })), []);
    // with only minors left, the members nominate one of them (Art. 10): no capacity is required
    const onlyChild = current({ members: [member(APPLICANT, 'head'), member(MEMBER, 'child', '2015-01-01')] });
    assert.deepEqual(checkPermanentRegistration(fresh(addr('00004'), { currentHousehold: onlyChild, newHeadOfCurrentHousehold: MEMBER })), []);
    assert.deepEqual(checkDeregistration(dereg({ reason: 'emigration', household: household({ headPersonalId: APPLICANT, members: onlyChild.members }), newHeadPersonalId: MEMBER })), []);
    // the leaving head's own capacity does not count: the adult who leaves is not a remaining member
    const adultLeaves = current({ members: [member(APPLICANT, 'head', '1960'), member(MEMBER, 'child', '2015-01-01'), member(DEAD, 'wife', '1960', false)] });
    assert.deepEqual(checkPermanentRegistration(fresh(addr('00004'), { currentHousehold: adultLeaves, newHeadOfCurrentHousehold: MEMBER })), []);
    // the minor turns 18 on the day: capable, so always allowed
    const turns18 = current({ members: [member(APPLICANT, 'head'), member(OTHER, 'wife', '1990'), member(MEMBER, 'child', '2008-03-10')] });
    assert.deepEqual(checkPermanentRegistration(fresh(addr('00004'), { currentHousehold: turns18, newHeadOfCurrentHousehold: MEMBER })), []);
    const notYet = current({ members: [member(APPLICANT, 'head'), member(OTHER, 'wife', '1990'), member(MEMBER, 'child', '2008-03-11')] });
    assert.deepEqual(codes(checkPermanentRegistration(fresh(addr('00004'), { currentHousehold: notYet, newHeadOfCurrentHousehold: MEMBER }))), ['NO_FULL_CIVIL_CAPACITY']);
  });

  test('minors need a parent or guardian; deceased and missing applicants are refused', () => {
    assert.deepEqual(codes(checkPermanentRegistration(perm({ applicant: person({ dateOfBirth: '2008-03' }) }))), ['CONSENT_REQUIRED']);
    assert.deepEqual(checkPermanentRegistration(perm({ applicant: person({ dateOfBirth: '2008-03' }), consents: [consent('household_head', HEAD), consent('parent_guardian', HEAD)] })), []);
    assert.deepEqual(codes(checkPermanentRegistration(perm({ applicant: person({ dead: true }) }))), ['CITIZEN_DECEASED']);
    assert.deepEqual(keyed(checkPermanentRegistration(perm({ applicant: person({ missing: true }) }))), ['CITIZEN_MISSING@personalId']);
  });
});

describe('permanent registration: property', () => {
  const ids = [APPLICANT, HEAD, OWNER, STRANGER, OTHER, MEMBER];

  const arb = dayArb.chain((day) =>
    fc.record({
      day: fc.constant(day),
      dob: dobNear(day),
      dead: fc.boolean(),
      missing: fc.boolean(),
      permanent: fc.option(addressArb, { nil: undefined }),
      join: fc.boolean(),
      targetId: fc.constantFrom(HID, CURRENT),
      targetHead: fc.constantFrom<string | null>(HEAD, null),
      dissolved: fc.boolean(),
      relationship: relationshipArb,
      newAddress: addressArb,
      cur: fc.constantFrom('none', 'head', 'head', 'member'),
      // the others in the current household: OTHER and MEMBER around 18 (either may be dead or absent), DEAD
      other: fc.constantFrom('alive', 'alive', 'alive', 'dead', 'none'),
      otherDob: dobNear(day),
      child: fc.constantFrom('alive', 'alive', 'alive', 'dead', 'none'),
      childDob: dobNear(day),
      newHead: fc.constantFrom(undefined, OTHER, OTHER, MEMBER, MEMBER, APPLICANT, STRANGER, DEAD),
      lawfulResidence: lawfulArb([APPLICANT, HEAD, OWNER]),
      area: fc.option(fc.integer({ min: 1, max: 40 }), { nil: undefined }),
      declared: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
      minArea: fc.constantFrom(8, 8, 10, 15),
      consents: fc.array(consentArb(ids), { maxLength: 4 }),
    }),
  );

  test('violations = oracle (join/new, one residence per person, consents, leaving head and its successor, minors, life)', () => {
    let capacityRefusals = 0;
    fc.assert(
      fc.property(arb, (g) => {
        const target: PermanentRegistrationFacts['target'] = g.join
          ? { kind: 'join', household: household({ householdId: g.targetId, headPersonalId: g.targetHead, dissolved: g.dissolved }), relationship: g.relationship }
          : { kind: 'new', address: g.newAddress };
        const others: MemberFacts[] = [
          ...(g.other === 'none' ? [] : [member(OTHER, 'wife', g.otherDob, g.other === 'alive')]),
          ...(g.child === 'none' ? [] : [member(MEMBER, 'child', g.childDob, g.child === 'alive')]),
          member(DEAD, 'mother', '1940', false),
        ];
        const currentHousehold = g.cur === 'none' ? undefined
          : current({ headPersonalId: g.cur === 'head' ? APPLICANT : STRANGER, members: [member(APPLICANT, g.cur === 'head' ? 'head' : 'child'), ...others] });
        const applicant = person({ dateOfBirth: g.dob, dead: g.dead, missing: g.missing, ...(g.permanent ? { permanent: registration('permanent', g.permanent) } : {}) });
        const { floorAreaM2: _roomy, ...bare } = g.lawfulResidence;
        const lawfulResidence = { ...bare, ...(g.area !== undefined ? { floorAreaM2: g.area } : {}), ...(g.declared !== undefined ? { registeredResidents: g.declared } : {}) };
        const f: PermanentRegistrationFacts = {
          day: g.day, applicant, target, lawfulResidence, consents: g.consents, minFloorAreaPerPerson: g.minArea,
          ...(currentHousehold ? { currentHousehold } : {}),
          ...(g.newHead ? { newHeadOfCurrentHousehold: g.newHead } : {}),
        };

        const first: string[] = [];
        if (g.dead) first.push('CITIZEN_DECEASED@personalId');
        else if (g.missing) first.push('CITIZEN_MISSING@personalId');
        first.push(...consentFormOracle(g.consents));
        const rest: string[] = [];
        let headId: string | undefined;
        if (target.kind === 'join') {
          if (g.dissolved) rest.push('HOUSEHOLD_DISSOLVED@household/householdId');
          if (g.relationship === 'head') rest.push('RELATIONSHIP_INVALID@household/relationship');
          if (currentHousehold?.householdId === g.targetId) rest.push('ALREADY_REGISTERED_HERE@household/householdId');
          if (g.targetHead === null) rest.push('HOUSEHOLD_HEAD_VACANT@household/householdId');
          else {
            headId = g.targetHead;
            rest.push(...consentKeys(g.consents, 'household_head', g.targetHead));
          }
        } else if (g.permanent && sameAddressOracle(g.permanent, g.newAddress)) {
          rest.push('ALREADY_REGISTERED_HERE@address');
        }
        const owner = g.lawfulResidence.ownerPersonalId;
        const ownedByOther = g.lawfulResidence.kind === 'owned' && owner !== undefined;
        if ((NEEDS_OWNER.has(g.lawfulResidence.kind) || ownedByOther) && owner !== APPLICANT && !(owner !== undefined && owner === headId)) {
          rest.push(...consentKeys(g.consents, 'owner', owner));
        }
        // Art. 20(3)(b): rented or borrowed, the floor area shared by everyone registered there with the applicant
        if (g.lawfulResidence.kind === 'rented' || g.lawfulResidence.kind === 'borrowed') {
          const known = target.kind === 'join' ? target.household.members.filter((m) => m.alive).length + 1 : 1;
          const people = Math.max(known, g.declared ?? 1);
          if (g.area === undefined) rest.push('VALIDATION_FAILED@lawfulResidence/floorAreaM2');
          else if (g.area / people < g.minArea) rest.push('FLOOR_AREA_BELOW_MINIMUM@lawfulResidence/floorAreaM2');
        }
        if (minimumAge(g.dob, g.day) < 18) rest.push(...consentKeys(g.consents, 'parent_guardian', undefined));
        const remaining = others.filter((m) => m.alive);
        if (g.cur === 'head' && remaining.length > 0) {
          const next = remaining.find((m) => m.personalId === g.newHead);
          if (!g.newHead) rest.push('HEAD_MUST_BE_REPLACED@newHeadOfCurrentHousehold');
          else if (!next) rest.push('NOT_A_HOUSEHOLD_MEMBER@newHeadOfCurrentHousehold');
          else if (!headCapacityOracle(next, remaining, g.day)) {
            rest.push('NO_FULL_CIVIL_CAPACITY@newHeadOfCurrentHousehold');
            capacityRefusals++;
          }
        }
        assertViolations(checkPermanentRegistration(f), first, rest, JSON.stringify(g));
      }),
      { numRuns: 700 },
    );
    assert.ok(capacityRefusals > 0, 'the generator should name an incapable successor now and then');
  });
});

// ---------------------------------------------------------------- deregistration

const P = addr('00004', '12 Hàng Bạc');
const T = addr('26734', '45 Nguyễn Trãi');
const both = person({ permanent: registration('permanent', P), temporary: registration('temporary', T, { validUntil: '2027-01-01' }) });
const dereg = (over: Partial<DeregistrationFacts>): DeregistrationFacts => ({ day: DAY, person: both, kind: 'permanent', reason: 'annulment', ...over });

describe('deregistration: pinned examples', () => {
  test('the reason must end this kind of registration, and the registration must exist', () => {
    assert.deepEqual(checkDeregistration(dereg({ reason: 'emigration' })), []);
    assert.deepEqual(keyed(checkDeregistration(dereg({ kind: 'temporary', reason: 'emigration' }))), ['DEREGISTRATION_REASON_NOT_APPLICABLE@reason']);
    assert.deepEqual(keyed(checkDeregistration(dereg({ person: person() }))), ['NOT_REGISTERED@kind']);
    assert.deepEqual(codes(checkDeregistration(dereg({ kind: 'temporary', person: person({ permanent: registration('permanent', P) }) }))), ['NOT_REGISTERED']);
  });

  test('death and declared missing need the life event recorded first', () => {
    assert.deepEqual(keyed(checkDeregistration(dereg({ reason: 'death' }))), ['LIFE_EVENT_NOT_RECORDED@reason']);
    assert.deepEqual(checkDeregistration(dereg({ reason: 'death', person: { ...both, dead: true } })), []);
    assert.deepEqual(codes(checkDeregistration(dereg({ kind: 'temporary', reason: 'declared_missing' }))), ['LIFE_EVENT_NOT_RECORDED']);
    assert.deepEqual(checkDeregistration(dereg({ kind: 'temporary', reason: 'declared_missing', person: { ...both, missing: true } })), []);
    // a death does not prove a declaration of missing, nor the reverse
    assert.deepEqual(codes(checkDeregistration(dereg({ reason: 'declared_missing', person: { ...both, dead: true } }))), ['LIFE_EVENT_NOT_RECORDED']);
  });

  test('absence: 12 months for permanent, 6 for temporary, from the corresponding day on', () => {
    const onlyPermanent = person({ permanent: registration('permanent', P) });
    assert.deepEqual(keyed(checkDeregistration(dereg({ person: onlyPermanent, reason: 'absence', day: '2025-01-14', absentSince: '2024-01-15' }))), ['ABSENCE_TOO_SHORT@absentSince']);
    assert.deepEqual(checkDeregistration(dereg({ person: onlyPermanent, reason: 'absence', day: '2025-01-15', absentSince: '2024-01-15' })), []);
    assert.deepEqual(checkDeregistration(dereg({ person: onlyPermanent, reason: 'absence', day: '2025-01-16', absentSince: '2024-01-15' })), []);
    assert.deepEqual(codes(checkDeregistration(dereg({ kind: 'temporary', reason: 'absence', day: '2025-02-27', absentSince: '2024-08-31' }))), ['ABSENCE_TOO_SHORT']);
    assert.deepEqual(checkDeregistration(dereg({ kind: 'temporary', reason: 'absence', day: '2025-02-28', absentSince: '2024-08-31' })), []);
    assert.deepEqual(keyed(checkDeregistration(dereg({ person: onlyPermanent, reason: 'absence' }))), ['VALIDATION_FAILED@absentSince']);
  });

  test('Art. 24(1)(d): a temporary registration elsewhere or a declared absence counts while in force (the day before it starts, its last day, the day after)', () => {
    const away = (startOn: string, validUntil: string) => person({ permanent: registration('permanent', P), temporary: registration('temporary', T, { startOn, validUntil }) });
    const absence = (over: Partial<DeregistrationFacts>) => codes(checkDeregistration(dereg({ reason: 'absence', day: '2026-06-01', absentSince: '2025-01-01', ...over })));
    assert.deepEqual(absence({ person: away('2026-06-02', '2027-01-01') }), [], 'starts the day after');
    assert.deepEqual(absence({ person: away('2026-06-01', '2027-01-01') }), ['ABSENCE_COVERED_BY_TEMPORARY_REGISTRATION'], 'starts that day');
    assert.deepEqual(absence({ person: away('2025-06-01', '2026-06-01') }), ['ABSENCE_COVERED_BY_TEMPORARY_REGISTRATION'], 'its last day');
    assert.deepEqual(absence({ person: away('2025-06-01', '2026-05-31') }), [], 'ended the day before');
    const declared = (startOn: string, validUntil?: string) => person({ permanent: registration('permanent', P), absence: registration('absence', P, { startOn, ...(validUntil ? { validUntil } : {}) }) });
    assert.deepEqual(absence({ person: declared('2026-01-01', '2026-06-01') }), ['ABSENCE_DECLARED']);
    assert.deepEqual(absence({ person: declared('2026-01-01', '2026-05-31') }), []);
    assert.deepEqual(absence({ person: declared('2026-06-02') }), []);
    assert.deepEqual(absence({ person: declared('2026-06-01') }), ['ABSENCE_DECLARED']);
    // a temporary registration at the permanent address itself is not "elsewhere"
    assert.deepEqual(absence({ person: person({ permanent: registration('permanent', T), temporary: registration('temporary', T, { validUntil: '2027-01-01' }) }) }), []);
  });

  test('each refusal says why', () => {
    const msg = (over: Partial<DeregistrationFacts>) => checkDeregistration(dereg(over)).map((x) => x.message);
    assert.deepEqual(msg({ person: person() }), ['There is no permanent registration to end']);
    assert.deepEqual(msg({ kind: 'temporary', reason: 'emigration' }), ['emigration does not end a temporary registration']);
    assert.deepEqual(msg({ reason: 'death' }), ['Record the death first']);
    assert.deepEqual(msg({ reason: 'declared_missing' }), ['Record the declaration of missing first']);
    const onlyPermanent = person({ permanent: registration('permanent', P), temporary: registration('temporary', T, { validUntil: '2000-01-01' }) });
    assert.deepEqual(msg({ person: onlyPermanent, reason: 'absence' }), ['Give the day the absence began']);
    assert.deepEqual(msg({ person: onlyPermanent, reason: 'absence', day: '2025-01-14', absentSince: '2024-01-15' }), ['Permanent residence ends after 12 months of absence']);
    assert.deepEqual(msg({ kind: 'temporary', reason: 'absence', day: '2025-02-27', absentSince: '2024-08-31' }), ['Temporary residence ends after 6 months of absence']);
    assert.deepEqual(msg({ kind: 'temporary', reason: 'permanent_here' }), ['The person is not permanently registered at the place of temporary residence']);
  });

  test('permanent_here: only when the permanent registration is at the place of temporary residence', () => {
    assert.deepEqual(codes(checkDeregistration(dereg({ kind: 'temporary', reason: 'permanent_here' }))), ['DEREGISTRATION_REASON_NOT_APPLICABLE']);
    const movedIn = person({ permanent: registration('permanent', T), temporary: registration('temporary', T, { validUntil: '2027-01-01' }) });
    assert.deepEqual(checkDeregistration(dereg({ kind: 'temporary', reason: 'permanent_here', person: movedIn })), []);
    assert.deepEqual(codes(checkDeregistration(dereg({ reason: 'permanent_here', person: movedIn }))), ['DEREGISTRATION_REASON_NOT_APPLICABLE']);
  });

  test('a head deregistered from permanent residence for another cause than death or missing must be replaced', () => {
    const h = household({ headPersonalId: APPLICANT, members: [member(APPLICANT, 'head'), member(MEMBER, 'child')] });
    assert.deepEqual(keyed(checkDeregistration(dereg({ reason: 'emigration', household: h }))), ['HEAD_MUST_BE_REPLACED@newHeadPersonalId']);
    assert.deepEqual(checkDeregistration(dereg({ reason: 'emigration', household: h, newHeadPersonalId: MEMBER })), []);
    assert.deepEqual(codes(checkDeregistration(dereg({ reason: 'emigration', household: h, newHeadPersonalId: STRANGER }))), ['NOT_A_HOUSEHOLD_MEMBER']);
    assert.deepEqual(checkDeregistration(dereg({ reason: 'death', household: h, person: { ...both, dead: true } })), []);
    assert.deepEqual(checkDeregistration(dereg({ kind: 'temporary', reason: 'rental_ended', household: h, tenancyEndedOn: DAY })), []);
  });
});

describe('deregistration: properties', () => {
  test('violations = oracle over reason × kind × registrations × life events × absence × headship and its successor', () => {
    let capacityRefusals = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...DEREGISTRATION_REASON_CODES),
        fc.constantFrom<'permanent' | 'temporary'>('permanent', 'temporary'),
        fc.record({ perm: fc.constantFrom('none', 'P', 'T'), temp: fc.boolean(), dead: fc.boolean(), missing: fc.boolean() }),
        dayArb,
        fc.option(fc.integer({ min: 0, max: 500 }), { nil: undefined }),
        fc.record({
          // the dwelling grounds: how long ago the tenancy or ownership ended, the owner's agreement, the decision
          since: fc.option(fc.integer({ min: -3, max: 400 }), { nil: undefined }),
          agrees: fc.boolean(),
          decision: fc.constantFrom(undefined, '', 'QĐ 5/QĐ-UBND'),
          tempUntil: fc.constantFrom('2040-01-01', '1999-12-31'),
          declared: fc.constantFrom(false, false, true),
          exception: fc.constantFrom(undefined, undefined, 'abroad_not_to_settle' as const, 'serving_prison_sentence' as const),
        }),
        fc.record({
          isHead: fc.integer({ min: 0, max: 3 }).map((k) => k > 0),
          memberAlive: fc.integer({ min: 0, max: 3 }).map((k) => k > 0),
          // the remaining member's age: 14 to 22 years, at any precision
          memberAge: fc.tuple(fc.integer({ min: 14 * 365, max: 22 * 366 }), precisionArb),
          father: fc.constantFrom('alive', 'alive', 'dead', 'none'),
          newHead: fc.constantFrom(undefined, MEMBER, MEMBER, HEAD, STRANGER),
        }),
        (reason, kind, p, day, back, dw, hh) => {
          const pr = p.perm === 'none' ? undefined : registration('permanent', p.perm === 'P' ? P : T);
          const tr = p.temp ? registration('temporary', T, { startOn: '2000-01-01', validUntil: dw.tempUntil }) : undefined;
          const ab = dw.declared ? registration('absence', P, { startOn: '2000-01-01' }) : undefined;
          const someone = person({ dead: p.dead, missing: p.missing, ...(pr ? { permanent: pr } : {}), ...(tr ? { temporary: tr } : {}), ...(ab ? { absence: ab } : {}) });
          const sinceDay = dw.since === undefined ? undefined : addDays(day, -dw.since);
          const absentSince = back === undefined ? undefined : addDays(day, -back);
          const memberDob = truncate(addDays(day, -hh.memberAge[0]), hh.memberAge[1]);
          const members = [
            member(APPLICANT, hh.isHead ? 'head' : 'child'),
            member(MEMBER, 'child', memberDob, hh.memberAlive),
            ...(hh.father === 'none' ? [] : [member(HEAD, 'father', '1960', hh.father === 'alive')]),
          ];
          const h = household({ headPersonalId: hh.isHead ? APPLICANT : HEAD, members });
          const f: DeregistrationFacts = {
            day, person: someone, kind, reason, household: h,
            ...(absentSince ? { absentSince } : {}), ...(hh.newHead ? { newHeadPersonalId: hh.newHead } : {}),
            ...(sinceDay ? { tenancyEndedOn: sinceDay, ownershipTransferredOn: sinceDay } : {}),
            ownerAgreesToKeepRegistration: dw.agrees,
            ...(dw.decision !== undefined ? { dwellingDecision: dw.decision } : {}),
            ...(dw.exception ? { absenceException: dw.exception } : {}),
          };

          const expected: string[] = [];
          const reg = kind === 'permanent' ? pr : tr;
          if (!reg) expected.push('NOT_REGISTERED@kind');
          const permanentOnly = reason === 'emigration' || reason === 'rental_ended_no_consent' || reason === 'ownership_transferred_no_consent';
          const applies = permanentOnly ? kind === 'permanent' : reason === 'permanent_here' ? kind === 'temporary' : true;
          if (!applies) expected.push('DEREGISTRATION_REASON_NOT_APPLICABLE@reason');
          if (reason === 'death' && !p.dead) expected.push('LIFE_EVENT_NOT_RECORDED@reason');
          if (reason === 'declared_missing' && !p.missing) expected.push('LIFE_EVENT_NOT_RECORDED@reason');
          if (reason === 'absence') {
            if (!absentSince) expected.push('VALIDATION_FAILED@absentSince');
            else if (day < absenceThresholdDay(kind, absentSince)) expected.push('ABSENCE_TOO_SHORT@absentSince');
            // Art. 24(1)(d): a temporary registration elsewhere, a declared absence, or an excepted one keeps permanent residence
            if (kind === 'permanent') {
              if (tr && dw.tempUntil >= day && !(pr && p.perm === 'T')) expected.push('ABSENCE_COVERED_BY_TEMPORARY_REGISTRATION@personalId');
              if (ab) expected.push('ABSENCE_DECLARED@personalId');
              if (dw.exception) expected.push('ABSENCE_EXCEPTED@absenceException');
            }
          }
          // Art. 24(1)(e)–(i), Art. 29(1): the day it happened, 12 months for permanent (e)(g), the owner's agreement (g)(h), the decision (i)
          const field = reason === 'rental_ended' || reason === 'rental_ended_no_consent' ? 'tenancyEndedOn' : 'ownershipTransferredOn';
          if (['rental_ended', 'rental_ended_no_consent', 'ownership_transferred', 'ownership_transferred_no_consent'].includes(reason)) {
            const waits = kind === 'permanent' && (reason === 'rental_ended' || reason === 'ownership_transferred');
            if (!sinceDay) expected.push(`VALIDATION_FAILED@${field}`);
            else if (sinceDay > day) expected.push(`VALIDATION_FAILED@${field}`);
            else if (waits && day < anniversary(sinceDay, 1)) expected.push(`${field === 'tenancyEndedOn' ? 'TENANCY_END_WAIT_NOT_OVER' : 'OWNERSHIP_TRANSFER_WAIT_NOT_OVER'}@${field}`);
            if (reason !== 'rental_ended' && dw.agrees) expected.push('OWNER_AGREED_TO_KEEP_REGISTRATION@ownerAgreesToKeepRegistration');
          }
          if (reason === 'dwelling_demolished_or_confiscated' && !dw.decision) expected.push('DWELLING_DECISION_REQUIRED@dwellingDecision');
          // permanent_here: the permanent registration is at the very place of the one ended
          if (reason === 'permanent_here' && !(pr && reg && (kind === 'permanent' || p.perm === 'T'))) {
            expected.push('DEREGISTRATION_REASON_NOT_APPLICABLE@reason');
          }
          const remaining = members.filter((m) => m.personalId !== APPLICANT && m.alive);
          if (kind === 'permanent' && reason !== 'death' && reason !== 'declared_missing' && hh.isHead && remaining.length > 0) {
            const next = remaining.find((m) => m.personalId === hh.newHead);
            if (!hh.newHead) expected.push('HEAD_MUST_BE_REPLACED@newHeadPersonalId');
            else if (!next) expected.push('NOT_A_HOUSEHOLD_MEMBER@newHeadPersonalId');
            else if (!headCapacityOracle(next, remaining, day)) {
              expected.push('NO_FULL_CIVIL_CAPACITY@newHeadPersonalId');
              capacityRefusals++;
            }
          }
          // every violation with its field, duplicates counted
          assertViolations(checkDeregistration(f), [], expected, JSON.stringify({ reason, kind, p, day, back, hh }));
        },
      ),
      { numRuns: 800 },
    );
    assert.ok(capacityRefusals > 0, 'the generator should name an incapable successor now and then');
  });

  test('absence threshold: ABSENCE_TOO_SHORT on every day before absenceThresholdDay, none from it on', () => {
    fc.assert(
      fc.property(dayArb, fc.integer({ min: 0, max: 450 }), fc.constantFrom<'permanent' | 'temporary'>('permanent', 'temporary'), (absentSince, k, kind) => {
        const day = addDays(absentSince, k);
        // the temporary registration has expired, so it does not stop the permanent one's absence
        const lapsed = person({ permanent: registration('permanent', P), temporary: registration('temporary', T, { validUntil: '1999-12-31' }) });
        const got = codes(checkDeregistration(dereg({ person: lapsed, kind, reason: 'absence', absentSince, day })));
        assert.deepEqual(got, day < absenceThresholdDay(kind, absentSince) ? ['ABSENCE_TOO_SHORT'] : []);
      }),
      { numRuns: 300 },
    );
  });

  test('the applicability table is what checkDeregistration enforces, for every reason and kind', () => {
    // permanently registered where the temporary registration is, so that permanent_here can apply
    const movedIn = person({ permanent: registration('permanent', T), temporary: registration('temporary', T, { validUntil: '2027-01-01' }) });
    for (const reason of DEREGISTRATION_REASON_CODES) {
      for (const kind of ['permanent', 'temporary'] as const) {
        const got = codes(checkDeregistration(dereg({ kind, reason, person: movedIn, absentSince: '2020-01-01' })));
        assert.equal(got.includes('DEREGISTRATION_REASON_NOT_APPLICABLE'), !reasonAppliesTo(reason, kind), `${reason}/${kind}`);
      }
    }
  });
});
