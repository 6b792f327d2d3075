/** Sending surveys after solved (by email, or as a prompt in the open chat) and the one reminder. */
import type { Ctx, Tx } from '../../platform/context.js';
import { systemPrincipal } from '../../platform/context.js';
import { isUuid } from '../../platform/errors.js';
import { enqueue } from '../../platform/jobs.js';
import type { Locale } from '../../platform/i18n.js';
import { enqueueEmail } from '../channels/email/index.js';
import { baseUrl } from '../../platform/public-url.js';
import { DEFAULT_QUESTION, ct, dateText, scoreLabels } from './texts.js';
import { recordChange } from '../changes/index.js';
import { type ChatPrompt, chatPrompt } from './answers.js';
import { settingsRow } from './settings.js';
import { tokenFor, type SurveyRow } from './tokens.js';

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
  // The chat widget's socket hears this and shows the prompt; the agents' view refreshes the survey state.
  await recordChange(tx, p, ctx.now(), {
    audit: { action: route === 'no_route' ? 'csat.no_route' : 'csat.survey_sent', target: { type: 'conversation', id: c.id }, data: { route, language } },
    change: { accountId: c.account_id, type: 'conversation.updated', conversationId: c.id },
  });
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
    await recordChange(tx, systemPrincipal(s.account_id), ctx.now(), {
      audit: { action: 'csat.reminded', target: { type: 'conversation', id: s.conversation_id }, data: {} },
      change: { type: 'conversation.updated', conversationId: s.conversation_id },
    });
  });
}
