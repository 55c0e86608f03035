/**
 * Who is signed in: GET /auth/session on load (it answers the CSRF token for the cookie session),
 * refreshed after sign-in, cleared by sign-out. Signed out is a 401, not an error.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, setCsrfToken } from './api/client.js';

export interface Me {
  principalId: string;
  name: string;
  role: string;
  unit?: string;
  sessionId?: string;
  csrfToken?: string;
}

export type SessionState = { status: 'loading' } | { status: 'signed-out' } | { status: 'signed-in'; me: Me };

interface SessionApi {
  session: SessionState;
  refresh(): Promise<void>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<SessionApi>({ session: { status: 'loading' }, refresh: async () => undefined, signOut: async () => undefined });

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<SessionState>({ status: 'loading' });
  const refresh = useCallback(async () => {
    try {
      const me = await api<Me>('GET', '/auth/session');
      setCsrfToken(me.csrfToken);
      setSession({ status: 'signed-in', me });
    } catch {
      // 401 is simply signed out; any other failure leaves the public pages usable the same way.
      setCsrfToken(undefined);
      setSession({ status: 'signed-out' });
    }
  }, []);
  const signOut = useCallback(async () => {
    try {
      await api('POST', '/auth/sign-out');
    } finally {
      setCsrfToken(undefined);
      setSession({ status: 'signed-out' });
    }
  }, []);
  useEffect(() => {
    void refresh();
  }, [refresh]);
  const value = useMemo(() => ({ session, refresh, signOut }), [session, refresh, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionApi {
  return useContext(SessionContext);
}

/** The signed-in role, if any. */
export function roleOf(session: SessionState): string | undefined {
  return session.status === 'signed-in' ? session.me.role : undefined;
}
