/**
 * Whether a citizen may be given anything by the OpenID Connect provider, read at every
 * authorization, token issue, refresh and UserInfo call (decision 0043): the e-ID account's level
 * and state, the lock of its login account and the principal's revocation, in one read straight
 * from the store (no cache), so a lock is effective on the very next request. Only an active
 * account is usable: a pending one is not yet activated, a lapsed one never signs in again.
 *
 * (Brief A's citizenSignInState in services/eid/state.ts answers the same question for sign-in; it
 * was not committed when this was written — one of the two should go once both are in.)
 */
import type { Db } from '../../store/schema.js';
import type { Level } from '../../domain/oidc/claims.js';

export interface CitizenState {
  principalId: string;
  personalId: string;
  level: Level;
  /** Given anything only when active, unlocked, and its principal not revoked. */
  usable: boolean;
}

export async function citizenStateOf(db: Db, principalId: string): Promise<CitizenState | undefined> {
  const r = await db
    .selectFrom('eid_account as e')
    .innerJoin('login_account as l', 'l.principal_id', 'e.principal_id')
    .innerJoin('principal as p', 'p.id', 'e.principal_id')
    .select(['e.principal_id', 'e.personal_id', 'e.level', 'e.state', 'l.locked_at', 'p.revoked_at'])
    .where('e.principal_id', '=', principalId)
    .executeTakeFirst();
  if (!r) return undefined;
  return { principalId: r.principal_id, personalId: r.personal_id, level: Number(r.level) === 2 ? 2 : 1, usable: r.state === 'active' && !r.locked_at && !r.revoked_at };
}
