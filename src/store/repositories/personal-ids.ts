/**
 * Every personal ID ever issued, so that none is issued twice — not after death, not after
 * cancellation — and cancelled numbers keep resolving to the person through replaced_by.
 */
import type { Db } from '../schema.js';
import { inGroups } from '../in-groups.js';

export interface IssuedPersonalId {
  personalId: string;
  issuedAt: string;
  status: 'active' | 'cancelled';
  cancelledAt?: string;
  cancelReason?: string;
  replacedBy?: string;
}

/** Claims a number; false when it was ever issued before. Never aborts the transaction. */
export async function claimPersonalId(db: Db, personalId: string, at: string): Promise<boolean> {
  const r = await db
    .insertInto('personal_id_issued')
    .values({ personal_id: personalId, issued_at: at, status: 'active', cancelled_at: null, cancel_reason: null, replaced_by: null })
    .onConflict((oc) => oc.column('personal_id').doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function findIssuedPersonalId(db: Db, personalId: string): Promise<IssuedPersonalId | undefined> {
  const r = await db.selectFrom('personal_id_issued').selectAll().where('personal_id', '=', personalId).executeTakeFirst();
  if (!r) return undefined;
  const out: IssuedPersonalId = { personalId: r.personal_id, issuedAt: r.issued_at, status: r.status as IssuedPersonalId['status'] };
  if (r.cancelled_at) out.cancelledAt = r.cancelled_at;
  if (r.cancel_reason) out.cancelReason = r.cancel_reason;
  if (r.replaced_by) out.replacedBy = r.replaced_by;
  return out;
}

export async function markPersonalIdCancelled(db: Db, personalId: string, replacedBy: string, reason: string, at: string): Promise<void> {
  await db
    .updateTable('personal_id_issued')
    .set({ status: 'cancelled', cancelled_at: at, cancel_reason: reason, replaced_by: replacedBy })
    .where('personal_id', '=', personalId)
    .execute();
}

/**
 * Follows replaced_by from a number to the one in use now, returning the chain walked
 * (first = the number asked for). Bounded, since a person is re-issued a handful of times at most.
 */
export async function resolvePersonalId(db: Db, personalId: string): Promise<string[]> {
  const chain = [personalId];
  let current = personalId;
  for (let i = 0; i < 16; i++) {
    const issued = await findIssuedPersonalId(db, current);
    if (!issued?.replacedBy) break;
    current = issued.replacedBy;
    chain.push(current);
  }
  return chain;
}

/** The number in use now for this one: itself unless it was cancelled and re-issued (one key read then). */
export async function currentPersonalId(db: Db, personalId: string): Promise<string> {
  const chain = await resolvePersonalId(db, personalId);
  return chain[chain.length - 1]!;
}

/**
 * Every number of each person named (issue 13, F4): the one in use now first, then every earlier
 * one it replaced, so that what was recorded under a cancelled number stays the person's. Forward
 * along replaced_by, then back through the current record's re-issue history (it moved with the
 * record, so it lists every earlier number: one key read, no search by replaced_by).
 */
export async function numbersOfPeople(db: Db, personalIds: readonly string[]): Promise<Map<string, string[]>> {
  const next = new Map<string, string>();
  let frontier = [...new Set(personalIds)];
  for (let i = 0; i < 16 && frontier.length > 0; i++) {
    const rows = await inGroups(frontier, (ids) => db.selectFrom('personal_id_issued').select(['personal_id', 'replaced_by']).where('personal_id', 'in', ids).where('replaced_by', 'is not', null).execute());
    frontier = [];
    for (const r of rows) {
      if (!r.replaced_by || next.has(r.personal_id)) continue;
      next.set(r.personal_id, r.replaced_by);
      frontier.push(r.replaced_by);
    }
  }
  const currentOf = (id: string): string => {
    let at = id;
    for (let i = 0; i < 16 && next.has(at); i++) at = next.get(at) as string;
    return at;
  };
  const currents = [...new Set(personalIds.map(currentOf))];
  const earlier = new Map<string, string[]>(currents.map((c) => [c, []]));
  if (currents.length > 0) {
    const rows = await inGroups(currents, (ids) =>
      db.selectFrom('citizen_history').select(['personal_id', 'changes']).where('personal_id', 'in', ids).where('change_kind', '=', 'reissuePersonalId').orderBy('personal_id').orderBy('version', 'desc').execute(),
    );
    for (const r of rows) {
      const before = (JSON.parse(r.changes) as { personalId?: [unknown, unknown] }).personalId?.[0];
      if (typeof before === 'string') earlier.get(r.personal_id)?.push(before);
    }
  }
  const out = new Map<string, string[]>();
  for (const id of personalIds) {
    const current = currentOf(id);
    // The chain walked forward is the person's too, should the history lack a step.
    const walked: string[] = [];
    for (let at = id; at !== current; at = next.get(at) as string) walked.push(at);
    out.set(id, [...new Set([current, ...(earlier.get(current) ?? []), ...walked])]);
  }
  return out;
}

/** One person's numbers: the current one first, then the earlier ones. */
export async function numbersOfPerson(db: Db, personalId: string): Promise<string[]> {
  return (await numbersOfPeople(db, [personalId])).get(personalId) ?? [personalId];
}
