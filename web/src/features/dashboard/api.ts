/** The dashboards' data: the waits report, its distribution, journeys, the live wall (types from the API's schemas). */
import { useQuery, keepPreviousData } from '@tanstack/react-query';
import { get, qs } from '../../lib/api';
import type { ApiOk, ApiQuery, Item } from '../../api/types';

export type WaitsReport = ApiOk<'/api/v1/reports/waits', 'get'>;
export type Distribution = ApiOk<'/api/v1/reports/waits/distribution', 'get'>;
export type Histogram = Distribution['contactWaits'];
export type Journey = Item<ApiOk<'/api/v1/journeys', 'get'>['items']>;
export type JourneyContact = Item<Journey['contacts']>;
export type LiveWall = ApiOk<'/api/v1/reports/live', 'get'>;
export type LiveQueue = Item<LiveWall['queues']>;
export type Agent = Item<LiveWall['agents']['available']>;
export type Presence = Agent['presence'];
export const PRESENCES: Presence[] = ['available', 'busy', 'away', 'offline'];

/** The filters of the dashboard, as sent to the API. */
export interface Filters {
  from?: string;
  to?: string;
  queue?: string;
  channel?: string;
  threshold: number;
}

const base = (f: Filters) => ({ from: f.from, to: f.to, queue: f.queue, channel: f.channel });

export const useWaits = (f: Filters) =>
  useQuery({ queryKey: ['reports', 'waits', f], queryFn: () => get<WaitsReport>(`/reports/waits${qs({ ...base(f), threshold: f.threshold })}`), placeholderData: keepPreviousData });

export const useHeat = (f: Filters) =>
  useQuery({
    queryKey: ['reports', 'waits', 'weekday-hour', f],
    queryFn: () => get<WaitsReport>(`/reports/waits${qs({ ...base(f), threshold: f.threshold, by: 'weekday-hour' })}`),
    placeholderData: keepPreviousData,
  });

export const useDistribution = (f: Filters) =>
  useQuery({ queryKey: ['reports', 'distribution', base(f)], queryFn: () => get<Distribution>(`/reports/waits/distribution${qs(base(f))}`), placeholderData: keepPreviousData });

export const useMultiAttempt = (f: Filters, limit: number) =>
  useQuery({
    queryKey: ['reports', 'journeys', f.from, f.to, limit],
    queryFn: () => get<{ items: Journey[] }>(`/journeys${qs({ from: f.from, to: f.to, multiAttempt: true, limit })}`),
    placeholderData: keepPreviousData,
  });

export const useLive = () => useQuery({ queryKey: ['reports', 'live'], queryFn: () => get<LiveWall>('/reports/live'), refetchInterval: 10_000 });

export const CHANNELS = ['email', 'chat', 'web', 'phone', 'api'] as const;

/** The anecdote audit (GET /reports/anecdotes, src/modules/listening/anecdotes.ts). */
export type AnecdoteReport = ApiOk<'/api/v1/reports/anecdotes', 'get'>;
export type AnecdoteFigures = AnecdoteReport['total'];
export type AnecdoteExample = Item<AnecdoteFigures['examples']['contradicted']>;
export type AnecdoteGroup = NonNullable<ApiQuery<'/api/v1/reports/anecdotes', 'get'>['by']>;

/** The audit for the dashboard's period ("all" = since 1970: the API's own default is the last 28 days). */
export const useAnecdotes = (f: Filters, by: AnecdoteGroup) =>
  useQuery({
    queryKey: ['reports', 'anecdotes', f.from, f.to, by],
    queryFn: () => get<AnecdoteReport>(`/reports/anecdotes${qs({ from: f.from ?? (f.to ? undefined : '1970-01-01'), to: f.to, by })}`),
    placeholderData: keepPreviousData,
  });
