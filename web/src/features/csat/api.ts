/** The satisfaction API (GET /csat/report, /csat/points, /conversations/:id/csat); types from the generated API types. */
import { useQuery, keepPreviousData } from '@tanstack/react-query';
import { get, qs } from '../../lib/api';
import type { ApiOk, ApiQuery, Item } from '../../api/types';

export type CsatFilter = ApiQuery<'/api/v1/csat/report', 'get'>;
export type CsatReport = ApiOk<'/api/v1/csat/report', 'get'>;
export type CsatPoints = ApiOk<'/api/v1/csat/points', 'get'>;
export type CsatState = ApiOk<'/api/v1/conversations/{id}/csat', 'get'>;
export type CsatComment = Item<CsatReport['comments']>;
export type CsatPoint = Item<CsatPoints['points']>;
export type CsatBucket = Item<CsatPoints['buckets']>;
/** Responses, average and CSAT: what every group of answers reports. */
export type Agg = CsatPoints['unknownWait'];

export const useCsatReport = (f: CsatFilter, enabled = true) =>
  useQuery({ queryKey: ['csat', 'report', f], queryFn: () => get<CsatReport>(`/csat/report${qs({ ...f })}`), placeholderData: keepPreviousData, enabled });
export const useCsatPoints = (f: CsatFilter, enabled = true) =>
  useQuery({ queryKey: ['csat', 'points', f], queryFn: () => get<CsatPoints>(`/csat/points${qs({ ...f })}`), placeholderData: keepPreviousData, enabled });
/** Under ['conversation', id] so the realtime refresh of the conversation refreshes it too. */
export const useCsatState = (conversationId: string) =>
  useQuery({ queryKey: ['conversation', conversationId, 'csat'], queryFn: () => get<CsatState>(`/conversations/${conversationId}/csat`) });
