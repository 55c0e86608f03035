/**
 * The category catalogue as the services use it: read once from the store's category tables at
 * start-up (they change only by migration), then answered from memory.
 */
import {
  buildCategories,
  categoryList,
  childUnits,
  findUnit,
  findUnitAnyDate,
  formatAddress,
  hasCode,
  unitHistory,
  type Categories,
  type FormattedAddress,
} from '../domain/categories/categories.js';
import type { AdminUnit } from '../domain/categories/admin-units.js';
import type { CategoryEntry, CategoryKind } from '../domain/categories/category-lists.js';
import type { Address, UnitSet } from '../domain/citizen/citizen.js';
import type { CategoryLookup } from '../domain/citizen/validate.js';
import type { Store } from '../store/connect.js';
import { listAdminUnits, listCategory } from '../store/repositories/categories.js';
import { buildReformMapping, presentAddress, type PresentedAddress, type ReformMapping } from '../domain/categories/reform-2025.js';
import { loadReform2025Mapping } from '../store/reference-data.js';

export interface CategoryCatalogue {
  readonly categories: Categories;
  readonly lookup: CategoryLookup;
  formatAddress(address: Address, date: string): Pick<FormattedAddress, 'text' | 'historical'>;
  list(kind: CategoryKind): readonly CategoryEntry[];
  /** Units of a set valid at a date, below a parent (null = provinces). */
  children(unitSet: UnitSet, parentCode: string | null, date: string): AdminUnit[];
  unit(unitSet: UnitSet, code: string, date?: string): AdminUnit | undefined;
  unitHistory(unitSet: UnitSet, code: string): readonly AdminUnit[];
  /**
   * An address as it reads on `date`, across the 2025 reform: an old commune with one successor is
   * shown with the new names; a split one says so with its candidates (never stored).
   */
  present(address: Address, date: string): PresentedAddress;
}

const UNIT_TEXT_CACHE = 50_000;

export function catalogueOf(categories: Categories): CategoryCatalogue {
  const unitText = new Map<string, { text: string; historical: boolean }>();
  const lookup: CategoryLookup = {
    hasCode: (kind, code) => hasCode(categories, kind, code),
    unitProvince: (unitSet, code) => findUnitAnyDate(categories, unitSet, code)?.provinceCode,
  };
  let reform: ReformMapping | undefined;
  return {
    categories,
    lookup,
    present: (address, date) => {
      // Built on first use: the mapping files are ~4 MB of JSON that most commands never need.
      if (!reform) {
        const { splits, merges } = loadReform2025Mapping();
        reform = buildReformMapping(splits, merges, categories);
      }
      return presentAddress(reform, categories, address, date);
    },
    formatAddress: (address, date) => {
      // Unit names depend only on (country, unit set, code, date); memoised because every citizen
      // view formats several addresses and the same units recur.
      const key = `${address.country ?? ''}|${address.unitSet ?? ''}|${address.unitCode ?? ''}|${date}`;
      let units = unitText.get(key);
      if (!units) {
        const { detail: _detail, ...unitOnly } = address;
        const f = formatAddress(categories, unitOnly, date);
        units = { text: f.text, historical: f.historical };
        if (unitText.size >= UNIT_TEXT_CACHE) unitText.clear();
        unitText.set(key, units);
      }
      const text = address.detail ? (units.text ? `${address.detail}, ${units.text}` : address.detail) : units.text;
      return { text, historical: units.historical };
    },
    list: (kind) => categoryList(categories, kind),
    children: (unitSet, parentCode, date) => childUnits(categories, unitSet, parentCode, date),
    unit: (unitSet, code, date) => (date ? findUnit(categories, unitSet, code, date) : findUnitAnyDate(categories, unitSet, code)),
    unitHistory: (unitSet, code) => unitHistory(categories, unitSet, code),
  };
}

export async function loadCatalogue(store: Store): Promise<CategoryCatalogue> {
  const db = store.db;
  const [adminUnits, ethnicities, religions, nationalities, bloodGroups, maritalStatuses] = await Promise.all([
    listAdminUnits(db),
    listCategory(db, 'ethnicity'),
    listCategory(db, 'religion'),
    listCategory(db, 'nationality'),
    listCategory(db, 'blood_group'),
    listCategory(db, 'marital_status'),
  ]);
  return catalogueOf(buildCategories({ adminUnits, ethnicities, religions, nationalities, bloodGroups, maritalStatuses }));
}
