/** Merging two conversations of a customer, and splitting messages off into a new one. */
import type { Ctx, Principal } from '../../platform/context.js';
import { requireCap } from '../../platform/context.js';
import { conflict, invalid, isUuid } from '../../platform/errors.js';
import { recordChange } from '../changes/index.js';
import { getConversation } from './read.js';
import { insertMessage } from './message-store.js';
import { ev, lockConv, type ConvRow } from './shared.js';


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
    const notice = (cid: string) => ({
      change: { type: 'conversation.updated' as const, conversationId: cid },
      webhook: { event: 'conversation.updated' as const, data: { conversationId: cid, changes: { merged: { from: sourceId, into: targetId } } } },
    });
    await recordChange(tx, p, now, {
      events: [
        ev(ctx, p, source, 'conversation.merged', { into: targetId, role: 'source', messages: moved.rows.map((m) => m.id) }),
        ev(ctx, p, target, 'conversation.merged', { from: sourceId, role: 'target', messages: moved.rows.map((m) => m.id) }),
      ],
      audit: { action: 'conversation.merged', target: { type: 'conversation', id: targetId }, data: { from: sourceId } },
      ...notice(sourceId),
    });
    await recordChange(tx, p, now, notice(targetId));
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
    await recordChange(tx, p, now, {
      events: [
        ev(ctx, p, c, 'conversation.split', { into: created.id, role: 'source', messages: ids }),
        ev(ctx, p, created, 'conversation.split', { from: id, role: 'target', messages: ids }),
      ],
      audit: { action: 'conversation.split', target: { type: 'conversation', id }, data: { into: created.id, messageIds: ids } },
      change: [
        { type: 'conversation.updated', conversationId: id },
        { type: 'conversation.created', conversationId: created.id },
      ],
      webhook: { event: 'conversation.created', data: { conversationId: created.id, number: created.number, splitFrom: id } },
    });
    return created.id;
  });
  return getConversation(ctx, p, newId);
}

