/** Citizen history: diffs undo exactly, and as-of walks back version by version. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Citizen } from '../../src/domain/citizen/citizen.js';
import { citizenAsOf, citizenAtVersion, diffCitizens, undoChanges, type HistoryEntry } from '../../src/domain/citizen/history.js';

const base: Citizen = {
  personalId: '001090000001',
  version: 1,
  fullName: 'Nguyễn Văn An',
  otherNames: [],
  dateOfBirth: '1990-01-01',
  sex: 'male',
  placeOfBirth: { country: 'VN', unitSet: 'pre2025', unitCode: '01' },
  birthRegistrationPlace: { country: 'VN', unitSet: 'pre2025', unitCode: '01' },
  hometown: { country: 'VN', unitSet: 'pre2025', unitCode: '01' },
  ethnicity: '01',
  religion: '00',
  nationality: 'VN',
  bloodGroup: '00',
  maritalStatus: '1',
  relatives: [],
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

const patchArb = fc.record(
  {
    fullName: fc.constantFrom('Nguyễn Văn Bình', 'Lê Thị Hoa'),
    maritalStatus: fc.constantFrom('1', '2', '3'),
    phone: fc.option(fc.constantFrom('0912345678', '0987654321'), { nil: undefined }),
    email: fc.option(fc.constantFrom('a@example.vn'), { nil: undefined }),
    otherNames: fc.array(fc.constantFrom('Tèo', 'Bé'), { maxLength: 2 }),
    permanentResidence: fc.option(fc.record({ unitSet: fc.constant('2025' as const), unitCode: fc.constantFrom('00004', '00008'), detail: fc.constantFrom('Số 1', 'Số 2') }, { noNullPrototype: true }), { nil: undefined }),
  },
  { requiredKeys: [], noNullPrototype: true },
);

test('property: undoing a diff restores the previous record exactly', () => {
  fc.assert(
    fc.property(patchArb, patchArb, (p1, p2) => {
      const v1 = { ...base, ...p1 } as Citizen;
      for (const k of Object.keys(v1) as (keyof Citizen)[]) if (v1[k] === undefined) delete v1[k];
      const v2 = { ...v1, ...p2 } as Citizen;
      for (const k of Object.keys(v2) as (keyof Citizen)[]) if (v2[k] === undefined) delete v2[k];
      const changes = diffCitizens(v1, v2);
      assert.deepEqual(undoChanges(v2, changes), v1);
      assert.equal(Object.keys(diffCitizens(v1, v1)).length, 0);
    }),
  );
});

test('property: as-of at any instant gives the version in force then', () => {
  fc.assert(
    fc.property(fc.array(patchArb, { minLength: 1, maxLength: 6 }), fc.integer({ min: 0, max: 8 }), (patches, probe) => {
      const versions: Citizen[] = [base];
      const history: HistoryEntry[] = [
        { personalId: base.personalId, version: 1, recordedAt: base.createdAt, actorId: 'x', source: 'officer', kind: 'registerBirth', changes: {} },
      ];
      patches.forEach((p, i) => {
        const prev = versions[versions.length - 1]!;
        const at = new Date(Date.UTC(2026, 1, i + 1)).toISOString();
        const next = { ...prev, ...p, version: prev.version + 1, updatedAt: at } as Citizen;
        for (const k of Object.keys(next) as (keyof Citizen)[]) if (next[k] === undefined) delete next[k];
        history.push({ personalId: base.personalId, version: next.version, recordedAt: at, actorId: 'x', source: 'officer', kind: 'update', changes: diffCitizens(prev, next) });
        versions.push(next);
      });
      const current = versions[versions.length - 1]!;
      const instant = probe === 0 ? '2025-12-31T00:00:00.000Z' : new Date(Date.UTC(2026, 1, probe, 12)).toISOString();
      const expected = probe === 0 ? undefined : versions[Math.min(probe, versions.length - 1)];
      assert.deepEqual(citizenAsOf(current, [...history].reverse(), instant), expected);
    }),
  );
});

test('citizenAtVersion undoes exactly the later versions', () => {
  const v2 = { ...base, version: 2, maritalStatus: '2', updatedAt: '2026-02-01T00:00:00.000Z' };
  const v3 = { ...v2, version: 3, phone: '0912345678', updatedAt: '2026-03-01T00:00:00.000Z' };
  const history: HistoryEntry[] = [
    { personalId: base.personalId, version: 1, recordedAt: base.createdAt, actorId: 'x', source: 'officer', kind: 'registerBirth', changes: {} },
    { personalId: base.personalId, version: 2, recordedAt: v2.updatedAt, actorId: 'x', source: 'officer', kind: 'update', changes: diffCitizens(base, v2) },
    { personalId: base.personalId, version: 3, recordedAt: v3.updatedAt, actorId: 'x', source: 'officer', kind: 'update', changes: diffCitizens(v2, v3) },
  ];
  assert.deepEqual(citizenAtVersion(v3, history, 1), base);
  assert.deepEqual(citizenAtVersion(v3, history, 2), v2);
  assert.deepEqual(citizenAtVersion(v3, history, 3), v3);
});
