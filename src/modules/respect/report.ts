/** The respect report over a period. */
import type { Ctx, Principal } from '../../platform/context.js';
import { requireCap } from '../../platform/context.js';
import { invalid } from '../../platform/errors.js';
import { DAY } from './shared.js';

export async function respectReport(ctx: Ctx, p: Principal, q: { from?: string; to?: string }) {
  requireCap(p, 'reports');
  const at = (field: string, v: string | undefined, dflt: Date) => {
    if (v === undefined) return dflt;
    const d = new Date(v);
    if (Number.isNaN(d.getTime())) throw invalid(field, `'${v}' is not an ISO date or date-time`);
    return d;
  };
  const to = at('to', q.to, ctx.now());
  const from = at('from', q.from, new Date(to.getTime() - 90 * DAY));
  const args = [p.accountId, from, to];
  const byReason = await ctx.db.query(
    `SELECT reason_category AS "reasonCategory", kind, count(*)::int AS n FROM respect_measures
      WHERE account_id = $1 AND created_at >= $2 AND created_at < $3 GROUP BY 1, 2 ORDER BY 1, 2`, args);
  const byStatus = await ctx.db.query(
    `SELECT status, count(*)::int AS n FROM respect_measures WHERE account_id = $1 AND created_at >= $2 AND created_at < $3 GROUP BY 1 ORDER BY 1`, args);
  const refused = await ctx.db.query(
    `SELECT reason_category AS "reasonCategory", count(*)::int AS n FROM respect_refusals WHERE account_id = $1 AND created_at >= $2 AND created_at < $3 GROUP BY 1 ORDER BY 1`, args);
  const appeals = await ctx.db.query(
    `SELECT status, count(*)::int AS n FROM respect_appeals WHERE account_id = $1 AND created_at >= $2 AND created_at < $3 GROUP BY 1`, args);
  const byReporter = await ctx.db.query(
    `SELECT m.reporter_id AS "reporterId", u.name, count(*)::int AS n FROM respect_measures m LEFT JOIN users u ON u.id = m.reporter_id
      WHERE m.account_id = $1 AND m.created_at >= $2 AND m.created_at < $3 GROUP BY 1, 2 ORDER BY 3 DESC`, args);
  const ap = Object.fromEntries(appeals.rows.map((r: any) => [r.status, r.n]));
  return {
    from: from.toISOString(), to: to.toISOString(),
    byReasonAndKind: byReason.rows,
    byStatus: byStatus.rows,
    byReporter: byReporter.rows,
    refusedAsCriticism: refused.rows.reduce((s: number, r: any) => s + r.n, 0),
    refusedByReason: refused.rows,
    appeals: { open: ap.open ?? 0, upheld: ap.upheld ?? 0, overturned: ap.overturned ?? 0 },
  };
}
