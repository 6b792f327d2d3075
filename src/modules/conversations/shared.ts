/**
 * Internal to the conversations module: the row type, the lock, event building, checks and the SLA job scheduling
 * every use case shares. Other modules use index.ts.
 */
import type { Ctx, Principal, Tx } from '../../platform/context.js';
import { invalid, isUuid, notFound } from '../../platform/errors.js';
import { enqueue } from '../../platform/jobs.js';
import { CONTACT_EVENT_TYPES, type NewEvent } from '../events/index.js';

export const STATUSES = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'] as const;
export type Status = (typeof STATUSES)[number];
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

export interface AttachmentInput {
  filename: string;
  contentType: string;
  /** The bytes as base64 (API clients) … */
  contentBase64?: string;
  /** … or as bytes (channels that decoded them already, e.g. inbound email: no base64 round trip of a large file). */
  content?: Buffer;
}
export interface MessageInput {
  text?: string;
  html?: string;
  attachments?: AttachmentInput[];
  /**
   * The sender's own id for this message (chat widget, API clients). Sending the same id twice to a conversation
   * stores the message once: the second call returns the first message (at-least-once delivery without doubles).
   */
  clientId?: string;
}

/**
 * For channels: runs inside the transaction that writes a message, after the message row and before commit, so a
 * channel's own rows (an email's headers, a chat delivery) commit together with the message or not at all.
 */
export type AfterWrite = (tx: Tx, ids: { conversationId: string; messageId: string; duplicate: boolean }) => Promise<void>;
export interface WriteOptions {
  afterWrite?: AfterWrite;
  /** The contact-event channel to record when it differs from the conversation's (e.g. an email to a chat). */
  eventChannel?: string;
  /** A message marked automatic (inbound auto-reply, outbound robot); never counts as a human reply. */
  automatic?: boolean;
  /** A new conversation only: the closed conversation it follows up (an email reply to a closed conversation). */
  followUpOf?: string;
}

const MAX_TAGS = 50;
export const normTag = (t: string) => t.trim().toLowerCase().replace(/\s+/g, '-');

export function checkTags(tags: string[], field = 'tags') {
  const out = [...new Set(tags.map(normTag))];
  for (const t of out) if (!t || t.length > 64) throw invalid(field, `bad tag '${t}' (1–64 characters)`);
  if (out.length > MAX_TAGS) throw invalid(field, `at most ${MAX_TAGS} tags`);
  return out;
}

export interface ConvRow {
  id: string;
  account_id: string;
  number: number;
  subject: string;
  status: Status;
  priority: Priority;
  channel: string;
  queue_id: string | null;
  assignee_id: string | null;
  customer_id: string;
  tags: string[];
  custom_fields: Record<string, unknown>;
  merged_into: string | null;
  first_replied_at: Date | null;
  next_reply_due_at: Date | null;
  first_reply_due_at: Date | null;
  resolution_due_at: Date | null;
  language: string | null;
  automatic: boolean;
}

/**
 * A conversation opened by a robot (an out-of-office or list mail that threads nowhere) is not a customer contact:
 * its contact-vocabulary events are left out, so it never appears in waits, journeys or answer rates.
 */
const CONTACT_TYPES: ReadonlySet<string> = new Set(CONTACT_EVENT_TYPES);
export const customerEvents = (c: Pick<ConvRow, 'automatic'>, events: NewEvent[]) =>
  c.automatic ? events.filter((e) => !CONTACT_TYPES.has(e.type)) : events;

export async function lockConv(tx: Tx, p: Principal, id: string): Promise<ConvRow> {
  if (!isUuid(id)) throw notFound('Conversation');
  const r = await tx.query<ConvRow>('SELECT * FROM conversations WHERE account_id = $1 AND id = $2 FOR UPDATE', [p.accountId, id]);
  if (!r.rows[0]) throw notFound('Conversation');
  return r.rows[0];
}

export function ev(ctx: Ctx, p: Principal, c: Pick<ConvRow, 'id' | 'channel' | 'customer_id' | 'queue_id'>, type: string, data: Record<string, unknown> = {}, extra: Partial<NewEvent> = {}): NewEvent {
  return {
    accountId: p.accountId,
    contactId: c.id,
    type,
    channel: c.channel,
    occurredAt: ctx.now(),
    conversationId: c.id,
    customerId: c.customer_id,
    queueId: c.queue_id,
    agentId: p.userId,
    data,
    ...extra,
  };
}

export async function checkAssignee(tx: Tx, p: Principal, userId: string) {
  const found = isUuid(userId) && (await tx.query('SELECT 1 FROM users WHERE account_id = $1 AND id = $2 AND disabled_at IS NULL', [p.accountId, userId])).rows.length > 0;
  if (!found) throw invalid('assigneeId', `unknown or disabled user ${userId}`);
}
export async function checkQueue(tx: Tx, p: Principal, queueId: string) {
  const found = isUuid(queueId) && (await tx.query('SELECT 1 FROM queues WHERE account_id = $1 AND id = $2', [p.accountId, queueId])).rows.length > 0;
  if (!found) throw invalid('queueId', `unknown queue ${queueId}`);
}

/** Schedules the SLA check jobs for the due times that are set. */
export async function scheduleSla(tx: Tx, conversationId: string, dues: Partial<Record<'first_reply' | 'next_reply' | 'resolution', Date | null>>) {
  for (const [metric, due] of Object.entries(dues))
    if (due) await enqueue(tx, 'sla.check', { conversationId, metric, dueAt: due.toISOString() }, { runAt: due, maxAttempts: 5 });
}

