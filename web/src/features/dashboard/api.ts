/** The dashboards' data: the waits report, its distribution, journeys, the live wall (types mirror the API). */
import { useQuery, keepPreviousData } from '@tanstack/react-query';
import { get, qs } from '../../lib/api';

export interface Stats {
  mean: number | null;
  p50: number | null;
  p90: number | null;
  p99?: number | null;
}
export interface WaitsFigures {
  contacts: number;
  answered: number;
  queued: number;
  abandonedInQueue: number;
  waiting: number;
  reported: { asaSeconds: number | null; serviceLevel: number | null; thresholdSeconds: number; abandonRate: number | null };
  lived: { contactWaitSeconds: Stats };
  journeys: {
    answered: number;
    neverServed: number;
    stillWaiting: number;
    multiAttempt: number;
    waitSeconds: Stats;
    multiAttemptWaitSeconds: Stats;
    repeatContactRate: number | null;
    firstContactResolution: number | null;
    survival: { medianSeconds: number | null; points: { seconds: number; stillWaiting: number }[] };
  };
  gap: { livedP90OverReportedAsa: number | null; multiAttemptP50OverReportedAsa: number | null };
}
export interface WaitsReport extends WaitsFigures {
  definitions: number;
  period: { from: string | null; to: string | null };
  groups?: (WaitsFigures & { key: string; label: string })[];
}
export interface Histogram {
  counts: number[];
  total: number;
}
export interface Distribution {
  edges: number[];
  contactWaits: Histogram;
  journeyWaits: Histogram;
  multiAttemptJourneyWaits: Histogram;
  reported: { asaSeconds: number | null };
}
export interface JourneyContact {
  contactId: string;
  channel: string;
  queue: string | null;
  firstTouchAt: string;
  queueEnteredAt: string | null;
  answeredAt: string | null;
  abandonedAt: string | null;
  outcome: 'answered' | 'abandoned' | 'closed' | 'waiting';
  queued: boolean;
  queueWaitSeconds: number | null;
  livedWaitSeconds: number | null;
  conversationId: string | null;
}
export interface Journey {
  customer: { customerId?: string; name?: string | null; identity?: string };
  window: string;
  startedAt: string;
  answeredAt: string | null;
  attempts: number;
  outcome: 'answered' | 'waiting' | 'never_served';
  waitSeconds: number | null;
  spanSeconds: number;
  contacts: JourneyContact[];
}
export type Presence = 'available' | 'busy' | 'away' | 'offline';
export const PRESENCES: Presence[] = ['available', 'busy', 'away', 'offline'];
export interface Agent {
  id: string;
  name: string;
  presence: Presence;
}
export interface LiveQueue {
  id: string | null;
  name: string | null;
  waiting: { total: number; byChannel: Record<string, number> };
  longestWaitSeconds: number | null;
  oldestWaitingSince: string | null;
  agents: Record<Presence, Agent[]>;
  callbacks: { open: number; overdue: number };
}
export interface LiveWall {
  now: string;
  since: string;
  totals: { waiting: number; longestWaitSeconds: number | null; callbacksOpen: number; callbacksOverdue: number };
  agents: Record<Presence, Agent[]>;
  queues: LiveQueue[];
}

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
export interface AnecdoteExample {
  messageId: string;
  conversationId: string;
  claimedMinutes: number | null;
  measuredContactSeconds: number | null;
  measuredJourneySeconds: number | null;
  at: string;
}
export interface AnecdoteFigures {
  claims: number;
  agrees: number;
  contradicted: number;
  blindSpots: number;
  noFigure: number;
  contradictedShare: number | null;
  blindSpotShare: number | null;
  examples: { contradicted: AnecdoteExample[]; blindSpots: AnecdoteExample[] };
}
export type AnecdoteGroup = 'queue' | 'channel' | 'week';
export interface AnecdoteReport {
  from: string;
  to: string;
  by: AnecdoteGroup | null;
  timezone: string;
  total: AnecdoteFigures;
  groups: (AnecdoteFigures & { key: string | null; label: string })[];
  /** Waits for a delivery or refund: held against the conversations' resolution time, not counted as queue waits. */
  delivery?: AnecdoteFigures;
  alerts: { week: string; contradictedShare: number; previousShare: number | null; claims: number; at: string }[];
}

/** The audit for the dashboard's period ("all" = since 1970: the API's own default is the last 28 days). */
export const useAnecdotes = (f: Filters, by: AnecdoteGroup) =>
  useQuery({
    queryKey: ['reports', 'anecdotes', f.from, f.to, by],
    queryFn: () => get<AnecdoteReport>(`/reports/anecdotes${qs({ from: f.from ?? (f.to ? undefined : '1970-01-01'), to: f.to, by })}`),
    placeholderData: keepPreviousData,
  });
