/**
 * Grievances (issue 13 item 3; decision 0032): a citizen flags an entry about them ("I did not
 * expect this access"); it becomes a case for inspectors with the entry and its receipt attached.
 * At most one per entry and person (the database's unique key: a lost race is 409). Its progress —
 * opened, assigned, answered, closed — is a series of committed events; the status is the last.
 */
import { randomUUID } from 'node:crypto';
import { RegistryError, isRegistryError } from '../../domain/errors/registry-error.js';
import type { StoredAccessEntry } from '../../store/repositories/access-log.js';
import { appendGrievanceEvent, entryOfPerson, findGrievance, grievanceByKey, grievancePage, grievancesOf, insertGrievance, type Grievance } from '../../store/repositories/citizen-usage.js';
import { lockGrievance } from '../../store/locks.js';
import { grievanceStatus, nextGrievanceStep, type GrievanceAction, type GrievanceStatus } from '../../domain/accountability/grievances.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import { receiptFor } from '../transparency/receipts.js';
import { numbersOfPerson } from '../../store/repositories/personal-ids.js';
import type { ServiceContext } from '../context.js';
import { visibleEntry } from './citizen-usage.js';
import { isUniqueRaceLost } from '../../store/failures.js';
import { concerning } from './scope.js';

export interface GrievanceView extends Omit<Grievance, 'events'> {
  status: GrievanceStatus;
  events: Grievance['events'];
}

export function statusOf(g: Grievance): GrievanceStatus {
  return grievanceStatus(g.events);
}

const view = (g: Grievance): GrievanceView => ({ ...g, status: statusOf(g) });

export async function openGrievance(ctx: ServiceContext, actorId: string, personalId: string, entryId: string, text: string): Promise<GrievanceView> {
  await visibleEntry(ctx, personalId, entryId);
  try {
    const g = await ctx.store.transaction((tx) => insertGrievance(tx, { personalId, grievanceId: randomUUID(), entryId, openedAt: ctx.clock.now().toISOString(), openedBy: actorId, text }));
    return view(g);
  } catch (e) {
    if (isUniqueRaceLost(e)) throw new RegistryError('GRIEVANCE_EXISTS');
    throw e;
  }
}

export async function grievancesOfPerson(ctx: ServiceContext, personalId: string): Promise<GrievanceView[]> {
  // Grievances opened under a number since replaced are the person's too.
  return (await grievancesOf(ctx.store.db, await numbersOfPerson(ctx.store.db, personalId))).map(view);
}

/** The inspectors' queue, oldest first, optionally of one status; paged by cursor. */
export async function grievanceQueue(ctx: ServiceContext, q: { status?: GrievanceStatus | undefined; cursor?: string | undefined; limit: number }): Promise<{ items: GrievanceView[]; nextCursor?: string }> {
  let after = q.cursor ? (({ at, id }) => ({ at, id }))(decodeCursor(q.cursor, ['at', 'id'] as const)) : undefined;
  const items: GrievanceView[] = [];
  const batch = Math.min(Math.max(q.limit * 2, 50), 1000);
  let more = false;
  for (;;) {
    const page = await grievancePage(ctx.store.db, after, batch);
    for (const g of page) {
      if (q.status && statusOf(g) !== q.status) continue;
      if (items.length === q.limit) {
        more = true;
        break;
      }
      items.push(view(g));
    }
    if (more || page.length < batch) break;
    const last = page[page.length - 1]!;
    after = { at: last.openedAt, id: last.grievanceId };
  }
  const last = items[items.length - 1];
  return more && last ? { items, nextCursor: encodeCursor({ at: last.openedAt, id: last.grievanceId }) } : { items };
}

export interface GrievanceCase extends GrievanceView {
  entry?: StoredAccessEntry;
  /** The entry's receipt (C2SP tlog-proof), once its leaf is in the log. */
  receipt?: string;
}

/** A case as inspectors see it: the grievance, its entry and the entry's receipt. */
export async function grievanceCase(ctx: ServiceContext, grievanceId: string): Promise<GrievanceCase> {
  const g = await findGrievance(ctx.store.db, grievanceId);
  if (!g) throw new RegistryError('GRIEVANCE_NOT_FOUND');
  // The entry may have been recorded under an earlier number of the person (a re-issue).
  const entry = await entryOfPerson(ctx.store.db, await numbersOfPerson(ctx.store.db, g.personalId), g.entryId);
  let receipt: string | undefined;
  try {
    receipt = entry ? await receiptFor(ctx, 'access_entry', entry.subjectKey, g.entryId) : undefined;
  } catch (e) {
    // Pending (within a second of the entry): the case shows without it; anything else is a failure.
    if (!isRegistryError(e) || e.code !== 'LEAF_NOT_YET_SEQUENCED') throw e;
  }
  return { ...view(g), ...(entry ? { entry } : {}), ...(receipt ? { receipt } : {}) };
}

export async function addGrievanceEvent(ctx: ServiceContext, actorId: string, grievanceId: string, input: { action: GrievanceAction; text?: string | undefined }): Promise<GrievanceCase> {
  const found = await findGrievance(ctx.store.db, grievanceId);
  if (!found) throw new RegistryError('GRIEVANCE_NOT_FOUND');
  // The inspector's step concerns the citizen who raised it: recorded with the step, in its transaction.
  concerning([found.personalId]);
  await ctx.store.transaction(async (tx) => {
    // Steps sent at once (a close and an answer) are read and checked one after the other, under the
    // grievance's lock: the second sees the first's step, so nothing is added after a close.
    await lockGrievance(tx, found.personalId, grievanceId);
    const g = await grievanceByKey(tx, found.personalId, grievanceId);
    if (!g) throw new RegistryError('GRIEVANCE_NOT_FOUND');
    const step = nextGrievanceStep(g.events, input.action);
    if (!step.ok) throw new RegistryError(step.code);
    await appendGrievanceEvent(tx, g.personalId, g.grievanceId, { seq: step.seq, at: ctx.clock.now().toISOString(), actorId, kind: step.kind, ...(input.text ? { text: input.text } : {}) });
  });
  return grievanceCase(ctx, grievanceId);
}
