/**
 * Demographic matching at its edges: the claims schema's limits, white space and case around
 * exact-only values, records holding empty or malformed values, phone numbers that only look
 * Vietnamese, word order, and repeated or leading separators in address details.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Value } from '@sinclair/typebox/value';
import { DemographicClaims, matchDemographics, type AttributeResult, type RecordAttributes } from '../../../src/domain/exchange/demographic-match.js';

const base: RecordAttributes = {
  fullName: 'Nguyễn Văn An',
  otherNames: [],
  dateOfBirth: '1990-05-04',
  sex: 'male',
  nationality: 'VN',
  legacyIdNumber: '012345678',
  phone: '0912345678',
  email: 'an.nguyen@example.vn',
  addresses: [{ unitSet: '2025', unitCode: '00001', detail: 'Số 12 ngõ 34 phố Huế' }],
};
const one = (claims: DemographicClaims, record: RecordAttributes = base): AttributeResult => {
  const r = matchDemographics(claims, record);
  assert.equal(r.length, 1);
  return r[0]!;
};
const brief = (r: AttributeResult) => [r.result, r.kind ?? '-', r.score];

describe('the claims schema', () => {
  const props = DemographicClaims.properties;
  test('lengths and patterns: what an agency may send', () => {
    assert.ok(Value.Check(DemographicClaims, { fullName: 'a'.repeat(150), email: `${'e'.repeat(244)}@x.example`, address: { unitCode: '01', detail: 'd'.repeat(300) } }));
    for (const bad of [
      { fullName: 'a'.repeat(151) },
      { nationality: 'vn' },
      { nationality: 'VNM' },
      { phone: '0912 abc' },
      { phone: '0'.repeat(33) },
      { email: 'e'.repeat(255) },
      { address: { unitCode: '1' } },
      { address: { unitCode: '000001' } },
      { address: { unitCode: 'abcde' } },
      { address: { detail: 'd'.repeat(301) } },
    ]) {
      assert.equal(Value.Check(DemographicClaims, bad), false, JSON.stringify(bad).slice(0, 60));
    }
  });

  test('documented: the schema and its coded fields say what they hold; the phone examples are one number', () => {
    assert.match(DemographicClaims.description ?? '', /agency/);
    assert.match(props.nationality.description ?? '', /ISO 3166-1/);
    assert.match(props.address.properties.unitCode.description ?? '', /province.*district.*commune/);
    const examples = props.phone.examples as string[];
    assert.equal(examples.length, 2);
    for (const e of examples) {
      assert.ok(Value.Check(DemographicClaims, { phone: e }), e);
      assert.deepEqual(brief(one({ phone: e })), ['match', 'exact', 100], e);
    }
  });
});

describe('exact-only values: outer white space and case', () => {
  test('spaces around a claimed or held value do not matter', () => {
    assert.equal(one({ dateOfBirth: ' 1990-05-04 ' }).kind, 'exact');
    assert.equal(one({ sex: ' male ' as 'male' }).kind, 'exact');
    assert.equal(one({ nationality: ' vn ' }).kind, 'exact');
    assert.equal(one({ legacyIdNumber: ' 012345678 ' }).kind, 'exact');
    assert.equal(one({ legacyIdNumber: '012345678' }, { ...base, legacyIdNumber: ' 012345678 ' }).kind, 'exact');
    assert.equal(one({ email: 'AN.NGUYEN@example.vn' }, { ...base, email: ' an.nguyen@example.vn ' }).kind, 'exact');
    assert.equal(one({ address: { unitCode: ' 00001 ' } }).kind, 'exact');
  });
});

describe('records holding nothing usable', () => {
  test('an empty date of birth or name is no_data', () => {
    assert.deepEqual(one({ dateOfBirth: '1990' }, { ...base, dateOfBirth: '' }), { attribute: 'dateOfBirth', result: 'no_data', score: 0 });
    assert.deepEqual(one({ fullName: 'Nguyễn Văn An' }, { ...base, fullName: '   ', otherNames: [] }), { attribute: 'fullName', result: 'no_data', score: 0 });
    assert.deepEqual(one({ fullName: '' }, { ...base, fullName: '', otherNames: [' '] }), { attribute: 'fullName', result: 'no_data', score: 0 });
    // An empty other name is skipped, a real one still counts.
    assert.deepEqual(brief(one({ fullName: 'Trần Thị Bình' }, { ...base, otherNames: ['', 'Trần Thị Bình'] })), ['match', 'exact', 100]);
  });

  test('a held phone or e-mail that is not one never agrees, not even with an empty or equally malformed claim', () => {
    for (const held of ['abc', 'abc0912345678', '0912345678abc']) {
      assert.deepEqual(brief(one({ phone: held }, { ...base, phone: held })), ['no_match', '-', 0], held);
      assert.deepEqual(brief(one({ phone: '' }, { ...base, phone: held })), ['no_match', '-', 0], held);
    }
    assert.deepEqual(brief(one({ phone: 'xyz' }, { ...base, phone: 'abc' })), ['no_match', '-', 0]);
    assert.deepEqual(brief(one({ email: ' ' }, { ...base, email: '  ' })), ['no_match', '-', 0]);
  });
});

describe('phone numbers that only look Vietnamese', () => {
  test('84 is the country code only at the start and before 9–10 digits', () => {
    // +1 849 123 456 78 is a North American number, not 0912345678 behind a +1.
    assert.deepEqual(brief(one({ phone: '+1 84 912 345 678' }, { ...base, phone: '+10912345678' })), ['no_match', '-', 0]);
    // 14 digits starting 84: not a Vietnamese number with its country code.
    assert.deepEqual(brief(one({ phone: '84912345678123' }, { ...base, phone: '0912345678123' })), ['no_match', '-', 0]);
    assert.deepEqual(brief(one({ phone: '84912345678' })), ['match', 'exact', 100]);
  });
});

describe('names: word order', () => {
  test('reordered words with a typo score by the sorted words, spaces kept', () => {
    // Sorted: "an nguyen vam" vs "an nguyen van": one edit in 13 → round(89 × 0.95 × 12/13) = 78.
    assert.deepEqual(brief(one({ fullName: 'An Nguyễn Văm' })), ['no_match', 'partial', 78]);
  });
});

describe('address details: separators and repeated words', () => {
  test('a leading separator adds no word; a repeated word is common once', () => {
    // Words: 12 ngo 34 hue (4) vs so 12 ngo 34 pho hue (6): Dice 8/10 → 50 + round(49 × 0.8) = 89.
    assert.deepEqual(brief(one({ address: { unitCode: '00001', detail: ', 12 ngõ 34 Huế' } })), ['partial', 'partial', 89]);
    assert.deepEqual(brief(one({ address: { unitCode: '00001', detail: '12,, ngõ 34 -- Huế' } })), ['partial', 'partial', 89]);
    // hue hue hue vs 6 words with one hue: Dice 2/9 → 50 + round(49 × 2/9) = 61.
    assert.deepEqual(brief(one({ address: { unitCode: '00001', detail: 'Huế Huế Huế' } })), ['no_match', 'partial', 61]);
    assert.deepEqual(brief(one({ address: { detail: 'Huế Huế Huế' } })), ['no_match', 'partial', 11]);
  });
});
