/**
 * The store work of the provider's own sign-in pages (src/http/oidc.ts) besides the sign-in service:
 * whose challenge a step cookie names, and the dancu session a sign-in opened, ended at once (the
 * provider keeps its own). The pages call these, never the repositories (DESIGN §4).
 */
import { findChallenge, revokeSessions, type SignInChallenge } from '../../store/repositories/login-accounts.js';
import type { Store } from '../../store/connect.js';
import type { Clock } from '../clock.js';
import { hashToken } from '../principals.js';

/** The sign-in challenge a step cookie names (whose it is, which second factor), or undefined. */
export function pendingChallenge(store: Store, challenge: string): Promise<SignInChallenge | undefined> {
  return findChallenge(store.db, hashToken(challenge));
}

/** Ends the one session a provider sign-in opened, in its own transaction (no event: the citizen never held it). */
export async function endProviderSignInSession(store: Store, clock: Clock, principalId: string, sessionId: string): Promise<void> {
  await store.transaction((tx) => revokeSessions(tx, principalId, clock.now().toISOString(), principalId, { sessionId }));
}
