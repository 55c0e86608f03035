/**
 * Residence applications: one row each, keyed by application number (an application may concern
 * several people). Status changes are guarded by the version, and the lifecycle steps (CT05
 * requests, CT06 refusals, approvals) are stored on the row they change, in the same statement.
 */
import { sql } from 'kysely';
import { RegistryError } from '../../domain/errors/registry-error.js';
import { isUniqueViolation } from '../failures.js';
import type { ApplicationStatus, Procedure } from '../../domain/residence/procedures.js';
import type { Deadline } from '../../domain/residence/working-days.js';
import type { Db } from '../schema.js';

export interface ApplicationStep {
  action: 'submit' | 'request_documents' | 'supply_documents' | 'approve' | 'refuse';
  at: string;
  by: string;
  /** CT04 receipt, CT05 request to complete the file, CT06 refusal. */
  form?: 'CT04' | 'CT05' | 'CT06';
  /** Documents asked for (CT05) or reasons for refusal (CT06). */
  items?: string[];
  note?: string;
}

export interface StoredApplication {
  applicationId: string;
  procedure: Procedure;
  status: ApplicationStatus;
  personalId: string;
  householdId?: string;
  unitCode?: string;
  submittedAt: string;
  submittedBy: string;
  receivedOn: string;
  dueOn?: string;
  /** The deadline falls at noon or at the end of dueOn. */
  dueBy?: Deadline['by'];
  request: Record<string, unknown>;
  steps: ApplicationStep[];
  decidedAt?: string;
  decidedBy?: string;
  outcome?: Record<string, unknown>;
  version: number;
  updatedAt: string;
}

type Row = {
  application_id: string; procedure: string; status: string; personal_id: string; household_id: string | null; unit_code: string | null;
  submitted_at: string; submitted_by: string; received_on: string; due_on: string | null; due_half: string | null; request: string;
  forms: string; decided_at: string | null; decided_by: string | null; outcome: string | null; version: number; updated_at: string;
};

function toRow(a: StoredApplication): Row {
  return {
    application_id: a.applicationId,
    procedure: a.procedure,
    status: a.status,
    personal_id: a.personalId,
    household_id: a.householdId ?? null,
    unit_code: a.unitCode ?? null,
    submitted_at: a.submittedAt,
    submitted_by: a.submittedBy,
    received_on: a.receivedOn,
    due_on: a.dueOn ?? null,
    due_half: a.dueBy ?? null,
    request: JSON.stringify(a.request),
    forms: JSON.stringify(a.steps),
    decided_at: a.decidedAt ?? null,
    decided_by: a.decidedBy ?? null,
    outcome: a.outcome ? JSON.stringify(a.outcome) : null,
    version: a.version,
    updated_at: a.updatedAt,
  };
}

function fromRow(r: Row): StoredApplication {
  return {
    applicationId: r.application_id,
    procedure: r.procedure as Procedure,
    status: r.status as ApplicationStatus,
    personalId: r.personal_id,
    ...(r.household_id ? { householdId: r.household_id } : {}),
    ...(r.unit_code ? { unitCode: r.unit_code } : {}),
    submittedAt: r.submitted_at,
    submittedBy: r.submitted_by,
    receivedOn: r.received_on,
    ...(r.due_on ? { dueOn: r.due_on } : {}),
    ...(r.due_half ? { dueBy: r.due_half as Deadline['by'] } : {}),
    request: JSON.parse(r.request) as Record<string, unknown>,
    steps: JSON.parse(r.forms) as ApplicationStep[],
    ...(r.decided_at ? { decidedAt: r.decided_at } : {}),
    ...(r.decided_by ? { decidedBy: r.decided_by } : {}),
    ...(r.outcome ? { outcome: JSON.parse(r.outcome) as Record<string, unknown> } : {}),
    version: r.version,
    updatedAt: r.updated_at,
  };
}

export async function insertApplication(db: Db, a: StoredApplication): Promise<void> {
  try {
    await db.insertInto('residence_application').values(toRow(a)).execute();
  } catch (e) {
    // The only other key is the random application number: the partial index of one open
    // application per person and procedure (migration 0006) is what a concurrent rival hits.
    if (isUniqueViolation(e)) throw new RegistryError('APPLICATION_ALREADY_OPEN');
    throw e;
  }
}

export async function findApplication(db: Db, applicationId: string): Promise<StoredApplication | undefined> {
  const r = await db.selectFrom('residence_application').selectAll().where('application_id', '=', applicationId).executeTakeFirst();
  return r ? fromRow(r) : undefined;
}

/** Writes `after` over `before` when nobody changed the application in between. */
export async function updateApplication(db: Db, before: StoredApplication, after: StoredApplication): Promise<StoredApplication> {
  const { application_id: _id, ...set } = toRow({ ...after, version: before.version + 1 });
  const r = await db
    .updateTable('residence_application')
    .set(set)
    .where('application_id', '=', before.applicationId)
    .where('version', '=', before.version)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) throw new RegistryError('VERSION_MISMATCH');
  return { ...after, version: before.version + 1 };
}

/** Open applications of one procedure about one person (to refuse duplicates). */
export async function findOpenApplication(db: Db, personalId: string, procedure: Procedure): Promise<StoredApplication | undefined> {
  const r = await db
    .selectFrom('residence_application')
    .selectAll()
    .where('personal_id', '=', personalId)
    .where('procedure', '=', procedure)
    .where('status', 'in', ['submitted', 'documents_requested'])
    .orderBy('submitted_at')
    .limit(1)
    .executeTakeFirst();
  return r ? fromRow(r) : undefined;
}

export interface ApplicationFilter {
  statuses: ApplicationStatus[];
  /** Only applications due on or before this day. */
  dueOnOrBefore?: string;
  personalId?: string;
  unitCode?: string;
  procedure?: Procedure;
  /** Keyset: the (dueOn, applicationId) of the last row of the previous page. */
  after?: { dueOn: string; applicationId: string };
  limit: number;
}

/** Ordered by due day then number; applications without a deadline sort first (as ''). */
// NULL sorts first on SQLite and last on PostgreSQL: compare as '' so both stores page alike.
const due = sql<string>`coalesce(due_on, '')`;

export async function listApplications(db: Db, f: ApplicationFilter): Promise<StoredApplication[]> {
  let q = db.selectFrom('residence_application').selectAll().where('status', 'in', f.statuses);
  if (f.dueOnOrBefore) q = q.where('due_on', '<=', f.dueOnOrBefore);
  if (f.personalId) q = q.where('personal_id', '=', f.personalId);
  if (f.unitCode) q = q.where('unit_code', '=', f.unitCode);
  if (f.procedure) q = q.where('procedure', '=', f.procedure);
  if (f.after) {
    const { dueOn, applicationId } = f.after;
    q = q.where((eb) => eb.or([eb(due, '>', dueOn), eb.and([eb(due, '=', dueOn), eb('application_id', '>', applicationId)])]));
  }
  const rows = await q.orderBy(due).orderBy('application_id').limit(f.limit).execute();
  return rows.map(fromRow);
}
