/** How a citizen's list of written requests names another person (decision 0040; domain/written-requests/seen-by.ts). */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { nameSeenBy, type NamedRecord } from '../../../src/domain/written-requests/seen-by.js';

const TODAY = '2026-06-01';
const record = (personalId: string, fullName: string, dateOfBirth: string, relatives: NamedRecord['relatives'] = []): NamedRecord => ({ personalId, fullName, dateOfBirth, relatives });
const PARENT = '001080000001';
const PARENT_OLD = '001080000009';

describe('nameSeenBy', () => {
  test('the name the viewer\'s own record gives, under any number the person has held', () => {
    const viewer = record(PARENT, 'Trần Văn Cha', '1980-01-01', [{ relation: 'child', personalId: '001211000002', fullName: 'Trần Văn Con' }]);
    assert.equal(nameSeenBy(viewer, ['001211000003', '001211000002'], undefined, TODAY), 'Trần Văn Con');
    // The record's name, not the person's current one (the viewer's record is what the viewer sees).
    assert.equal(nameSeenBy(viewer, ['001211000002'], record('001211000002', 'Trần Văn Con Mới', '2011-01-05'), TODAY), 'Trần Văn Con');
  });

  test('a person the viewer answers for: their own name (a child under 14, a ward), the viewer named by a cancelled number too', () => {
    const viewer = { ...record(PARENT, 'Trần Văn Cha', '1980-01-01'), numbers: [PARENT, PARENT_OLD] };
    const child = record('001218000004', 'Trần Thị Bé', '2018-08-08', [{ relation: 'mother', personalId: PARENT_OLD, fullName: 'Trần Văn Cha' }]);
    assert.equal(nameSeenBy(viewer, [child.personalId], child, TODAY), 'Trần Thị Bé');
    const ward = record('001150000005', 'Vũ Văn Giám', '1950-05-05', [{ relation: 'legalRepresentative', personalId: PARENT, fullName: 'Trần Văn Cha' }]);
    assert.equal(nameSeenBy(viewer, [ward.personalId], ward, TODAY), 'Vũ Văn Giám');
  });

  test('anyone else is not named: a child of 14 or more the viewer\'s record does not name, a stranger, a number nobody holds', () => {
    const viewer = record(PARENT, 'Trần Văn Cha', '1980-01-01');
    const teen = record('001211000006', 'Trần Văn Mười Lăm', '2011-01-05', [{ relation: 'father', personalId: PARENT, fullName: 'Trần Văn Cha' }]);
    assert.equal(nameSeenBy(viewer, [teen.personalId], teen, TODAY), undefined);
    assert.equal(nameSeenBy(viewer, ['001070000007'], record('001070000007', 'Phạm Văn Lạ', '1970-07-07'), TODAY), undefined);
    assert.equal(nameSeenBy(viewer, ['001070000008'], undefined, TODAY), undefined);
  });

  test('a relative of the viewer lends their name only to a number they held: others in the record, and one recorded without a number, name nobody else', () => {
    const viewer = record(PARENT, 'Trần Văn Cha', '1980-01-01', [
      { relation: 'mother', fullName: 'Nguyễn Thị Mẹ' },
      { relation: 'child', personalId: '001211000002', fullName: 'Trần Văn Con' },
    ]);
    assert.equal(nameSeenBy(viewer, ['001070000007'], record('001070000007', 'Phạm Văn Lạ', '1970-07-07'), TODAY), undefined);
    assert.equal(nameSeenBy(viewer, ['001070000008'], undefined, TODAY), undefined);
    assert.equal(nameSeenBy(viewer, ['001070000008', '001211000002'], undefined, TODAY), 'Trần Văn Con');
  });
});
