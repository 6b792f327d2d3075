/** Service with heart: types and queries over /api/v1/heart. Amounts are minor units (cents). */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { get, post, put, qs } from '../../lib/api';
import type { ApiBody, ApiOk, Item } from '../../api/types';

export const KINDS = ['gift', 'replacement', 'free_delivery', 'refund', 'other'] as const satisfies readonly Kind[];
export type Kind = Spend['kind'];

export type Settings = ApiOk<'/api/v1/heart/settings', 'get'>;
export type Report = ApiOk<'/api/v1/heart/report', 'get'>;
/** What an agent's and a team's month look like (the report's common columns). */
export type Standing = Pick<Item<Report['teams']>, 'budget' | 'spent' | 'pending' | 'remaining'>;
export type Spend = Item<ApiOk<'/api/v1/heart/spends', 'get'>['items']>;
export type PolicyException = Item<ApiOk<'/api/v1/heart/exceptions', 'get'>['items']>;
export type FeedMoment = Item<ApiOk<'/api/v1/heart/moments', 'get'>['items']>;
export type ConversationHeart = ApiOk<'/api/v1/heart/conversations/{id}', 'get'>;
export type Moment = Item<ConversationHeart['moments']>;
export type UrgencyReason = Item<ConversationHeart['urgency']>;

export const useSettings = () => useQuery({ queryKey: ['heart', 'settings'], queryFn: () => get<Settings>('/heart/settings') });
export const useReport = (month: string) =>
  useQuery({ queryKey: ['heart', 'report', month], queryFn: () => get<Report>(`/heart/report${qs({ month })}`) });
export const useSpends = (status?: string) =>
  useQuery({ queryKey: ['heart', 'spends', status ?? 'all'], queryFn: () => get<{ items: Spend[] }>(`/heart/spends${qs({ status, limit: 50 })}`).then((r) => r.items) });
export const useExceptions = (month?: string) =>
  useQuery({ queryKey: ['heart', 'exceptions', month ?? 'all'], queryFn: () => get<{ items: PolicyException[] }>(`/heart/exceptions${qs({ month })}`).then((r) => r.items) });
export const useFeed = () =>
  useQuery({ queryKey: ['heart', 'moments'], queryFn: () => get<{ items: FeedMoment[] }>('/heart/moments?limit=50').then((r) => r.items) });
export const useConversationHeart = (id: string) =>
  useQuery({ queryKey: ['heart', 'conversation', id], queryFn: () => get<ConversationHeart>(`/heart/conversations/${id}`) });

/** A mutation that refreshes everything heart (and the conversation, which gets a note). */
export function useHeartMutation<I>(fn: (input: I) => Promise<unknown>, conversationId?: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['heart'] });
      if (conversationId) void qc.invalidateQueries({ queryKey: ['conversation', conversationId] });
    },
  });
}

export const decide = (id: string, decision: 'approve' | 'reject', note?: string) => post<Spend>(`/heart/spends/${id}/decision`, { decision, note });
export const kudos = (id: string) => post<ApiOk<'/api/v1/heart/moments/{id}/kudos', 'post'>>(`/heart/moments/${id}/kudos`);
export const withdraw = (id: string) => post<Moment>(`/heart/moments/${id}/withdraw-consent`, {});
export const saveSettings = (s: ApiBody<'/api/v1/heart/settings', 'put'>) => put<Settings>('/heart/settings', s);

/** 12.5 → 1250 */
export const toMinor = (major: number | string) => Math.round(Number(major) * 100);
export function money(minor: number, currency: string, locale: string) {
  try {
    const tag = locale === 'nb' ? 'nb-NO' : locale === 'de' ? 'de-DE' : locale === 'en' ? 'en-GB' : locale;
    return new Intl.NumberFormat(tag, { style: 'currency', currency }).format(minor / 100);
  } catch {
    return `${(minor / 100).toFixed(2)} ${currency}`;
  }
}
