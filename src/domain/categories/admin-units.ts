/**
 * Administrative units as dated rows. Codes were reused by the 1 July 2025 reform (00004 was Trúc
 * Bạch, is now Ba Đình), so a unit is identified by (unit set, code) and its names by the date
 * range they were valid in (vn-domain §6.4; docs/decisions/0003-administrative-unit-validity.md).
 * Built from the upstream JSON as parsed; no I/O here.
 */
import { Type, type Static } from '@sinclair/typebox';
import { UnitSet } from '../citizen/citizen.js';
import { foldKey, normalizeText } from '../text/normalize.js';

export const AdminUnitLevel = Type.Union([Type.Literal('province'), Type.Literal('district'), Type.Literal('commune')]);
export type AdminUnitLevel = Static<typeof AdminUnitLevel>;

const IsoDay = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });

export const AdminUnit = Type.Object(
  {
    unitSet: UnitSet,
    code: Type.String({ pattern: '^\\d{2,5}$' }),
    level: AdminUnitLevel,
    name: Type.String({ description: 'Short name, e.g. "Ba Đình"' }),
    fullName: Type.String({ description: 'Name with the unit type, e.g. "Phường Ba Đình"' }),
    parentCode: Type.Union([Type.String(), Type.Null()], { description: 'null for provinces' }),
    provinceCode: Type.String({ pattern: '^\\d{2}$' }),
    validFrom: Type.Union([IsoDay, Type.Null()], { description: 'First day in force; null = since before the records' }),
    validTo: Type.Union([IsoDay, Type.Null()], { description: 'Last day in force; null = still in force' }),
  },
  { additionalProperties: false },
);
export type AdminUnit = Static<typeof AdminUnit>;

/** Last day of the 63-province, 3-tier system; the 34-province system starts the next day. */
export const PRE2025_LAST_DAY = '2025-06-30';
export const REFORM_2025_FIRST_DAY = '2025-07-01';
/**
 * 30/2026/QH16 (Đồng Nai becomes a centrally-run city) and 237/NQ-UBTVQH16 (10 Đồng Nai xã become
 * phường), both issued 14/04/2026 and in force 30/04/2026 (upstream release table, v3.1.0).
 */
export const DONG_NAI_2026_FIRST_DAY = '2026-04-30';
/** Provinces the 2026 snapshot may really change; any other change means the file is not the one we dated. */
export const PROVINCES_CHANGED_2026: ReadonlySet<string> = new Set(['75']);

// Upstream shapes (thanglequoc/vietnamese-provinces-database); only the fields we read are listed,
// extra fields are allowed.
const Named = { Code: Type.String(), Name: Type.String(), FullName: Type.String() };

export const Pre2025Ward = Type.Object({ ...Named, DistrictCode: Type.String() });
export const Pre2025District = Type.Object({
  ...Named,
  ProvinceCode: Type.String(),
  // Five island districts (e.g. Côn Đảo, Hoàng Sa) have no commune tier: upstream writes null.
  Ward: Type.Union([Type.Array(Pre2025Ward), Type.Null()]),
});
export const Pre2025Province = Type.Object({ ...Named, District: Type.Array(Pre2025District) });
export const Pre2025File = Type.Array(Pre2025Province);
export type Pre2025File = Static<typeof Pre2025File>;

export const Units2025Ward = Type.Object({ ...Named, ProvinceCode: Type.String(), AdministrativeUnitId: Type.Integer() });
export const Units2025Province = Type.Object({
  ...Named,
  AdministrativeUnitId: Type.Integer(),
  Wards: Type.Array(Units2025Ward),
});
export const Units2025File = Type.Array(Units2025Province);
export type Units2025File = Static<typeof Units2025File>;

type Upstream2025Unit = Static<typeof Units2025Ward> | Omit<Static<typeof Units2025Province>, 'Wards'>;

function row(
  unitSet: AdminUnit['unitSet'],
  level: AdminUnitLevel,
  u: { Code: string; Name: string; FullName: string },
  parentCode: string | null,
  provinceCode: string,
  validFrom: string | null,
  validTo: string | null,
): AdminUnit {
  return {
    unitSet,
    code: u.Code,
    level,
    name: normalizeText(u.Name),
    fullName: normalizeText(u.FullName),
    parentCode,
    provinceCode,
    validFrom,
    validTo,
  };
}

/** The day before an ISO day (UTC calendar arithmetic, no clock). */
export function dayBefore(isoDay: string): string {
  const t = Date.parse(`${isoDay}T00:00:00Z`);
  return new Date(t - 86_400_000).toISOString().slice(0, 10);
}

function pre2025Rows(file: Pre2025File): AdminUnit[] {
  const out: AdminUnit[] = [];
  const to = PRE2025_LAST_DAY;
  for (const p of file) {
    out.push(row('pre2025', 'province', p, null, p.Code, null, to));
    for (const d of p.District) {
      out.push(row('pre2025', 'district', d, p.Code, p.Code, null, to));
      for (const w of d.Ward ?? []) out.push(row('pre2025', 'commune', w, d.Code, p.Code, null, to));
    }
  }
  return out;
}

/** Units of a 34-province snapshot, keyed by code, with their level and province. */
function flatten2025(file: Units2025File): Map<string, { unit: Upstream2025Unit; level: AdminUnitLevel; province: string }> {
  const out = new Map<string, { unit: Upstream2025Unit; level: AdminUnitLevel; province: string }>();
  for (const p of file) {
    const { Wards, ...province } = p;
    out.set(p.Code, { unit: province, level: 'province', province: p.Code });
    for (const w of Wards) out.set(w.Code, { unit: w, level: 'commune', province: p.Code });
  }
  return out;
}

/**
 * A real change: another name once diacritics, case and spacing are ignored, another unit type
 * (xã → phường, tỉnh → thành phố) or another province. Tone-mark placement ("Hòa"/"Hoà") is not one.
 */
export function isRealChange(a: Upstream2025Unit, b: Upstream2025Unit, provinceA: string, provinceB: string): boolean {
  return (
    foldKey(a.FullName) !== foldKey(b.FullName) ||
    a.AdministrativeUnitId !== b.AdministrativeUnitId ||
    provinceA !== provinceB
  );
}

/**
 * Keeps the earlier spelling of the short name when only its diacritics moved, so a real change
 * (Xã Hòa X → Phường Hoà X) does not also switch the tone-mark convention (ADR 0003).
 */
function keepSpelling(before: Upstream2025Unit, after: Upstream2025Unit): { Code: string; Name: string; FullName: string } {
  if (foldKey(before.Name) !== foldKey(after.Name) || !after.FullName.endsWith(after.Name)) return after;
  return { Code: after.Code, Name: before.Name, FullName: after.FullName.slice(0, -after.Name.length) + before.Name };
}

/**
 * All unit rows: the 63-province set valid until 2025-06-30, the 34-province set from 2025-07-01,
 * and, where the 2026 snapshot really changes a unit, its 2025 row closed the day before
 * `changedFrom` and a new row from that day. Where the 2026 snapshot only respells a name
 * (tone-mark placement, case), the 2025 row stays and keeps the 2025 spelling.
 * Throws if the 2026 snapshot changes a unit outside the provinces the dated resolutions cover.
 */
export function buildAdminUnits(
  pre2025: Pre2025File,
  units2025: Units2025File,
  units2026: Units2025File,
  changedFrom: string = DONG_NAI_2026_FIRST_DAY,
): AdminUnit[] {
  const rows = pre2025Rows(pre2025);
  const before = flatten2025(units2025);
  const after = flatten2025(units2026);
  const closeOn = dayBefore(changedFrom);
  const unexpected: string[] = [];
  const changed: AdminUnit[] = [];

  for (const [code, a] of before) {
    const b = after.get(code);
    const parent = a.level === 'province' ? null : a.province;
    if (b && !isRealChange(a.unit, b.unit, a.province, b.province)) {
      rows.push(row('2025', a.level, a.unit, parent, a.province, REFORM_2025_FIRST_DAY, null));
      continue;
    }
    if (!PROVINCES_CHANGED_2026.has(a.province) || (b && !PROVINCES_CHANGED_2026.has(b.province))) unexpected.push(code);
    rows.push(row('2025', a.level, a.unit, parent, a.province, REFORM_2025_FIRST_DAY, closeOn));
    if (b) {
      const newParent = b.level === 'province' ? null : b.province;
      changed.push(row('2025', b.level, keepSpelling(a.unit, b.unit), newParent, b.province, changedFrom, null));
    }
  }
  for (const [code, b] of after) {
    if (before.has(code)) continue;
    if (!PROVINCES_CHANGED_2026.has(b.province)) unexpected.push(code);
    changed.push(row('2025', b.level, b.unit, b.level === 'province' ? null : b.province, b.province, changedFrom, null));
  }
  if (unexpected.length > 0) {
    throw new Error(
      `2026 unit snapshot changes units outside provinces ${[...PROVINCES_CHANGED_2026].join(', ')} ` +
        `(${unexpected.slice(0, 5).join(', ')}${unexpected.length > 5 ? ', …' : ''}); ` +
        'their effective date is unknown: date them before loading this file',
    );
  }
  return rows.concat(changed);
}
