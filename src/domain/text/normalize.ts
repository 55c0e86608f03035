/**
 * Text normalisation at the boundary (DESIGN §3.7): every piece of Vietnamese text that enters the
 * system is NFC-composed, trimmed and has its runs of white space folded to one space, so that
 * decomposed (NFD) input and composed input are the same string from then on. Invisible characters
 * (zero-width, soft hyphen, …) are removed; which characters are refused is in hygiene.ts.
 */
import { RegistryError } from '../errors/registry-error.js';
import { codePointLabel, textProblem } from './hygiene.js';

export function normalizeText(input: string): string {
  // Invisible characters go first, so that one between a letter and its accent cannot block NFC
  // composition (decision 0021).
  return input.replace(INVISIBLE, '').normalize('NFC').replace(LOOKALIKE_D, (c) => (c === 'Ð' ? 'Đ' : 'đ')).replace(/\s+/gu, ' ').trim();
}

/**
 * Ð/ð (U+00D0/U+00F0, Icelandic eth) look like Vietnamese Đ/đ (U+0110/U+0111) and turn up in name
 * lists and typed input; in Vietnamese text they are always meant as Đ/đ.
 */
const LOOKALIKE_D = /[Ðð]/gu;

/** Default-ignorable code points (zero-width characters, soft hyphen, BOM, …): invisible, removed. */
const INVISIBLE = /\p{Default_Ignorable_Code_Point}/gu;

/**
 * The folded search key stored beside names: lower case, no diacritics, đ→d, single spaces.
 * "Nguyễn Văn Đức", "NGUYEN VAN DUC" and its NFD form all fold to "nguyen van duc".
 */
export function foldKey(input: string): string {
  let out = '';
  let space = true; // drop leading spaces and fold runs
  for (const ch of input) {
    let f = FOLDED.get(ch);
    if (f === undefined) {
      f = foldChar(ch);
      FOLDED.set(ch, f);
    }
    if (f === ' ') {
      if (!space) out += ' ';
      space = true;
    } else if (f !== '') {
      out += f;
      space = false;
    }
  }
  return space && out.endsWith(' ') ? out.slice(0, -1) : out;
}

/**
 * The text without diacritics, case and everything else kept: "Nguyễn Văn Đức" → "Nguyen Van Duc"
 * (an unaccented SMS, which fits the GSM 7-bit alphabet where Vietnamese letters do not).
 */
export function withoutDiacritics(input: string): string {
  return input.normalize('NFD').replace(/\p{M}+/gu, '').replace(/[đð]/gu, 'd').replace(/[ĐÐ]/gu, 'D').normalize('NFC');
}

/** Per-character folding, memoised: names use a few hundred distinct characters. */
const FOLDED = new Map<string, string>();

function foldChar(ch: string): string {
  if (/\s/u.test(ch)) return ' ';
  return ch
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/[đĐðÐ]/gu, 'd')
    .toLowerCase();
}

/** Refuses a string the character rule refuses (hygiene.ts), naming the field and the character, never the text. */
export function checkText(s: string, field: string): void {
  const p = textProblem(s);
  if (p) {
    throw new RegistryError('TEXT_FORBIDDEN_CHARACTER', {
      fields: [{ field, code: 'TEXT_FORBIDDEN_CHARACTER', message: `${p.kind} character ${codePointLabel(p.codePoint)}` }],
    });
  }
}

/**
 * The boundary's one walk over a JSON-like value (request bodies and queries, CLI input): every
 * string and key is checked by the character rule, then every string normalised. `field` names
 * where the value came from in errors.
 */
export function normalizeDeep<T>(value: T, field = 'value'): T {
  if (typeof value === 'string') {
    checkText(value, field);
    return normalizeText(value) as T;
  }
  if (Array.isArray(value)) return value.map((v, i) => normalizeDeep(v, `${field}.${i}`)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      checkText(k, `${field}.${k.length > 64 ? `${k.slice(0, 64)}…` : k}`);
      out[k] = normalizeDeep(v, `${field}.${k}`);
    }
    return out as T;
  }
  return value;
}
