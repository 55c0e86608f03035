import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Address } from '../../../src/domain/citizen/citizen.js';
import {
  buildCategories,
  findUnitAnyDate,
  formatAddress,
  unitHistory,
} from '../../../src/domain/categories/categories.js';
import {
  buildReformMapping,
  presentAddress,
  successorsOf,
  type Successor,
} from '../../../src/domain/categories/reform-2025.js';
import { loadReferenceData, loadReform2025Mapping } from '../../../src/store/reference-data.js';

const ref = loadReferenceData();
const cats = buildCategories(ref);
const { splits, merges } = loadReform2025Mapping();
const mapping = buildReformMapping(splits, merges, cats);

const pre2025 = (level: 'province' | 'district' | 'commune') =>
  ref.adminUnits.filter((u) => u.unitSet === 'pre2025' && u.level === level);
const oldCommunes = pre2025('commune');

/** The one old commune whose upstream entry fails our checks (see ADR 0011). */
const DOCUMENTED_UNKNOWN = ['30622'];
/** In dvhcvn's old list (10,047) but not in our pre-2025 snapshot (10,035): abolished before it. */
const NOT_IN_OUR_LIST = ['07693', '07732', '07744', '16387', '16411', '18448', '20176', '20674', '25102', '25174', '25177', '25186'];

const fullName2025 = (code: string) => findUnitAnyDate(cats, '2025', code)?.fullName;
const isoDay = fc.integer({ min: 0, max: 900 }).map((d) => new Date(Date.UTC(2025, 6, 1 + d)).toISOString().slice(0, 10));

describe('dvhcvn mapping files: what they hold', () => {
  it('splits.json: 63 old provinces, 10,047 old communes, 460 split over 2–5 new ones', () => {
    const communes = splits.data.flatMap((p) => p.level3s);
    assert.equal(splits.data.length, 63);
    assert.equal(communes.length, 10_047);
    const bySize = new Map<number, number>();
    for (const c of communes) bySize.set(c.splits.length, (bySize.get(c.splits.length) ?? 0) + 1);
    assert.deepEqual([...bySize].sort((a, b) => a[0] - b[0]), [[1, 9587], [2, 386], [3, 57], [4, 16], [5, 1]]);
    assert.deepEqual(splits.data.flatMap((p) => (p.level2s ?? []).map((d) => d.level2_id)), ['318', '471', '498', '536', '755']);
  });

  it('merges.json: 34 new provinces, 3,321 new communes, 10,604 links (9,592 full, 1,012 partial)', () => {
    const links = merges.data.flatMap((p) => p.level2s.flatMap((n) => n.merges));
    assert.equal(merges.data.length, 34);
    assert.equal(merges.data.flatMap((p) => p.level2s).length, 3321);
    assert.equal(links.length, 10_604);
    assert.equal(links.filter((l) => l.type === 'full').length, 9592);
  });

  it('our pre-2025 table has 10,035 communes: the 12 codes missing from it are exactly the known ones', () => {
    assert.equal(oldCommunes.length, 10_035);
    const ours = new Set(oldCommunes.map((u) => u.code));
    const theirs = splits.data.flatMap((p) => p.level3s.map((c) => c.level3_id));
    assert.deepEqual(theirs.filter((c) => !ours.has(c)).sort(), NOT_IN_OUR_LIST);
    assert.equal(10_047 - 10_035, NOT_IN_OUR_LIST.length); // ours is a subset: nothing of ours is missing upstream
    assert.deepEqual(mapping.report.oldCodesNotInUnits, NOT_IN_OUR_LIST);
    // Each went wholly into a new commune that also has predecessors in our table.
    for (const code of NOT_IN_OUR_LIST) {
      const into = merges.data.flatMap((p) => p.level2s).filter((n) => n.merges.some((m) => m.old_id === code));
      assert.equal(into.length, 1, code);
      assert.ok(into[0]!.merges.some((m) => ours.has(m.old_id) && m.type === 'full'), code);
    }
  });
});

describe('buildReformMapping: checked against our unit tables', () => {
  it('corrects the two known codes and finds nothing else wrong but 30622 and two spellings', () => {
    const r = mapping.report;
    assert.deepEqual(r.corrected, [
      { from: '06970', to: '06978', links: 5 },
      { from: '23737', to: '23938', links: 1 },
    ]);
    assert.deepEqual(r.newCodesNotInUnits, []);
    assert.deepEqual(r.newUnitsNotInMapping, []);
    assert.deepEqual(r.unitsNotInMapping, []);
    assert.deepEqual(r.inconsistent, []);
    // An Giang's Xã Tân Phú (huyện Châu Thành) sent to Đồng Tháp's Tân Phú Trung: 1654/NQ-UBTVQH15
    // item 31 puts it into An Giang's Xã Vĩnh An. Reported, answered `unknown`.
    assert.deepEqual(r.outsideProvince, [{ oldCode: '30622', newCode: '30259' }]);
    assert.deepEqual(r.nameMismatches.map((m) => [m.code, m.ours, m.upstream]), [
      ['04136', 'Xã Nà Bó', 'Xã Nà Pó'],
      ['07540', 'Xã Sa Lý', 'Xã Xa Lý'],
    ]);
  });

  it('every old commune of our table gets one or split, unknown only for the documented exception', () => {
    const kinds = { one: 0, split: 0, unknown: [] as string[] };
    for (const u of oldCommunes) {
      const s = successorsOf(mapping, u.code);
      if (s.kind === 'unknown') kinds.unknown.push(u.code);
      else kinds[s.kind]++;
    }
    assert.deepEqual(kinds, { one: 9574, split: 460, unknown: DOCUMENTED_UNKNOWN });
  });

  it('every target exists in the 2025 table, in the new province that took over the old province', () => {
    for (const u of [...pre2025('province'), ...pre2025('district'), ...oldCommunes]) {
      const s = successorsOf(mapping, u.code);
      const targets = s.kind === 'one' ? [s.newCode] : s.kind === 'split' ? s.candidates : [];
      const province = merges.data.find((p) => p.merges.some((m) => m.old_id === u.provinceCode))?.level1_id;
      assert.ok(province, u.code);
      for (const code of targets) {
        const unit = unitHistory(cats, '2025', code)[0];
        assert.ok(unit, `${u.code} → ${code}`);
        assert.equal(unit.provinceCode, province, `${u.code} → ${code}`);
        if (s.kind === 'one') assert.equal(unit.level, s.level);
      }
    }
  });

  it('known examples', () => {
    const one = (code: string, level: 'province' | 'commune'): Successor => ({ kind: 'one', newCode: code, level });
    assert.deepEqual(successorsOf(mapping, '00004'), one('00004', 'commune')); // Trúc Bạch → Ba Đình
    assert.equal(fullName2025('00004'), 'Phường Ba Đình');
    // Phường Ngọc Hà (Ba Đình) was split between the new Ba Đình and Ngọc Hà wards.
    assert.deepEqual(successorsOf(mapping, '00016'), { kind: 'split', candidates: ['00004', '00008'] });
    assert.deepEqual(successorsOf(mapping, '00634'), {
      kind: 'split',
      candidates: ['00622', '00634', '00637', '09556', '09886'],
    }); // Đại Mỗ, the only five-way split
    assert.deepEqual(successorsOf(mapping, '06970'), one('06978', 'commune')); // Thị trấn Ba Chẽ → Xã Ba Chẽ
    assert.deepEqual(successorsOf(mapping, '06886'), { kind: 'split', candidates: ['06799', '06886', '06978'] });
    assert.deepEqual(successorsOf(mapping, '23938'), one('23938', 'commune')); // Ia Mơ keeps its code
    assert.deepEqual(successorsOf(mapping, '755'), one('26732', 'commune')); // Huyện Côn Đảo → Đặc khu Côn Đảo
    assert.deepEqual(successorsOf(mapping, '15'), one('15', 'province')); // Yên Bái → Lào Cai (code 15)
    assert.deepEqual(successorsOf(mapping, '10'), one('15', 'province')); // Lào Cai → Lào Cai (code 15)
    assert.deepEqual(successorsOf(mapping, '001'), one('01', 'province')); // Quận Ba Đình → Hà Nội
    assert.deepEqual(successorsOf(mapping, '30622'), { kind: 'unknown' });
    assert.deepEqual(successorsOf(mapping, '07693'), { kind: 'unknown' }); // not in our table
    assert.deepEqual(successorsOf(mapping, '99999'), { kind: 'unknown' });
  });

  it('reports bad input instead of throwing, and makes the entry unknown', () => {
    const s = structuredClone(splits);
    const m = structuredClone(merges);
    s.data[0]!.level3s[0]!.splits[0]!.new_id = '99999'; // 00001 Phúc Xá
    m.data[0]!.level2s[0]!.merges.pop(); // 00112 Thụy Khuê no longer feeds Ba Đình in merges.json
    const bad = buildReformMapping(s, m, cats);
    assert.deepEqual(bad.report.newCodesNotInUnits, ['99999']);
    assert.ok(bad.report.inconsistent.includes('00001') && bad.report.inconsistent.includes('00112'));
    assert.deepEqual(successorsOf(bad, '00001'), { kind: 'unknown' });
    assert.deepEqual(successorsOf(bad, '00112'), { kind: 'unknown' });
  });
});

describe('presentAddress', () => {
  const trucBach: Address = { unitSet: 'pre2025', unitCode: '00004', detail: 'Số 5 phố Trúc Bạch' };

  it('one successor: new names, same detail; before the reform: the old names', () => {
    const now = presentAddress(mapping, cats, trucBach, '2026-01-15');
    assert.equal(now.mapped, 'one');
    assert.equal(now.text, 'Số 5 phố Trúc Bạch, Phường Ba Đình, Thành phố Hà Nội');
    assert.ok(now.mapped === 'one' && now.newUnitCode === '00004');
    assert.equal(now.original, trucBach);
    const then = presentAddress(mapping, cats, trucBach, '2025-06-30');
    assert.equal(then.mapped, 'none');
    assert.equal(then.text, 'Số 5 phố Trúc Bạch, Phường Trúc Bạch, Quận Ba Đình, Thành phố Hà Nội');
  });

  it('split: old names and the candidates, no guess', () => {
    const p = presentAddress(mapping, cats, { unitSet: 'pre2025', unitCode: '00016', detail: 'Ngõ 1' }, '2025-07-01');
    assert.equal(p.text, 'Ngõ 1, Phường Ngọc Hà, Quận Ba Đình, Thành phố Hà Nội');
    assert.equal(p.formatted.historical, true);
    assert.deepEqual(p.mapped === 'split' && p.candidates, [
      { code: '00004', fullName: 'Phường Ba Đình' },
      { code: '00008', fullName: 'Phường Ngọc Hà' },
    ]);
  });

  it('unknown, district and 2025 addresses', () => {
    const tanPhu = presentAddress(mapping, cats, { unitSet: 'pre2025', unitCode: '30622' }, '2025-09-01');
    assert.equal(tanPhu.mapped, 'unknown');
    assert.equal(tanPhu.text, 'Xã Tân Phú, Huyện Châu Thành, Tỉnh An Giang');
    const district = presentAddress(mapping, cats, { unitSet: 'pre2025', unitCode: '132', detail: 'Thôn A' }, '2025-09-01');
    assert.equal(district.text, 'Thôn A, Tỉnh Lào Cai'); // Thành phố Yên Bái → new Lào Cai
    assert.ok(district.mapped === 'one' && district.newUnitLevel === 'province');
    const modern: Address = { unitSet: '2025', unitCode: '00004', detail: 'x' };
    const p = presentAddress(mapping, cats, modern, '2026-01-01');
    assert.equal(p.mapped, 'none');
    assert.deepEqual(p.formatted, formatAddress(cats, modern, '2026-01-01'));
  });

  it('follows later renamings of the new unit (Đồng Nai xã → phường on 2026-04-30)', () => {
    const old = oldCommunes.find((u) => {
      const s = successorsOf(mapping, u.code);
      return s.kind === 'one' && unitHistory(cats, '2025', s.newCode).length === 2;
    });
    assert.ok(old);
    const address: Address = { unitSet: 'pre2025', unitCode: old.code };
    assert.match(presentAddress(mapping, cats, address, '2026-04-29').text, /^Xã /u);
    assert.match(presentAddress(mapping, cats, address, '2026-04-30').text, /^Phường /u);
  });

  it('property: keeps the detail, never changes its input, agrees with successorsOf', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...oldCommunes, ...pre2025('district'), ...pre2025('province')),
        fc.option(fc.string({ maxLength: 30 }), { nil: undefined }),
        isoDay,
        (unit, detail, date) => {
          const address: Address = { unitSet: 'pre2025', unitCode: unit.code, ...(detail === undefined ? {} : { detail }) };
          const copy = structuredClone(address);
          const p = presentAddress(mapping, cats, Object.freeze(address), date);
          assert.deepEqual(address, copy);
          assert.equal(p.original, address);
          if (detail !== undefined && detail.trim() !== '') assert.ok(p.text.startsWith(detail));
          const s = successorsOf(mapping, unit.code);
          assert.equal(p.mapped, s.kind);
          if (p.mapped === 'one') {
            assert.deepEqual(p.presented, { ...address, unitSet: '2025', unitCode: p.newUnitCode });
            assert.equal(p.formatted.historical, false);
          } else {
            assert.equal(p.text, formatAddress(cats, address, date).text);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
