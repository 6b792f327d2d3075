/** Appeals: by the customer (through the link in the notice) or recorded by an agent, and their decision. */
import type { Ctx, Principal, Tx } from '../../platform/context.js';
import { requireCap } from '../../platform/context.js';
import { AppError, conflict, invalid, isUuid, notFound } from '../../platform/errors.js';
import type { Locale } from '../../platform/i18n.js';
import { enqueueEmail } from '../channels/email/index.js';
import { asLocale, rt, untilText } from './texts.js';
import { recordChange } from '../changes/index.js';
import type { MeasureKind } from './channel-checks.js';
import { lockMeasure, fourEyes } from './decide.js';
import { customerContact, kindText } from './propose.js';
import { hashToken, requireDecider } from './shared.js';
import { getMeasure } from './views.js';

async function addAppeal(ctx: Ctx, tx: Tx, p: Principal, m: { id: string; status: string; customer_id: string }, text: string, source: 'customer' | 'agent', by: string | null) {
  if (m.status !== 'active') throw conflict('not_active', 'Only a measure in force can be appealed');
  const open = await tx.query('SELECT id FROM respect_appeals WHERE measure_id = $1 AND status = $2', [m.id, 'open']);
  if (open.rows.length) throw conflict('appeal_open', 'An appeal of this measure is already open');
  const r = await tx.query<{ id: string }>(
    `INSERT INTO respect_appeals (account_id, measure_id, text, source, recorded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [p.accountId, m.id, text, source, by, ctx.now()],
  );
  await recordChange(tx, p, ctx.now(), {
    audit: { action: 'respect.appealed', target: { type: 'respect_measure', id: m.id }, data: { appealId: r.rows[0].id, source } },
    change: { type: 'customer.updated', customerId: m.customer_id },
  });
  return r.rows[0].id;
}

/** An agent records an appeal on the customer's behalf (phone, letter). */
export async function recordAppeal(ctx: Ctx, p: Principal, measureId: string, input: { text: string }) {
  requireCap(p, 'conversations');
  const text = (input.text ?? '').trim();
  if (!text) throw invalid('text', "write down the customer's appeal");
  const id = await ctx.db.transaction(async (tx) => {
    const m = await lockMeasure(tx, p, measureId);
    return addAppeal(ctx, tx, p, m, text.slice(0, 10_000), 'agent', p.userId);
  });
  return { appealId: id, measure: await getMeasure(ctx, p, measureId) };
}

/** The public appeal page's view of a token (null when unknown). */
export async function measureByToken(ctx: Ctx, token: string) {
  if (typeof token !== 'string' || token.length < 20 || token.length > 100) return null;
  const r = await ctx.db.query<{ id: string; account_id: string; customer_id: string; kind: MeasureKind; channels: string[] | null;
    reason_category: string; status: string; until: Date; account: string; locale: string; timezone: string; language: string | null; appeal_status: string | null }>(
    `SELECT m.id, m.account_id, m.customer_id, m.kind, m.channels, m.reason_category, m.status, m.until, a.name AS account, a.locale, a.timezone, cu.language,
            (SELECT status FROM respect_appeals x WHERE x.measure_id = m.id ORDER BY created_at DESC LIMIT 1) AS appeal_status
       FROM respect_measures m JOIN accounts a ON a.id = m.account_id JOIN customers cu ON cu.id = m.customer_id WHERE m.appeal_token_hash = $1`,
    [hashToken(token)],
  );
  const m = r.rows[0];
  if (!m) return null;
  return { ...m, customerLocale: asLocale(m.language, asLocale(m.locale)) as Locale, kindText: (l: Locale) => kindText(l, m.kind, m.channels), reasonText: (l: Locale) => rt(l, `reason_${m.reason_category}`), untilText: (l: Locale) => untilText(l, m.until, m.timezone) };
}

export async function customerAppeal(ctx: Ctx, token: string, text: string) {
  const m = await measureByToken(ctx, token);
  if (!m) throw notFound('Appeal link');
  const t = text.trim();
  if (!t) throw invalid('text', 'write your appeal');
  const p: Principal = { accountId: m.account_id, role: 'agent', kind: 'system', userId: null, tokenId: null };
  return ctx.db.transaction(async (tx) => {
    const cur = (await tx.query<{ id: string; status: string; customer_id: string }>('SELECT id, status, customer_id FROM respect_measures WHERE id = $1 FOR UPDATE', [m.id])).rows[0];
    return addAppeal(ctx, tx, p, cur, t.slice(0, 10_000), 'customer', null);
  });
}

export async function listAppeals(ctx: Ctx, p: Principal, q: { status?: string }) {
  requireCap(p, 'conversations');
  const r = await ctx.db.query(
    `SELECT a.id, a.measure_id AS "measureId", a.text, a.source, a.status, a.created_at AS "createdAt", a.decided_by AS "decidedBy",
            a.decided_at AS "decidedAt", a.decision_note AS "decisionNote", m.kind, m.reason_category AS "reasonCategory", m.customer_id AS "customerId",
            cu.name AS "customerName", m.reporter_id AS "reporterId", m.decided_by AS "approvedBy", m.abused_user_ids AS "abusedUserIds", m.until
       FROM respect_appeals a JOIN respect_measures m ON m.id = a.measure_id JOIN customers cu ON cu.id = m.customer_id
      WHERE a.account_id = $1 AND ($2::text IS NULL OR a.status = $2) ORDER BY a.created_at DESC LIMIT 200`,
    [p.accountId, q.status ?? null],
  );
  return { items: r.rows };
}

/** A THIRD person decides: neither the reporter, nor the approver, nor an abused staff member. */
export async function decideAppeal(ctx: Ctx, p: Principal, appealId: string, input: { outcome: 'uphold' | 'overturn'; note?: string }) {
  const uid = requireDecider(p, 'Deciding an appeal');
  if (input.outcome !== 'uphold' && input.outcome !== 'overturn') throw invalid('outcome', "is 'uphold' or 'overturn'");
  if (!isUuid(appealId)) throw notFound('Appeal');
  const measureId = await ctx.db.transaction(async (tx) => {
    const a = (await tx.query('SELECT id, measure_id, status FROM respect_appeals WHERE account_id = $1 AND id = $2 FOR UPDATE', [p.accountId, appealId])).rows[0];
    if (!a) throw notFound('Appeal');
    const m = await lockMeasure(tx, p, a.measure_id);
    fourEyes(uid, m, 'Deciding an appeal');
    if (m.decided_by === uid) throw new AppError('four_eyes', 'Deciding an appeal: the person who approved the measure cannot decide its appeal; a third person must', 403);
    if (a.status !== 'open') throw conflict('appeal_decided', `This appeal is ${a.status} already`);
    const now = ctx.now();
    const status = input.outcome === 'overturn' ? 'overturned' : 'upheld';
    await tx.query('UPDATE respect_appeals SET status = $2, decided_by = $3, decided_at = $4, decision_note = $5 WHERE id = $1', [appealId, status, uid, now, input.note?.trim() || null]);
    if (status === 'overturned' && m.status === 'active')
      await tx.query(`UPDATE respect_measures SET status = 'overturned', ended_by = $2, ended_at = $3 WHERE id = $1`, [m.id, uid, now]);
    const c = await customerContact(tx, p.accountId, m.customer_id);
    if (c.email) {
      const vars = { name: c.name, account: c.account, until: m.until ? untilText(c.locale, m.until, c.timezone) : '' };
      await enqueueEmail(tx, {
        accountId: p.accountId, kind: 'system', to: [c.email], subject: rt(c.locale, 'outcome_subject', vars),
        text: rt(c.locale, status === 'overturned' ? 'outcome_overturned' : 'outcome_upheld', vars),
        conversationId: m.conversation_id, headers: { 'Auto-Submitted': 'auto-generated' },
      });
    }
    await recordChange(tx, p, ctx.now(), {
      audit: { action: `respect.appeal_${status}`, target: { type: 'respect_measure', id: m.id }, data: { appealId, note: input.note ?? null } },
      change: { type: 'customer.updated', customerId: m.customer_id },
    });
    return m.id;
  });
  return getMeasure(ctx, p, measureId);
}
