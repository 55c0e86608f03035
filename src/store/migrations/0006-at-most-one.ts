/**
 * "At most one" rules backed by the database (issue 12, decision 0024). Each partial unique index
 * turns a lost race into a unique violation that the store answers as a 409, even when two server
 * processes (or two PostgreSQL connections) check the rule at the same moment. Rules that depend
 * on the date (one valid card: expiry is a date) are kept by a row lock on the citizen instead.
 */
import { sql, type Kysely } from 'kysely';

const INDEXES = [
  // One open application of a procedure per person (APPLICATION_ALREADY_OPEN).
  `create unique index residence_application_one_open on residence_application (personal_id, procedure)
     where status in ('submitted', 'documents_requested')`,
  // One permanent residence in force per person.
  `create unique index residence_registration_one_permanent on residence_registration (personal_id)
     where kind = 'permanent' and ended_on is null`,
  // One head per household among its members (the household row names the same person).
  `create unique index household_member_one_head on household_member (household_id)
     where relationship = 'head'`,
  // A card is replaced by one card only.
  `create unique index id_card_replaced_once on id_card (personal_id, replaced_by_seq)
     where replaced_by_seq is not null`,
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  for (const ddl of INDEXES) await sql.raw(ddl).execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const name of ['id_card_replaced_once', 'household_member_one_head', 'residence_registration_one_permanent', 'residence_application_one_open']) {
    await db.schema.dropIndex(name).execute();
  }
}
