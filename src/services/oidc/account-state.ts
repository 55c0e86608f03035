/**
 * Whether a citizen may be given anything by the OpenID Connect provider, read at every
 * authorization, token issue, refresh and UserInfo call (decision 0043): the e-ID account's level,
 * state and lock by the same check sign-in makes (services/eid/state.ts: a pending account past its
 * deadline is lapsed even before the sweep marks it) and the principal's revocation, straight from
 * the store (no cache), so a lock is effective on the very next request.
 */
import type { Db } from '../../store/schema.js';
import type { Level } from '../../domain/oidc/claims.js';
import { findPrincipal } from '../../store/repositories/principals.js';
import { citizenSignInState } from '../eid/state.js';
import { currentPersonalId } from '../../store/repositories/personal-ids.js';

export interface CitizenState {
  principalId: string;
  personalId: string;
  level: Level;
  /** Given anything only when active, unlocked, and its principal not revoked. */
  usable: boolean;
}

export async function citizenStateOf(db: Db, principalId: string, nowMs: number): Promise<CitizenState | undefined> {
  const [s, p] = await Promise.all([citizenSignInState(db, principalId, nowMs), findPrincipal(db, principalId)]);
  if (!s || !p?.personalId) return undefined;
  // An account bound to a number since cancelled (a legal re-issue) is the person's under their current one.
  const personalId = await currentPersonalId(db, p.personalId);
  return { principalId, personalId, level: s.level, usable: s.state === 'active' && !s.locked && !p.revokedAt };
}
