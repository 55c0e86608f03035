/**
 * Whether a citizen's e-ID account may sign in now (decision 0042): its level, its state at this
 * instant (a pending account past its deadline is lapsed even before the sweep marks it) and its
 * lock. Read on every sign-in step, and by the OpenID Connect provider on every token issue,
 * refresh and userinfo, so a lock or a lapse is effective at once. Imports nothing of sign-in, so
 * sign-in can import it.
 */
import { effectiveState, type EidLevel, type EidState } from '../../domain/eid/rules.js';
import { findEidAccount, findEidAccountOfPerson, type EidAccount } from '../../store/repositories/eid-accounts.js';
import { findAccount } from '../../store/repositories/login-accounts.js';
import { numbersOfPerson } from '../../store/repositories/personal-ids.js';
import type { Db } from '../../store/schema.js';

export interface CitizenSignInState {
  level: EidLevel;
  state: EidState;
  locked: boolean;
  lockKind?: 'self' | 'authority';
}

/**
 * The person's e-ID account, named by any number they have held: a legal re-issue leaves the
 * account (and its login) under the number it was made with, and it is still theirs.
 */
export async function eidAccountOfPerson(db: Db, personalId: string): Promise<EidAccount | undefined> {
  return findEidAccountOfPerson(db, await numbersOfPerson(db, personalId));
}

/** The e-ID account's level, state (at `nowMs`, default now) and lock; undefined when the principal holds none. */
export async function citizenSignInState(db: Db, principalId: string, nowMs: number = Date.now()): Promise<CitizenSignInState | undefined> {
  const a = await findEidAccount(db, principalId);
  if (!a) return undefined;
  const locked = (await findAccount(db, principalId))?.lockedAt !== undefined;
  return { level: a.level, state: effectiveState(a, nowMs), locked, ...(locked && a.lockKind ? { lockKind: a.lockKind } : {}) };
}

/**
 * Why an account may not sign in now, or undefined when it may (officers' accounts hold no e-ID
 * row: nothing here refuses them; their lock is sign-in's own check).
 */
export async function eidSignInRefusal(db: Db, principalId: string, nowMs: number): Promise<'pending-activation' | 'lapsed' | 'locked' | undefined> {
  const s = await citizenSignInState(db, principalId, nowMs);
  if (!s) return undefined;
  if (s.locked) return 'locked';
  return s.state === 'active' ? undefined : s.state;
}
