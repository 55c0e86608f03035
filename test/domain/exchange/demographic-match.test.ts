/** Demographic verification (verifyCitizen): per-attribute exact / partial matching without disclosure. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Value } from '@sinclair/typebox/value';
import {
  DEMOGRAPHIC_ATTRIBUTES,
  DemographicClaims,
  matchDemographics,
  type AttributeName,
  type AttributeResult,
  type RecordAttributes,
} from '../../../src/domain/exchange/demographic-match.js';
import type { Address } from '../../../src/domain/citizen/citizen.js';
import { addressWordsArb, dayArb, nameArb, sexArb } from '../cards/arbitraries.js';

// ---------- arbitraries (all values invented) ----------

const partialDateArb = fc.oneof(
  dayArb(1900, 2024),
  dayArb(1900, 2024).map((d) => d.slice(0, 7)),
  fc.integer({ min: 1900, max: 2024 }).map(String),
);
const nationalityArb = fc.constantFrom('VN', 'US', 'FR', 'JP', 'KR', 'LA', 'KH', 'CN');
const legacyArb = fc.stringMatching(/^\d{9}$/);
const mobileArb = fc.tuple(fc.constantFrom('90', '91', '98', '35', '70', '86'), fc.stringMatching(/^\d{7}$/));
const phoneArb = mobileArb.chain(([p, n]) => fc.constantFrom(`0${p}${n}`, `+84${p}${n}`, `84${p}${n}`));
const emailArb = fc.tuple(fc.stringMatching(/^[a-z][a-z0-9.]{0,10}$/), fc.constantFrom('example.vn', 'mail.test')).map(([u, d]) => `${u}@${d}`);
const unitArb = fc.constantFrom('00001', '00004', '00007', '26734', '001', '01', '79');
const addressArb: fc.Arbitrary<Address> = fc.record(
  { unitCode: unitArb, detail: addressWordsArb.map((w) => w.slice(0, 2).join(', ')) },
  { requiredKeys: [] },
);
const nameTextArb = nameArb.map((w) => w.join(' '));

/** A toy unit tree: two districts of province 01 and one of 79. */
const TREE: Record<string, readonly string[]> = {
  '00001': ['00001', '001', '01'],
  '00004': ['00004', '001', '01'],
  '00007': ['00007', '002', '01'],
  '26734': ['26734', '760', '79'],
  '001': ['001', '01'],
  '002': ['002', '01'],
  '760': ['760', '79'],
  '01': ['01'],
  '79': ['79'],
};
const unitAncestors = (code: string): readonly string[] => TREE[code] ?? [code];

const recordArb: fc.Arbitrary<RecordAttributes> = fc
  .record({
    fullName: nameTextArb,
    otherNames: fc.array(nameTextArb, { maxLength: 2 }),
    dateOfBirth: partialDateArb,
    sex: sexArb,
    nationality: nationalityArb,
    legacyIdNumber: fc.option(legacyArb, { nil: undefined }),
    phone: fc.option(phoneArb, { nil: undefined }),
    email: fc.option(emailArb, { nil: undefined }),
    addresses: fc.array(addressArb, { maxLength: 3 }),
    withTree: fc.boolean(),
  })
  .map(({ withTree, legacyIdNumber, phone, email, ...r }) => {
    const out: RecordAttributes = { ...r };
    if (legacyIdNumber !== undefined) out.legacyIdNumber = legacyIdNumber;
    if (phone !== undefined) out.phone = phone;
    if (email !== undefined) out.email = email;
    if (withTree) out.unitAncestors = unitAncestors;
    return out;
  });

const claimsArb: fc.Arbitrary<DemographicClaims> = fc.record(
  {
    fullName: nameTextArb,
    dateOfBirth: partialDateArb,
    sex: sexArb,
    nationality: nationalityArb,
    legacyIdNumber: legacyArb,
    phone: phoneArb,
    email: emailArb,
    address: addressArb.map((a) => ({ ...a })),
  },
  { requiredKeys: [] },
);

/** A record with, derived from it, claims that mix true, altered and unrelated values. */
const pairArb = fc.tuple(recordArb, claimsArb, fc.nat(), fc.array(fc.boolean(), { minLength: 8, maxLength: 8 })).map(([record, random, pick, own]) => {
  const claims: DemographicClaims = { ...random };
  const names = [record.fullName, ...record.otherNames];
  if (own[0]) claims.fullName = stripMarks(names[pick % names.length]!);
  if (own[1]) claims.dateOfBirth = record.dateOfBirth.slice(0, 4);
  if (own[2]) claims.sex = record.sex;
  if (own[3] && record.phone) claims.phone = record.phone;
  if (own[4] && record.addresses.length > 0) claims.address = { ...record.addresses[pick % record.addresses.length]!, detail: 'Số 1' };
  if (own[5]) claims.fullName = names[pick % names.length]!.split(' ').reverse().join(' ');
  return { record, claims };
});

function stripMarks(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/gu, 'd').replace(/Đ/gu, 'D');
}

/** The record's own values as claims: every attribute it holds. */
function selfClaims(r: RecordAttributes, pick: number): DemographicClaims {
  const names = [r.fullName, ...r.otherNames];
  const c: DemographicClaims = { fullName: names[pick % names.length]!, dateOfBirth: r.dateOfBirth, sex: r.sex, nationality: r.nationality };
  if (r.legacyIdNumber !== undefined) c.legacyIdNumber = r.legacyIdNumber;
  if (r.phone !== undefined) c.phone = r.phone;
  if (r.email !== undefined) c.email = r.email;
  const held = r.addresses.filter((a) => a.unitCode !== undefined || a.detail !== undefined);
  const a = held[pick % Math.max(1, held.length)];
  if (a) c.address = { ...a };
  return c;
}

const messy = (s: string): string => `  ${s.replace(/ /gu, '   ')}\t`.normalize('NFD');

const one = (results: AttributeResult[], attribute: AttributeName): AttributeResult => {
  const r = results.find((x) => x.attribute === attribute);
  assert.ok(r, `no result for ${attribute}`);
  return r;
};

const base: RecordAttributes = {
  fullName: 'Nguyễn Văn An',
  otherNames: ['Nguyễn Văn Bình'],
  dateOfBirth: '1990-05-04',
  sex: 'male',
  nationality: 'VN',
  legacyIdNumber: '012345678',
  phone: '0912345678',
  email: 'an.nguyen@example.vn',
  addresses: [
    { unitSet: '2025', unitCode: '00001', detail: 'Số 12 ngõ 34 phố Huế' },
    { unitSet: '2025', unitCode: '26734', detail: '5 Lê Lợi' },
  ],
  unitAncestors,
};
const check = (claims: DemographicClaims, record: RecordAttributes = base, threshold?: number): AttributeResult => {
  const results = matchDemographics(claims, record, threshold === undefined ? {} : { partialThreshold: threshold });
  assert.equal(results.length, 1);
  return results[0]!;
};

// ---------- properties ----------

describe('matchDemographics: properties', () => {
  test('a record matches itself exactly on every attribute it holds; no_data on the others', () => {
    fc.assert(
      fc.property(recordArb, fc.nat(), (r, pick) => {
        const claims = selfClaims(r, pick);
        const results = matchDemographics(claims, r);
        for (const res of results) assert.deepEqual(res, { attribute: res.attribute, result: 'match', kind: 'exact', score: 100 });
        assert.equal(results.length, Object.keys(claims).length);
        const absent = matchDemographics({ legacyIdNumber: '999999999', phone: '0900000000', email: 'x@y.test', address: { unitCode: '00001' } }, r);
        const held = [r.legacyIdNumber, r.phone, r.email, claims.address];
        absent.forEach((res, i) => assert.equal(res.result === 'no_data', held[i] === undefined, JSON.stringify(res)));
      }),
    );
  });

  test('NFD instead of NFC and extra spaces give the same results', () => {
    fc.assert(
      fc.property(pairArb, ({ record, claims }) => {
        const noisy: DemographicClaims = { ...claims };
        if (claims.fullName !== undefined) noisy.fullName = messy(claims.fullName);
        if (claims.address?.detail !== undefined) noisy.address = { ...claims.address, detail: messy(claims.address.detail) };
        if (claims.phone !== undefined) noisy.phone = ` ${claims.phone.replace(/(\d{3})/u, '$1 ')} `;
        assert.deepEqual(matchDemographics(noisy, record), matchDemographics(claims, record));
      }),
    );
  });

  test('a name without its diacritics is a partial match at or above the threshold, never exact', () => {
    fc.assert(
      fc.property(recordArb, fc.boolean(), (r, upper) => {
        const record = { ...r, otherNames: [] };
        const plain = stripMarks(upper ? r.fullName.toUpperCase() : r.fullName);
        fc.pre(plain.toLowerCase() !== r.fullName.toLowerCase());
        assert.deepEqual(check({ fullName: plain }, record), { attribute: 'fullName', result: 'partial', kind: 'partial', score: 90 });
      }),
    );
  });

  test('any other sex, nationality or CMND number is no_match with score 0', () => {
    fc.assert(
      fc.property(recordArb, nationalityArb, legacyArb, (r, nat, legacy) => {
        fc.pre(nat !== r.nationality && r.legacyIdNumber !== undefined && legacy !== r.legacyIdNumber);
        const results = matchDemographics({ sex: r.sex === 'male' ? 'female' : 'male', nationality: nat, legacyIdNumber: legacy }, r);
        assert.deepEqual(results, [
          { attribute: 'sex', result: 'no_match', score: 0 },
          { attribute: 'nationality', result: 'no_match', score: 0 },
          { attribute: 'legacyIdNumber', result: 'no_match', score: 0 },
        ]);
      }),
    );
  });

  test('one result per claimed attribute, in the fixed order', () => {
    fc.assert(
      fc.property(pairArb, ({ record, claims }) => {
        const results = matchDemographics(claims, record);
        assert.deepEqual(
          results.map((r) => r.attribute),
          DEMOGRAPHIC_ATTRIBUTES.filter((a) => claims[a] !== undefined),
        );
      }),
    );
  });

  test('scores are integers in 0..100; match iff exact (100); partial iff a partial kind ≥ threshold; no kind iff 0', () => {
    fc.assert(
      fc.property(pairArb, fc.option(fc.integer({ min: -20, max: 150 }), { nil: undefined }), ({ record, claims }, t) => {
        const threshold = t === undefined ? 80 : Math.min(100, Math.max(1, t));
        for (const r of matchDemographics(claims, record, t === undefined ? {} : { partialThreshold: t })) {
          assert.ok(Number.isInteger(r.score) && r.score >= 0 && r.score <= 100, JSON.stringify(r));
          if (r.result === 'no_data') {
            assert.deepEqual(r, { attribute: r.attribute, result: 'no_data', score: 0 });
            continue;
          }
          assert.equal(r.result === 'match', r.kind === 'exact', JSON.stringify(r));
          assert.equal(r.result === 'partial', r.kind === 'partial' && r.score >= threshold, JSON.stringify(r));
          assert.equal(r.kind === 'exact', r.score === 100);
          assert.equal(r.kind === undefined, r.score === 0);
          if (r.kind === 'exact') assert.equal(r.result, 'match');
        }
      }),
    );
  });

  test('the answer holds no registry data: only attribute, result, kind and score', () => {
    fc.assert(
      fc.property(pairArb, ({ record, claims }) => {
        const results = matchDemographics(claims, record);
        for (const r of results) for (const k of Object.keys(r)) assert.ok(['attribute', 'result', 'kind', 'score'].includes(k));
        const text = JSON.stringify(results);
        assert.ok(!text.includes(record.fullName) && !text.includes(record.dateOfBirth));
      }),
    );
  });
});

// ---------- pinned examples ----------

describe('matchDemographics: fullName', () => {
  test('exact ignoring case, NFD and spacing; other names count', () => {
    assert.deepEqual(check({ fullName: 'NGUYỄN VĂN AN' }), { attribute: 'fullName', result: 'match', kind: 'exact', score: 100 });
    assert.equal(check({ fullName: ' nguyễn  văn an '.normalize('NFD') }).kind, 'exact');
    assert.equal(check({ fullName: 'Nguyễn Văn Bình' }).kind, 'exact');
    assert.equal(check({ fullName: 'Nguyen Van Binh' }).score, 90);
  });

  test('without diacritics: partial 90', () => {
    assert.deepEqual(check({ fullName: 'Nguyen Van An' }), { attribute: 'fullName', result: 'partial', kind: 'partial', score: 90 });
    assert.equal(check({ fullName: 'NGUYEN VAN AN' }).score, 90);
  });

  test('words in another order: high but not 100', () => {
    assert.deepEqual(check({ fullName: 'An Nguyễn Văn' }), { attribute: 'fullName', result: 'partial', kind: 'partial', score: 85 });
  });

  test('a typo is partial; the threshold decides', () => {
    assert.deepEqual(check({ fullName: 'Nguyễn Văn Ann' }), { attribute: 'fullName', result: 'partial', kind: 'partial', score: 83 });
    assert.equal(check({ fullName: 'Nguyễn Văn Ann' }, base, 90).result, 'no_match');
    assert.equal(check({ fullName: 'Nguyễn An' }).result, 'no_match');
  });

  test('a different name is no_match; an empty one scores 0', () => {
    const r = check({ fullName: 'Trần Thị Hương' });
    assert.equal(r.result, 'no_match');
    assert.ok(r.score < 50);
    assert.deepEqual(check({ fullName: '' }), { attribute: 'fullName', result: 'no_match', score: 0 });
    assert.deepEqual(check({ fullName: '   ' }), { attribute: 'fullName', result: 'no_match', score: 0 });
  });
});

describe('matchDemographics: dateOfBirth', () => {
  const dob = (record: string, claim: string, threshold?: number) => check({ dateOfBirth: claim }, { ...base, dateOfBirth: record }, threshold);
  test('exact, month-level and year-level agreement', () => {
    assert.deepEqual(dob('1990-05-04', '1990-05-04'), { attribute: 'dateOfBirth', result: 'match', kind: 'exact', score: 100 });
    assert.deepEqual(dob('1990-05', '1990-05-04'), { attribute: 'dateOfBirth', result: 'partial', kind: 'partial', score: 80 });
    assert.deepEqual(dob('1990', '1990-05-04'), { attribute: 'dateOfBirth', result: 'no_match', kind: 'partial', score: 60 });
    assert.equal(dob('1990', '1990-05-04', 60).result, 'partial');
    assert.deepEqual(dob('1990-05-04', '1990'), { attribute: 'dateOfBirth', result: 'no_match', kind: 'partial', score: 60 });
    assert.equal(dob('1990-05-04', '1990-05').score, 80);
    assert.equal(dob('1990', '1990').kind, 'exact');
  });
  test('disagreement at the common precision, or an impossible date, is no_match', () => {
    assert.deepEqual(dob('1991', '1990-05-04'), { attribute: 'dateOfBirth', result: 'no_match', score: 0 });
    assert.equal(dob('1990-06', '1990-05-04').score, 0);
    assert.equal(dob('1990-05-05', '1990-05-04').score, 0);
    assert.equal(dob('1990', '1990-13').score, 0);
    assert.equal(dob('2000', '2000-02-30').score, 0);
    assert.equal(dob('1990', '').score, 0);
  });
});

describe('matchDemographics: exact-only attributes', () => {
  test('sex, nationality, CMND', () => {
    assert.equal(check({ sex: 'male' }).kind, 'exact');
    assert.equal(check({ sex: 'female' }).result, 'no_match');
    assert.equal(check({ nationality: 'VN' }).kind, 'exact');
    assert.equal(check({ nationality: 'LA' }).result, 'no_match');
    assert.equal(check({ nationality: '' }).score, 0);
    assert.equal(check({ legacyIdNumber: '012345678' }).kind, 'exact');
    assert.equal(check({ legacyIdNumber: '012345679' }).result, 'no_match');
    const { legacyIdNumber: _l, ...noLegacy } = base;
    assert.deepEqual(check({ legacyIdNumber: '012345678' }, noLegacy), { attribute: 'legacyIdNumber', result: 'no_data', score: 0 });
  });

  test('phone: +84, 84, 0084, separators and a redundant trunk 0', () => {
    for (const p of ['0912345678', '+84912345678', '+84 912 345 678', '84912345678', '0084 912 345 678', '0912.345.678', '091-234-5678', '(+84) 0912 345 678']) {
      assert.equal(check({ phone: p }).kind, 'exact', p);
    }
    assert.equal(check({ phone: '+84912345678' }, { ...base, phone: '84912345678' }).kind, 'exact');
    assert.equal(check({ phone: '0912345679' }).result, 'no_match');
    assert.equal(check({ phone: '+1 912 345 678' }).result, 'no_match');
    assert.deepEqual(check({ phone: '' }), { attribute: 'phone', result: 'no_match', score: 0 });
    const { phone: _p, ...noPhone } = base;
    assert.deepEqual(check({ phone: '0912345678' }, noPhone), { attribute: 'phone', result: 'no_data', score: 0 });
  });

  test('email: case-insensitive exact', () => {
    assert.equal(check({ email: ' An.Nguyen@Example.VN ' }).kind, 'exact');
    assert.equal(check({ email: 'an.nguyen@example.com' }).result, 'no_match');
    assert.deepEqual(check({ email: '' }), { attribute: 'email', result: 'no_match', score: 0 });
  });
});

describe('matchDemographics: address', () => {
  const addr = (address: DemographicClaims['address'], record: RecordAttributes = base) => check({ address }, record);
  test('exact on unit and folded detail, on any of the addresses', () => {
    assert.deepEqual(addr({ unitCode: '00001', detail: 'so 12  NGO 34 pho hue' }), { attribute: 'address', result: 'match', kind: 'exact', score: 100 });
    assert.equal(addr({ unitCode: '00001' }).kind, 'exact');
    assert.equal(addr({ unitCode: '26734', detail: '5 Lê Lợi' }).kind, 'exact');
  });
  test('same unit, other detail: partial from 50 by word overlap', () => {
    assert.deepEqual(addr({ unitCode: '00001', detail: '12 ngõ 34 Huế' }), { attribute: 'address', result: 'partial', kind: 'partial', score: 89 });
    assert.deepEqual(addr({ unitCode: '00001', detail: '99 Lý Thường Kiệt' }), { attribute: 'address', result: 'no_match', kind: 'partial', score: 50 });
  });
  test('unit hierarchy: containing unit 50, same district 40, same province 30, else 0', () => {
    assert.equal(addr({ unitCode: '01' }).score, 50);
    assert.equal(addr({ unitCode: '001', detail: 'Số 12 ngõ 34 phố Huế' }).score, 50);
    assert.equal(addr({ unitCode: '79' }).score, 50);
    assert.equal(addr({ unitCode: '00004' }).score, 40);
    assert.equal(addr({ unitCode: '00007' }).score, 30);
    assert.deepEqual(addr({ unitCode: '02' }), { attribute: 'address', result: 'no_match', score: 0 });
    const { unitAncestors: _u, ...flat } = base;
    assert.equal(addr({ unitCode: '01' }, flat).score, 0);
    assert.equal(addr({ unitCode: '00001' }, { ...base, addresses: [{ unitCode: '01' }] }).score, 50);
  });
  test('detail only, empty claims and no addresses', () => {
    assert.equal(addr({ detail: '5 LE LOI' }).kind, 'exact');
    assert.equal(addr({ detail: 'Lê Lợi 5' }).score, 49);
    assert.deepEqual(addr({}), { attribute: 'address', result: 'no_match', score: 0 });
    assert.deepEqual(addr({ unitCode: '', detail: ' ' }), { attribute: 'address', result: 'no_match', score: 0 });
    assert.deepEqual(addr({ unitCode: '00001' }, { ...base, addresses: [{ country: 'FR' }] }), { attribute: 'address', result: 'no_data', score: 0 });
  });
});

describe('matchDemographics: options and schema', () => {
  test('the threshold is clamped to 1..100: score 0 never agrees, exact always matches', () => {
    assert.equal(check({ fullName: 'Trần Thị Hương' }, base, 0).result, 'partial');
    assert.equal(check({ dateOfBirth: '1991' }, base, 0).result, 'no_match');
    assert.equal(check({ fullName: 'Nguyễn Văn An' }, base, 1000).result, 'match');
    assert.equal(check({ fullName: 'Nguyen Van An' }, base, 1000).result, 'no_match');
    assert.equal(check({ fullName: 'Nguyen Van An' }, base, Number.NaN).result, 'partial');
  });

  test('the schema accepts the claims and nothing else', () => {
    assert.ok(Value.Check(DemographicClaims, { fullName: 'Nguyễn Văn An', dateOfBirth: '1990', phone: '+84 912 345 678', address: { unitCode: '00001' } }));
    assert.ok(!Value.Check(DemographicClaims, { fullName: 'A', personalId: '001090000001' }));
    assert.ok(!Value.Check(DemographicClaims, { address: { unitCode: '00001', province: 'x' } }));
    assert.ok(!Value.Check(DemographicClaims, { legacyIdNumber: '1234' }));
    assert.ok(!Value.Check(DemographicClaims, { sex: 'other' }));
  });

  test('a full claim set gives the results in order', () => {
    const results = matchDemographics(
      { address: { unitCode: '00001' }, email: 'x@y.test', fullName: 'Nguyen Van An', dateOfBirth: '1990', sex: 'male', nationality: 'VN', legacyIdNumber: '012345678', phone: '+84912345678' },
      base,
    );
    assert.deepEqual(results.map((r) => [r.attribute, r.result, r.kind ?? '-', r.score]), [
      ['fullName', 'partial', 'partial', 90],
      ['dateOfBirth', 'no_match', 'partial', 60],
      ['sex', 'match', 'exact', 100],
      ['nationality', 'match', 'exact', 100],
      ['legacyIdNumber', 'match', 'exact', 100],
      ['phone', 'match', 'exact', 100],
      ['email', 'no_match', '-', 0],
      ['address', 'match', 'exact', 100],
    ]);
  });
});
