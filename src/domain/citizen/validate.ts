/**
 * Validation of citizen data against the calendar, the category tables and the personal-ID rules.
 * Pure: the categories arrive as a lookup, "today" as a parameter. Returns every problem found,
 * so one rejection tells the officer everything that is wrong.
 */
import type { ProblemField } from '../errors/registry-error.js';
import { isValidPartialDate, earliestDay } from '../dates/partial-date.js';
import type { CategoryKind } from '../categories/category-lists.js';
import type { Address, CitizenData } from './citizen.js';
import { codePointLabel, nameScriptProblem } from '../text/hygiene.js';

export interface CategoryLookup {
  hasCode(kind: CategoryKind, code: string): boolean;
  /** 2-digit province code of a unit in a unit list, or undefined when the code is unknown there. */
  unitProvince(unitSet: 'pre2025' | '2025', code: string): string | undefined;
}

const ADDRESS_FIELDS = [
  'placeOfBirth',
  'birthRegistrationPlace',
  'hometown',
  'permanentResidence',
  'temporaryResidence',
  'currentResidence',
] as const;

export function validateAddress(a: Address, field: string, cats: CategoryLookup): ProblemField[] {
  const country = a.country ?? 'VN';
  if (!cats.hasCode('nationality', country)) {
    return [{ field: `${field}.country`, code: 'UNKNOWN_CATEGORY_CODE', message: `Unknown country code ${country}` }];
  }
  if (country !== 'VN') {
    if (a.unitCode !== undefined || a.unitSet !== undefined) {
      return [{ field, code: 'INVALID_ADDRESS', message: 'An address abroad has no Vietnamese unit code' }];
    }
    return [];
  }
  if (a.unitCode === undefined || a.unitSet === undefined) {
    return [{ field, code: 'INVALID_ADDRESS', message: 'An address in Viet Nam needs unitSet and unitCode' }];
  }
  if (cats.unitProvince(a.unitSet, a.unitCode) === undefined) {
    return [{ field: `${field}.unitCode`, code: 'UNKNOWN_ADMIN_UNIT', message: `Unit ${a.unitCode} is not in the ${a.unitSet} list` }];
  }
  return [];
}

function checkDate(field: string, value: string | undefined, today: string, out: ProblemField[]) {
  if (value === undefined) return;
  if (!isValidPartialDate(value)) out.push({ field, code: 'INVALID_DATE', message: `${value} is not a calendar date` });
  else if (earliestDay(value) > today) out.push({ field, code: 'DATE_IN_FUTURE', message: `${value} is after ${today}` });
}

/** Every problem with a full citizen record. */
export function validateCitizenData(d: CitizenData, cats: CategoryLookup, today: string): ProblemField[] {
  const out: ProblemField[] = [];
  checkDate('dateOfBirth', d.dateOfBirth, today, out);
  checkDate('dateOfDeath', d.dateOfDeath, today, out);
  checkDate('dateDeclaredMissing', d.dateDeclaredMissing, today, out);
  if (d.dateOfDeath && isValidPartialDate(d.dateOfDeath) && isValidPartialDate(d.dateOfBirth)) {
    // Compare at the coarser of the two precisions: a death in "1990" is not before a birth on 1990-05-01.
    const n = Math.min(d.dateOfDeath.length, d.dateOfBirth.length);
    if (d.dateOfDeath.slice(0, n) < d.dateOfBirth.slice(0, n)) {
      out.push({ field: 'dateOfDeath', code: 'DEATH_BEFORE_BIRTH', message: 'Death before birth' });
    }
  }
  const codes: [CategoryKind, string][] = [
    ['ethnicity', d.ethnicity],
    ['religion', d.religion],
    ['nationality', d.nationality],
    ['bloodGroup', d.bloodGroup],
    ['maritalStatus', d.maritalStatus],
  ];
  for (const [kind, code] of codes) {
    if (!cats.hasCode(kind, code)) out.push({ field: kind, code: 'UNKNOWN_CATEGORY_CODE', message: `Unknown ${kind} code ${code}` });
  }
  for (const f of ADDRESS_FIELDS) {
    const a = d[f];
    if (a) out.push(...validateAddress(a, f, cats));
  }
  // A citizen's names are Vietnamese names; a relative's is one when the relative is Vietnamese.
  checkNameScript('fullName', d.fullName, true, out);
  d.otherNames.forEach((n, i) => checkNameScript(`otherNames.${i}`, n, true, out));
  d.relatives.forEach((r, i) => checkNameScript(`relatives.${i}.fullName`, r.fullName, r.nationality === 'VN', out));
  d.relatives.forEach((r, i) => {
    if (!cats.hasCode('nationality', r.nationality)) {
      out.push({ field: `relatives.${i}.nationality`, code: 'UNKNOWN_CATEGORY_CODE', message: `Unknown nationality ${r.nationality}` });
    }
  });
  return out;
}

function checkNameScript(field: string, name: string, vietnamese: boolean, out: ProblemField[]): void {
  const p = nameScriptProblem(name, vietnamese);
  if (p) out.push({ field, code: 'NAME_SCRIPT_INVALID', message: `${p.script} letter ${codePointLabel(p.codePoint)} in a name` });
}

/** The 2-digit province code of birth registration, which the personal ID encodes. */
export function birthRegistrationProvince(d: Pick<CitizenData, 'birthRegistrationPlace'>, cats: CategoryLookup): string | undefined {
  const a = d.birthRegistrationPlace;
  if ((a.country ?? 'VN') !== 'VN' || !a.unitSet || !a.unitCode) return undefined;
  return cats.unitProvince(a.unitSet, a.unitCode);
}
