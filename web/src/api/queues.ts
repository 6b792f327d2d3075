/**
 * The one queue list of the web app (GET /queues), shared by the inbox, the dashboard filters, the satisfaction page
 * and the administration: one cache key, so a change saved in Admin → Queues shows everywhere.
 */
import { useQuery } from '@tanstack/react-query';
import { get } from '../lib/api';
import type { ApiOk, Item } from './types';

export type QueueList = ApiOk<'/api/v1/queues', 'get'>;
export type Queue = Item<QueueList['items']>;
export type BusinessHours = NonNullable<Queue['businessHours']>;

/** What to refresh after a queue changed. */
export const QUEUES_KEY = ['queues'];

export const useQueues = () => useQuery({ queryKey: QUEUES_KEY, queryFn: () => get<QueueList>('/queues'), staleTime: 60_000 });
