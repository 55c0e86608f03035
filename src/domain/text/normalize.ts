/**
 * Text normalisation at the boundary (DESIGN §3.7): every piece of Vietnamese text that enters the
 * system is NFC-composed, trimmed and has its runs of white space folded to one space, so that
 * decomposed (NFD) input and composed input are the same string from then on.
 */
export function normalizeText(input: string): string {
  return input.normalize('NFC').replace(/\s+/gu, ' ').trim();
}

/**
 * The folded search key stored beside names: lower case, no diacritics, đ→d, single spaces.
 * "Nguyễn Văn Đức", "NGUYEN VAN DUC" and its NFD form all fold to "nguyen van duc".
 */
export function foldKey(input: string): string {
  return input
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/[đĐ]/gu, 'd')
    .toLowerCase()
    .replace(/\s+/gu, ' ')
    .trim();
}

/** Applies normalizeText to every string inside a JSON-like value (request bodies and queries). */
export function normalizeDeep<T>(value: T): T {
  if (typeof value === 'string') return normalizeText(value) as T;
  if (Array.isArray(value)) return value.map((v) => normalizeDeep(v)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = normalizeDeep(v);
    return out as T;
  }
  return value;
}
