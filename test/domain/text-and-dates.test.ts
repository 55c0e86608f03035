/** Boundary normalisation, the folded search key, and partial dates. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { foldKey, normalizeDeep, normalizeText } from '../../src/domain/text/normalize.js';
import { coarserForms, comparePartialDates, earliestDay, isValidPartialDate, precisionOf } from '../../src/domain/dates/partial-date.js';

const vietnamese = fc.constantFrom(...'aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ AĂÂĐÊÔƠƯÁÀỨỮ'.split(''));
const vnString = fc.array(vietnamese, { maxLength: 30 }).map((a) => a.join(''));

describe('normalizeText and foldKey', () => {
  test('property: NFC and NFD forms normalise to the same text and fold to the same key', () => {
    fc.assert(
      fc.property(vnString, (s) => {
        assert.equal(normalizeText(s.normalize('NFD')), normalizeText(s));
        assert.equal(foldKey(s.normalize('NFD')), foldKey(s));
        assert.equal(foldKey(s.toUpperCase()), foldKey(s.toLowerCase()));
      }),
    );
  });

  test('property: the key is lower-case ASCII letters and single inner spaces', () => {
    fc.assert(
      fc.property(vnString, (s) => {
        const k = foldKey(s);
        assert.match(k, /^([a-z]+( [a-z]+)*)?$/);
        assert.equal(foldKey(k), k);
      }),
    );
  });

  test('examples', () => {
    assert.equal(foldKey('  Nguyễn   Văn  Đức '), 'nguyen van duc');
    assert.equal(foldKey('ĐẶNG THỊ HOÀ'), 'dang thi hoa');
    assert.equal(foldKey('Trần Kim Ðan'), 'tran kim dan'); // U+00D0 look-alike
    assert.equal(normalizeText(' Trần\tKim  Ðan\n'), 'Trần Kim Đan');
    assert.deepEqual(normalizeDeep({ a: ' x  y ', b: [' Hòa '.normalize('NFD')], c: 3, d: null }), { a: 'x y', b: ['Hòa'], c: 3, d: null });
  });
});

describe('partial dates', () => {
  test('precision is the shape; validity follows the calendar', () => {
    assert.equal(precisionOf('1990'), 'year');
    assert.equal(precisionOf('1990-05'), 'month');
    assert.equal(precisionOf('1990-05-12'), 'day');
    assert.equal(isValidPartialDate('2024-02-29'), true);
    assert.equal(isValidPartialDate('2023-02-29'), false);
    assert.equal(isValidPartialDate('1900-02-29'), false);
    assert.equal(isValidPartialDate('2000-02-29'), true);
    assert.equal(isValidPartialDate('1990-13'), false);
    assert.equal(isValidPartialDate('1990-00'), false);
    assert.equal(isValidPartialDate('199'), false);
    assert.equal(isValidPartialDate('1799'), false);
  });

  test('property: every real calendar day is valid and agrees with Date', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1800-01-01T00:00:00Z'), max: new Date('2399-12-31T00:00:00Z'), noInvalidDate: true }), (d) => {
        const iso = d.toISOString().slice(0, 10);
        assert.equal(isValidPartialDate(iso), true);
        assert.equal(isValidPartialDate(iso.slice(0, 7)), true);
        assert.equal(earliestDay(iso.slice(0, 4)) <= iso, true);
        assert.deepEqual(coarserForms(iso), [iso, iso.slice(0, 4), iso.slice(0, 7)]);
      }),
    );
  });

  test('ordering by earliest day', () => {
    assert.deepEqual(['1990-05-12', '1990', '1989-12', '1990-05'].sort(comparePartialDates), ['1989-12', '1990', '1990-05', '1990-05-12']);
  });
});
