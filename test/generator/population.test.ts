import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { earliestDay } from '../../src/domain/dates/partial-date.js';
import { MAX_FAMILY_SIZE, generateAll, generatePopulation, type GeneratedCitizen } from '../../src/generator/population.js';
import { AffineBijection } from '../../src/generator/identifiers.js';
import { WeightedTable, createRandom, mulMod } from '../../src/generator/random.js';
import { TEST_NOW, testInput } from './fixtures.js';
import { batchProblems, citizenProblems, contextOf } from './invariants.js';

const N = 50_000;
const big = generatePopulation(testInput(20250701, N), 1000);
const batches: GeneratedCitizen[][] = [...big];
const all = batches.flat();
const ctx = contextOf(testInput(20250701, N));

function share(list: readonly GeneratedCitizen[], test: (c: GeneratedCitizen) => boolean): number {
  return list.filter(test).length / list.length;
}

function ageYears(c: GeneratedCitizen): number {
  return (Date.parse(TEST_NOW) - Date.parse(earliestDay(c.dateOfBirth))) / (365.2425 * 86_400_000);
}

describe('random', () => {
  it('is deterministic per seed and uniform enough', () => {
    const a = createRandom(7);
    const b = createRandom(7);
    const xs = Array.from({ length: 1000 }, () => a.next());
    assert.deepEqual(xs, Array.from({ length: 1000 }, () => b.next()));
    assert.notDeepEqual(xs, Array.from({ length: 1000 }, () => createRandom(8).next()));
    const r = createRandom(1);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 40_000; i++) counts[r.int(4)]!++;
    for (const n of counts) assert.ok(Math.abs(n - 10_000) < 500, `bucket ${n}`);
  });

  it('weighted picks follow the weights', () => {
    const table = new WeightedTable([1, 0, 3]);
    const r = createRandom(3);
    const counts = [0, 0, 0];
    for (let i = 0; i < 40_000; i++) counts[r.weighted(table)]!++;
    assert.equal(counts[1], 0);
    assert.ok(Math.abs(counts[2]! / 40_000 - 0.75) < 0.01);
  });

  it('mulMod is exact and the affine map is a bijection', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 2n ** 34n }), fc.bigInt({ min: 0n, max: 2n ** 34n }), fc.bigInt({ min: 0n, max: 2n ** 34n }), (m, a, b) => {
        assert.equal(BigInt(mulMod(Number(a % m), Number(b % m), Number(m))), ((a % m) * (b % m)) % m);
      }),
    );
    const f = new AffineBijection(1000, 123_456_789, 987);
    assert.equal(new Set(Array.from({ length: 1000 }, (_, n) => f.at(n))).size, 1000);
  });
});

describe('generatePopulation', () => {
  it('is deterministic: the same seed gives the same people, another seed others', () => {
    const a = generateAll(testInput(99, 3000));
    assert.deepEqual(generateAll(testInput(99, 3000)), a);
    const other = generateAll(testInput(100, 3000));
    assert.notDeepEqual(other, a);
    const ids = new Set(a.map((c) => c.personalId));
    assert.ok(other.filter((c) => ids.has(c.personalId)).length < 30, 'different seeds share few IDs');
  });

  it('does not depend on the batch size, and never exceeds it', () => {
    const small = [...generatePopulation(testInput(5, 2000), 13)];
    for (const b of small) assert.ok(b.length >= 1 && b.length <= 13);
    assert.deepEqual(small.flat(), generateAll(testInput(5, 2000)));
  });

  it(`gives ${N.toLocaleString('en')} valid citizens with unique identifiers`, () => {
    assert.equal(all.length, N);
    const problems = all.flatMap((c) => citizenProblems(c, ctx));
    assert.deepEqual(problems.slice(0, 10), []);
    const unique = (values: (string | undefined)[]): void => {
      const present = values.filter((v): v is string => v !== undefined);
      assert.equal(new Set(present).size, present.length);
    };
    unique(all.map((c) => c.personalId));
    unique(all.map((c) => c.legacyIdNumber));
    unique(all.map((c) => c.phone));
  });

  it('keeps each family in one batch, linked both ways', () => {
    for (const b of batches) assert.ok(b.length <= 1000);
    assert.deepEqual(batches.flatMap(batchProblems).slice(0, 10), []);
    const withParents = share(all, (c) => c.relatives.some((r) => r.relation === 'mother' || r.relation === 'father'));
    const married = share(all, (c) => c.relatives.some((r) => r.relation === 'spouse'));
    assert.ok(withParents > 0.3 && married > 0.35, `${withParents} ${married}`);
  });

  it('has roughly Vietnam-like distributions', () => {
    const near = (value: number, target: number, tolerance: number, what: string): void =>
      assert.ok(Math.abs(value - target) <= tolerance, `${what}: ${value.toFixed(4)} not within ${tolerance} of ${target}`);
    near(share(all, (c) => c.sex === 'male'), 0.5, 0.02, 'male share');
    near(share(all, (c) => c.ethnicity === '01'), 0.85, 0.02, 'Kinh share');
    near(share(all, (c) => c.religion === '00'), 0.85, 0.02, 'no religion');
    const before2000 = all.filter((c) => Number(c.dateOfBirth.slice(0, 4)) < 2000);
    near(share(before2000, (c) => c.legacyIdNumber !== undefined), 0.7, 0.02, 'legacy share');
    const ages = all.map(ageYears).sort((x, y) => x - y);
    near(ages[ages.length >> 1]!, 33, 3, 'median age');
    near(share(all, (c) => ageYears(c) < 15), 0.21, 0.05, 'under 15');
    const elderly = all.filter((c) => ageYears(c) >= 60);
    near(share(elderly, (c) => c.dateOfDeath !== undefined), 0.008, 0.006, 'deceased elderly');
    near(share(all.filter((c) => Number(c.dateOfBirth.slice(0, 4)) < 1960), (c) => c.dateOfBirth.length < 10), 0.02, 0.015, 'partial dates');
    near(share(all, (c) => c.otherNames.length > 0), 0.01, 0.006, 'other names');
    near(share(all, (c) => c.bloodGroup === '04'), 0.4, 0.03, 'blood group O (04)');
    const adults = all.filter((c) => ageYears(c) >= 18 && c.dateOfDeath === undefined);
    assert.ok(share(adults, (c) => c.phone !== undefined) > 0.75, 'most adults have a phone');
    for (const status of ['1', '2', '3', '4']) assert.ok(adults.some((c) => c.maritalStatus === status), `status ${status}`);
  });

  it('property: any seed, count and date give exactly count valid, linked citizens', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -(2 ** 40), max: 2 ** 40 }),
        fc.integer({ min: 0, max: 250 }),
        fc.integer({ min: 1, max: 40 }),
        fc.date({ min: new Date('1995-01-01T00:00:00Z'), max: new Date('2090-12-31T23:59:59Z'), noInvalidDate: true }),
        (seed, count, batchSize, now) => {
          const input = { ...testInput(seed, count), now: now.toISOString() };
          const out = [...generatePopulation(input, batchSize)];
          assert.equal(out.reduce((n, b) => n + b.length, 0), count);
          for (const b of out) assert.ok(b.length > 0 && b.length <= Math.max(batchSize, MAX_FAMILY_SIZE));
          const c = contextOf(input);
          const problems = [...out.flat().flatMap((x) => citizenProblems(x, c)), ...out.flatMap(batchProblems)];
          assert.deepEqual(problems.slice(0, 5), []);
          assert.equal(new Set(out.flat().map((x) => x.personalId)).size, count);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('the invariant checks do catch broken records', () => {
    const family = batches[0]!.find((c) => c.relatives.some((r) => r.relation === 'mother'))!;
    const flip = (id: string): string => id.slice(0, 3) + String((Number(id[3]) + 1) % 10) + id.slice(4);
    assert.notDeepEqual(citizenProblems({ ...family, personalId: flip(family.personalId) }, ctx), []);
    assert.notDeepEqual(citizenProblems({ ...family, fullName: 'Nguyễn Thị Mai'.normalize('NFD') }, ctx), []);
    assert.notDeepEqual(citizenProblems({ ...family, createdAt: TEST_NOW }, ctx), []);
    const orphaned = batches[0]!.map((c) => (c === family ? { ...c, relatives: [] } : c));
    assert.notDeepEqual(batchProblems(orphaned), []);
  });

  it('rejects unusable input', () => {
    assert.throws(() => [...generatePopulation({ ...testInput(1, 10), now: 'yesterday' })], RangeError);
    assert.throws(() => [...generatePopulation(testInput(1, -1))], RangeError);
    const noNames = { ...testInput(1, 10), names: { surnames: [], male: ['An'], female: ['Hoa'] } };
    assert.throws(() => [...generatePopulation(noNames)], RangeError);
    const badUnits = { ...testInput(1, 10), units: { pre2025Provinces: [{ code: '1', communes: ['00001'] }], provinces2025: [] } };
    assert.throws(() => [...generatePopulation(badUnits)], RangeError);
  });
});
