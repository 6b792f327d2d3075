/** Types and queries of the leaders screen (GET/POST /api/v1/leaders…). */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { get, post, put, del, qs } from '../../lib/api';

export interface FollowThrough {
  customerReplied: boolean;
  customerRepliedAt: string | null;
  conversationStatus: string;
  satisfaction: { score: number; comment: string | null; at: string } | null;
  timeToAnswerSeconds: number;
}
export interface Item {
  id: string;
  leaderId: string;
  leaderName: string;
  assigneeId: string;
  assigneeName: string;
  reason: 'cap' | 'absence' | null;
  conversationId: string;
  conversationNumber: number;
  subject: string;
  channel: string;
  conversationStatus: string;
  customerName: string | null;
  day: string;
  status: 'drawn' | 'prepared' | 'answered' | 'handed_back';
  summary: string | null;
  proposedAnswer: string | null;
  notes: string | null;
  preparedByName: string | null;
  answeredAt: string | null;
  handBackReason: string | null;
  followThrough: FollowThrough | null;
}
export interface Findings {
  lang: string;
  urgency: string | null;
  abuse: string;
  threat: boolean;
  waitComplaint: boolean;
  waitMinutes: number | null;
}
export interface ItemDetail extends Item {
  messages: { id: string; kind: string; authorType: string; authorName: string | null; text: string; createdAt: string; findings: Findings | null }[];
  journey: { kind: string; channel: string; at: string; livedWaitSeconds: number | null; outcome: string | null; subject?: string; number?: number }[];
}
export interface Leader {
  userId: string;
  name: string;
  email: string;
  requestsPerDay: number;
  weeklyCap: number;
  deputyId: string | null;
  deputyName: string | null;
  timezone: string;
  digestHour: number;
  workingDays: number[];
  dedupDays: number;
  stratify: string[];
  weekCount: number;
  absentToday: boolean;
  absences: { id: string; from: string; to: string; note: string }[];
}
export interface Today {
  prepared: ItemDetail[];
  beingPrepared: { id: string; conversationNumber: number; subject: string; channel: string; day: string }[];
  answered: Item[];
  week: { week: string; count: number; cap: number | null };
}

export const useToday = (enabled: boolean) =>
  useQuery({ queryKey: ['leaders', 'today'], queryFn: () => get<Today>('/leaders/today'), enabled, refetchInterval: 60_000 });
export const useItems = (f: { status?: string; conversationId?: string }) =>
  useQuery({ queryKey: ['leaders', 'items', f], queryFn: () => get<{ items: Item[] }>(`/leaders/items${qs(f)}`).then((r) => r.items), refetchInterval: 60_000 });
export const useItem = (id: string | null) =>
  useQuery({ queryKey: ['leaders', 'item', id], queryFn: () => get<ItemDetail>(`/leaders/items/${id}`), enabled: !!id });
export const useLeaders = () => useQuery({ queryKey: ['leaders', 'list'], queryFn: () => get<{ items: Leader[] }>('/leaders').then((r) => r.items) });
export const useDigest = (id: string | null) =>
  useQuery({ queryKey: ['leaders', 'digest', id], queryFn: () => get<{ subject: string; text: string; to: string }>(`/leaders/${id}/digest`), enabled: !!id });

/** A mutation that refreshes everything of the leaders screen afterwards. */
export function useLeadersMutation<A>(fn: (a: A) => Promise<unknown>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => qc.invalidateQueries({ queryKey: ['leaders'] }) });
}
export const api = {
  prepare: (id: string, b: { summary: string; proposedAnswer: string; notes?: string }) => post(`/leaders/items/${id}/prepare`, b),
  answer: (id: string, text: string) => post(`/leaders/items/${id}/answer`, { text }),
  handBack: (id: string, reason: string) => post(`/leaders/items/${id}/hand-back`, { reason }),
  settings: (id: string, b: Record<string, unknown>) => put(`/leaders/${id}/settings`, b),
  absence: (id: string, b: { from: string; to: string; note?: string }) => post(`/leaders/${id}/absences`, b),
  removeAbsence: (id: string, absenceId: string) => del(`/leaders/${id}/absences/${absenceId}`),
  draw: () => post('/leaders/draws', {}),
};
