/**
 * Checks on a parsed QR payload, kept apart from parsing (qr-payload.ts) because they answer other
 * questions: is the card internally consistent (checkQrConsistency), and does it say what the
 * registry says (compareQrWithRecord, the counter check an officer runs on a presented card).
 */
import type { Sex } from '../citizen/citizen.js';
import { validatePersonalId, type PersonalIdProblem } from '../identity/personal-id.js';
import { normalizeText } from '../text/normalize.js';
import { CCCD_FIRST_DAY } from './card.js';
import { QR_FIELDS, type QrField, type QrPayload } from './qr-payload.js';

export type QrFindingCode =
  | PersonalIdProblem // PERSONAL_ID_PROVINCE_UNKNOWN, _SEX_MISMATCH, _CENTURY_MISMATCH, _YEAR_MISMATCH (FORMAT cannot follow a parse)
  | 'QR_ISSUE_BEFORE_BIRTH'
  | 'QR_ISSUE_BEFORE_CCCD'; // no card with a QR code existed before the first CCCD (01/01/2016)

export interface QrFinding {
  code: QrFindingCode;
  /** The payload fields that contradict each other, for highlighting. */
  fields: QrField[];
}

const FIELDS_OF: Readonly<Record<PersonalIdProblem, QrField[]>> = {
  PERSONAL_ID_FORMAT: ['personalId'],
  PERSONAL_ID_PROVINCE_UNKNOWN: ['personalId'],
  PERSONAL_ID_SEX_MISMATCH: ['personalId', 'sex'],
  PERSONAL_ID_CENTURY_MISMATCH: ['personalId', 'dateOfBirth'],
  PERSONAL_ID_YEAR_MISMATCH: ['personalId', 'dateOfBirth'],
};

/**
 * Internal consistency (vn-domain §2.7, §3.2): the ID's province code is known, its century/sex
 * digit and year agree with the date of birth and sex printed beside it, and the card was not
 * issued before its holder was born or before cards with QR codes existed. Real cards pass; the
 * placeholder strings of parser documentation typically fail the ID checks. Empty list = consistent.
 */
export function checkQrConsistency(payload: QrPayload, knownIdProvinceCodes: ReadonlySet<string>): QrFinding[] {
  const { problems } = validatePersonalId(payload.personalId, knownIdProvinceCodes, {
    sex: payload.sex,
    dateOfBirth: payload.dateOfBirth,
  });
  const findings: QrFinding[] = problems.map((code) => ({ code, fields: [...FIELDS_OF[code]] }));
  if (payload.issueDate < payload.dateOfBirth) findings.push({ code: 'QR_ISSUE_BEFORE_BIRTH', fields: ['dateOfBirth', 'issueDate'] });
  if (payload.issueDate < CCCD_FIRST_DAY) findings.push({ code: 'QR_ISSUE_BEFORE_CCCD', fields: ['issueDate'] });
  return findings;
}

/**
 * What the registry holds for the card being checked; the caller builds it (DESIGN §4: the domain
 * does not read the store). `permanentAddressText` is the address as it read on the card's issue
 * date: cards need not be replaced when the 2025 reform renamed units (NQ 190/2025 Art. 10), so
 * today's wording would flag every older card. `issueDate` is that card's issue date.
 */
export interface QrRegistryView {
  personalId: string;
  legacyIdNumber?: string | undefined;
  fullName: string;
  /** YYYY-MM-DD, YYYY-MM or YYYY, as the registry holds it. */
  dateOfBirth: string;
  sex: Sex;
  permanentAddressText: string;
  issueDate: string;
}

export type QrComparisonNote =
  | 'LEGACY_ID_NOT_ON_CARD' // the registry links a CMND, the card's field 1 is empty: allowed
  | 'REGISTRY_DATE_PARTIAL'; // the registry only knows the year or month; the card's date lies in it

export interface QrFieldComparison {
  field: QrField;
  matches: boolean;
  qr: string | null;
  registry: string | null;
  note?: QrComparisonNote;
}

/** Vietnamese tone marks (grave, acute, tilde, hook above, dot below) in NFD. */
const TONE_MARKS = /[\u0300\u0301\u0303\u0309\u0323]/gu;

/**
 * The key under which two printed texts (names, addresses) are "the same": normalizeText, lower
 * case, and each word's tone mark moved to the word's end. Tone-mark position is a spelling
 * convention ("Hòa"/"Hoà", "Thủy"/"Thuỷ"; ADR 0003 met both in official unit lists), and case
 * carries no identity (older registers are in capitals); the letters and every diacritic still
 * count, so "Nguyen" ≠ "Nguyễn", "Thuy" ≠ "Thủy", "Thúy" ≠ "Thủy", "Dung" ≠ "Đung".
 */
export function printedTextKey(text: string): string {
  return normalizeText(text)
    .toLowerCase()
    .normalize('NFD')
    .split(' ')
    .map((word) => word.replace(TONE_MARKS, '') + (word.match(TONE_MARKS) ?? []).join(''))
    .join(' ');
}

/**
 * Field-by-field comparison of a card's QR payload with the registry, in QR order, one entry per
 * documented field. IDs, dates and sex compare exactly; names and addresses by printedTextKey.
 * Two deliberate allowances, each marked with a note so the officer still sees them:
 * - an empty CMND field on the card matches any registry value — many genuine cards leave it empty
 *   (vn-domain §3.1); a CMND on the card that the registry does not hold is a mismatch;
 * - a registry date of birth known only to the year or month matches a card date inside it.
 */
export function compareQrWithRecord(payload: QrPayload, record: QrRegistryView): QrFieldComparison[] {
  return QR_FIELDS.map((field): QrFieldComparison => {
    switch (field) {
      case 'legacyIdNumber': {
        const qr = payload.legacyIdNumber ?? null;
        const registry = record.legacyIdNumber ?? null;
        if (qr === null && registry !== null) return { field, matches: true, qr, registry, note: 'LEGACY_ID_NOT_ON_CARD' };
        return { field, matches: qr === registry, qr, registry };
      }
      case 'dateOfBirth': {
        const registry = record.dateOfBirth;
        if (registry.length < 10) {
          return { field, matches: payload.dateOfBirth.startsWith(`${registry}-`), qr: payload.dateOfBirth, registry, note: 'REGISTRY_DATE_PARTIAL' };
        }
        return { field, matches: payload.dateOfBirth === registry, qr: payload.dateOfBirth, registry };
      }
      case 'fullName':
        return text(field, payload.fullName, record.fullName);
      case 'permanentAddress':
        return text(field, payload.permanentAddress, record.permanentAddressText);
      case 'personalId':
        return { field, matches: payload.personalId === record.personalId, qr: payload.personalId, registry: record.personalId };
      case 'sex':
        return { field, matches: payload.sex === record.sex, qr: payload.sex, registry: record.sex };
      case 'issueDate':
        return { field, matches: payload.issueDate === record.issueDate, qr: payload.issueDate, registry: record.issueDate };
    }
  });
}

function text(field: QrField, qr: string, registry: string): QrFieldComparison {
  const r = normalizeText(registry);
  return { field, matches: printedTextKey(qr) === printedTextKey(r), qr, registry: r };
}
