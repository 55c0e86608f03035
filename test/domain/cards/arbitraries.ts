/**
 * Synthetic card holders and QR inputs for the card tests. Every value is invented: names are
 * random combinations of common name parts, addresses are made up, IDs are composed from the rules
 * (never a string from a real card, vn-domain §3.2).
 */
import fc from 'fast-check';
import type { Sex } from '../../../src/domain/citizen/citizen.js';
import { daysInMonth } from '../../../src/domain/dates/partial-date.js';
import { composePersonalId, personalIdPrefix } from '../../../src/domain/identity/personal-id.js';
import type { QrPayloadInput } from '../../../src/domain/cards/qr-payload.js';

export const PROVINCES: ReadonlySet<string> = new Set(['001', '012', '048', '079', '096']);

export const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

export const sexArb = fc.constantFrom<Sex>('male', 'female');

/** A real calendar day between the given years, 29 February included. */
export function dayArb(minYear: number, maxYear: number): fc.Arbitrary<string> {
  return fc
    .record({ y: fc.integer({ min: minYear, max: maxYear }), m: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 31 }) })
    .map(({ y, m, d }) => `${y}-${pad(m)}-${pad(Math.min(d, daysInMonth(y, m)))}`);
}

const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý'];
const MIDDLE = ['Văn', 'Thị', 'Hữu', 'Đức', 'Thanh', 'Minh', 'Ngọc', 'Quốc', 'Xuân', 'Bảo'];
const GIVEN = ['An', 'Bình', 'Chi', 'Dũng', 'Giang', 'Hà', 'Hòa', 'Khoa', 'Linh', 'Nga', 'Phương', 'Quân', 'Thủy', 'Tuấn', 'Yến', 'Ánh', 'Đạt'];
const STREETS = ['Lê Lợi', 'Trần Hưng Đạo', 'Nguyễn Trãi', 'Hai Bà Trưng', 'Điện Biên Phủ', 'Võ Thị Sáu'];
const WARDS = ['Phường Bến Thành', 'Phường Hòa Cường', 'Xã Tân Phú', 'Phường Ba Đình', 'Xã Đông Hòa'];
const CITIES = ['Thành phố Hà Nội', 'Thành phố Hồ Chí Minh', 'Thành phố Đà Nẵng', 'Tỉnh Đồng Nai'];

/** A name, composed (NFC) or decomposed (NFD), with irregular spacing: what callers might pass in. */
export const nameArb = fc
  .tuple(fc.constantFrom(...FAMILY), fc.array(fc.constantFrom(...MIDDLE), { minLength: 0, maxLength: 2 }), fc.constantFrom(...GIVEN))
  .map(([f, m, g]) => [f, ...m, g]);
export const messyTextArb = (words: fc.Arbitrary<string[]>, joiner = ' '): fc.Arbitrary<string> =>
  fc
    .tuple(words, fc.boolean(), fc.constantFrom(joiner, `${joiner} `, `${joiner}\t`), fc.constantFrom('', ' ', '  '))
    .map(([w, nfd, j, edge]) => (edge + w.join(j) + edge).normalize(nfd ? 'NFD' : 'NFC'));
export const fullNameArb = messyTextArb(nameArb);

/** Addresses with commas inside the field ("Số 12, Đường …, Phường …, Thành phố …"). */
export const addressWordsArb = fc
  .tuple(fc.integer({ min: 1, max: 999 }), fc.constantFrom(...STREETS), fc.constantFrom(...WARDS), fc.constantFrom(...CITIES))
  .map(([n, s, w, c]) => [`Số ${n}`, `Đường ${s}`, w, c]);
export const addressArb = messyTextArb(addressWordsArb, ',');

/** Extra fields of the EXTENDED layout: none, or 3–6 arbitrary texts without separators. */
const unknownFieldArb = fc.string({ unit: 'grapheme', maxLength: 12 }).filter((s) => !/[|\r\n]/u.test(s) && !s.startsWith('\uFEFF'));
export const unknownFieldsArb = fc.oneof(fc.constant<string[]>([]), fc.array(unknownFieldArb, { minLength: 3, maxLength: 6 }));

export const legacyArb = fc.option(fc.stringMatching(/^\d{9}$/), { nil: undefined });

/** A holder whose personal ID agrees with the date of birth and sex, and a card issued after birth. */
export const qrInputArb: fc.Arbitrary<QrPayloadInput> = fc
  .record({
    province: fc.constantFrom(...PROVINCES),
    dob: dayArb(1920, 2020),
    sex: sexArb,
    random: fc.integer({ min: 0, max: 999_999 }),
    legacy: legacyArb,
    name: fullNameArb,
    address: addressArb,
    issue: dayArb(2016, 2030),
    unknown: unknownFieldsArb,
  })
  .filter((r) => r.issue >= r.dob)
  .map((r) => {
    const input: QrPayloadInput = {
      personalId: composePersonalId(personalIdPrefix(r.province, Number(r.dob.slice(0, 4)), r.sex)!, r.random),
      fullName: r.name,
      dateOfBirth: r.dob,
      sex: r.sex,
      permanentAddress: r.address,
      issueDate: r.issue,
      unknownFields: r.unknown,
    };
    if (r.legacy !== undefined) input.legacyIdNumber = r.legacy;
    return input;
  });
