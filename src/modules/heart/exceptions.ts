/** Documented exceptions to policy: what was done, which policy and why, noted on the conversation. */
import type { Ctx, Principal } from '../../platform/context.js';
import { can, requireCap } from '../../platform/context.js';
import { invalid, isUuid, notFound } from '../../platform/errors.js';
import { addNote } from '../conversations/index.js';
import { recordChange } from '../changes/index.js';
import { monthStart, monthOf } from './budgets.js';
import { getSpend } from './goodwill.js';
import { userOnly, conversationIn, accountLocale, NOTE } from './shared.js';

export interface PolicyException {
  id: string;
  conversationId: string;
  conversationNumber: number;
  policy: string;
  action: string;
  reason: string;
  goodwillSpendId: string | null;
  createdBy: string;
  createdByName: string;
  month: string;
  createdAt: string;
}

const EXC_SELECT = `SELECT e.id, e.conversation_id AS "conversationId", c.number AS "conversationNumber", e.policy, e.action, e.reason,
    e.goodwill_spend_id AS "goodwillSpendId", e.created_by AS "createdBy", u.name AS "createdByName",
    to_char(e.month, 'YYYY-MM') AS month, e.created_at AS "createdAt"
  FROM policy_exceptions e JOIN conversations c ON c.id = e.conversation_id JOIN users u ON u.id = e.created_by`;

export async function recordException(
  ctx: Ctx,
  p: Principal,
  conversationId: string,
  input: { policy: string; action: string; reason: string; goodwillSpendId?: string },
): Promise<PolicyException> {
  requireCap(p, 'conversations');
  const userId = userOnly(p, 'Recording an exception');
  const policy = (input.policy ?? '').trim();
  const action = (input.action ?? '').trim();
  const reason = (input.reason ?? '').trim();
  if (!policy) throw invalid('policy', 'name the policy the exception is made to');
  if (!action) throw invalid('action', 'say what was done');
  if (!reason) throw invalid('reason', 'an exception needs a reason: say why it was made');
  const now = ctx.now();
  const exc = await ctx.db.transaction(async (tx) => {
    const conv = await conversationIn(tx, p.accountId, conversationId);
    if (input.goodwillSpendId) {
      const s = await getSpend(tx, p.accountId, input.goodwillSpendId);
      if (s.conversationId !== conv.id) throw invalid('goodwillSpendId', 'the goodwill spend belongs to another conversation');
    }
    const month = await monthOf(tx, p.accountId, now);
    const r = await tx.query<{ id: string }>(
      `INSERT INTO policy_exceptions (account_id, conversation_id, policy, action, reason, goodwill_spend_id, created_by, month, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [p.accountId, conv.id, policy, action, reason, input.goodwillSpendId ?? null, userId, month, now],
    );
    const id = r.rows[0].id;
    await recordChange(tx, p, ctx.now(), {
      audit: { action: 'heart.exception_recorded', target: { type: 'policy_exception', id }, data: {
        conversationId: conv.id, policy, action, reason, goodwillSpendId: input.goodwillSpendId ?? null,
      } },
    });
    return (await tx.query<PolicyException>(`${EXC_SELECT} WHERE e.id = $1`, [id])).rows[0];
  });
  const lang = await accountLocale(ctx.db, p.accountId);
  await addNote(ctx, p, exc.conversationId, {
    text: `${NOTE.exception[lang]}: ${policy}\n${NOTE.done[lang]}: ${action}\n${NOTE.why[lang]}: ${reason}`,
  });
  return exc;
}

export async function listExceptions(ctx: Ctx, p: Principal, q: { month?: string; conversationId?: string; limit?: number }) {
  requireCap(p, 'conversations');
  const month = q.month ? monthStart(q.month) : null;
  if (q.conversationId && !isUuid(q.conversationId)) throw notFound('Conversation');
  const all = can(p, 'reports') || !!q.conversationId;
  const r = await ctx.db.query<PolicyException>(
    `${EXC_SELECT} WHERE e.account_id = $1 AND ($2::date IS NULL OR e.month = $2) AND ($3::uuid IS NULL OR e.conversation_id = $3)
        AND ($4::boolean OR e.created_by = $5)
      ORDER BY e.created_at DESC, e.id DESC LIMIT $6`,
    [p.accountId, month, q.conversationId ?? null, all, p.userId, Math.min(Math.max(q.limit ?? 50, 1), 200)],
  );
  return r.rows;
}
