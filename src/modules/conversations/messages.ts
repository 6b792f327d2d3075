/** Messages: an agent's reply, a customer's follow-up, an agent's internal note. */
import type { Ctx, Principal } from '../../platform/context.js';
import { requireCap } from '../../platform/context.js';
import { conflict, invalid, isUuid } from '../../platform/errors.js';
import { guessLanguage } from '../../platform/lang.js';
import { enqueue } from '../../platform/jobs.js';
import type { NewEvent } from '../events/index.js';
import { dueAt, slaClockFor } from '../queues/index.js';
import { deliverReply } from '../channels/index.js';
import { getMessage } from './read.js';
import { applyStatus } from './status.js';
import { byClientId, insertMessage, messageBody, messageEnding } from './message-store.js';
import { customerEvents, ev, lockConv, scheduleSla, STATUSES, type MessageInput, type Status, type WriteOptions } from './shared.js';

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
    const newStatus: Status = input.status ?? (c.status === 'new' ? 'open' : c.status);
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
    await messageEnding(tx, p, now, customerEvents(c, events), { conversationId: id, messageId: mid, kind: 'reply' });
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
    await messageEnding(tx, p, now, customerEvents(c, events), { conversationId: id, messageId: mid, kind: 'customer' });
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
    await messageEnding(tx, p, now, [ev(ctx, p, c, 'note.added', { messageId: mid })], { conversationId: id, messageId: mid, kind: 'note' });
    return mid;
  });
  return getMessage(ctx, p, messageId);
}

