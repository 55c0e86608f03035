/**
 * Demographic verification, the `verifyCitizen` exchange service: an agency sends a personal ID and
 * attributes it holds; the registry answers, per attribute, whether they agree with the record —
 * after Aadhaar's Pi/Pa demographic authentication (ms = E/P, mv = match value) and MOSIP's
 * MatchingStrategyType EXACT/PARTIAL (anchors §3.2, §4). The answer never holds registry data: only
 * the attribute name, a result, a kind and a score.
 *
 * Rules (pure and deterministic):
 * - One result per claimed attribute (a key whose value is not undefined), in the order of
 *   DEMOGRAPHIC_ATTRIBUTES.
 * - no_data (score 0, no kind) when the registry holds nothing for the attribute; this wins over
 *   everything else. Otherwise kind is 'exact' (score 100), 'partial' (score 1–99) or absent when
 *   nothing agrees (score 0). result is 'match' only for exact; 'partial' for a partial kind whose
 *   score ≥ threshold while partial matching is allowed (`allowPartial`, default true); otherwise
 *   'no_match'. The threshold is `partialThreshold` (default 80; NaN → 80) clamped to 1..100: score 0
 *   never agrees. An agency reading only `result` thus never takes a near miss for the record's
 *   value. An empty or malformed claim value is no_match with score 0; nothing throws.
 * - The overall result (overallResult) is the weakest of the attributes': no_match when any is
 *   no_match or no_data (nothing confirms that claim), else partial when any is partial, else match.
 * - fullName, against the birth name and each other name, the best kept:
 *   exact when the NFC-normalised, space-folded texts are equal ignoring case (Vietnamese names carry
 *   no case distinction: "NGUYỄN VĂN AN" is "Nguyễn Văn An");
 *   partial 90 when the folded keys (foldKey: no diacritics, đ→d) are equal — typed without marks;
 *   otherwise partial round(89·s), s = max(L(a, b), 0.95·L(sorted a, sorted b)) over the folded keys,
 *   L the Levenshtein ratio 1 − distance / longer length (code points), "sorted" the words in sorted
 *   order: words in another order ("An Nguyễn Văn") score 85, one typo in 13 letters 82.
 * - dateOfBirth: exact when identical; when they agree at the coarser of the two precisions,
 *   partial 80 (month level) or 60 (year level: no match at the default threshold); otherwise
 *   no_match. A claim that is not a real partial date is no_match.
 * - sex, nationality (upper-cased), legacyIdNumber: exact or no_match (outer white space ignored).
 * - phone: space . - ( ) dropped; a leading +84, 0084 or bare 84 before 9–10 digits becomes the
 *   trunk 0 (a redundant 0 after the country code is swallowed: "+84 (0) 912…"); exact when the
 *   results are equal, else no_match.
 * - email: exact when equal after trimming, ignoring case; else no_match.
 * - address, against each registry address (permanent, temporary, current), the best kept. Claimed
 *   parts are unitCode and detail (compared by folded key); empty parts are absent; none is no_match.
 *   exact when every claimed part equals that address's;
 *   same unitCode, other detail: partial 50 + round(49·D), D the Dice coefficient of the folded
 *   detail words (split at anything not a letter or digit);
 *   no unitCode claimed, other detail: partial round(49·D);
 *   other unitCode, with unitAncestors (codes of a unit and its parents, in the caller's unit set):
 *   50 when one unit contains the other, 40 when they share a district (3-digit code), 30 when they
 *   share a province (2-digit code); otherwise (or without unitAncestors) no_match.
 */
import { Type, type Static } from '@sinclair/typebox';
import { LegacyIdNumber, PartialDate, Sex, type Address } from '../citizen/citizen.js';
import { isValidPartialDate } from '../dates/partial-date.js';
import { foldKey, normalizeText } from '../text/normalize.js';

export const DemographicClaims = Type.Object(
  {
    fullName: Type.Optional(Type.String({ maxLength: 150 })),
    dateOfBirth: Type.Optional(PartialDate),
    sex: Type.Optional(Sex),
    nationality: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2' })),
    legacyIdNumber: Type.Optional(LegacyIdNumber),
    phone: Type.Optional(Type.String({ pattern: '^[+\\d .()-]{0,32}$', examples: ['+84 912 345 678', '0912.345.678'] })),
    email: Type.Optional(Type.String({ maxLength: 254 })),
    address: Type.Optional(
      Type.Object(
        {
          unitCode: Type.Optional(Type.String({ pattern: '^\\d{2,5}$', description: 'province (2), district (3) or commune (5 digits)' })),
          detail: Type.Optional(Type.String({ maxLength: 300 })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false, description: 'Attributes an agency holds for a person, to be checked against the registry' },
);
export type DemographicClaims = Static<typeof DemographicClaims>;

export interface RecordAttributes {
  fullName: string;
  otherNames: readonly string[];
  dateOfBirth: string;
  sex: 'male' | 'female';
  nationality: string;
  legacyIdNumber?: string;
  phone?: string;
  email?: string;
  /** Permanent, temporary and current residence: any may match. */
  addresses: readonly Address[];
  /** Codes of the unit and its parents, to tell same commune from same province. */
  unitAncestors?: (unitCode: string) => readonly string[];
}

export type AttributeName = keyof DemographicClaims;

export type MatchResult = 'match' | 'partial' | 'no_match';

export interface AttributeResult {
  attribute: AttributeName;
  result: MatchResult | 'no_data';
  kind?: 'exact' | 'partial';
  /** 0..100 */
  score: number;
}

export interface MatchOptions {
  /** A partial at or above it is 'partial', below it 'no_match' (default 80, clamped to 1..100; 100 admits no partial). */
  partialThreshold: number;
  /** false: only exact agreement counts, every partial is 'no_match' (default true). */
  allowPartial: boolean;
}

/** The fixed order of the results. */
export const DEMOGRAPHIC_ATTRIBUTES: readonly AttributeName[] = [
  'fullName', 'dateOfBirth', 'sex', 'nationality', 'legacyIdNumber', 'phone', 'email', 'address',
];

export const DEFAULT_PARTIAL_THRESHOLD = 80;

type Outcome = { kind?: 'exact' | 'partial'; score: number } | 'no_data';
const EXACT: Outcome = { kind: 'exact', score: 100 };
const NONE: Outcome = { score: 0 };
const partial = (score: number): Outcome => (score > 0 ? { kind: 'partial', score: Math.min(99, score) } : NONE);
const exactIf = (equal: boolean): Outcome => (equal ? EXACT : NONE);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
/** The highest-scoring outcome (exact is 100, above any partial). */
const best = (outcomes: Outcome[]): Outcome =>
  outcomes.reduce((a, b) => (a === 'no_data' || (b !== 'no_data' && b.score > a.score) ? b : a), NONE);

type Matchers = { [K in AttributeName]-?: (claim: unknown, r: RecordAttributes) => Outcome };

const MATCHERS: Matchers = {
  fullName: matchName,
  dateOfBirth(claim, r) {
    if (!r.dateOfBirth) return 'no_data';
    const c = str(claim).trim();
    if (!isValidPartialDate(c)) return NONE;
    if (c === r.dateOfBirth) return EXACT;
    const n = Math.min(c.length, r.dateOfBirth.length);
    return c.slice(0, n) === r.dateOfBirth.slice(0, n) && n < 10 ? partial(n === 7 ? 80 : 60) : NONE;
  },
  sex: (claim, r) => (r.sex ? exactIf(str(claim).trim() === r.sex) : 'no_data'),
  nationality: (claim, r) => (r.nationality ? exactIf(str(claim).trim().toUpperCase() === r.nationality.toUpperCase()) : 'no_data'),
  legacyIdNumber: (claim, r) => (r.legacyIdNumber ? exactIf(str(claim).trim() === r.legacyIdNumber.trim()) : 'no_data'),
  phone(claim, r) {
    if (!r.phone) return 'no_data';
    const c = phoneKey(str(claim));
    return exactIf(c !== '' && c === phoneKey(r.phone));
  },
  email(claim, r) {
    if (!r.email) return 'no_data';
    const c = str(claim).trim().toLowerCase();
    return exactIf(c !== '' && c === r.email.trim().toLowerCase());
  },
  address: matchAddress,
};

/** Checks each claimed attribute against the record; see the module comment for the rules. */
export function matchDemographics(claims: DemographicClaims, record: RecordAttributes, options: Partial<MatchOptions> = {}): AttributeResult[] {
  const t = options.partialThreshold;
  const threshold = typeof t === 'number' && !Number.isNaN(t) ? Math.min(100, Math.max(1, t)) : DEFAULT_PARTIAL_THRESHOLD;
  const allowPartial = options.allowPartial !== false;
  const results: AttributeResult[] = [];
  for (const attribute of DEMOGRAPHIC_ATTRIBUTES) {
    const claim: unknown = claims[attribute];
    if (claim === undefined) continue;
    const o = MATCHERS[attribute](claim, record);
    if (o === 'no_data') results.push({ attribute, result: 'no_data', score: 0 });
    else {
      const agrees = o.kind === 'exact' ? 'match' : o.kind === 'partial' && allowPartial && o.score >= threshold ? 'partial' : 'no_match';
      const r: AttributeResult = { attribute, result: agrees, score: o.score };
      if (o.kind) r.kind = o.kind;
      results.push(r);
    }
  }
  return results;
}

/** The weakest of the attribute results (see the module rules); no_match for none. */
export function overallResult(results: readonly AttributeResult[]): MatchResult {
  if (results.length === 0 || results.some((r) => r.result === 'no_match' || r.result === 'no_data')) return 'no_match';
  return results.some((r) => r.result === 'partial') ? 'partial' : 'match';
}

/** Text compared for an exact name match: NFC, single spaces, lower case. */
const caseless = (s: string): string => normalizeText(s).toLowerCase().normalize('NFC');

function matchName(claim: unknown, r: RecordAttributes): Outcome {
  const names = [r.fullName, ...r.otherNames].filter((n) => typeof n === 'string' && normalizeText(n) !== '');
  if (names.length === 0) return 'no_data';
  const text = caseless(str(claim));
  if (text === '') return NONE;
  const key = foldKey(text);
  return best(
    names.map((n) => {
      if (caseless(n) === text) return EXACT;
      const k = foldKey(n);
      if (k === key && key !== '') return partial(90);
      const s = Math.max(levenshteinRatio(key, k), 0.95 * levenshteinRatio(sortWords(key), sortWords(k)));
      return partial(Math.round(89 * s));
    }),
  );
}

const sortWords = (key: string): string => key.split(' ').sort().join(' ');

/** 1 − edit distance / longer length, over code points; 0 when both are empty. */
function levenshteinRatio(a: string, b: string): number {
  const x = Array.from(a);
  const y = Array.from(b);
  const longer = Math.max(x.length, y.length);
  if (longer === 0) return 0;
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return 1 - prev[y.length]! / longer;
}

/** Vietnamese numbers to their domestic form (0…); other numbers keep their +. '' when not a number. */
function phoneKey(phone: string): string {
  const s = phone.replace(/[\s.()-]/gu, '').replace(/^(?:\+84|0084|84(?=\d{9,10}$))0?/u, '0');
  return /^\+?\d+$/u.test(s) ? s : '';
}

function matchAddress(claim: unknown, r: RecordAttributes): Outcome {
  const held = r.addresses.filter((a) => str(a.unitCode) !== '' || foldKey(str(a.detail)) !== '');
  if (held.length === 0) return 'no_data';
  const c = (typeof claim === 'object' && claim !== null ? claim : {}) as { unitCode?: unknown; detail?: unknown };
  const unit = str(c.unitCode).trim();
  const detail = foldKey(str(c.detail));
  if (unit === '' && detail === '') return NONE;
  return best(
    held.map((a) => {
      const heldDetail = foldKey(str(a.detail));
      if ((unit === '' || unit === a.unitCode) && (detail === '' || detail === heldDetail)) return EXACT;
      const d = dice(words(detail), words(heldDetail));
      if (unit === '') return partial(Math.round(49 * d));
      if (unit === a.unitCode) return partial(50 + Math.round(49 * d));
      return partial(nearness(unit, str(a.unitCode), r.unitAncestors));
    }),
  );
}

const words = (key: string): string[] => key.split(/[^\p{L}\p{N}]+/u).filter((w) => w !== '');

/** Dice coefficient of two word multisets: 2·|common| / (|a| + |b|); 0 when both are empty. */
function dice(a: readonly string[], b: readonly string[]): number {
  if (a.length + b.length === 0) return 0;
  const left = new Map<string, number>();
  for (const w of a) left.set(w, (left.get(w) ?? 0) + 1);
  let common = 0;
  for (const w of b) {
    const n = left.get(w) ?? 0;
    if (n > 0) {
      common++;
      left.set(w, n - 1);
    }
  }
  return (2 * common) / (a.length + b.length);
}

/** How close two different units are: 50 one contains the other, 40 same district, 30 same province. */
function nearness(claimed: string, held: string, ancestors: RecordAttributes['unitAncestors']): number {
  if (!ancestors || held === '') return 0;
  const a = ancestors(claimed);
  const b = ancestors(held);
  if (a.includes(held) || b.includes(claimed)) return 50;
  const shared = a.filter((code) => b.includes(code));
  if (shared.some((code) => code.length === 3)) return 40;
  return shared.some((code) => code.length === 2) ? 30 : 0;
}
