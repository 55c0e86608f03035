/** Household split (Art. 25) against an independent oracle, and residence information adjustment (Art. 26). */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { HouseholdFacts, MemberFacts, Relationship } from '../../../src/domain/residence/household.js';
import type { Consent, LawfulResidence } from '../../../src/domain/residence/procedures.js';
import { residencePolicyFrom } from '../../../src/domain/residence/policy.js';
import { checkAdjustment, checkSplit, type Adjustment, type SplitFacts } from '../../../src/domain/residence/rules.js';
import {
  addr, assertViolations, capableOracle, codes, consent, consentArb, consentFormOracle, consentKeys, DAY, dayArb, dobNear, HEAD,
  headCapacityOracle, household, keyed, keyedList, lawful, lawfulArb, member, MEMBER, NEEDS_OWNER, nonHeadRelationshipArb, OWNER,
  relationshipArb, STRANGER,
} from './residence-fixtures.js';

const POOL = ['001070000010', '001071000011', '001072000012', '001073000013', '001074000014', '001075000015'];

interface Generated {
  day: string;
  household: HouseholdFacts;
}

/** Households of 1–6 members with dates of birth around 18, a few dead, and a living head (or none). */
const householdArb: fc.Arbitrary<Generated> = dayArb.chain((day) =>
  fc
    .record({
      n: fc.integer({ min: 1, max: POOL.length }),
      dobs: fc.array(dobNear(day), { minLength: POOL.length, maxLength: POOL.length }),
      alive: fc.array(fc.integer({ min: 0, max: 5 }).map((k) => k > 0), { minLength: POOL.length, maxLength: POOL.length }),
      rels: fc.array(nonHeadRelationshipArb, { minLength: POOL.length, maxLength: POOL.length }),
      headPick: fc.integer({ min: -1, max: 20 }),
      dissolved: fc.integer({ min: 0, max: 12 }).map((k) => k === 0),
    })
    .map(({ n, dobs, alive, rels, headPick, dissolved }) => {
      const living = POOL.slice(0, n).filter((_, i) => alive[i]);
      const head = headPick < 0 || living.length === 0 ? null : living[headPick % living.length]!;
      const members: MemberFacts[] = POOL.slice(0, n).map((id, i) => member(id, id === head ? 'head' : rels[i]!, dobs[i]!, alive[i]!));
      return { day, household: household({ householdId: 'HS00004SPLIT000', headPersonalId: head, members, dissolved }) };
    }),
);

const capable = capableOracle;

/**
 * The split conditions, written from Art. 25(1) as the brief states them, with the fields they name:
 * `first` leads the result in this order (the dissolved household alone, else the consent-form
 * checks), `rest` follows in any order.
 */
function splitOracle(f: SplitFacts): { first: string[]; rest: string[] } {
  const h = f.household;
  if (h.dissolved) return { first: ['HOUSEHOLD_DISSOLVED@householdId'], rest: [] };
  const first = consentFormOracle(f.consents);
  const out: string[] = [];
  const find = (id: string) => h.members.find((m) => m.personalId === id);
  const seen: string[] = [];
  f.leaving.forEach((l, i) => {
    const m = find(l.personalId);
    if (!m) out.push(`NOT_A_HOUSEHOLD_MEMBER@members/${i}/personalId`);
    else if (!m.alive) out.push(`CITIZEN_DECEASED@members/${i}/personalId`);
    if (seen.includes(l.personalId)) out.push(`VALIDATION_FAILED@members/${i}/personalId`);
    seen.push(l.personalId);
    if ((l.personalId === f.newHeadPersonalId) !== (l.relationship === 'head')) out.push(`RELATIONSHIP_INVALID@members/${i}/relationship`);
  });
  if (!seen.includes(f.newHeadPersonalId)) out.push('NEW_HEAD_NOT_LEAVING@newHeadPersonalId');
  if (!h.members.some((m) => m.alive && !seen.includes(m.personalId))) out.push('SPLIT_LEAVES_NOBODY@members');
  // No article keeps the head back: a head who leaves names who heads those who stay (none named here).
  else if (h.headPersonalId !== null && seen.includes(h.headPersonalId)) out.push('HEAD_MUST_BE_REPLACED@newHeadOfRemainingHousehold');
  const knownLeavers = f.leaving.map((l) => find(l.personalId)).filter((m) => m !== undefined);
  if (knownLeavers.length > 0 && !knownLeavers.some((m) => capable(m, f.day))) out.push('NO_FULL_CIVIL_CAPACITY@members');
  const newHead = find(f.newHeadPersonalId);
  if (newHead && !capable(newHead, f.day)) out.push('NO_FULL_CIVIL_CAPACITY@newHeadPersonalId');
  if (!f.divorcedSpouseKeepsDwelling) {
    if (h.headPersonalId !== null) out.push(...consentKeys(f.consents, 'household_head', h.headPersonalId));
    const owner = f.lawfulResidence.ownerPersonalId;
    const ownedByOther = f.lawfulResidence.kind === 'owned' && owner !== undefined;
    if ((NEEDS_OWNER.has(f.lawfulResidence.kind) || ownedByOther) && owner !== f.newHeadPersonalId && !(owner !== undefined && owner === h.headPersonalId)) {
      out.push(...consentKeys(f.consents, 'owner', owner));
    }
  }
  return { first, rest: out };
}

const splitArb: fc.Arbitrary<SplitFacts> = householdArb.chain(({ day, household: h }) => {
  const ids = h.members.map((m) => m.personalId);
  return fc
    .record({
      leavers: fc.shuffledSubarray(ids, { minLength: 0 }),
      stranger: fc.integer({ min: 0, max: 9 }).map((k) => k === 0),
      duplicate: fc.integer({ min: 0, max: 9 }).map((k) => k === 0),
      headChoice: fc.integer({ min: 0, max: 9 }),
      relFlip: fc.array(fc.integer({ min: 0, max: 9 }).map((k) => k === 0), { minLength: 8, maxLength: 8 }),
      rels: fc.array(nonHeadRelationshipArb, { minLength: 8, maxLength: 8 }),
      consents: fc.array(consentArb([...ids, OWNER, STRANGER]), { maxLength: 3 }),
      addHeadConsent: fc.boolean(),
      lawfulResidence: lawfulArb([...ids, OWNER]) as fc.Arbitrary<LawfulResidence>,
      divorcedSpouseKeepsDwelling: fc.integer({ min: 0, max: 4 }).map((k) => k === 0),
    })
    .map((g) => {
      const leavingIds = [...g.leavers, ...(g.stranger ? [STRANGER] : []), ...(g.duplicate && g.leavers.length > 0 ? [g.leavers[0]!] : [])];
      const newHeadPersonalId =
        g.headChoice < 7 && leavingIds.length > 0 ? leavingIds[g.headChoice % leavingIds.length]!
        : g.headChoice < 9 ? ids[g.headChoice % ids.length]!
        : STRANGER;
      const leaving = leavingIds.map((personalId, i) => {
        const isNewHead = personalId === newHeadPersonalId;
        const relationship: Relationship = isNewHead !== g.relFlip[i % 8] ? 'head' : g.rels[i % 8]!;
        return { personalId, relationship };
      });
      const consents: Consent[] = [...g.consents, ...(g.addHeadConsent && h.headPersonalId ? [consent('household_head', h.headPersonalId)] : [])];
      return { day, household: h, leaving, newHeadPersonalId, consents, lawfulResidence: g.lawfulResidence, divorcedSpouseKeepsDwelling: g.divorcedSpouseKeepsDwelling };
    });
});

/** Splits that meet every condition: a living adult head stays, a capable new head leaves with some others. */
const validSplitArb: fc.Arbitrary<SplitFacts> = householdArb.chain(({ day, household: g }) => {
  const [headId, firstId] = POOL as [string, string, ...string[]];
  const others = g.members.filter((m) => m.personalId !== headId && m.personalId !== firstId).map((m) => ({ ...m, relationship: m.relationship === 'head' ? 'child' as const : m.relationship }));
  const members = [member(headId, 'head', '1950', true), member(firstId, 'child', '1990-01-01', true), ...others];
  const h = household({ householdId: 'HS00004SPLIT000', headPersonalId: headId, members, dissolved: false });
  const candidates = members.filter((m) => m.personalId !== headId && capable(m, day)).map((m) => m.personalId);
  const companions = members.filter((m) => m.personalId !== headId && m.alive).map((m) => m.personalId);
  return fc
    .record({ newHead: fc.constantFrom(...candidates), with: fc.subarray(companions), rel: nonHeadRelationshipArb })
    .map(({ newHead, with: w, rel }): SplitFacts => ({
      day,
      household: h,
      leaving: [{ personalId: newHead, relationship: 'head' }, ...w.filter((id) => id !== newHead).map((personalId) => ({ personalId, relationship: rel }))],
      newHeadPersonalId: newHead,
      consents: [consent('household_head', headId)],
      lawfulResidence: lawful('relative_dwelling', headId),
      divorcedSpouseKeepsDwelling: false,
    }));
});

describe('household split (tách hộ): pinned examples', () => {
  const A = '001990000021';
  const B = '001991000022';
  const KID = '001992000023';
  const family = household({
    headPersonalId: HEAD,
    members: [member(HEAD, 'head', '1950-01-01'), member(A, 'child', '1985-04-04'), member(B, 'child', '1987-05-05'), member(KID, 'grandchild', '2012-06-06')],
  });
  const split = (over: Partial<SplitFacts>): SplitFacts => ({
    day: DAY, household: family, leaving: [{ personalId: A, relationship: 'head' }, { personalId: KID, relationship: 'child' }],
    newHeadPersonalId: A, consents: [consent('household_head', HEAD)], lawfulResidence: lawful('owned', HEAD), divorcedSpouseKeepsDwelling: false, ...over,
  });

  test('an adult child leaves with a minor and heads the new household, with the head\'s consent', () => {
    assert.deepEqual(checkSplit(split({})), []);
  });

  test('no article keeps the head back: a head who leaves names a capable head for those who stay; keeping the head is policy', () => {
    const headLeaves = [{ personalId: A, relationship: 'head' as const }, { personalId: HEAD, relationship: 'father' as const }];
    assert.deepEqual(keyed(checkSplit(split({ leaving: headLeaves }))), ['HEAD_MUST_BE_REPLACED@newHeadOfRemainingHousehold']);
    assert.deepEqual(checkSplit(split({ leaving: headLeaves, newHeadOfRemainingHousehold: B })), []);
    assert.deepEqual(keyed(checkSplit(split({ leaving: headLeaves, newHeadOfRemainingHousehold: KID }))), ['NO_FULL_CIVIL_CAPACITY@newHeadOfRemainingHousehold']);
    assert.deepEqual(keyed(checkSplit(split({ leaving: headLeaves, newHeadOfRemainingHousehold: A }))), ['NOT_A_HOUSEHOLD_MEMBER@newHeadOfRemainingHousehold']);
    const keepHead = residencePolicyFrom({ headMaySplitOff: false });
    assert.deepEqual(keyed(checkSplit(split({ leaving: headLeaves, newHeadOfRemainingHousehold: B, policy: keepHead }))), ['HEAD_CANNOT_SPLIT_OFF@members/1/personalId']);
    // kept back by policy, the head is not also asked for a successor
    const kept = checkSplit(split({ leaving: headLeaves, policy: keepHead }));
    assert.deepEqual(kept.map((x) => `${x.code}@${x.field}: ${x.message}`), ['HEAD_CANNOT_SPLIT_OFF@members/1/personalId: By this registry\'s policy the head stays; the members who leave form the new household']);
    // a dead member who stays is no successor and needs none
    const withDead = household({ ...family, members: [...family.members.filter((m) => m.personalId !== B), member(B, 'child', '1987-05-05', false)] });
    assert.deepEqual(keyed(checkSplit(split({ household: withDead, leaving: [...headLeaves, { personalId: KID, relationship: 'child' }] }))), ['SPLIT_LEAVES_NOBODY@members']);
  });

  test('Art. 25(1)(b): a dwelling recorded as owned by someone else than head and new head needs that owner\'s consent; Art. 25(1)(c): not at an Art. 23 place', () => {
    assert.deepEqual(keyed(checkSplit(split({ lawfulResidence: lawful('owned', OWNER) }))), ['CONSENT_REQUIRED@consents']);
    assert.deepEqual(checkSplit(split({ lawfulResidence: lawful('owned', OWNER), consents: [consent('household_head', HEAD), consent('owner', OWNER)] })), []);
    assert.deepEqual(checkSplit(split({ lawfulResidence: lawful('owned', A) })), []);
    assert.deepEqual(checkSplit(split({ lawfulResidence: lawful('owned') })), []);
    const place = { ground: 'land_recovered_or_disputed' as const, decision: 'QĐ thu hồi đất 7/2026' };
    assert.deepEqual(keyed(checkSplit(split({ prohibitedPlace: place }))), ['PLACE_NOT_REGISTRABLE@householdId']);
  });

  test('the new head leaves and is the only "head"; not everyone leaves', () => {
    assert.deepEqual(keyed(checkSplit(split({ newHeadPersonalId: B }))).sort(), [
      'NEW_HEAD_NOT_LEAVING@newHeadPersonalId', 'RELATIONSHIP_INVALID@members/0/relationship',
    ]);
    assert.deepEqual(keyed(checkSplit(split({ leaving: [{ personalId: A, relationship: 'head' }, { personalId: KID, relationship: 'head' }] }))), ['RELATIONSHIP_INVALID@members/1/relationship']);
    const all = [{ personalId: A, relationship: 'head' as const }, { personalId: B, relationship: 'sibling' as const }, { personalId: KID, relationship: 'child' as const }, { personalId: HEAD, relationship: 'father' as const }];
    assert.deepEqual(codes(checkSplit(split({ leaving: all }))), ['SPLIT_LEAVES_NOBODY']);
  });

  test('full civil capacity: a minor alone cannot split off, nor head the new household', () => {
    assert.deepEqual(keyed(checkSplit(split({ leaving: [{ personalId: KID, relationship: 'head' }], newHeadPersonalId: KID }))).sort(), [
      'NO_FULL_CIVIL_CAPACITY@members', 'NO_FULL_CIVIL_CAPACITY@newHeadPersonalId',
    ]);
    assert.deepEqual(
      keyed(checkSplit(split({ leaving: [{ personalId: A, relationship: 'mother' }, { personalId: KID, relationship: 'head' }], newHeadPersonalId: KID }))),
      ['NO_FULL_CIVIL_CAPACITY@newHeadPersonalId'],
    );
  });

  test('strangers, the dead and duplicates are refused per entry', () => {
    const withDead = household({ ...family, members: [...family.members, member(MEMBER, 'child', '1990', false)] });
    assert.deepEqual(
      keyed(checkSplit(split({ household: withDead, leaving: [{ personalId: A, relationship: 'head' }, { personalId: MEMBER, relationship: 'sibling' }, { personalId: STRANGER, relationship: 'sibling' }, { personalId: A, relationship: 'head' }] }))).sort(),
      ['CITIZEN_DECEASED@members/1/personalId', 'NOT_A_HOUSEHOLD_MEMBER@members/2/personalId', 'VALIDATION_FAILED@members/3/personalId'],
    );
    assert.deepEqual(codes(checkSplit(split({ household: { ...family, dissolved: true } }))), ['HOUSEHOLD_DISSOLVED']);
  });

  test('consent of the head and of the owner, unless a divorced spouse keeps living in the dwelling', () => {
    assert.deepEqual(keyed(checkSplit(split({ consents: [] }))), ['CONSENT_REQUIRED@consents']);
    assert.deepEqual(codes(checkSplit(split({ consents: [consent('household_head', A)] }))), ['CONSENT_FROM_WRONG_PERSON']);
    assert.deepEqual(checkSplit(split({ consents: [], divorcedSpouseKeepsDwelling: true })), []);
    assert.deepEqual(codes(checkSplit(split({ lawfulResidence: lawful('rented', OWNER) }))), ['CONSENT_REQUIRED']);
    assert.deepEqual(checkSplit(split({ lawfulResidence: lawful('rented', OWNER), consents: [consent('household_head', HEAD), consent('owner', OWNER)] })), []);
    assert.deepEqual(checkSplit(split({ lawfulResidence: lawful('rented', HEAD) })), []);
    assert.deepEqual(checkSplit(split({ lawfulResidence: lawful('borrowed', A) })), []);
    assert.deepEqual(checkSplit(split({ lawfulResidence: lawful('rented', OWNER), consents: [], divorcedSpouseKeepsDwelling: true })), []);
  });

  test('an e-ID consent that names nobody: once, first, needed or not; a dissolved household is refused before anything else', () => {
    const eid = consent('owner', undefined, 'eid_app');
    assert.deepEqual(keyedList(checkSplit(split({ consents: [consent('household_head', HEAD), eid] }))), ['CONSENT_INCOMPLETE@consents/1/personalId']);
    assert.deepEqual(keyedList(checkSplit(split({ consents: [eid], divorcedSpouseKeepsDwelling: true }))), ['CONSENT_INCOMPLETE@consents/0/personalId']);
    assert.deepEqual(
      keyedList(checkSplit(split({ consents: [consent('household_head', undefined, 'eid_app')], newHeadPersonalId: B }))).slice(0, 1),
      ['CONSENT_INCOMPLETE@consents/0/personalId'],
    );
    // head and owner checks both read the consents; the incomplete consent is still one fault
    const both = checkSplit(split({ lawfulResidence: lawful('rented', OWNER), consents: [eid] }));
    assertViolations(both, ['CONSENT_INCOMPLETE@consents/0/personalId'], ['CONSENT_REQUIRED@consents', 'CONSENT_FROM_WRONG_PERSON@consents']);
    assert.deepEqual(keyedList(checkSplit(split({ household: { ...family, dissolved: true }, consents: [eid] }))), ['HOUSEHOLD_DISSOLVED@householdId']);
  });
});

describe('household split: property against the oracle', () => {
  test('for random households and leaving subsets, the violations are exactly the oracle\'s', () => {
    let passing = 0;
    fc.assert(
      fc.property(splitArb, (f) => {
        const got = checkSplit(f);
        const { first, rest } = splitOracle(f);
        assertViolations(got, first, rest, JSON.stringify(f));
        if (got.length === 0) passing++;
      }),
      { numRuns: 1500 },
    );
    assert.ok(passing > 0, 'the generator should produce some valid splits');
  });

  test('valid splits stay valid with one more capable leaver, and each single fault gives its own code', () => {
    fc.assert(
      fc.property(validSplitArb, fc.constantFrom<Relationship>('child', 'sibling', 'wife'), (f, rel) => {
        assert.deepEqual(checkSplit(f), []);
        const leavingIds = new Set(f.leaving.map((l) => l.personalId));
        const extra = f.household.members.find((m) => capable(m, f.day) && m.personalId !== f.household.headPersonalId && !leavingIds.has(m.personalId));
        if (extra) assert.deepEqual(checkSplit({ ...f, leaving: [...f.leaving, { personalId: extra.personalId, relationship: rel }] }), []);
        const head = f.household.headPersonalId!;
        const withHead = { ...f, leaving: [...f.leaving, { personalId: head, relationship: rel }] };
        assert.ok(codes(checkSplit({ ...withHead, policy: residencePolicyFrom({ headMaySplitOff: false }) })).includes('HEAD_CANNOT_SPLIT_OFF'));
        assert.ok(!codes(checkSplit(withHead)).includes('HEAD_CANNOT_SPLIT_OFF'));
        assert.deepEqual(codes(checkSplit({ ...f, consents: [] })), ['CONSENT_REQUIRED']);
        assert.deepEqual(checkSplit({ ...f, consents: [], divorcedSpouseKeepsDwelling: true }), []);
        assert.deepEqual(codes(checkSplit({ ...f, leaving: f.leaving.map((l) => ({ ...l, relationship: rel })) })), ['RELATIONSHIP_INVALID']);
      }),
      { numRuns: 300 },
    );
  });
});

// ---------------------------------------------------------------- adjustment

describe('information adjustment: pinned examples', () => {
  const ADULT = '001990000031';
  const KID = '001990000032';
  const h = household({ members: [member(HEAD, 'head', '1960'), member(ADULT, 'wife', '1965'), member(KID, 'child', '2015')] });
  const adjust = (adjustment: Adjustment, consents = [consent('household_head', HEAD)], hh = h) => checkAdjustment({ day: DAY, household: hh, adjustment, consents });

  test('change_head: a capable member, with the outgoing head\'s consent and the outgoing head\'s new relationship', () => {
    const handover = [{ personalId: HEAD, relationship: 'husband' as const }];
    const to = (newHeadPersonalId: string, relationships: readonly { personalId: string; relationship: Relationship }[] = handover): Adjustment => ({ kind: 'change_head', newHeadPersonalId, relationships });
    assert.deepEqual(adjust(to(ADULT)), []);
    assert.deepEqual(keyed(adjust(to(ADULT), [])), ['CONSENT_REQUIRED@consents']);
    assert.deepEqual(keyed(adjust(to(ADULT, []))), ['RELATIONSHIP_INVALID@adjustment/relationships']);
    assert.deepEqual(keyed(adjust(to(KID))), ['NO_FULL_CIVIL_CAPACITY@adjustment/newHeadPersonalId']);
    assert.deepEqual(keyed(adjust(to(STRANGER))), ['NOT_A_HOUSEHOLD_MEMBER@adjustment/newHeadPersonalId']);
    assert.ok(keyed(adjust(to(HEAD, []))).includes('NO_CHANGE@adjustment/newHeadPersonalId'));
    assert.deepEqual(keyed(adjust(to(ADULT, [...handover, { personalId: KID, relationship: 'head' }, { personalId: ADULT, relationship: 'wife' }, { personalId: STRANGER, relationship: 'child' }]))), [
      'NOT_A_HOUSEHOLD_MEMBER@adjustment/relationships/3', 'RELATIONSHIP_INVALID@adjustment/relationships/1', 'RELATIONSHIP_INVALID@adjustment/relationships/2',
    ]);
    // a vacant headship, or a dead head, needs neither consent nor a relationship for the old head
    assert.deepEqual(adjust(to(ADULT, []), [], { ...h, headPersonalId: null }), []);
    assert.deepEqual(adjust(to(ADULT, []), [], { ...h, members: [member(HEAD, 'head', '1960', false), ...h.members.slice(1)] }), []);
    assert.deepEqual(keyed(adjust(to(ADULT), [], { ...h, members: [member(HEAD, 'head', '1960'), member(ADULT, 'wife', '1965', false)] })), ['CONSENT_REQUIRED@consents', 'NO_FULL_CIVIL_CAPACITY@adjustment/newHeadPersonalId']);
  });

  test('change_head: in a household with no member of full capacity, the members may nominate a living minor', () => {
    const orphans = household({ headPersonalId: null, members: [member(HEAD, 'head', '1960', false), member(ADULT, 'child', '2010'), member(KID, 'child', '2015')] });
    const nominate = (newHeadPersonalId: string, hh = orphans) =>
      adjust({ kind: 'change_head', newHeadPersonalId, relationships: [{ personalId: KID, relationship: 'sibling' }] }, [], hh);
    assert.deepEqual(nominate(ADULT), []);
    // the dead cannot be nominated
    assert.deepEqual(keyedList(nominate(HEAD)), ['NO_FULL_CIVIL_CAPACITY@adjustment/newHeadPersonalId']);
    // once a member has full capacity, only a capable member may head (the candidate counts too)
    const grownUp = { ...orphans, members: [...orphans.members.slice(0, 2), member(KID, 'child', '2008-03-10')] };
    assert.deepEqual(keyedList(nominate(ADULT, grownUp)), ['NO_FULL_CIVIL_CAPACITY@adjustment/newHeadPersonalId']);
    const notYet = { ...orphans, members: [...orphans.members.slice(0, 2), member(KID, 'child', '2008-03-11')] };
    assert.deepEqual(nominate(ADULT, notYet), []);
    // a living minor head hands over to another minor: the outgoing head consents and gets a relationship
    const minorHead = household({ headPersonalId: KID, members: [member(KID, 'head', '2012'), member(ADULT, 'sibling', '2010')] });
    assert.deepEqual(adjust({ kind: 'change_head', newHeadPersonalId: ADULT, relationships: [{ personalId: KID, relationship: 'sibling' }] }, [consent('household_head', KID)], minorHead), []);
  });

  test('consent-form violations: once per e-ID consent without an ID, first, in every kind of adjustment', () => {
    const eid = consent('parent_guardian', undefined, 'eid_app');
    assert.deepEqual(keyedList(adjust({ kind: 'identity_data', personalId: KID, fields: ['fullName'] }, [eid, eid])), [
      'CONSENT_INCOMPLETE@consents/0/personalId', 'CONSENT_INCOMPLETE@consents/1/personalId',
    ]);
    assert.deepEqual(keyedList(adjust({ kind: 'rename_address', address: h.address }, [eid])), ['CONSENT_INCOMPLETE@consents/0/personalId', 'NO_CHANGE@adjustment/address']);
    assertViolations(
      adjust({ kind: 'change_head', newHeadPersonalId: KID, relationships: [] }, [consent('household_head', undefined, 'eid_app')]),
      ['CONSENT_INCOMPLETE@consents/0/personalId'],
      ['NO_FULL_CIVIL_CAPACITY@adjustment/newHeadPersonalId', 'CONSENT_FROM_WRONG_PERSON@consents', 'RELATIONSHIP_INVALID@adjustment/relationships'],
    );
    assert.deepEqual(keyedList(adjust({ kind: 'rename_address', address: h.address }, [eid], { ...h, dissolved: true })), ['HOUSEHOLD_DISSOLVED@householdId']);
  });

  test('change_relationship: a member other than the head, to a new relationship other than head', () => {
    assert.deepEqual(adjust({ kind: 'change_relationship', personalId: KID, relationship: 'grandchild' }, []), []);
    assert.deepEqual(keyed(adjust({ kind: 'change_relationship', personalId: KID, relationship: 'child' })), ['NO_CHANGE@adjustment/relationship']);
    assert.deepEqual(keyed(adjust({ kind: 'change_relationship', personalId: KID, relationship: 'head' })), ['RELATIONSHIP_INVALID@adjustment/relationship']);
    assert.deepEqual(keyed(adjust({ kind: 'change_relationship', personalId: HEAD, relationship: 'father' })), ['RELATIONSHIP_INVALID@adjustment/relationship']);
    assert.deepEqual(keyed(adjust({ kind: 'change_relationship', personalId: STRANGER, relationship: 'child' })), ['NOT_A_HOUSEHOLD_MEMBER@adjustment/personalId']);
  });

  test('identity_data names a member and at least one field; rename_address changes the address', () => {
    assert.deepEqual(adjust({ kind: 'identity_data', personalId: KID, fields: ['fullName'] }), []);
    assert.deepEqual(keyed(adjust({ kind: 'identity_data', personalId: KID, fields: [] })), ['VALIDATION_FAILED@adjustment/fields']);
    assert.deepEqual(keyed(adjust({ kind: 'identity_data', personalId: STRANGER, fields: ['sex'] })), ['NOT_A_HOUSEHOLD_MEMBER@adjustment/personalId']);
    assert.deepEqual(adjust({ kind: 'rename_address', address: addr('00004', '12 phố Hàng Bạc') }), []);
    assert.deepEqual(keyed(adjust({ kind: 'rename_address', address: { country: 'VN', ...h.address } })), ['NO_CHANGE@adjustment/address']);
    assert.deepEqual(codes(adjust({ kind: 'identity_data', personalId: KID, fields: ['x'] }, [], { ...h, dissolved: true })), ['HOUSEHOLD_DISSOLVED']);
  });

  test('rename_address: moving an address to the 2025 unit list is a change, even when the code is the same', () => {
    // 00004 is Phường Trúc Bạch in the pre-2025 list and Phường Ba Đình in the 2025 list: the
    // reform renamed the unit, which is exactly what this adjustment records (Art. 26).
    const old = household({ address: { unitSet: 'pre2025', unitCode: '00004', detail: '12 Hàng Bạc' } });
    assert.deepEqual(adjust({ kind: 'rename_address', address: { unitSet: '2025', unitCode: '00004', detail: '12 Hàng Bạc' } }, [], old), []);
    assert.deepEqual(keyed(adjust({ kind: 'rename_address', address: { detail: '12 Hàng Bạc', unitCode: '00004', unitSet: 'pre2025' } }, [], old)), ['NO_CHANGE@adjustment/address']);
    assert.deepEqual(adjust({ kind: 'rename_address', address: { country: 'LA', ...h.address } }), []);
  });
});

describe('information adjustment: property of change_head', () => {
  test('violations = oracle for random households, candidates and relationship lists', () => {
    let nominations = 0;
    let nominationsRefused = 0;
    const arb = householdArb.chain(({ day, household: h }) => {
      const ids = h.members.map((m) => m.personalId);
      return fc.record({
        day: fc.constant(day),
        household: fc.constant(h),
        newHead: fc.constantFrom(...ids, STRANGER),
        relationships: fc.array(fc.record({ personalId: fc.constantFrom(...ids, STRANGER), relationship: relationshipArb }), { maxLength: 4 }),
        consents: fc.array(consentArb([...ids, STRANGER]), { maxLength: 3 }),
      });
    });
    fc.assert(
      fc.property(arb, (g) => {
        const h = g.household;
        const got = checkAdjustment({ day: g.day, household: h, consents: g.consents, adjustment: { kind: 'change_head', newHeadPersonalId: g.newHead, relationships: g.relationships } });
        const first: string[] = [];
        const expected: string[] = [];
        if (h.dissolved) first.push('HOUSEHOLD_DISSOLVED@householdId');
        else {
          first.push(...consentFormOracle(g.consents));
          const m = h.members.find((x) => x.personalId === g.newHead);
          if (!m) expected.push('NOT_A_HOUSEHOLD_MEMBER@adjustment/newHeadPersonalId');
          else if (!headCapacityOracle(m, h.members, g.day)) {
            expected.push('NO_FULL_CIVIL_CAPACITY@adjustment/newHeadPersonalId');
            if (!h.members.some((x) => capable(x, g.day))) nominationsRefused++;
          } else if (!capable(m, g.day)) nominations++;
          if (g.newHead === h.headPersonalId) expected.push('NO_CHANGE@adjustment/newHeadPersonalId');
          g.relationships.forEach((r, i) => {
            if (!h.members.some((x) => x.personalId === r.personalId)) expected.push(`NOT_A_HOUSEHOLD_MEMBER@adjustment/relationships/${i}`);
            if (r.relationship === 'head' || r.personalId === g.newHead) expected.push(`RELATIONSHIP_INVALID@adjustment/relationships/${i}`);
          });
          // the outgoing head, if alive, consents and is given a relationship to the new head
          const head = h.members.find((x) => x.personalId === h.headPersonalId);
          if (head?.alive) {
            expected.push(...consentKeys(g.consents, 'household_head', head.personalId));
            if (!g.relationships.some((r) => r.personalId === head.personalId)) expected.push('RELATIONSHIP_INVALID@adjustment/relationships');
          }
        }
        assertViolations(got, first, expected, JSON.stringify(g));
      }),
      { numRuns: 800 },
    );
    assert.ok(nominations > 0, 'the generator should produce households where the members nominate a minor');
    assert.ok(nominationsRefused > 0, 'and households with no capable member whose candidate is dead');
  });
});
