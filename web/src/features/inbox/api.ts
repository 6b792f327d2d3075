/** Types and queries of the agent workspace (conversations, users, queues, macros, customers). */
import { useQuery } from '@tanstack/react-query';
import type { ApiOk, ApiQuery, Item } from '../../api/types';
import { get, qs } from '../../lib/api';

/** One conversation with its messages and viewers (GET /conversations/:id). */
export type Conversation = ApiOk<'/api/v1/conversations/{id}', 'get'>;
export type Message = Item<Conversation['messages']>;
export type Sla = Conversation['sla'];
export type Status = Conversation['status'];
export type Priority = Conversation['priority'];
/** A page of the inbox list: rows carry the last message's preview and the names they show. */
export type Page = ApiOk<'/api/v1/conversations', 'get'>;
export type ConversationRow = Item<Page['items']>;
export type View = Page['view'];
export type Counts = ApiOk<'/api/v1/conversations/counts', 'get'>;
export type User = Item<ApiOk<'/api/v1/users', 'get'>['items']>;
export type Macro = Item<ApiOk<'/api/v1/macros', 'get'>['items']>;
/** A macro rendered for one conversation (GET /conversations/:id/macros/:macroId). */
export type MacroPreview = ApiOk<'/api/v1/conversations/{id}/macros/{macroId}', 'get'>;
export type CustomerTimeline = ApiOk<'/api/v1/customers/{id}/timeline', 'get'>;
export type ContactEvents = ApiOk<'/api/v1/conversations/{id}/events', 'get'>;
export type ContactEvent = Item<ContactEvents['items']>;

export const STATUSES: Status[] = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'];
export const PRIORITIES: Priority[] = ['urgent', 'high', 'normal', 'low'];
export const CHANNELS = ['email', 'chat', 'web', 'phone', 'api'] as const satisfies readonly Conversation['channel'][];
/** The inbox views in the order the navigation shows them. */
export const VIEWS = ['mine', 'unassigned', 'open', 'sla_at_risk', 'waiting', 'all'] as const satisfies readonly View[];

export interface Queue {
  id: string;
  name: string;
}
/** The list's filters as the inbox keeps them (paging is added per page; `customer` is the dashboard's journeys link). */
export type ListParams = Omit<ApiQuery<'/api/v1/conversations', 'get'>, 'limit' | 'offset' | 'number' | 'view'> & { view: View };

export const PAGE_SIZE = 100;
export const fetchPage = (p: ListParams, page: number) =>
  get<Page>(`/conversations${qs({ ...p, limit: PAGE_SIZE, offset: page * PAGE_SIZE })}`);

export const useCounts = () => useQuery({ queryKey: ['conversations', 'counts'], queryFn: () => get<Counts>('/conversations/counts') });
export const useUsers = () => useQuery({ queryKey: ['users'], queryFn: () => get<{ items: User[] }>('/users'), staleTime: 60_000 });
export const useMacros = () => useQuery({ queryKey: ['macros'], queryFn: () => get<{ items: Macro[] }>('/macros'), staleTime: 60_000 });
export const useConversation = (id: string) =>
  useQuery({ queryKey: ['conversation', id], queryFn: () => get<Conversation>(`/conversations/${id}`) });
