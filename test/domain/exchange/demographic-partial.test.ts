/**
 * verifyCitizen's three answers: match (exact), partial (a near miss at or above the connection's
 * threshold, where partial matching is allowed) and no_match — per attribute and overall.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  DEFAULT_PARTIAL_THRESHOLD,
  matchDemographics,
  overallResult,
  type AttributeResult,
  type RecordAttributes,
} from '../../../src/domain/exchange/demographic-match.js';
import { foldKey } from '../../../src/domain/text/normalize.js';
import { nameArb } from '../cards/arbitraries.js';

const record = (fullName: string): RecordAttributes => ({
  fullName,
  otherNames: [],
  dateOfBirth: '1990-05-04',
  sex: 'female',
  nationality: 'VN',
  phone: '0912345678',
  addresses: [{ unitSet: '2025', unitCode: '00001', detail: 'Số 12 ngõ 34 phố Huế' }],
});

/** A name and the same name with one letter changed or one letter added (one edit). */
const oneEditArb = fc
  .tuple(nameArb.map((w) => w.join(' ')), fc.nat(), fc.boolean())
  .map(([name, at, insert]) => {
    const chars = Array.from(name);
    const letters = chars.map((c, i) => (c === ' ' ? -1 : i)).filter((i) => i >= 0);
    const i = letters[at % letters.length]!;
    const other = foldKey(chars[i]!) === 'q' ? 'x' : 'q';
    const edited = insert ? [...chars.slice(0, i), other, ...chars.slice(i)] : [...chars.slice(0, i), other, ...chars.slice(i + 1)];
    // The Levenshtein ratio over the folded keys: one edit in the longer of the two.
    const longer = Math.max(foldKey(name).length, foldKey(edited.join('')).length);
    return { name, claim: edited.join(''), expected: Math.round(89 * (1 - 1 / longer)), longer };
  });

const nameResult = (claim: string, name: string, options = {}): AttributeResult => matchDemographics({ fullName: claim }, record(name), options)[0]!;

describe('verifyCitizen results: match, partial, no_match', () => {
  test('property: the record\'s own value is match (exact, 100) at any threshold, with or without partials', () => {
    fc.assert(
      fc.property(nameArb.map((w) => w.join(' ')), fc.integer({ min: 1, max: 100 }), fc.boolean(), (name, partialThreshold, allowPartial) => {
        const all = matchDemographics({ fullName: name.toUpperCase(), dateOfBirth: '1990-05-04', sex: 'female', phone: '+84 912 345 678' }, record(name), { partialThreshold, allowPartial });
        assert.deepEqual(all.map((r) => [r.result, r.kind, r.score]), [['match', 'exact', 100], ['match', 'exact', 100], ['match', 'exact', 100], ['match', 'exact', 100]]);
        assert.equal(overallResult(all), 'match');
      }),
    );
  });

  test('property: one edit in a name of 10 letters or more is partial at the default threshold, never match', () => {
    fc.assert(
      fc.property(oneEditArb.filter((e) => e.longer >= 10), ({ name, claim, expected }) => {
        const r = nameResult(claim, name);
        assert.deepEqual(r, { attribute: 'fullName', result: 'partial', kind: 'partial', score: expected });
        assert.ok(r.score >= DEFAULT_PARTIAL_THRESHOLD && r.score < 100);
      }),
    );
  });

  test('property: the threshold is honoured — partial at or above it, no_match below', () => {
    fc.assert(
      fc.property(oneEditArb, fc.integer({ min: 1, max: 100 }), ({ name, claim, expected }, partialThreshold) => {
        const r = nameResult(claim, name, { partialThreshold });
        assert.equal(r.score, expected);
        assert.equal(r.kind, 'partial');
        assert.equal(r.result, expected >= partialThreshold ? 'partial' : 'no_match', `score ${expected}, threshold ${partialThreshold}`);
        // One above the score: just below the threshold.
        assert.equal(nameResult(claim, name, { partialThreshold: expected + 1 }).result, 'no_match');
        assert.equal(nameResult(claim, name, { partialThreshold: expected }).result, 'partial');
      }),
    );
  });

  test('property: with partial matching refused, every near miss is no_match (the score stays)', () => {
    fc.assert(
      fc.property(oneEditArb, fc.integer({ min: 1, max: 100 }), ({ name, claim, expected }, partialThreshold) => {
        assert.deepEqual(nameResult(claim, name, { allowPartial: false, partialThreshold }), { attribute: 'fullName', result: 'no_match', kind: 'partial', score: expected });
      }),
    );
  });

  test('a one-letter error in "Nguyễn Văn Ann": partial 83, no longer match; explicit defaults change nothing', () => {
    assert.deepEqual(nameResult('Nguyễn Văn Ann', 'Nguyễn Văn An'), { attribute: 'fullName', result: 'partial', kind: 'partial', score: 83 });
    assert.deepEqual(nameResult('Nguyễn Văn Ann', 'Nguyễn Văn An', { allowPartial: true, partialThreshold: 80 }), nameResult('Nguyễn Văn Ann', 'Nguyễn Văn An'));
    assert.equal(nameResult('Nguyễn Văn Ann', 'Nguyễn Văn An', { partialThreshold: 83 }).result, 'partial');
    assert.equal(nameResult('Nguyễn Văn Ann', 'Nguyễn Văn An', { partialThreshold: 84 }).result, 'no_match');
    assert.equal(nameResult('Nguyễn Văn Ann', 'Nguyễn Văn An', { partialThreshold: 100 }).result, 'no_match', '100 admits no partial');
    assert.equal(nameResult('Nguyễn Văn Ann', 'Nguyễn Văn An', { partialThreshold: Number.NaN }).result, 'partial', 'NaN is the default');
    assert.equal(nameResult('Trần Thị Hương', 'Nguyễn Văn An', { partialThreshold: -5 }).result, 'partial', 'clamped to 1');
    assert.equal(nameResult('', 'Nguyễn Văn An', { partialThreshold: -5 }).result, 'no_match', 'score 0 never agrees');
  });
});

describe('overallResult: the weakest attribute', () => {
  const resultArb = fc.constantFrom<AttributeResult['result']>('match', 'partial', 'no_match', 'no_data');
  const results = (rs: AttributeResult['result'][]): AttributeResult[] => rs.map((result) => ({ attribute: 'fullName', result, score: 0 }));

  test('property: match iff all match; partial iff none fails and some is partial; otherwise no_match', () => {
    fc.assert(
      fc.property(fc.array(resultArb, { maxLength: 8 }), (rs) => {
        const failed = rs.length === 0 || rs.includes('no_match') || rs.includes('no_data');
        const expected = failed ? 'no_match' : rs.includes('partial') ? 'partial' : 'match';
        assert.equal(overallResult(results(rs)), expected);
        // Order does not matter.
        assert.equal(overallResult(results([...rs].reverse())), expected);
      }),
    );
  });

  test('examples', () => {
    assert.equal(overallResult([]), 'no_match', 'nothing claimed confirms nothing');
    assert.equal(overallResult(results(['match', 'match'])), 'match');
    assert.equal(overallResult(results(['match', 'partial'])), 'partial');
    assert.equal(overallResult(results(['partial', 'no_data'])), 'no_match');
    assert.equal(overallResult(results(['no_match', 'match'])), 'no_match');
  });

  test('a typo in the name with everything else exact: partial overall', () => {
    const all = matchDemographics({ fullName: 'Nguyễn Văn Ann', dateOfBirth: '1990-05-04', sex: 'female' }, record('Nguyễn Văn An'));
    assert.deepEqual(all.map((r) => r.result), ['partial', 'match', 'match']);
    assert.equal(overallResult(all), 'partial');
  });
});
