/**
 * Conversations and their messages. Every change is written together with its contact events, audit entry, realtime
 * notification, webhook deliveries and SLA jobs in one transaction: all of it happens, or none of it.
 */
import { createHash } from 'node:crypto';
import type { Ctx, Principal, Tx } from '../../platform/context.js';
import { requireCap } from '../../platform/context.js';
import { AppError, conflict, invalid, isUuid, notFound } from '../../platform/errors.js';
import { sanitize, htmlToText } from '../../platform/sanitize.js';
import { guessLanguage } from '../../platform/lang.js';
import { publishChange } from '../../platform/changes.js';
import { enqueue } from '../../platform/jobs.js';
import { audit } from '../audit/index.js';
import { appendEvents, CHANNELS, CONTACT_EVENT_TYPES, type NewEvent } from '../events/index.js';
import { findOrCreateCustomer, type CustomerInput } from '../customers/index.js';
import { dueAt, pickAgent, slaClockFor } from '../queues/index.js';
import { emitWebhook } from '../webhooks/index.js';
import { getMacro, render } from '../macros/index.js';
import { deliverReply } from '../channels/index.js';
import { scheduleSurvey } from '../csat/schedule.js';

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
}

const MAX_TAGS = 50;
const normTag = (t: string) => t.trim().toLowerCase().replace(/\s+/g, '-');

function checkTags(tags: string[], field = 'tags') {
  const out = [...new Set(tags.map(normTag))];
  for (const t of out) if (!t || t.length > 64) throw invalid(field, `bad tag '${t}' (1–64 characters)`);
  if (out.length > MAX_TAGS) throw invalid(field, `at most ${MAX_TAGS} tags`);
  return out;
}

function checkClientId(m: MessageInput, field = 'clientId') {
  if (m.clientId !== undefined && !/^[\w.:-]{1,100}$/.test(m.clientId)) throw invalid(field, 'letters, digits, . _ : - only, 1–100 characters');
}

/** The message already stored under this client id in the (locked) conversation, if any. */
async function byClientId(tx: Tx, conversationId: string, clientId: string | undefined): Promise<string | null> {
  if (!clientId) return null;
  const r = await tx.query<{ id: string }>('SELECT id FROM messages WHERE conversation_id = $1 AND client_id = $2', [conversationId, clientId]);
  return r.rows[0]?.id ?? null;
}

function messageBody(m: MessageInput, field = 'message') {
  checkClientId(m);
  const html = m.html ? sanitize(m.html) : null;
  const text = (m.text ?? (html ? htmlToText(html) : '')).trim();
  if (!text && !m.attachments?.length) throw invalid(`${field}/text`, 'a message needs text, html or an attachment');
  return { text, html };
}

async function insertMessage(
  tx: Tx,
  accountId: string,
  conversationId: string,
  m: {
    kind: 'message' | 'note';
    direction: 'inbound' | 'outbound' | null;
    authorType: 'customer' | 'agent' | 'system';
    authorUserId?: string | null;
    authorCustomerId?: string | null;
    automatic?: boolean;
    text: string;
    html: string | null;
    language: string | null;
    at: Date;
    attachments?: AttachmentInput[];
    clientId?: string | null;
  },
): Promise<string> {
  const r = await tx.query<{ id: string }>(
    `INSERT INTO messages (account_id, conversation_id, kind, direction, author_type, author_user_id, author_customer_id,
                           automatic, text, html, language, created_at, client_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
    [accountId, conversationId, m.kind, m.direction, m.authorType, m.authorUserId ?? null, m.authorCustomerId ?? null,
     m.automatic ?? false, m.text, m.html, m.language, m.at, m.clientId ?? null],
  );
  const id = r.rows[0].id;
  for (const [i, a] of (m.attachments ?? []).entries()) {
    if (!a.filename?.trim()) throw invalid(`attachments/${i}/filename`, 'must not be empty');
    if (!/^[\w.+-]+\/[\w.+-]+$/.test(a.contentType ?? '')) throw invalid(`attachments/${i}/contentType`, `not a media type: '${a.contentType}'`);
    if (!a.content && !/^[A-Za-z0-9+/]*={0,2}$/.test(a.contentBase64 ?? '')) throw invalid(`attachments/${i}/contentBase64`, 'not base64');
    const bytes = a.content ?? Buffer.from(a.contentBase64 ?? '', 'base64');
    await tx.query(
      `INSERT INTO attachments (account_id, message_id, filename, content_type, size, sha256, content)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [accountId, id, a.filename.trim().slice(0, 255), a.contentType, bytes.length, createHash('sha256').update(bytes).digest('hex'), bytes],
    );
  }
  return id;
}

interface ConvRow {
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
const customerEvents = (c: Pick<ConvRow, 'automatic'>, events: NewEvent[]) =>
  c.automatic ? events.filter((e) => !CONTACT_TYPES.has(e.type)) : events;

async function lockConv(tx: Tx, p: Principal, id: string): Promise<ConvRow> {
  if (!isUuid(id)) throw notFound('Conversation');
  const r = await tx.query<ConvRow>('SELECT * FROM conversations WHERE account_id = $1 AND id = $2 FOR UPDATE', [p.accountId, id]);
  if (!r.rows[0]) throw notFound('Conversation');
  return r.rows[0];
}

function ev(ctx: Ctx, p: Principal, c: Pick<ConvRow, 'id' | 'channel' | 'customer_id' | 'queue_id'>, type: string, data: Record<string, unknown> = {}, extra: Partial<NewEvent> = {}): NewEvent {
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

async function checkAssignee(tx: Tx, p: Principal, userId: string) {
  const r = isUuid(userId) && (await tx.query('SELECT 1 FROM users WHERE account_id = $1 AND id = $2 AND disabled_at IS NULL', [p.accountId, userId]));
  if (!r || !r.rows.length) throw invalid('assigneeId', `unknown or disabled user ${userId}`);
}
async function checkQueue(tx: Tx, p: Principal, queueId: string) {
  const r = isUuid(queueId) && (await tx.query('SELECT 1 FROM queues WHERE account_id = $1 AND id = $2', [p.accountId, queueId]));
  if (!r || !r.rows.length) throw invalid('queueId', `unknown queue ${queueId}`);
}

/** Schedules the SLA check jobs for the due times that are set. */
async function scheduleSla(tx: Tx, conversationId: string, dues: Partial<Record<'first_reply' | 'next_reply' | 'resolution', Date | null>>) {
  for (const [metric, due] of Object.entries(dues))
    if (due) await enqueue(tx, 'sla.check', { conversationId, metric, dueAt: due.toISOString() }, { runAt: due, maxAttempts: 5 });
}

// ---------------------------------------------------------------- create

export interface CreateConversationInput {
  customer: CustomerInput;
  channel: string;
  subject?: string;
  message: MessageInput;
  queueId?: string;
  priority?: Priority;
  tags?: string[];
  customFields?: Record<string, unknown>;
  assigneeId?: string;
}

export async function createConversation(ctx: Ctx, p: Principal, input: CreateConversationInput, opts: WriteOptions = {}) {
  requireCap(p, 'conversations');
  if (!(CHANNELS as readonly string[]).includes(input.channel)) throw invalid('channel', `must be one of ${CHANNELS.join(', ')}`);
  const body = messageBody(input.message);
  const tags = checkTags(input.tags ?? []);
  const language = input.customer.language ?? guessLanguage(body.text);
  const now = ctx.now();
  const clientId = input.message.clientId || null;
  const write = () => ctx.db.transaction(async (tx) => {
    if (input.queueId) await checkQueue(tx, p, input.queueId);
    if (input.assigneeId) await checkAssignee(tx, p, input.assigneeId);
    const customer = await findOrCreateCustomer(tx, p.accountId, { ...input.customer, language: language ?? undefined });
    // The same create sent again (same customer, same message.clientId): the conversation it made, nothing written.
    if (clientId) {
      const seen = await tx.query<{ id: string; messageId: string | null }>(
        `SELECT c.id, (SELECT m.id FROM messages m WHERE m.conversation_id = c.id AND m.client_id = c.client_id LIMIT 1) AS "messageId"
           FROM conversations c WHERE c.customer_id = $1 AND c.client_id = $2`,
        [customer.id, clientId],
      );
      if (seen.rows[0]) {
        if (seen.rows[0].messageId) await opts.afterWrite?.(tx, { conversationId: seen.rows[0].id, messageId: seen.rows[0].messageId, duplicate: true });
        return seen.rows[0].id;
      }
    }
    const num = await tx.query<{ n: number }>(
      'SELECT earshot_next_conversation_number($1) AS n',
      [p.accountId],
    );
    const clock = await slaClockFor(tx, input.queueId ?? null);
    const firstDue = dueAt(clock, 'first_reply', now);
    const resolutionDue = dueAt(clock, 'resolution', now);
    const subject = (input.subject ?? body.text.split('\n')[0]).trim().slice(0, 250);
    const r = await tx.query<ConvRow>(
      `INSERT INTO conversations (account_id, number, subject, channel, queue_id, customer_id, priority, tags, custom_fields,
                                  language, first_reply_due_at, resolution_due_at, last_message_at, created_at, updated_at, automatic, client_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, $13, $14, $15) RETURNING *`,
      [p.accountId, num.rows[0].n, subject, input.channel, input.queueId ?? null, customer.id, input.priority ?? 'normal', tags,
       JSON.stringify(input.customFields ?? {}), language, firstDue, resolutionDue, now, opts.automatic ?? false, clientId],
    );
    const conv = r.rows[0];
    const identity = input.customer.email?.trim().toLowerCase() ?? input.customer.phone ?? input.customer.externalId ?? null;
    const messageId = await insertMessage(tx, p.accountId, conv.id, {
      kind: 'message', direction: 'inbound', authorType: 'customer', authorCustomerId: customer.id, ...body, language, at: now,
      attachments: input.message.attachments, clientId: input.message.clientId, automatic: opts.automatic,
    });
    // Listening (issue 6): every message a customer writes is analysed by a job committed with it.
    if (!opts.automatic) await enqueue(tx, 'listening.analyze', { messageId });
    const chan = opts.eventChannel ? { channel: opts.eventChannel } : {};
    const events: NewEvent[] = [
      ev(ctx, p, conv, 'contact.arrived', { subject, messageId }, { identity, agentId: null, ...chan }),
      ev(ctx, p, conv, 'message.received', { messageId }, { identity, agentId: null, ...chan }),
    ];
    if (conv.queue_id) events.push(ev(ctx, p, conv, 'queue.entered', {}, { agentId: null, ...chan }));
    let assignee = input.assigneeId ?? null;
    if (!assignee && conv.queue_id) assignee = await pickAgent(tx, p.accountId, conv.queue_id);
    if (assignee) {
      await tx.query('UPDATE conversations SET assignee_id = $2 WHERE id = $1', [conv.id, assignee]);
      await tx.query('UPDATE users SET last_assigned_at = $2 WHERE id = $1', [assignee, now]);
      events.push(ev(ctx, p, conv, 'conversation.assigned', { from: null, to: assignee, auto: !input.assigneeId }, { agentId: assignee, ...chan }));
      events.push(ev(ctx, p, conv, 'agent.offered', {}, { agentId: assignee, ...chan }));
    }
    await appendEvents(tx, customerEvents(conv, events));
    await scheduleSla(tx, conv.id, { first_reply: firstDue, resolution: resolutionDue });
    await audit(tx, p, 'conversation.created', { type: 'conversation', id: conv.id }, { number: conv.number, channel: conv.channel });
    await publishChange(tx, { accountId: p.accountId, type: 'conversation.created', conversationId: conv.id });
    await emitWebhook(tx, p.accountId, 'conversation.created', { conversationId: conv.id, number: conv.number, messageId }, now);
    await opts.afterWrite?.(tx, { conversationId: conv.id, messageId, duplicate: false });
    return conv.id;
  });
  let id: string;
  try {
    id = await write();
  } catch (err: any) {
    // A concurrent twin committed the same (customer, clientId) first: this one waited on the unique index and
    // rolled back; the second run finds the twin's conversation.
    if (!(clientId && err?.code === '23505' && String(err?.constraint ?? err?.message).includes('conversations_customer_client_id'))) throw err;
    id = await write();
  }
  return getConversation(ctx, p, id);
}

// ---------------------------------------------------------------- read

const CONV_COLS = `c.id, c.number, c.subject, c.status, c.priority, c.channel, c.queue_id AS "queueId",
  c.assignee_id AS "assigneeId", c.customer_id AS "customerId", c.tags, c.custom_fields AS "customFields", c.language,
  c.merged_into AS "mergedInto", c.split_from AS "splitFrom", c.automatic, c.follow_up_of AS "followUpOf",
  json_build_object('firstReplyDueAt', c.first_reply_due_at, 'nextReplyDueAt', c.next_reply_due_at,
                    'resolutionDueAt', c.resolution_due_at, 'firstRepliedAt', c.first_replied_at,
                    'breached', coalesce((SELECT json_agg(DISTINCT b.metric) FROM sla_breaches b WHERE b.conversation_id = c.id), '[]'),
                    'breaches', coalesce((SELECT json_agg(json_build_object('metric', b.metric, 'dueAt', b.due_at, 'breachedAt', b.breached_at,
                                                                            'detectedAt', b.detected_at) ORDER BY b.due_at, b.metric)
                                            FROM sla_breaches b WHERE b.conversation_id = c.id), '[]')) AS sla,
  EXISTS (SELECT 1 FROM message_findings f WHERE f.conversation_id = c.id AND f.threat) AS threat,
  c.solved_at AS "solvedAt", c.last_message_at AS "lastMessageAt", c.created_at AS "createdAt", c.updated_at AS "updatedAt",
  json_build_object('id', cu.id, 'name', cu.name, 'language', cu.language,
    'identities', coalesce((SELECT json_agg(json_build_object('kind', i.kind, 'value', i.value) ORDER BY i.kind, i.value)
                              FROM customer_identities i WHERE i.customer_id = cu.id), '[]')) AS customer`;

const MESSAGE_COLS = `m.id, m.kind, m.direction, m.author_type AS "authorType", m.author_user_id AS "authorUserId",
  m.author_customer_id AS "authorCustomerId", m.automatic, m.text, m.html, m.language, m.created_at AS "createdAt",
  EXISTS (SELECT 1 FROM email_messages e WHERE e.message_id = m.id AND e.quoted_text IS NOT NULL) AS "hasQuoted",
  coalesce((SELECT json_agg(json_build_object('id', a.id, 'filename', a.filename, 'contentType', a.content_type, 'size', a.size)
                            ORDER BY a.created_at) FROM attachments a WHERE a.message_id = m.id), '[]') AS attachments`;

/** A conversation as the API shows it (see CONV_COLS for the fields). */
export type ConversationView = Record<string, any>;

export async function getConversation(ctx: Ctx, p: Principal, id: string, tx: Tx = ctx.db): Promise<ConversationView> {
  requireCap(p, 'conversations');
  if (!isUuid(id)) throw notFound('Conversation');
  // One round trip: the conversation with its messages and current viewers.
  const r = await tx.query(
    `SELECT ${CONV_COLS},
            coalesce((SELECT json_agg(x ORDER BY x."createdAt", x.id) FROM (SELECT ${MESSAGE_COLS} FROM messages m
                        WHERE m.conversation_id = c.id) x), '[]') AS messages,
            coalesce((SELECT json_agg(json_build_object('userId', v.user_id, 'name', u.name, 'mode', v.mode, 'expiresAt', v.expires_at)
                                      ORDER BY u.name)
                        FROM conversation_viewers v JOIN users u ON u.id = v.user_id
                       WHERE v.conversation_id = c.id AND v.expires_at > $3), '[]') AS viewers
       FROM conversations c JOIN customers cu ON cu.id = c.customer_id WHERE c.account_id = $1 AND c.id = $2`,
    [p.accountId, id, ctx.now()],
  );
  if (!r.rows[0]) throw notFound('Conversation');
  return r.rows[0];
}

/**
 * The inbox views. `open` is everything not solved or closed; `mine` and `unassigned` are the open ones of the caller
 * or of nobody; `sla_at_risk` the open (not pending) ones whose first reply (not yet given) or next reply is due within
 * the hour or overdue; `waiting` the pending ones (waiting on the customer); `all` leaves the status alone.
 */
export const VIEWS = ['all', 'open', 'mine', 'unassigned', 'sla_at_risk', 'waiting'] as const;
export type View = (typeof VIEWS)[number];
export const SORTS = ['activity', 'oldest', 'due', 'priority', 'number'] as const;
export type Sort = (typeof SORTS)[number];
/** How far ahead a due reply counts as "at risk". */
export const SLA_RISK_MS = 60 * 60_000;

const OPEN_SQL = `c.status NOT IN ('solved', 'closed')`;
/** SQL for a view; $1 is the account, `me` and `soon` are parameter placeholders for the user and the risk horizon. */
function viewSql(view: View, me: string, soon: string): string {
  switch (view) {
    case 'all':
      return 'TRUE';
    case 'open':
      return OPEN_SQL;
    case 'mine':
      return `${OPEN_SQL} AND c.assignee_id = ${me}`;
    case 'unassigned':
      return `${OPEN_SQL} AND c.assignee_id IS NULL`;
    case 'waiting':
      return `c.status = 'pending'`;
    case 'sla_at_risk':
      return `c.status IN ('new', 'open', 'on_hold') AND ((c.first_replied_at IS NULL AND c.first_reply_due_at <= ${soon})
              OR c.next_reply_due_at <= ${soon})`;
  }
}
const SORT_SQL: Record<Sort, string> = {
  activity: 'c.last_message_at DESC, c.number DESC',
  oldest: 'c.last_message_at ASC, c.number ASC',
  due: `least(CASE WHEN c.first_replied_at IS NULL THEN c.first_reply_due_at END, c.next_reply_due_at) ASC NULLS LAST, c.number ASC`,
  priority: `array_position(ARRAY['urgent', 'high', 'normal', 'low']::text[], c.priority), c.last_message_at DESC, c.number DESC`,
  number: 'c.number DESC',
};

export interface ListFilter {
  view?: string;
  sort?: string;
  status?: string;
  queue?: string;
  assignee?: string;
  customer?: string;
  tag?: string;
  channel?: string;
  priority?: string;
  q?: string;
  /** One conversation by its number (the merge picker's "#123"). */
  number?: number;
  limit: number;
  offset: number;
}

/**
 * Lists conversations, newest activity first. `q` is full-text search over subjects and message texts with the
 * English, German and Norwegian stemmers (and plain words), so "gewartet" finds "warten" and "ventet" finds "vente".
 */
export async function listConversations(ctx: Ctx, p: Principal, f: ListFilter) {
  requireCap(p, 'conversations');
  const statuses = f.status ? f.status.split(',').map((s) => s.trim()) : null;
  for (const s of statuses ?? []) if (!(STATUSES as readonly string[]).includes(s)) throw invalid('status', `unknown status '${s}'`);
  if (f.priority && !(PRIORITIES as readonly string[]).includes(f.priority)) throw invalid('priority', `unknown priority '${f.priority}'`);
  let assignee: string | null = null;
  let unassigned = false;
  if (f.assignee === 'me') {
    if (!p.userId) throw invalid('assignee', "'me' needs a signed-in user, not an API token");
    assignee = p.userId;
  } else if (f.assignee === 'none') unassigned = true;
  else if (f.assignee) {
    if (!isUuid(f.assignee)) throw invalid('assignee', "use a user id, 'me' or 'none'");
    assignee = f.assignee;
  }
  if (f.queue && !isUuid(f.queue)) throw invalid('queue', 'must be a queue id');
  if (f.customer && !isUuid(f.customer)) throw invalid('customer', 'must be a customer id');
  const view = (f.view ?? 'all') as View;
  if (!(VIEWS as readonly string[]).includes(view)) throw invalid('view', `unknown view '${f.view}' (one of ${VIEWS.join(', ')})`);
  if (view === 'mine' && !p.userId) throw invalid('view', "'mine' needs a signed-in user, not an API token");
  const sort = (f.sort ?? (view === 'sla_at_risk' ? 'due' : 'activity')) as Sort;
  if (!(SORTS as readonly string[]).includes(sort)) throw invalid('sort', `unknown sort '${f.sort}' (one of ${SORTS.join(', ')})`);
  const q = f.q?.trim() || null;
  const params = [p.accountId, statuses, f.queue ?? null, assignee, unassigned, f.tag ? normTag(f.tag) : null, f.channel ?? null,
    f.priority ?? null, f.customer ?? null, q, p.userId, new Date(ctx.now().getTime() + SLA_RISK_MS), f.number ?? null];
  // $11 and $12 are typed here even when the view does not use them (PostgreSQL refuses untyped unused parameters).
  const where = `c.account_id = $1 AND ($11::uuid IS NULL OR $12::timestamptz IS NULL OR TRUE) AND (${viewSql(view, '$11::uuid', '$12::timestamptz')})
    AND ($13::int IS NULL OR c.number = $13) AND ($2::text[] IS NULL OR c.status = ANY($2)) AND ($3::uuid IS NULL OR c.queue_id = $3)
    AND ($4::uuid IS NULL OR c.assignee_id = $4) AND (NOT $5 OR c.assignee_id IS NULL) AND ($6::text IS NULL OR $6 = ANY(c.tags))
    AND ($7::text IS NULL OR c.channel = $7) AND ($8::text IS NULL OR c.priority = $8) AND ($9::uuid IS NULL OR c.customer_id = $9)
    AND ($10::text IS NULL OR c.id IN (
      SELECT c2.id FROM conversations c2, tsq WHERE c2.account_id = $1 AND c2.subject_tsv @@ tsq.q
      UNION SELECT m.conversation_id FROM messages m, tsq WHERE m.account_id = $1 AND m.tsv @@ tsq.q))`;
  const tsq = `tsq AS (SELECT websearch_to_tsquery('english', coalesce($10, '')) || websearch_to_tsquery('german', coalesce($10, ''))
                               || websearch_to_tsquery('norwegian', coalesce($10, '')) || websearch_to_tsquery('simple', coalesce($10, '')) AS q)`;
  const [items, total] = await Promise.all([
    ctx.db.query(
      `WITH ${tsq} SELECT ${CONV_COLS},
              lm.text AS preview, lm.author_type AS "previewAuthorType", lm.author_user_id AS "previewAuthorId",
              (SELECT u.name FROM users u WHERE u.id = lm.author_user_id) AS "previewAuthorName",
              (SELECT u.name FROM users u WHERE u.id = c.assignee_id) AS "assigneeName",
              (SELECT qu.name FROM queues qu WHERE qu.id = c.queue_id) AS "queueName"
         FROM conversations c JOIN customers cu ON cu.id = c.customer_id
              -- The last message and who wrote it, so the row does not show an agent's words under the customer's name.
              LEFT JOIN LATERAL (SELECT left(m.text, 200) AS text, m.author_type, m.author_user_id FROM messages m
                                  WHERE m.conversation_id = c.id AND m.kind = 'message' ORDER BY m.created_at DESC, m.id DESC LIMIT 1) lm ON TRUE
        WHERE ${where}
        ORDER BY ${SORT_SQL[sort]} LIMIT $14 OFFSET $15`,
      [...params, f.limit, f.offset],
    ),
    ctx.db.query<{ n: number }>(`WITH ${tsq} SELECT count(*)::int AS n FROM conversations c WHERE ${where}`, params),
  ]);
  return { items: items.rows, total: total.rows[0].n, limit: f.limit, offset: f.offset, view, sort };
}

/** How many conversations each inbox view holds, and the open ones per queue (one statement). */
export async function viewCounts(ctx: Ctx, p: Principal) {
  requireCap(p, 'conversations');
  const soon = new Date(ctx.now().getTime() + SLA_RISK_MS);
  const cols = VIEWS.filter((v) => v !== 'mine' || p.userId).map((v) => `count(*) FILTER (WHERE ${viewSql(v, '$2::uuid', '$3::timestamptz')})::int AS "${v}"`);
  const [views, queues] = await Promise.all([
    ctx.db.query<Record<string, number>>(`SELECT ${cols.join(', ')} FROM conversations c WHERE c.account_id = $1 AND ($2::uuid IS NULL OR TRUE)`, [p.accountId, p.userId, soon]),
    ctx.db.query<{ id: string; name: string; open: number }>(
      `SELECT q.id, q.name, count(c.id) FILTER (WHERE ${OPEN_SQL})::int AS open
         FROM queues q LEFT JOIN conversations c ON c.queue_id = q.id AND c.account_id = q.account_id
        WHERE q.account_id = $1 GROUP BY q.id, q.name ORDER BY q.name`,
      [p.accountId],
    ),
  ]);
  return { views: { mine: 0, ...views.rows[0] }, queues: queues.rows, slaRiskMinutes: SLA_RISK_MS / 60_000 };
}

// ---------------------------------------------------------------- messages

export interface ReplyInput extends MessageInput {
  status?: Status;
  automatic?: boolean;
  /** The newest message the agent saw; when newer ones exist the reply is refused (409) unless `force`. */
  lastSeenMessageId?: string;
  force?: boolean;
}

export async function reply(ctx: Ctx, p: Principal, id: string, input: ReplyInput, opts: WriteOptions = {}) {
  requireCap(p, 'conversations');
  const body = messageBody(input);
  if (input.status && !(STATUSES as readonly string[]).includes(input.status)) throw invalid('status', `unknown status '${input.status}'`);
  const now = ctx.now();
  const messageId = await ctx.db.transaction(async (tx) => {
    const c = await lockConv(tx, p, id);
    if (c.merged_into) throw conflict('conversation_merged', 'This conversation was merged; reply in the one it was merged into', { mergedInto: c.merged_into });
    if (c.status === 'closed') throw conflict('conversation_closed', 'This conversation is closed');
    const seen = await byClientId(tx, id, input.clientId);
    if (seen) {
      await opts.afterWrite?.(tx, { conversationId: id, messageId: seen, duplicate: true });
      return seen;
    }
    if (input.lastSeenMessageId && !input.force) {
      const newer = await tx.query(
        `SELECT m.id, m.author_type AS "authorType", m.author_user_id AS "authorUserId", left(m.text, 200) AS text
           FROM messages m WHERE m.conversation_id = $1 AND m.kind = 'message'
            -- After the seen one in the order the conversation shows (time, then id): two messages stored in the
            -- same instant must not count as "new" to someone who saw the later of them.
            AND (m.created_at, m.id) > (SELECT created_at, id FROM messages WHERE id = $2 AND conversation_id = $1)
          ORDER BY m.created_at, m.id`,
        [id, isUuid(input.lastSeenMessageId) ? input.lastSeenMessageId : null],
      );
      if (newer.rows.length)
        throw conflict('newer_messages', `${newer.rows.length} new message(s) arrived since you started; read them, then send again (or force)`, {
          messages: newer.rows,
        });
    }
    const automatic = input.automatic ?? opts.automatic ?? false;
    const mid = await insertMessage(tx, p.accountId, id, {
      kind: 'message', direction: 'outbound', authorType: automatic ? 'system' : 'agent', authorUserId: p.userId, automatic,
      ...body, language: c.language, at: now, attachments: input.attachments, clientId: input.clientId,
    });
    const events: NewEvent[] = [ev(ctx, p, c, automatic ? 'reply.automatic' : 'reply.human', { messageId: mid })];
    let newStatus: Status = input.status ?? (c.status === 'new' ? 'open' : c.status);
    if (!automatic) {
      // Automatic replies never count as an answer in any metric.
      if (!c.first_replied_at) events.push(ev(ctx, p, c, 'contact.answered', { messageId: mid, firstReply: true }));
      await tx.query(
        `UPDATE conversations SET first_replied_at = coalesce(first_replied_at, $2), next_reply_due_at = NULL WHERE id = $1`,
        [id, now],
      );
    }
    if (newStatus === 'closed') throw invalid('status', 'a reply cannot close a conversation; solve it');
    events.push(...(await applyStatus(ctx, tx, p, c, newStatus)));
    await tx.query('UPDATE conversations SET last_message_at = $2, updated_at = $2 WHERE id = $1', [id, now]);
    await appendEvents(tx, customerEvents(c, events));
    await publishChange(tx, { accountId: p.accountId, type: 'message.created', conversationId: id, messageId: mid });
    await emitWebhook(tx, p.accountId, 'message.created', { conversationId: id, messageId: mid, kind: 'reply' }, now);
    await deliverReply(tx, { accountId: p.accountId, conversationId: id, messageId: mid, automatic });
    await opts.afterWrite?.(tx, { conversationId: id, messageId: mid, duplicate: false });
    return mid;
  });
  return getMessage(ctx, p, messageId);
}

/** A customer's follow-up message (integrations; the channels use the same path). Reopens a solved conversation. */
export async function addCustomerMessage(ctx: Ctx, p: Principal, id: string, input: MessageInput, opts: WriteOptions = {}) {
  requireCap(p, 'conversations');
  const body = messageBody(input);
  const now = ctx.now();
  const messageId = await ctx.db.transaction(async (tx) => {
    const c = await lockConv(tx, p, id);
    if (c.merged_into) throw conflict('conversation_merged', 'This conversation was merged', { mergedInto: c.merged_into });
    if (c.status === 'closed') throw conflict('conversation_closed', 'This conversation is closed; open a follow-up conversation');
    const seen = await byClientId(tx, id, input.clientId);
    if (seen) {
      await opts.afterWrite?.(tx, { conversationId: id, messageId: seen, duplicate: true });
      return seen;
    }
    const mid = await insertMessage(tx, p.accountId, id, {
      kind: 'message', direction: 'inbound', authorType: 'customer', authorCustomerId: c.customer_id, ...body,
      language: guessLanguage(body.text) ?? c.language, at: now, attachments: input.attachments, clientId: input.clientId,
      automatic: opts.automatic,
    });
    // Listening (issue 6): every message a customer writes is analysed by a job committed with it.
    if (!opts.automatic) await enqueue(tx, 'listening.analyze', { messageId: mid });
    const chan = opts.eventChannel ? { channel: opts.eventChannel } : {};
    const events: NewEvent[] = [ev(ctx, p, c, 'message.received', { messageId: mid, ...(opts.automatic ? { automatic: true } : {}) }, { agentId: null, ...chan })];
    // An automatic message (out-of-office, bounce) neither reopens the conversation nor starts a reply clock.
    const reopen = !opts.automatic && (c.status === 'solved' || c.status === 'pending');
    if (reopen) events.push(...(await applyStatus(ctx, tx, p, c, 'open')));
    // The next-reply clock starts when a customer writes after an agent has answered.
    const clock = c.first_replied_at ? await slaClockFor(tx, c.queue_id) : null;
    const nextDue = !opts.automatic && c.first_replied_at && !c.next_reply_due_at ? dueAt(clock, 'next_reply', now) : null;
    await tx.query(
      `UPDATE conversations SET last_message_at = $2, updated_at = $2, next_reply_due_at = coalesce(next_reply_due_at, $3) WHERE id = $1`,
      [id, now, nextDue],
    );
    await scheduleSla(tx, id, { next_reply: nextDue });
    await appendEvents(tx, customerEvents(c, events));
    await publishChange(tx, { accountId: p.accountId, type: 'message.created', conversationId: id, messageId: mid });
    await emitWebhook(tx, p.accountId, 'message.created', { conversationId: id, messageId: mid, kind: 'customer' }, now);
    await opts.afterWrite?.(tx, { conversationId: id, messageId: mid, duplicate: false });
    return mid;
  });
  return getMessage(ctx, p, messageId);
}

export async function addNote(ctx: Ctx, p: Principal, id: string, input: MessageInput) {
  requireCap(p, 'conversations');
  const body = messageBody(input);
  const now = ctx.now();
  const messageId = await ctx.db.transaction(async (tx) => {
    const c = await lockConv(tx, p, id);
    const mid = await insertMessage(tx, p.accountId, id, {
      kind: 'note', direction: null, authorType: 'agent', authorUserId: p.userId, ...body, language: null, at: now,
      attachments: input.attachments,
    });
    await tx.query('UPDATE conversations SET updated_at = $2 WHERE id = $1', [id, now]);
    await appendEvents(tx, [ev(ctx, p, c, 'note.added', { messageId: mid })]);
    await publishChange(tx, { accountId: p.accountId, type: 'message.created', conversationId: id, messageId: mid });
    await emitWebhook(tx, p.accountId, 'message.created', { conversationId: id, messageId: mid, kind: 'note' }, now);
    return mid;
  });
  return getMessage(ctx, p, messageId);
}

export async function getMessage(ctx: Ctx, p: Principal, id: string) {
  const r = await ctx.db.query(`SELECT ${MESSAGE_COLS}, m.conversation_id AS "conversationId" FROM messages m WHERE m.account_id = $1 AND m.id = $2`, [
    p.accountId,
    id,
  ]);
  if (!r.rows[0]) throw notFound('Message');
  return r.rows[0];
}

export async function getAttachment(ctx: Ctx, p: Principal, id: string) {
  requireCap(p, 'conversations');
  if (!isUuid(id)) throw notFound('Attachment');
  const r = await ctx.db.query<{ filename: string; content_type: string; content: Uint8Array }>(
    'SELECT filename, content_type, content FROM attachments WHERE account_id = $1 AND id = $2',
    [p.accountId, id],
  );
  if (!r.rows[0]) throw notFound('Attachment');
  return r.rows[0];
}

// ---------------------------------------------------------------- updates

/** Status change with its events: solved → contact.resolved; back from solved → contact.reopened. */
async function applyStatus(ctx: Ctx, tx: Tx, p: Principal, c: ConvRow, to: Status): Promise<NewEvent[]> {
  if (to === c.status) return [];
  if (c.status === 'closed') throw conflict('conversation_closed', 'A closed conversation cannot change status; open a follow-up');
  const now = ctx.now();
  const events = [ev(ctx, p, c, 'conversation.status_changed', { from: c.status, to })];
  if (to === 'solved' || to === 'closed') {
    if (c.status !== 'solved') events.push(ev(ctx, p, c, 'contact.resolved', {}));
    await tx.query('UPDATE conversations SET status = $2, solved_at = coalesce(solved_at, $3) WHERE id = $1', [c.id, to, now]);
    // Satisfaction (issue 7): the survey job after the configured delay; a reopen before it runs cancels it.
    if (c.status !== 'solved') await scheduleSurvey(tx, c.account_id, c.id, now);
  } else {
    if (c.status === 'solved') events.push(ev(ctx, p, c, 'contact.reopened', {}));
    await tx.query('UPDATE conversations SET status = $2, solved_at = NULL WHERE id = $1', [c.id, to]);
  }
  c.status = to;
  return events;
}

export interface ConversationPatch {
  status?: Status;
  priority?: Priority;
  queueId?: string | null;
  assigneeId?: string | null;
  tags?: string[];
  customFields?: Record<string, unknown>;
  subject?: string;
}

export async function updateConversation(ctx: Ctx, p: Principal, id: string, patch: ConversationPatch) {
  requireCap(p, 'conversations');
  if (patch.status && !(STATUSES as readonly string[]).includes(patch.status)) throw invalid('status', `unknown status '${patch.status}'`);
  if (patch.priority && !(PRIORITIES as readonly string[]).includes(patch.priority)) throw invalid('priority', `unknown priority '${patch.priority}'`);
  const tags = patch.tags ? checkTags(patch.tags) : undefined;
  const now = ctx.now();
  await ctx.db.transaction(async (tx) => {
    const c = await lockConv(tx, p, id);
    if (c.merged_into) throw conflict('conversation_merged', 'This conversation was merged', { mergedInto: c.merged_into });
    const events: NewEvent[] = [];
    if (patch.status) events.push(...(await applyStatus(ctx, tx, p, c, patch.status)));
    if (patch.priority && patch.priority !== c.priority) {
      await tx.query('UPDATE conversations SET priority = $2 WHERE id = $1', [id, patch.priority]);
      events.push(ev(ctx, p, c, 'conversation.priority_changed', { from: c.priority, to: patch.priority }));
    }
    if (patch.queueId !== undefined && patch.queueId !== c.queue_id) {
      if (patch.queueId) await checkQueue(tx, p, patch.queueId);
      await tx.query('UPDATE conversations SET queue_id = $2 WHERE id = $1', [id, patch.queueId]);
      events.push(ev(ctx, p, c, 'conversation.queue_changed', { from: c.queue_id, to: patch.queueId }));
      if (patch.queueId) events.push(ev(ctx, p, { ...c, queue_id: patch.queueId }, 'contact.transferred', { from: c.queue_id, to: patch.queueId }));
      c.queue_id = patch.queueId;
    }
    if (patch.assigneeId !== undefined && patch.assigneeId !== c.assignee_id) events.push(...(await assignIn(ctx, tx, p, c, patch.assigneeId)));
    if (tags && tags.join() !== c.tags.join()) {
      await tx.query('UPDATE conversations SET tags = $2 WHERE id = $1', [id, tags]);
      events.push(ev(ctx, p, c, 'conversation.tagged', { from: c.tags, to: tags }));
    }
    if (patch.customFields) {
      await tx.query('UPDATE conversations SET custom_fields = custom_fields || $2::jsonb WHERE id = $1', [id, JSON.stringify(patch.customFields)]);
      events.push(ev(ctx, p, c, 'conversation.fields_changed', { set: patch.customFields }));
    }
    if (patch.subject !== undefined) {
      if (!patch.subject.trim()) throw invalid('subject', 'must not be empty');
      await tx.query('UPDATE conversations SET subject = $2 WHERE id = $1', [id, patch.subject.trim().slice(0, 250)]);
    }
    await tx.query('UPDATE conversations SET updated_at = $2 WHERE id = $1', [id, now]);
    await appendEvents(tx, customerEvents(c, events));
    await audit(tx, p, 'conversation.updated', { type: 'conversation', id }, { ...patch });
    await publishChange(tx, { accountId: p.accountId, type: 'conversation.updated', conversationId: id });
    await emitWebhook(tx, p.accountId, 'conversation.updated', { conversationId: id, changes: patch }, now);
  });
  return getConversation(ctx, p, id);
}

async function assignIn(ctx: Ctx, tx: Tx, p: Principal, c: ConvRow, to: string | null): Promise<NewEvent[]> {
  if (to) await checkAssignee(tx, p, to);
  await tx.query('UPDATE conversations SET assignee_id = $2 WHERE id = $1', [c.id, to]);
  if (to) await tx.query('UPDATE users SET last_assigned_at = $2 WHERE id = $1', [to, ctx.now()]);
  const events = [ev(ctx, p, c, 'conversation.assigned', { from: c.assignee_id, to })];
  if (to) events.push(ev(ctx, p, c, 'agent.offered', {}, { agentId: to }));
  c.assignee_id = to;
  return events;
}

/** Assigns to a named user, or (auto) by the queue's rule; `mode` may force round_robin or load. */
export async function assignConversation(
  ctx: Ctx,
  p: Principal,
  id: string,
  input: { assigneeId?: string | null; auto?: boolean; mode?: 'round_robin' | 'load' },
) {
  requireCap(p, 'conversations');
  const now = ctx.now();
  await ctx.db.transaction(async (tx) => {
    const c = await lockConv(tx, p, id);
    let to: string | null;
    if (input.auto) {
      if (!c.queue_id) throw invalid('auto', 'the conversation has no queue to assign from');
      const q = await tx.query<{ assignment: string }>('SELECT assignment FROM queues WHERE id = $1', [c.queue_id]);
      if (q.rows[0].assignment === 'manual' && !input.mode)
        throw invalid('auto', "the queue assigns manually; pass mode 'round_robin' or 'load'");
      to = await pickAgent(tx, p.accountId, c.queue_id, input.mode);
      if (!to) throw new AppError('no_agent_available', 'No available agent below capacity in this queue', 409);
    } else {
      if (input.assigneeId === undefined) throw invalid('assigneeId', 'give assigneeId (null to unassign) or auto: true');
      to = input.assigneeId;
    }
    if (to === c.assignee_id) return;
    const events = await assignIn(ctx, tx, p, c, to);
    await tx.query('UPDATE conversations SET updated_at = $2 WHERE id = $1', [id, now]);
    await appendEvents(tx, customerEvents(c, events));
    await audit(tx, p, 'conversation.assigned', { type: 'conversation', id }, { to, auto: !!input.auto });
    await publishChange(tx, { accountId: p.accountId, type: 'conversation.updated', conversationId: id });
    await emitWebhook(tx, p.accountId, 'conversation.updated', { conversationId: id, changes: { assigneeId: to } }, now);
  });
  return getConversation(ctx, p, id);
}

export async function changeTags(ctx: Ctx, p: Principal, id: string, input: { add?: string[]; remove?: string[] }) {
  const c = await getConversation(ctx, p, id);
  const remove = new Set(checkTags(input.remove ?? [], 'remove'));
  const next = [...new Set([...(c.tags as string[]), ...checkTags(input.add ?? [], 'add')])].filter((t) => !remove.has(t));
  return updateConversation(ctx, p, id, { tags: next });
}

// ---------------------------------------------------------------- merge and split

/** Moves every message of `sourceId` into `targetId`; the source is closed and points at the target. */
export async function mergeConversations(ctx: Ctx, p: Principal, sourceId: string, targetId: string) {
  requireCap(p, 'conversations');
  if (sourceId === targetId) throw invalid('into', 'a conversation cannot be merged into itself');
  const now = ctx.now();
  await ctx.db.transaction(async (tx) => {
    // Lock in id order so two opposite merges cannot deadlock.
    const [a, b] = [sourceId, targetId].sort();
    const first = await lockConv(tx, p, a);
    const second = await lockConv(tx, p, b);
    const source = first.id === sourceId ? first : second;
    const target = first.id === targetId ? first : second;
    if (source.merged_into) throw conflict('conversation_merged', 'This conversation was merged already');
    if (target.merged_into) throw invalid('into', 'the target was itself merged; merge into the surviving conversation');
    if (target.status === 'closed') throw invalid('into', 'cannot merge into a closed conversation');
    const moved = await tx.query<{ id: string }>('UPDATE messages SET conversation_id = $2 WHERE conversation_id = $1 RETURNING id', [
      sourceId,
      targetId,
    ]);
    const tags = [...new Set([...target.tags, ...source.tags])];
    await tx.query(
      `UPDATE conversations SET tags = $2, last_message_at = greatest(last_message_at, (SELECT last_message_at FROM conversations WHERE id = $3)),
              updated_at = $4 WHERE id = $1`,
      [targetId, tags, sourceId, now],
    );
    await tx.query(`UPDATE conversations SET merged_into = $2, status = 'closed', solved_at = coalesce(solved_at, $3), updated_at = $3 WHERE id = $1`, [
      sourceId,
      targetId,
      now,
    ]);
    await insertMessage(tx, p.accountId, targetId, {
      kind: 'note', direction: null, authorType: 'system', authorUserId: p.userId,
      text: `#${source.number} "${source.subject}" was merged into this conversation (${moved.rows.length} messages).`,
      html: null, language: null, at: now,
    });
    await appendEvents(tx, [
      ev(ctx, p, source, 'conversation.merged', { into: targetId, role: 'source', messages: moved.rows.map((m) => m.id) }),
      ev(ctx, p, target, 'conversation.merged', { from: sourceId, role: 'target', messages: moved.rows.map((m) => m.id) }),
    ]);
    await audit(tx, p, 'conversation.merged', { type: 'conversation', id: targetId }, { from: sourceId });
    for (const cid of [sourceId, targetId]) {
      await publishChange(tx, { accountId: p.accountId, type: 'conversation.updated', conversationId: cid });
      await emitWebhook(tx, p.accountId, 'conversation.updated', { conversationId: cid, changes: { merged: { from: sourceId, into: targetId } } }, now);
    }
  });
  return getConversation(ctx, p, targetId);
}

/** Moves the chosen messages into a new conversation of the same customer, channel and queue. */
export async function splitConversation(ctx: Ctx, p: Principal, id: string, input: { messageIds: string[]; subject?: string }) {
  requireCap(p, 'conversations');
  const ids = [...new Set(input.messageIds ?? [])];
  if (!ids.length) throw invalid('messageIds', 'name at least one message to split off');
  for (const m of ids) if (!isUuid(m)) throw invalid('messageIds', `not a message id: '${m}'`);
  const now = ctx.now();
  const newId = await ctx.db.transaction(async (tx) => {
    const c = await lockConv(tx, p, id);
    if (c.merged_into || c.status === 'closed') throw conflict('conversation_closed', 'Split from an open conversation');
    const all = await tx.query<{ id: string; kind: string; created_at: Date }>(
      'SELECT id, kind, created_at FROM messages WHERE conversation_id = $1 ORDER BY created_at, id',
      [id],
    );
    const mine = new Set(all.rows.map((r) => r.id));
    const stranger = ids.find((m) => !mine.has(m));
    if (stranger) throw invalid('messageIds', `message ${stranger} is not in this conversation`);
    if (all.rows.filter((r) => r.kind === 'message' && !ids.includes(r.id)).length === 0)
      throw invalid('messageIds', 'at least one message must stay in the original conversation');
    const num = await tx.query<{ n: number }>(
      'SELECT earshot_next_conversation_number($1) AS n',
      [p.accountId],
    );
    const lastAt = all.rows.filter((r) => ids.includes(r.id)).at(-1)!.created_at;
    const r = await tx.query<ConvRow>(
      `INSERT INTO conversations (account_id, number, subject, status, channel, queue_id, customer_id, priority, language, split_from,
                                  last_message_at, created_at, updated_at)
       VALUES ($1, $2, $3, 'open', $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING *`,
      [p.accountId, num.rows[0].n, (input.subject ?? `${c.subject}`).slice(0, 250), c.channel, c.queue_id, c.customer_id, c.priority,
       c.language, id, lastAt, now],
    );
    const created = r.rows[0];
    await tx.query('UPDATE messages SET conversation_id = $2 WHERE id = ANY($1::uuid[])', [ids, created.id]);
    await tx.query('UPDATE conversations SET updated_at = $2 WHERE id = $1', [id, now]);
    await appendEvents(tx, [
      ev(ctx, p, c, 'conversation.split', { into: created.id, role: 'source', messages: ids }),
      ev(ctx, p, created, 'conversation.split', { from: id, role: 'target', messages: ids }),
    ]);
    await audit(tx, p, 'conversation.split', { type: 'conversation', id }, { into: created.id, messageIds: ids });
    await publishChange(tx, { accountId: p.accountId, type: 'conversation.updated', conversationId: id });
    await publishChange(tx, { accountId: p.accountId, type: 'conversation.created', conversationId: created.id });
    await emitWebhook(tx, p.accountId, 'conversation.created', { conversationId: created.id, number: created.number, splitFrom: id }, now);
    return created.id;
  });
  return getConversation(ctx, p, newId);
}

// ---------------------------------------------------------------- collision detection

const VIEW_TTL_MS = 30_000;

export async function listViewers(ctx: Ctx, conversationId: string, tx: Tx = ctx.db) {
  const r = await tx.query(
    `SELECT v.user_id AS "userId", u.name, v.mode, v.expires_at AS "expiresAt" FROM conversation_viewers v JOIN users u ON u.id = v.user_id
      WHERE v.conversation_id = $1 AND v.expires_at > $2 ORDER BY u.name`,
    [conversationId, ctx.now()],
  );
  return r.rows;
}

/**
 * Marks the caller as viewing or replying for 30 s (clients renew while the conversation is open), or gone with
 * 'left'. Everyone else on the conversation is told at once; the answer lists the others.
 */
export async function setViewing(ctx: Ctx, p: Principal, id: string, mode: 'viewing' | 'replying' | 'left') {
  requireCap(p, 'conversations');
  if (!p.userId) throw new AppError('user_only', 'Viewing is tracked for signed-in users, not API tokens', 400);
  await ctx.db.transaction(async (tx) => {
    await getConversation(ctx, p, id, tx);
    if (mode === 'left') await tx.query('DELETE FROM conversation_viewers WHERE conversation_id = $1 AND user_id = $2', [id, p.userId]);
    else
      await tx.query(
        `INSERT INTO conversation_viewers (conversation_id, user_id, mode, expires_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (conversation_id, user_id) DO UPDATE SET mode = $3, expires_at = $4`,
        [id, p.userId, mode, new Date(ctx.now().getTime() + VIEW_TTL_MS)],
      );
    await publishChange(tx, { accountId: p.accountId, type: 'viewers.changed', conversationId: id });
  });
  const all = await listViewers(ctx, id);
  return { others: all.filter((v: any) => v.userId !== p.userId) };
}

// ---------------------------------------------------------------- macros

export async function renderMacroFor(ctx: Ctx, p: Principal, id: string, macroId: string) {
  const conv = await getConversation(ctx, p, id);
  const macro = await getMacro(ctx, p, macroId);
  const agent = p.userId ? (await ctx.db.query<{ name: string }>('SELECT name FROM users WHERE id = $1', [p.userId])).rows[0] : null;
  const account = (await ctx.db.query<{ name: string }>('SELECT name FROM accounts WHERE id = $1', [p.accountId])).rows[0];
  const customerName: string | null = conv.customer.name;
  const text = render(macro.body, {
    'customer.name': customerName,
    'customer.first_name': customerName?.split(/\s+/)[0],
    'customer.email': conv.customer.identities.find((i: any) => i.kind === 'email')?.value,
    'agent.name': agent?.name,
    'agent.first_name': agent?.name.split(/\s+/)[0],
    'conversation.number': conv.number,
    'conversation.subject': conv.subject,
    'account.name': account.name,
  });
  return { macro, text };
}

/** Applies a macro: posts its rendered reply (or note) and carries out its actions. */
export async function applyMacro(ctx: Ctx, p: Principal, id: string, macroId: string) {
  const { macro, text } = await renderMacroFor(ctx, p, id, macroId);
  const a = macro.actions;
  const message = macro.kind === 'note' ? await addNote(ctx, p, id, { text }) : await reply(ctx, p, id, { text, status: a.status });
  const patch: ConversationPatch = {};
  if (a.priority) patch.priority = a.priority;
  if (a.queueId) patch.queueId = a.queueId;
  if (macro.kind === 'note' && a.status) patch.status = a.status;
  if (a.addTags?.length) {
    const conv = await getConversation(ctx, p, id);
    patch.tags = [...new Set([...(conv.tags as string[]), ...a.addTags])];
  }
  const conversation = Object.keys(patch).length ? await updateConversation(ctx, p, id, patch) : await getConversation(ctx, p, id);
  return { message, conversation };
}

// ---------------------------------------------------------------- SLA

/** Job: records a breach when the due time passed and the target is still unmet. Safe to run twice. */
export async function checkSla(ctx: Ctx, payload: { conversationId: string; metric: 'first_reply' | 'next_reply' | 'resolution'; dueAt: string }) {
  const now = ctx.now();
  await ctx.db.transaction(async (tx) => {
    const r = await tx.query<ConvRow & { solved_at: Date | null }>('SELECT * FROM conversations WHERE id = $1 FOR UPDATE', [payload.conversationId]);
    const c = r.rows[0];
    if (!c || c.merged_into) return;
    const due = new Date(payload.dueAt);
    if (due > now) return;
    const col = payload.metric === 'first_reply' ? c.first_reply_due_at : payload.metric === 'next_reply' ? c.next_reply_due_at : c.resolution_due_at;
    // A due time that has since changed (new policy, clock restarted) belongs to another job.
    if (!col || col.getTime() !== due.getTime()) return;
    const met =
      payload.metric === 'first_reply'
        ? !!c.first_replied_at && c.first_replied_at <= due
        : payload.metric === 'resolution'
          ? !!c.solved_at && c.solved_at <= due
          : false; // next_reply_due_at is cleared by the reply that meets it
    if (met) return;
    // The target was missed at the due time, whenever this check runs (a server down at the due time detects it
    // later): the breach and its event are stamped with the due time, the detection time is kept beside it.
    const ins = await tx.query(
      'INSERT INTO sla_breaches (conversation_id, metric, due_at, breached_at, detected_at) VALUES ($1, $2, $3, $3, $4) ON CONFLICT DO NOTHING',
      [c.id, payload.metric, due, now],
    );
    if (!ins.rowCount) return;
    const p: Principal = { accountId: c.account_id, role: 'admin', kind: 'system', userId: null, tokenId: null };
    const data = { metric: payload.metric, dueAt: due.toISOString(), detectedAt: now.toISOString() };
    await appendEvents(tx, [ev(ctx, p, c, 'sla.breached', data, { agentId: c.assignee_id, occurredAt: due })]);
    await publishChange(tx, { accountId: c.account_id, type: 'conversation.updated', conversationId: c.id });
    await emitWebhook(tx, c.account_id, 'sla.breached', { conversationId: c.id, ...data }, now);
  });
}
