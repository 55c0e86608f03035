/** Who an approval changes (and so locks): everyone the request names in a changing role, once, in key order. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { peopleChangedBy, peopleNamedIn, renumberPeople, type ResidenceRequest } from '../../../src/domain/residence/requests.js';

const A = '001088000001';
const B = '001088000002';
const C = '001088000003';
const H = 'HK-00004-ABCDEFGH';
const HANG_BAC = { country: 'VN', unitSet: '2025', unitCode: '00004', detail: 'Số 3 Hàng Bạc' } as const;
const OWNED = { kind: 'owned' } as const;

test('a person procedure changes its person; a leaving head names who takes over, changed too', () => {
  const cases: [ResidenceRequest, string[]][] = [
    [{ procedure: 'temporary_registration', personalId: B, address: HANG_BAC, validUntil: '2027-01-01', lawfulResidence: OWNED, consents: [] }, [B]],
    [{ procedure: 'temporary_extension', personalId: B, validUntil: '2027-01-01', consents: [] }, [B]],
    [{ procedure: 'absence_declaration', personalId: B, ground: 'other_long_absence', from: '2026-06-01', until: '2027-06-01' }, [B]],
    [{ procedure: 'permanent_registration', personalId: C, address: HANG_BAC, lawfulResidence: OWNED, consents: [], newHeadOfCurrentHousehold: A }, [A, C]],
    [{ procedure: 'deregistration', personalId: C, kind: 'permanent', reason: 'emigration', newHeadPersonalId: A }, [A, C]],
    // Consenting owners and heads give their word; their own registrations do not change.
    [{ procedure: 'permanent_registration', personalId: B, household: { householdId: H, relationship: 'child' }, lawfulResidence: OWNED, consents: [{ role: 'household_head', method: 'signature', fullName: 'Chủ hộ', personalId: A }] }, [B]],
  ];
  for (const [r, people] of cases) assert.deepEqual(peopleChangedBy(r), people, r.procedure);
});

test('household procedures: the members who move or change role, once each, in key order', () => {
  assert.deepEqual(
    peopleChangedBy({ procedure: 'household_split', householdId: H, members: [{ personalId: C, relationship: 'head' }, { personalId: A, relationship: 'child' }], newHeadPersonalId: C, lawfulResidence: OWNED, consents: [], newHeadOfRemainingHousehold: B }),
    [A, B, C],
  );
  assert.deepEqual(peopleChangedBy({ procedure: 'information_adjustment', householdId: H, adjustment: { kind: 'change_head', newHeadPersonalId: C, relationships: [{ personalId: A, relationship: 'child' }] }, consents: [] }), [A, C]);
  assert.deepEqual(peopleChangedBy({ procedure: 'information_adjustment', householdId: H, adjustment: { kind: 'change_relationship', personalId: B, relationship: 'sibling' }, consents: [] }), [B]);
  // Renaming the address changes every member: only the register knows them (the service adds them).
  assert.deepEqual(peopleChangedBy({ procedure: 'information_adjustment', householdId: H, adjustment: { kind: 'rename_address', address: HANG_BAC }, consents: [] }), []);
});

test('every person a request names, in any role, and the request with re-issued numbers replaced', () => {
  const r: ResidenceRequest = {
    procedure: 'household_split', householdId: H, members: [{ personalId: C, relationship: 'head' }, { personalId: A, relationship: 'child' }], newHeadPersonalId: C,
    lawfulResidence: OWNED, consents: [{ role: 'household_head', method: 'signature', fullName: 'Chủ hộ', personalId: B }], newHeadOfRemainingHousehold: B,
  };
  assert.deepEqual(peopleNamedIn(r).sort(), [A, B, C]);
  const D = '001088000009';
  const moved = renumberPeople(r, new Map([[C, D]]));
  assert.deepEqual(peopleNamedIn(moved).sort(), [A, B, D]);
  assert.deepEqual(moved, { ...r, members: [{ personalId: D, relationship: 'head' }, { personalId: A, relationship: 'child' }], newHeadPersonalId: D });
  assert.equal((r as { newHeadPersonalId: string }).newHeadPersonalId, C, 'the request itself is left as it was');
});

test('renumbering reaches every role: the successor head of the current and of the remaining household, and a host', () => {
  const D = '001088000009';
  const E = '001088000010';
  const current = new Map([[A, D], [B, E]]);
  const reg: ResidenceRequest = { procedure: 'permanent_registration', personalId: C, address: HANG_BAC, lawfulResidence: OWNED, consents: [], newHeadOfCurrentHousehold: A };
  assert.deepEqual(peopleNamedIn(reg).sort(), [A, C]);
  assert.deepEqual(renumberPeople(reg, current), { ...reg, newHeadOfCurrentHousehold: D });
  const split: ResidenceRequest = { procedure: 'household_split', householdId: H, members: [{ personalId: C, relationship: 'head' }], newHeadPersonalId: C, lawfulResidence: OWNED, consents: [], newHeadOfRemainingHousehold: B };
  assert.deepEqual(peopleNamedIn(split).sort(), [B, C]);
  assert.deepEqual(renumberPeople(split, current), { ...split, newHeadOfRemainingHousehold: E });
  const stay: ResidenceRequest = { procedure: 'stay_notice', personalId: C, host: { fullName: 'Chủ nhà', personalId: A }, address: HANG_BAC, arrivalAt: '2026-06-01T08:00:00Z', departureOn: '2026-06-03' };
  assert.deepEqual(renumberPeople(stay, current), { ...stay, host: { fullName: 'Chủ nhà', personalId: D } });
});

test('a role left without a number names nobody, and a null value (as stored JSON may hold) is kept as it is', () => {
  const stay: ResidenceRequest = { procedure: 'stay_notice', personalId: C, host: { fullName: 'Chủ nhà', personalId: undefined }, address: HANG_BAC, arrivalAt: '2026-06-01T08:00:00Z', departureOn: '2026-06-03' };
  assert.deepEqual(peopleNamedIn(stay), [C]);
  assert.deepEqual(renumberPeople(stay, new Map([[C, A]])), { ...stay, personalId: A });
  const withNull = { procedure: 'temporary_extension', personalId: B, validUntil: '2027-01-01', consents: [], note: null } as unknown as ResidenceRequest;
  assert.deepEqual(peopleNamedIn(withNull), [B]);
  assert.deepEqual(renumberPeople(withNull, new Map([[B, A]])), { ...withNull, personalId: A });
});
