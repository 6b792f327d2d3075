/**
 * Invitations and password resets (issue 13). A user created without a password gets an invitation email; anyone can
 * ask for a reset link on the sign-in page. Both are a single-use, expiring link to the web app's /set-password page,
 * with the token in the URL's fragment (#token=…), so it never reaches a server log or a Referer header. Only the
 * token's SHA-256 is stored; a newer link of a user replaces the older ones; setting a password ends every session of
 * the user. Asking for a reset answers the same for every address (the lookup and the mail happen in a job), and an
 * address gets at most RESETS_PER_HOUR links an hour.
 */
import type { Ctx, Principal, Tx } from '../../platform/context.js';
import { requireCap } from '../../platform/context.js';
import { AppError, conflict, invalid, isUuid, notFound } from '../../platform/errors.js';
import { textsOf, type Locale } from '../../platform/i18n.js';
import { enqueue } from '../../platform/jobs.js';
import { hashPassword, randomToken, sha256 } from '../../platform/password.js';
import { MIN_PASSWORD, checkNewPassword } from '../../platform/password-policy.js';
import { enqueueEmail } from '../channels/email/index.js';
import { baseUrl } from '../../platform/public-url.js';
import { recordChange } from '../changes/index.js';

export type TokenPurpose = 'invite' | 'reset';
export const INVITE_TTL_MS = 7 * 86_400_000;
export const RESET_TTL_MS = 60 * 60_000;
/** Reset links per user within an hour; more requests answer the same and send nothing. */
export const RESETS_PER_HOUR = 3;
export { MIN_PASSWORD };

const TEXTS = {
  invite_subject: {
    en: 'You are invited to {account} on Earshot',
    de: 'Einladung zu {account} in Earshot',
    nb: 'Du er invitert til {account} i Earshot',
  },
  invite_body: {
    en: 'Hello {name},\n\n{inviter} has added you to {account} on Earshot, the help desk, as {role}.\nChoose your password here to sign in:\n\n{link}\n\nThe link works once and until {until}. If it has expired, use "Forgot password?" on the sign-in page with this address ({email}).\n',
    de: 'Hallo {name},\n\n{inviter} hat Sie als {role} zu {account} in Earshot, dem Helpdesk, hinzugefügt.\nWählen Sie hier Ihr Passwort, um sich anzumelden:\n\n{link}\n\nDer Link gilt einmal und bis {until}. Ist er abgelaufen, nutzen Sie auf der Anmeldeseite „Passwort vergessen?“ mit dieser Adresse ({email}).\n',
    nb: 'Hei {name},\n\n{inviter} har lagt deg til i {account} i Earshot, kundeservicesystemet, som {role}.\nVelg passordet ditt her for å logge inn:\n\n{link}\n\nLenken virker én gang og til {until}. Har den utløpt, bruker du «Glemt passordet?» på innloggingssiden med denne adressen ({email}).\n',
  },
  reset_subject: {
    en: 'Set a new password for {account} on Earshot',
    de: 'Neues Passwort für {account} in Earshot',
    nb: 'Nytt passord for {account} i Earshot',
  },
  reset_body: {
    en: 'Hello {name},\n\nsomeone (probably you) asked to set a new password for {email} at {account}. Choose it here:\n\n{link}\n\nThe link works once and until {until}. Setting the password signs you out everywhere else.\nIf you did not ask for this, ignore this email: your password stays as it is.\n',
    de: 'Hallo {name},\n\njemand (vermutlich Sie) hat ein neues Passwort für {email} bei {account} angefordert. Wählen Sie es hier:\n\n{link}\n\nDer Link gilt einmal und bis {until}. Mit dem neuen Passwort werden Sie überall sonst abgemeldet.\nWenn Sie das nicht angefordert haben, ignorieren Sie diese E-Mail: Ihr Passwort bleibt, wie es ist.\n',
    nb: 'Hei {name},\n\nnoen (sannsynligvis du) har bedt om å sette et nytt passord for {email} hos {account}. Velg det her:\n\n{link}\n\nLenken virker én gang og til {until}. Når du setter passordet, blir du logget ut alle andre steder.\nHar du ikke bedt om dette, kan du se bort fra e-posten: passordet ditt forblir som det er.\n',
  },
  role_agent: { en: 'agent', de: 'Agent', nb: 'agent' },
  role_supervisor: { en: 'supervisor', de: 'Supervisor', nb: 'teamleder' },
  role_leader: { en: 'leader', de: 'Führungskraft', nb: 'leder' },
  role_admin: { en: 'administrator', de: 'Administrator', nb: 'administrator' },
  an_admin: { en: 'An administrator', de: 'Eine Administratorin oder ein Administrator', nb: 'En administrator' },
} satisfies Record<string, Record<Locale, string>>;
export const PASSWORD_TEXTS = TEXTS;
const pt = textsOf(TEXTS);

const asLocale = (l: unknown): Locale => (l === 'de' || l === 'nb' ? l : 'en');

/** The link a mail carries: the web app's set-password page, the token in the fragment. */
export const setPasswordLink = (ctx: Ctx, token: string, locale: Locale) => `${baseUrl(ctx)}/set-password?lang=${locale}#token=${token}`;

const untilText = (locale: Locale, d: Date, timeZone: string) =>
  new Intl.DateTimeFormat(locale === 'nb' ? 'nb-NO' : locale === 'de' ? 'de-DE' : 'en-GB', { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone, timeZoneName: 'short' }).format(d);

interface UserRow {
  id: string;
  account_id: string;
  email: string;
  name: string;
  role: string;
  locale: string;
  timezone: string | null;
  account_name: string;
  account_timezone: string;
}
const USER_SQL = `SELECT u.id, u.account_id, u.email, u.name, u.role, u.locale, u.timezone, a.name AS account_name, a.timezone AS account_timezone
  FROM users u JOIN accounts a ON a.id = u.account_id`;

/** Writes a new token for the user (older unused ones are replaced) and queues the mail; in the caller's transaction. */
async function issue(ctx: Ctx, tx: Tx, u: UserRow, purpose: TokenPurpose, inviter: string | null): Promise<{ expiresAt: Date }> {
  const now = ctx.now();
  const expiresAt = new Date(now.getTime() + (purpose === 'invite' ? INVITE_TTL_MS : RESET_TTL_MS));
  await tx.query(`UPDATE password_tokens SET used_at = $2, used_for = 'replaced' WHERE user_id = $1 AND used_at IS NULL`, [u.id, now]);
  const token = randomToken(32);
  await tx.query(
    `INSERT INTO password_tokens (account_id, user_id, purpose, token_hash, expires_at, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
    [u.account_id, u.id, purpose, sha256(token), expiresAt, now],
  );
  const locale = asLocale(u.locale);
  const vars = {
    name: u.name,
    email: u.email,
    account: u.account_name,
    inviter: inviter ?? pt(locale, 'an_admin'),
    role: pt(locale, `role_${u.role}` as keyof typeof TEXTS),
    link: setPasswordLink(ctx, token, locale),
    until: untilText(locale, expiresAt, u.timezone ?? u.account_timezone ?? 'UTC'),
  };
  await enqueueEmail(tx, {
    accountId: u.account_id,
    kind: 'system',
    to: [u.email],
    subject: pt(locale, `${purpose}_subject`, vars),
    text: pt(locale, `${purpose}_body`, vars),
    headers: { 'Auto-Submitted': 'auto-generated' },
  });
  return { expiresAt };
}

/**
 * Sends (or sends again) the invitation of a user who has no password yet (admin). In `tx` when given (addUser's
 * transaction), so a user and their invitation commit together.
 */
export async function sendInvitation(ctx: Ctx, p: Principal, userId: string, tx?: Tx): Promise<{ userId: string; email: string; expiresAt: Date }> {
  requireCap(p, 'admin');
  const run = async (t: Tx) => {
    if (!isUuid(userId)) throw notFound('User');
    const r = await t.query<UserRow & { password_hash: string | null; disabled_at: Date | null; inviter: string | null }>(
      `SELECT u.id, u.account_id, u.email, u.name, u.role, u.locale, u.timezone, a.name AS account_name, a.timezone AS account_timezone,
              u.password_hash, u.disabled_at, (SELECT i.name FROM users i WHERE i.id = $3::uuid) AS inviter
         FROM users u JOIN accounts a ON a.id = u.account_id WHERE u.account_id = $1 AND u.id = $2 FOR UPDATE OF u`,
      [p.accountId, userId, p.userId ?? null],
    );
    const u = r.rows[0];
    if (!u) throw notFound('User');
    if (u.disabled_at) throw conflict('user_disabled', 'This user is disabled; enable them before inviting');
    if (u.password_hash) throw conflict('password_set', 'This user has set a password already; they can use "Forgot password?" on the sign-in page');
    const { expiresAt } = await issue(ctx, t, u, 'invite', u.inviter);
    await recordChange(t, p, ctx.now(), {
      audit: { action: 'user.invited', target: { type: 'user', id: u.id }, data: { email: u.email, expiresAt: expiresAt.toISOString() } },
    });
    return { userId: u.id, email: u.email, expiresAt };
  };
  return tx ? run(tx) : ctx.db.transaction(run);
}

/**
 * "Forgot password?": queues the lookup, so the answer (and its timing) is the same whether or not the address
 * belongs to a user. The job mails each active user with that address (one per account) a reset link.
 */
export async function requestReset(ctx: Ctx, email: string): Promise<void> {
  const e = email.trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(e) || e.length > 320) throw invalid('email', `not an email address: '${email}'`);
  await ctx.db.transaction(async (tx) => {
    await enqueue(tx, 'auth.password_reset', { email: e }, { maxAttempts: 3 });
  });
}

/** The job behind requestReset. */
export async function sendResetLinks(ctx: Ctx, payload: { email?: string }): Promise<void> {
  const email = String(payload.email ?? '').toLowerCase();
  if (!email) return;
  const users = await ctx.db.query<UserRow>(`${USER_SQL} WHERE lower(u.email) = $1 AND u.disabled_at IS NULL ORDER BY u.created_at`, [email]);
  const since = new Date(ctx.now().getTime() - 3_600_000);
  for (const u of users.rows) {
    await ctx.db.transaction(async (tx) => {
      await tx.query('SELECT id FROM users WHERE id = $1 FOR UPDATE', [u.id]);
      const recent = await tx.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM password_tokens WHERE user_id = $1 AND purpose = 'reset' AND created_at > $2`,
        [u.id, since],
      );
      if (recent.rows[0].n >= RESETS_PER_HOUR) return;
      await issue(ctx, tx, u, 'reset', null);
      await recordChange(tx, { accountId: u.account_id, role: 'agent', kind: 'user', userId: u.id, tokenId: null }, ctx.now(), {
        audit: { action: 'user.password_reset_requested', target: { type: 'user', id: u.id } },
      });
    });
  }
}

export type TokenState = 'valid' | 'used' | 'expired' | 'unknown';

const tokenOk = (token: unknown): token is string => typeof token === 'string' && /^[\w-]{20,100}$/.test(token);

/** What the set-password page shows before the person types: who the link is for, or why it cannot be used. */
export async function checkToken(ctx: Ctx, token: string) {
  if (!tokenOk(token)) return { state: 'unknown' as TokenState };
  const r = await ctx.db.query<{ purpose: TokenPurpose; expires_at: Date; used_at: Date | null; used_for: string | null; email: string; name: string; locale: string; account_name: string; disabled_at: Date | null }>(
    `SELECT t.purpose, t.expires_at, t.used_at, t.used_for, u.email, u.name, u.locale, a.name AS account_name, u.disabled_at
       FROM password_tokens t JOIN users u ON u.id = t.user_id JOIN accounts a ON a.id = t.account_id WHERE t.token_hash = $1`,
    [sha256(token)],
  );
  const t = r.rows[0];
  if (!t || t.disabled_at) return { state: 'unknown' as TokenState };
  const state: TokenState = t.used_at ? 'used' : new Date(t.expires_at) <= ctx.now() ? 'expired' : 'valid';
  return {
    state,
    purpose: t.purpose,
    ...(state === 'valid' ? { email: t.email, name: t.name, account: t.account_name, locale: asLocale(t.locale), expiresAt: new Date(t.expires_at) } : {}),
  };
}

/**
 * Sets the password with a link's token: once (the UPDATE … WHERE used_at IS NULL is the check), before it expires.
 * Ends every session of the user. Errors: 400 token_unknown, 410 token_used / token_expired, 400 validation.
 */
export async function setPasswordWithToken(ctx: Ctx, token: string, password: string, meta: { ip?: string } = {}) {
  checkNewPassword(password);
  const hash = await hashPassword(password);
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const r = tokenOk(token)
      ? await tx.query<{ id: string; user_id: string; account_id: string; purpose: TokenPurpose; expires_at: Date; used_at: Date | null; disabled_at: Date | null; email: string }>(
          `SELECT t.id, t.user_id, t.account_id, t.purpose, t.expires_at, t.used_at, u.disabled_at, u.email
             FROM password_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1 FOR UPDATE OF t`,
          [sha256(token)],
        )
      : { rows: [] };
    const t = r.rows[0];
    if (!t || t.disabled_at) throw new AppError('token_unknown', 'This link is not valid. Ask for a new one with "Forgot password?" on the sign-in page.', 400);
    if (t.used_at) throw new AppError('token_used', 'This link has been used already (or a newer one replaced it). Ask for a new one with "Forgot password?".', 410);
    if (new Date(t.expires_at) <= now) throw new AppError('token_expired', 'This link has expired. Ask for a new one with "Forgot password?".', 410);
    await tx.query(`UPDATE password_tokens SET used_at = $2, used_for = 'set' WHERE id = $1`, [t.id, now]);
    await tx.query(`UPDATE password_tokens SET used_at = $2, used_for = 'replaced' WHERE user_id = $1 AND used_at IS NULL`, [t.user_id, now]);
    await tx.query('UPDATE users SET password_hash = $2 WHERE id = $1', [t.user_id, hash]);
    // A new password also lifts a sign-in lock of the address (the owner proved it by the emailed link).
    await tx.query('DELETE FROM login_throttle WHERE email = lower($1)', [t.email]);
    // A new password ends every session of the user (someone who knew the old one is signed out).
    const ended = await tx.query('DELETE FROM sessions WHERE user_id = $1 RETURNING 1', [t.user_id]);
    await recordChange(tx, { accountId: t.account_id, role: 'agent', kind: 'user', userId: t.user_id, tokenId: null, ip: meta.ip }, ctx.now(), {
      audit: { action: 'user.password_set', target: { type: 'user', id: t.user_id }, data: {
        via: t.purpose,
        sessionsEnded: ended.rows.length,
      } },
    });
    return { email: t.email, purpose: t.purpose };
  });
}
