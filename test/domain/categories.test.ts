import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  buildAdminUnits,
  dayBefore,
  type AdminUnit,
  type Units2025File,
} from '../../src/domain/categories/admin-units.js';
import {
  buildCategories,
  categoryList,
  categoryNameKey,
  childUnits,
  findCategory,
  findCodeByName,
  findUnit,
  findUnitAnyDate,
  formatAddress,
  hasBloodGroup,
  hasCode,
  hasEthnicity,
  hasMaritalStatus,
  hasNationality,
  hasReligion,
  idProvinceCodes,
  isUnitValidAt,
  provinceOfUnit,
  unitHistory,
  type ReferenceData,
} from '../../src/domain/categories/categories.js';
import { CATEGORY_CODE_PATTERNS, CATEGORY_KINDS } from '../../src/domain/categories/category-lists.js';
import { loadReferenceData } from '../../src/store/reference-data.js';

const ref = loadReferenceData();
const cats = buildCategories(ref);
const rows = ref.adminUnits;

const distinct = (unitSet: AdminUnit['unitSet'], level: AdminUnit['level']): number =>
  new Set(rows.filter((u) => u.unitSet === unitSet && u.level === level).map((u) => u.code)).size;

const isoDay = (min: string, max: string) =>
  fc
    .date({ min: new Date(`${min}T00:00:00Z`), max: new Date(`${max}T00:00:00Z`), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10));

describe('administrative unit rows', () => {
  it('has 63 provinces, 696 districts and 10,035 communes before the reform', () => {
    assert.equal(distinct('pre2025', 'province'), 63);
    assert.equal(distinct('pre2025', 'district'), 696);
    assert.equal(distinct('pre2025', 'commune'), 10_035);
  });

  it('has 34 provinces and 3,321 communes after it, and no districts', () => {
    assert.equal(distinct('2025', 'province'), 34);
    assert.equal(distinct('2025', 'commune'), 3_321);
    assert.equal(distinct('2025', 'district'), 0);
    assert.equal(childUnits(cats, '2025', null, '2025-07-01').length, 34);
    assert.equal(childUnits(cats, 'pre2025', null, '2025-06-30').length, 63);
  });

  it('reads 00004 as Trúc Bạch before the reform and Ba Đình after', () => {
    const before = findUnit(cats, 'pre2025', '00004', '2025-06-30');
    const after = findUnit(cats, '2025', '00004', '2025-07-01');
    assert.equal(before?.fullName, 'Phường Trúc Bạch');
    assert.equal(before?.parentCode, '001');
    assert.equal(after?.fullName, 'Phường Ba Đình');
    assert.equal(after?.parentCode, '01');
  });

  it('switches unit sets between 2025-06-30 and 2025-07-01', () => {
    assert.equal(findUnit(cats, 'pre2025', '01', '2025-06-30')?.validTo, '2025-06-30');
    assert.equal(findUnit(cats, 'pre2025', '01', '2025-07-01'), undefined);
    assert.equal(findUnit(cats, '2025', '01', '2025-06-30'), undefined);
    assert.equal(findUnit(cats, '2025', '01', '2025-07-01')?.validFrom, '2025-07-01');
    assert.equal(findUnit(cats, 'pre2025', '001', '1990-01-01')?.fullName, 'Quận Ba Đình');
  });

  it('dates the Đồng Nai change on 2026-04-30', () => {
    assert.equal(findUnit(cats, '2025', '75', '2026-04-29')?.fullName, 'Tỉnh Đồng Nai');
    assert.equal(findUnit(cats, '2025', '75', '2026-04-30')?.fullName, 'Thành phố Đồng Nai');
    assert.equal(findUnit(cats, '2025', '25270', '2026-04-29')?.fullName, 'Xã Lộc Ninh');
    assert.equal(findUnit(cats, '2025', '25270', '2026-04-30')?.fullName, 'Phường Lộc Ninh');
    assert.equal(findUnitAnyDate(cats, '2025', '25270')?.fullName, 'Phường Lộc Ninh');
    assert.equal(unitHistory(cats, '2025', '75').length, 2);
    const kinds = (date: string) => {
      const count = new Map<string, number>();
      for (const p of childUnits(cats, '2025', null, date)) {
        for (const c of childUnits(cats, '2025', p.code, date)) {
          const kind = c.fullName.slice(0, c.fullName.length - c.name.length - 1);
          count.set(kind, (count.get(kind) ?? 0) + 1);
        }
      }
      return Object.fromEntries(count);
    };
    assert.deepEqual(kinds('2026-04-29'), { Xã: 2621, Phường: 687, 'Đặc khu': 13 });
    assert.deepEqual(kinds('2026-04-30'), { Xã: 2611, Phường: 697, 'Đặc khu': 13 });
    assert.equal(rows.filter((u) => u.validFrom === '2026-04-30').length, 11);
  });

  it('keeps one row, with the 2025 spelling, where 2026 only moves a tone mark', () => {
    for (const [code, fullName] of [
      ['00175', 'Phường Yên Hòa'],
      ['01501', 'Xã Đàm Thủy'],
      ['00745', 'Xã Phó Bảng'],
      ['06325', 'Xã Bắc Sơn'],
    ] as const) {
      const history = unitHistory(cats, '2025', code);
      assert.equal(history.length, 1, code);
      assert.equal(history[0]?.fullName, fullName);
      assert.equal(history[0]?.validTo, null);
    }
  });

  it('finds each row on its first and last day (every row)', () => {
    for (const u of rows) {
      assert.equal(findUnit(cats, u.unitSet, u.code, u.validFrom ?? '1900-01-01'), u);
      assert.equal(findUnit(cats, u.unitSet, u.code, u.validTo ?? '9999-12-31'), u);
    }
  });

  it('has exactly the rows valid on a date that findUnit returns (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...rows), isoDay('1990-01-01', '2035-12-31'), (u, date) => {
        const valid = unitHistory(cats, u.unitSet, u.code).filter((r) => isUnitValidAt(r, date));
        assert.ok(valid.length <= 1);
        assert.equal(findUnit(cats, u.unitSet, u.code, date), valid[0]);
        assert.equal(isUnitValidAt(u, date), findUnit(cats, u.unitSet, u.code, date) === u);
      }),
      { numRuns: 2000 },
    );
  });

  it('gives every row a parent in force on its first and last day', () => {
    for (const u of rows) {
      assert.equal(u.parentCode === null, u.level === 'province');
      if (u.parentCode === null) continue;
      for (const day of [u.validFrom ?? '1900-01-01', u.validTo ?? '9999-12-31']) {
        const parent = findUnit(cats, u.unitSet, u.parentCode, day);
        assert.ok(parent, `${u.unitSet}:${u.code} on ${day}`);
        assert.equal(provinceOfUnit(cats, u.unitSet, u.code, day)?.code, u.provinceCode);
      }
    }
  });

  it('names the province of a unit on a date', () => {
    assert.equal(provinceOfUnit(cats, 'pre2025', '00004', '2024-01-01')?.fullName, 'Thành phố Hà Nội');
    assert.equal(provinceOfUnit(cats, '2025', '25270', '2026-04-29')?.fullName, 'Tỉnh Đồng Nai');
    assert.equal(provinceOfUnit(cats, '2025', '25270')?.fullName, 'Thành phố Đồng Nai');
    assert.equal(provinceOfUnit(cats, '2025', '25270', '2024-01-01'), undefined);
  });

  it('lists the 63 ID province codes of vn-domain §2.4', () => {
    const expected =
      '001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033 034 035 036 037 038 ' +
      '040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 067 068 070 072 074 075 077 079 080 082 ' +
      '083 084 086 087 089 091 092 093 094 095 096';
    assert.deepEqual([...idProvinceCodes(cats)].sort(), expected.split(' '));
    assert.equal(idProvinceCodes(cats).size, 63);
  });
});

describe('buildAdminUnits on small inputs', () => {
  const ward = (Code: string, Name: string, type: 'Xã' | 'Phường', ProvinceCode: string) => ({
    Code,
    Name,
    FullName: `${type} ${Name}`,
    ProvinceCode,
    AdministrativeUnitId: type === 'Phường' ? 3 : 4,
  });
  const province = (Code: string, Name: string, Wards: ReturnType<typeof ward>[]) => ({
    Code,
    Name,
    FullName: `Tỉnh ${Name}`,
    AdministrativeUnitId: 2,
    Wards,
  });
  const y2025: Units2025File = [
    province('75', 'Đồng Nai', [ward('26000', 'Hòa Bình', 'Xã', '75')]),
    province('01', 'Hà Nội', [ward('00175', 'Yên Hòa', 'Phường', '01')]),
  ];

  it('keeps one row for a respelling and splits a real change, keeping the old spelling', () => {
    const y2026: Units2025File = [
      province('75', 'Đồng Nai', [ward('26000', 'Hoà Bình', 'Phường', '75'), ward('26999', 'Mới', 'Xã', '75')]),
      province('01', 'Hà Nội', [ward('00175', 'Yên Hoà', 'Phường', '01')]),
    ];
    const out = buildAdminUnits([], y2025, y2026, '2026-04-30');
    const of = (code: string) => out.filter((u) => u.code === code).map((u) => [u.fullName, u.validFrom, u.validTo]);
    assert.deepEqual(of('00175'), [['Phường Yên Hòa', '2025-07-01', null]]);
    assert.deepEqual(of('26000'), [
      ['Xã Hòa Bình', '2025-07-01', '2026-04-29'],
      ['Phường Hòa Bình', '2026-04-30', null],
    ]);
    assert.deepEqual(of('26999'), [['Xã Mới', '2026-04-30', null]]);
  });

  it('refuses a 2026 change outside Đồng Nai, whose date it cannot know', () => {
    const y2026: Units2025File = [
      province('75', 'Đồng Nai', [ward('26000', 'Hòa Bình', 'Xã', '75')]),
      province('01', 'Hà Nội', [ward('00175', 'Yên Hòa', 'Xã', '01')]),
    ];
    assert.throws(() => buildAdminUnits([], y2025, y2026), /outside provinces 75 \(00175\)/);
  });

  it('computes the day before across month, year and leap days (property)', () => {
    assert.equal(dayBefore('2026-04-30'), '2026-04-29');
    assert.equal(dayBefore('2024-03-01'), '2024-02-29');
    assert.equal(dayBefore('2025-01-01'), '2024-12-31');
    fc.assert(
      fc.property(isoDay('1900-01-02', '2100-12-31'), (d) => {
        const prev = dayBefore(d);
        assert.ok(prev < d);
        assert.equal(Date.parse(`${d}T00:00:00Z`) - Date.parse(`${prev}T00:00:00Z`), 86_400_000);
      }),
    );
  });
});

describe('buildCategories', () => {
  const base: ReferenceData = {
    adminUnits: [],
    ethnicities: [],
    religions: [],
    nationalities: [],
    bloodGroups: [],
    maritalStatuses: [],
  };
  const unit = (validFrom: string | null, validTo: string | null): AdminUnit => ({
    unitSet: '2025',
    code: '01',
    level: 'province',
    name: 'X',
    fullName: 'Tỉnh X',
    parentCode: null,
    provinceCode: '01',
    validFrom,
    validTo,
  });

  it('refuses overlapping validity and duplicate codes', () => {
    assert.throws(() => buildCategories({ ...base, adminUnits: [unit(null, '2026-01-01'), unit('2026-01-01', null)] }), /overlapping/);
    assert.throws(() => buildCategories({ ...base, adminUnits: [unit(null, null), unit('2026-01-01', null)] }), /overlapping/);
    const e = { code: '01', nameVi: 'A', nameEn: 'A' };
    assert.throws(() => buildCategories({ ...base, religions: [e, e] }), /duplicate religion code 01/);
    assert.doesNotThrow(() => buildCategories({ ...base, adminUnits: [unit('2026-01-02', null), unit(null, '2026-01-01')] }));
  });

  it('marks a spelling two codes share as ambiguous instead of guessing', () => {
    const c = buildCategories({
      ...base,
      nationalities: [
        { code: 'CD', nameVi: 'Cộng hòa Dân chủ Congo', nameEn: 'DR Congo', aliases: ['Congo'] },
        { code: 'CG', nameVi: 'Cộng hòa Congo', nameEn: 'Republic of the Congo', aliases: ['Congo'] },
      ],
    });
    assert.equal(findCodeByName(c, 'nationality', 'Congo'), undefined);
    assert.equal(findCodeByName(c, 'nationality', 'dr congo'), 'CD');
  });
});

describe('category lists', () => {
  it('has unique codes of the right shape in every list', () => {
    const sizes = { ethnicity: 55, religion: 14, nationality: 250, bloodGroup: 5, maritalStatus: 5 };
    for (const kind of CATEGORY_KINDS) {
      const codes = categoryList(cats, kind).map((e) => e.code);
      assert.equal(codes.length, sizes[kind], kind);
      assert.equal(new Set(codes).size, codes.length, kind);
      for (const code of codes) assert.match(code, new RegExp(CATEGORY_CODE_PATTERNS[kind]));
    }
  });

  it('numbers ethnicities as List B and religions from 00 Không', () => {
    const eth = categoryList(cats, 'ethnicity');
    assert.deepEqual(eth.map((e) => e.code), Array.from({ length: 55 }, (_, i) => String(i + 1).padStart(2, '0')));
    assert.equal(findCategory(cats, 'ethnicity', '01')?.nameVi, 'Kinh');
    assert.equal(findCategory(cats, 'ethnicity', '05')?.nameVi, 'Khơ-me');
    assert.equal(findCategory(cats, 'ethnicity', '06')?.nameVi, 'Mường');
    assert.equal(findCategory(cats, 'ethnicity', '55')?.nameVi, 'Người nước ngoài');
    assert.equal(findCategory(cats, 'religion', '00')?.nameVi, 'Không');
    assert.equal(findCategory(cats, 'religion', '01')?.nameVi, 'Phật giáo');
    assert.equal(findCategory(cats, 'religion', '13')?.nameVi, 'Tịnh độ Cư sĩ Phật hội');
    assert.equal(findCategory(cats, 'bloodGroup', '04')?.nameEn, 'O');
    assert.equal(findCategory(cats, 'maritalStatus', '4')?.nameVi, 'Góa');
  });

  it('has Việt Nam and answers the has* checks', () => {
    assert.equal(findCategory(cats, 'nationality', 'VN')?.nameVi, 'Việt Nam');
    assert.ok(hasNationality(cats, 'VN') && !hasNationality(cats, 'ZZ'));
    assert.ok(hasEthnicity(cats, '08') && !hasEthnicity(cats, '56'));
    assert.ok(hasReligion(cats, '00') && !hasReligion(cats, '14'));
    assert.ok(hasBloodGroup(cats, '03') && !hasBloodGroup(cats, '3'));
    assert.ok(hasMaritalStatus(cats, '0') && !hasMaritalStatus(cats, '5'));
    assert.ok(hasCode(cats, 'religion', '05'));
  });

  it('matches the alias spellings of vn-domain §6.1', () => {
    const cases: [string, string][] = [
      ['Khơ-me', '05'], ['Khmer', '05'], ['Khơ Me', '05'], ['KHO ME', '05'],
      ['HMông', '08'], ["H'Mông", '08'], ['H’Mông', '08'], ['Mông', '08'],
      ['Ta-ôi', '31'], ['Tà Ôi', '31'], ['Cơ Lao', '47'], ['Cờ Lao', '47'], ['Kinh', '01'],
    ];
    for (const [name, code] of cases) {
      assert.equal(findCodeByName(cats, 'ethnicity', name), code, name);
      assert.equal(findCodeByName(cats, 'ethnicity', name.normalize('NFD')), code, `${name} (NFD)`);
    }
    assert.equal(findCodeByName(cats, 'religion', 'phat giao hoa hao'), '05');
    assert.equal(findCodeByName(cats, 'nationality', 'Mỹ'), 'US');
  });

  it('never has one spelling for two codes in the hand-written lists', () => {
    for (const kind of ['ethnicity', 'religion', 'bloodGroup', 'maritalStatus'] as const) {
      for (const [key, code] of cats.byName[kind]) assert.notEqual(code, null, `${kind}: ${key}`);
    }
  });

  it('finds every entry by any of its spellings, whatever case, form or hyphens (property)', () => {
    const entries = CATEGORY_KINDS.flatMap((kind) => categoryList(cats, kind).map((e) => ({ kind, e })));
    fc.assert(
      fc.property(
        fc.constantFrom(...entries),
        fc.nat(),
        fc.constantFrom('NFC', 'NFD') as fc.Arbitrary<'NFC' | 'NFD'>,
        fc.boolean(),
        fc.constantFrom(' ', '-', '  '),
        ({ kind, e }, pick, form, upper, sep) => {
          const spellings = [e.nameVi, e.nameEn, ...(e.aliases ?? [])];
          const s = spellings[pick % spellings.length]!;
          if (cats.byName[kind].get(categoryNameKey(s)) === null) return; // known-ambiguous alias
          const variant = (upper ? s.toUpperCase() : s.toLowerCase()).replace(/ /g, sep).normalize(form);
          assert.equal(findCodeByName(cats, kind, `  ${variant} `), e.code);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('formatAddress', () => {
  const trucBach = { unitSet: 'pre2025' as const, unitCode: '00004', detail: 'Số 5 Ngõ 1' };

  it('uses the names in force on the date', () => {
    assert.deepEqual(formatAddress(cats, trucBach, '2025-06-30'), {
      text: 'Số 5 Ngõ 1, Phường Trúc Bạch, Quận Ba Đình, Thành phố Hà Nội',
      historical: false,
      unknownUnit: false,
      unitNames: { commune: 'Phường Trúc Bạch', district: 'Quận Ba Đình', province: 'Thành phố Hà Nội' },
    });
    assert.equal(
      formatAddress(cats, { unitSet: '2025', unitCode: '00004' }, '2025-07-01').text,
      'Phường Ba Đình, Thành phố Hà Nội',
    );
    assert.equal(formatAddress(cats, { unitSet: '2025', unitCode: '26368', detail: 'Ấp 3' }, '2026-04-29').text, 'Ấp 3, Xã Long Thành, Tỉnh Đồng Nai');
    assert.equal(formatAddress(cats, { unitSet: '2025', unitCode: '26368', detail: 'Ấp 3' }, '2026-04-30').text, 'Ấp 3, Phường Long Thành, Thành phố Đồng Nai');
  });

  it('shows an old unit with its last names, marked historical', () => {
    const later = formatAddress(cats, trucBach, '2026-01-01');
    assert.equal(later.text, 'Số 5 Ngõ 1, Phường Trúc Bạch, Quận Ba Đình, Thành phố Hà Nội');
    assert.equal(later.historical, true);
    const dongNai = formatAddress(cats, { unitSet: 'pre2025', unitCode: '26041' }, '2026-05-01');
    assert.equal(dongNai.historical, true);
    assert.equal(dongNai.unitNames.province, 'Tỉnh Đồng Nai');
  });

  it('formats districts, provinces, foreign and partial addresses', () => {
    assert.equal(formatAddress(cats, { unitSet: 'pre2025', unitCode: '001' }, '2020-01-01').text, 'Quận Ba Đình, Thành phố Hà Nội');
    assert.equal(formatAddress(cats, { unitSet: '2025', unitCode: '79' }, '2025-08-01').text, 'Thành phố Hồ Chí Minh');
    assert.deepEqual(formatAddress(cats, { country: 'JP', detail: '1-1 Chiyoda, Tokyo' }, '2025-08-01'), {
      text: '1-1 Chiyoda, Tokyo, Nhật Bản',
      historical: false,
      unknownUnit: false,
      unitNames: { country: 'Nhật Bản' },
    });
    assert.equal(formatAddress(cats, { detail: 'Thôn 2' }, '2025-08-01').text, 'Thôn 2');
    assert.equal(formatAddress(cats, {}, '2025-08-01').text, '');
    const unknown = formatAddress(cats, { unitSet: '2025', unitCode: '99999', detail: 'Thôn 2' }, '2025-08-01');
    assert.equal(unknown.text, 'Thôn 2');
    assert.equal(unknown.unknownUnit, true);
  });

  it('takes the unit set in force on the date when the address does not name one', () => {
    assert.equal(formatAddress(cats, { unitCode: '00004' }, '2024-01-01').unitNames.commune, 'Phường Trúc Bạch');
    assert.equal(formatAddress(cats, { unitCode: '00004' }, '2025-08-01').unitNames.commune, 'Phường Ba Đình');
    assert.equal(formatAddress(cats, { unitCode: '001' }, '2025-08-01').unitNames.district, 'Quận Ba Đình');
  });

  it('is historical exactly when a pre-2025 commune is read after 2025-06-30 (property)', () => {
    const communes = rows.filter((u) => u.unitSet === 'pre2025' && u.level === 'commune');
    fc.assert(
      fc.property(fc.constantFrom(...communes), isoDay('1990-01-01', '2035-12-31'), (u, date) => {
        const f = formatAddress(cats, { unitSet: 'pre2025', unitCode: u.code }, date);
        assert.equal(f.historical, date > '2025-06-30');
        assert.equal(f.unitNames.commune, u.fullName);
        assert.ok(f.unitNames.district && f.unitNames.province);
        assert.equal(f.text, [u.fullName, f.unitNames.district, f.unitNames.province].join(', '));
      }),
      { numRuns: 500 },
    );
  });
});
