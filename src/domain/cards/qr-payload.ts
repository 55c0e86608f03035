/**
 * The QR code printed on CCCD and căn cước cards (vn-domain §3): UTF-8 text, fields separated by
 * `|`, dates as ddmmyyyy, sex as the word "Nam" / "Nữ":
 *   0 personal ID | 1 old CMND (9 digits or empty) | 2 full name | 3 date of birth | 4 sex |
 *   5 permanent address (free text, commas allowed) | 6 issue date
 * CCCD cards carry exactly these 7 fields. Newer cards carry 10 or more: the first 7 as above,
 * then fields whose meaning is not documented; they are kept verbatim (NFC only), in order, never
 * dropped, so a later reading of their meaning can be applied to stored payloads.
 * Parsing says only whether the text is well-formed; whether the ID agrees with the date of birth
 * and sex, and whether the card agrees with the registry, are separate checks (qr-check.ts).
 */
import { Type, type Static } from '@sinclair/typebox';
import { FullDate, LegacyIdNumber, PersonalId, Sex } from '../citizen/citizen.js';
import { isValidFullDate } from '../dates/partial-date.js';
import { normalizeText } from '../text/normalize.js';

export const QR_SEPARATOR = '|';
export const QR_CCCD7_FIELD_COUNT = 7;
export const QR_EXTENDED_MIN_FIELD_COUNT = 10;

/** The sex words exactly as printed; escapes keep the source independent of editor normalisation. */
const SEX_WORDS: Readonly<Record<Sex, string>> = { male: 'Nam', female: 'N\u1eef' /* Nữ, NFC */ };

export const QrLayout = Type.Union([Type.Literal('CCCD7'), Type.Literal('EXTENDED')], {
  description: 'CCCD7: exactly 7 fields (CCCD); EXTENDED: 10 or more fields (2024 căn cước)',
});
export type QrLayout = Static<typeof QrLayout>;

export const QrPayload = Type.Object(
  {
    personalId: PersonalId,
    legacyIdNumber: Type.Optional(LegacyIdNumber),
    fullName: Type.String({ minLength: 1 }),
    dateOfBirth: FullDate,
    sex: Sex,
    /** May be empty: see parseQrPayload. */
    permanentAddress: Type.String(),
    issueDate: FullDate,
    layout: QrLayout,
    unknownFields: Type.Array(Type.String(), { description: 'Fields 8 onwards of an EXTENDED payload, in order' }),
  },
  { additionalProperties: false },
);
export type QrPayload = Static<typeof QrPayload>;

/** What the generator needs; the layout follows from the number of extra fields (0, or 3 and more). */
export type QrPayloadInput = Omit<QrPayload, 'layout' | 'unknownFields' | 'legacyIdNumber'> & {
  legacyIdNumber?: string | undefined;
  unknownFields?: readonly string[];
};

/** The seven documented fields, in QR order. */
export const QR_FIELDS = ['personalId', 'legacyIdNumber', 'fullName', 'dateOfBirth', 'sex', 'permanentAddress', 'issueDate'] as const;
export type QrField = (typeof QR_FIELDS)[number];

export type QrParseReason =
  | 'QR_FIELD_COUNT' // neither 7 nor 10 or more fields
  | 'QR_PERSONAL_ID_FORMAT' // field 0 is not 12 digits
  | 'QR_LEGACY_ID_FORMAT' // field 1 is neither empty nor 9 digits
  | 'QR_NAME_EMPTY'
  | 'QR_DATE_FORMAT' // not 8 digits (field says which date)
  | 'QR_DATE_INVALID' // 8 digits but no such day, e.g. 30022020 (field says which date)
  | 'QR_SEX_UNKNOWN'; // not exactly "Nam" or "Nữ"

/**
 * A refusal. `detail` is an English explanation for developers that never repeats the field's
 * value: parse results may be logged, and QR text is personal data (DESIGN §3.8).
 */
export interface QrParseFailure {
  ok: false;
  reason: QrParseReason;
  field?: QrField;
  detail?: string;
}
export type QrParseResult = { ok: true; payload: QrPayload } | QrParseFailure;

function fail(reason: QrParseReason, field?: QrField, detail?: string): QrParseFailure {
  const f: QrParseFailure = { ok: false, reason };
  if (field !== undefined) f.field = field;
  if (detail !== undefined) f.detail = detail;
  return f;
}

/** ddmmyyyy → YYYY-MM-DD, or the failure naming the field. */
function parseQrDate(s: string, field: 'dateOfBirth' | 'issueDate'): string | QrParseFailure {
  if (!/^\d{8}$/.test(s)) return fail('QR_DATE_FORMAT', field, 'expected 8 digits ddmmyyyy');
  const iso = `${s.slice(4)}-${s.slice(2, 4)}-${s.slice(0, 2)}`;
  return isValidFullDate(iso) ? iso : fail('QR_DATE_INVALID', field, 'no such calendar day (or year before 1800)');
}

/**
 * Reads QR text. Checks fields in QR order and reports the first problem. Tolerated: a leading byte
 * order mark and trailing line breaks (scanners in keyboard mode add them). Numeric fields must be
 * exact (no spaces): a counter check should not guess. Text fields (name, sex, address) are
 * normalised with normalizeText, so NFD input reads the same as NFC.
 * An empty permanent address is accepted: people without a permanent residence are registered by
 * their current place of residence (Luật Cư trú 2020 Art. 19) and what their card then prints is
 * undocumented; refusing would reject a lawful card, and compareQrWithRecord still shows an empty
 * address that the registry does not have.
 */
export function parseQrPayload(text: string): QrParseResult {
  const raw = text.replace(/^\uFEFF/u, '').replace(/[\r\n]+$/u, '').split(QR_SEPARATOR);
  const n = raw.length;
  if (n !== QR_CCCD7_FIELD_COUNT && n < QR_EXTENDED_MIN_FIELD_COUNT) {
    return fail('QR_FIELD_COUNT', undefined, `${n} fields; expected 7 or at least 10`);
  }
  const at = (i: number): string => raw[i] ?? '';

  const personalId = at(0);
  if (!/^\d{12}$/.test(personalId)) return fail('QR_PERSONAL_ID_FORMAT', 'personalId', 'expected 12 digits');
  const legacy = at(1);
  if (legacy !== '' && !/^\d{9}$/.test(legacy)) return fail('QR_LEGACY_ID_FORMAT', 'legacyIdNumber', 'expected empty or 9 digits');
  const fullName = normalizeText(at(2));
  if (fullName === '') return fail('QR_NAME_EMPTY', 'fullName');
  const dateOfBirth = parseQrDate(at(3), 'dateOfBirth');
  if (typeof dateOfBirth !== 'string') return dateOfBirth;
  const sexWord = normalizeText(at(4));
  const sex: Sex | undefined = sexWord === SEX_WORDS.male ? 'male' : sexWord === SEX_WORDS.female ? 'female' : undefined;
  if (sex === undefined) return fail('QR_SEX_UNKNOWN', 'sex', 'expected exactly "Nam" or "Nữ"');
  const permanentAddress = normalizeText(at(5));
  const issueDate = parseQrDate(at(6), 'issueDate');
  if (typeof issueDate !== 'string') return issueDate;

  const payload: QrPayload = {
    personalId,
    fullName,
    dateOfBirth,
    sex,
    permanentAddress,
    issueDate,
    layout: n === QR_CCCD7_FIELD_COUNT ? 'CCCD7' : 'EXTENDED',
    unknownFields: raw.slice(QR_CCCD7_FIELD_COUNT).map((f) => f.normalize('NFC')),
  };
  if (legacy !== '') payload.legacyIdNumber = legacy;
  return { ok: true, payload };
}

export type QrGenerateReason = QrParseReason | 'QR_FIELD_SEPARATOR';

/**
 * Thrown by generateQrPayload. The generator is fed from registry records that were validated on
 * the way in, so a refusal means a bug or corrupt data, not user input: an exception, not a result.
 * The message names the reason and field, never the value.
 */
export class QrPayloadError extends Error {
  constructor(
    readonly reason: QrGenerateReason,
    readonly field?: QrField | 'unknownFields',
  ) {
    super(`QR payload refused: ${reason}${field === undefined ? '' : ` (${field})`}`);
    this.name = 'QrPayloadError';
  }
}

function toQrDate(iso: string, field: 'dateOfBirth' | 'issueDate'): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) throw new QrPayloadError('QR_DATE_FORMAT', field);
  return `${iso.slice(8, 10)}${iso.slice(5, 7)}${iso.slice(0, 4)}`;
}

/**
 * The QR text for a card. Text is NFC-normalised first, so what is printed is what parses back.
 * The format has no escaping: a `|` inside a field would silently shift every later field, and a
 * line break would be taken for the end of the text by scanners. Such input is refused with
 * QrPayloadError('QR_FIELD_SEPARATOR') rather than altered, because a printed card must carry the
 * registry's data exactly. Extra fields must number 0 (CCCD7) or at least 3 (EXTENDED, ≥ 10 in
 * all); 1 or 2 would make an 8- or 9-field text that no reader accepts (QR_FIELD_COUNT).
 * Every output is checked by parseQrPayload, so the generator cannot emit what the parser refuses.
 */
export function generateQrPayload(input: QrPayloadInput): string {
  const sexWord = SEX_WORDS[input.sex] as string | undefined; // undefined only from untyped callers
  if (sexWord === undefined) throw new QrPayloadError('QR_SEX_UNKNOWN', 'sex');
  const documented: Record<QrField, string> = {
    personalId: input.personalId,
    legacyIdNumber: input.legacyIdNumber ?? '',
    fullName: normalizeText(input.fullName),
    dateOfBirth: toQrDate(input.dateOfBirth, 'dateOfBirth'),
    sex: sexWord,
    permanentAddress: normalizeText(input.permanentAddress),
    issueDate: toQrDate(input.issueDate, 'issueDate'),
  };
  const unknown = (input.unknownFields ?? []).map((f) => f.normalize('NFC'));
  const forbidden = /[|\r\n]/u;
  for (const field of QR_FIELDS) if (forbidden.test(documented[field])) throw new QrPayloadError('QR_FIELD_SEPARATOR', field);
  if (unknown.some((f) => forbidden.test(f))) throw new QrPayloadError('QR_FIELD_SEPARATOR', 'unknownFields');
  const text = [...QR_FIELDS.map((f) => documented[f]), ...unknown].join(QR_SEPARATOR);
  const check = parseQrPayload(text);
  if (!check.ok) throw new QrPayloadError(check.reason, check.reason === 'QR_FIELD_COUNT' ? 'unknownFields' : check.field);
  return text;
}
