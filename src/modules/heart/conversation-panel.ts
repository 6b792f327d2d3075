/** The heart panel of a conversation, and why listening raised its priority. */
import type { Ctx, Principal } from '../../platform/context.js';
import { requireCap } from '../../platform/context.js';
import { getSettings } from './budgets.js';
import { listExceptions } from './exceptions.js';
import { listSpends } from './goodwill.js';
import { listConversationMoments } from './moments.js';
import { conversationIn } from './shared.js';

export interface UrgencyReason {
  messageId: string;
  urgency: string;
  evidence: string | null;
  priority: { from: string; to: string } | null;
  messageAt: string;
}

/** Urgent circumstances and threats against staff listening found in a conversation's messages, with the words and the priority change. */
export async function urgencyReasons(ctx: Ctx, p: Principal, conversationId: string): Promise<UrgencyReason[]> {
  requireCap(p, 'conversations');
  await conversationIn(ctx.db, p.accountId, conversationId);
  const r = await ctx.db.query<UrgencyReason>(
    // A threat against staff raises the priority too ('threat'; it wins over an urgency found in the same message).
    `SELECT * FROM (
       SELECT f.message_id AS "messageId", 'threat' AS urgency, f.evidence->'threat'->>'text' AS evidence,
              CASE WHEN f.actions ? 'priority' THEN f.actions->'priority' END AS priority, f.message_at AS "messageAt"
         FROM message_findings f WHERE f.account_id = $1 AND f.conversation_id = $2 AND f.threat
       UNION ALL
       SELECT f.message_id, f.urgency, f.evidence->'urgency'->>'text',
              CASE WHEN f.actions ? 'priority' AND NOT f.threat THEN f.actions->'priority' END, f.message_at
         FROM message_findings f WHERE f.account_id = $1 AND f.conversation_id = $2 AND f.urgency IS NOT NULL) x
      ORDER BY "messageAt" DESC, urgency = 'threat' DESC`,
    [p.accountId, conversationId],
  );
  return r.rows;
}

export async function conversationHeart(ctx: Ctx, p: Principal, conversationId: string) {
  requireCap(p, 'conversations');
  const conv = await conversationIn(ctx.db, p.accountId, conversationId);
  const pr = await ctx.db.query<{ priority: string }>('SELECT priority FROM conversations WHERE id = $1', [conv.id]);
  const settings = await getSettings(ctx, p);
  return {
    conversationId: conv.id,
    priority: pr.rows[0].priority,
    currency: settings.currency,
    approvalThreshold: settings.approvalThreshold,
    urgency: await urgencyReasons(ctx, p, conv.id),
    spends: await listSpends(ctx, p, { conversationId: conv.id }),
    exceptions: await listExceptions(ctx, p, { conversationId: conv.id }),
    moments: await listConversationMoments(ctx, p, conv.id),
  };
}
