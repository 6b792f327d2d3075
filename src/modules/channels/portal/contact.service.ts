/**
 * The web channel's settings (form secret, topics) and the contact form: signed form tokens, validation and the
 * conversation it creates, with its confirmation email in the same transaction.
 */
import { baseUrl } from '../../../platform/public-url.js';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Ctx, Principal, Tx } from '../../../platform/context.js';
import { requireCap, systemPrincipal } from '../../../platform/context.js';
import { AppError, invalid, isUuid } from '../../../platform/errors.js';
import type { Locale } from '../../../platform/i18n.js';
import { randomToken } from '../../../platform/password.js';
import { createConversation } from '../../conversations/index.js';
import { enqueueEmail } from '../email/index.js';
import { normaliseIdentity } from '../../customers/index.js';
import { refuseIfBlocked } from '../../respect/index.js';
import { t, type TextKey } from './texts.js';
import { recordChange } from '../../changes/index.js';

export interface PublicAccount {
  id: string;
  slug: string;
  name: string;
  locale: Locale;
}

/** The account of a public page, by slug; unknown slugs are a plain 404 (no hint which slugs exist). */
export async function publicAccount(ctx: Ctx, slug: string): Promise<PublicAccount> {
  const r = /^[a-z0-9][a-z0-9-]{0,62}$/.test(slug)
    ? await ctx.db.query<PublicAccount>('SELECT id, slug, name, locale FROM accounts WHERE slug = $1', [slug])
    : { rows: [] };
  if (!r.rows[0]) throw new AppError('not_found', 'Page not found', 404);
  return r.rows[0];
}


// ---------------------------------------------------------------- settings

export interface Topic {
  key: string;
  label: Partial<Record<Locale, string>> & { en: string };
  queueId: string | null;
}
interface SettingsRow {
  secret: string;
  topics: Topic[];
  default_queue_id: string | null;
}

/** The account's web settings, created with a fresh random secret on first use. */
async function settingsRow(q: Ctx['db'] | Tx, accountId: string): Promise<SettingsRow> {
  await q.query('INSERT INTO web_settings (account_id, secret) VALUES ($1, $2) ON CONFLICT (account_id) DO NOTHING', [
    accountId,
    randomToken(32),
  ]);
  const r = await q.query<SettingsRow>('SELECT secret, topics, default_queue_id FROM web_settings WHERE account_id = $1', [accountId]);
  return r.rows[0];
}

export async function topicsFor(ctx: Ctx, accountId: string): Promise<Topic[]> {
  return (await settingsRow(ctx.db, accountId)).topics;
}

export const topicLabel = (topic: Topic, locale: Locale) => topic.label[locale] || topic.label.en;

export async function getSettings(ctx: Ctx, p: Principal) {
  requireCap(p, 'admin');
  const s = await settingsRow(ctx.db, p.accountId);
  return { topics: s.topics, defaultQueueId: s.default_queue_id };
}

export async function updateSettings(ctx: Ctx, p: Principal, input: { topics?: Topic[]; defaultQueueId?: string | null }) {
  requireCap(p, 'admin');
  return ctx.db.transaction(async (tx) => {
    const cur = await settingsRow(tx, p.accountId);
    const checkQueue = async (field: string, id: string | null | undefined) => {
      if (id == null) return;
      const found = isUuid(id) && (await tx.query('SELECT 1 FROM queues WHERE account_id = $1 AND id = $2', [p.accountId, id])).rows.length > 0;
      if (!found) throw invalid(field, `unknown queue ${id}`);
    };
    const topics = input.topics ?? cur.topics;
    const keys = new Set<string>();
    for (const [i, tp] of topics.entries()) {
      if (!/^[a-z0-9][a-z0-9_-]{0,39}$/.test(tp.key)) throw invalid(`topics/${i}/key`, 'use 1–40 lower-case letters, digits, - and _');
      if (keys.has(tp.key)) throw invalid(`topics/${i}/key`, `'${tp.key}' is listed twice`);
      keys.add(tp.key);
      if (!tp.label?.en?.trim()) throw invalid(`topics/${i}/label/en`, 'an English label is required');
      await checkQueue(`topics/${i}/queueId`, tp.queueId);
    }
    const defaultQueueId = input.defaultQueueId === undefined ? cur.default_queue_id : input.defaultQueueId;
    await checkQueue('defaultQueueId', defaultQueueId);
    const clean: Topic[] = topics.map((tp) => ({
      key: tp.key,
      label: {
        en: tp.label.en.trim(),
        ...(tp.label.de?.trim() ? { de: tp.label.de.trim() } : {}),
        ...(tp.label.nb?.trim() ? { nb: tp.label.nb.trim() } : {}),
      },
      queueId: tp.queueId ?? null,
    }));
    await tx.query('UPDATE web_settings SET topics = $2, default_queue_id = $3, updated_at = now() WHERE account_id = $1', [
      p.accountId,
      JSON.stringify(clean),
      defaultQueueId,
    ]);
    await recordChange(tx, p, ctx.now(), {
      audit: { action: 'web.settings_changed', target: null, data: { topics: clean.map((x) => x.key), defaultQueueId } },
    });
    return { topics: clean, defaultQueueId };
  });
}

// ---------------------------------------------------------------- form tokens

/** A form must be sent at least this long after it was shown (a person reads and types), and at most this long. */
export const FORM_MIN_AGE_MS = 3_000;
export const FORM_MAX_AGE_MS = 24 * 3_600_000;

const sign = (secret: string, data: string) => createHmac('sha256', secret).update(data).digest('base64url');

/**
 * A token for a form shown now: `<issued ms>.<nonce>.<HMAC(account, purpose, issued, nonce)>`. It proves the form
 * came from this server for this account and purpose, and when it was shown.
 */
export async function formToken(ctx: Ctx, accountId: string, purpose: string): Promise<string> {
  const { secret } = await settingsRow(ctx.db, accountId);
  const issued = String(ctx.now().getTime());
  const nonce = randomToken(9);
  return `${issued}.${nonce}.${sign(secret, `${accountId}|${purpose}|${issued}|${nonce}`)}`;
}

export type TokenProblem = 'err_token_missing' | 'err_token_bad' | 'err_token_fast' | 'err_token_old';

/** The honeypot field of every public form: hidden from people, filled in by bots. */
export const HONEYPOT = 'website';

/**
 * The protections every public form shares, the HTML pages and the JSON endpoint alike: the honeypot must be empty
 * and the form token must be this server's, for this account and purpose, and old enough (a person reads and types).
 * null when the request passes; otherwise the text key of what is wrong.
 */
export async function formGuardProblem(
  ctx: Ctx,
  accountId: string,
  purpose: string,
  body: { website?: unknown; formToken?: unknown },
  minAgeMs = FORM_MIN_AGE_MS,
): Promise<'err_spam' | TokenProblem | null> {
  if (body[HONEYPOT]) return 'err_spam';
  return checkFormToken(ctx, accountId, purpose, typeof body.formToken === 'string' ? body.formToken : undefined, minAgeMs);
}

/** null when the token is good; otherwise why not. */
export async function checkFormToken(
  ctx: Ctx,
  accountId: string,
  purpose: string,
  token: string | undefined,
  minAgeMs = FORM_MIN_AGE_MS,
): Promise<TokenProblem | null> {
  if (!token) return 'err_token_missing';
  const m = /^(\d{1,15})\.([\w-]{1,40})\.([\w-]{43})$/.exec(token);
  if (!m) return 'err_token_bad';
  const { secret } = await settingsRow(ctx.db, accountId);
  const want = Buffer.from(sign(secret, `${accountId}|${purpose}|${m[1]}|${m[2]}`));
  const got = Buffer.from(m[3]);
  if (want.length !== got.length || !timingSafeEqual(want, got)) return 'err_token_bad';
  const age = ctx.now().getTime() - Number(m[1]);
  if (age < minAgeMs) return 'err_token_fast';
  if (age > FORM_MAX_AGE_MS) return 'err_token_old';
  return null;
}

// ---------------------------------------------------------------- contact form

export interface ContactInput {
  name?: string;
  email?: string;
  subject?: string;
  message?: string;
  topic?: string;
}
export interface FieldProblem {
  field: keyof ContactInput;
  key: TextKey;
  vars?: Record<string, string>;
}

const LIMITS = { name: 200, email: 320, subject: 250, message: 20_000 } as const;
const EMAIL = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/;

/** What is wrong with a contact request, as text keys (the form shows them translated, the API in English). */
export function contactProblems(input: ContactInput, topics: Topic[], locale: Locale): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const f of ['name', 'email', 'subject', 'message'] as const) {
    const v = input[f]?.trim() ?? '';
    if (!v) out.push({ field: f, key: 'err_required', vars: { field: t(locale, f) } });
    else if (v.length > LIMITS[f]) out.push({ field: f, key: 'err_too_long', vars: { field: t(locale, f) } });
    else if (f === 'email' && !EMAIL.test(v)) out.push({ field: f, key: 'err_email' });
  }
  if (input.topic && !topics.some((tp) => tp.key === input.topic)) out.push({ field: 'topic', key: 'err_topic' });
  return out;
}

/** The API's error for the first problem (English, with the field). */
export function problemError(p: FieldProblem): AppError {
  return invalid(p.field, t('en', p.key, { field: p.field }));
}

/** Confirmation emails per address and hour (across accounts); further requests are stored without one. */
export const CONFIRMATIONS_PER_HOUR = 5;

/**
 * The key a recipient is counted under: lower-case, without a `+tag` in the local part (most providers deliver
 * `victim+1@…` and `victim+2@…` to the same inbox).
 */
export function ackRecipientKey(email: string): string {
  const e = email.trim().toLowerCase();
  const at = e.lastIndexOf('@');
  if (at < 1) return e;
  return e.slice(0, at).replace(/\+.*$/, '') + e.slice(at);
}

/**
 * Whether a contact acknowledgement may go to this address now, recording it when yes. Counted per recipient over
 * every account of the instance, under a transaction lock on the recipient so concurrent requests (any process)
 * cannot both take the last one.
 */
async function takeAck(tx: Tx, email: string, now: Date): Promise<boolean> {
  const key = ackRecipientKey(email);
  await tx.query(`SELECT pg_advisory_xact_lock(hashtext('contact_ack:' || $1))`, [key]);
  const hourAgo = new Date(now.getTime() - 3_600_000);
  await tx.query('DELETE FROM contact_acks WHERE recipient = $1 AND sent_at <= $2', [key, new Date(now.getTime() - 86_400_000)]);
  const r = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM contact_acks WHERE recipient = $1 AND sent_at > $2', [key, hourAgo]);
  if (r.rows[0].n >= CONFIRMATIONS_PER_HOUR) return false;
  await tx.query('INSERT INTO contact_acks (recipient, sent_at) VALUES ($1, $2)', [key, now]);
  return true;
}

/**
 * Creates the web conversation of a checked contact request, and queues its confirmation email in the customer's
 * language in the same transaction. Returns the conversation's id and number.
 */
export async function submitContact(ctx: Ctx, account: PublicAccount, input: ContactInput, locale: Locale) {
  const s = await settingsRow(ctx.db, account.id);
  const topic = input.topic ? s.topics.find((tp) => tp.key === input.topic) : undefined;
  const queueId = topic?.queueId ?? s.default_queue_id ?? undefined;
  const name = input.name!.trim();
  const email = input.email!.trim();
  const subject = input.subject!.trim();
  const text = input.message!.trim();
  // Respect (issue 7): a banned customer, or one restricted to other channels, may not use the form.
  await refuseIfBlocked(ctx.db, account.id, [{ kind: 'email', value: normaliseIdentity('email', email) }], 'web', ctx.now(), locale);
  const conv = await createConversation(
    ctx,
    systemPrincipal(account.id),
    {
      customer: { name, email, language: locale },
      channel: 'web',
      subject,
      message: { text },
      queueId,
      tags: topic ? [`topic-${topic.key}`] : [],
      customFields: topic ? { topic: topic.key } : {},
    },
    {
      afterWrite: async (tx, ids) => {
        const r = await tx.query<{ number: number }>('SELECT number FROM conversations WHERE id = $1', [ids.conversationId]);
        // Anyone can type any address into the form: past a few confirmations an hour, an address gets no more
        // (the requests are still stored), so the form cannot be used to flood someone's inbox. The mail carries
        // nothing the sender typed (no subject, no name): only the number, the account and the portal link.
        if (!(await takeAck(tx, email, ctx.now()))) return;
        const vars = { number: r.rows[0].number, account: account.name, portal: `${baseUrl(ctx)}/portal/${account.slug}` };
        await enqueueEmail(tx, {
          accountId: account.id,
          kind: 'system',
          to: [email],
          subject: t(locale, 'confirm_subject', vars),
          text: t(locale, 'confirm_body', vars),
          conversationId: ids.conversationId,
          headers: { 'Auto-Submitted': 'auto-replied' },
        });
      },
    },
  );
  return { id: conv.id as string, number: conv.number as number };
}
