/** The household register: relationships, residence file and application numbers, household history diffs. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Value } from '@sinclair/typebox/value';
import type { Address } from '../../../src/domain/citizen/citizen.js';
import {
  ApplicationId, applicationIdFor, HouseholdId, householdIdFor, randomCode, Relationship, RELATIONSHIP_CODES, RELATIONSHIPS,
} from '../../../src/domain/residence/household.js';
import { diffHouseholds, type HouseholdState } from '../../../src/domain/residence/household-history.js';
import { addr, addressArb, dayArb, relationshipArb } from './residence-fixtures.js';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** Any number a careless random source might return: integers of any size, fractions, NaN, ±Infinity, -0. */
const anyNumberArb = fc.oneof(fc.integer(), fc.integer({ min: 0, max: 31 }), fc.double());
const sourceOf = (values: readonly number[]) => {
  let i = 0;
  return () => values[i++ % values.length]!;
};

describe('relationships to the household head', () => {
  test('the head is "Chủ hộ"; every code has Vietnamese and English words; the schema accepts exactly the codes', () => {
    assert.equal(RELATIONSHIPS.head.vi, 'Chủ hộ');
    assert.equal(new Set(RELATIONSHIP_CODES).size, RELATIONSHIP_CODES.length);
    for (const c of RELATIONSHIP_CODES) {
      assert.ok(RELATIONSHIPS[c].vi.length > 0 && RELATIONSHIPS[c].en.length > 0, c);
      assert.ok(Value.Check(Relationship, c), c);
    }
    assert.ok(!Value.Check(Relationship, 'Chủ hộ'));
    assert.ok(!Value.Check(Relationship, 'HEAD'));
  });
});

describe('residence file numbers (số hồ sơ cư trú) and application numbers', () => {
  test('pinned: HS + commune code + 8 Crockford characters', () => {
    assert.equal(householdIdFor('00004', sourceOf([0, 1, 2, 3, 28, 29, 30, 31])), 'HS000040123WXYZ');
    assert.equal(householdIdFor('26734', sourceOf([32, 33, -1, 18])), 'HS2673401ZJ01ZJ');
    assert.equal(applicationIdFor(2026, sourceOf([10, 11, 12, 13, 14, 15, 16, 17, 18, 19])), 'HSCT-2026-ABCDEFGHJK');
  });

  test('property: any 5-digit commune and any random source give a valid HouseholdId', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{5}$/), fc.array(anyNumberArb, { minLength: 8, maxLength: 8 }), (commune, values) => {
        const id = householdIdFor(commune, sourceOf(values));
        assert.match(id, /^HS\d{5}[0-9A-Z]{8}$/);
        assert.ok(Value.Check(HouseholdId, id), id);
        assert.equal(id.slice(2, 7), commune);
        assert.doesNotMatch(id.slice(7), /[ILOU]/);
      }),
    );
  });

  test('property: the random source is called exactly 8 times, and 5-bit values are encoded one to one', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 31 }), { minLength: 8, maxLength: 8 }), (values) => {
        let calls = 0;
        const id = householdIdFor('00004', () => values[calls++]!);
        assert.equal(calls, 8);
        assert.deepEqual([...id.slice(7)].map((ch) => CROCKFORD.indexOf(ch)), values);
      }),
    );
  });

  test('property: application numbers match ApplicationId for any year and source; randomCode has the asked length', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2020, max: 2099 }), fc.array(anyNumberArb, { minLength: 1, maxLength: 12 }), fc.integer({ min: 0, max: 20 }), (year, values, n) => {
        const id = applicationIdFor(year, sourceOf(values));
        assert.ok(Value.Check(ApplicationId, id), id);
        assert.match(randomCode(n, sourceOf(values)), new RegExp(`^[${CROCKFORD}]{${n}}$`));
      }),
    );
  });
});

// ---------------------------------------------------------------- history diffs

const memberIdArb = fc.constantFrom('001070000010', '001071000011', '001072000012', '001073000013', '079080000005');
const stateArb: fc.Arbitrary<HouseholdState> = fc
  .record({
    address: addressArb,
    members: fc.dictionary(memberIdArb, relationshipArb, { maxKeys: 5, noNullPrototype: true }),
    head: fc.option(memberIdArb, { nil: null }),
    dissolvedAt: fc.option(dayArb, { nil: undefined }),
  })
  .map(({ address, members, head, dissolvedAt }) => ({
    address, headPersonalId: head, members, ...(dissolvedAt === undefined ? {} : { dissolvedAt }),
  }));

/** `before` with each change's "after" value put in place (null: absent). */
function apply(before: HouseholdState, changes: Record<string, [unknown, unknown]>): HouseholdState {
  const out: HouseholdState = structuredClone(before);
  const members: Record<string, Relationship> = { ...out.members };
  for (const [key, [, after]] of Object.entries(changes)) {
    if (key === 'address') out.address = after as Address;
    else if (key === 'headPersonalId') out.headPersonalId = after as string | null;
    else if (key === 'dissolvedAt') {
      if (after === null) delete out.dissolvedAt;
      else out.dissolvedAt = after as string;
    } else if (key.startsWith('member:')) {
      const id = key.slice('member:'.length);
      if (after === null) delete members[id];
      else members[id] = after as Relationship;
    } else assert.fail(`unexpected key ${key}`);
  }
  return { ...out, members };
}

describe('diffHouseholds', () => {
  const s: HouseholdState = { address: addr('00004', '12 Hàng Bạc'), headPersonalId: '001070000010', members: { '001070000010': 'head', '001071000011': 'wife' } };

  test('pinned: a new household lists its address, head and every member', () => {
    assert.deepEqual(diffHouseholds(null, s), {
      address: [null, s.address],
      headPersonalId: [null, '001070000010'],
      'member:001070000010': [null, 'head'],
      'member:001071000011': [null, 'wife'],
    });
  });

  test('pinned: a split, a head change and a dissolution', () => {
    const split = { ...s, members: { '001070000010': 'head' as const } };
    assert.deepEqual(diffHouseholds(s, split), { 'member:001071000011': ['wife', null] });
    const handover: HouseholdState = { ...s, headPersonalId: '001071000011', members: { '001070000010': 'husband', '001071000011': 'head' } };
    assert.deepEqual(diffHouseholds(s, handover), {
      headPersonalId: ['001070000010', '001071000011'], 'member:001070000010': ['head', 'husband'], 'member:001071000011': ['wife', 'head'],
    });
    assert.deepEqual(diffHouseholds(s, { ...s, headPersonalId: null, dissolvedAt: '2026-03-10', members: {} }), {
      headPersonalId: ['001070000010', null], dissolvedAt: [null, '2026-03-10'], 'member:001070000010': ['head', null], 'member:001071000011': ['wife', null],
    });
  });

  test('property: diff(s, s) and diff(s, copy of s) are empty', () => {
    fc.assert(
      fc.property(stateArb, (x) => {
        assert.deepEqual(diffHouseholds(x, x), {});
        assert.deepEqual(diffHouseholds(x, structuredClone(x)), {});
      }),
    );
  });

  test('property: diff(null, s) lists every field that has a value and every member, each from null', () => {
    fc.assert(
      fc.property(stateArb, (x) => {
        const d = diffHouseholds(null, x);
        const keys = ['address', ...(x.headPersonalId !== null ? ['headPersonalId'] : []), ...(x.dissolvedAt ? ['dissolvedAt'] : []), ...Object.keys(x.members).map((id) => `member:${id}`)];
        assert.deepEqual(Object.keys(d).sort(), keys.sort());
        for (const [before] of Object.values(d)) assert.equal(before, null);
        for (const id of Object.keys(x.members)) assert.deepEqual(d[`member:${id}`], [null, x.members[id]]);
      }),
    );
  });

  test('property: applying the "after" values to before reproduces after; every "before" value is before\'s, and differs from "after"', () => {
    fc.assert(
      fc.property(stateArb, stateArb, (before, after) => {
        const d = diffHouseholds(before, after);
        assert.deepEqual(apply(before, d), after);
        for (const [key, [b, a]] of Object.entries(d)) {
          assert.notDeepEqual(b, a, key);
          const was = key.startsWith('member:') ? before.members[key.slice(7)] : (before as unknown as Record<string, unknown>)[key];
          assert.deepEqual(b, was ?? null, key);
        }
        // and the diff back undoes it
        assert.deepEqual(apply(after, diffHouseholds(after, before)), before);
      }),
      { numRuns: 300 },
    );
  });

  test('property: changes touch only what differs (members compared one by one)', () => {
    fc.assert(
      fc.property(stateArb, memberIdArb, relationshipArb, (x, id, rel) => {
        const y: HouseholdState = { ...x, members: { ...x.members, [id]: rel } };
        const d = diffHouseholds(x, y);
        assert.deepEqual(Object.keys(d), x.members[id] === rel ? [] : [`member:${id}`]);
      }),
    );
  });

  test('pinned: the same address written with its keys in another order is no change', () => {
    const reordered: Address = { detail: '12 Hàng Bạc', unitCode: '00004', unitSet: '2025' };
    assert.deepEqual(diffHouseholds(s, { ...s, address: reordered }), {});
    const moved: Address = { detail: '12 Hàng Bạc', unitCode: '00004', unitSet: 'pre2025' };
    assert.deepEqual(diffHouseholds(s, { ...s, address: moved }), { address: [s.address, moved] });
  });

  test('property: key order never matters; the address changes exactly when some field differs', () => {
    /** The address's fields as a sorted list of pairs: equal lists, equal addresses. */
    const fields = (a: Address) => Object.entries(a).sort(([k1], [k2]) => (k1 < k2 ? -1 : 1));
    const withKeysIn = (a: Address, order: readonly string[]): Address =>
      Object.fromEntries(order.map((k) => [k, (a as Record<string, unknown>)[k]])) as Address;
    fc.assert(
      fc.property(
        stateArb,
        stateArb,
        fc.shuffledSubarray(['country', 'unitSet', 'unitCode', 'detail'], { minLength: 4 }),
        (x, y, order) => {
          const keysOf = (a: Address) => order.filter((k) => k in a);
          const yReordered: HouseholdState = { ...y, address: withKeysIn(y.address, keysOf(y.address)) };
          assert.deepEqual(Object.keys(yReordered.address), keysOf(y.address));
          assert.deepEqual(diffHouseholds(y, yReordered), {});
          const d = diffHouseholds(x, yReordered);
          assert.equal('address' in d, JSON.stringify(fields(x.address)) !== JSON.stringify(fields(y.address)), JSON.stringify([x.address, y.address]));
        },
      ),
      { numRuns: 300 },
    );
  });
});
