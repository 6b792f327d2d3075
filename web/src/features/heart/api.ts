/** Service with heart: types and queries over /api/v1/heart. Amounts are minor units (cents). */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { get, post, put, qs } from '../../lib/api';

export const KINDS = ['gift', 'replacement', 'free_delivery', 'refund', 'other'] as const;
export type Kind = (typeof KINDS)[number];

export interface Settings {
  currency: string;
  approvalThreshold: number;
  defaultAgentBudget: number;
  defaultTeamBudget: number;
}
export interface Standing {
  budget: number;
  spent: number;
  pending: number;
  remaining: number;
}
export interface Report {
  month: string;
  currency: string;
  approvalThreshold: number;
  scope: 'all' | 'own';
  agents: (Standing & { userId: string; name: string; role: string; exceptions: number })[];
  teams: (Standing & { teamId: string; name: string })[];
  kinds: { kind: Kind; count: number; spent: number; pending: number }[];
  totals: { spent: number; pending: number; exceptions: number };
}
export interface Spend {
  id: string;
  conversationId: string;
  conversationNumber: number;
  spenderId: string;
  spenderName: string;
  teamName: string | null;
  kind: Kind;
  amount: number;
  currency: string;
  description: string;
  month: string;
  status: 'pending' | 'approved' | 'rejected';
  approvalReasons: string[];
  decidedByName: string | null;
  decisionNote: string | null;
  createdAt: string;
}
export interface PolicyException {
  id: string;
  conversationId: string;
  conversationNumber: number;
  policy: string;
  action: string;
  reason: string;
  goodwillSpendId: string | null;
  createdByName: string;
  createdAt: string;
}
export interface FeedMoment {
  id: string;
  title: string;
  story: string;
  conversationId: string | null;
  conversationNumber: number | null;
  customerName: string | null;
  agentName: string | null;
  kudos: number;
  kudosByMe: boolean;
  mine: boolean;
  consent: boolean;
  sharing: 'team' | 'anonymised';
  createdAt: string;
}
export interface Moment {
  id: string;
  title: string;
  story: string;
  agentName: string;
  consentGiven: boolean;
  consentHow: string | null;
  consentWithdrawnAt: string | null;
  sharing: 'team' | 'anonymised' | 'private';
  kudos: number;
  createdAt: string;
}
export interface UrgencyReason {
  messageId: string;
  urgency: string;
  evidence: string | null;
  priority: { from: string; to: string } | null;
  messageAt: string;
}
export interface ConversationHeart {
  conversationId: string;
  priority: string;
  currency: string;
  approvalThreshold: number;
  urgency: UrgencyReason[];
  spends: Spend[];
  exceptions: PolicyException[];
  moments: Moment[];
}

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
export const kudos = (id: string) => post(`/heart/moments/${id}/kudos`);
export const withdraw = (id: string) => post(`/heart/moments/${id}/withdraw-consent`, {});
export const saveSettings = (s: Partial<Settings>) => put<Settings>('/heart/settings', s);

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
