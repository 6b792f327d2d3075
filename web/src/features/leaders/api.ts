/** Types and queries of the leaders screen (GET/POST /api/v1/leaders…). */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { get, post, put, del, qs } from '../../lib/api';
import type { ApiBody, ApiOk, Item as Item_ } from '../../api/types';

export type Item = Item_<ApiOk<'/api/v1/leaders/items', 'get'>['items']>;
export type FollowThrough = NonNullable<Item['followThrough']>;
export type ItemDetail = ApiOk<'/api/v1/leaders/items/{id}', 'get'>;
export type Findings = NonNullable<Item_<ItemDetail['messages']>['findings']>;
export type Leader = Item_<ApiOk<'/api/v1/leaders', 'get'>['items']>;
export type Stratum = Item_<Leader['stratify']>;
export type Today = ApiOk<'/api/v1/leaders/today', 'get'>;
export type Digest = ApiOk<'/api/v1/leaders/{id}/digest', 'get'>;

export const useToday = (enabled: boolean) =>
  useQuery({ queryKey: ['leaders', 'today'], queryFn: () => get<Today>('/leaders/today'), enabled, refetchInterval: 60_000 });
export const useItems = (f: { status?: string; conversationId?: string }) =>
  useQuery({ queryKey: ['leaders', 'items', f], queryFn: () => get<{ items: Item[] }>(`/leaders/items${qs(f)}`).then((r) => r.items), refetchInterval: 60_000 });
export const useItem = (id: string | null) =>
  useQuery({ queryKey: ['leaders', 'item', id], queryFn: () => get<ItemDetail>(`/leaders/items/${id}`), enabled: !!id });
export const useLeaders = () => useQuery({ queryKey: ['leaders', 'list'], queryFn: () => get<{ items: Leader[] }>('/leaders').then((r) => r.items) });
export const useDigest = (id: string | null) =>
  useQuery({ queryKey: ['leaders', 'digest', id], queryFn: () => get<Digest>(`/leaders/${id}/digest`), enabled: !!id });

/** A mutation that refreshes everything of the leaders screen afterwards. */
export function useLeadersMutation<A>(fn: (a: A) => Promise<unknown>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => qc.invalidateQueries({ queryKey: ['leaders'] }) });
}
export const api = {
  prepare: (id: string, b: ApiBody<'/api/v1/leaders/items/{id}/prepare', 'post'>) => post<Item>(`/leaders/items/${id}/prepare`, b),
  answer: (id: string, text: string) => post<ApiOk<'/api/v1/leaders/items/{id}/answer', 'post'>>(`/leaders/items/${id}/answer`, { text }),
  handBack: (id: string, reason: string) => post<Item>(`/leaders/items/${id}/hand-back`, { reason }),
  settings: (id: string, b: ApiBody<'/api/v1/leaders/{id}/settings', 'put'>) => put<ApiOk<'/api/v1/leaders/{id}/settings', 'put'>>(`/leaders/${id}/settings`, b),
  absence: (id: string, b: ApiBody<'/api/v1/leaders/{id}/absences', 'post'>) => post<ApiOk<'/api/v1/leaders/{id}/absences', 'post'>>(`/leaders/${id}/absences`, b),
  removeAbsence: (id: string, absenceId: string) => del(`/leaders/${id}/absences/${absenceId}`),
  draw: () => post<ApiOk<'/api/v1/leaders/draws', 'post'>>('/leaders/draws', {}),
};
