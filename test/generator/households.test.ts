/** The generated residence register: households, registrations and stay notices (pure). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { completedYears } from '../../src/domain/residence/rules.js';
import {
  allRegistrations,
  generatePopulation,
  generateResidentPopulation,
  type GeneratedCitizen,
  type PopulationBatch,
} from '../../src/generator/population.js';
import { HouseholdIdMaker } from '../../src/generator/household-ids.js';
import { testInput } from './fixtures.js';
import { residenceProblems } from './household-invariants.js';
import { batchProblems, citizenProblems, contextOf } from './invariants.js';

const N = 50_000;
const input = testInput(20250701, N);
const ctx = contextOf(input);
const batches: PopulationBatch[] = [...generateResidentPopulation(input, 1000)];
const citizens = batches.flatMap((b) => b.citizens);
const households = batches.flatMap((b) => b.residence.households);
const registrations = batches.flatMap((b) => allRegistrations(b.residence));
const notices = batches.flatMap((b) => b.residence.stayNotices);

const living = (c: GeneratedCitizen): boolean => c.dateOfDeath === undefined && c.dateDeclaredMissing === undefined;
const livingAdults = citizens.filter((c) => living(c) && completedYears(c.dateOfBirth, ctx.localToday) >= 18);

/** The residence data of a run, whatever the batches: for comparing runs. */
function flat(list: PopulationBatch[]): unknown {
  return {
    households: list.flatMap((b) => b.residence.households),
    registrations: list.flatMap((b) => b.residence.registrations),
    stayNotices: list.flatMap((b) => b.residence.stayNotices),
  };
}

describe('generated households and registrations', () => {
  it(`satisfy the invariants over ${N.toLocaleString('en')} citizens`, () => {
    assert.deepEqual(batches.flatMap((b) => residenceProblems(b, ctx)).slice(0, 10), []);
    assert.deepEqual(citizens.flatMap((c) => citizenProblems(c, ctx)).slice(0, 10), []);
    assert.deepEqual(batches.flatMap((b) => batchProblems(b.citizens)).slice(0, 10), []);
  });

  it('put every living person in one household, with unique residence file numbers', () => {
    const members = households.flatMap((h) => h.members.map((m) => m.personalId));
    assert.equal(new Set(members).size, members.length);
    assert.equal(members.length, citizens.filter((c) => c.dateOfDeath === undefined).length);
    assert.equal(new Set(households.map((h) => h.householdId)).size, households.length);
    const size = members.length / households.length;
    assert.ok(size > 2 && size < 4.5, `mean household size ${size}`);
    const relationships = new Set(households.flatMap((h) => h.members.map((m) => m.relationship)));
    for (const r of ['head', 'wife', 'husband', 'child', 'grandchild', 'other_relative']) assert.ok(relationships.has(r as never), r);
    // Nearly every household has a head (vacant only without a living adult), usually married.
    const byId = new Map(citizens.map((c) => [c.personalId, c]));
    const heads = households.map((h) => byId.get(h.headPersonalId ?? '')).filter((c) => c !== undefined);
    assert.ok(heads.length > households.length * 0.99);
    const married = heads.filter((c) => c.maritalStatus === '2').length / heads.length;
    assert.ok(married > 0.5, `married heads ${married}`);
  });

  it('give about 5% of living adults a temporary registration, a third of them expired but open', () => {
    const temporary = registrations.filter((r) => r.kind === 'temporary');
    const share = temporary.length / livingAdults.length;
    assert.ok(Math.abs(share - 0.05) < 0.01, `temporary share ${share}`);
    const expired = temporary.filter((r) => r.validUntil! < ctx.localToday);
    assert.ok(Math.abs(expired.length / temporary.length - 1 / 3) < 0.06, `expired ${expired.length}/${temporary.length}`);
    assert.ok(expired.every((r) => r.endedOn === null));
    const mirrored = citizens.filter((c) => c.temporaryResidence !== undefined).length;
    assert.equal(mirrored, temporary.length - expired.length);
  });

  it('record deaths: no membership, the registration ended on a full date of death', () => {
    const dead = citizens.filter((c) => c.dateOfDeath !== undefined);
    assert.ok(dead.length > 20, String(dead.length));
    const ended = registrations.filter((r) => r.endReason === 'death');
    assert.equal(ended.length, dead.filter((c) => c.dateOfDeath!.length === 10).length);
  });

  it('give about 1% of living people a recent stay notice of under 30 days', () => {
    const share = notices.length / citizens.filter(living).length;
    assert.ok(Math.abs(share - 0.01) < 0.004, `stay notices ${share}`);
    assert.ok(notices.some((s) => s.onTime) && notices.some((s) => !s.onTime));
  });

  it('are deterministic per seed and do not depend on the batch size', () => {
    const small = testInput(99, 3000);
    const a = [...generateResidentPopulation(small)];
    assert.deepEqual([...generateResidentPopulation(small)], a);
    const b = [...generateResidentPopulation(small, 13)];
    assert.deepEqual(flat(b), flat(a));
    assert.deepEqual(b.flatMap((x) => x.citizens), a.flatMap((x) => x.citizens));
    // The citizens-only generator gives the same records (temporary residence included).
    assert.deepEqual([...generatePopulation(small)].flat(), a.flatMap((x) => x.citizens));
    assert.notDeepEqual(flat([...generateResidentPopulation(testInput(100, 3000))]), flat(a));
  });

  it('property: any seed, count, date and batch size give consistent residence data', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -(2 ** 40), max: 2 ** 40 }),
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 1, max: 40 }),
        fc.date({ min: new Date('1995-01-01T00:00:00Z'), max: new Date('2090-12-31T23:59:59Z'), noInvalidDate: true }),
        (seed, count, batchSize, now) => {
          const i = { ...testInput(seed, count), now: now.toISOString() };
          const c = contextOf(i);
          const out = [...generateResidentPopulation(i, batchSize)];
          assert.deepEqual(out.flatMap((b) => residenceProblems(b, c)).slice(0, 5), []);
          assert.deepEqual(out.flatMap((b) => b.citizens.flatMap((x) => citizenProblems(x, c))).slice(0, 5), []);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('the invariant checks do catch broken residence data', () => {
    const batch = batches[0]!;
    const broken = (change: (b: PopulationBatch) => void): string[] => {
      const copy = structuredClone(batch);
      change(copy);
      return residenceProblems(copy, ctx);
    };
    const big = (b: PopulationBatch) => b.residence.households.find((h) => h.members.length >= 3 && h.headPersonalId !== null)!;
    assert.notDeepEqual(broken((b) => big(b).members.pop()), []);
    assert.notDeepEqual(broken((b) => (big(b).members[1]!.relationship = 'head')), []);
    assert.notDeepEqual(broken((b) => (big(b).members[1]!.relationship = 'not_related')), []);
    assert.notDeepEqual(broken((b) => (big(b).headPersonalId = null)), []);
    assert.notDeepEqual(broken((b) => (b.residence.registrations.find((r) => r.kind === 'temporary')!.validUntil = '2099-01-01')), []);
    assert.notDeepEqual(broken((b) => (b.residence.stayNotices[0]!.departureOn = '2099-01-01')), []);
  });
});

describe('residence file numbers', () => {
  it('are a bijection of the founding personal ID (no two households share one)', () => {
    const ids = new HouseholdIdMaker(7);
    const seen = new Set<string>();
    for (let n = 0; n < 20_000; n++) seen.add(ids.idFor('00004', String(n * 48_271 + 1_000_000_000).padStart(12, '0')));
    assert.equal(seen.size, 20_000);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999_999_999_999 }), fc.integer({ min: 0, max: 999_999_999_999 }), (a, b) => {
        const x = ids.idFor('00004', String(a).padStart(12, '0'));
        assert.match(x, /^HS00004[0-9A-Z]{8}$/);
        assert.equal(x === ids.idFor('00004', String(b).padStart(12, '0')), a === b);
      }),
    );
  });
});
