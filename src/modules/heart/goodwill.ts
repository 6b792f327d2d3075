/** Goodwill spends: given at once within budget and threshold, otherwise waiting for a supervisor's approval. */
import { publicBaseUrl } from '../../platform/public-url.js';
import type { Ctx, Principal, Tx } from '../../platform/context.js';
import { can, requireCap } from '../../platform/context.js';
import { conflict, forbidden, invalid, isUuid, notFound } from '../../platform/errors.js';
import { addNote } from '../conversations/index.js';
import { enqueueEmail } from '../channels/email/index.js';
import { enqueue } from '../../platform/jobs.js';
import { recordChange } from '../changes/index.js';
import { KINDS, type Kind, getSettings, amount, monthStart, monthOf, standing } from './budgets.js';
import { userOnly, conversationIn, accountLocale, formatMoney, NOTE } from './shared.js';

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

export async function getSpend(tx: Tx, accountId: string, id: string): Promise<Spend> {
  if (!isUuid(id)) throw notFound('Goodwill spend');
  const r = await tx.query<Spend>(`${SPEND_SELECT} WHERE s.account_id = $1 AND s.id = $2`, [accountId, id]);
  if (!r.rows[0]) throw notFound('Goodwill spend');
  return r.rows[0];
}

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
    await recordChange(tx, p, ctx.now(), {
      audit: { action: status === 'approved' ? 'heart.goodwill_spent' : 'heart.goodwill_requested', target: { type: 'goodwill_spend', id }, data: {
        conversationId: conv.id, kind: input.kind, amount: value, currency: settings.currency, teamId, month: month.slice(0, 7),
        approvalReasons: reasons, agentRemaining: mine.remaining, teamRemaining: team?.remaining ?? null,
      } },
      change: { type: 'feature.changed', feature: 'heart' },
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
    await recordChange(tx, p, ctx.now(), {
      audit: { action: `heart.goodwill_${status}`, target: { type: 'goodwill_spend', id: s.id }, data: {
        conversationId: s.conversationId, amount: s.amount, currency: s.currency, spenderId: s.spenderId, note,
      } },
      change: { type: 'feature.changed', feature: 'heart' },
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
