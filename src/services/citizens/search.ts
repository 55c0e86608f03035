/**
 * searchCitizens: by personal ID, by legacy CMND number, or by name plus date (or year) of birth,
 * optionally sex and province of birth registration. Names match folded (case and diacritics
 * ignored; NFD input finds the same people). Keyset pagination with an opaque cursor.
 */
import type { Citizen } from '../../domain/citizen/citizen.js';
import { coarserForms, isValidPartialDate } from '../../domain/dates/partial-date.js';
import { foldKey } from '../../domain/text/normalize.js';
import { RegistryError } from '../../domain/errors/registry-error.js';
import { findCitizens, findPersonalIdByLegacyId } from '../../store/repositories/citizens.js';
import { searchPersonalIdsByName } from '../../store/repositories/search.js';
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

export function encodeCursor(personalId: string): string {
  return Buffer.from(`c:${personalId}`).toString('base64url');
}

export function decodeCursor(cursor: string): string {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const m = /^c:(\d{12})$/.exec(text);
  if (!m) throw new RegistryError('INVALID_CURSOR');
  return m[1]!;
}

export async function searchCitizens(ctx: ServiceContext, q: CitizenSearch): Promise<CitizenPage> {
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
  const ids = await searchPersonalIdsByName(db, {
    nameKey,
    birthYear: Number(q.dateOfBirth.slice(0, 4)),
    dateForms: q.dateOfBirth.length > 4 ? coarserForms(q.dateOfBirth) : undefined,
    sex: q.sex,
    birthProvince: q.province,
    after: q.cursor ? decodeCursor(q.cursor) : undefined,
    limit: limit + 1,
  });
  const page = ids.slice(0, limit);
  const items = await findCitizens(db, page);
  return ids.length > limit ? { items, nextCursor: encodeCursor(page[page.length - 1]!) } : { items };
}
