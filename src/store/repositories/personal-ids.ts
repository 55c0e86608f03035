/**
 * Every personal ID ever issued, so that none is issued twice — not after death, not after
 * cancellation — and cancelled numbers keep resolving to the person through replaced_by.
 */
import type { Db } from '../schema.js';

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
