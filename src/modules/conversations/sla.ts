/** The SLA check job: a breach is recorded when a due time passed with its target unmet. */
import type { Ctx, Principal } from '../../platform/context.js';
import { recordChange } from '../changes/index.js';
import { ev, type ConvRow } from './shared.js';


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
    await recordChange(tx, p, now, {
      events: [ev(ctx, p, c, 'sla.breached', data, { agentId: c.assignee_id, occurredAt: due })],
      change: { type: 'conversation.updated', conversationId: c.id },
      webhook: { event: 'sla.breached', data: { conversationId: c.id, ...data } },
    });
  });
}

