/** The card QR text: generation, parsing back, and the specific reason for every malformed variant. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isValidFullDate } from '../../../src/domain/dates/partial-date.js';
import { normalizeText } from '../../../src/domain/text/normalize.js';
import {
  QrPayloadError,
  generateQrPayload,
  parseQrPayload,
  type QrField,
  type QrParseReason,
  type QrPayload,
  type QrPayloadInput,
} from '../../../src/domain/cards/qr-payload.js';
import { qrInputArb } from './arbitraries.js';

const NU = 'N\u1eef';

/** What parsing the generated text must give back for an input. */
function expected(input: QrPayloadInput): QrPayload {
  const unknown = (input.unknownFields ?? []).map((f) => f.normalize('NFC'));
  const p: QrPayload = {
    personalId: input.personalId,
    fullName: normalizeText(input.fullName),
    dateOfBirth: input.dateOfBirth,
    sex: input.sex,
    permanentAddress: normalizeText(input.permanentAddress),
    issueDate: input.issueDate,
    layout: unknown.length === 0 ? 'CCCD7' : 'EXTENDED',
    unknownFields: unknown,
  };
  if (input.legacyIdNumber !== undefined) p.legacyIdNumber = input.legacyIdNumber;
  return p;
}

function fields(input: QrPayloadInput): string[] {
  return generateQrPayload(input).split('|');
}

describe('QR payload: round trip', () => {
  test('a synthetic 7-field CCCD payload reads as expected', () => {
    const text = `079190004321|123456789|Nguyễn Văn An|15031990|Nam|Số 12, Đường Lê Lợi, Phường Bến Thành, Thành phố Hồ Chí Minh|01072021`;
    const r = parseQrPayload(text);
    assert.ok(r.ok);
    assert.deepEqual(r.payload, {
      personalId: '079190004321',
      legacyIdNumber: '123456789',
      fullName: 'Nguyễn Văn An',
      dateOfBirth: '1990-03-15',
      sex: 'male',
      permanentAddress: 'Số 12, Đường Lê Lợi, Phường Bến Thành, Thành phố Hồ Chí Minh',
      issueDate: '2021-07-01',
      layout: 'CCCD7',
      unknownFields: [],
    });
    assert.equal(generateQrPayload(r.payload), text);
  });

  test('an 11-field payload keeps its 4 trailing (empty) fields; BOM and a trailing line break are tolerated', () => {
    const text = `\uFEFF001305001234||Trần Thị Chi|29022008|${NU}|Xã Tân Phú, Tỉnh Đồng Nai|02082024||||\r\n`;
    const r = parseQrPayload(text);
    assert.ok(r.ok);
    assert.equal(r.payload.layout, 'EXTENDED');
    assert.deepEqual(r.payload.unknownFields, ['', '', '', '']);
    assert.equal(r.payload.legacyIdNumber, undefined);
    assert.equal('legacyIdNumber' in r.payload, false);
    assert.equal(r.payload.dateOfBirth, '2008-02-29');
    assert.equal(r.payload.sex, 'female');
  });

  test('property: generated payloads parse back to the same (normalised) values, in both layouts', () => {
    fc.assert(
      fc.property(qrInputArb, (input) => {
        const text = generateQrPayload(input);
        assert.equal(text, text.normalize('NFC'));
        const r = parseQrPayload(text);
        assert.ok(r.ok, JSON.stringify(r));
        assert.deepEqual(r.payload, expected(input));
        // NFD text reads the same as NFC text, and regenerating is stable.
        const again = parseQrPayload(text.normalize('NFD'));
        assert.ok(again.ok);
        assert.deepEqual(again.payload, r.payload);
        assert.equal(generateQrPayload(r.payload), text);
      }),
      { numRuns: 300 },
    );
  });

  test('the generator refuses what it cannot print faithfully', () => {
    const base: QrPayloadInput = {
      personalId: '001090000001',
      fullName: 'Lê Minh Khoa',
      dateOfBirth: '1990-01-02',
      sex: 'male',
      permanentAddress: 'Xã Đông Hòa',
      issueDate: '2022-05-06',
    };
    const refuse = (patch: Partial<QrPayloadInput>, reason: string, field: string): void => {
      assert.throws(
        () => generateQrPayload({ ...base, ...patch }),
        (e: unknown) => e instanceof QrPayloadError && e.reason === reason && e.field === field && !e.message.includes('Khoa'),
      );
    };
    refuse({ fullName: 'Lê | Khoa' }, 'QR_FIELD_SEPARATOR', 'fullName');
    refuse({ permanentAddress: 'Thôn 1|Xã 2' }, 'QR_FIELD_SEPARATOR', 'permanentAddress');
    refuse({ unknownFields: ['a', 'b\nc', 'd'] }, 'QR_FIELD_SEPARATOR', 'unknownFields');
    refuse({ unknownFields: ['a', 'b'] }, 'QR_FIELD_COUNT', 'unknownFields');
    refuse({ fullName: '  ' }, 'QR_NAME_EMPTY', 'fullName');
    refuse({ dateOfBirth: '1990' }, 'QR_DATE_FORMAT', 'dateOfBirth');
    refuse({ issueDate: '2022-02-30' }, 'QR_DATE_INVALID', 'issueDate');
    refuse({ personalId: '12345' }, 'QR_PERSONAL_ID_FORMAT', 'personalId');
    refuse({ legacyIdNumber: '12345678' }, 'QR_LEGACY_ID_FORMAT', 'legacyIdNumber');
    // An empty address is allowed (see parseQrPayload).
    assert.ok(parseQrPayload(generateQrPayload({ ...base, permanentAddress: ' ' })).ok);
  });
});

/** Malformed values per field, each with the reason it must produce. */
const noBreak = (s: string): boolean => !/[|\r\n]/u.test(s) && !s.startsWith('\uFEFF');
const badDateDigits = fc
  .tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 9999 }))
  .map(([d, m, y]) => ({ qr: `${String(d).padStart(2, '0')}${String(m).padStart(2, '0')}${String(y).padStart(4, '0')}`, d, m, y }))
  .filter(({ d, m, y }) => !isValidFullDate(`${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`))
  .map(({ qr }) => qr);
const badDateShape = fc.oneof(fc.string({ maxLength: 10 }), fc.stringMatching(/^\d{1,7}$|^\d{9,10}$/), fc.constantFrom('15-03-1990', '1990-03-15', '15/03/1990', ' 15031990')).filter((s) => noBreak(s) && !/^\d{8}$/.test(s));

const MALFORMED: Array<{ index: number; field: QrField; reason: QrParseReason; values: fc.Arbitrary<string> }> = [
  { index: 0, field: 'personalId', reason: 'QR_PERSONAL_ID_FORMAT', values: fc.oneof(fc.string({ maxLength: 14 }), fc.stringMatching(/^\d{0,11}$|^\d{13,14}$/), fc.constant(' 001090000001')).filter((s) => noBreak(s) && !/^\d{12}$/.test(s)) },
  { index: 1, field: 'legacyIdNumber', reason: 'QR_LEGACY_ID_FORMAT', values: fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.stringMatching(/^\d{1,8}$|^\d{10,12}$/)).filter((s) => noBreak(s) && !/^\d{9}$/.test(s)) },
  { index: 2, field: 'fullName', reason: 'QR_NAME_EMPTY', values: fc.constantFrom('', ' ', '\t', ' \u00a0 ') },
  { index: 3, field: 'dateOfBirth', reason: 'QR_DATE_FORMAT', values: badDateShape },
  { index: 3, field: 'dateOfBirth', reason: 'QR_DATE_INVALID', values: fc.oneof(badDateDigits, fc.constantFrom('30022020', '29022023', '31042020', '00012020', '01131990', '01011799')) },
  { index: 4, field: 'sex', reason: 'QR_SEX_UNKNOWN', values: fc.oneof(fc.constantFrom('Nu', 'nam', 'NAM', 'N\u1eef'.toUpperCase(), 'Nữ.', 'Male', 'F', ''), fc.string({ maxLength: 4 })).filter((s) => noBreak(s) && !['Nam', NU].includes(normalizeText(s))) },
  { index: 6, field: 'issueDate', reason: 'QR_DATE_FORMAT', values: badDateShape },
  { index: 6, field: 'issueDate', reason: 'QR_DATE_INVALID', values: badDateDigits },
];

describe('QR payload: malformed variants', () => {
  for (const m of MALFORMED) {
    test(`property: a malformed ${m.field} gives ${m.reason}`, () => {
      fc.assert(
        fc.property(qrInputArb, m.values, (input, bad) => {
          const f = fields(input);
          f[m.index] = bad;
          const r = parseQrPayload(f.join('|'));
          assert.ok(!r.ok);
          assert.equal(r.reason, m.reason);
          assert.equal(r.field, m.field);
        }),
        { numRuns: 150 },
      );
    });
  }

  test('property: any field count other than 7 or ≥ 10 gives QR_FIELD_COUNT', () => {
    fc.assert(
      fc.property(qrInputArb, fc.constantFrom(1, 2, 3, 4, 5, 6, 8, 9), (input, n) => {
        const f = fields(input).slice(0, 7);
        while (f.length < n) f.push('');
        const r = parseQrPayload(f.slice(0, n).join('|'));
        assert.ok(!r.ok);
        assert.equal(r.reason, 'QR_FIELD_COUNT');
      }),
    );
    assert.equal((parseQrPayload('') as { reason: string }).reason, 'QR_FIELD_COUNT');
  });

  test('a failure never repeats the offending value (results may be logged)', () => {
    const f = fields({ personalId: '001190000001', fullName: 'Vũ Thị Hà', dateOfBirth: '1990-01-02', sex: 'female', permanentAddress: 'x', issueDate: '2022-05-06' });
    for (const i of [0, 1, 3, 4, 6]) {
      const g = [...f];
      g[i] = 'Vũ Thị Hà 0012';
      const r = parseQrPayload(g.join('|'));
      assert.ok(!r.ok);
      assert.ok(!JSON.stringify(r).includes('Vũ Thị Hà'));
    }
  });

  test('"Nữ" typed in NFD is read as female; "Nu" and "nam" are not sexes', () => {
    const f = fields({ personalId: '001190000001', fullName: 'Vũ Thị Hà', dateOfBirth: '1990-01-02', sex: 'female', permanentAddress: 'x', issueDate: '2022-05-06' });
    f[4] = NU.normalize('NFD');
    const r = parseQrPayload(f.join('|'));
    assert.ok(r.ok && r.payload.sex === 'female');
    for (const w of ['Nu', 'nam']) {
      f[4] = w;
      assert.equal((parseQrPayload(f.join('|')) as { reason: string }).reason, 'QR_SEX_UNKNOWN');
    }
  });
});
