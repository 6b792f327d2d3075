/** The respect API (src/modules/respect/respect.routes.ts) for the web app. */
import { useQuery } from '@tanstack/react-query';
import { get, qs } from '../../lib/api';
import type { ApiBody, ApiOk, Item } from '../../api/types';

export type Measure = Item<ApiOk<'/api/v1/respect/measures', 'get'>['items']>;
export type MeasureDetail = ApiOk<'/api/v1/respect/measures/{id}', 'get'>;
export type Evidence = Item<Measure['evidence']>;
export type Appeal = Item<ApiOk<'/api/v1/respect/appeals', 'get'>['items']>;
export type Report = ApiOk<'/api/v1/respect/report', 'get'>;
export type MeasureKind = Measure['kind'];
export const KINDS = ['warning', 'cool_off', 'restriction', 'ban'] as const satisfies readonly MeasureKind[];
export const REASONS = ['insult', 'threat', 'harassment', 'discrimination', 'other'] as const satisfies readonly Measure['reasonCategory'][];
export const CHANNELS = ['email', 'chat', 'web', 'phone'] as const satisfies readonly NonNullable<ApiBody<'/api/v1/respect/measures', 'post'>['channels']>[number][];

/** A message flagged for the respect policy (GET /listening/flags). */
export type Flag = Item<ApiOk<'/api/v1/listening/flags', 'get'>['items']>;

export const useMeasures = (params: { status?: string; customerId?: string; awaiting?: 'me' }, enabled = true) =>
  useQuery({ queryKey: ['respect', 'measures', params], queryFn: () => get<{ items: Measure[] }>(`/respect/measures${qs(params)}`).then((r) => r.items), enabled });
export const useAppeals = (enabled: boolean) =>
  useQuery({ queryKey: ['respect', 'appeals'], queryFn: () => get<{ items: Appeal[] }>('/respect/appeals?status=open').then((r) => r.items), enabled });
export const useReport = (enabled: boolean) => useQuery({ queryKey: ['respect', 'report'], queryFn: () => get<Report>('/respect/report'), enabled });
export const useFlags = (enabled: boolean) =>
  useQuery({ queryKey: ['respect', 'flags'], queryFn: () => get<{ items: Flag[] }>('/listening/flags?limit=50').then((r) => r.items), enabled });
