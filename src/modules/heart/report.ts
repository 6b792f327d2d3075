/** The month's report: budgets used, spends by kind and person, exceptions and moments. */
import type { Ctx, Principal } from '../../platform/context.js';
import { can, requireCap } from '../../platform/context.js';
import { KINDS, getSettings, monthStart, monthOf, standing } from './budgets.js';

export async function report(ctx: Ctx, p: Principal, q: { month?: string }) {
  requireCap(p, 'conversations');
  const month = q.month ? monthStart(q.month) : await monthOf(ctx.db, p.accountId, ctx.now());
  const settings = await getSettings(ctx, p);
  const all = can(p, 'reports');
  const users = (await ctx.db.query<{ id: string; name: string; role: string }>(
    `SELECT u.id, u.name, u.role FROM users u WHERE u.account_id = $1 AND ($2::boolean OR u.id = $3)
        AND (u.disabled_at IS NULL OR EXISTS (SELECT 1 FROM goodwill_spends s WHERE s.spender_id = u.id AND s.month = $4))
      ORDER BY u.name`,
    [p.accountId, all, p.userId, month],
  )).rows;
  const teams = (await ctx.db.query<{ id: string; name: string }>(
    `SELECT t.id, t.name FROM teams t WHERE t.account_id = $1
        AND ($2::boolean OR EXISTS (SELECT 1 FROM team_members tm WHERE tm.team_id = t.id AND tm.user_id = $3)) ORDER BY t.name`,
    [p.accountId, all, p.userId],
  )).rows;
  const exc = (await ctx.db.query<{ created_by: string; n: number }>(
    `SELECT created_by, count(*)::int AS n FROM policy_exceptions WHERE account_id = $1 AND month = $2 GROUP BY created_by`,
    [p.accountId, month],
  )).rows;
  const excBy = new Map(exc.map((e) => [e.created_by, e.n]));
  const agents = [];
  for (const u of users)
    agents.push({ userId: u.id, name: u.name, role: u.role, ...(await standing(ctx.db, p.accountId, 'user', u.id, month, settings)), exceptions: excBy.get(u.id) ?? 0 });
  const teamRows = [];
  for (const t of teams) teamRows.push({ teamId: t.id, name: t.name, ...(await standing(ctx.db, p.accountId, 'team', t.id, month, settings)) });
  const kinds = (await ctx.db.query<{ kind: string; count: number; spent: number; pending: number }>(
    `SELECT kind, count(*) FILTER (WHERE status = 'approved')::int AS count,
            coalesce(sum(amount) FILTER (WHERE status = 'approved'), 0)::float8 AS spent,
            coalesce(sum(amount) FILTER (WHERE status = 'pending'), 0)::float8 AS pending
       FROM goodwill_spends WHERE account_id = $1 AND month = $2 AND ($3::boolean OR spender_id = $4) GROUP BY kind`,
    [p.accountId, month, all, p.userId],
  )).rows;
  const byKind = KINDS.map((k) => kinds.find((x) => x.kind === k) ?? { kind: k, count: 0, spent: 0, pending: 0 });
  const exceptions = all ? exc.reduce((a, e) => a + e.n, 0) : excBy.get(p.userId ?? '') ?? 0;
  return {
    month: month.slice(0, 7),
    currency: settings.currency,
    approvalThreshold: settings.approvalThreshold,
    scope: all ? 'all' : 'own',
    agents,
    teams: teamRows,
    kinds: byKind,
    totals: {
      spent: byKind.reduce((a, k) => a + k.spent, 0),
      pending: byKind.reduce((a, k) => a + k.pending, 0),
      exceptions,
    },
  };
}
