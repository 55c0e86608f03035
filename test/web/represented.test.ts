/** The "about whom" choices of the citizen's pages: the children and represented people one's record names by ID. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { representedPeople, type RelativeLink } from '../../web/src/pages/citizen/represented.js';

describe('representedPeople', () => {
  it('children and represented people with a personal ID, each once, in the record\'s order; parents, spouses and links without an ID are not offered', () => {
    assert.deepEqual(
      representedPeople([
        { relation: 'father', personalId: '001050000001', fullName: 'Cha' },
        { relation: 'child', personalId: '001216000001', fullName: 'Con Một' },
        { relation: 'spouse', personalId: '001082000001', fullName: 'Vợ' },
        { relation: 'child', fullName: 'Con Không Số' },
        { relation: 'representedPerson', personalId: '001950000001', fullName: 'Bà' },
        { relation: 'child', personalId: '001216000001', fullName: 'Con Một' },
        { relation: 'legalRepresentative', personalId: '001070000001', fullName: 'Người Giám Hộ' },
      ]),
      [
        { personalId: '001216000001', fullName: 'Con Một', relation: 'child' },
        { personalId: '001950000001', fullName: 'Bà', relation: 'representedPerson' },
      ],
    );
    assert.deepEqual(representedPeople([]), []);
  });

  it('property: every choice is a child or represented person the record names by that ID; no ID twice; none left out', () => {
    const id = fc.constantFrom('001216000001', '001216000002', '001950000001');
    const relative = fc.record({ relation: fc.constantFrom('father', 'mother', 'spouse', 'child', 'legalRepresentative', 'representedPerson'), personalId: fc.option(id, { nil: undefined }), fullName: fc.string({ minLength: 1, maxLength: 5 }) });
    fc.assert(
      fc.property(fc.array(relative, { maxLength: 8 }), (relatives) => {
        const rs: RelativeLink[] = relatives.map(({ personalId, ...r }) => (personalId === undefined ? r : { ...r, personalId }));
        const people = representedPeople(rs);
        assert.equal(new Set(people.map((p) => p.personalId)).size, people.length);
        for (const p of people) assert.ok(rs.some((r) => r.relation === p.relation && r.personalId === p.personalId && r.fullName === p.fullName));
        for (const r of rs) if ((r.relation === 'child' || r.relation === 'representedPerson') && r.personalId !== undefined) assert.ok(people.some((p) => p.personalId === r.personalId), JSON.stringify(r));
      }),
    );
  });
});
