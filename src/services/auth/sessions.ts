/**
 * Signed-in sessions (decision 0038). The cookie carries a random secret (`dcs_…`); only its
 * SHA-256 is stored, as for tokens. Idle and absolute expiry are checked on every request
 * (domain/auth/limits.ts); the last-seen time is written at most once a minute. The CSRF token of a
 * session is derived from its secret, so nothing more is stored and only the cookie's holder can
 * know it.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { RegistryError } from '../../domain/errors/registry-error.js';
import { sessionEndsAt, sessionState, type SessionPolicy } from '../../domain/auth/limits.js';
import { findSessionByHash, insertSession, listSessions, lockPrincipal, revokeSessions, touchSession, type AuthSession } from '../../store/repositories/login-accounts.js';
import { findPrincipal, type Principal } from '../../store/repositories/principals.js';
import { asCurrentPerson, hashToken } from '../principals.js';
import { appendPrincipalEvent } from '../../store/repositories/principal-events.js';
import type { Db } from '../../store/schema.js';
import type { Store } from '../../store/connect.js';
import type { Clock } from '../clock.js';

export const SESSION_PREFIX = 'dcs_';
/** Writing last-seen on every request would make every read a write: once a minute is enough. */
const TOUCH_EVERY_MS = 60_000;

export function sessionHashOf(secret: string): string {
  return hashToken(secret);
}

/** The CSRF token that goes with a session cookie (X-CSRF-Token on every cookie-authenticated change). */
export function csrfTokenOf(secret: string): string {
  return createHash('sha256').update(`dancu-csrf\u0000${secret}`).digest('base64url');
}

export interface NewSession {
  secret: string;
  sessionId: string;
  csrfToken: string;
  createdAt: string;
}

/** Opens a session in the caller's transaction (the sign-in's). */
export async function openSession(tx: Db, principalId: string, at: string, client: { sourceIp?: string | undefined; userAgent?: string | undefined }): Promise<NewSession> {
  const secret = SESSION_PREFIX + randomBytes(32).toString('base64url');
  const sessionId = randomUUID();
  await insertSession(tx, sessionHashOf(secret), {
    sessionId,
    principalId,
    createdAt: at,
    lastSeenAt: at,
    ...(client.sourceIp ? { sourceIp: client.sourceIp.slice(0, 64) } : {}),
    ...(client.userAgent ? { userAgent: client.userAgent.slice(0, 200) } : {}),
  });
  return { secret, sessionId, csrfToken: csrfTokenOf(secret), createdAt: at };
}

export interface SessionView {
  sessionId: string;
  createdAt: string;
  lastSeenAt: string;
  endsAt: string;
  state: 'active' | 'revoked' | 'idle' | 'expired';
  current: boolean;
  revokedAt?: string;
  sourceIp?: string;
  userAgent?: string;
}

function viewOf(s: AuthSession, nowMs: number, policy: SessionPolicy, current?: string): SessionView {
  return {
    sessionId: s.sessionId,
    createdAt: s.createdAt,
    lastSeenAt: s.lastSeenAt,
    endsAt: sessionEndsAt(s, policy),
    state: sessionState(s, nowMs, policy),
    current: s.sessionId === current,
    ...(s.revokedAt ? { revokedAt: s.revokedAt } : {}),
    ...(s.sourceIp ? { sourceIp: s.sourceIp } : {}),
    ...(s.userAgent ? { userAgent: s.userAgent } : {}),
  };
}

/**
 * The principal of a session cookie, if the session is active and its principal and account may
 * still act; the session's last-seen time moves on. Undefined otherwise (401 at the edge).
 */
export async function authenticateSession(store: Store, clock: Clock, secret: string, policy: SessionPolicy): Promise<{ principal: Principal; sessionId: string } | undefined> {
  if (!secret.startsWith(SESSION_PREFIX)) return undefined;
  const hash = sessionHashOf(secret);
  const s = await findSessionByHash(store.db, hash);
  if (!s || s.accountLocked) return undefined;
  const now = clock.now();
  if (sessionState(s, now.getTime(), policy) !== 'active') return undefined;
  const principal = await findPrincipal(store.db, s.principalId);
  if (!principal || principal.revokedAt) return undefined;
  if (now.getTime() - Date.parse(s.lastSeenAt) >= TOUCH_EVERY_MS) await touchSession(store.db, hash, now.toISOString());
  // As a bearer token's: a session opened before a re-issue acts under the person's current number.
  return { principal: await asCurrentPerson(store.db, principal), sessionId: s.sessionId };
}

export async function mySessions(store: Store, clock: Clock, principalId: string, policy: SessionPolicy, current?: string): Promise<SessionView[]> {
  const nowMs = clock.now().getTime();
  return (await listSessions(store.db, principalId)).map((s) => viewOf(s, nowMs, policy, current));
}

/**
 * Ends sessions of `principalId`: one (`sessionId`), or all but `except`; recorded as one
 * `session-revoked` (or `signed-out` for one's own current session) event. Returns the IDs ended.
 */
export async function endSessions(store: Store, clock: Clock, principalId: string, actorId: string, which: { sessionId?: string; except?: string; signOut?: boolean }): Promise<string[]> {
  const at = clock.now().toISOString();
  return store.transaction(async (tx) => {
    await lockPrincipal(tx, principalId);
    const ids = await revokeSessions(tx, principalId, at, actorId, { ...(which.sessionId !== undefined ? { sessionId: which.sessionId } : {}), ...(which.except !== undefined ? { except: which.except } : {}) });
    if (which.sessionId !== undefined && ids.length === 0) throw new RegistryError('SESSION_NOT_FOUND');
    if (ids.length > 0) await appendPrincipalEvent(tx, { principalId, at, actorId, kind: which.signOut ? 'signed-out' : 'session-revoked', details: { sessionIds: ids } });
    return ids;
  });
}
