/** Reading measures: one, or a filtered list. */
import type { Ctx, Principal, Tx } from '../../platform/context.js';
import { can, requireCap } from '../../platform/context.js';
import { invalid, isUuid, notFound } from '../../platform/errors.js';
import { MEASURE_STATUSES } from './shared.js';

const COLS = `m.id, m.customer_id AS "customerId", cu.name AS "customerName", m.conversation_id AS "conversationId",
  c.number AS "conversationNumber", m.kind, m.channels, m.reason_category AS "reasonCategory", m.reason_text AS "reasonText",
  m.evidence, m.abused_user_ids AS "abusedUserIds", m.reporter_id AS "reporterId", ru.name AS "reporterName", m.status,
  m.duration_days AS "durationDays", m.until, m.decided_by AS "decidedBy", du.name AS "decidedByName", m.decided_at AS "decidedAt",
  m.decision_note AS "decisionNote", m.ended_by AS "endedBy", m.ended_at AS "endedAt", m.created_at AS "createdAt",
  (SELECT count(*)::int FROM respect_appeals a WHERE a.measure_id = m.id AND a.status = 'open') AS "openAppeals"`;
const FROM = `respect_measures m JOIN customers cu ON cu.id = m.customer_id LEFT JOIN conversations c ON c.id = m.conversation_id
  LEFT JOIN users ru ON ru.id = m.reporter_id LEFT JOIN users du ON du.id = m.decided_by`;

export async function getMeasure(ctx: Ctx, p: Principal, id: string, tx: Tx = ctx.db): Promise<Record<string, any>> {
  requireCap(p, 'conversations');
  if (!isUuid(id)) throw notFound('Measure');
  const r = await tx.query(`SELECT ${COLS} FROM ${FROM} WHERE m.account_id = $1 AND m.id = $2`, [p.accountId, id]);
  if (!r.rows[0]) throw notFound('Measure');
  const appeals = await tx.query(
    `SELECT id, text, source, recorded_by AS "recordedBy", status, decided_by AS "decidedBy", decided_at AS "decidedAt",
            decision_note AS "decisionNote", created_at AS "createdAt"
       FROM respect_appeals WHERE measure_id = $1 ORDER BY created_at`,
    [id],
  );
  return { ...r.rows[0], appeals: appeals.rows };
}

export async function listMeasures(ctx: Ctx, p: Principal, q: { status?: string; customerId?: string; awaiting?: 'me'; limit?: number }) {
  requireCap(p, 'conversations');
  if (q.status && !(MEASURE_STATUSES as readonly string[]).includes(q.status)) throw invalid('status', `unknown status '${q.status}'`);
  if (q.customerId && !isUuid(q.customerId)) throw invalid('customerId', 'is a uuid');
  const me = q.awaiting === 'me' ? p.userId : null;
  if (q.awaiting === 'me' && !me) return { items: [] };
  const r = await ctx.db.query(
    `SELECT ${COLS} FROM ${FROM}
      WHERE m.account_id = $1 AND ($2::text IS NULL OR m.status = $2) AND ($3::uuid IS NULL OR m.customer_id = $3)
        AND ($4::uuid IS NULL OR (m.status = 'proposed' AND m.reporter_id <> $4 AND NOT ($4 = ANY(m.abused_user_ids))))
      ORDER BY m.created_at DESC, m.id LIMIT $5`,
    [p.accountId, me ? 'proposed' : (q.status ?? null), q.customerId ?? null, me, q.limit ?? 100],
  );
  if (me && !can(p, 'manage') && !can(p, 'reports')) return { items: [] };
  return { items: r.rows };
}
