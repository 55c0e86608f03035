/**
 * In-memory lookup over the reference data: administrative units by (unit set, code, date) and
 * the small category lists by code or by any accepted spelling. Built once from plain rows; all
 * functions are pure. Dates are ISO days (YYYY-MM-DD); for a partial date pass its earliest day.
 */
import type { Address, UnitSet } from '../citizen/citizen.js';
import { idProvinceCode } from '../identity/personal-id.js';
import { foldKey } from '../text/normalize.js';
import { REFORM_2025_FIRST_DAY, type AdminUnit } from './admin-units.js';
import { CATEGORY_KINDS, type CategoryEntry, type CategoryKind } from './category-lists.js';

/** Everything buildCategories needs; also what a migration inserts. */
export interface ReferenceData {
  adminUnits: readonly AdminUnit[];
  ethnicities: readonly CategoryEntry[];
  religions: readonly CategoryEntry[];
  nationalities: readonly CategoryEntry[];
  bloodGroups: readonly CategoryEntry[];
  maritalStatuses: readonly CategoryEntry[];
}

export interface Categories {
  /** Rows per `unitSet:code`, oldest first; validity ranges never overlap. */
  readonly unitRows: ReadonlyMap<string, readonly AdminUnit[]>;
  /** Codes of the units below a parent, per `unitSet:parentCode` (`unitSet:` for provinces). */
  readonly children: ReadonlyMap<string, readonly string[]>;
  readonly lists: { readonly [K in CategoryKind]: readonly CategoryEntry[] };
  readonly byCode: { readonly [K in CategoryKind]: ReadonlyMap<string, CategoryEntry> };
  /** Folded spelling → code; null where two codes share a spelling (ambiguous, never guessed). */
  readonly byName: { readonly [K in CategoryKind]: ReadonlyMap<string, string | null> };
  readonly idProvinceCodes: ReadonlySet<string>;
}

const LIST_FIELD: Readonly<Record<CategoryKind, Exclude<keyof ReferenceData, 'adminUnits'>>> = {
  ethnicity: 'ethnicities',
  religion: 'religions',
  nationality: 'nationalities',
  bloodGroup: 'bloodGroups',
  maritalStatus: 'maritalStatuses',
};

const unitKey = (unitSet: UnitSet, code: string): string => `${unitSet}:${code}`;

/**
 * Matching key for category names: folded (no diacritics, lower case) and without spaces, hyphens
 * or apostrophes, so "Khơ-me", "Khơ Me" and "KHƠ ME" meet, as do "HMông" and "H'Mông".
 */
export function categoryNameKey(name: string): string {
  return foldKey(name).replace(/[^\p{L}\p{N}]+/gu, '');
}

export function isUnitValidAt(unit: AdminUnit, date: string): boolean {
  return (unit.validFrom === null || unit.validFrom <= date) && (unit.validTo === null || date <= unit.validTo);
}

/** Builds the lookup; throws on duplicate codes or overlapping validity, which would make answers depend on order. */
export function buildCategories(input: ReferenceData): Categories {
  const unitRows = new Map<string, AdminUnit[]>();
  for (const u of input.adminUnits) {
    const k = unitKey(u.unitSet, u.code);
    const list = unitRows.get(k);
    if (list) list.push(u);
    else unitRows.set(k, [u]);
  }
  const children = new Map<string, string[]>();
  for (const [k, rows] of unitRows) {
    rows.sort((a, b) => (a.validFrom ?? '').localeCompare(b.validFrom ?? ''));
    for (let i = 1; i < rows.length; i++) {
      const prevTo = rows[i - 1]!.validTo;
      const from = rows[i]!.validFrom;
      if (prevTo === null || from === null || from <= prevTo) throw new Error(`overlapping validity for unit ${k}`);
    }
    const first = rows[0]!;
    const parentKey = unitKey(first.unitSet, first.parentCode ?? '');
    const siblings = children.get(parentKey);
    if (siblings) siblings.push(first.code);
    else children.set(parentKey, [first.code]);
  }
  for (const codes of children.values()) codes.sort();

  const lists = {} as Record<CategoryKind, readonly CategoryEntry[]>;
  const byCode = {} as Record<CategoryKind, Map<string, CategoryEntry>>;
  const byName = {} as Record<CategoryKind, Map<string, string | null>>;
  for (const kind of CATEGORY_KINDS) {
    const entries = input[LIST_FIELD[kind]];
    const codes = new Map<string, CategoryEntry>();
    const names = new Map<string, string | null>();
    for (const e of entries) {
      if (codes.has(e.code)) throw new Error(`duplicate ${kind} code ${e.code}`);
      codes.set(e.code, e);
      for (const spelling of [e.nameVi, e.nameEn, ...(e.aliases ?? [])]) {
        const key = categoryNameKey(spelling);
        const seen = names.get(key);
        if (seen === undefined) names.set(key, e.code);
        else if (seen !== e.code) names.set(key, null);
      }
    }
    lists[kind] = entries;
    byCode[kind] = codes;
    byName[kind] = names;
  }

  const idCodes = new Set<string>();
  for (const u of input.adminUnits) if (u.unitSet === 'pre2025' && u.level === 'province') idCodes.add(idProvinceCode(u.code));
  return { unitRows, children, lists, byCode, byName, idProvinceCodes: idCodes };
}

/** All rows a unit has had, oldest first (empty if the code is unknown in that set). */
export function unitHistory(cats: Categories, unitSet: UnitSet, code: string): readonly AdminUnit[] {
  return cats.unitRows.get(unitKey(unitSet, code)) ?? [];
}

/** The row in force on `date`, or undefined if the unit did not exist then. */
export function findUnit(cats: Categories, unitSet: UnitSet, code: string, date: string): AdminUnit | undefined {
  return unitHistory(cats, unitSet, code).find((u) => isUnitValidAt(u, date));
}

/** The latest row of a unit, whatever the date. */
export function findUnitAnyDate(cats: Categories, unitSet: UnitSet, code: string): AdminUnit | undefined {
  return unitHistory(cats, unitSet, code).at(-1);
}

/** Units directly below `parentCode` (null: the provinces) in force on `date`, by code. */
export function childUnits(cats: Categories, unitSet: UnitSet, parentCode: string | null, date: string): AdminUnit[] {
  const out: AdminUnit[] = [];
  for (const code of cats.children.get(unitKey(unitSet, parentCode ?? '')) ?? []) {
    const u = findUnit(cats, unitSet, code, date);
    if (u && u.parentCode === parentCode) out.push(u);
  }
  return out;
}

/** The 63 three-digit province codes of personal ID numbers: "0" + each pre-2025 province code (vn-domain §2.4). */
export function idProvinceCodes(cats: Categories): ReadonlySet<string> {
  return cats.idProvinceCodes;
}

/** The province row a unit belongs to, in force on `date` (or its latest row when no date is given). */
export function provinceOfUnit(cats: Categories, unitSet: UnitSet, code: string, date?: string): AdminUnit | undefined {
  const unit = date === undefined ? findUnitAnyDate(cats, unitSet, code) : findUnit(cats, unitSet, code, date);
  if (!unit) return undefined;
  return date === undefined
    ? findUnitAnyDate(cats, unitSet, unit.provinceCode)
    : findUnit(cats, unitSet, unit.provinceCode, date);
}

export function findCategory(cats: Categories, kind: CategoryKind, code: string): CategoryEntry | undefined {
  return cats.byCode[kind].get(code);
}

export function hasCode(cats: Categories, kind: CategoryKind, code: string): boolean {
  return cats.byCode[kind].has(code);
}

export const hasEthnicity = (cats: Categories, code: string): boolean => hasCode(cats, 'ethnicity', code);
export const hasReligion = (cats: Categories, code: string): boolean => hasCode(cats, 'religion', code);
export const hasNationality = (cats: Categories, code: string): boolean => hasCode(cats, 'nationality', code);
export const hasBloodGroup = (cats: Categories, code: string): boolean => hasCode(cats, 'bloodGroup', code);
export const hasMaritalStatus = (cats: Categories, code: string): boolean => hasCode(cats, 'maritalStatus', code);

/** The code whose name or alias matches `name` (see categoryNameKey); undefined if none or ambiguous. */
export function findCodeByName(cats: Categories, kind: CategoryKind, name: string): string | undefined {
  return cats.byName[kind].get(categoryNameKey(name)) ?? undefined;
}

export function categoryList(cats: Categories, kind: CategoryKind): readonly CategoryEntry[] {
  return cats.lists[kind];
}

export interface FormattedAddress {
  /** Detail, commune, district, province (or detail, country abroad) joined by ", ". */
  text: string;
  /** True when the names shown are not the ones in force on the date asked (e.g. a pre-2025 code read in 2026). */
  historical: boolean;
  /** True when a unit code was given but is unknown in its unit set; the text then holds the detail only. */
  unknownUnit: boolean;
  /** Full names (with unit type) of the parts used. */
  unitNames: { commune?: string; district?: string; province?: string; country?: string };
}

/** The unit set in force on a date, used when an address carries a code without saying which set. */
export function unitSetAt(date: string): UnitSet {
  return date < REFORM_2025_FIRST_DAY ? 'pre2025' : '2025';
}

function joinParts(parts: (string | undefined)[]): string {
  return parts.filter((p): p is string => p !== undefined && p.trim() !== '').join(', ');
}

/**
 * An address as text with the unit names in force on `date`. If the unit did not exist on that
 * date (a pre-2025 code after the reform), the names it last had are used and `historical` is set;
 * names of its parents are taken at that same moment. Abroad: detail and the country's Vietnamese name.
 * Without a unit set, the set in force on `date` is tried first, then the other one.
 */
export function formatAddress(cats: Categories, address: Address, date: string): FormattedAddress {
  const detail = address.detail;
  const country = address.country ?? 'VN';
  if (country !== 'VN') {
    const name = findCategory(cats, 'nationality', country)?.nameVi ?? country;
    return { text: joinParts([detail, name]), historical: false, unknownUnit: false, unitNames: { country: name } };
  }
  const empty = { text: joinParts([detail]), historical: false, unknownUnit: false, unitNames: {} };
  if (address.unitCode === undefined) return empty;

  const preferred = address.unitSet ?? unitSetAt(date);
  const sets: UnitSet[] = address.unitSet ? [preferred] : [preferred, preferred === '2025' ? 'pre2025' : '2025'];
  for (const unitSet of sets) {
    const history = unitHistory(cats, unitSet, address.unitCode);
    if (history.length === 0) continue;
    let unit = history.find((u) => isUnitValidAt(u, date));
    let at = date;
    if (!unit) {
      // Not in force on `date`: the names as they last were before it (or, for a date before the
      // unit existed, as they first were), with the parents read on that row's edge day.
      const ended = history.filter((u) => u.validTo !== null && u.validTo < date).at(-1);
      unit = ended ?? history[0]!;
      at = (ended ? ended.validTo : unit.validFrom) ?? date;
    }
    const names: FormattedAddress['unitNames'] = {};
    for (let u: AdminUnit | undefined = unit; u; ) {
      names[u.level] = u.fullName;
      u = u.parentCode === null ? undefined : (findUnit(cats, unitSet, u.parentCode, at) ?? findUnitAnyDate(cats, unitSet, u.parentCode));
    }
    return {
      text: joinParts([detail, names.commune, names.district, names.province]),
      historical: !isUnitValidAt(unit, date),
      unknownUnit: false,
      unitNames: names,
    };
  }
  return { ...empty, unknownUnit: true };
}
