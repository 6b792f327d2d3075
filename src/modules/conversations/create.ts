/** Opening a conversation with its first (customer) message: API clients and every channel. */
import { markAssigned } from '../accounts/index.js';
import type { Ctx, Principal } from '../../platform/context.js';
import { requireCap } from '../../platform/context.js';
import { invalid } from '../../platform/errors.js';
import { guessLanguage } from '../../platform/lang.js';
import { enqueue } from '../../platform/jobs.js';
import { CHANNELS, type NewEvent } from '../events/index.js';
import { findOrCreateCustomer, type CustomerInput } from '../customers/index.js';
import { dueAt, pickAgent, slaClockFor } from '../queues/index.js';
import { recordChange } from '../changes/index.js';
import { getConversation } from './read.js';
import { insertMessage, messageBody } from './message-store.js';
import {
  checkAssignee, checkQueue, checkTags, customerEvents, ev, scheduleSla, type ConvRow, type MessageInput, type Priority, type WriteOptions,
} from './shared.js';

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
    // A robot's message (opts.automatic) is kept for the agents to see, but starts no reply or resolution clock.
    const firstDue = opts.automatic ? null : dueAt(clock, 'first_reply', now);
    const resolutionDue = opts.automatic ? null : dueAt(clock, 'resolution', now);
    const subject = (input.subject ?? body.text.split('\n')[0]).trim().slice(0, 250);
    const r = await tx.query<ConvRow>(
      `INSERT INTO conversations (account_id, number, subject, channel, queue_id, customer_id, priority, tags, custom_fields,
                                  language, first_reply_due_at, resolution_due_at, last_message_at, created_at, updated_at, automatic, client_id,
                                  follow_up_of)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, $13, $14, $15, $16) RETURNING *`,
      [p.accountId, num.rows[0].n, subject, input.channel, input.queueId ?? null, customer.id, input.priority ?? 'normal', tags,
       JSON.stringify(input.customFields ?? {}), language, firstDue, resolutionDue, now, opts.automatic ?? false, clientId, opts.followUpOf ?? null],
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
      await markAssigned(tx, assignee, now);
      events.push(ev(ctx, p, conv, 'conversation.assigned', { from: null, to: assignee, auto: !input.assigneeId }, { agentId: assignee, ...chan }));
      events.push(ev(ctx, p, conv, 'agent.offered', {}, { agentId: assignee, ...chan }));
    }
    await scheduleSla(tx, conv.id, { first_reply: firstDue, resolution: resolutionDue });
    await recordChange(tx, p, now, {
      events: customerEvents(conv, events),
      audit: { action: 'conversation.created', target: { type: 'conversation', id: conv.id }, data: { number: conv.number, channel: conv.channel } },
      change: { type: 'conversation.created', conversationId: conv.id },
      webhook: { event: 'conversation.created', data: { conversationId: conv.id, number: conv.number, messageId } },
    });
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

