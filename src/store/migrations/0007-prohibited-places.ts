/**
 * The category of places closed to new registration (Luật Cư trú Art. 23; issue 17, decision 0023):
 * a small reference table the residence authorities maintain, matched by commune and folded detail.
 */
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('residence_prohibited_place')
    .addColumn('place_id', 'text', (c) => c.primaryKey())
    .addColumn('place_key', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('ground', 'text', (c) => c.notNull())
    .addColumn('decision', 'text', (c) => c.notNull())
    .addColumn('valid_from', 'text', (c) => c.notNull())
    .addColumn('lifted_on', 'text')
    .addColumn('lift_decision', 'text')
    .addColumn('lifted_at', 'text')
    .addColumn('lifted_by', 'text')
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .execute();
  await sql.raw('create index residence_prohibited_place_key on residence_prohibited_place (place_key, valid_from)').execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('residence_prohibited_place').execute();
}
