import { createContext, useContext } from 'react';
import type { ApiClient } from './api/client';

export interface Session {
  api: ApiClient;
  expiresAt: number;
  /** Who is signed in (GET /admin/session), once known. */
  user?: { username: string; role: string; endsAt: string };
  logout(reason?: string): void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a logged-in console');
  return session;
}
