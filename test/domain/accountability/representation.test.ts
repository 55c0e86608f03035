/** Whose usage a citizen may see: self, a minor child, a person they legally represent. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isMinorOn, majorityDay, representationGround, type RecordFacts } from '../../../src/domain/accountability/representation.js';

const person = (personalId: string, dateOfBirth: string, relatives: RecordFacts['relatives'] = []): RecordFacts => ({ personalId, dateOfBirth, relatives });
const PARENT = '001080000001';
const CHILD = '001210000002';
const OTHER = '001090000003';

describe('isMinorOn', () => {
  test('18th birthday is the first day of majority; 29 February turns 18 on 1 March in a common year', () => {
    assert.equal(isMinorOn('2008-06-01', '2026-05-31'), true);
    assert.equal(isMinorOn('2008-06-01', '2026-06-01'), false);
    assert.equal(majorityDay('2008-02-29'), '2026-02-29');
    assert.equal(isMinorOn('2008-02-29', '2026-02-28'), true);
    assert.equal(isMinorOn('2008-02-29', '2026-03-01'), false);
  });

  test('the majority day is written with a four-digit year, so it compares as text with any YYYY-MM-DD day', () => {
    assert.equal(majorityDay('0980-05-05'), '0998-05-05');
    assert.equal(isMinorOn('0980-05-05', '0998-05-04'), true);
    assert.equal(isMinorOn('0980-05-05', '0998-05-05'), false);
  });

  test('a partial date of birth counts from its earliest day (minor only if certainly so)', () => {
    assert.equal(isMinorOn('2008', '2025-12-31'), true);
    assert.equal(isMinorOn('2008', '2026-01-01'), false); // might have been born on 1 January
    assert.equal(isMinorOn('2008-07', '2026-06-30'), true);
    assert.equal(isMinorOn('2008-07', '2026-07-01'), false);
  });

  test('property: a minor on a day was a minor on every earlier day; one is a minor at birth and not at 18 years and a day', () => {
    const day = fc.date({ min: new Date('1950-01-01T00:00:00Z'), max: new Date('2090-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(day, day, day, (dob, a, b) => {
        const [early, late] = a <= b ? [a, b] : [b, a];
        if (isMinorOn(dob, late)) assert.equal(isMinorOn(dob, early), true);
        assert.equal(isMinorOn(dob, dob), true);
        const after = `${Number(dob.slice(0, 4)) + 18}-12-31`;
        if (dob.slice(5) !== '12-31') assert.equal(isMinorOn(dob, after), false);
      }),
    );
  });
});

describe('representationGround', () => {
  const today = '2026-06-01';
  test('oneself; a minor child whose record names the parent; a legal representative named by the represented person', () => {
    assert.equal(representationGround(person(PARENT, '1980'), person(PARENT, '1980'), today), 'self');
    assert.equal(representationGround(person(PARENT, '1980'), person(CHILD, '2015-01-01', [{ relation: 'father', personalId: PARENT }]), today), 'minor_child');
    assert.equal(representationGround(person(PARENT, '1980'), person(CHILD, '2015-01-01', [{ relation: 'mother', personalId: PARENT }]), today), 'minor_child');
    assert.equal(representationGround(person(PARENT, '1980', [{ relation: 'child', personalId: CHILD }]), person(CHILD, '2015-01-01', [{ relation: 'mother', personalId: PARENT }]), today), 'minor_child');
    assert.equal(representationGround(person(PARENT, '1980'), person(OTHER, '1950', [{ relation: 'legalRepresentative', personalId: PARENT }]), today), 'legal_representative');
  });

  test('refused: an adult child, a stranger, a spouse, a representedPerson link on the representative\'s side only', () => {
    assert.equal(representationGround(person(PARENT, '1980'), person(CHILD, '2000-01-01', [{ relation: 'father', personalId: PARENT }]), today), undefined);
    assert.equal(representationGround(person(PARENT, '1980'), person(OTHER, '2015-01-01'), today), undefined);
    assert.equal(representationGround(person(PARENT, '1980'), person(OTHER, '1985', [{ relation: 'spouse', personalId: PARENT }]), today), undefined);
    assert.equal(representationGround(person(PARENT, '1980', [{ relation: 'representedPerson', personalId: OTHER }]), person(OTHER, '1950'), today), undefined);
    // The parent's own stale `child` link (an adoption, a loss of parental rights): the child's record names someone else.
    assert.equal(representationGround(person(PARENT, '1980', [{ relation: 'child', personalId: CHILD }]), person(CHILD, '2015-01-01'), today), undefined);
    assert.equal(representationGround(person(PARENT, '1980', [{ relation: 'child', personalId: CHILD }]), person(CHILD, '2015-01-01', [{ relation: 'father', personalId: OTHER }]), today), undefined);
    // A child names the father by ID: another person with no ID link gets nothing.
    assert.equal(representationGround(person(OTHER, '1980'), person(CHILD, '2015-01-01', [{ relation: 'father', personalId: PARENT }]), today), undefined);
  });

  test('a record naming the actor by a number since re-issued names them, when the actor\'s numbers are given (numbersOfPerson); not otherwise', () => {
    const OLD = '001079000001';
    const reissued = { ...person(PARENT, '1980'), numbers: [PARENT, OLD] };
    assert.equal(representationGround(reissued, person(CHILD, '2015-01-01', [{ relation: 'father', personalId: OLD }]), today), 'minor_child');
    assert.equal(representationGround(reissued, person(OTHER, '1950', [{ relation: 'legalRepresentative', personalId: OLD }]), today), 'legal_representative');
    assert.equal(representationGround(person(PARENT, '1980'), person(CHILD, '2015-01-01', [{ relation: 'father', personalId: OLD }]), today), undefined);
    assert.equal(representationGround(reissued, person(CHILD, '2000-01-01', [{ relation: 'father', personalId: OLD }]), today), undefined, 'still only a minor');
  });

  test('property: a ground other than self needs a link naming the two people', () => {
    const id = fc.stringMatching(/^\d{12}$/);
    const relation = fc.constantFrom('father', 'mother', 'spouse', 'child', 'legalRepresentative', 'representedPerson');
    const relatives = fc.array(fc.record({ relation, personalId: fc.option(id, { nil: undefined }) }), { maxLength: 4 });
    const dob = fc.constantFrom('1950', '1990-02', '2010-05-06', '2015', '2020-12-31');
    fc.assert(
      fc.property(id, id, dob, dob, relatives, relatives, (a, b, dobA, dobB, relA, relB) => {
        const actor = person(a, dobA, relA);
        const other = person(b, dobB, relB);
        const ground = representationGround(actor, other, today);
        if (a === b) return assert.equal(ground, 'self');
        const linked = relA.some((r) => r.personalId === b) || relB.some((r) => r.personalId === a);
        if (!linked) assert.equal(ground, undefined);
        if (ground === 'minor_child') {
          assert.equal(isMinorOn(dobB, today), true);
          // The child's record is what decides: a link on the parent's side alone never is.
          assert.ok(relB.some((r) => (r.relation === 'father' || r.relation === 'mother') && r.personalId === a));
        }
        if (ground === 'legal_representative') assert.ok(relB.some((r) => r.relation === 'legalRepresentative' && r.personalId === a));
      }),
    );
  });
});
