/** Respect both ways (issue 7): graduated measures against abuse of staff; criticism protected. */
import { publicBaseUrl } from '../../platform/public-url.js';
import type { Ctx, Principal, Tx } from '../../platform/context.js';
import { createHash, randomBytes } from 'node:crypto';
import { can, requireCap, systemPrincipal } from '../../platform/context.js';
import { AppError, conflict, forbidden, invalid, isUuid, notFound } from '../../platform/errors.js';
import { enqueue } from '../../platform/jobs.js';
import { publishChange } from '../../platform/changes.js';
import type { Locale } from '../../platform/i18n.js';
import { audit } from '../audit/index.js';
import { enqueueEmail } from '../channels/email/outbound.js';
import { analyze } from '../listening/analyze.js';
import { updateConversation } from '../conversations/index.js';
import { asLocale, refusalText, rt, untilText } from './texts.js';


export type MeasureKind = 'warning' | 'cool_off' | 'restriction' | 'ban';
export interface ActiveMeasure {
  id: string;
  kind: MeasureKind;
  /** restriction: the channels still allowed (e.g. ['email']); null otherwise */
  channels: string[] | null;
  until: string | null;
}

/**
 * The approved, unexpired measures on a customer at `now`. Contract for other modules (channels, community):
 * keep this signature. A measure on a customer that was later merged into this one applies too.
 */
export async function activeMeasures(tx: Tx, accountId: string, customerId: string, now: Date): Promise<ActiveMeasure[]> {
  const { rows } = await tx.query<{ id: string; kind: MeasureKind; channels: string[] | null; until: Date | string | null }>(
    `SELECT m.id, m.kind, m.channels, m.until FROM respect_measures m
      WHERE m.account_id = $1 AND m.status = 'active' AND (m.until IS NULL OR m.until > $3)
        AND (m.customer_id = $2 OR m.customer_id IN (SELECT id FROM customers WHERE account_id = $1 AND merged_into = $2))
      ORDER BY m.until NULLS LAST, m.id`,
    [accountId, customerId, now],
  );
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    channels: r.kind === 'restriction' ? (r.channels ?? []) : null,
    until: r.until == null ? null : new Date(r.until).toISOString(),
  }));
}

/** Whether the customer may start a contact on this channel now (false under a ban, or a restriction excluding it). */
export async function channelAllowed(tx: Tx, accountId: string, customerId: string, channel: string, now: Date): Promise<boolean> {
  for (const m of await activeMeasures(tx, accountId, customerId, now)) {
    if (m.kind === 'ban') return false;
    if (m.kind === 'restriction' && !(m.channels ?? []).includes(channel)) return false;
  }
  return true;
}

// ------------------------------------------------------------------------------------------------------------------
// Measures: proposal, four-eyes approval, criticism protected, customer told, appeals, expiry, report.
// ------------------------------------------------------------------------------------------------------------------
export const MEASURE_KINDS: MeasureKind[] = ['warning', 'cool_off', 'restriction', 'ban'];
export const REASON_CATEGORIES = ['insult', 'threat', 'harassment', 'discrimination', 'other'] as const;
export type ReasonCategory = (typeof REASON_CATEGORIES)[number];
export const MEASURE_STATUSES = ['proposed', 'active', 'rejected', 'expired', 'overturned', 'revoked'] as const;
export const RESTRICTABLE_CHANNELS = ['email', 'chat', 'web', 'phone'] as const;
export const MAX_DAYS = 365;
export const DEFAULT_DAYS: Record<MeasureKind, number> = { warning: 90, cool_off: 7, restriction: 30, ban: 30 };
export const EXPIRE_JOB = 'respect.expire';
export const ROUTE_BANNED_JOB = 'respect.route_banned';

export type EvidenceSource = 'message' | 'community' | 'public';
export interface EvidenceItem {
  source: EvidenceSource;
  messageId?: string;
  ref?: string;
  text: string;
  /** what the classifier says: abuse / criticism / none, and whether it is a threat */
  abuse: 'abuse' | 'criticism' | 'none';
  threat: boolean;
  /** 'findings' (the stored listening row) or 'analyze' (classified now) */
  by: 'findings' | 'analyze';
}

export interface ProposeInput {
  customerId: string;
  conversationId?: string | null;
  kind: MeasureKind;
  channels?: string[];
  reasonCategory: ReasonCategory;
  reasonText?: string;
  messageIds?: string[];
  publicEvidence?: { source: 'community' | 'public'; ref?: string; text: string }[];
  abusedUserIds?: string[];
  durationDays?: number;
}

const hashToken = (t: string) => createHash('sha256').update(t).digest('hex');
const DAY = 86_400_000;

/** A measure is decided by people: an API token or the system is not a person. */
function requirePerson(p: Principal, what: string): string {
  if (p.kind !== 'user' || !p.userId)
    throw new AppError('person_required', `${what} must be done by a signed-in person, not by an API token or the system`, 403);
  return p.userId;
}

function requireDecider(p: Principal, what: string): string {
  const uid = requirePerson(p, what);
  if (!can(p, 'manage') && !can(p, 'reports'))
    throw forbidden(`The role '${p.role}' may not ${what.toLowerCase()} (needs 'manage' or 'reports': supervisor, leader or admin)`);
  return uid;
}

// ---------------------------------------------------------------------------------------------------- settings

export interface RespectSettings {
  coolOffQueueId: string | null;
  warningTemplates: Partial<Record<Locale, string>>;
}

async function settingsIn(tx: Tx, accountId: string): Promise<RespectSettings> {
  const r = await tx.query<{ cool_off_queue_id: string | null; warning_templates: any }>(
    'SELECT cool_off_queue_id, warning_templates FROM respect_settings WHERE account_id = $1',
    [accountId],
  );
  return { coolOffQueueId: r.rows[0]?.cool_off_queue_id ?? null, warningTemplates: r.rows[0]?.warning_templates ?? {} };
}

export async function getSettings(ctx: Ctx, p: Principal) {
  requireCap(p, 'conversations');
  const s = await settingsIn(ctx.db, p.accountId);
  const defaults = Object.fromEntries((['en', 'de', 'nb'] as Locale[]).map((l) => [l, rt(l, 'warning_template')]));
  return { ...s, defaultWarningTemplates: defaults };
}

export async function updateSettings(ctx: Ctx, p: Principal, input: { coolOffQueueId?: string | null; warningTemplates?: Partial<Record<Locale, string>> }) {
  requireCap(p, 'manage');
  await ctx.db.transaction(async (tx) => {
    const cur = await settingsIn(tx, p.accountId);
    const next: RespectSettings = { ...cur };
    if (input.coolOffQueueId !== undefined) {
      if (input.coolOffQueueId !== null) {
        const q = isUuid(input.coolOffQueueId)
          ? await tx.query('SELECT id FROM queues WHERE account_id = $1 AND id = $2', [p.accountId, input.coolOffQueueId])
          : { rows: [] };
        if (!q.rows.length) throw invalid('coolOffQueueId', `unknown queue ${input.coolOffQueueId}`);
      }
      next.coolOffQueueId = input.coolOffQueueId;
    }
    if (input.warningTemplates) {
      const t: Partial<Record<Locale, string>> = {};
      for (const [l, v] of Object.entries(input.warningTemplates)) {
        if (!['en', 'de', 'nb'].includes(l)) throw invalid(`warningTemplates/${l}`, 'languages are en, de and nb');
        if (typeof v === 'string' && v.trim()) t[l as Locale] = v.trim().slice(0, 4000);
      }
      next.warningTemplates = t;
    }
    await tx.query(
      `INSERT INTO respect_settings (account_id, cool_off_queue_id, warning_templates, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (account_id) DO UPDATE SET cool_off_queue_id = $2, warning_templates = $3, updated_at = $4`,
      [p.accountId, next.coolOffQueueId, JSON.stringify(next.warningTemplates), ctx.now()],
    );
    await audit(tx, p, 'respect.settings_updated', { type: 'account', id: p.accountId }, { ...input });
  });
  return getSettings(ctx, p);
}

// ---------------------------------------------------------------------------------------------------- evidence

/** Classifies each evidence item: the stored listening finding if there is one, else the analyser now. */
async function classifyEvidence(tx: Tx, accountId: string, customerId: string, messageIds: string[], pub: ProposeInput['publicEvidence']): Promise<EvidenceItem[]> {
  const out: EvidenceItem[] = [];
  const ids = [...new Set(messageIds)];
  if (ids.length) {
    if (!ids.every(isUuid)) throw invalid('messageIds', 'message ids are uuids');
    const r = await tx.query<{ id: string; text: string; abuse: string | null; threat: boolean | null }>(
      `SELECT m.id, m.text, f.abuse, f.threat FROM messages m
         JOIN conversations c ON c.id = m.conversation_id
         LEFT JOIN message_findings f ON f.message_id = m.id
        WHERE m.account_id = $1 AND m.id = ANY($2::uuid[]) AND m.kind = 'message' AND m.direction = 'inbound'
          AND m.author_type = 'customer' AND coalesce(m.author_customer_id, c.customer_id) = $3`,
      [accountId, ids, customerId],
    );
    const byId = new Map(r.rows.map((x) => [x.id, x]));
    for (const id of ids) {
      const m = byId.get(id);
      if (!m) throw invalid('messageIds', `message ${id} is not an inbound message of this customer`);
      if (m.abuse) out.push({ source: 'message', messageId: id, text: m.text, abuse: m.abuse as any, threat: !!m.threat, by: 'findings' });
      else {
        const a = analyze(m.text);
        out.push({ source: 'message', messageId: id, text: m.text, abuse: a.abuse, threat: a.threat, by: 'analyze' });
      }
    }
  }
  for (const [i, e] of (pub ?? []).entries()) {
    if (e.source !== 'community' && e.source !== 'public') throw invalid(`publicEvidence/${i}/source`, "is 'community' or 'public'");
    const text = (e.text ?? '').trim();
    if (!text) throw invalid(`publicEvidence/${i}/text`, 'quote the text');
    const a = analyze(text);
    out.push({ source: e.source, ref: e.ref?.slice(0, 1000), text: text.slice(0, 10_000), abuse: a.abuse, threat: a.threat, by: 'analyze' });
  }
  return out;
}

/** Refused when no item is abuse or a threat and at least one is criticism of the company or product. */
const criticismOnly = (ev: EvidenceItem[]) => !ev.some((e) => e.abuse === 'abuse' || e.threat) && ev.some((e) => e.abuse === 'criticism');

async function refuseCriticism(ctx: Ctx, p: Principal, m: { customerId: string; kind: string; reasonCategory: string; measureId?: string }, ev: EvidenceItem[], stage: 'proposal' | 'approval'): Promise<never> {
  await ctx.db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO respect_refusals (account_id, customer_id, reporter_id, kind, reason_category, stage, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [p.accountId, m.customerId, p.userId, m.kind, m.reasonCategory, stage, ctx.now()],
    );
    if (stage === 'approval' && m.measureId)
      await tx.query(
        `UPDATE respect_measures SET status = 'rejected', decided_by = $2, decided_at = $3, decision_note = 'criticism_protected' WHERE id = $1 AND status = 'proposed'`,
        [m.measureId, p.userId, ctx.now()],
      );
    await audit(tx, p, 'respect.refused_criticism', { type: 'customer', id: m.customerId }, {
      stage, kind: m.kind, reasonCategory: m.reasonCategory, measureId: m.measureId ?? null,
      evidence: ev.map((e) => ({ source: e.source, messageId: e.messageId ?? null, ref: e.ref ?? null, abuse: e.abuse, threat: e.threat })),
    });
  });
  throw new AppError(
    'criticism_protected',
    'Criticism of the company or product is not abuse; the evidence shows criticism and no abuse or threat, so no measure can be based on it. Answer the criticism instead.',
    422,
    { evidence: ev.map((e) => ({ source: e.source, messageId: e.messageId ?? null, abuse: e.abuse, threat: e.threat })) },
  );
}

// ---------------------------------------------------------------------------------------------------- views

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

// ---------------------------------------------------------------------------------------------------- propose

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
    await audit(tx, p, 'respect.proposed', { type: 'respect_measure', id: mid }, { kind: input.kind, customerId: input.customerId, reasonCategory: input.reasonCategory, evidence: evidence.length });
    // A warning needs no second person: it is in force at once and the customer is told.
    if (input.kind === 'warning') await activate(ctx, tx, p, mid, null);
    await publishChange(tx, { accountId: p.accountId, type: 'customer.updated', customerId: input.customerId });
    return mid;
  });
  return getMeasure(ctx, p, id);
}

/** Puts a measure in force: until, appeal link, the customer's email, the expiry job. Inside the caller's transaction. */
async function activate(ctx: Ctx, tx: Tx, p: Principal, id: string, approver: string | null) {
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
  await audit(tx, p, 'respect.activated', { type: 'respect_measure', id }, { until: until.toISOString(), approvedBy: approver });
}

interface CustomerContact { name: string; email: string | null; locale: Locale; account: string; timezone: string }
async function customerContact(tx: Tx, accountId: string, customerId: string): Promise<CustomerContact> {
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

function kindText(locale: Locale, kind: MeasureKind, channels: string[] | null) {
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

// ---------------------------------------------------------------------------------------------------- decide

async function lockMeasure(tx: Tx, p: Principal, id: string) {
  if (!isUuid(id)) throw notFound('Measure');
  const r = await tx.query<{ id: string; status: string; kind: MeasureKind; reporter_id: string; abused_user_ids: string[]; decided_by: string | null;
    customer_id: string; conversation_id: string | null; reason_category: string; evidence: EvidenceItem[]; channels: string[] | null; until: Date | null }>(
    'SELECT * FROM respect_measures WHERE account_id = $1 AND id = $2 FOR UPDATE',
    [p.accountId, id],
  );
  if (!r.rows[0]) throw notFound('Measure');
  return r.rows[0];
}

function fourEyes(uid: string, m: { reporter_id: string; abused_user_ids: string[] }, what: string) {
  if (m.reporter_id === uid) throw new AppError('four_eyes', `${what}: the person who reported it cannot decide it; a second person must`, 403);
  if ((m.abused_user_ids ?? []).includes(uid)) throw new AppError('four_eyes', `${what}: a person who was abused cannot decide it; someone not involved must`, 403);
}

export async function approveMeasure(ctx: Ctx, p: Principal, id: string, input: { note?: string } = {}) {
  const uid = requireDecider(p, 'Approving a measure');
  const m = await ctx.db.transaction(async (tx) => lockMeasure(tx, p, id));
  fourEyes(uid, m, 'Approving a measure');
  if (m.status !== 'proposed') throw conflict('not_proposed', `This measure is ${m.status}, not awaiting approval`);
  // Again at approval: the findings may have changed since the proposal (re-analysed, corrected).
  const ids = m.evidence.filter((e) => e.messageId).map((e) => e.messageId!);
  const pub = m.evidence.filter((e) => e.source !== 'message').map((e) => ({ source: e.source as 'community' | 'public', ref: e.ref, text: e.text }));
  const evidence = await classifyEvidence(ctx.db, p.accountId, m.customer_id, ids, pub);
  if (criticismOnly(evidence)) await refuseCriticism(ctx, p, { customerId: m.customer_id, kind: m.kind, reasonCategory: m.reason_category, measureId: id }, evidence, 'approval');
  let moveTo: string | null = null;
  await ctx.db.transaction(async (tx) => {
    const cur = await lockMeasure(tx, p, id);
    if (cur.status !== 'proposed') throw conflict('not_proposed', `This measure is ${cur.status}, not awaiting approval`);
    if (m.kind === 'cool_off') {
      moveTo = (await settingsIn(tx, p.accountId)).coolOffQueueId;
      if (!moveTo) throw conflict('cool_off_queue_missing', 'Set the cool-off queue in the respect settings (a supervisor queue) before approving a cool-off');
    }
    await tx.query('UPDATE respect_measures SET evidence = $2, decision_note = $3 WHERE id = $1', [id, JSON.stringify(evidence), input.note?.trim() || null]);
    await activate(ctx, tx, p, id, uid);
    await audit(tx, p, 'respect.approved', { type: 'respect_measure', id }, { kind: m.kind, note: input.note ?? null });
    if (m.kind === 'ban') await enqueue(tx, ROUTE_BANNED_JOB, { accountId: p.accountId, customerId: m.customer_id, measureId: id }, { runAt: ctx.now() });
    await publishChange(tx, { accountId: p.accountId, type: 'customer.updated', customerId: m.customer_id });
  });
  if (moveTo && m.conversation_id) await updateConversation(ctx, p, m.conversation_id, { queueId: moveTo });
  return getMeasure(ctx, p, id);
}

export async function rejectMeasure(ctx: Ctx, p: Principal, id: string, input: { note?: string } = {}) {
  const uid = requireDecider(p, 'Rejecting a measure');
  await ctx.db.transaction(async (tx) => {
    const m = await lockMeasure(tx, p, id);
    fourEyes(uid, m, 'Rejecting a measure');
    if (m.status !== 'proposed') throw conflict('not_proposed', `This measure is ${m.status}, not awaiting approval`);
    await tx.query(`UPDATE respect_measures SET status = 'rejected', decided_by = $2, decided_at = $3, decision_note = $4 WHERE id = $1`,
      [id, uid, ctx.now(), input.note?.trim() || null]);
    await audit(tx, p, 'respect.rejected', { type: 'respect_measure', id }, { note: input.note ?? null });
    await publishChange(tx, { accountId: p.accountId, type: 'customer.updated', customerId: m.customer_id });
  });
  return getMeasure(ctx, p, id);
}

/** Ends an active measure early (a supervisor's second thought; no customer appeal needed). */
export async function revokeMeasure(ctx: Ctx, p: Principal, id: string, input: { note?: string } = {}) {
  requireCap(p, 'manage');
  const uid = requirePerson(p, 'Revoking a measure');
  await ctx.db.transaction(async (tx) => {
    const m = await lockMeasure(tx, p, id);
    if (m.status !== 'active') throw conflict('not_active', `This measure is ${m.status}, not active`);
    await tx.query(`UPDATE respect_measures SET status = 'revoked', ended_by = $2, ended_at = $3, decision_note = coalesce($4, decision_note) WHERE id = $1`,
      [id, uid, ctx.now(), input.note?.trim() || null]);
    await tx.query(`UPDATE respect_appeals SET status = 'overturned', decided_by = $2, decided_at = $3, decision_note = 'measure revoked' WHERE measure_id = $1 AND status = 'open'`, [id, uid, ctx.now()]);
    await audit(tx, p, 'respect.revoked', { type: 'respect_measure', id }, { note: input.note ?? null });
    await publishChange(tx, { accountId: p.accountId, type: 'customer.updated', customerId: m.customer_id });
  });
  return getMeasure(ctx, p, id);
}

/** The expiry job at `until`: re-reads, expires once. */
export async function expireMeasure(ctx: Ctx, payload: { measureId: string }) {
  await ctx.db.transaction(async (tx) => {
    const r = await tx.query<{ account_id: string; customer_id: string; status: string; until: Date }>('SELECT account_id, customer_id, status, until FROM respect_measures WHERE id = $1 FOR UPDATE', [payload.measureId]);
    const m = r.rows[0];
    if (!m || m.status !== 'active' || new Date(m.until) > ctx.now()) return;
    await tx.query(`UPDATE respect_measures SET status = 'expired', ended_at = $2 WHERE id = $1`, [payload.measureId, ctx.now()]);
    await tx.query(`UPDATE respect_appeals SET status = 'overturned', decided_at = $2, decision_note = 'measure expired' WHERE measure_id = $1 AND status = 'open'`, [payload.measureId, ctx.now()]);
    await audit(tx, systemPrincipal(m.account_id), 'respect.expired', { type: 'respect_measure', id: payload.measureId }, { until: new Date(m.until).toISOString() });
    await publishChange(tx, { accountId: m.account_id, type: 'customer.updated', customerId: m.customer_id });
  });
}

/** How often the ban sweep looks for new conversations of a banned customer (inbound mail keeps arriving). */
export const SWEEP_MS = 5 * 60_000;

/**
 * Inbound email is never refused: under a ban it is stored as always, and this job moves the customer's open
 * conversations into the cool-off queue, once each (a supervisor may move one back). It runs when the ban is approved
 * and then every SWEEP_MS while the ban is in force, so mail arriving later is routed too.
 */
export async function routeBanned(ctx: Ctx, payload: { accountId: string; customerId: string; measureId: string; at?: string }) {
  const now = ctx.now();
  const m = (await ctx.db.query<{ status: string; until: Date }>('SELECT status, until FROM respect_measures WHERE id = $1', [payload.measureId])).rows[0];
  if (!m || m.status !== 'active' || new Date(m.until) <= now) return;
  const q = (await settingsIn(ctx.db, payload.accountId)).coolOffQueueId;
  if (q) {
    const r = await ctx.db.query<{ id: string }>(
      `SELECT c.id FROM conversations c WHERE c.account_id = $1
          AND (c.customer_id = $2 OR c.customer_id IN (SELECT id FROM customers WHERE account_id = $1 AND merged_into = $2))
          AND c.status NOT IN ('solved', 'closed') AND c.merged_into IS NULL AND c.queue_id IS DISTINCT FROM $3
          AND NOT EXISTS (SELECT 1 FROM respect_routed x WHERE x.conversation_id = c.id)`,
      [payload.accountId, payload.customerId, q],
    );
    const sys = systemPrincipal(payload.accountId);
    for (const c of r.rows) {
      await updateConversation(ctx, sys, c.id, { queueId: q });
      await ctx.db.query('INSERT INTO respect_routed (conversation_id, measure_id, routed_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [c.id, payload.measureId, now]);
    }
  }
  // From the later of now and this run's planned time, so a clock that stands still (tests) cannot loop.
  const next = new Date(Math.max(now.getTime(), payload.at ? Date.parse(payload.at) : 0) + SWEEP_MS);
  if (next < new Date(m.until)) await enqueue(ctx.db, ROUTE_BANNED_JOB, { ...payload, at: next.toISOString() }, { runAt: next });
}

// ---------------------------------------------------------------------------------------------------- appeals

async function addAppeal(ctx: Ctx, tx: Tx, p: Principal, m: { id: string; status: string; customer_id: string }, text: string, source: 'customer' | 'agent', by: string | null) {
  if (m.status !== 'active') throw conflict('not_active', 'Only a measure in force can be appealed');
  const open = await tx.query('SELECT id FROM respect_appeals WHERE measure_id = $1 AND status = $2', [m.id, 'open']);
  if (open.rows.length) throw conflict('appeal_open', 'An appeal of this measure is already open');
  const r = await tx.query<{ id: string }>(
    `INSERT INTO respect_appeals (account_id, measure_id, text, source, recorded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [p.accountId, m.id, text, source, by, ctx.now()],
  );
  await audit(tx, p, 'respect.appealed', { type: 'respect_measure', id: m.id }, { appealId: r.rows[0].id, source });
  await publishChange(tx, { accountId: p.accountId, type: 'customer.updated', customerId: m.customer_id });
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
    await audit(tx, p, `respect.appeal_${status}`, { type: 'respect_measure', id: m.id }, { appealId, note: input.note ?? null });
    await publishChange(tx, { accountId: p.accountId, type: 'customer.updated', customerId: m.customer_id });
    return m.id;
  });
  return getMeasure(ctx, p, measureId);
}

// ---------------------------------------------------------------------------------------------------- report

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

// ---------------------------------------------------------------------------------------------------- front doors

/**
 * For the chat and contact-form doors: refuses politely (403 `respect_refused`, the message in the visitor's
 * language) when the customer behind one of these identities may not start a contact on `channel` now. An unknown
 * visitor is let in. Inbound email never calls this: mail is always stored (see routeBanned).
 */
export async function refuseIfBlocked(tx: Tx, accountId: string, identities: { kind: 'email' | 'chat'; value: string }[], channel: string, now: Date, locale: Locale) {
  for (const id of identities) {
    const r = await tx.query<{ id: string }>(
      `SELECT coalesce(c.merged_into, c.id) AS id FROM customer_identities i JOIN customers c ON c.id = i.customer_id
        WHERE i.account_id = $1 AND i.kind = $2 AND i.value = $3`,
      [accountId, id.kind, id.value],
    );
    if (r.rows[0] && !(await channelAllowed(tx, accountId, r.rows[0].id, channel, now)))
      throw new AppError('respect_refused', refusalText(locale), 403, { channel });
  }
}
