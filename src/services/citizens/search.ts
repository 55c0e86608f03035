/**
 * searchCitizens: by personal ID, by legacy CMND number, or by name plus date (or year) of birth,
 * optionally sex and province of birth registration. Names are matched as counters search
 * (domain/citizen/name-match.ts): the whole name, surname + given name, or the given name alone,
 * folded (case, diacritics and Unicode form ignored), ranked best first. Pages by an opaque cursor.
 */
import type { Citizen } from '../../domain/citizen/citizen.js';
import { coarserForms, isValidPartialDate } from '../../domain/dates/partial-date.js';
import { givenKeyOf, rankMatches } from '../../domain/citizen/name-match.js';
import { foldKey } from '../../domain/text/normalize.js';
import { RegistryError } from '../../domain/errors/registry-error.js';
import { findCitizens, findPersonalIdByLegacyId } from '../../store/repositories/citizens.js';
import { findNameCandidates } from '../../store/repositories/search.js';
import type { ServiceContext } from '../context.js';
import { findCitizenResolved } from './read.js';

export interface CitizenSearch {
  personalId?: string;
  legacyIdNumber?: string;
  name?: string;
  /** YYYY-MM-DD, YYYY-MM or YYYY. */
  dateOfBirth?: string;
  sex?: 'male' | 'female';
  /** 2-digit province code of birth registration. */
  province?: string;
  limit?: number;
  cursor?: string;
}

export interface CitizenPage {
  items: Citizen[];
  nextCursor?: string;
}

export const DEFAULT_PAGE = 20;
export const MAX_PAGE = 100;

/**
 * Name rows read for one search at most: a given name and a birth year alone can match many people
 * in a large population; beyond this the officer is asked to narrow the search.
 */
export const MAX_CANDIDATES = 5_000;

/** The cursor of a name search: the offset of the next page in the ranked list. */
export function encodeCursor(offset: number): string {
  return Buffer.from(`o:${offset}`).toString('base64url');
}

export function decodeCursor(cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const m = /^o:(\d{1,6})$/.exec(text);
  if (!m) throw new RegistryError('INVALID_CURSOR');
  return Number(m[1]);
}

export async function searchCitizens(ctx: ServiceContext, q: CitizenSearch, limits: { maxCandidates?: number } = {}): Promise<CitizenPage> {
  const db = ctx.store.db;
  if (q.personalId) {
    const found = await findCitizenResolved(db, q.personalId);
    return { items: found ? [found.citizen] : [] };
  }
  if (q.legacyIdNumber) {
    const id = await findPersonalIdByLegacyId(db, q.legacyIdNumber);
    const found = id ? await findCitizenResolved(db, id) : undefined;
    return { items: found ? [found.citizen] : [] };
  }
  const nameKey = q.name ? foldKey(q.name) : '';
  if (!nameKey || !q.dateOfBirth) throw new RegistryError('SEARCH_CRITERIA_REQUIRED');
  if (!isValidPartialDate(q.dateOfBirth)) throw new RegistryError('INVALID_DATE');
  const limit = Math.min(Math.max(q.limit ?? DEFAULT_PAGE, 1), MAX_PAGE);
  const offset = q.cursor ? decodeCursor(q.cursor) : 0;
  const date = q.dateOfBirth;
  const max = limits.maxCandidates ?? MAX_CANDIDATES;
  const candidates = {
    givenKey: givenKeyOf(nameKey),
    birthYear: Number(date.slice(0, 4)),
    // A year asked: the whole year. A month: that month's days, the month, the year. A day: the day, its month, its year.
    ...(date.length > 4 ? { dates: { forms: coarserForms(date), ...(date.length === 7 ? { prefix: date } : {}) } } : {}),
    sex: q.sex,
    birthProvince: q.province,
    limit: max + 1,
  };
  let rows = await findNameCandidates(db, candidates);
  // More people share the given name and the date than a counter can read (in a national population
  // a common given name and a year do): a whole name typed is then taken as written — the tier the
  // ranking puts first anyway — and only the given name alone is too broad.
  if (rows.length > max && nameKey.includes(' ')) rows = await findNameCandidates(db, { ...candidates, nameKey });
  if (rows.length > max) throw new RegistryError('SEARCH_TOO_BROAD');
  const ranked = rankMatches(
    nameKey,
    date,
    rows.map((r) => ({ personalId: r.personal_id, nameKey: r.name_key, dateOfBirth: r.date_of_birth })),
  );
  const page = ranked.slice(offset, offset + limit).map((m) => m.personalId);
  const found = new Map((await findCitizens(db, page)).map((c) => [c.personalId, c]));
  const items = page.flatMap((id) => (found.has(id) ? [found.get(id)!] : []));
  return offset + limit < ranked.length ? { items, nextCursor: encodeCursor(offset + limit) } : { items };
}
