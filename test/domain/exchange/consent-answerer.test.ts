/** Who answers a consent request about a person (decision 0044, 2026-06 addition): the usage view's ground, the e-ID account's representative. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { representationGround, type RecordFacts } from '../../../src/domain/accountability/representation.js';
import { mayRepresent } from '../../../src/domain/eid/rules.js';
import { consentAnswerer, consentRepresentatives } from '../../../src/domain/exchange/consent-answerer.js';

const person = (personalId: string, dateOfBirth: string, relatives: RecordFacts['relatives'] = []): RecordFacts => ({ personalId, dateOfBirth, relatives });
const PARENT = '001080000001';
const OTHER_PARENT = '001080000002';
const GUARDIAN = '001070000009';
const STRANGER = '001090000003';
const TODAY = '2026-06-01';
const parents = [{ relation: 'father', personalId: PARENT }, { relation: 'mother', personalId: OTHER_PARENT }];

describe('consentAnswerer', () => {
  test('the matrix: self; a parent of a child under 14; not of a 14–17-year-old (precise code), nor of an adult; a legal representative at any age; a stranger', () => {
    const me = person(PARENT, '1980-01-01');
    const cases: [string, RecordFacts, RecordFacts, unknown][] = [
      ['self', me, me, { ground: 'self' }],
      ['10-year-old', me, person('001216000001', '2016-01-01', parents), { ground: 'minor_child' }],
      ['13 the day before 14', me, person('001212000001', '2012-06-02', parents), { ground: 'minor_child' }],
      ['14 today', me, person('001212000002', '2012-06-01', parents), { refused: 'CONSENT_ANSWERED_BY_SUBJECT' }],
      ['15-year-old', me, person('001211000001', '2011-01-01', parents), { refused: 'CONSENT_ANSWERED_BY_SUBJECT' }],
      ['adult child', me, person('001200000001', '2000-01-01', parents), { refused: 'NOT_REPRESENTED' }],
      ['a stranger\'s child', person(STRANGER, '1980-01-01'), person('001216000002', '2016-01-01', parents), { refused: 'NOT_REPRESENTED' }],
      ['guardian of an adult', person(GUARDIAN, '1970-01-01'), person('001950000001', '1950-01-01', [{ relation: 'legalRepresentative', personalId: GUARDIAN }]), { ground: 'legal_representative' }],
      ['guardian of a 15-year-old', person(GUARDIAN, '1970-01-01'), person('001211000002', '2011-01-01', [{ relation: 'legalRepresentative', personalId: GUARDIAN }]), { ground: 'legal_representative' }],
      ['the parent\'s own child link only', person(PARENT, '1980-01-01', [{ relation: 'child', personalId: '001216000003' }]), person('001216000003', '2016-01-01'), { refused: 'NOT_REPRESENTED' }],
    ];
    for (const [name, actor, subject, expected] of cases) assert.deepEqual(consentAnswerer(actor, subject, TODAY), expected, name);
  });

  test('a partial date of birth: the parent answers while the child may still be under 14 (the e-ID account\'s protective reading)', () => {
    const kid = person('001212000003', '2012', parents);
    assert.deepEqual(consentAnswerer(person(PARENT, '1980'), kid, '2026-12-30'), { ground: 'minor_child' });
    assert.deepEqual(consentAnswerer(person(PARENT, '1980'), kid, '2026-12-31'), { refused: 'CONSENT_ANSWERED_BY_SUBJECT' });
  });

  test('the child\'s record naming the parent by a number since re-issued: the parent answers when their numbers are given; a 15-year-old still alone', () => {
    const OLD = '001079000001';
    const me = { ...person(PARENT, '1980-01-01'), numbers: [PARENT, OLD] };
    const byOld = [{ relation: 'father', personalId: OLD }];
    assert.deepEqual(consentAnswerer(me, person('001216000001', '2016-01-01', byOld), TODAY), { ground: 'minor_child' });
    assert.deepEqual(consentAnswerer(me, person('001211000001', '2011-01-01', byOld), TODAY), { refused: 'CONSENT_ANSWERED_BY_SUBJECT' });
    assert.deepEqual(consentAnswerer(person(PARENT, '1980-01-01'), person('001216000001', '2016-01-01', byOld), TODAY), { refused: 'NOT_REPRESENTED' });
    assert.ok(mayRepresent(person('001216000001', '2016-01-01', byOld), [PARENT, OLD], TODAY));
  });

  test('property: it adds no rule — allowed exactly when the usage view gives a ground and, for another person, the e-ID account lets them act', () => {
    const id = fc.constantFrom(PARENT, OTHER_PARENT, GUARDIAN, STRANGER);
    const day = fc.date({ min: new Date('1940-01-01T00:00:00Z'), max: new Date('2026-05-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    const dob = fc.oneof(day, day.map((d) => d.slice(0, 4)), day.map((d) => d.slice(0, 7)));
    const relatives = fc.array(fc.record({ relation: fc.constantFrom('father', 'mother', 'legalRepresentative', 'spouse', 'child'), personalId: id }), { maxLength: 4 });
    fc.assert(
      fc.property(id, dob, relatives, (actorId, birth, rels) => {
        const actor = person(actorId, '1970-01-01');
        const subject = person('001200000009', birth, rels);
        const a = consentAnswerer(actor, subject, TODAY);
        const ground = representationGround(actor, subject, TODAY);
        if ('ground' in a) {
          assert.equal(a.ground, ground);
          assert.ok(mayRepresent(subject, actorId, TODAY));
          assert.ok(consentRepresentatives(subject, TODAY).includes(actorId), 'whoever answers is told');
        } else {
          assert.equal(a.refused, ground === undefined ? 'NOT_REPRESENTED' : 'CONSENT_ANSWERED_BY_SUBJECT');
          assert.ok(!consentRepresentatives(subject, TODAY).includes(actorId), 'whoever is told answers');
        }
      }),
    );
  });
});

describe('consentRepresentatives', () => {
  test('both parents of a child under 14 and a guardian, each once; nobody for a 15-year-old with parents only; the guardian of an adult', () => {
    const kid = person('001216000001', '2016-01-01', [...parents, { relation: 'legalRepresentative', personalId: GUARDIAN }, { relation: 'father', personalId: PARENT }]);
    assert.deepEqual(consentRepresentatives(kid, TODAY), [PARENT, OTHER_PARENT, GUARDIAN]);
    assert.deepEqual(consentRepresentatives(person('001211000001', '2011-01-01', parents), TODAY), []);
    assert.deepEqual(consentRepresentatives(person('001950000001', '1950-01-01', [{ relation: 'legalRepresentative', personalId: GUARDIAN }, { relation: 'child', personalId: STRANGER }]), TODAY), [GUARDIAN]);
    assert.deepEqual(consentRepresentatives(person('001216000001', '2016-01-01', [{ relation: 'father' }]), TODAY), [], 'a parent named without a personal ID cannot be told');
  });

  test('a parent named without a personal ID is passed over, the others still told; a record naming its own number as parent or guardian does not make the person their own representative', () => {
    assert.deepEqual(consentRepresentatives(person('001216000001', '2016-01-01', [{ relation: 'father' }, { relation: 'mother', personalId: OTHER_PARENT }]), TODAY), [OTHER_PARENT]);
    const self = '001216000004';
    assert.deepEqual(consentRepresentatives(person(self, '2016-01-01', [{ relation: 'father', personalId: self }, { relation: 'legalRepresentative', personalId: self }, { relation: 'mother', personalId: OTHER_PARENT }]), TODAY), [OTHER_PARENT]);
  });
});
