/**
 * The 12-digit personal identification number (số định danh cá nhân), TT 07/2016 Art. 7:
 *   PPP G YY RRRRRR — province (or country) code of birth registration, century-and-sex digit,
 *   last two digits of the birth year, six random digits. There is no check digit.
 * Pure rules only; which numbers were already issued is the store's business.
 */
import { yearOf } from '../dates/partial-date.js';

export type Sex = 'male' | 'female';

export interface PersonalIdParts {
  provinceCode: string; // "001".."096"
  centurySexDigit: number;
  birthYear2: string; // "00".."99"
  random: string; // six digits
}

export const PERSONAL_ID_PATTERN = /^(\d{3})(\d)(\d{2})(\d{6})$/;

export function parsePersonalId(id: string): PersonalIdParts | undefined {
  const m = PERSONAL_ID_PATTERN.exec(id);
  if (!m) return undefined;
  return { provinceCode: m[1]!, centurySexDigit: Number(m[2]), birthYear2: m[3]!, random: m[4]! };
}

/** G digit: 0/1 for 1900s male/female, 2/3 for 2000s, … up to 8/9 for 2300s. */
export function centurySexDigit(birthYear: number, sex: Sex): number | undefined {
  const century = Math.floor(birthYear / 100);
  if (century < 19 || century > 23) return undefined;
  return (century - 19) * 2 + (sex === 'female' ? 1 : 0);
}

/** Birth century and sex encoded by a G digit. */
export function decodeCenturySexDigit(g: number): { centuryStart: number; sex: Sex } {
  return { centuryStart: 1900 + Math.floor(g / 2) * 100, sex: g % 2 === 0 ? 'male' : 'female' };
}

/** The six leading digits for a person: province code of birth registration + G + YY. */
export function personalIdPrefix(provinceCode: string, birthYear: number, sex: Sex): string | undefined {
  const g = centurySexDigit(birthYear, sex);
  if (g === undefined || !/^\d{3}$/.test(provinceCode)) return undefined;
  return `${provinceCode}${g}${String(birthYear % 100).padStart(2, '0')}`;
}

export function composePersonalId(prefix: string, randomPart: number): string {
  return prefix + String(randomPart).padStart(6, '0');
}

export type PersonalIdProblem =
  | 'PERSONAL_ID_FORMAT'
  | 'PERSONAL_ID_PROVINCE_UNKNOWN'
  | 'PERSONAL_ID_SEX_MISMATCH'
  | 'PERSONAL_ID_CENTURY_MISMATCH'
  | 'PERSONAL_ID_YEAR_MISMATCH';

export interface PersonalIdCheck {
  valid: boolean;
  problems: PersonalIdProblem[];
}

/**
 * Checks a number's structure, that its province code is known, and — when the person's sex and
 * date of birth are given — that the century/sex digit and the year agree with them.
 */
export function validatePersonalId(
  id: string,
  knownProvinceCodes: ReadonlySet<string>,
  person?: { sex: Sex; dateOfBirth: string },
): PersonalIdCheck {
  const parts = parsePersonalId(id);
  if (!parts) return { valid: false, problems: ['PERSONAL_ID_FORMAT'] };
  const problems: PersonalIdProblem[] = [];
  if (!knownProvinceCodes.has(parts.provinceCode)) problems.push('PERSONAL_ID_PROVINCE_UNKNOWN');
  if (person) {
    const year = yearOf(person.dateOfBirth);
    const decoded = decodeCenturySexDigit(parts.centurySexDigit);
    if (decoded.sex !== person.sex) problems.push('PERSONAL_ID_SEX_MISMATCH');
    if (Math.floor(year / 100) * 100 !== decoded.centuryStart) problems.push('PERSONAL_ID_CENTURY_MISMATCH');
    if (String(year % 100).padStart(2, '0') !== parts.birthYear2) problems.push('PERSONAL_ID_YEAR_MISMATCH');
  }
  return { valid: problems.length === 0, problems };
}

/** The province code (3 digits) used in IDs for a 2-digit administrative province code. */
export function idProvinceCode(adminProvinceCode: string): string {
  return `0${adminProvinceCode}`;
}

/**
 * Legal triggers for cancelling a number and issuing a new one (NĐ 70/2024 Art. 11(7)). Each gives
 * the same person a new number: `replaced_by` means "the same person", and sessions, tokens, e-ID
 * accounts, subscriber links and representation follow it (decision 0032, "Re-issued numbers"). A
 * cause that cancels a number for anything else (one number issued to two people, fraud) must not
 * be added here nor recorded as `replaced_by`.
 */
export const PERSONAL_ID_CANCELLATION_REASONS = [
  'SEX_REDETERMINED',
  'BIRTH_YEAR_CORRECTED',
  'COLLECTION_ERROR',
] as const;
export type PersonalIdCancellationReason = (typeof PERSONAL_ID_CANCELLATION_REASONS)[number];

/** Whether the corrected data actually changes what the reason says it changes. */
export function cancellationMatchesCorrection(
  reason: PersonalIdCancellationReason,
  before: { sex: Sex; dateOfBirth: string; provinceCode: string },
  after: { sex: Sex; dateOfBirth: string; provinceCode: string },
): boolean {
  const sexChanged = before.sex !== after.sex;
  const yearChanged = yearOf(before.dateOfBirth) !== yearOf(after.dateOfBirth);
  const provinceChanged = before.provinceCode !== after.provinceCode;
  switch (reason) {
    case 'SEX_REDETERMINED':
      return sexChanged;
    case 'BIRTH_YEAR_CORRECTED':
      return yearChanged;
    case 'COLLECTION_ERROR':
      return sexChanged || yearChanged || provinceChanged;
  }
}

/** The 9-digit legacy CMND number: only its shape is known (vn-domain §2.6). */
export const LEGACY_ID_PATTERN = /^\d{9}$/;
export function isLegacyIdNumber(value: string): boolean {
  return LEGACY_ID_PATTERN.test(value);
}
