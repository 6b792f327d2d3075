/**
 * The customer portal: magic sign-in links, portal sessions, and what a signed-in customer may see and do — only
 * their own conversations (and those of customers merged into them), never internal notes.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Ctx } from '../../../platform/context.js';
import { systemPrincipal } from '../../../platform/context.js';
import { AppError, isUuid, notFound } from '../../../platform/errors.js';
import type { Locale } from '../../../platform/i18n.js';
import { randomToken, sha256 } from '../../../platform/password.js';
import { enqueue } from '../../../platform/jobs.js';
import { addCustomerMessage } from '../../conversations/index.js';
import { recordRating } from '../../csat/index.js';
import { enqueueEmail } from '../email/index.js';
import { baseUrl } from '../../../platform/public-url.js';
import type { PublicAccount } from './contact.service.js';
import { t } from './texts.js';
import { recordChange } from '../../changes/index.js';

export const LINK_TTL_MS = 15 * 60_000;
/** The portal session cookie's name. */
export const PORTAL_COOKIE = 'earshot_portal';
export const SESSION_TTL_MS = 24 * 3_600_000;
/** Links per address within LINK_TTL_MS; more requests answer the same but send nothing. */
export const LINKS_PER_ADDRESS = 3;

const EMAIL = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/;
export const validEmail = (s: string) => s.length <= 320 && EMAIL.test(s.trim());

/** A customer id and every customer merged into it (transitively): one person's records. */
const FAMILY = `WITH RECURSIVE fam(id) AS (
    SELECT $2::uuid
    UNION SELECT c.id FROM customers c JOIN fam ON c.merged_into = fam.id WHERE c.account_id = $1)`;

/** Follows merges to the surviving customer record. */
async function surviving(ctx: Ctx, accountId: string, customerId: string): Promise<string | null> {
  let cur = customerId;
  for (let i = 0; i < 20; i++) {
    const r = await ctx.db.query<{ merged_into: string | null }>('SELECT merged_into FROM customers WHERE account_id = $1 AND id = $2', [accountId, cur]);
    if (!r.rows[0]) return null;
    if (!r.rows[0].merged_into) return cur;
    cur = r.rows[0].merged_into;
  }
  return cur;
}

/**
 * Asks for a sign-in link. The answer must not tell whether the address is a customer's, in its text or in its
 * timing, so the request only queues a `web.portal_link` job (the same work for every address); the job looks the
 * address up and emails the link.
 */
export async function requestLink(ctx: Ctx, account: PublicAccount, rawEmail: string, locale: Locale): Promise<void> {
  const email = rawEmail.trim().toLowerCase();
  await ctx.db.transaction((tx) => enqueue(tx, 'web.portal_link', { accountId: account.id, email, locale, requestedAt: ctx.now().toISOString() }, { maxAttempts: 3 }));
}

/**
 * The `web.portal_link` job: emails a sign-in link when `email` is an email identity of a customer of the account,
 * at most LINKS_PER_ADDRESS per LINK_TTL_MS (more requests send nothing). The link is valid LINK_TTL_MS from now.
 */
export async function sendLink(ctx: Ctx, payload: { accountId: string; email: string; locale: Locale }): Promise<void> {
  const { accountId, email } = payload;
  const locale: Locale = ['en', 'de', 'nb'].includes(payload.locale) ? payload.locale : 'en';
  const acc = await ctx.db.query<PublicAccount>('SELECT id, slug, name, locale FROM accounts WHERE id = $1', [accountId]);
  const account = acc.rows[0];
  if (!account) return;
  const now = ctx.now();
  const r = await ctx.db.query<{ customer_id: string }>(
    `SELECT customer_id FROM customer_identities WHERE account_id = $1 AND kind = 'email' AND value = $2`,
    [account.id, email],
  );
  if (!r.rows[0]) return;
  const customerId = await surviving(ctx, account.id, r.rows[0].customer_id);
  if (!customerId) return;
  await ctx.db.transaction(async (tx) => {
    const recent = await tx.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM portal_links WHERE account_id = $1 AND email = $2 AND created_at > $3',
      [account.id, email, new Date(now.getTime() - LINK_TTL_MS)],
    );
    if (recent.rows[0].n >= LINKS_PER_ADDRESS) return;
    const token = randomToken(32);
    await tx.query(
      `INSERT INTO portal_links (token_hash, account_id, customer_id, email, expires_at, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [sha256(token), account.id, customerId, email, new Date(now.getTime() + LINK_TTL_MS), now],
    );
    const link = `${baseUrl(ctx)}/portal/${account.slug}/signin?token=${token}&lang=${locale}`;
    await enqueueEmail(tx, {
      accountId: account.id,
      kind: 'system',
      to: [email],
      subject: t(locale, 'link_subject', { account: account.name }),
      text: t(locale, 'link_body', { account: account.name, link }),
      headers: { 'Auto-Submitted': 'auto-generated' },
    });
  });
}

/** Uses a link (once: the UPDATE is the check) and opens a session; null when the link is unknown, used or expired. */
export async function consumeLink(ctx: Ctx, account: PublicAccount, token: string): Promise<{ sessionToken: string; expiresAt: Date } | null> {
  if (!/^[\w-]{20,100}$/.test(token)) return null;
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const r = await tx.query<{ customer_id: string }>(
      `UPDATE portal_links SET used_at = $3 WHERE token_hash = $1 AND account_id = $2 AND used_at IS NULL AND expires_at > $3
       RETURNING customer_id`,
      [sha256(token), account.id, now],
    );
    if (!r.rows[0]) return null;
    const sessionToken = randomToken(32);
    const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
    await tx.query(
      'INSERT INTO portal_sessions (id_hash, account_id, customer_id, expires_at, created_at) VALUES ($1, $2, $3, $4, $5)',
      [sha256(sessionToken), account.id, r.rows[0].customer_id, expiresAt, now],
    );
    await tx.query('DELETE FROM portal_sessions WHERE customer_id = $1 AND expires_at < $2', [r.rows[0].customer_id, now]);
    await tx.query('DELETE FROM portal_links WHERE account_id = $1 AND expires_at < $2', [account.id, new Date(now.getTime() - 86_400_000)]);
    await recordChange(tx, systemPrincipal(account.id), ctx.now(), {
      audit: { action: 'portal.signed_in', target: { type: 'customer', id: r.rows[0].customer_id } },
    });
    return { sessionToken, expiresAt };
  });
}

/** The (surviving) customer of a portal session, or null. */
export async function sessionCustomer(ctx: Ctx, account: PublicAccount, sessionToken: string | undefined): Promise<string | null> {
  if (!sessionToken || !/^[\w-]{20,100}$/.test(sessionToken)) return null;
  const r = await ctx.db.query<{ customer_id: string }>(
    'SELECT customer_id FROM portal_sessions WHERE id_hash = $1 AND account_id = $2 AND expires_at > $3',
    [sha256(sessionToken), account.id, ctx.now()],
  );
  return r.rows[0] ? surviving(ctx, account.id, r.rows[0].customer_id) : null;
}

export async function endSession(ctx: Ctx, sessionToken: string | undefined) {
  if (sessionToken) await ctx.db.query('DELETE FROM portal_sessions WHERE id_hash = $1', [sha256(sessionToken)]);
}

/** The per-session token the portal's forms carry (derived from the secret session id, so never stored). */
export const csrfToken = (sessionToken: string) => createHash('sha256').update(`portal-csrf:${sessionToken}`).digest('base64url');
export function csrfOk(sessionToken: string, sent: string | undefined) {
  const want = Buffer.from(csrfToken(sessionToken));
  const got = Buffer.from(sent ?? '');
  return want.length === got.length && timingSafeEqual(want, got);
}

// ---------------------------------------------------------------- what the customer sees

export interface PortalConversation {
  id: string;
  number: number;
  subject: string;
  status: string;
  lastMessageAt: Date;
  createdAt: Date;
}
export interface PortalMessage {
  id: string;
  authorType: 'customer' | 'agent' | 'system';
  text: string;
  createdAt: Date;
  attachments: { id: string; filename: string; size: number }[];
}

export async function listOwn(ctx: Ctx, accountId: string, customerId: string): Promise<PortalConversation[]> {
  const r = await ctx.db.query<PortalConversation>(
    `${FAMILY}
     SELECT id, number, subject, status, last_message_at AS "lastMessageAt", created_at AS "createdAt"
       FROM conversations WHERE account_id = $1 AND customer_id IN (SELECT id FROM fam) AND merged_into IS NULL
      ORDER BY last_message_at DESC, number DESC LIMIT 200`,
    [accountId, customerId],
  );
  return r.rows;
}

/** One own conversation with its visible messages (never notes); 404 for anything else. */
export async function getOwn(ctx: Ctx, accountId: string, customerId: string, id: string) {
  if (!isUuid(id)) throw notFound('Conversation');
  const r = await ctx.db.query<PortalConversation & { messages: PortalMessage[]; rating: { score: number; comment: string | null } | null }>(
    `${FAMILY}
     SELECT c.id, c.number, c.subject, c.status, c.last_message_at AS "lastMessageAt", c.created_at AS "createdAt",
            coalesce((SELECT json_agg(json_build_object('id', m.id, 'authorType', m.author_type, 'text', m.text, 'createdAt', m.created_at,
                        'attachments', coalesce((SELECT json_agg(json_build_object('id', a.id, 'filename', a.filename, 'size', a.size)
                                                   ORDER BY a.created_at) FROM attachments a WHERE a.message_id = m.id), '[]'))
                        ORDER BY m.created_at, m.id)
                        FROM messages m WHERE m.conversation_id = c.id AND m.kind = 'message'), '[]') AS messages,
            (SELECT json_build_object('score', r.score, 'comment', r.comment) FROM conversation_ratings r WHERE r.conversation_id = c.id) AS rating
       FROM conversations c
      WHERE c.account_id = $1 AND c.id = $3 AND c.customer_id IN (SELECT id FROM fam) AND c.merged_into IS NULL`,
    [accountId, customerId, id],
  );
  if (!r.rows[0]) throw notFound('Conversation');
  return r.rows[0];
}

/** The customer's reply: a customer message on the web channel (reopens a solved conversation; a closed one refuses). */
export async function replyOwn(ctx: Ctx, accountId: string, customerId: string, id: string, text: string) {
  await getOwn(ctx, accountId, customerId, id);
  return addCustomerMessage(ctx, systemPrincipal(accountId), id, { text }, { eventChannel: 'web' });
}

export const RATABLE = ['solved', 'closed'];

/**
 * Stores or changes the customer's rating of a solved conversation. The same row is the satisfaction survey's answer
 * (csat module, issue 7): rated here → no survey is sent; answered by survey → shown here, changeable here.
 */
export async function rateOwn(ctx: Ctx, accountId: string, customerId: string, id: string, score: number, comment: string | null) {
  const c = await getOwn(ctx, accountId, customerId, id);
  if (!RATABLE.includes(c.status)) throw new AppError('not_solved', 'Only a solved conversation can be rated', 409);
  if (!Number.isInteger(score) || score < 1 || score > 5) throw new AppError('validation', 'score: must be 1 to 5', 400, { field: 'score' });
  await ctx.db.transaction((tx) => recordRating(tx, ctx, accountId, id, customerId, score, comment, 'portal'));
}

/** An attachment of a visible message of an own conversation. */
export async function attachmentOwn(ctx: Ctx, accountId: string, customerId: string, id: string) {
  if (!isUuid(id)) throw notFound('Attachment');
  const r = await ctx.db.query<{ filename: string; content_type: string; content: Uint8Array }>(
    `${FAMILY}
     SELECT a.filename, a.content_type, a.content FROM attachments a
       JOIN messages m ON m.id = a.message_id AND m.kind = 'message'
       JOIN conversations c ON c.id = m.conversation_id
      WHERE a.account_id = $1 AND a.id = $3 AND c.customer_id IN (SELECT id FROM fam) AND c.merged_into IS NULL`,
    [accountId, customerId, id],
  );
  if (!r.rows[0]) throw notFound('Attachment');
  return r.rows[0];
}
