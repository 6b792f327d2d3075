/** Changing a conversation: status, priority, queue, assignee, tags, custom fields, subject. */
import { markAssigned } from '../accounts/index.js';
import type { Ctx, Principal, Tx } from '../../platform/context.js';
import { requireCap } from '../../platform/context.js';
import { AppError, conflict, invalid } from '../../platform/errors.js';
import type { NewEvent } from '../events/index.js';
import { recordChange } from '../changes/index.js';
import { pickAgent } from '../queues/index.js';
import { getConversation } from './read.js';
import { applyStatus } from './status.js';
import {
  checkAssignee, checkQueue, checkTags, customerEvents, ev, lockConv, PRIORITIES, STATUSES, type ConvRow, type Priority, type Status,
} from './shared.js';

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
    await recordChange(tx, p, now, {
      events: customerEvents(c, events),
      audit: { action: 'conversation.updated', target: { type: 'conversation', id }, data: { ...patch } },
      change: { type: 'conversation.updated', conversationId: id },
      webhook: { event: 'conversation.updated', data: { conversationId: id, changes: patch } },
    });
  });
  return getConversation(ctx, p, id);
}

async function assignIn(ctx: Ctx, tx: Tx, p: Principal, c: ConvRow, to: string | null): Promise<NewEvent[]> {
  if (to) await checkAssignee(tx, p, to);
  await tx.query('UPDATE conversations SET assignee_id = $2 WHERE id = $1', [c.id, to]);
  if (to) await markAssigned(tx, to, ctx.now());
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
    await recordChange(tx, p, now, {
      events: customerEvents(c, events),
      audit: { action: 'conversation.assigned', target: { type: 'conversation', id }, data: { to, auto: !!input.auto } },
      change: { type: 'conversation.updated', conversationId: id },
      webhook: { event: 'conversation.updated', data: { conversationId: id, changes: { assigneeId: to } } },
    });
  });
  return getConversation(ctx, p, id);
}

export async function changeTags(ctx: Ctx, p: Principal, id: string, input: { add?: string[]; remove?: string[] }) {
  const c = await getConversation(ctx, p, id);
  const remove = new Set(checkTags(input.remove ?? [], 'remove'));
  const next = [...new Set([...(c.tags as string[]), ...checkTags(input.add ?? [], 'add')])].filter((t) => !remove.has(t));
  return updateConversation(ctx, p, id, { tags: next });
}

