/** The generator over the bundled reference lists (loaded by the store's loader, as the demo does). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generatePopulation, generateResidentPopulation, unitListsFrom, type GeneratorInput } from '../../src/generator/population.js';
import { loadNameLists, loadReferenceData } from '../../src/store/reference-data.js';
import { TEST_NOW } from './fixtures.js';
import { residenceProblems } from './household-invariants.js';
import { batchProblems, citizenProblems, contextOf } from './invariants.js';

describe('generatePopulation with the bundled lists', () => {
  const ref = loadReferenceData();
  const names = loadNameLists();
  const input: GeneratorInput = { seed: 2021, count: 20_000, names, units: unitListsFrom(ref.adminUnits), now: TEST_NOW };
  const batches = [...generatePopulation(input)];
  const all = batches.flat();

  it('uses all 63 and 34 provinces', () => {
    assert.equal(input.units.pre2025Provinces.length, 63);
    assert.equal(input.units.provinces2025.length, 34);
  });

  it('gives valid, linked citizens whose codes are all in the category lists', () => {
    assert.equal(all.length, 20_000);
    const ctx = contextOf(input);
    assert.deepEqual(all.flatMap((c) => citizenProblems(c, ctx)).slice(0, 10), []);
    assert.deepEqual(batches.flatMap(batchProblems).slice(0, 10), []);
    const codes = (list: { code: string }[]): Set<string> => new Set(list.map((e) => e.code));
    const lists = {
      ethnicity: codes(ref.ethnicities),
      religion: codes(ref.religions),
      bloodGroup: codes(ref.bloodGroups),
      maritalStatus: codes(ref.maritalStatuses),
      nationality: codes(ref.nationalities),
    };
    for (const c of all) {
      for (const [field, known] of Object.entries(lists)) {
        assert.ok(known.has(c[field as keyof typeof lists]), `${field} ${c[field as keyof typeof lists]}`);
      }
    }
    // Ethnic groups beyond the largest ones appear too.
    assert.ok(new Set(all.map((c) => c.ethnicity)).size > 20);
  });

  it('gives households and registrations in the 2025 communes, consistent with the families', () => {
    const ctx = contextOf(input);
    const resident = [...generateResidentPopulation({ ...input, count: 5000 })];
    assert.deepEqual(resident.flatMap((b) => residenceProblems(b, ctx)).slice(0, 10), []);
    assert.ok(resident.some((b) => b.residence.registrations.some((r) => r.kind === 'temporary')));
  });
});
