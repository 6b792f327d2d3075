/** Proposing a measure, putting it in force, and telling the customer. */
import { publicBaseUrl } from '../../platform/public-url.js';
import type { Ctx, Principal, Tx } from '../../platform/context.js';
import { randomBytes } from 'node:crypto';
import { requireCap } from '../../platform/context.js';
import { invalid, isUuid, notFound } from '../../platform/errors.js';
import { enqueue } from '../../platform/jobs.js';
import type { Locale } from '../../platform/i18n.js';
import { enqueueEmail } from '../channels/email/index.js';
import { asLocale, rt, untilText } from './texts.js';
import { recordChange } from '../changes/index.js';
import type { MeasureKind } from './channel-checks.js';
import { classifyEvidence, criticismOnly, refuseCriticism } from './evidence.js';
import { settingsIn } from './settings.js';
import { MEASURE_KINDS, REASON_CATEGORIES, RESTRICTABLE_CHANNELS, MAX_DAYS, DEFAULT_DAYS, EXPIRE_JOB, type ProposeInput, hashToken, requirePerson } from './shared.js';
import { getMeasure } from './views.js';

export async function proposeMeasure(ctx: Ctx, p: Principal, input: ProposeInput) {
  requireCap(p, 'conversations');
  const reporter = requirePerson(p, 'Reporting abuse');
  if (!MEASURE_KINDS.includes(input.kind)) throw invalid('kind', `is one of ${MEASURE_KINDS.join(', ')}`);
  if (!(REASON_CATEGORIES as readonly string[]).includes(input.reasonCategory)) throw invalid('reasonCategory', `is one of ${REASON_CATEGORIES.join(', ')}`);
  if (!isUuid(input.customerId)) throw invalid('customerId', 'is a uuid');
  const reasonText = (input.reasonText ?? '').trim().slice(0, 4000);
  const days = input.durationDays ?? DEFAULT_DAYS[input.kind];
  if (!Number.isInteger(days) || days < 1 || days > MAX_DAYS) throw invalid('durationDays', `between 1 and ${MAX_DAYS} days: every measure ends`);
  let channels: string[] | null = null;
  if (input.kind === 'restriction') {
    channels = [...new Set(input.channels ?? ['email'])];
    if (!channels.length || !channels.every((c) => (RESTRICTABLE_CHANNELS as readonly string[]).includes(c)))
      throw invalid('channels', `the channels still allowed: some of ${RESTRICTABLE_CHANNELS.join(', ')}`);
  } else if (input.channels?.length) throw invalid('channels', 'only a restriction lists channels');
  const cust = await ctx.db.query('SELECT id FROM customers WHERE account_id = $1 AND id = $2', [p.accountId, input.customerId]);
  if (!cust.rows[0]) throw notFound('Customer');
  if (input.conversationId) {
    if (!isUuid(input.conversationId)) throw invalid('conversationId', 'is a uuid');
    const c = await ctx.db.query('SELECT customer_id FROM conversations WHERE account_id = $1 AND id = $2', [p.accountId, input.conversationId]);
    if (!c.rows[0]) throw notFound('Conversation');
    if (c.rows[0].customer_id !== input.customerId) throw invalid('conversationId', "is not this customer's conversation");
  } else if (input.kind === 'cool_off') throw invalid('conversationId', 'a cool-off moves a conversation: name it');
  const abused = [...new Set(input.abusedUserIds ?? [])];
  if (abused.length) {
    if (!abused.every(isUuid)) throw invalid('abusedUserIds', 'user ids');
    const u = await ctx.db.query('SELECT id FROM users WHERE account_id = $1 AND id = ANY($2::uuid[])', [p.accountId, abused]);
    if (u.rows.length !== abused.length) throw invalid('abusedUserIds', 'unknown user');
  }
  const evidence = await classifyEvidence(ctx.db, p.accountId, input.customerId, input.messageIds ?? [], input.publicEvidence);
  if (input.kind !== 'warning') {
    if (!reasonText) throw invalid('reasonText', 'a measure beyond a warning needs a reason');
    if (!evidence.length) throw invalid('messageIds', 'a measure beyond a warning needs evidence: at least one message or quoted public text');
  }
  if (criticismOnly(evidence)) await refuseCriticism(ctx, p, { customerId: input.customerId, kind: input.kind, reasonCategory: input.reasonCategory }, evidence, 'proposal');

  const now = ctx.now();
  const id = await ctx.db.transaction(async (tx) => {
    const r = await tx.query<{ id: string }>(
      `INSERT INTO respect_measures (account_id, customer_id, conversation_id, kind, channels, reason_category, reason_text, evidence,
                                     abused_user_ids, reporter_id, duration_days, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
      [p.accountId, input.customerId, input.conversationId ?? null, input.kind, channels, input.reasonCategory, reasonText,
       JSON.stringify(evidence), abused, reporter, days, now],
    );
    const mid = r.rows[0].id;
    await recordChange(tx, p, ctx.now(), {
      audit: { action: 'respect.proposed', target: { type: 'respect_measure', id: mid }, data: { kind: input.kind, customerId: input.customerId, reasonCategory: input.reasonCategory, evidence: evidence.length } },
      change: { type: 'customer.updated', customerId: input.customerId },
    });
    // A warning needs no second person: it is in force at once and the customer is told.
    if (input.kind === 'warning') await activate(ctx, tx, p, mid, null);
    return mid;
  });
  return getMeasure(ctx, p, id);
}

/** Puts a measure in force: until, appeal link, the customer's email, the expiry job. Inside the caller's transaction. */
export async function activate(ctx: Ctx, tx: Tx, p: Principal, id: string, approver: string | null) {
  const now = ctx.now();
  const token = randomBytes(24).toString('base64url');
  const r = await tx.query<{ until: Date; duration_days: number }>(
    `UPDATE respect_measures SET status = 'active', until = $2::timestamptz + make_interval(days => duration_days),
            decided_by = $3, decided_at = CASE WHEN $3::uuid IS NULL THEN NULL ELSE $2::timestamptz END, appeal_token_hash = $4
      WHERE id = $1 RETURNING until, duration_days`,
    [id, now, approver, hashToken(token)],
  );
  const until = new Date(r.rows[0].until);
  await enqueue(tx, EXPIRE_JOB, { measureId: id }, { runAt: until });
  await notifyMeasure(ctx, tx, p.accountId, id, token);
  await recordChange(tx, p, ctx.now(), {
    audit: { action: 'respect.activated', target: { type: 'respect_measure', id }, data: { until: until.toISOString(), approvedBy: approver } },
  });
}

interface CustomerContact { name: string; email: string | null; locale: Locale; account: string; timezone: string }
export async function customerContact(tx: Tx, accountId: string, customerId: string): Promise<CustomerContact> {
  const r = await tx.query<{ name: string | null; language: string | null; email: string | null; account: string; locale: string; timezone: string }>(
    `SELECT cu.name, cu.language, a.name AS account, a.locale, a.timezone,
            (SELECT value FROM customer_identities i WHERE i.customer_id = cu.id AND i.kind = 'email' ORDER BY created_at LIMIT 1) AS email
       FROM customers cu JOIN accounts a ON a.id = cu.account_id WHERE cu.account_id = $1 AND cu.id = $2`,
    [accountId, customerId],
  );
  const row = r.rows[0];
  const locale = asLocale(row.language, asLocale(row.locale));
  return { name: row.name ?? '', email: row.email, locale, account: row.account, timezone: row.timezone };
}

export function appealUrl(ctx: Ctx, token: string) {
  return `${publicBaseUrl(ctx.config)}/appeal/${token}`;
}

export function kindText(locale: Locale, kind: MeasureKind, channels: string[] | null) {
  const ch = (channels ?? []).map((c) => rt(locale, `channel_${c}`)).join(', ');
  return rt(locale, `kind_${kind}`, { channels: ch });
}

async function notifyMeasure(ctx: Ctx, tx: Tx, accountId: string, id: string, token: string) {
  const m = (await tx.query('SELECT customer_id, conversation_id, kind, channels, reason_category, until FROM respect_measures WHERE id = $1', [id])).rows[0];
  const c = await customerContact(tx, accountId, m.customer_id);
  if (!c.email) return;
  const s = await settingsIn(tx, accountId);
  const template = m.kind === 'warning' ? `${s.warningTemplates[c.locale] ?? rt(c.locale, 'warning_template')}\n\n` : '';
  const vars = {
    name: c.name || '',
    account: c.account,
    kind: kindText(c.locale, m.kind, m.channels),
    reason: rt(c.locale, `reason_${m.reason_category}`),
    until: untilText(c.locale, m.until, c.timezone),
    link: appealUrl(ctx, token),
    template,
  };
  await enqueueEmail(tx, {
    accountId, kind: 'system', to: [c.email], subject: rt(c.locale, 'measure_subject', vars), text: rt(c.locale, 'measure_body', vars),
    conversationId: m.conversation_id, headers: { 'Auto-Submitted': 'auto-generated' },
  });
}
