/** Who is signed in (GET /me), shared through React Query; 401 means signed out. */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { get, post } from './api';
import type { ApiOk } from '../api/types';

/** Who is signed in: role, kind (user or token), the user (null for a token) and the account. */
export type Me = ApiOk<'/api/v1/me', 'get'>;
export type Role = Me['role'];
type Session = ApiOk<'/api/v1/auth/session', 'get'>;

export function useMe() {
  return useQuery<Me | null>({
    queryKey: ['me'],
    // /auth/session answers 200 when signed out too: a 401 would be logged as a console error by the browser.
    queryFn: async () => {
      const s = await get<Session>('/auth/session');
      return s.signedIn ? s : null;
    },
    staleTime: 60_000,
  });
}

export function useSignOut() {
  const qc = useQueryClient();
  return async () => {
    await post('/auth/logout');
    // Not qc.clear(): it drops the ['me'] query under its mounted observer, which then never sees the null and the
    // app stayed on the signed-in screens (the e2e sign-out test caught it). Set me first, then forget the rest.
    qc.setQueryData(['me'], null);
    qc.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
  };
}

/** What each role may do (mirrors src/platform/context.ts). */
export const can = (role: Role | undefined, cap: 'conversations' | 'manage' | 'reports' | 'admin') =>
  !!role &&
  ({
    agent: ['conversations'],
    supervisor: ['conversations', 'manage', 'reports'],
    leader: ['conversations', 'reports'],
    admin: ['conversations', 'manage', 'reports', 'admin'],
  } as Record<Role, string[]>)[role].includes(cap);
