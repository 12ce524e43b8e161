import { createContext, useContext } from 'react';
import type { AdminSessionView } from '@tessera/contracts';
import type { ApiClient } from './api/client';

export interface Session {
  api: ApiClient;
  expiresAt: number;
  /** Who is signed in (GET /admin/session), once known. */
  user?: Pick<AdminSessionView, 'username' | 'role' | 'endsAt'>;
  logout(reason?: string): void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a logged-in console');
  return session;
}
