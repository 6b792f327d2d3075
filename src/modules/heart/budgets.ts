/** Heart settings (currency, approval threshold, default budgets), months and the monthly budgets of agents and teams. */
import type { Ctx, Principal, Tx } from '../../platform/context.js';
import { requireCap } from '../../platform/context.js';
import { invalid, isUuid, notFound } from '../../platform/errors.js';
import { recordChange } from '../changes/index.js';

export const KINDS = ['gift', 'replacement', 'free_delivery', 'refund', 'other'] as const;
export type Kind = (typeof KINDS)[number];

export interface HeartSettings {
  currency: string;
  approvalThreshold: number;
  defaultAgentBudget: number;
  defaultTeamBudget: number;
}

const DEFAULTS: HeartSettings = { currency: 'EUR', approvalThreshold: 5000, defaultAgentBudget: 0, defaultTeamBudget: 0 };
const SETTINGS_COLS = `currency, approval_threshold::float8 AS "approvalThreshold", default_agent_budget::float8 AS "defaultAgentBudget",
  default_team_budget::float8 AS "defaultTeamBudget"`;

export async function getSettings(ctx: Ctx, p: Principal, tx: Tx = ctx.db): Promise<HeartSettings> {
  requireCap(p, 'conversations');
  const r = await tx.query<HeartSettings>(`SELECT ${SETTINGS_COLS} FROM heart_settings WHERE account_id = $1`, [p.accountId]);
  return r.rows[0] ?? { ...DEFAULTS };
}

export function amount(field: string, v: unknown, min = 0): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min)
    throw invalid(field, `must be a whole number of minor units (cents) of at least ${min}`);
  return v;
}

export async function updateSettings(ctx: Ctx, p: Principal, input: Partial<HeartSettings>): Promise<HeartSettings> {
  requireCap(p, 'manage');
  const cur = await getSettings(ctx, p);
  const next: HeartSettings = { ...cur };
  if (input.currency !== undefined) {
    if (typeof input.currency !== 'string' || !/^[A-Z]{3}$/.test(input.currency))
      throw invalid('currency', `must be an ISO 4217 code like EUR or NOK, not '${input.currency}'`);
    next.currency = input.currency;
  }
  if (input.approvalThreshold !== undefined) next.approvalThreshold = amount('approvalThreshold', input.approvalThreshold);
  if (input.defaultAgentBudget !== undefined) next.defaultAgentBudget = amount('defaultAgentBudget', input.defaultAgentBudget);
  if (input.defaultTeamBudget !== undefined) next.defaultTeamBudget = amount('defaultTeamBudget', input.defaultTeamBudget);
  return ctx.db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO heart_settings (account_id, currency, approval_threshold, default_agent_budget, default_team_budget, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (account_id) DO UPDATE SET currency = $2, approval_threshold = $3, default_agent_budget = $4,
         default_team_budget = $5, updated_at = $6`,
      [p.accountId, next.currency, next.approvalThreshold, next.defaultAgentBudget, next.defaultTeamBudget, ctx.now()],
    );
    await recordChange(tx, p, ctx.now(), {
      audit: { action: 'heart.settings_updated', target: { type: 'account', id: p.accountId }, data: { from: cur, to: next } },
    });
    return next;
  });
}

/** 'YYYY-MM' → first day 'YYYY-MM-01'. */
export function monthStart(month: string): string {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month ?? '');
  if (!m) throw invalid('month', `must look like 2026-11, not '${month}'`);
  return `${m[1]}-${m[2]}-01`;
}

/** The calendar month of a moment in the account's time zone, as its first day. */
export async function monthOf(tx: Tx, accountId: string, at: Date): Promise<string> {
  const r = await tx.query<{ m: string }>(
    `SELECT to_char(date_trunc('month', $2::timestamptz AT TIME ZONE a.timezone), 'YYYY-MM-DD') AS m FROM accounts a WHERE a.id = $1`,
    [accountId, at],
  );
  return r.rows[0].m;
}

export async function setBudget(
  ctx: Ctx,
  p: Principal,
  input: { subjectType: 'user' | 'team'; subjectId: string; month: string; amount: number },
) {
  requireCap(p, 'manage');
  if (input.subjectType !== 'user' && input.subjectType !== 'team') throw invalid('subjectType', "must be 'user' or 'team'");
  const month = monthStart(input.month);
  const value = amount('amount', input.amount);
  if (!isUuid(input.subjectId)) throw notFound(input.subjectType === 'user' ? 'User' : 'Team');
  return ctx.db.transaction(async (tx) => {
    const table = input.subjectType === 'user' ? 'users' : 'teams';
    const s = await tx.query(`SELECT name FROM ${table} WHERE account_id = $1 AND id = $2`, [p.accountId, input.subjectId]);
    if (!s.rows[0]) throw notFound(input.subjectType === 'user' ? 'User' : 'Team');
    const prev = await tx.query<{ amount: number }>(
      `SELECT amount::float8 AS amount FROM goodwill_budgets WHERE account_id = $1 AND subject_type = $2 AND subject_id = $3 AND month = $4`,
      [p.accountId, input.subjectType, input.subjectId, month],
    );
    await tx.query(
      `INSERT INTO goodwill_budgets (account_id, subject_type, subject_id, month, amount, set_by, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (account_id, subject_type, subject_id, month) DO UPDATE SET amount = $5, set_by = $6, updated_at = $7`,
      [p.accountId, input.subjectType, input.subjectId, month, value, p.userId, ctx.now()],
    );
    await recordChange(tx, p, ctx.now(), {
      audit: { action: 'heart.budget_set', target: { type: input.subjectType, id: input.subjectId }, data: {
        month: input.month, amount: value, previous: prev.rows[0]?.amount ?? null,
      } },
    });
    return { subjectType: input.subjectType, subjectId: input.subjectId, name: s.rows[0].name, month: input.month, amount: value };
  });
}

interface Standing {
  budget: number;
  spent: number;
  pending: number;
  remaining: number;
}

/** Budget, approved and pending sums for one agent or team in one month. */
export async function standing(tx: Tx, accountId: string, type: 'user' | 'team', id: string, month: string, s: HeartSettings): Promise<Standing> {
  const col = type === 'user' ? 'spender_id' : 'team_id';
  const r = await tx.query<{ budget: number | null; spent: number; pending: number }>(
    `SELECT (SELECT amount::float8 FROM goodwill_budgets WHERE account_id = $1 AND subject_type = $2 AND subject_id = $3 AND month = $4) AS budget,
            coalesce(sum(amount) FILTER (WHERE status = 'approved'), 0)::float8 AS spent,
            coalesce(sum(amount) FILTER (WHERE status = 'pending'), 0)::float8 AS pending
       FROM goodwill_spends WHERE account_id = $1 AND ${col} = $3 AND month = $4`,
    [accountId, type, id, month],
  );
  const row = r.rows[0];
  const budget = row.budget ?? (type === 'user' ? s.defaultAgentBudget : s.defaultTeamBudget);
  return { budget, spent: row.spent, pending: row.pending, remaining: budget - row.spent };
}
