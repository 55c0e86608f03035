/** Row counts over the tables the bulk loader fills (benchmarks report rows/s with it). */
import type { Store } from '../connect.js';
import { BULK_COLUMNS, type BulkTable } from './citizen-rows.js';

export async function countBulkRows(store: Store): Promise<number> {
  let total = 0;
  for (const table of Object.keys(BULK_COLUMNS) as BulkTable[]) {
    const r = await store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    total += Number(r.n);
  }
  return total;
}
