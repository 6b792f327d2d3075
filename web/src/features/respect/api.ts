/** The respect API (src/modules/respect/respect.routes.ts) for the web app. */
import { useQuery } from '@tanstack/react-query';
import { get, qs } from '../../lib/api';
import type { ApiOk, Item } from '../../api/types';

export type MeasureKind = 'warning' | 'cool_off' | 'restriction' | 'ban';
export const KINDS: MeasureKind[] = ['warning', 'cool_off', 'restriction', 'ban'];
export const REASONS = ['insult', 'threat', 'harassment', 'discrimination', 'other'] as const;
export const CHANNELS = ['email', 'chat', 'web', 'phone'] as const;

export interface Evidence {
  source: 'message' | 'community' | 'public';
  messageId?: string;
  ref?: string;
  text: string;
  abuse: 'abuse' | 'criticism' | 'none';
  threat: boolean;
}
export interface Measure {
  id: string;
  customerId: string;
  customerName: string | null;
  conversationId: string | null;
  conversationNumber: number | null;
  kind: MeasureKind;
  channels: string[] | null;
  reasonCategory: string;
  reasonText: string;
  evidence: Evidence[];
  abusedUserIds: string[];
  reporterId: string;
  reporterName: string | null;
  status: string;
  durationDays: number;
  until: string | null;
  decidedBy: string | null;
  decidedByName: string | null;
  createdAt: string;
  openAppeals: number;
}
export interface Appeal {
  id: string;
  measureId: string;
  text: string;
  source: 'customer' | 'agent';
  status: string;
  createdAt: string;
  kind: MeasureKind;
  reasonCategory: string;
  customerId: string;
  customerName: string | null;
  reporterId: string;
  approvedBy: string | null;
  abusedUserIds: string[];
}
export interface Report {
  from: string;
  to: string;
  byReasonAndKind: { reasonCategory: string; kind: MeasureKind; n: number }[];
  byStatus: { status: string; n: number }[];
  byReporter: { reporterId: string; name: string | null; n: number }[];
  refusedAsCriticism: number;
  appeals: { open: number; upheld: number; overturned: number };
}
/** A message flagged for the respect policy (GET /listening/flags). */
export type Flag = Item<ApiOk<'/api/v1/listening/flags', 'get'>['items']>;

export const useMeasures = (params: { status?: string; customerId?: string; awaiting?: 'me' }, enabled = true) =>
  useQuery({ queryKey: ['respect', 'measures', params], queryFn: () => get<{ items: Measure[] }>(`/respect/measures${qs(params)}`).then((r) => r.items), enabled });
export const useAppeals = (enabled: boolean) =>
  useQuery({ queryKey: ['respect', 'appeals'], queryFn: () => get<{ items: Appeal[] }>('/respect/appeals?status=open').then((r) => r.items), enabled });
export const useReport = (enabled: boolean) => useQuery({ queryKey: ['respect', 'report'], queryFn: () => get<Report>('/respect/report'), enabled });
export const useFlags = (enabled: boolean) =>
  useQuery({ queryKey: ['respect', 'flags'], queryFn: () => get<{ items: Flag[] }>('/listening/flags?limit=50').then((r) => r.items), enabled });
