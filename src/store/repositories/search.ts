/** Name + date-of-birth search over the folded-name lookup table, by the given name's index. */
import type { Db } from '../schema.js';

export interface NameCandidateQuery {
  /** Last word of the folded name typed (the given name). */
  givenKey: string;
  birthYear: number;
  /**
   * Dates that may match, when narrower than the year: exact stored forms (the day asked, its month,
   * its year) and a prefix whose more precise dates match too (a month asked: every day in it).
   */
  dates?: { forms: string[]; prefix?: string };
  sex?: string;
  birthProvince?: string;
  /** Only this whole folded name (the exact tier), when the given name alone matches too many. */
  nameKey?: string;
  /** At most this many rows (the caller asks for one more than it accepts, to know there were more). */
  limit: number;
}

export interface NameCandidateRow {
  personal_id: string;
  name_key: string;
  date_of_birth: string;
}

/** Every name row with this given name and birth year (index citizen_name_key_given), in a stable order. */
export async function findNameCandidates(db: Db, q: NameCandidateQuery): Promise<NameCandidateRow[]> {
  let query = db
    .selectFrom('citizen_name_key')
    .select(['personal_id', 'name_key', 'date_of_birth'])
    .where('given_key', '=', q.givenKey)
    .where('birth_year', '=', q.birthYear);
  const dates = q.dates;
  if (dates) {
    query = query.where((eb) => {
      const exact = eb('date_of_birth', 'in', dates.forms);
      return dates.prefix ? eb.or([exact, eb('date_of_birth', 'like', `${dates.prefix}-%`)]) : exact;
    });
  }
  if (q.sex) query = query.where('sex', '=', q.sex);
  if (q.birthProvince) query = query.where('birth_province', '=', q.birthProvince);
  if (q.nameKey) query = query.where('name_key', '=', q.nameKey);
  return query.orderBy('personal_id').orderBy('name_key').limit(q.limit).execute();
}
