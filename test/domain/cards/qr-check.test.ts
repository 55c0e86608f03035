/** Checks on a parsed QR payload: internal consistency, and the field-by-field counter check. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { daysInMonth } from '../../../src/domain/dates/partial-date.js';
import { generateQrPayload, parseQrPayload, QR_FIELDS, type QrPayload, type QrPayloadInput } from '../../../src/domain/cards/qr-payload.js';
import { checkQrConsistency, compareQrWithRecord, printedTextKey, type QrRegistryView } from '../../../src/domain/cards/qr-check.js';
import { addressArb, dayArb, fullNameArb, pad, PROVINCES, qrInputArb } from './arbitraries.js';

function parsed(input: QrPayloadInput): QrPayload {
  const r = parseQrPayload(generateQrPayload(input));
  assert.ok(r.ok);
  return r.payload;
}
const codes = (p: QrPayload): string[] => checkQrConsistency(p, PROVINCES).map((f) => f.code);
/** The same date of birth in another year (29 February moves to 28 February if needed). */
function withYear(dob: string, y: number): string {
  const m = Number(dob.slice(5, 7));
  return `${y}-${pad(m)}-${pad(Math.min(Number(dob.slice(8, 10)), daysInMonth(y, m)))}`;
}

describe('checkQrConsistency', () => {
  test('property: payloads of consistent holders have no findings', () => {
    fc.assert(fc.property(qrInputArb, (input) => assert.deepEqual(checkQrConsistency(parsed(input), PROVINCES), [])), { numRuns: 300 });
  });

  test('property: an ID that disagrees with the sex, year or century beside it is flagged', () => {
    fc.assert(
      fc.property(qrInputArb, fc.integer({ min: 1, max: 99 }), (input, dy) => {
        const p = parsed(input);
        const other = p.sex === 'male' ? 'female' : 'male';
        assert.deepEqual(checkQrConsistency({ ...p, sex: other }, PROVINCES), [{ code: 'PERSONAL_ID_SEX_MISMATCH', fields: ['personalId', 'sex'] }]);
        const y = Number(p.dateOfBirth.slice(0, 4));
        const sameCentury = Math.floor(y / 100) * 100 + ((y % 100) + dy) % 100;
        const c1 = codes({ ...p, dateOfBirth: withYear(p.dateOfBirth, sameCentury) });
        assert.ok(c1.includes('PERSONAL_ID_YEAR_MISMATCH') && !c1.includes('PERSONAL_ID_CENTURY_MISMATCH'));
        const c2 = codes({ ...p, dateOfBirth: withYear(p.dateOfBirth, y - 100) });
        assert.ok(c2.includes('PERSONAL_ID_CENTURY_MISMATCH') && !c2.includes('PERSONAL_ID_YEAR_MISMATCH'));
        assert.deepEqual(codes({ ...p, personalId: `999${p.personalId.slice(3)}` }), ['PERSONAL_ID_PROVINCE_UNKNOWN']);
      }),
      { numRuns: 300 },
    );
  });

  test('placeholder-style samples (as in parser docs and tests) are caught', () => {
    const samples: Array<[string, string[]]> = [
      // ID says born 1999, male; the payload says 1990, female.
      ['001099012345||Nguyễn Văn A|01011990|Nữ|Số 1, Phường X, Thành phố Hà Nội|01012021', ['PERSONAL_ID_SEX_MISMATCH', 'PERSONAL_ID_YEAR_MISMATCH']],
      // "012345678901": G = 3 (female, 2000s), YY = 45; the payload says a man born 1985.
      ['012345678901|123456789|Trần Văn B|15081985|Nam|Xã Y, Tỉnh Z|20062022', ['PERSONAL_ID_SEX_MISMATCH', 'PERSONAL_ID_CENTURY_MISMATCH', 'PERSONAL_ID_YEAR_MISMATCH']],
      // "123456789012": no province 123; G = 4 is a man born in the 2100s.
      ['123456789012||Lê Thị C|01012000|Nữ|Phường Q|01012021', ['PERSONAL_ID_PROVINCE_UNKNOWN', 'PERSONAL_ID_SEX_MISMATCH', 'PERSONAL_ID_CENTURY_MISMATCH', 'PERSONAL_ID_YEAR_MISMATCH']],
      // All zeros; issued before the holder was born and before any CCCD existed.
      ['000000000000||Phạm D|01011990|Nam|Ấp R|01012000', ['PERSONAL_ID_PROVINCE_UNKNOWN', 'PERSONAL_ID_YEAR_MISMATCH', 'QR_ISSUE_BEFORE_CCCD']],
      ['001090000001||Phạm E|01011990|Nam|Ấp R|31121989', ['QR_ISSUE_BEFORE_BIRTH', 'QR_ISSUE_BEFORE_CCCD']],
    ];
    for (const [text, want] of samples) {
      const r = parseQrPayload(text);
      assert.ok(r.ok, text);
      assert.deepEqual(codes(r.payload), want, text);
    }
  });
});

/** The registry's record for a holder, written the way registries vary: case, NFD, tone position. */
function toneSwap(s: string): string {
  return s.normalize('NFC').replace(/òa/gu, 'oà').replace(/ủy/gu, 'uỷ').replace(/Òa/gu, 'Oà');
}
const spellings = fc.constantFrom<(s: string) => string>((s) => s, (s) => s.toUpperCase(), (s) => s.normalize('NFD'), toneSwap);
function record(input: QrPayloadInput, name: (s: string) => string, address: (s: string) => string): QrRegistryView {
  const r: QrRegistryView = { personalId: input.personalId, fullName: name(input.fullName), dateOfBirth: input.dateOfBirth, sex: input.sex, permanentAddressText: address(input.permanentAddress), issueDate: input.issueDate };
  if (input.legacyIdNumber !== undefined) r.legacyIdNumber = input.legacyIdNumber;
  return r;
}
const mismatches = (p: QrPayload, r: QrRegistryView): string[] => compareQrWithRecord(p, r).filter((c) => !c.matches).map((c) => c.field);

describe('compareQrWithRecord', () => {
  test('property: a card printed from the record matches on every field, whatever the record spelling', () => {
    fc.assert(
      fc.property(qrInputArb, spellings, spellings, (input, n, a) => {
        const result = compareQrWithRecord(parsed(input), record(input, n, a));
        assert.deepEqual(result.map((c) => c.field), [...QR_FIELDS]);
        assert.deepEqual(result.filter((c) => !c.matches), []);
      }),
      { numRuns: 300 },
    );
  });

  const alternatives = fc.record({
    personalId: fc.stringMatching(/^\d{12}$/),
    legacyIdNumber: fc.stringMatching(/^\d{9}$/),
    fullName: fullNameArb,
    dateOfBirth: dayArb(1920, 2020),
    permanentAddress: addressArb,
    issueDate: dayArb(2016, 2030),
  });

  test('property: changing any one field of the card to another valid value is reported on exactly that field', () => {
    fc.assert(
      fc.property(qrInputArb, fc.constantFrom(...QR_FIELDS), alternatives, spellings, (input, field, alt, spell) => {
        const reg = record(input, spell, spell);
        const changed: QrPayloadInput = { ...input };
        if (field === 'sex') changed.sex = input.sex === 'male' ? 'female' : 'male';
        else changed[field] = alt[field];
        const same =
          field === 'fullName' || field === 'permanentAddress'
            ? printedTextKey(changed[field]) === printedTextKey(input[field])
            : changed[field] === input[field];
        fc.pre(!same);
        assert.deepEqual(mismatches(parsed(changed), reg), [field]);
      }),
      { numRuns: 700 },
    );
  });

  test('names: diacritics and đ count; case, NFD and tone-mark position do not', () => {
    const key = printedTextKey;
    assert.notEqual(key('Nguyen Van An'), key('Nguyễn Văn An'));
    assert.notEqual(key('Dung'), key('Đung'));
    assert.notEqual(key('Thúy'), key('Thủy'));
    assert.equal(key('Thủy'), key('Thuỷ'));
    assert.equal(key('Xã Đông Hòa'), key('XÃ ĐÔNG HOÀ'));
    assert.equal(key(' Trần  Thị\tÁnh '.normalize('NFD')), key('Trần Thị Ánh'));
  });

  test('the two documented allowances are marked with a note', () => {
    const input: QrPayloadInput = { personalId: '001190000002', fullName: 'Đỗ Thị Yến', dateOfBirth: '1990-07-04', sex: 'female', permanentAddress: 'Xã Tân Phú', issueDate: '2021-03-03' };
    const reg = { ...record(input, (s) => s, (s) => s), legacyIdNumber: '123456789', dateOfBirth: '1990-07' };
    const byField = new Map(compareQrWithRecord(parsed(input), reg).map((c) => [c.field, c]));
    assert.deepEqual(byField.get('legacyIdNumber'), { field: 'legacyIdNumber', matches: true, qr: null, registry: '123456789', note: 'LEGACY_ID_NOT_ON_CARD' });
    assert.deepEqual(byField.get('dateOfBirth'), { field: 'dateOfBirth', matches: true, qr: '1990-07-04', registry: '1990-07', note: 'REGISTRY_DATE_PARTIAL' });
    assert.deepEqual(mismatches(parsed(input), { ...reg, dateOfBirth: '1991' }), ['dateOfBirth']);
    // A CMND on the card that the registry does not link is a mismatch.
    assert.deepEqual(mismatches(parsed({ ...input, legacyIdNumber: '987654321' }), { ...reg, legacyIdNumber: undefined }), ['legacyIdNumber']);
    // An empty address on the card shows as a mismatch against a registry address, not as a parse error.
    assert.deepEqual(mismatches(parsed({ ...input, permanentAddress: '' }), reg), ['permanentAddress']);
  });
});
