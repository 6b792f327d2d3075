/**
 * Service with heart (issue 7): goodwill budgets and spends with approval, documented exceptions to policy, moments
 * worth sharing (with the customer's consent recorded) and kudos, and why listening raised a conversation's priority.
 * See docs/heart.md for the rules.
 */
import { publicBaseUrl } from '../../platform/public-url.js';
import type { Ctx, Principal, Tx } from '../../platform/context.js';
import { featureChanged } from '../../platform/changes.js';
import { can, requireCap } from '../../platform/context.js';
import { AppError, conflict, forbidden, invalid, isUuid, notFound } from '../../platform/errors.js';
import { audit } from '../audit/index.js';
import { addNote } from '../conversations/index.js';
import { enqueueEmail } from '../channels/email/index.js';
import { enqueue } from '../../platform/jobs.js';

// ---------------------------------------------------------------------------------------------------------------------
// Moments feed (contract for the leaders' digest)

export interface MomentSummary {
  id: string;
  title: string;
  story: string;
  conversationId: string | null;
  agentName: string | null;
  kudos: number;
  consent: boolean;
  createdAt: string;
}

/** A feed entry as the web app shows it: the summary plus customer details (only with consent) and my kudos. */
export interface FeedMoment extends MomentSummary {
  agentId: string;
  sharing: 'team' | 'anonymised';
  customerName: string | null;
  conversationNumber: number | null;
  kudosByMe: boolean;
  mine: boolean;
}

/**
 * Moments shared in the team feed since a time, newest first (the leaders' morning digest shows them).
 * Contract for other modules: keep this signature.
 * Moments without the customer's consent appear only anonymised: title and story with the customer's name and
 * identifiers stripped, no conversation and no customer.
 */
export async function listMoments(ctx: Ctx, p: Principal, q: { since?: Date; limit?: number }): Promise<MomentSummary[]> {
  return feed(ctx, p, q);
}

export async function feed(ctx: Ctx, p: Principal, q: { since?: Date; before?: Date; limit?: number }): Promise<FeedMoment[]> {
  requireCap(p, 'conversations');
  const limit = Math.min(Math.max(q.limit ?? 50, 1), 200);
  const r = await ctx.db.query(
    `SELECT m.id, m.agent_id AS "agentId", m.sharing, u.name AS "agentName", m.created_at AS "createdAt",
            CASE WHEN m.sharing = 'team' THEN m.title ELSE m.anon_title END AS title,
            CASE WHEN m.sharing = 'team' THEN m.story ELSE m.anon_story END AS story,
            CASE WHEN m.sharing = 'team' THEN m.conversation_id END AS "conversationId",
            CASE WHEN m.sharing = 'team' THEN c.number END AS "conversationNumber",
            CASE WHEN m.sharing = 'team' THEN cu.name END AS "customerName",
            m.sharing = 'team' AS consent,
            (SELECT count(*) FROM moment_kudos k WHERE k.moment_id = m.id)::int AS kudos,
            EXISTS (SELECT 1 FROM moment_kudos k WHERE k.moment_id = m.id AND k.user_id = $2) AS "kudosByMe"
       FROM moments m
       JOIN users u ON u.id = m.agent_id
       LEFT JOIN conversations c ON c.id = m.conversation_id
       LEFT JOIN customers cu ON cu.id = c.customer_id
      WHERE m.account_id = $1 AND m.sharing IN ('team', 'anonymised')
        AND (m.sharing = 'anonymised' OR (m.consent_given AND m.consent_withdrawn_at IS NULL))
        AND ($3::timestamptz IS NULL OR m.created_at >= $3) AND ($4::timestamptz IS NULL OR m.created_at < $4)
      ORDER BY m.created_at DESC, m.id DESC LIMIT $5`,
    [p.accountId, p.userId, q.since ?? null, q.before ?? null, limit],
  );
  return r.rows.map((m: any) => ({
    ...m,
    createdAt: new Date(m.createdAt).toISOString(),
    mine: !!p.userId && m.agentId === p.userId,
  }));
}

// ---------------------------------------------------------------------------------------------------------------------
// Settings, months, budgets

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

function amount(field: string, v: unknown, min = 0): number {
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
    await audit(tx, p, 'heart.settings_updated', { type: 'account', id: p.accountId }, { from: cur, to: next });
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
async function monthOf(tx: Tx, accountId: string, at: Date): Promise<string> {
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
    await audit(tx, p, 'heart.budget_set', { type: input.subjectType, id: input.subjectId }, {
      month: input.month, amount: value, previous: prev.rows[0]?.amount ?? null,
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
async function standing(tx: Tx, accountId: string, type: 'user' | 'team', id: string, month: string, s: HeartSettings): Promise<Standing> {
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

// ---------------------------------------------------------------------------------------------------------------------
// Goodwill spends

export interface Spend {
  id: string;
  conversationId: string;
  conversationNumber: number;
  spenderId: string;
  spenderName: string;
  teamId: string | null;
  teamName: string | null;
  kind: Kind;
  amount: number;
  currency: string;
  description: string;
  month: string;
  status: 'pending' | 'approved' | 'rejected';
  approvalReasons: string[];
  decidedBy: string | null;
  decidedByName: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
  createdAt: string;
}

const SPEND_SELECT = `SELECT s.id, s.conversation_id AS "conversationId", c.number AS "conversationNumber", s.spender_id AS "spenderId",
    su.name AS "spenderName", s.team_id AS "teamId", t.name AS "teamName", s.kind, s.amount::float8 AS amount, s.currency,
    s.description, to_char(s.month, 'YYYY-MM') AS month, s.status, s.approval_reasons AS "approvalReasons",
    s.decided_by AS "decidedBy", du.name AS "decidedByName", s.decided_at AS "decidedAt", s.decision_note AS "decisionNote",
    s.created_at AS "createdAt"
  FROM goodwill_spends s
  JOIN conversations c ON c.id = s.conversation_id
  JOIN users su ON su.id = s.spender_id
  LEFT JOIN teams t ON t.id = s.team_id
  LEFT JOIN users du ON du.id = s.decided_by`;

async function getSpend(tx: Tx, accountId: string, id: string): Promise<Spend> {
  if (!isUuid(id)) throw notFound('Goodwill spend');
  const r = await tx.query<Spend>(`${SPEND_SELECT} WHERE s.account_id = $1 AND s.id = $2`, [accountId, id]);
  if (!r.rows[0]) throw notFound('Goodwill spend');
  return r.rows[0];
}

function userOnly(p: Principal, what: string): string {
  if (!p.userId) throw new AppError('user_required', `${what} needs a signed-in person, not an API token`, 403);
  return p.userId;
}

async function conversationIn(tx: Tx, accountId: string, id: string): Promise<{ id: string; number: number }> {
  if (!isUuid(id)) throw notFound('Conversation');
  const r = await tx.query<{ id: string; number: number }>('SELECT id, number FROM conversations WHERE account_id = $1 AND id = $2', [accountId, id]);
  if (!r.rows[0]) throw notFound('Conversation');
  return r.rows[0];
}

async function accountLocale(tx: Tx, accountId: string): Promise<'en' | 'de' | 'nb'> {
  const r = await tx.query<{ locale: 'en' | 'de' | 'nb' }>('SELECT locale FROM accounts WHERE id = $1', [accountId]);
  return r.rows[0]?.locale ?? 'en';
}

export function formatMoney(minor: number, currency: string, locale: string): string {
  try {
    return new Intl.NumberFormat(locale === 'nb' ? 'nb-NO' : locale === 'de' ? 'de-DE' : 'en-GB', { style: 'currency', currency }).format(minor / 100);
  } catch {
    return `${(minor / 100).toFixed(2)} ${currency}`;
  }
}

const NOTE = {
  kind: {
    gift: { en: 'gift', de: 'Geschenk', nb: 'gave' },
    replacement: { en: 'replacement', de: 'Ersatz', nb: 'erstatning' },
    free_delivery: { en: 'free delivery', de: 'kostenlose Lieferung', nb: 'gratis levering' },
    refund: { en: 'refund', de: 'Erstattung', nb: 'refusjon' },
    other: { en: 'other', de: 'Sonstiges', nb: 'annet' },
  },
  approved: { en: 'Goodwill given', de: 'Kulanz gewährt', nb: 'Goodwill gitt' },
  pending: { en: 'Goodwill awaiting approval', de: 'Kulanz wartet auf Freigabe', nb: 'Goodwill venter på godkjenning' },
  decidedApproved: { en: 'Goodwill approved', de: 'Kulanz freigegeben', nb: 'Goodwill godkjent' },
  decidedRejected: { en: 'Goodwill rejected', de: 'Kulanz abgelehnt', nb: 'Goodwill avvist' },
  exception: { en: 'Exception to policy', de: 'Ausnahme von der Regel', nb: 'Unntak fra regelen' },
  why: { en: 'Why', de: 'Warum', nb: 'Hvorfor' },
  done: { en: 'What was done', de: 'Was getan wurde', nb: 'Hva som ble gjort' },
} as const;

export interface SpendInput {
  kind: string;
  amount: number;
  description: string;
  teamId?: string;
}

export async function spendGoodwill(ctx: Ctx, p: Principal, conversationId: string, input: SpendInput): Promise<Spend> {
  requireCap(p, 'conversations');
  const userId = userOnly(p, 'Spending goodwill');
  if (!(KINDS as readonly string[]).includes(input.kind)) throw invalid('kind', `must be one of ${KINDS.join(', ')}`);
  const value = amount('amount', input.amount, 1);
  const description = (input.description ?? '').trim();
  if (!description) throw invalid('description', 'say what the goodwill is');
  const now = ctx.now();
  const spend = await ctx.db.transaction(async (tx) => {
    const conv = await conversationIn(tx, p.accountId, conversationId);
    // One spend at a time per account: the settings row is the lock, so two spends never both fit the last euro.
    await tx.query('INSERT INTO heart_settings (account_id) VALUES ($1) ON CONFLICT (account_id) DO NOTHING', [p.accountId]);
    await tx.query('SELECT 1 FROM heart_settings WHERE account_id = $1 FOR UPDATE', [p.accountId]);
    const settings = await getSettings(ctx, p, tx);
    const teams = (await tx.query<{ id: string }>(
      'SELECT tm.team_id AS id FROM team_members tm JOIN teams t ON t.id = tm.team_id WHERE t.account_id = $1 AND tm.user_id = $2 ORDER BY t.name',
      [p.accountId, userId],
    )).rows.map((t) => t.id);
    let teamId: string | null = null;
    if (input.teamId !== undefined) {
      if (!teams.includes(input.teamId)) throw invalid('teamId', 'you can spend only from the budget of a team you belong to');
      teamId = input.teamId;
    } else if (teams.length === 1) teamId = teams[0];
    else if (teams.length > 1) throw invalid('teamId', 'you belong to several teams: say from which team’s budget');
    const month = await monthOf(tx, p.accountId, now);
    const mine = await standing(tx, p.accountId, 'user', userId, month, settings);
    const team = teamId ? await standing(tx, p.accountId, 'team', teamId, month, settings) : null;
    const reasons: string[] = [];
    if (value > settings.approvalThreshold) reasons.push('above_threshold');
    if (value > mine.remaining) reasons.push('agent_budget');
    if (team && value > team.remaining) reasons.push('team_budget');
    const status = reasons.length ? 'pending' : 'approved';
    const r = await tx.query<{ id: string }>(
      `INSERT INTO goodwill_spends (account_id, conversation_id, spender_id, team_id, kind, amount, currency, description, month,
                                    status, approval_reasons, decided_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
      [p.accountId, conv.id, userId, teamId, input.kind, value, settings.currency, description, month, status, reasons,
       status === 'approved' ? now : null, now],
    );
    const id = r.rows[0].id;
    await featureChanged(tx, p.accountId, 'heart');
    await audit(tx, p, status === 'approved' ? 'heart.goodwill_spent' : 'heart.goodwill_requested', { type: 'goodwill_spend', id }, {
      conversationId: conv.id, kind: input.kind, amount: value, currency: settings.currency, teamId, month: month.slice(0, 7),
      approvalReasons: reasons, agentRemaining: mine.remaining, teamRemaining: team?.remaining ?? null,
    });
    // Supervisors and admins hear of it by email (after the commit; the job re-reads the spend).
    if (status === 'pending') await enqueue(tx, 'heart.approval_requested', { spendId: id }, { runAt: now });
    return getSpend(tx, p.accountId, id);
  });
  await noteSpend(ctx, p, spend, spend.status === 'approved' ? 'approved' : 'pending');
  return spend;
}

const MAIL = {
  subject: {
    en: 'Goodwill awaiting your approval: {amount} on #{n}',
    de: 'Kulanz wartet auf Ihre Freigabe: {amount} zu #{n}',
    nb: 'Goodwill venter på din godkjenning: {amount} på #{n}',
  },
  body: {
    en: '{name} wants to give goodwill on conversation #{n}: {kind}, {amount}.\n"{description}"\nIt needs approval because: {reasons}.\n\nApprove or reject it: {url}',
    de: '{name} möchte Kulanz zu Konversation #{n} gewähren: {kind}, {amount}.\n„{description}“\nFreigabe nötig, weil: {reasons}.\n\nFreigeben oder ablehnen: {url}',
    nb: '{name} vil gi goodwill på samtale #{n}: {kind}, {amount}.\n«{description}»\nMå godkjennes fordi: {reasons}.\n\nGodkjenn eller avvis: {url}',
  },
  reasons: {
    above_threshold: { en: 'above the approval threshold', de: 'über der Freigabeschwelle', nb: 'over godkjenningsterskelen' },
    agent_budget: { en: 'beyond the agent’s remaining budget', de: 'über das Restbudget der Person', nb: 'utover agentens gjenværende budsjett' },
    team_budget: { en: 'beyond the team’s remaining budget', de: 'über das Restbudget des Teams', nb: 'utover teamets gjenværende budsjett' },
  } as Record<string, Record<'en' | 'de' | 'nb', string>>,
} as const;

const fill = (tpl: string, v: Record<string, string | number>) => tpl.replace(/\{(\w+)\}/g, (_, k) => String(v[k] ?? ''));

/** Job `heart.approval_requested`: emails each supervisor and admin (not the spender) in their language, once. */
export async function notifyApprovers(ctx: Ctx, payload: { spendId: string }): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const a = await tx.query<{ account_id: string }>('SELECT account_id FROM goodwill_spends WHERE id = $1 FOR UPDATE', [payload.spendId]);
    if (!a.rows[0]) return;
    const s = await getSpend(tx, a.rows[0].account_id, payload.spendId);
    if (s.status !== 'pending') return;
    const users = (await tx.query<{ email: string; locale: 'en' | 'de' | 'nb' }>(
      `SELECT email, locale FROM users WHERE account_id = $1 AND role IN ('supervisor', 'admin') AND disabled_at IS NULL AND id <> $2 ORDER BY email`,
      [a.rows[0].account_id, s.spenderId],
    )).rows;
    const url = `${publicBaseUrl(ctx.config)}/heart/goodwill`;
    for (const u of users) {
      const lang = u.locale;
      const v = {
        name: s.spenderName, n: s.conversationNumber, kind: NOTE.kind[s.kind][lang], amount: formatMoney(s.amount, s.currency, lang),
        description: s.description, reasons: s.approvalReasons.map((r) => MAIL.reasons[r]?.[lang] ?? r).join(', '), url,
      };
      await enqueueEmail(tx, { accountId: a.rows[0].account_id, kind: 'system', to: [u.email], subject: fill(MAIL.subject[lang], v), text: fill(MAIL.body[lang], v) });
    }
  });
}

async function noteSpend(ctx: Ctx, p: Principal, s: Spend, what: 'approved' | 'pending' | 'decidedApproved' | 'decidedRejected') {
  const lang = await accountLocale(ctx.db, p.accountId);
  const head = `${NOTE[what][lang]}: ${NOTE.kind[s.kind][lang]}, ${formatMoney(s.amount, s.currency, lang)} — ${s.description}`;
  const tail = s.decisionNote && what.startsWith('decided') ? `\n${s.decisionNote}` : '';
  await addNote(ctx, p, s.conversationId, { text: head + tail });
}

export async function decideSpend(
  ctx: Ctx,
  p: Principal,
  id: string,
  input: { decision: 'approve' | 'reject'; note?: string },
): Promise<Spend> {
  requireCap(p, 'manage');
  const userId = userOnly(p, 'Deciding on goodwill');
  if (input.decision !== 'approve' && input.decision !== 'reject') throw invalid('decision', "must be 'approve' or 'reject'");
  const note = input.note?.trim() || null;
  const now = ctx.now();
  const spend = await ctx.db.transaction(async (tx) => {
    const s = await getSpend(tx, p.accountId, id);
    await tx.query('SELECT 1 FROM goodwill_spends WHERE id = $1 FOR UPDATE', [s.id]);
    const cur = (await tx.query<{ status: string }>('SELECT status FROM goodwill_spends WHERE id = $1', [s.id])).rows[0];
    if (cur.status !== 'pending') throw conflict('spend_decided', `This goodwill spend is ${cur.status} already`);
    if (s.spenderId === userId) throw forbidden('You cannot decide on your own goodwill spend: another supervisor or admin must');
    const status = input.decision === 'approve' ? 'approved' : 'rejected';
    await tx.query(`UPDATE goodwill_spends SET status = $2, decided_by = $3, decided_at = $4, decision_note = $5 WHERE id = $1`, [
      s.id, status, userId, now, note,
    ]);
    await featureChanged(tx, p.accountId, 'heart');
    await audit(tx, p, `heart.goodwill_${status}`, { type: 'goodwill_spend', id: s.id }, {
      conversationId: s.conversationId, amount: s.amount, currency: s.currency, spenderId: s.spenderId, note,
    });
    return getSpend(tx, p.accountId, s.id);
  });
  await noteSpend(ctx, p, spend, spend.status === 'approved' ? 'decidedApproved' : 'decidedRejected');
  return spend;
}

export async function listSpends(
  ctx: Ctx,
  p: Principal,
  q: { status?: string; month?: string; conversationId?: string; limit?: number },
): Promise<Spend[]> {
  requireCap(p, 'conversations');
  if (q.status && !['pending', 'approved', 'rejected'].includes(q.status)) throw invalid('status', 'must be pending, approved or rejected');
  const month = q.month ? monthStart(q.month) : null;
  if (q.conversationId && !isUuid(q.conversationId)) throw notFound('Conversation');
  // Agents see their own spends, and every spend on a conversation they look at; reports roles see all.
  const all = can(p, 'reports') || !!q.conversationId;
  const r = await ctx.db.query<Spend>(
    `${SPEND_SELECT} WHERE s.account_id = $1 AND ($2::text IS NULL OR s.status = $2) AND ($3::date IS NULL OR s.month = $3)
        AND ($4::uuid IS NULL OR s.conversation_id = $4) AND ($5::boolean OR s.spender_id = $6)
      ORDER BY s.created_at DESC, s.id DESC LIMIT $7`,
    [p.accountId, q.status ?? null, month, q.conversationId ?? null, all, p.userId, Math.min(Math.max(q.limit ?? 50, 1), 200)],
  );
  return r.rows;
}

// ---------------------------------------------------------------------------------------------------------------------
// Documented exceptions

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
    await audit(tx, p, 'heart.exception_recorded', { type: 'policy_exception', id }, {
      conversationId: conv.id, policy, action, reason, goodwillSpendId: input.goodwillSpendId ?? null,
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

// ---------------------------------------------------------------------------------------------------------------------
// Report

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

// ---------------------------------------------------------------------------------------------------------------------
// Moments

export const CONSENT_HOW = ['conversation', 'writing', 'other'] as const;

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Strips a customer from a text: their name (whole and each part of two letters or more), their identities (email,
 * phone, chat id, external id), any email address or phone-like number, and conversation numbers (#123).
 */
export function anonymise(text: string, customer: { name: string | null; identities: string[] }): string {
  let out = text;
  const values = [...customer.identities].filter((v) => v && v.length >= 3).sort((a, b) => b.length - a.length);
  for (const v of values) out = out.replace(new RegExp(escapeRe(v), 'giu'), '[…]');
  out = out.replace(/[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu, '[…]');
  out = out.replace(/\+?\d[\d ()/.-]{5,}\d/g, '[…]');
  out = out.replace(/#\d+/g, '#…');
  const name = customer.name?.trim();
  if (name) {
    const parts = [name, ...name.split(/[\s,]+/)].filter((x) => x.length >= 2).sort((a, b) => b.length - a.length);
    for (const part of parts)
      out = out.replace(new RegExp(`(?<![\\p{L}\\p{N}])${escapeRe(part)}(?![\\p{L}\\p{N}])`, 'giu'), '[customer]');
  }
  return out;
}

export interface MomentInput {
  title: string;
  story: string;
  consent: { given: boolean; how?: string; at?: string; note?: string };
  /** team (needs consent), anonymised, or private; default: team with consent, private without. */
  sharing?: 'team' | 'anonymised' | 'private';
}

export interface Moment {
  id: string;
  conversationId: string | null;
  agentId: string;
  agentName: string;
  title: string;
  story: string;
  anonTitle: string;
  anonStory: string;
  consentGiven: boolean;
  consentHow: string | null;
  consentNote: string | null;
  consentAt: string | null;
  consentRecordedBy: string | null;
  consentWithdrawnAt: string | null;
  sharing: 'team' | 'anonymised' | 'private';
  kudos: number;
  createdAt: string;
}

const MOMENT_SELECT = `SELECT m.id, m.conversation_id AS "conversationId", m.agent_id AS "agentId", u.name AS "agentName", m.title, m.story,
    m.anon_title AS "anonTitle", m.anon_story AS "anonStory", m.consent_given AS "consentGiven", m.consent_how AS "consentHow",
    m.consent_note AS "consentNote", m.consent_at AS "consentAt", m.consent_recorded_by AS "consentRecordedBy",
    m.consent_withdrawn_at AS "consentWithdrawnAt", m.sharing,
    (SELECT count(*) FROM moment_kudos k WHERE k.moment_id = m.id)::int AS kudos, m.created_at AS "createdAt"
  FROM moments m JOIN users u ON u.id = m.agent_id`;

async function getMoment(tx: Tx, accountId: string, id: string): Promise<Moment> {
  if (!isUuid(id)) throw notFound('Moment');
  const r = await tx.query<Moment>(`${MOMENT_SELECT} WHERE m.account_id = $1 AND m.id = $2`, [accountId, id]);
  if (!r.rows[0]) throw notFound('Moment');
  return r.rows[0];
}

export async function captureMoment(ctx: Ctx, p: Principal, conversationId: string, input: MomentInput): Promise<Moment> {
  requireCap(p, 'conversations');
  const userId = userOnly(p, 'Capturing a moment');
  const title = (input.title ?? '').trim();
  const story = (input.story ?? '').trim();
  if (!title) throw invalid('title', 'must not be empty');
  if (!story) throw invalid('story', 'must not be empty');
  const c = input.consent;
  if (!c || typeof c.given !== 'boolean') throw invalid('consent.given', 'record whether the customer consented (true or false)');
  const now = ctx.now();
  let consentAt: Date | null = null;
  if (c.given) {
    if (!c.how || !(CONSENT_HOW as readonly string[]).includes(c.how))
      throw invalid('consent.how', `say how consent was given: ${CONSENT_HOW.join(', ')}`);
    consentAt = c.at ? new Date(c.at) : now;
    if (Number.isNaN(consentAt.getTime())) throw invalid('consent.at', 'must be an ISO date-time');
    if (consentAt.getTime() > now.getTime() + 60_000) throw invalid('consent.at', 'must not be in the future');
  }
  const sharing = input.sharing ?? (c.given ? 'team' : 'private');
  if (!['team', 'anonymised', 'private'].includes(sharing)) throw invalid('sharing', 'must be team, anonymised or private');
  if (sharing === 'team' && !c.given)
    throw conflict('consent_required', 'Without the customer’s consent a moment can be shared only anonymised (or kept private)');
  return ctx.db.transaction(async (tx) => {
    const conv = await conversationIn(tx, p.accountId, conversationId);
    const cust = (await tx.query<{ name: string | null; identities: string[] }>(
      `SELECT cu.name, coalesce((SELECT array_agg(ci.value) FROM customer_identities ci WHERE ci.customer_id = cu.id), '{}') AS identities
         FROM conversations c JOIN customers cu ON cu.id = c.customer_id WHERE c.id = $1`,
      [conv.id],
    )).rows[0];
    const r = await tx.query<{ id: string }>(
      `INSERT INTO moments (account_id, conversation_id, agent_id, title, story, anon_title, anon_story, consent_given, consent_how,
                            consent_note, consent_at, consent_recorded_by, sharing, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
      [p.accountId, conv.id, userId, title, story, anonymise(title, cust), anonymise(story, cust), c.given,
       c.given ? c.how : null, c.note?.trim() || null, consentAt, userId, sharing, now],
    );
    const id = r.rows[0].id;
    await featureChanged(tx, p.accountId, 'heart');
    await audit(tx, p, 'heart.moment_captured', { type: 'moment', id }, {
      conversationId: conv.id, consent: c.given, consentHow: c.given ? c.how : null, sharing,
    });
    return getMoment(tx, p.accountId, id);
  });
}

export async function listConversationMoments(ctx: Ctx, p: Principal, conversationId: string): Promise<Moment[]> {
  requireCap(p, 'conversations');
  await conversationIn(ctx.db, p.accountId, conversationId);
  const r = await ctx.db.query<Moment>(`${MOMENT_SELECT} WHERE m.account_id = $1 AND m.conversation_id = $2 ORDER BY m.created_at DESC`, [
    p.accountId, conversationId,
  ]);
  return r.rows;
}

/** The customer withdraws consent: the moment leaves the feed (private), and stays so. */
export async function withdrawConsent(ctx: Ctx, p: Principal, id: string, input: { note?: string } = {}): Promise<Moment> {
  requireCap(p, 'conversations');
  return ctx.db.transaction(async (tx) => {
    const m = await getMoment(tx, p.accountId, id);
    if (m.agentId !== p.userId && !can(p, 'manage'))
      throw forbidden('Only the agent who captured the moment, a supervisor or an admin can record a withdrawal of consent');
    await tx.query(
      `UPDATE moments SET consent_given = false, consent_withdrawn_at = coalesce(consent_withdrawn_at, $2), sharing = 'private',
              consent_note = coalesce($3, consent_note)
        WHERE id = $1`,
      [m.id, ctx.now(), input.note?.trim() || null],
    );
    await featureChanged(tx, p.accountId, 'heart');
    await audit(tx, p, 'heart.moment_consent_withdrawn', { type: 'moment', id: m.id }, { previousSharing: m.sharing, note: input.note ?? null });
    return getMoment(tx, p.accountId, m.id);
  });
}

export async function giveKudos(ctx: Ctx, p: Principal, id: string): Promise<{ momentId: string; kudos: number }> {
  requireCap(p, 'conversations');
  const userId = userOnly(p, 'Giving kudos');
  return ctx.db.transaction(async (tx) => {
    const m = await getMoment(tx, p.accountId, id);
    const inFeed = m.sharing === 'anonymised' || (m.sharing === 'team' && m.consentGiven && !m.consentWithdrawnAt);
    if (!inFeed) throw conflict('moment_not_shared', 'This moment is not in the team feed');
    if (m.agentId === userId) throw forbidden('You cannot give kudos to your own moment');
    const r = await tx.query(
      `INSERT INTO moment_kudos (moment_id, user_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
      [m.id, userId, ctx.now()],
    );
    if (r.rowCount === 0) throw conflict('kudos_given', 'You have given kudos to this moment already');
    await featureChanged(tx, p.accountId, 'heart');
    await audit(tx, p, 'heart.kudos_given', { type: 'moment', id: m.id }, { agentId: m.agentId });
    const n = (await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM moment_kudos WHERE moment_id = $1', [m.id])).rows[0].n;
    return { momentId: m.id, kudos: n };
  });
}

// ---------------------------------------------------------------------------------------------------------------------
// Why listening raised priority; the conversation panel

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
