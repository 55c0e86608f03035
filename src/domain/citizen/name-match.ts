/**
 * How counters search people by name (decision 0025): officers type the whole name, the surname
 * with the given name ("Nguyễn An" for Nguyễn Văn An), or the given name alone, with a date or year
 * of birth. Names compare folded (foldKey: case, diacritics, đ, Unicode form ignored).
 *
 * The rule: the last word typed is the given name and must equal the last word of the name; the
 * other words typed must appear in the name, in order, before it. Matches are ranked: the whole
 * name, then surname + given name (the first word also matches the surname), then the rest; within a
 * rank, a date recorded exactly as asked before one recorded more or less precisely.
 */
import { coarserForms } from '../dates/partial-date.js';

/** The given name (last word) of a folded name: the key candidates are looked up by. */
export function givenKeyOf(foldedName: string): string {
  const i = foldedName.lastIndexOf(' ');
  return i < 0 ? foldedName : foldedName.slice(i + 1);
}

export const NameTier = {
  /** Every word, in order: the whole name. */
  Whole: 3,
  /** Surname and given name, with middle names left out (or some of them). */
  SurnameAndGiven: 2,
  /** The given name, alone or with middle names. */
  Given: 1,
} as const;
export type NameTier = (typeof NameTier)[keyof typeof NameTier];

/** The rank of a stored (folded) name for a (folded) query, or undefined when it does not match. */
export function nameTier(queryKey: string, nameKey: string): NameTier | undefined {
  const q = queryKey.split(' ').filter(Boolean);
  const n = nameKey.split(' ').filter(Boolean);
  if (q.length === 0 || n.length === 0 || q.length > n.length) return undefined;
  if (q[q.length - 1] !== n[n.length - 1]) return undefined;
  // The other words typed, in order, among the words before the given name.
  let j = 0;
  for (let i = 0; i < q.length - 1; i++) {
    while (j < n.length - 1 && n[j] !== q[i]) j++;
    if (j >= n.length - 1) return undefined;
    j++;
  }
  if (q.length === n.length) return NameTier.Whole;
  if (q.length >= 2 && q[0] === n[0]) return NameTier.SurnameAndGiven;
  return NameTier.Given;
}

/**
 * Whether a stored (possibly partial) date of birth fits the date asked (YYYY, YYYY-MM or
 * YYYY-MM-DD), and how closely: 2 recorded exactly as asked, 1 recorded more precisely (a full date
 * inside the month or year asked), 0 recorded less precisely (only the year or month of the day
 * asked). Undefined when it does not fit.
 */
export function dateFit(query: string, stored: string): 0 | 1 | 2 | undefined {
  if (stored === query) return 2;
  if (stored.length > query.length && stored.startsWith(query)) return 1;
  if (stored.length < query.length && coarserForms(query).includes(stored)) return 0;
  return undefined;
}

export interface NameCandidate {
  personalId: string;
  nameKey: string;
  dateOfBirth: string;
}

export interface RankedMatch {
  personalId: string;
  tier: NameTier;
  dateFit: 0 | 1 | 2;
}

/**
 * The people among the candidates (one row per name they bear) who match, each once under their
 * best-matching name, best first; ties in personal ID order so pages are stable.
 */
export function rankMatches(queryKey: string, queryDate: string, candidates: readonly NameCandidate[]): RankedMatch[] {
  const best = new Map<string, RankedMatch>();
  for (const c of candidates) {
    const tier = nameTier(queryKey, c.nameKey);
    const fit = dateFit(queryDate, c.dateOfBirth);
    if (tier === undefined || fit === undefined) continue;
    const prev = best.get(c.personalId);
    if (!prev || compare({ personalId: c.personalId, tier, dateFit: fit }, prev) < 0) best.set(c.personalId, { personalId: c.personalId, tier, dateFit: fit });
  }
  return [...best.values()].sort(compare);
}

function compare(a: RankedMatch, b: RankedMatch): number {
  return b.tier - a.tier || b.dateFit - a.dateFit || (a.personalId < b.personalId ? -1 : a.personalId > b.personalId ? 1 : 0);
}
