/**
 * What other modules (listening, the channels, customers) change on a conversation. They run inside the caller's
 * transaction, so a module's own rows commit with the conversation change; each writes the module's usual ending
 * (events, audit, realtime notice, webhook where the API's own path sends one). No other module writes the
 * conversations, messages or attachments tables.
 */
import type { Ctx, Principal, Tx } from '../../platform/context.js';
import { conflict, isUuid, notFound } from '../../platform/errors.js';
import type { NewEvent } from '../events/index.js';
import { recordChange } from '../changes/index.js';
import { insertMessage, messageEnding } from './message-store.js';
import { applyStatus } from './status.js';
import { checkTags, customerEvents, ev, lockConv, PRIORITIES, type ConvRow, type Priority } from './shared.js';

const RANK = (p: Priority) => PRIORITIES.indexOf(p);

async function insertSystemNote(ctx: Ctx, tx: Tx, p: Principal, c: ConvRow, note: { text: string; language?: string | null }) {
  const now = ctx.now();
  const id = await insertMessage(tx, p.accountId, c.id, {
    kind: 'note', direction: null, authorType: 'system', text: note.text, html: null, language: note.language ?? null, at: now,
  });
  return { id, event: ev(ctx, p, c, 'note.added', { messageId: id, system: true }) };
}

/** An internal note written by the system (not by an agent): `note.added` with `system: true`, notice and webhook. */
export async function addSystemNote(ctx: Ctx, tx: Tx, p: Principal, conversationId: string, note: { text: string; language?: string | null }) {
  const c = await lockConv(tx, p, conversationId);
  const now = ctx.now();
  const n = await insertSystemNote(ctx, tx, p, c, note);
  await tx.query('UPDATE conversations SET updated_at = $2 WHERE id = $1', [c.id, now]);
  await messageEnding(tx, p, now, [n.event], { conversationId: c.id, messageId: n.id, kind: 'note' });
  return n.id;
}

export interface PriorityRaise {
  to: Priority;
  /** Who raised it (e.g. 'listening'); in the event and the webhook. */
  reason: string;
  /** Why, for the event, audit entry and webhook (e.g. `{ urgency: 'medical', messageId }`). */
  details: Record<string, unknown>;
  /** The audit entry's evidence (the words that caused the raise). */
  evidence?: string | null;
  /** The system note that tells the agents why, in the customer's language. */
  note: { text: string; language: string | null };
}

/**
 * Raises a conversation's priority with a reason shown as a system note; never lowers it, never touches a merged
 * conversation. Returns the note's id, or null when nothing was raised.
 */
export async function raisePriority(ctx: Ctx, tx: Tx, p: Principal, conversationId: string, r: PriorityRaise): Promise<string | null> {
  const c = await lockConv(tx, p, conversationId);
  if (c.merged_into || RANK(r.to) <= RANK(c.priority)) return null;
  const now = ctx.now();
  await tx.query('UPDATE conversations SET priority = $2, updated_at = $3 WHERE id = $1', [c.id, r.to, now]);
  const note = await insertSystemNote(ctx, tx, p, c, r.note);
  await recordChange(tx, p, now, {
    events: customerEvents(c, [ev(ctx, p, c, 'conversation.priority_changed', { from: c.priority, to: r.to, reason: r.reason, ...r.details }), note.event]),
    audit: {
      action: 'conversation.priority_raised',
      target: { type: 'conversation', id: c.id },
      data: { from: c.priority, to: r.to, ...r.details, evidence: r.evidence ?? null },
    },
    change: [
      { type: 'conversation.updated', conversationId: c.id },
      { type: 'message.created', conversationId: c.id, messageId: note.id },
    ],
    webhook: { event: 'conversation.updated', data: { conversationId: c.id, changes: { priority: r.to }, reason: r.reason, ...r.details } },
  });
  return note.id;
}

/** Adds tags (as the API's tag change does: `conversation.tagged`, audit, notice, webhook). Returns the tags. */
export async function tagConversation(ctx: Ctx, tx: Tx, p: Principal, conversationId: string, add: string[]): Promise<string[]> {
  const c = await lockConv(tx, p, conversationId);
  if (c.merged_into) throw conflict('conversation_merged', 'This conversation was merged', { mergedInto: c.merged_into });
  const tags = [...new Set([...c.tags, ...checkTags(add, 'add')])];
  if (tags.length === c.tags.length) return c.tags;
  const now = ctx.now();
  await tx.query('UPDATE conversations SET tags = $2, updated_at = $3 WHERE id = $1', [c.id, tags, now]);
  await recordChange(tx, p, now, {
    events: customerEvents(c, [ev(ctx, p, c, 'conversation.tagged', { from: c.tags, to: tags })]),
    audit: { action: 'conversation.updated', target: { type: 'conversation', id: c.id }, data: { tags } },
    change: { type: 'conversation.updated', conversationId: c.id },
    webhook: { event: 'conversation.updated', data: { conversationId: c.id, changes: { tags } } },
  });
  return tags;
}

/**
 * A customer wrote again through a channel to a conversation that is over. The rule (kept from the email channel,
 * where a mailbox with on_closed = 'reopen' asks for it):
 *   - closed → open: only a channel may do this (the API refuses to change a closed conversation); the events say
 *     `by: <channel>` and `contact.reopened` `{ from: 'closed' }`, with a realtime notice, no audit entry or webhook;
 *   - solved or pending → open: as a customer's message does anyway (contact.reopened when it was solved);
 *   - anything else: nothing. A merged conversation is refused.
 * The caller then stores the customer's message (addCustomerMessage). Returns whether the status changed.
 */
export async function reopenFromChannel(ctx: Ctx, tx: Tx, p: Principal, conversationId: string, channel: string): Promise<boolean> {
  const c = await lockConv(tx, p, conversationId);
  if (c.merged_into) throw conflict('conversation_merged', 'This conversation was merged', { mergedInto: c.merged_into });
  const now = ctx.now();
  let events: NewEvent[];
  if (c.status === 'closed') {
    await tx.query(`UPDATE conversations SET status = 'open', solved_at = NULL, updated_at = $2 WHERE id = $1`, [c.id, now]);
    // As the email channel always wrote them: not filtered by customerEvents, even for a robot's conversation.
    events = [
      ev(ctx, p, c, 'conversation.status_changed', { from: 'closed', to: 'open', by: channel }),
      ev(ctx, p, c, 'contact.reopened', { from: 'closed' }),
    ];
  } else if (c.status === 'solved' || c.status === 'pending') {
    events = customerEvents(c, await applyStatus(ctx, tx, p, c, 'open'));
    await tx.query('UPDATE conversations SET updated_at = $2 WHERE id = $1', [c.id, now]);
  } else return false;
  await recordChange(tx, p, now, { events, change: { type: 'conversation.updated', conversationId: c.id } });
  return true;
}

/**
 * What a channel learned about its contact, recorded on the conversation (e.g. a chat that ended unanswered: the
 * tag 'abandoned', a `contact.abandoned` event and the channel's audit entry). Tags already there are not added
 * twice; the change is announced to open screens.
 */
export async function recordChannelOutcome(
  ctx: Ctx,
  tx: Tx,
  p: Principal,
  conversationId: string,
  o: { addTags?: string[]; events?: NewEvent[]; audit?: { action: string; data?: Record<string, unknown> } },
) {
  if (!isUuid(conversationId)) throw notFound('Conversation');
  const now = ctx.now();
  const tags = checkTags(o.addTags ?? []);
  if (tags.length)
    await tx.query(
      `UPDATE conversations SET tags = tags || ARRAY(SELECT t FROM unnest($3::text[]) WITH ORDINALITY u(t, i) WHERE NOT t = ANY(tags) ORDER BY i), updated_at = $4
        WHERE id = $1 AND account_id = $2 AND NOT (tags @> $3::text[])`,
      [conversationId, p.accountId, tags, now],
    );
  await recordChange(tx, p, now, {
    events: o.events,
    audit: o.audit && { action: o.audit.action, target: { type: 'conversation', id: conversationId }, data: o.audit.data },
    change: { type: 'conversation.updated', conversationId },
  });
}

/**
 * The customers module's merge: every conversation and message of `sourceId` now belongs to `targetId`. Registered
 * as customers' merge hook by index.ts. Returns the moved conversations for the `customer.merged` event.
 */
export async function moveCustomerConversations(tx: Tx, e: { sourceId: string; targetId: string }) {
  const moved = await tx.query<{ id: string }>('UPDATE conversations SET customer_id = $2 WHERE customer_id = $1 RETURNING id', [e.sourceId, e.targetId]);
  await tx.query('UPDATE messages SET author_customer_id = $2 WHERE author_customer_id = $1', [e.sourceId, e.targetId]);
  return { conversations: moved.rows.map((r) => r.id) };
}
