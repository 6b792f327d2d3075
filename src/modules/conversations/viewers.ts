/** Collision detection: who is viewing or replying to a conversation right now. */
import type { Ctx, Principal, Tx } from '../../platform/context.js';
import { requireCap } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { recordChange } from '../changes/index.js';
import { getConversation } from './read.js';

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
    await recordChange(tx, p, ctx.now(), { change: { type: 'viewers.changed', conversationId: id } });
  });
  const all = await listViewers(ctx, id);
  return { others: all.filter((v: any) => v.userId !== p.userId) };
}

