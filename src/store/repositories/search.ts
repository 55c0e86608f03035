/** Name + date-of-birth search over the folded-name lookup table, keyset-paginated by personal ID. */
import type { Db } from '../schema.js';

export interface NameSearchQuery {
  nameKey: string;
  birthYear: number;
  /** The stored forms of the date that match (full date, its month, its year); absent = any in the year. */
  dateForms?: string[];
  sex?: string;
  birthProvince?: string;
  /** Return IDs strictly after this one. */
  after?: string;
  limit: number;
}

export async function searchPersonalIdsByName(db: Db, q: NameSearchQuery): Promise<string[]> {
  let query = db
    .selectFrom('citizen_name_key')
    .select('personal_id')
    .where('name_key', '=', q.nameKey)
    .where('birth_year', '=', q.birthYear);
  if (q.dateForms) query = query.where('date_of_birth', 'in', q.dateForms);
  if (q.sex) query = query.where('sex', '=', q.sex);
  if (q.birthProvince) query = query.where('birth_province', '=', q.birthProvince);
  if (q.after) query = query.where('personal_id', '>', q.after);
  const rows = await query.orderBy('personal_id').limit(q.limit).execute();
  return rows.map((r) => r.personal_id);
}
