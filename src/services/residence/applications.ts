/**
 * Residence applications through their lifecycle: submission (checked, received by the working-day
 * rules, deadline set; the stay notice is recorded at once), request for documents (CT05),
 * documents supplied (the period restarts from the complete file), approval (checked again with
 * the facts of that day, then applied) or refusal with written reasons (CT06).
 */
import { RegistryError } from '../../domain/errors/registry-error.js';
import { applicationIdFor } from '../../domain/residence/household.js';
import { nextStatus, periodOf, PROCEDURES, type ApplicationAction, type ApplicationStatus, type Procedure } from '../../domain/residence/procedures.js';
import { peopleChangedBy, peopleNamedIn, renumberPeople, type ResidenceRequest } from '../../domain/residence/requests.js';
import { deadlineFor, deadlineStatus, localDay, receiptOf, type Deadline, type DeadlineStatus } from '../../domain/residence/working-days.js';
import {
  findApplication, findOpenApplication, insertApplication, listApplications, updateApplication,
  type ApplicationStep, type StoredApplication,
} from '../../store/repositories/residence-applications.js';
import { findHousehold } from '../../store/repositories/households.js';
import { listRegistrations } from '../../store/repositories/residence-registrations.js';
import { resolvePersonalId } from '../../store/repositories/personal-ids.js';
import type { Db } from '../../store/schema.js';
import type { CategoryCatalogue } from '../categories.js';
import type { Actor, ServiceContext } from '../context.js';
import { applyApproved, type EffectContext } from './effects.js';
import { evaluate, subjectOf } from './evaluate.js';
import { openRegistrations, throwIfAny } from './facts.js';
import { residencePolicyOf } from './policy.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import { lockApplication, lockCitizen, lockHousehold } from '../../store/locks.js';

export interface ApplicationView extends Omit<StoredApplication, 'dueOn' | 'dueBy' | 'version' | 'request'> {
  procedureName: string;
  tthc: string | null;
  request: ResidenceRequest;
  deadline?: Deadline & { status: DeadlineStatus | 'met' | 'missed' };
}

function viewOf(ctx: ServiceContext, a: StoredApplication): ApplicationView {
  const { dueOn, dueBy, version: _v, request, ...rest } = a;
  const view: ApplicationView = { ...rest, request: request as ResidenceRequest, procedureName: PROCEDURES[a.procedure].vi, tthc: PROCEDURES[a.procedure].tthc };
  if (dueOn) {
    const deadline: Deadline = { day: dueOn, by: dueBy ?? 'end_of_day' };
    // Decided applications say whether the deadline was kept; open ones how close it is now.
    const status = a.decidedAt
      ? (deadlineStatus(deadline, a.decidedAt, ctx.calendar) === 'overdue' ? 'missed' : 'met')
      : deadlineStatus(deadline, ctx.clock.now().toISOString(), ctx.calendar);
    view.deadline = { ...deadline, status };
  }
  return view;
}

function deadlineOf(ctx: ServiceContext, r: ResidenceRequest, at: string): { receivedOn: string; deadline?: Deadline } {
  const receipt = receiptOf(at, ctx.calendar);
  // Judged by the rule set in force on the day of receipt (rule-sets.ts).
  const period = periodOf(r.procedure, receipt.day, r.procedure === 'absence_declaration' && r.complex === true);
  return { receivedOn: receipt.day, ...(period ? { deadline: deadlineFor(receipt, period, ctx.calendar) } : {}) };
}

const step = (actor: Actor, at: string, action: ApplicationStep['action'], more: Partial<ApplicationStep> = {}): ApplicationStep => ({ action, at, by: actor.principalId, ...more });

function effectContext(tx: Db, ctx: ServiceContext, actor: Actor, a: { applicationId: string; procedure: Procedure }, at: string): EffectContext {
  return { tx, ctx, actor, applicationId: a.applicationId, day: localDay(at), at, reason: `${PROCEDURES[a.procedure].vi} (${a.applicationId})` };
}

export async function submitApplication(ctx: ServiceContext, catalogue: CategoryCatalogue, actor: Actor, request: ResidenceRequest): Promise<ApplicationView> {
  const now = ctx.clock.now();
  const at = now.toISOString();
  const day = localDay(at);
  const stored = await ctx.store.transaction(async (tx) => {
    const subject = await subjectOf(tx, request);
    // One writer per person at a time: the open-application check below then sees any rival's
    // application (the partial unique index of migration 0006 backs it up).
    await lockCitizen(tx, subject.personalId);
    throwIfAny(await evaluate(tx, catalogue, request, day, residencePolicyOf(ctx)));
    if (request.procedure !== 'stay_notice' && (await findOpenApplication(tx, subject.personalId, request.procedure))) {
      throw new RegistryError('APPLICATION_ALREADY_OPEN');
    }
    const { receivedOn, deadline } = deadlineOf(ctx, request, at);
    const app: StoredApplication = {
      applicationId: applicationIdFor(now.getUTCFullYear(), () => ctx.randomInt(32)),
      procedure: request.procedure,
      status: 'submitted',
      ...subject,
      submittedAt: at,
      submittedBy: actor.principalId,
      receivedOn,
      ...(deadline ? { dueOn: deadline.day, dueBy: deadline.by } : {}),
      request: request as unknown as Record<string, unknown>,
      steps: [step(actor, at, 'submit', { form: 'CT04' })],
      version: 1,
      updatedAt: at,
    };
    if (request.procedure === 'stay_notice') {
      // A stay notice is received and recorded at once (vn-domain §4.3): nothing to decide.
      app.outcome = await applyApproved(effectContext(tx, ctx, actor, app, at), request);
      app.status = 'approved';
      app.decidedAt = at;
      app.decidedBy = actor.principalId;
      app.steps.push(step(actor, at, 'approve'));
    }
    await insertApplication(tx, app);
    return app;
  });
  return viewOf(ctx, stored);
}

export async function getApplication(ctx: ServiceContext, applicationId: string): Promise<ApplicationView> {
  const a = await findApplication(ctx.store.db, applicationId);
  if (!a) throw new RegistryError('APPLICATION_NOT_FOUND');
  return viewOf(ctx, a);
}

/** The procedures whose approval writes a household (effects.ts); the others write none. */
function writesHouseholds(r: ResidenceRequest): boolean {
  switch (r.procedure) {
    case 'permanent_registration':
    case 'household_split':
    case 'information_adjustment':
      return true;
    case 'deregistration':
      return r.kind === 'permanent';
    default:
      return false;
  }
}

/**
 * An approval acts on the facts of the people it changes: two approvals concerning one person
 * (a move and a deregistration, an extension and a deregistration) take turns here, as the person's
 * other writers (death, record changes, submissions) do, and the second judges what the first left
 * (decision 0012, notes of 2026-12-06). Citizens first, in key order, like those writers (a death
 * holds its citizen, then the household); then, if the procedure writes households, every one it
 * writes, in key order: the one it names and the ones its people leave. Two moves in opposite
 * directions (A from household 1 to 2, B from 2 to 1) then take turns instead of deadlocking. A
 * temporary registration, an extension or an absence writes no household and waits on none.
 */
async function lockWhatApprovalChanges(tx: Db, a: StoredApplication): Promise<void> {
  const r = a.request as unknown as ResidenceRequest;
  const named = peopleChangedBy(r);
  const whole = r.procedure === 'household_split' || r.procedure === 'information_adjustment' ? r.householdId : undefined;
  const people = new Set(named);
  for (const m of whole ? (await findHousehold(tx, whole))?.members ?? [] : []) people.add(m.personalId);
  for (const id of [...people].sort()) await lockCitizen(tx, id);
  if (!writesHouseholds(r)) return;
  // Read after the citizen locks: a person's open registration moves only under their lock.
  const households = new Set(a.householdId ? [a.householdId] : []);
  for (const id of named) {
    const current = openRegistrations(await listRegistrations(tx, id)).permanent?.householdId;
    if (current) households.add(current);
  }
  for (const id of [...households].sort()) await lockHousehold(tx, id);
  if (!whole) return;
  // Someone who joined between the read of the members above and the household's lock is changed
  // too (a renamed address moves everyone's registration), but taking their citizen lock now, after
  // a household's, could deadlock with a death holding them and waiting for this household. Refused
  // at once instead: the retry reads the new members first.
  if (((await findHousehold(tx, whole))?.members ?? []).some((m) => !people.has(m.personalId))) {
    throw new RegistryError('CONCURRENT_UPDATE', { detail: 'a member joined the household while the approval began; try again' });
  }
}

/**
 * The application with the numbers in use now: a person whose personal ID was cancelled and
 * re-issued after filing is found under the new one (decision 0012, note of 2026-12-06, last), not
 * answered 404 CITIZEN_NOT_FOUND for ever. Returns `a` itself when no number moved.
 */
async function underCurrentNumbers(tx: Db, a: StoredApplication): Promise<StoredApplication> {
  const r = a.request as unknown as ResidenceRequest;
  const current = new Map<string, string>();
  for (const id of new Set([a.personalId, ...peopleNamedIn(r)])) {
    const chain = await resolvePersonalId(tx, id);
    if (chain.length > 1) current.set(id, chain[chain.length - 1]!);
  }
  if (current.size === 0) return a;
  return { ...a, personalId: current.get(a.personalId) ?? a.personalId, request: renumberPeople(r, current) as unknown as Record<string, unknown> };
}

async function transition(
  ctx: ServiceContext,
  applicationId: string,
  action: ApplicationAction,
  change: (tx: Db, a: StoredApplication, status: ApplicationStatus, at: string) => Promise<StoredApplication>,
): Promise<ApplicationView> {
  const at = ctx.clock.now().toISOString();
  const saved = await ctx.store.transaction(async (tx) => {
    // A second decision on the same application waits here, then finds it already decided.
    await lockApplication(tx, applicationId);
    const found = await findApplication(tx, applicationId);
    if (!found) throw new RegistryError('APPLICATION_NOT_FOUND');
    const status = nextStatus(found.status, action);
    if (!status) throw new RegistryError('APPLICATION_STATE_CONFLICT', { detail: `${action} is not possible on a ${found.status} application`, extra: { applicationStatus: found.status } });
    let a = found;
    // Decisions on two applications of one household (a member joining, a split) take turns.
    if (action === 'approve') {
      a = await underCurrentNumbers(tx, found);
      await lockWhatApprovalChanges(tx, a);
      // A number re-issued while the approval waited for its person: the lock held a row now gone.
      if ((await underCurrentNumbers(tx, a)) !== a) throw new RegistryError('CONCURRENT_UPDATE');
    } else if (found.householdId) await lockHousehold(tx, found.householdId);
    return updateApplication(tx, found, { ...(await change(tx, a, status, at)), status, updatedAt: at });
  });
  return viewOf(ctx, saved);
}

function requireItems(items: string[]): string[] {
  const clean = items.map((i) => i.trim()).filter((i) => i !== '');
  if (clean.length === 0) throw new RegistryError('REASONS_REQUIRED');
  return clean;
}

/** CT05: the file is incomplete; the deadline is suspended until the documents come in. */
export function requestDocuments(ctx: ServiceContext, actor: Actor, applicationId: string, documents: string[], note?: string): Promise<ApplicationView> {
  const items = requireItems(documents);
  return transition(ctx, applicationId, 'request_documents', async (_tx, a, _s, at) => ({
    ...a,
    steps: [...a.steps, step(actor, at, 'request_documents', { form: 'CT05', items, ...(note ? { note } : {}) })],
  }));
}

/** The documents came in: the file counts as received now and its period runs again in full. */
export function supplyDocuments(ctx: ServiceContext, actor: Actor, applicationId: string, note?: string): Promise<ApplicationView> {
  return transition(ctx, applicationId, 'supply_documents', async (_tx, a, _s, at) => {
    const { receivedOn, deadline } = deadlineOf(ctx, a.request as unknown as ResidenceRequest, at);
    const { dueOn: _d, dueBy: _b, ...rest } = a;
    return {
      ...rest,
      receivedOn,
      ...(deadline ? { dueOn: deadline.day, dueBy: deadline.by } : {}),
      steps: [...a.steps, step(actor, at, 'supply_documents', { form: 'CT04', ...(note ? { note } : {}) })],
    };
  });
}

/** Approves after checking the rules again with today's facts; a failing check refuses nothing by itself: the officer refuses with CT06. */
export function approveApplication(ctx: ServiceContext, catalogue: CategoryCatalogue, actor: Actor, applicationId: string, note?: string): Promise<ApplicationView> {
  return transition(ctx, applicationId, 'approve', async (tx, a, _s, at) => {
    const request = a.request as unknown as ResidenceRequest;
    throwIfAny(await evaluate(tx, catalogue, request, localDay(at), residencePolicyOf(ctx)));
    const outcome = await applyApproved(effectContext(tx, ctx, actor, a, at), request);
    return { ...a, outcome, decidedAt: at, decidedBy: actor.principalId, steps: [...a.steps, step(actor, at, 'approve', note ? { note } : {})] };
  });
}

/** CT06: refusal with its written reasons. */
export function refuseApplication(ctx: ServiceContext, actor: Actor, applicationId: string, reasons: string[]): Promise<ApplicationView> {
  const items = requireItems(reasons);
  return transition(ctx, applicationId, 'refuse', async (_tx, a, _s, at) => ({
    ...a,
    decidedAt: at,
    decidedBy: actor.principalId,
    steps: [...a.steps, step(actor, at, 'refuse', { form: 'CT06', items })],
  }));
}

export interface ApplicationQuery {
  /** open (default): submitted or waiting for documents; overdue: open and past the deadline; decided; all. */
  view?: 'open' | 'overdue' | 'due' | 'decided' | 'all';
  /** With view=due: due on or before this day (default today). */
  dueBy?: string;
  personalId?: string;
  unitCode?: string;
  procedure?: Procedure;
  cursor?: string;
  limit?: number;
}

const OPEN: ApplicationStatus[] = ['submitted', 'documents_requested'];

/** Officers' work list: ordered by deadline, keyset-paginated with an opaque cursor. */
export async function listResidenceApplications(ctx: ServiceContext, q: ApplicationQuery): Promise<{ items: ApplicationView[]; nextCursor?: string }> {
  const now = ctx.clock.now().toISOString();
  const today = localDay(now);
  const view = q.view ?? 'open';
  const limit = Math.min(q.limit ?? 50, 200);
  const after = q.cursor ? decodeCursor(q.cursor, ['dueOn', 'applicationId']) : undefined;
  const statuses: ApplicationStatus[] = view === 'decided' ? ['approved', 'refused'] : view === 'all' ? [...OPEN, 'approved', 'refused'] : OPEN;
  const rows = await listApplications(ctx.store.db, {
    statuses,
    ...(view === 'overdue' ? { dueOnOrBefore: today } : view === 'due' ? { dueOnOrBefore: q.dueBy ?? today } : {}),
    ...(q.personalId ? { personalId: q.personalId } : {}),
    ...(q.unitCode ? { unitCode: q.unitCode } : {}),
    ...(q.procedure ? { procedure: q.procedure } : {}),
    ...(after ? { after } : {}),
    limit,
  });
  let items = rows.map((r) => viewOf(ctx, r));
  // Due today at noon is already overdue in the afternoon; the day filter alone cannot tell.
  if (view === 'overdue') items = items.filter((i) => i.deadline?.status === 'overdue');
  const last = rows[rows.length - 1];
  const nextCursor = rows.length === limit && last ? encodeCursor({ dueOn: last.dueOn ?? '', applicationId: last.applicationId }) : undefined;
  return { items, ...(nextCursor ? { nextCursor } : {}) };
}
