/** Types and queries of the agent workspace (conversations, users, queues, macros, customers). */
import { useQuery } from '@tanstack/react-query';
import { get, qs } from '../../lib/api';

export type Status = 'new' | 'open' | 'pending' | 'on_hold' | 'solved' | 'closed';
export type Priority = 'low' | 'normal' | 'high' | 'urgent';
export const STATUSES: Status[] = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'];
export const PRIORITIES: Priority[] = ['urgent', 'high', 'normal', 'low'];
export const CHANNELS = ['email', 'chat', 'web', 'phone', 'api'] as const;
export const VIEWS = ['mine', 'unassigned', 'open', 'sla_at_risk', 'waiting', 'all'] as const;
export type View = (typeof VIEWS)[number];

export interface Sla {
  firstReplyDueAt: string | null;
  nextReplyDueAt: string | null;
  resolutionDueAt: string | null;
  firstRepliedAt: string | null;
  breached: string[];
  /** Each breach: missed at the due time (breachedAt); detectedAt is when the check ran (later if the server was down). */
  breaches?: { metric: string; dueAt: string; breachedAt: string; detectedAt: string }[];
}
export interface Customer {
  id: string;
  name: string | null;
  language: string | null;
  identities: { kind: string; value: string }[];
}
export interface Attachment {
  id: string;
  filename: string;
  contentType: string;
  size: number;
}
export interface Message {
  id: string;
  kind: 'message' | 'note';
  direction: 'inbound' | 'outbound' | null;
  authorType: 'customer' | 'agent' | 'system';
  authorUserId: string | null;
  authorCustomerId: string | null;
  automatic: boolean;
  text: string;
  html: string | null;
  language: string | null;
  createdAt: string;
  attachments: Attachment[];
  /** An email whose quoted history was split off (shown on request). */
  hasQuoted?: boolean;
}
export interface ConversationRow {
  id: string;
  number: number;
  subject: string;
  status: Status;
  priority: Priority;
  channel: string;
  queueId: string | null;
  assigneeId: string | null;
  customerId: string;
  tags: string[];
  language: string | null;
  mergedInto: string | null;
  sla: Sla;
  lastMessageAt: string;
  createdAt: string;
  customer: Customer;
  preview?: string | null;
  /** Who wrote the last message (the preview): the customer, an agent (id and name) or the system. */
  previewAuthorType?: 'customer' | 'agent' | 'system' | null;
  previewAuthorId?: string | null;
  previewAuthorName?: string | null;
  assigneeName?: string | null;
  queueName?: string | null;
  /** A customer threatened staff in this conversation (listening). */
  threat?: boolean;
}
export interface Viewer {
  userId: string;
  name: string;
  mode: 'viewing' | 'replying';
  expiresAt: string;
}
export interface Conversation extends ConversationRow {
  messages: Message[];
  viewers: Viewer[];
}
export interface Page {
  items: ConversationRow[];
  total: number;
  limit: number;
  offset: number;
}
export interface Counts {
  views: Record<View, number>;
  queues: { id: string; name: string; open: number }[];
  slaRiskMinutes: number;
}
export interface User {
  id: string;
  name: string;
  email: string;
  role: string;
  presence?: string;
  disabled?: boolean;
}
export interface Queue {
  id: string;
  name: string;
}
export interface Macro {
  id: string;
  name: string;
  kind: 'reply' | 'note';
  body: string;
  language: 'en' | 'de' | 'nb' | null;
}

export interface ListParams {
  view: View;
  queue?: string;
  q?: string;
  status?: string;
  priority?: string;
  channel?: string;
  tag?: string;
  assignee?: string;
  sort?: string;
  /** One customer's conversations (the dashboard's journeys link here). */
  customer?: string;
}

export const PAGE_SIZE = 100;
export const fetchPage = (p: ListParams, page: number) =>
  get<Page>(`/conversations${qs({ ...p, limit: PAGE_SIZE, offset: page * PAGE_SIZE })}`);

export const useCounts = () => useQuery({ queryKey: ['conversations', 'counts'], queryFn: () => get<Counts>('/conversations/counts') });
export const useUsers = () => useQuery({ queryKey: ['users'], queryFn: () => get<{ items: User[] }>('/users'), staleTime: 60_000 });
export const useMacros = () => useQuery({ queryKey: ['macros'], queryFn: () => get<{ items: Macro[] }>('/macros'), staleTime: 60_000 });
export const useConversation = (id: string) =>
  useQuery({ queryKey: ['conversation', id], queryFn: () => get<Conversation>(`/conversations/${id}`) });
