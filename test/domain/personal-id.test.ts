/** The personal ID number: structure, composition and the consistency rules (property tests). */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  cancellationMatchesCorrection,
  centurySexDigit,
  composePersonalId,
  decodeCenturySexDigit,
  parsePersonalId,
  personalIdPrefix,
  validatePersonalId,
  type Sex,
} from '../../src/domain/identity/personal-id.js';

const PROVINCES = new Set(['001', '079', '096']);
const sexArb = fc.constantFrom<Sex>('male', 'female');
const dateArb = fc
  .record({ y: fc.integer({ min: 1900, max: 2399 }), m: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 28 }) })
  .map(({ y, m, d }) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);

describe('personal ID', () => {
  test('the G digit table of TT 07/2016 (0/1 for 1900s, 2/3 for 2000s, …)', () => {
    assert.equal(centurySexDigit(1990, 'male'), 0);
    assert.equal(centurySexDigit(1990, 'female'), 1);
    assert.equal(centurySexDigit(2000, 'male'), 2);
    assert.equal(centurySexDigit(2099, 'female'), 3);
    assert.equal(centurySexDigit(2100, 'male'), 4);
    assert.equal(centurySexDigit(2399, 'female'), 9);
    assert.equal(centurySexDigit(1899, 'male'), undefined);
    assert.equal(centurySexDigit(2400, 'male'), undefined);
  });

  test('property: a composed ID parses back and validates against the person it was made for', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PROVINCES), dateArb, sexArb, fc.integer({ min: 0, max: 999_999 }), (p, dob, sex, rnd) => {
        const id = composePersonalId(personalIdPrefix(p, Number(dob.slice(0, 4)), sex)!, rnd);
        assert.match(id, /^\d{12}$/);
        const parts = parsePersonalId(id)!;
        assert.equal(parts.provinceCode, p);
        assert.equal(Number(parts.random), rnd);
        assert.deepEqual(decodeCenturySexDigit(parts.centurySexDigit), { centuryStart: Math.floor(Number(dob.slice(0, 4)) / 100) * 100, sex });
        assert.deepEqual(validatePersonalId(id, PROVINCES, { sex, dateOfBirth: dob }), { valid: true, problems: [] });
        // The same number for the other sex, another century or another year is inconsistent.
        const other: Sex = sex === 'male' ? 'female' : 'male';
        assert.ok(validatePersonalId(id, PROVINCES, { sex: other, dateOfBirth: dob }).problems.includes('PERSONAL_ID_SEX_MISMATCH'));
        const y = Number(dob.slice(0, 4));
        const shifted = `${y === 2399 ? y - 1 : y + 1}${dob.slice(4)}`;
        assert.ok(validatePersonalId(id, PROVINCES, { sex, dateOfBirth: shifted }).problems.includes('PERSONAL_ID_YEAR_MISMATCH'));
        const century = `${y >= 2300 ? y - 100 : y + 100}${dob.slice(4)}`;
        assert.ok(validatePersonalId(id, PROVINCES, { sex, dateOfBirth: century }).problems.includes('PERSONAL_ID_CENTURY_MISMATCH'));
      }),
    );
  });

  test('property: anything that is not 12 digits is a format error', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }).filter((s) => !/^\d{12}$/.test(s)), (s) => {
        assert.deepEqual(validatePersonalId(s, PROVINCES), { valid: false, problems: ['PERSONAL_ID_FORMAT'] });
      }),
    );
  });

  test('unknown province codes are reported; partial dates use their year', () => {
    assert.deepEqual(validatePersonalId('003090123456', PROVINCES).problems, ['PERSONAL_ID_PROVINCE_UNKNOWN']);
    assert.deepEqual(validatePersonalId('001090123456', PROVINCES, { sex: 'male', dateOfBirth: '1990' }).problems, []);
    assert.deepEqual(validatePersonalId('001190123456', PROVINCES, { sex: 'female', dateOfBirth: '1990-07' }).problems, []);
  });

  test('cancellation reasons must match what the correction changes', () => {
    const base = { sex: 'male' as Sex, dateOfBirth: '1990-01-01', provinceCode: '01' };
    assert.equal(cancellationMatchesCorrection('SEX_REDETERMINED', base, { ...base, sex: 'female' }), true);
    assert.equal(cancellationMatchesCorrection('SEX_REDETERMINED', base, { ...base, dateOfBirth: '1991-01-01' }), false);
    assert.equal(cancellationMatchesCorrection('BIRTH_YEAR_CORRECTED', base, { ...base, dateOfBirth: '1991-01-01' }), true);
    assert.equal(cancellationMatchesCorrection('BIRTH_YEAR_CORRECTED', base, { ...base, dateOfBirth: '1990-12-31' }), false);
    assert.equal(cancellationMatchesCorrection('COLLECTION_ERROR', base, { ...base, provinceCode: '79' }), true);
    assert.equal(cancellationMatchesCorrection('COLLECTION_ERROR', base, base), false);
  });
});
