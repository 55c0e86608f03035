/**
 * Row locks on one key, taken first in a write transaction so that two writers of the same
 * citizen, application, household, connection or grievance run one after the other and the second
 * sees what the first committed (its checks then refuse with their own 409 codes instead of both
 * passing).
 * PostgreSQL: `select … for update` on that one row (Citus routes it to one shard, DESIGN §5).
 * SQLite: every write transaction begins immediate, which already holds the database's one writer
 * lock across processes, so there is nothing more to take.
 */
import { isSqlite } from './dialect.js';
import type { Db } from './schema.js';

export async function lockCitizen(tx: Db, personalId: string): Promise<void> {
  if (isSqlite(tx)) return;
  await tx.selectFrom('citizen').select('personal_id').where('personal_id', '=', personalId).forUpdate().execute();
}

export async function lockApplication(tx: Db, applicationId: string): Promise<void> {
  if (isSqlite(tx)) return;
  await tx.selectFrom('residence_application').select('application_id').where('application_id', '=', applicationId).forUpdate().execute();
}

export async function lockHousehold(tx: Db, householdId: string): Promise<void> {
  if (isSqlite(tx)) return;
  await tx.selectFrom('household').select('household_id').where('household_id', '=', householdId).forUpdate().execute();
}

export async function lockConnection(tx: Db, connectionId: string): Promise<void> {
  if (isSqlite(tx)) return;
  await tx.selectFrom('exchange_connection').select('connection_id').where('connection_id', '=', connectionId).forUpdate().execute();
}

export async function lockAgency(tx: Db, code: string): Promise<void> {
  if (isSqlite(tx)) return;
  await tx.selectFrom('agency').select('code').where('code', '=', code).forUpdate().execute();
}

/** A grievance, by its whole key: its steps are read, checked and appended one writer at a time. */
export async function lockGrievance(tx: Db, personalId: string, grievanceId: string): Promise<void> {
  if (isSqlite(tx)) return;
  await tx.selectFrom('grievance').select('grievance_id').where('personal_id', '=', personalId).where('grievance_id', '=', grievanceId).forUpdate().execute();
}
