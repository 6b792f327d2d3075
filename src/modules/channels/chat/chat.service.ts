/**
 * The chat channel's logic: visitor sessions (random token, stored hashed), availability (an available agent in the
 * queue's team while the queue's business hours are open), opening a chat (or an email conversation when nobody can
 * answer), visitor messages with client ids, the visitor-facing message order (seq), leaving and the grace period
 * that turns a vanished, unanswered visitor into an abandoned contact.
 */
import { randomBytes } from 'node:crypto';
import type { Ctx, Tx } from '../../../platform/context.js';
import { systemPrincipal } from '../../../platform/context.js';
import { AppError, invalid, isUuid } from '../../../platform/errors.js';
import { sha256 } from '../../../platform/password.js';
import { enqueue } from '../../../platform/jobs.js';
import { isOpen, type BusinessHours } from '../../../platform/business-hours.js';
import { publishChange } from '../../../platform/changes.js';
import { guessLanguage, type Lang } from '../../../platform/lang.js';
import { normaliseIdentity } from '../../customers/index.js';
import { recordChange } from '../../changes/index.js';
import * as conv from '../../conversations/index.js';
import { refuseIfBlocked } from '../../respect/index.js';
import { enqueueTranscript } from './transcript.js';

/** How long a visitor may stay disconnected before an unanswered chat counts as abandoned. */
export const GRACE_MS = 2 * 60_000;
/** Largest file a visitor may upload. */
export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;
export const MAX_TEXT = 10_000;
export const LANGS = ['en', 'de', 'nb'] as const;

export interface Session {
  id: string;
  accountId: string;
}

export interface Availability {
  available: boolean;
  /** Why not: 'closed' (outside business hours) or 'no_agent'. */
  reason?: 'closed' | 'no_agent';
}

export async function accountBySlug(ctx: Ctx, slug: unknown): Promise<string | null> {
  if (typeof slug !== 'string' || !/^[a-z0-9][a-z0-9-]{0,62}$/.test(slug)) return null;
  const r = await ctx.db.query<{ id: string }>('SELECT id FROM accounts WHERE slug = $1', [slug]);
  return r.rows[0]?.id ?? null;
}

export async function createSession(ctx: Ctx, accountId: string, ip: string | null): Promise<{ session: Session; token: string }> {
  const token = `cv_${randomBytes(24).toString('base64url')}`;
  const r = await ctx.db.query<{ id: string }>(
    'INSERT INTO chat_sessions (account_id, token_hash, ip, created_at, last_seen_at) VALUES ($1, $2, $3, $4, $4) RETURNING id',
    [accountId, sha256(token), ip, ctx.now()],
  );
  return { session: { id: r.rows[0].id, accountId }, token };
}

/** The session of a visitor token within the account, or null (unknown tokens and other accounts' tokens alike). */
export async function sessionByToken(ctx: Ctx, token: unknown, accountId?: string): Promise<Session | null> {
  if (typeof token !== 'string' || !/^cv_[\w-]{20,64}$/.test(token)) return null;
  const r = await ctx.db.query<{ id: string; account_id: string }>(
    'UPDATE chat_sessions SET last_seen_at = $2 WHERE token_hash = $1 RETURNING id, account_id',
    [sha256(token), ctx.now()],
  );
  const row = r.rows[0];
  if (!row || (accountId && row.account_id !== accountId)) return null;
  return { id: row.id, accountId: row.account_id };
}

interface QueueRow {
  id: string;
  business_hours: BusinessHours | null;
  timezone: string;
  team_id: string | null;
}

/** The queue the widget names (data-queue: a queue id or name); null when none is named. Unknown names are refused. */
export async function resolveQueue(ctx: Ctx, accountId: string, queue: unknown): Promise<QueueRow | null> {
  if (queue === undefined || queue === null || queue === '') return null;
  if (typeof queue !== 'string') throw invalid('queue', 'must be a queue id or name');
  const r = await ctx.db.query<QueueRow>(
    `SELECT id, business_hours, timezone, team_id FROM queues
      WHERE account_id = $1 AND (name = $2 OR ($3::uuid IS NOT NULL AND id = $3::uuid))`,
    [accountId, queue, isUuid(queue) ? queue : null],
  );
  if (!r.rows[0]) throw invalid('queue', `unknown queue '${queue}'`);
  return r.rows[0];
}

/**
 * An agent is available when a user with presence 'available' (not disabled) is in the queue's team — any such user
 * of the account when the queue has no team or none is named — and the queue's business hours are open now.
 */
export async function availability(ctx: Ctx, accountId: string, queue: QueueRow | null): Promise<Availability> {
  if (queue && !isOpen(ctx.now(), queue.business_hours, queue.timezone)) return { available: false, reason: 'closed' };
  const r = await ctx.db.query(
    `SELECT 1 FROM users u WHERE u.account_id = $1 AND u.disabled_at IS NULL AND u.presence = 'available'
        AND ($2::uuid IS NULL OR u.id IN (SELECT user_id FROM team_members WHERE team_id = $2)) LIMIT 1`,
    [accountId, queue?.team_id ?? null],
  );
  return r.rows.length ? { available: true } : { available: false, reason: 'no_agent' };
}

export interface OpenChat {
  conversationId: string;
  mode: 'chat' | 'email';
}

/** The session's chat that has not ended, if any. */
export async function openChat(ctx: Ctx, session: Session): Promise<OpenChat | null> {
  const r = await ctx.db.query<{ conversation_id: string; mode: 'chat' | 'email' }>(
    `SELECT conversation_id, mode FROM chat_conversations WHERE session_id = $1 AND ended_at IS NULL ORDER BY opened_at DESC LIMIT 1`,
    [session.id],
  );
  return r.rows[0] ? { conversationId: r.rows[0].conversation_id, mode: r.rows[0].mode } : null;
}

/**
 * Gives every message of the chat that has none yet its seq (in message order), under the chat's row lock so two
 * processes never number one chat at once. Notes are never part of a chat.
 */
export async function assignSeqs(tx: Tx, conversationId: string): Promise<void> {
  const r = await tx.query('SELECT 1 FROM chat_conversations WHERE conversation_id = $1 FOR UPDATE', [conversationId]);
  if (!r.rows.length) return;
  await tx.query(
    `INSERT INTO chat_deliveries (conversation_id, seq, message_id)
     SELECT $1, coalesce((SELECT max(seq) FROM chat_deliveries WHERE conversation_id = $1), 0)
                + row_number() OVER (ORDER BY m.created_at, m.id), m.id
       FROM messages m
      WHERE m.conversation_id = $1 AND m.kind = 'message'
        AND NOT EXISTS (SELECT 1 FROM chat_deliveries d WHERE d.message_id = m.id)`,
    [conversationId],
  );
}

export interface Delivery {
  seq: number;
  id: string;
  from: 'agent' | 'visitor';
  text: string;
  clientId: string | null;
  attachments: { id: string; filename: string; contentType: string; size: number }[];
  at: string;
}

/** The chat's messages after `afterSeq`, numbering new ones first. */
export async function deliveriesAfter(ctx: Ctx, conversationId: string, afterSeq: number): Promise<Delivery[]> {
  await ctx.db.transaction((tx) => assignSeqs(tx, conversationId));
  const r = await ctx.db.query<Delivery & { at: Date }>(
    `SELECT d.seq, m.id, CASE WHEN m.direction = 'outbound' THEN 'agent' ELSE 'visitor' END AS "from", m.text,
            m.client_id AS "clientId", m.created_at AS at,
            coalesce((SELECT json_agg(json_build_object('id', a.id, 'filename', a.filename, 'contentType', a.content_type, 'size', a.size)
                                      ORDER BY a.created_at) FROM attachments a WHERE a.message_id = m.id), '[]') AS attachments
       FROM chat_deliveries d JOIN messages m ON m.id = d.message_id
      WHERE d.conversation_id = $1 AND d.seq > $2 ORDER BY d.seq`,
    [conversationId, afterSeq],
  );
  return r.rows.map((x) => ({ ...x, at: new Date(x.at).toISOString() }));
}

export interface StartInput {
  name?: unknown;
  email?: unknown;
  lang?: unknown;
  queue?: unknown;
  text?: unknown;
  clientId?: unknown;
  uploads?: unknown;
}

function str(v: unknown, field: string, max: number): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw invalid(field, 'must be text');
  if (v.length > max) throw invalid(field, `at most ${max} characters`);
  return v;
}

async function uploadsAsAttachments(ctx: Ctx, session: Session, ids: unknown): Promise<conv.AttachmentInput[] | undefined> {
  if (ids === undefined || ids === null) return undefined;
  if (!Array.isArray(ids) || ids.length > 10 || !ids.every(isUuid)) throw invalid('uploads', 'at most 10 upload ids');
  if (!ids.length) return undefined;
  const r = await ctx.db.query<{ id: string; filename: string; content_type: string; content: Uint8Array }>(
    'SELECT id, filename, content_type, content FROM chat_uploads WHERE session_id = $1 AND id = ANY($2::uuid[])',
    [session.id, ids],
  );
  if (r.rows.length !== new Set(ids).size) throw invalid('uploads', 'unknown upload id (uploads belong to the visitor who sent them)');
  return r.rows.map((u) => ({ filename: u.filename, contentType: u.content_type, contentBase64: Buffer.from(u.content).toString('base64') }));
}

/**
 * Opens a chat from the pre-chat form and the first message. With an agent available it is a chat conversation;
 * otherwise the visitor must give an email and it becomes an email conversation (answered by email) whose contact
 * events still say 'chat'. A repeated start (the widget resends after a reconnect) adds to the open chat, stored once
 * by its client id.
 */
export async function startChat(ctx: Ctx, session: Session, input: StartInput) {
  const open = await openChat(ctx, session);
  if (open) return { ...(await visitorMessage(ctx, session, { clientId: input.clientId, text: input.text, uploads: input.uploads })), mode: open.mode };
  const name = str(input.name, 'name', 200)?.trim();
  let email = str(input.email, 'email', 320)?.trim();
  if (email) email = normaliseIdentity('email', email);
  const lang = str(input.lang, 'lang', 10);
  const browserLanguage = lang && (LANGS as readonly string[]).includes(lang) ? (lang as Lang) : undefined;
  const text = str(input.text, 'text', MAX_TEXT) ?? '';
  // The conversation's language is the one the visitor writes in, guessed from the first message as for email; the
  // widget's (browser's) language only when the text does not tell. A German visitor in an English browser is German.
  const language = guessLanguage(text) ?? browserLanguage;
  const clientId = str(input.clientId, 'clientId', 100);
  if (!clientId) throw invalid('clientId', 'every message needs a client id');
  // Respect (issue 7): a banned customer, or one restricted to other channels, may not start a chat.
  await refuseIfBlocked(ctx.db, session.accountId, [...(email ? [{ kind: 'email' as const, value: email }] : []), { kind: 'chat', value: normaliseIdentity('chat', session.id) }], 'chat', ctx.now(), browserLanguage ?? language ?? 'en');
  const queue = await resolveQueue(ctx, session.accountId, input.queue);
  const avail = await availability(ctx, session.accountId, queue);
  if (!avail.available && !email) throw new AppError('email_required', 'No agent is available now: leave an email address and we answer by email', 400, { field: 'email' });
  const mode: 'chat' | 'email' = avail.available ? 'chat' : 'email';
  const attachments = await uploadsAsAttachments(ctx, session, input.uploads);
  const p = systemPrincipal(session.accountId);
  let messageId = '';
  const c = await conv.createConversation(
    ctx,
    p,
    {
      // The typed email is unverified: it alone picks the customer. Sent together with the session's chat identity,
      // findOrCreateCustomer would attach it to whatever customer that session already belongs to (a visitor could
      // chat once as someone else's address, then again with their own, and sign in to the portal as that customer).
      customer: email ? { name, email, language } : { name, chatVisitorId: session.id, language },
      channel: mode === 'chat' ? 'chat' : 'email',
      queueId: queue?.id,
      message: { text, clientId, attachments },
    },
    {
      eventChannel: 'chat',
      afterWrite: async (tx, ids) => {
        messageId = ids.messageId;
        await tx.query(
          `INSERT INTO chat_conversations (conversation_id, account_id, session_id, mode, opened_at) VALUES ($1, $2, $3, $4, $5)`,
          [ids.conversationId, session.accountId, session.id, mode, ctx.now()],
        );
        await assignSeqs(tx, ids.conversationId);
      },
    },
  );
  return { conversationId: c.id as string, messageId, mode, availability: avail };
}

/** A visitor's message in the open chat; the same client id twice is stored once (and acknowledged both times). */
export async function visitorMessage(ctx: Ctx, session: Session, input: { clientId?: unknown; text?: unknown; uploads?: unknown }) {
  const open = await openChat(ctx, session);
  if (!open) throw new AppError('no_chat', 'No open chat: start one first', 409);
  const text = str(input.text, 'text', MAX_TEXT) ?? '';
  const clientId = str(input.clientId, 'clientId', 100);
  if (!clientId) throw invalid('clientId', 'every message needs a client id');
  const attachments = await uploadsAsAttachments(ctx, session, input.uploads);
  const m = await conv.addCustomerMessage(ctx, systemPrincipal(session.accountId), open.conversationId, { text, clientId, attachments }, {
    eventChannel: 'chat',
    afterWrite: (tx, ids) => assignSeqs(tx, ids.conversationId),
  });
  return { conversationId: open.conversationId, messageId: m.id as string };
}

/**
 * Ends a chat. Unanswered (no human reply yet) and still a live chat → the contact was abandoned: a
 * `contact.abandoned` event and the tag 'abandoned'. Answered, or moved to email → simply the end of the chat.
 * `onlyIfDisconnectedAt`: the grace job ends the chat only if the visitor has not come back since that disconnect.
 * `transcriptTo`: the address the visitor gave for the transcript (checked by the caller), mailed with the end.
 */
export async function endChat(ctx: Ctx, conversationId: string, reason: 'left' | 'timeout', onlyIfDisconnectedAt?: string, opts: { transcriptTo?: string } = {}) {
  return ctx.db.transaction(async (tx) => {
    const r = await tx.query<{
      account_id: string; mode: string; ended_at: Date | null; disconnected_at: Date | null;
      first_replied_at: Date | null; customer_id: string; queue_id: string | null;
    }>(
      `SELECT cc.account_id, cc.mode, cc.ended_at, cc.disconnected_at, c.first_replied_at, c.customer_id, c.queue_id
         FROM chat_conversations cc JOIN conversations c ON c.id = cc.conversation_id
        WHERE cc.conversation_id = $1 FOR UPDATE OF cc`,
      [conversationId],
    );
    const row = r.rows[0];
    if (!row || row.ended_at) return null;
    if (onlyIfDisconnectedAt !== undefined && (!row.disconnected_at || new Date(row.disconnected_at).toISOString() !== onlyIfDisconnectedAt)) return null;
    const now = ctx.now();
    const abandoned = row.mode === 'chat' && !row.first_replied_at;
    await tx.query(`UPDATE chat_conversations SET ended_at = $2, outcome = $3 WHERE conversation_id = $1`, [
      conversationId, now, abandoned ? 'abandoned' : 'left',
    ]);
    if (abandoned)
      await conv.recordChannelOutcome(ctx, tx, systemPrincipal(row.account_id), conversationId, {
        addTags: ['abandoned'],
        events: [{
          accountId: row.account_id, contactId: conversationId, type: 'contact.abandoned', channel: 'chat', occurredAt: now,
          conversationId, customerId: row.customer_id, queueId: row.queue_id, agentId: null, data: { reason },
        }],
        audit: { action: 'chat.abandoned', data: { reason } },
      });
    // The transcript the visitor asked for when ending the chat: queued with the end, so it goes out once.
    if (opts.transcriptTo) {
      await enqueueTranscript(tx, conversationId, opts.transcriptTo);
      await recordChange(tx, systemPrincipal(row.account_id), now, { audit: { action: 'chat.transcript_sent', target: { type: 'conversation', id: conversationId } } });
    }
    return { outcome: abandoned ? ('abandoned' as const) : ('left' as const), transcript: !!opts.transcriptTo };
  });
}

/** The visitor's last socket closed: note the time and check back after the grace period (a job, so restarts keep it). */
export async function visitorGone(ctx: Ctx, conversationId: string) {
  const at = ctx.now();
  await ctx.db.transaction(async (tx) => {
    const r = await tx.query(
      `UPDATE chat_conversations SET disconnected_at = $2 WHERE conversation_id = $1 AND ended_at IS NULL RETURNING 1`,
      [conversationId, at],
    );
    if (r.rows.length)
      await enqueue(tx, 'chat.grace', { conversationId, disconnectedAt: at.toISOString() }, { runAt: new Date(at.getTime() + GRACE_MS), maxAttempts: 5 });
  });
}

export async function visitorBack(ctx: Ctx, conversationId: string) {
  await ctx.db.query('UPDATE chat_conversations SET disconnected_at = NULL WHERE conversation_id = $1 AND ended_at IS NULL', [conversationId]);
}

/** Typing indicators travel on the changes channel (ids and a flag only), so every server process sees them. */
export async function publishTyping(tx: Tx, accountId: string, conversationId: string, from: 'agent' | 'visitor', on: boolean) {
  await publishChange(tx, { accountId, type: 'chat.typing', conversationId, from, on });
}

/** Agent typing (POST /conversations/:id/typing): only for a conversation of the agent's account. */
export async function agentTyping(ctx: Ctx, p: import('../../../platform/context.js').Principal, conversationId: string, on: boolean) {
  const c = await conv.getConversation(ctx, p, conversationId); // checks the capability and the account
  await publishTyping(ctx.db, p.accountId, c.id, 'agent', on);
}

export async function saveUpload(ctx: Ctx, session: Session, input: { filename?: unknown; contentType?: unknown; data?: unknown }) {
  const filename = str(input.filename, 'filename', 255)?.trim();
  if (!filename) throw invalid('filename', 'must not be empty');
  const contentType = str(input.contentType, 'contentType', 100) || 'application/octet-stream';
  if (!/^[\w.+-]+\/[\w.+-]+$/.test(contentType)) throw invalid('contentType', `not a media type: '${contentType}'`);
  if (typeof input.data !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(input.data)) throw invalid('data', 'the file as base64');
  const bytes = Buffer.from(input.data, 'base64');
  if (bytes.length === 0) throw invalid('data', 'the file is empty');
  if (bytes.length > MAX_UPLOAD_BYTES) throw new AppError('too_large', `The file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MiB`, 413);
  const r = await ctx.db.query<{ id: string }>(
    `INSERT INTO chat_uploads (account_id, session_id, filename, content_type, size, content, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [session.accountId, session.id, filename, contentType, bytes.length, bytes, ctx.now()],
  );
  return { id: r.rows[0].id, filename, contentType, size: bytes.length };
}
