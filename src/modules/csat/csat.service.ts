/**
 * Customer satisfaction (issue 7): one-question surveys after solved, joined to journeys.
 *
 * One answer store: `conversation_ratings` (migration 0008) holds the answer of a conversation whether it came from the
 * portal's rating form, the emailed survey page or the chat widget, so a customer is never asked twice and every report
 * reads one table. `csat_surveys` records what was sent (route, language, reminder, expiry). Journeys are stitched at
 * query time from contact_facts (the same CTE as the waits reports), so a late contact event changes the join too.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Ctx, Principal, Tx } from '../../platform/context.js';
import { requireCap, systemPrincipal } from '../../platform/context.js';
import { AppError, invalid, isUuid, notFound } from '../../platform/errors.js';
import { enqueue } from '../../platform/jobs.js';
import { publishChange } from '../../platform/changes.js';
import { named } from '../../platform/sql.js';
import { LOCALES, type Locale } from '../../platform/i18n.js';
import { audit } from '../audit/index.js';
import { enqueueEmail } from '../channels/email/index.js';
import { baseUrl } from '../channels/web/index.js';
import { journeysCte } from '../journeys/index.js';
import { DEFAULT_QUESTION, ct, dateText, scoreLabels } from './texts.js';

export interface Satisfaction {
  score: number; // 1..5
  comment: string | null;
  at: string; // ISO time of the answer
}

/**
 * The latest satisfaction answer per conversation (for the leaders' follow-through and other reports).
 * Contract for other modules: keep this signature.
 */
export async function satisfactionFor(tx: Tx, accountId: string, conversationIds: string[]): Promise<Map<string, Satisfaction>> {
  const out = new Map<string, Satisfaction>();
  const ids = conversationIds.filter(isUuid);
  if (!ids.length) return out;
  const { rows } = await tx.query<{ conversation_id: string; score: number; comment: string | null; updated_at: Date | string }>(
    `SELECT conversation_id, score, comment, updated_at FROM conversation_ratings
      WHERE account_id = $1 AND conversation_id = ANY($2::uuid[])`,
    [accountId, ids],
  );
  for (const r of rows) out.set(r.conversation_id, { score: r.score, comment: r.comment, at: new Date(r.updated_at).toISOString() });
  return out;
}

// ---------------------------------------------------------------- settings

export interface CsatSettings {
  enabled: boolean;
  /** Minutes after solved before the survey goes out; a reopen within them cancels it. */
  delayMinutes: number;
  /** Days without an answer before the one reminder; 0 = no reminder. */
  reminderDays: number;
  /** Days a survey link stays valid (answers can be changed until then). */
  expiryDays: number;
  /** The question per language (the account's own wording, else the default). */
  questions: Record<Locale, string>;
}

interface SettingsRow {
  enabled: boolean;
  delay_minutes: number;
  reminder_days: number;
  expiry_days: number;
  questions: Partial<Record<Locale, string>>;
  secret: string;
}

async function settingsRow(tx: Tx, accountId: string): Promise<SettingsRow> {
  await tx.query(`INSERT INTO csat_settings (account_id, secret) VALUES ($1, $2) ON CONFLICT (account_id) DO NOTHING`, [
    accountId,
    randomBytes(32).toString('base64url'),
  ]);
  const r = await tx.query<SettingsRow>(
    'SELECT enabled, delay_minutes, reminder_days, expiry_days, questions, secret FROM csat_settings WHERE account_id = $1',
    [accountId],
  );
  return r.rows[0];
}

const shape = (s: SettingsRow): CsatSettings => ({
  enabled: s.enabled,
  delayMinutes: s.delay_minutes,
  reminderDays: s.reminder_days,
  expiryDays: s.expiry_days,
  questions: Object.fromEntries(LOCALES.map((l) => [l, s.questions?.[l] || DEFAULT_QUESTION[l]])) as Record<Locale, string>,
});

export async function getSettings(ctx: Ctx, p: Principal): Promise<CsatSettings> {
  requireCap(p, 'admin');
  return shape(await settingsRow(ctx.db, p.accountId));
}

export async function updateSettings(
  ctx: Ctx,
  p: Principal,
  patch: { enabled?: boolean; delayMinutes?: number; reminderDays?: number; expiryDays?: number; questions?: Partial<Record<Locale, string | null>> },
): Promise<CsatSettings> {
  requireCap(p, 'admin');
  return ctx.db.transaction(async (tx) => {
    const cur = await settingsRow(tx, p.accountId);
    const next = {
      enabled: patch.enabled ?? cur.enabled,
      delay: patch.delayMinutes ?? cur.delay_minutes,
      reminder: patch.reminderDays ?? cur.reminder_days,
      expiry: patch.expiryDays ?? cur.expiry_days,
      questions: { ...cur.questions } as Partial<Record<Locale, string>>,
    };
    for (const [l, q] of Object.entries(patch.questions ?? {})) {
      if (!(LOCALES as string[]).includes(l)) throw invalid(`questions.${l}`, `unknown language '${l}' (en, de, nb)`);
      const text = q?.trim();
      if (text && text.length > 300) throw invalid(`questions.${l}`, 'at most 300 characters');
      if (text) next.questions[l as Locale] = text;
      else delete next.questions[l as Locale];
    }
    if (next.reminder > 0 && next.reminder >= next.expiry)
      throw invalid('reminderDays', `the reminder (${next.reminder} days) must come before the link expires (${next.expiry} days)`);
    await tx.query(
      `UPDATE csat_settings SET enabled = $2, delay_minutes = $3, reminder_days = $4, expiry_days = $5, questions = $6, updated_at = $7
        WHERE account_id = $1`,
      [p.accountId, next.enabled, next.delay, next.reminder, next.expiry, JSON.stringify(next.questions), ctx.now()],
    );
    await audit(tx, p, 'csat.settings_changed', { type: 'account', id: p.accountId }, { ...patch });
    return shape({ ...cur, enabled: next.enabled, delay_minutes: next.delay, reminder_days: next.reminder, expiry_days: next.expiry, questions: next.questions });
  });
}

export { scheduleSurvey } from './schedule.js';

// ---------------------------------------------------------------- tokens

const sign = (secret: string, id: string) => createHmac('sha256', secret).update(`csat:${id}`).digest('base64url').slice(0, 32);
const tokenFor = (secret: string, surveyId: string) => `${surveyId}.${sign(secret, surveyId)}`;

interface SurveyRow {
  id: string;
  conversation_id: string;
  account_id: string;
  customer_id: string;
  route: 'email' | 'chat' | 'no_route';
  language: Locale;
  email: string | null;
  question: string;
  sent_at: Date;
  reminded_at: Date | null;
  expires_at: Date;
}

/** The survey of a link token, or null when the token is malformed, forged or unknown. Expiry is the caller's check. */
async function surveyByToken(tx: Tx, token: string): Promise<SurveyRow | null> {
  const m = /^([0-9a-f-]{36})\.([\w-]{32})$/.exec(token ?? '');
  if (!m || !isUuid(m[1])) return null;
  const r = await tx.query<SurveyRow & { secret: string }>(
    `SELECT s.*, cs.secret FROM csat_surveys s JOIN csat_settings cs ON cs.account_id = s.account_id WHERE s.id = $1`,
    [m[1]],
  );
  const row = r.rows[0];
  if (!row) return null;
  const want = Buffer.from(sign(row.secret, row.id));
  const got = Buffer.from(m[2]);
  if (want.length !== got.length || !timingSafeEqual(want, got)) return null;
  return row;
}

// ---------------------------------------------------------------- sending

const asLocale = (l: string | null | undefined): Locale | null => {
  if (!l) return null;
  const x = l.toLowerCase();
  if (x.startsWith('de')) return 'de';
  if (x.startsWith('nb') || x.startsWith('no') || x.startsWith('nn')) return 'nb';
  if (x.startsWith('en')) return 'en';
  return null;
};

interface ConvInfo {
  id: string;
  account_id: string;
  number: number;
  subject: string;
  status: string;
  channel: string;
  customer_id: string;
  solved_at: Date | null;
  merged_into: string | null;
  first_replied_at: Date | null;
  automatic: boolean;
  language: string | null;
  customer_language: string | null;
  customer_name: string | null;
  account_locale: string;
  account_name: string;
  account_slug: string;
  message_language: string | null;
  email: string | null;
  probe: boolean;
  human_message: boolean;
}

async function convInfo(tx: Tx, conversationId: string, lock = false): Promise<ConvInfo | null> {
  if (lock) await tx.query('SELECT 1 FROM conversations WHERE id = $1 FOR UPDATE', [conversationId]);
  const r = await tx.query<ConvInfo>(
    `SELECT c.id, c.account_id, c.number, c.subject, c.status, c.channel, c.customer_id, c.solved_at, c.merged_into,
            c.first_replied_at, c.automatic, c.language, cu.language AS customer_language, cu.name AS customer_name,
            a.locale AS account_locale, a.name AS account_name, a.slug AS account_slug,
            (SELECT m.language FROM messages m WHERE m.conversation_id = c.id AND m.direction = 'inbound' AND m.language IS NOT NULL
              ORDER BY m.created_at DESC LIMIT 1) AS message_language,
            (SELECT i.value FROM customer_identities i WHERE i.customer_id = c.customer_id AND i.kind = 'email'
              ORDER BY i.created_at, i.value LIMIT 1) AS email,
            EXISTS (SELECT 1 FROM probes pr WHERE pr.customer_id = c.customer_id) AS probe,
            EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.author_type = 'customer' AND NOT m.automatic) AS human_message
       FROM conversations c JOIN customers cu ON cu.id = c.customer_id JOIN accounts a ON a.id = c.account_id
      WHERE c.id = $1`,
    [conversationId],
  );
  return r.rows[0] ?? null;
}

/** The customer's language: the customer's own, else the language they wrote in, else the account's. */
const languageOf = (c: ConvInfo): Locale =>
  asLocale(c.customer_language) ?? asLocale(c.message_language) ?? asLocale(c.language) ?? asLocale(c.account_locale) ?? 'en';

function surveyMail(base: string, c: ConvInfo, s: { language: Locale; question: string; expiresAt: Date; token: string }, reminder: boolean) {
  const l = s.language;
  const vars = { number: c.number, subject: c.subject || '…', name: c.customer_name || '' };
  const link = (n: number) => `${base}/survey/${s.token}?score=${n}&lang=${l}`;
  const labels = scoreLabels(l);
  const hello = c.customer_name ? ct(l, 'mail_hello', vars) : ct(l, 'mail_hello_anon');
  const intro = ct(l, reminder ? 'mail_reminder_intro' : 'mail_intro', vars);
  const after = ct(l, 'mail_after', { date: dateText(l, s.expiresAt) });
  const text = [
    hello,
    '',
    intro,
    '',
    s.question,
    '',
    ...labels.map((lab, i) => `${i + 1} – ${lab}: ${link(i + 1)}`),
    '',
    after,
    '',
    `${ct(l, 'mail_thanks')}, ${c.account_name}`,
  ].join('\n');
  const esc = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const html = `<p>${esc(hello)}</p><p>${esc(intro)}</p><p><strong>${esc(s.question)}</strong></p><ul>${labels
    .map((lab, i) => `<li><a href="${esc(link(i + 1))}">${i + 1} – ${esc(lab)}</a></li>`)
    .join('')}</ul><p>${esc(after)}</p><p>${esc(ct(l, 'mail_thanks'))}, ${esc(c.account_name)}</p>`;
  return { subject: ct(l, reminder ? 'mail_reminder_subject' : 'mail_subject', vars), text, html };
}

/** Whether the chat's visitor is connected now (a live chat that has not ended and whose widget is open). */
async function visitorPresent(tx: Tx, conversationId: string): Promise<boolean> {
  const r = await tx.query(
    `SELECT 1 FROM chat_conversations WHERE conversation_id = $1 AND mode = 'chat' AND ended_at IS NULL AND disconnected_at IS NULL`,
    [conversationId],
  );
  return r.rows.length > 0;
}

/** The `csat.survey` job: sends the survey if the conversation is still solved since the same moment. Idempotent. */
export async function runSurvey(ctx: Ctx, payload: { conversationId: string; solvedAt: string }): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const c = await convInfo(tx, payload.conversationId, true);
    if (!c || c.merged_into) return;
    if (c.status !== 'solved' && c.status !== 'closed') return; // reopened before the delay
    if (!c.solved_at || new Date(c.solved_at).toISOString() !== payload.solvedAt) return; // a later solve has its own job
    await createSurvey(tx, ctx, c);
  });
}

/**
 * Asks a chat's visitor in the widget now (issue 13): when they end a chat an agent answered, the question comes while
 * the widget is still open rather than by email ten minutes later. Creates the conversation's one survey with route
 * 'chat' (nothing when it was asked or rated already, or is not to be asked) and returns the pending prompt, or null.
 */
export async function surveyInChat(ctx: Ctx, conversationId: string): Promise<ChatPrompt | null> {
  if (!isUuid(conversationId)) return null;
  await ctx.db.transaction(async (tx) => {
    const c = await convInfo(tx, conversationId, true);
    if (!c || c.merged_into || c.channel !== 'chat') return;
    await createSurvey(tx, ctx, c, 'chat');
  });
  return chatPrompt(ctx, conversationId);
}

/**
 * The conversation's one survey: by its channel (a chat whose visitor is there is asked in the widget, otherwise by
 * email when there is an address; phone has no route) or the route given; the email sent, the reminder scheduled,
 * the agents' view and the widget told. Nothing when the account switched surveys off, the conversation was asked or
 * rated already, or it is not to be asked (robots, probes, nobody answered).
 */
async function createSurvey(tx: Tx, ctx: Ctx, c: ConvInfo, routeWanted?: 'chat'): Promise<void> {
  const settings = await settingsRow(tx, c.account_id);
  if (!settings.enabled) return;
  if ((await tx.query('SELECT 1 FROM csat_surveys WHERE conversation_id = $1', [c.id])).rows.length) return; // one per conversation
  if ((await tx.query('SELECT 1 FROM conversation_ratings WHERE conversation_id = $1', [c.id])).rows.length) return; // rated in the portal already
  // Robots, probes and conversations nobody answered are not asked.
  if (c.automatic || c.probe || !c.human_message || !c.first_replied_at) return;
  const now = ctx.now();
  const language = languageOf(c);
  const question = settings.questions?.[language] || DEFAULT_QUESTION[language];
  let route: SurveyRow['route'];
  if (routeWanted) route = routeWanted;
  else if (c.channel === 'phone') route = 'no_route';
  else if (c.channel === 'chat' && (await visitorPresent(tx, c.id))) route = 'chat';
  else route = c.email ? 'email' : 'no_route';
  const expiresAt = new Date(now.getTime() + settings.expiry_days * 86_400_000);
  const ins = await tx.query<{ id: string }>(
    `INSERT INTO csat_surveys (conversation_id, account_id, customer_id, route, language, email, question, sent_at, expires_at, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $8) RETURNING id`,
    [c.id, c.account_id, c.customer_id, route, language, route === 'email' ? c.email : null, question, now, expiresAt],
  );
  const id = ins.rows[0].id;
  const p = systemPrincipal(c.account_id);
  if (route === 'email') {
    const mail = surveyMail(baseUrl(ctx), c, { language, question, expiresAt, token: tokenFor(settings.secret, id) }, false);
    await enqueueEmail(tx, { accountId: c.account_id, kind: 'system', to: [c.email!], conversationId: c.id, ...mail });
  }
  if (route !== 'no_route' && settings.reminder_days > 0)
    await enqueue(tx, 'csat.remind', { surveyId: id }, { runAt: new Date(now.getTime() + settings.reminder_days * 86_400_000), maxAttempts: 8 });
  await audit(tx, p, route === 'no_route' ? 'csat.no_route' : 'csat.survey_sent', { type: 'conversation', id: c.id }, { route, language });
  // The chat widget's socket hears this and shows the prompt; the agents' view refreshes the survey state.
  await publishChange(tx, { accountId: c.account_id, type: 'conversation.updated', conversationId: c.id });
}

/** The `csat.remind` job: one reminder by email if the survey is unanswered and not expired; never a second one. */
export async function runReminder(ctx: Ctx, payload: { surveyId: string }): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const r = await tx.query<SurveyRow>('SELECT * FROM csat_surveys WHERE id = $1 FOR UPDATE', [payload.surveyId]);
    const s = r.rows[0];
    if (!s || s.reminded_at || s.route === 'no_route') return;
    const now = ctx.now();
    if (new Date(s.expires_at) <= now) return;
    if ((await tx.query('SELECT 1 FROM conversation_ratings WHERE conversation_id = $1', [s.conversation_id])).rows.length) return;
    const c = await convInfo(tx, s.conversation_id);
    const to = s.email ?? c?.email;
    if (!c || !to) return;
    const settings = await settingsRow(tx, s.account_id);
    await tx.query('UPDATE csat_surveys SET reminded_at = $2, email = coalesce(email, $3) WHERE id = $1', [s.id, now, to]);
    const mail = surveyMail(baseUrl(ctx), c, { language: s.language, question: s.question, expiresAt: new Date(s.expires_at), token: tokenFor(settings.secret, s.id) }, true);
    await enqueueEmail(tx, { accountId: s.account_id, kind: 'system', to: [to], conversationId: s.conversation_id, ...mail });
    await audit(tx, systemPrincipal(s.account_id), 'csat.reminded', { type: 'conversation', id: s.conversation_id }, {});
    await publishChange(tx, { accountId: s.account_id, type: 'conversation.updated', conversationId: s.conversation_id });
  });
}

// ---------------------------------------------------------------- answering

export const MAX_COMMENT = 5000;

/** Writes the answer into the one store (conversation_ratings); the caller has checked who may answer. */
async function record(tx: Tx, ctx: Ctx, accountId: string, conversationId: string, customerId: string, score: number, comment: string | null, source: 'survey' | 'chat') {
  if (!Number.isInteger(score) || score < 1 || score > 5) throw invalid('score', 'must be 1 to 5');
  if (comment && comment.length > MAX_COMMENT) throw invalid('comment', `at most ${MAX_COMMENT} characters`);
  const now = ctx.now();
  const prev = await tx.query<{ score: number }>('SELECT score FROM conversation_ratings WHERE conversation_id = $1 FOR UPDATE', [conversationId]);
  await tx.query(
    `INSERT INTO conversation_ratings (conversation_id, account_id, customer_id, score, comment, source, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
     ON CONFLICT (conversation_id) DO UPDATE SET score = EXCLUDED.score, comment = EXCLUDED.comment, source = EXCLUDED.source,
                                                 updated_at = EXCLUDED.updated_at`,
    [conversationId, accountId, customerId, score, comment || null, source, now],
  );
  await audit(tx, systemPrincipal(accountId), prev.rows[0] ? 'conversation.rating_changed' : 'conversation.rated', { type: 'conversation', id: conversationId }, {
    score,
    source,
    ...(prev.rows[0] ? { from: prev.rows[0].score } : {}),
  });
  await publishChange(tx, { accountId, type: 'conversation.updated', conversationId });
}

export interface SurveyView {
  accountId: string;
  accountName: string;
  accountSlug: string;
  language: Locale;
  question: string;
  number: number;
  subject: string;
  expiresAt: Date;
  answer: { score: number; comment: string | null } | null;
}

export class SurveyError extends AppError {
  constructor(readonly reason: 'bad' | 'expired') {
    super(reason === 'bad' ? 'not_found' : 'expired', reason === 'bad' ? 'Survey link not valid' : 'Survey link expired', reason === 'bad' ? 404 : 410);
  }
}

async function viewOf(tx: Tx, ctx: Ctx, token: string): Promise<{ s: SurveyRow; view: SurveyView }> {
  const s = await surveyByToken(tx, token);
  if (!s) throw new SurveyError('bad');
  if (new Date(s.expires_at) <= ctx.now()) throw new SurveyError('expired');
  const r = await tx.query<{ number: number; subject: string; name: string; slug: string; score: number | null; comment: string | null }>(
    `SELECT c.number, c.subject, a.name, a.slug, r.score, r.comment
       FROM conversations c JOIN accounts a ON a.id = c.account_id LEFT JOIN conversation_ratings r ON r.conversation_id = c.id
      WHERE c.id = $1`,
    [s.conversation_id],
  );
  const c = r.rows[0];
  if (!c) throw new SurveyError('bad');
  return {
    s,
    view: {
      accountId: s.account_id, accountName: c.name, accountSlug: c.slug, language: s.language, question: s.question, number: c.number,
      subject: c.subject, expiresAt: new Date(s.expires_at), answer: c.score ? { score: c.score, comment: c.comment } : null,
    },
  };
}

/** What the survey page shows (GET: never records anything, so mail scanners that prefetch links change nothing). */
export async function surveyPage(ctx: Ctx, token: string): Promise<SurveyView> {
  return (await viewOf(ctx.db, ctx, token)).view;
}

/** The customer's answer from the survey page (POST); can be changed until the link expires. */
export async function answerSurvey(ctx: Ctx, token: string, score: number, comment: string | null): Promise<SurveyView> {
  return ctx.db.transaction(async (tx) => {
    const { s } = await viewOf(tx, ctx, token);
    await record(tx, ctx, s.account_id, s.conversation_id, s.customer_id, score, comment, 'survey');
    return (await viewOf(tx, ctx, token)).view;
  });
}

export interface ChatPrompt {
  conversationId: string;
  question: string;
  language: Locale;
  labels: string[];
  thanks: string;
  /** Texts for the widget's comment box and button, in the survey's language. */
  commentLabel: string;
  sendLabel: string;
  expiresAt: string;
}

/** The pending survey prompt of a chat (route 'chat', unanswered, not expired), or null. */
export async function chatPrompt(ctx: Ctx, conversationId: string): Promise<ChatPrompt | null> {
  if (!isUuid(conversationId)) return null;
  const r = await ctx.db.query<SurveyRow>(
    `SELECT s.* FROM csat_surveys s WHERE s.conversation_id = $1 AND s.route = 'chat' AND s.expires_at > $2
        AND NOT EXISTS (SELECT 1 FROM conversation_ratings r WHERE r.conversation_id = s.conversation_id)`,
    [conversationId, ctx.now()],
  );
  const s = r.rows[0];
  if (!s) return null;
  return {
    conversationId, question: s.question, language: s.language, labels: scoreLabels(s.language), thanks: ct(s.language, 'chat_thanks'),
    commentLabel: ct(s.language, 'page_comment'), sendLabel: ct(s.language, 'page_send'), expiresAt: new Date(s.expires_at).toISOString(),
  };
}

/** A chat visitor's answer to the prompt: only for the visitor session's own chat that has a chat survey. */
export async function answerChat(ctx: Ctx, sessionId: string, conversationId: string | null, score: unknown, comment: unknown) {
  if (!conversationId) throw new AppError('no_survey', 'There is no survey to answer in this chat', 409);
  if (comment !== undefined && comment !== null && typeof comment !== 'string') throw invalid('comment', 'must be text');
  return ctx.db.transaction(async (tx) => {
    const r = await tx.query<SurveyRow>(
      `SELECT s.* FROM csat_surveys s JOIN chat_conversations cc ON cc.conversation_id = s.conversation_id
        WHERE s.conversation_id = $1 AND cc.session_id = $2 AND s.route = 'chat'`,
      [conversationId, sessionId],
    );
    const s = r.rows[0];
    if (!s) throw new AppError('no_survey', 'There is no survey to answer in this chat', 409);
    if (new Date(s.expires_at) <= ctx.now()) throw new AppError('expired', 'This survey has expired', 410);
    await record(tx, ctx, s.account_id, s.conversation_id, s.customer_id, Number(score), ((comment as string | undefined) ?? '').trim() || null, 'chat');
    return { conversationId, score: Number(score), thanks: ct(s.language, 'chat_thanks') };
  });
}

// ---------------------------------------------------------------- agents: the state of one conversation

export async function conversationState(ctx: Ctx, p: Principal, conversationId: string) {
  requireCap(p, 'conversations');
  if (!isUuid(conversationId)) throw notFound('Conversation');
  const r = await ctx.db.query<any>(
    `SELECT c.id,
            (SELECT json_build_object('route', s.route, 'language', s.language, 'sentAt', s.sent_at, 'remindedAt', s.reminded_at,
                    'expiresAt', s.expires_at, 'question', s.question) FROM csat_surveys s WHERE s.conversation_id = c.id) AS survey,
            (SELECT json_build_object('score', r.score, 'comment', r.comment, 'source', r.source, 'at', r.updated_at)
               FROM conversation_ratings r WHERE r.conversation_id = c.id) AS answer
       FROM conversations c WHERE c.account_id = $1 AND c.id = $2`,
    [p.accountId, conversationId],
  );
  if (!r.rows[0]) throw notFound('Conversation');
  const { survey, answer } = r.rows[0];
  return { conversationId, survey: survey ?? null, answer: answer ?? null };
}

// ---------------------------------------------------------------- reports

export interface ReportFilter {
  from?: string;
  to?: string;
  queue?: string;
  channel?: string;
}

function period(ctx: Ctx, f: ReportFilter) {
  const parse = (v: string | undefined, field: string) => {
    if (!v) return null;
    const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v);
    if (Number.isNaN(d.getTime())) throw invalid(field, `'${v}' is not a date`);
    return d;
  };
  const to = parse(f.to, 'to') ?? new Date(ctx.now().getTime() + 1000);
  const from = parse(f.from, 'from') ?? new Date(to.getTime() - 30 * 86_400_000);
  if (from >= to) throw invalid('from', 'must be before to');
  if (f.queue && !isUuid(f.queue)) throw invalid('queue', `'${f.queue}' is not a queue id`);
  return { from, to, queue: f.queue ?? null, channel: f.channel ?? null };
}

interface Agg {
  responses: number;
  average: number | null;
  csat: number | null;
}
const aggSql = `count(*)::int AS responses, round(avg(r.score)::numeric, 2)::float8 AS average,
  round((100.0 * count(*) FILTER (WHERE r.score >= 4) / nullif(count(*), 0))::numeric, 1)::float8 AS csat`;

/** Responses, response rate, average and CSAT (% of 4–5) in the period (answer time), per queue and channel. */
export async function report(ctx: Ctx, p: Principal, f: ReportFilter) {
  requireCap(p, 'reports');
  const q = period(ctx, f);
  const vals = { account: p.accountId, from: q.from, to: q.to, queue: q.queue, channel: q.channel };
  const base = `FROM conversation_ratings r JOIN conversations c ON c.id = r.conversation_id
    WHERE r.account_id = :account AND r.created_at >= :from AND r.created_at < :to
      AND (:queue::uuid IS NULL OR c.queue_id = :queue::uuid) AND (:channel::text IS NULL OR c.channel = :channel::text)`;
  const total = (await ctx.db.query<Agg>(...named(`SELECT ${aggSql} ${base}`, vals))).rows[0];
  const dist = await ctx.db.query<{ score: number; n: number }>(...named(`SELECT r.score, count(*)::int AS n ${base} GROUP BY r.score`, vals));
  const byQueue = await ctx.db.query<Agg & { queueId: string | null; queueName: string | null }>(...named(
    `SELECT c.queue_id AS "queueId", (SELECT name FROM queues WHERE id = c.queue_id) AS "queueName", ${aggSql} ${base}
      GROUP BY c.queue_id ORDER BY 2 NULLS LAST`, vals));
  const byChannel = await ctx.db.query<Agg & { channel: string }>(...named(`SELECT c.channel, ${aggSql} ${base} GROUP BY c.channel ORDER BY 1`, vals));
  const bySource = await ctx.db.query<{ source: string; n: number }>(...named(`SELECT r.source, count(*)::int AS n ${base} GROUP BY r.source`, vals));
  const surveys = (await ctx.db.query<any>(...named(
    `SELECT count(*) FILTER (WHERE s.route <> 'no_route')::int AS sent, count(*) FILTER (WHERE s.route = 'email')::int AS email,
            count(*) FILTER (WHERE s.route = 'chat')::int AS chat, count(*) FILTER (WHERE s.route = 'no_route')::int AS "noRoute",
            count(*) FILTER (WHERE s.reminded_at IS NOT NULL)::int AS reminded,
            count(*) FILTER (WHERE s.route <> 'no_route' AND EXISTS (SELECT 1 FROM conversation_ratings r WHERE r.conversation_id = s.conversation_id))::int AS answered
       FROM csat_surveys s JOIN conversations c ON c.id = s.conversation_id
      WHERE s.account_id = :account AND s.sent_at >= :from AND s.sent_at < :to
        AND (:queue::uuid IS NULL OR c.queue_id = :queue::uuid) AND (:channel::text IS NULL OR c.channel = :channel::text)`, vals))).rows[0];
  const comments = await ctx.db.query<any>(...named(
    `SELECT c.id AS "conversationId", c.number, c.subject, c.channel, r.score, r.comment, r.source, r.updated_at AS at
      ${base} AND r.comment IS NOT NULL AND r.comment <> '' ORDER BY r.updated_at DESC LIMIT 100`, vals));
  return {
    from: q.from.toISOString(),
    to: q.to.toISOString(),
    ...total,
    responseRate: surveys.sent ? Math.round((1000 * surveys.answered) / surveys.sent) / 10 : null,
    surveys,
    distribution: Object.fromEntries([1, 2, 3, 4, 5].map((n) => [n, dist.rows.find((d) => d.score === n)?.n ?? 0])),
    bySource: Object.fromEntries(bySource.rows.map((x) => [x.source, x.n])),
    byQueue: byQueue.rows,
    byChannel: byChannel.rows,
    comments: comments.rows.map((x) => ({ ...x, at: new Date(x.at).toISOString() })),
  };
}

export const BUCKETS = [
  { key: 'lt1m', from: 0, to: 60 },
  { key: '1to5m', from: 60, to: 300 },
  { key: '5to15m', from: 300, to: 900 },
  { key: '15to60m', from: 900, to: 3600 },
  { key: 'gt60m', from: 3600, to: null },
] as const;

/**
 * One point per answer in the period: the lived wait of the customer's journey (first touch of the journey's first
 * contact until a human answered, across channels within the journey window) beside the reported queue wait of the
 * conversation's own contact, and the score; plus averages per lived-wait bucket.
 */
export async function points(ctx: Ctx, p: Principal, f: ReportFilter) {
  requireCap(p, 'reports');
  const q = period(ctx, f);
  const vals = { account: p.accountId, from: q.from, to: q.to, queue: q.queue, channel: q.channel };
  const r = await ctx.db.query<any>(...named(
    `WITH r AS (
       SELECT r.conversation_id, r.score, r.created_at, c.number, c.channel, c.queue_id
         FROM conversation_ratings r JOIN conversations c ON c.id = r.conversation_id
        WHERE r.account_id = :account AND r.created_at >= :from AND r.created_at < :to
          AND (:queue::uuid IS NULL OR c.queue_id = :queue::uuid) AND (:channel::text IS NULL OR c.channel = :channel::text)
     ), rc AS (
       SELECT f.conversation_id, f.contact_id, f.who, f.window_key, f.first_touch_at, f.queue_wait_s, f.lived_wait_s
         FROM contact_facts f WHERE f.account_id = :account AND f.conversation_id IN (SELECT conversation_id FROM r)
     ), ${journeysCte(false, `(cf.who, cf.window_key) IN (SELECT who, window_key FROM rc WHERE who IS NOT NULL)`)}
     SELECT r.conversation_id AS "conversationId", r.number, r.score, r.channel, r.queue_id AS "queueId", r.created_at AS at,
            (SELECT rc.queue_wait_s FROM rc WHERE rc.conversation_id = r.conversation_id ORDER BY rc.first_touch_at LIMIT 1) AS "queueWaitSeconds",
            (SELECT max(rc.lived_wait_s) FROM rc WHERE rc.conversation_id = r.conversation_id) AS "contactLivedSeconds",
            (SELECT json_agg(json_build_object('startAt', j2.start_at, 'waitSeconds', j2.wait_s, 'attempts', j2.attempts,
                                               'channel', j2.channel, 'contactIds', j2.contact_ids) ORDER BY j2.start_at)
               FROM j2 WHERE j2.contact_ids && (SELECT array_agg(rc.contact_id) FROM rc WHERE rc.conversation_id = r.conversation_id)) AS journeys
       FROM r ORDER BY r.created_at`,
    vals,
  ));
  const pts = r.rows.map((x) => {
    const journeys = (x.journeys ?? []) as { waitSeconds: number | null }[];
    const lived = journeys.find((j) => j.waitSeconds !== null)?.waitSeconds ?? x.contactLivedSeconds ?? null;
    return {
      conversationId: x.conversationId,
      number: x.number,
      channel: x.channel,
      queueId: x.queueId,
      score: x.score,
      at: new Date(x.at).toISOString(),
      livedWaitSeconds: lived === null ? null : Math.round(lived * 10) / 10,
      queueWaitSeconds: x.queueWaitSeconds === null ? null : Math.round(x.queueWaitSeconds * 10) / 10,
      journeys,
    };
  });
  const avg = (xs: number[]) => (xs.length ? Math.round((100 * xs.reduce((a, b) => a + b, 0)) / xs.length) / 100 : null);
  const pct = (xs: number[]) => (xs.length ? Math.round((1000 * xs.filter((s) => s >= 4).length) / xs.length) / 10 : null);
  const buckets = BUCKETS.map((b) => {
    const s = pts.filter((x) => x.livedWaitSeconds !== null && x.livedWaitSeconds >= b.from && (b.to === null || x.livedWaitSeconds < b.to)).map((x) => x.score);
    return { ...b, responses: s.length, average: avg(s), csat: pct(s) };
  });
  const unknown = pts.filter((x) => x.livedWaitSeconds === null).map((x) => x.score);
  return {
    from: q.from.toISOString(),
    to: q.to.toISOString(),
    points: pts,
    buckets,
    unknownWait: { responses: unknown.length, average: avg(unknown), csat: pct(unknown) },
  };
}
