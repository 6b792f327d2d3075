/** The satisfaction API (GET /csat/report, /csat/points, /conversations/:id/csat); types mirror the server. */
import { useQuery, keepPreviousData } from '@tanstack/react-query';
import { get, qs } from '../../lib/api';

export interface CsatFilter {
  from?: string;
  to?: string;
  queue?: string;
  channel?: string;
}
export interface Agg {
  responses: number;
  average: number | null;
  csat: number | null;
}
export interface CsatComment {
  conversationId: string;
  number: number;
  subject: string;
  channel: string;
  score: number;
  comment: string;
  source: string;
  at: string;
}
export interface CsatReport extends Agg {
  from: string;
  to: string;
  responseRate: number | null;
  surveys: { sent: number; email: number; chat: number; noRoute: number; reminded: number; answered: number };
  distribution: Record<string, number>;
  bySource: Record<string, number>;
  byQueue: (Agg & { queueId: string | null; queueName: string | null })[];
  byChannel: (Agg & { channel: string })[];
  comments: CsatComment[];
}
export interface CsatPoint {
  conversationId: string;
  number: number;
  channel: string;
  score: number;
  at: string;
  livedWaitSeconds: number | null;
  queueWaitSeconds: number | null;
}
export interface CsatBucket extends Agg {
  key: string;
  from: number;
  to: number | null;
}
export interface CsatPoints {
  points: CsatPoint[];
  buckets: CsatBucket[];
  unknownWait: Agg;
}
export interface CsatState {
  conversationId: string;
  survey: null | { route: 'email' | 'chat' | 'no_route'; language: string; sentAt: string; remindedAt: string | null; expiresAt: string; question: string };
  answer: null | { score: number; comment: string | null; source: 'portal' | 'survey' | 'chat'; at: string };
}

export const useCsatReport = (f: CsatFilter, enabled = true) =>
  useQuery({ queryKey: ['csat', 'report', f], queryFn: () => get<CsatReport>(`/csat/report${qs({ ...f })}`), placeholderData: keepPreviousData, enabled });
export const useCsatPoints = (f: CsatFilter, enabled = true) =>
  useQuery({ queryKey: ['csat', 'points', f], queryFn: () => get<CsatPoints>(`/csat/points${qs({ ...f })}`), placeholderData: keepPreviousData, enabled });
/** Under ['conversation', id] so the realtime refresh of the conversation refreshes it too. */
export const useCsatState = (conversationId: string) =>
  useQuery({ queryKey: ['conversation', conversationId, 'csat'], queryFn: () => get<CsatState>(`/conversations/${conversationId}/csat`) });
