/** Category tables (administrative units and the small code lists): read-only after migration. */
import type { AdminUnit } from '../../domain/categories/admin-units.js';
import type { CategoryEntry } from '../../domain/categories/category-lists.js';
import type { AdminUnitTable, CategoryTable, CategoryTableName, Db } from '../schema.js';

/** valid_from is part of the key, so "since before the records" is stored as the earliest date. */
const SINCE_ALWAYS = '0001-01-01';

export function unitToRow(u: AdminUnit): AdminUnitTable {
  return {
    unit_set: u.unitSet,
    code: u.code,
    valid_from: u.validFrom ?? SINCE_ALWAYS,
    valid_to: u.validTo,
    level: u.level,
    name: u.name,
    full_name: u.fullName,
    parent_code: u.parentCode,
    province_code: u.provinceCode,
  };
}

export function rowToUnit(r: AdminUnitTable): AdminUnit {
  return {
    unitSet: r.unit_set as AdminUnit['unitSet'],
    code: r.code,
    level: r.level as AdminUnit['level'],
    name: r.name,
    fullName: r.full_name,
    parentCode: r.parent_code,
    provinceCode: r.province_code,
    validFrom: r.valid_from === SINCE_ALWAYS ? null : r.valid_from,
    validTo: r.valid_to,
  };
}

function rowToEntry(r: CategoryTable): CategoryEntry {
  const e: CategoryEntry = { code: r.code, nameVi: r.name_vi, nameEn: r.name_en };
  if (r.aliases) e.aliases = JSON.parse(r.aliases) as string[];
  return e;
}

export async function listAdminUnits(db: Db): Promise<AdminUnit[]> {
  const rows = await db.selectFrom('admin_unit').selectAll().orderBy('unit_set').orderBy('code').orderBy('valid_from').execute();
  return rows.map(rowToUnit);
}

export async function listCategory(db: Db, table: CategoryTableName): Promise<CategoryEntry[]> {
  const rows = await db.selectFrom(table).selectAll().orderBy('code').execute();
  return rows.map(rowToEntry);
}
