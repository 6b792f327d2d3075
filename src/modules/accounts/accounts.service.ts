/** Accounts (tenants), users, teams, API tokens and sign-in sessions. */
import type { Ctx, Principal, Role, Tx } from '../../platform/context.js';
import { ROLES, requireCap } from '../../platform/context.js';
import { AppError, conflict, invalid, isUuid, notFound } from '../../platform/errors.js';
import { hashPassword, randomToken, sha256, verifyPassword } from '../../platform/password.js';
import { checkNewPassword } from '../../platform/password-policy.js';
import { validateTimezone } from '../../platform/business-hours.js';
import { sendInvitation } from './passwords.service.js';
import { recordChange } from '../changes/index.js';

export interface Account {
  id: string;
  slug: string;
  name: string;
  timezone: string;
  locale: 'en' | 'de' | 'nb';
  currency: string;
  createdAt: Date;
}
const ACCOUNT_COLS = `id, slug, name, timezone, locale, currency, created_at AS "createdAt"`;

export function slugify(name: string) {
  return (
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/ø/gi, 'o')
      .replace(/æ/gi, 'ae')
      .replace(/ß/g, 'ss')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 63) || 'account'
  );
}

export async function createAccount(
  ctx: Ctx,
  input: { name: string; slug?: string; timezone?: string; locale?: 'en' | 'de' | 'nb'; currency?: string },
): Promise<Account> {
  const name = input.name?.trim();
  if (!name) throw invalid('name', 'must not be empty');
  const slug = input.slug ?? slugify(name);
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(slug)) throw invalid('slug', 'use lower-case letters, digits and dashes');
  if (input.timezone !== undefined) validateTimezone(input.timezone);
  return ctx.db.transaction(async (tx) => {
    const exists = await tx.query('SELECT 1 FROM accounts WHERE slug = $1', [slug]);
    if (exists.rows.length) throw conflict('account_exists', `An account with the slug '${slug}' exists already`);
    const r = await tx.query<Account>(
      `INSERT INTO accounts (name, slug, timezone, locale, currency) VALUES ($1, $2, $3, $4, $5) RETURNING ${ACCOUNT_COLS}`,
      [name, slug, input.timezone ?? 'UTC', input.locale ?? 'en', input.currency ?? 'EUR'],
    );
    const account = r.rows[0];
    await tx.query('SELECT earshot_create_number_seq($1, 1)', [account.id]);
    await recordChange(tx, { accountId: account.id, role: 'admin', kind: 'cli', userId: null, tokenId: null }, ctx.now(), {
      audit: { action: 'account.created', target: {
        type: 'account',
        id: account.id,
      }, data: { name, slug } },
    });
    return account;
  });
}

/** Finds an account by slug or id; the CLI accepts either. */
export async function findAccount(ctx: Ctx, slugOrId: string): Promise<Account> {
  const r = await ctx.db.query<Account>(
    `SELECT ${ACCOUNT_COLS} FROM accounts WHERE slug = $1 OR ($2::uuid IS NOT NULL AND id = $2::uuid)`,
    [slugOrId, isUuid(slugOrId) ? slugOrId : null],
  );
  if (!r.rows[0]) throw new AppError('unknown_account', `Unknown account '${slugOrId}'`, 404);
  return r.rows[0];
}

export async function getAccount(ctx: Ctx, p: Principal): Promise<Account> {
  return findAccount(ctx, p.accountId);
}

export async function updateAccount(
  ctx: Ctx,
  p: Principal,
  patch: { name?: string; timezone?: string; locale?: 'en' | 'de' | 'nb'; currency?: string },
) {
  requireCap(p, 'admin');
  if (patch.timezone !== undefined) validateTimezone(patch.timezone);
  return ctx.db.transaction(async (tx) => {
    const r = await tx.query<Account>(
      `UPDATE accounts SET name = coalesce($2, name), timezone = coalesce($3, timezone), locale = coalesce($4, locale),
              currency = coalesce($5, currency) WHERE id = $1 RETURNING ${ACCOUNT_COLS}`,
      [p.accountId, patch.name ?? null, patch.timezone ?? null, patch.locale ?? null, patch.currency ?? null],
    );
    await recordChange(tx, p, ctx.now(), {
      audit: { action: 'account.updated', target: { type: 'account', id: p.accountId }, data: patch },
    });
    return r.rows[0];
  });
}

// ---------------------------------------------------------------- users

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  locale: 'en' | 'de' | 'nb';
  timezone: string | null;
  presence: 'available' | 'busy' | 'away' | 'offline';
  capacity: number;
  disabled: boolean;
  /** False until the user set a password (an invited user who has not followed the link yet). */
  passwordSet: boolean;
  /** Until when the user's open invitation link works (null: none open). */
  invitedUntil: Date | null;
  createdAt: Date;
}
const USER_COLS = `id, email, name, role, locale, timezone, presence, capacity, disabled_at IS NOT NULL AS disabled,
  password_hash IS NOT NULL AS "passwordSet",
  (SELECT max(t.expires_at) FROM password_tokens t WHERE t.user_id = users.id AND t.purpose = 'invite' AND t.used_at IS NULL) AS "invitedUntil",
  created_at AS "createdAt"`;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export async function addUser(
  ctx: Ctx,
  p: Principal,
  input: { email: string; name: string; role: Role; password?: string; locale?: 'en' | 'de' | 'nb'; capacity?: number; timezone?: string; invite?: boolean },
): Promise<User> {
  requireCap(p, 'admin');
  if (!EMAIL.test(input.email ?? '')) throw invalid('email', `not an email address: '${input.email}'`);
  if (!input.name?.trim()) throw invalid('name', 'must not be empty');
  if (!ROLES.includes(input.role)) throw invalid('role', `must be one of ${ROLES.join(', ')}`);
  if (input.password !== undefined) checkNewPassword(input.password);
  if (input.timezone !== undefined) validateTimezone(input.timezone);
  const hash = input.password ? await hashPassword(input.password) : null;
  return ctx.db.transaction(async (tx) => {
    const dup = await tx.query('SELECT 1 FROM users WHERE account_id = $1 AND lower(email) = lower($2)', [p.accountId, input.email]);
    if (dup.rows.length) throw conflict('user_exists', `A user with the email ${input.email} exists already in this account`);
    const r = await tx.query<User>(
      `INSERT INTO users (account_id, email, name, role, password_hash, locale, capacity, timezone)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${USER_COLS}`,
      [p.accountId, input.email.trim(), input.name.trim(), input.role, hash, input.locale ?? 'en', input.capacity ?? 10, input.timezone ?? null],
    );
    await recordChange(tx, p, ctx.now(), {
      audit: { action: 'user.created', target: { type: 'user', id: r.rows[0].id }, data: { email: input.email, role: input.role } },
    });
    // Without a password the user is invited by email (unless the caller says not to), in this transaction.
    if (!hash && input.invite !== false) {
      await sendInvitation(ctx, p, r.rows[0].id, tx);
      return getUser(ctx, p, r.rows[0].id, tx);
    }
    return r.rows[0];
  });
}

export async function listUsers(ctx: Ctx, p: Principal): Promise<User[]> {
  requireCap(p, 'conversations');
  const r = await ctx.db.query<User>(`SELECT ${USER_COLS} FROM users WHERE account_id = $1 ORDER BY name`, [p.accountId]);
  return r.rows;
}

export async function getUser(ctx: Ctx, p: Principal, id: string, tx: Tx = ctx.db): Promise<User> {
  if (!isUuid(id)) throw notFound('User');
  const r = await tx.query<User>(`SELECT ${USER_COLS} FROM users WHERE account_id = $1 AND id = $2`, [p.accountId, id]);
  if (!r.rows[0]) throw notFound('User');
  return r.rows[0];
}

export async function updateUser(
  ctx: Ctx,
  p: Principal,
  id: string,
  patch: { name?: string; role?: Role; capacity?: number; disabled?: boolean; password?: string; locale?: 'en' | 'de' | 'nb' },
): Promise<User> {
  requireCap(p, 'admin');
  await getUser(ctx, p, id);
  if (patch.password !== undefined) checkNewPassword(patch.password);
  const hash = patch.password ? await hashPassword(patch.password) : null;
  return ctx.db.transaction(async (tx) => {
    const r = await tx.query<User>(
      `UPDATE users SET name = coalesce($3, name), role = coalesce($4, role), capacity = coalesce($5, capacity),
              disabled_at = CASE WHEN $6::boolean IS NULL THEN disabled_at WHEN $6 THEN coalesce(disabled_at, now()) ELSE NULL END,
              password_hash = coalesce($7, password_hash), locale = coalesce($8, locale)
        WHERE account_id = $1 AND id = $2 RETURNING ${USER_COLS}`,
      [p.accountId, id, patch.name ?? null, patch.role ?? null, patch.capacity ?? null, patch.disabled ?? null, hash, patch.locale ?? null],
    );
    // A disabled user or a new password ends every open session of that user, and any open invitation or reset link.
    if (patch.disabled || patch.password) {
      await tx.query('DELETE FROM sessions WHERE user_id = $1', [id]);
      await tx.query(`UPDATE password_tokens SET used_at = now(), used_for = 'replaced' WHERE user_id = $1 AND used_at IS NULL`, [id]);
    }
    await boundTokensOf(tx, p, ctx.now(), id, r.rows[0].role, !!patch.disabled);
    await recordChange(tx, p, ctx.now(), {
      audit: { action: 'user.updated', target: { type: 'user', id }, data: { ...patch, password: patch.password ? '(changed)' : undefined } },
    });
    return r.rows[0];
  });
}

export async function setPresence(ctx: Ctx, p: Principal, presence: 'available' | 'busy' | 'away' | 'offline') {
  if (!p.userId) throw new AppError('user_only', 'Presence belongs to a signed-in user, not to an API token', 400);
  const r = await ctx.db.query<User>(
    `UPDATE users SET presence = $3 WHERE account_id = $1 AND id = $2 RETURNING ${USER_COLS}`,
    [p.accountId, p.userId, presence],
  );
  return r.rows[0];
}

/** Stamps when a user was last given a conversation: round-robin assignment picks the longest-waiting agent. */
export async function markAssigned(tx: Tx, userId: string, at: Date): Promise<void> {
  await tx.query('UPDATE users SET last_assigned_at = $2 WHERE id = $1', [userId, at]);
}

/** Sets the signed-in user's own language (the web app's language switch); it is the default at the next sign-in. */
export async function setMyLocale(ctx: Ctx, p: Principal, locale: 'en' | 'de' | 'nb') {
  if (!p.userId) throw new AppError('user_only', 'The language belongs to a signed-in user, not to an API token', 400);
  const r = await ctx.db.query<User>(
    `UPDATE users SET locale = $3 WHERE account_id = $1 AND id = $2 RETURNING ${USER_COLS}`,
    [p.accountId, p.userId, locale],
  );
  return r.rows[0];
}

// ---------------------------------------------------------------- sessions

export interface LoginResult {
  sessionToken: string;
  expiresAt: Date;
  user: User;
  account: Account;
}

/**
 * The per-address sign-in throttle (issue 14 item 5), in the database so every server process shares it. An attempt
 * is counted when it starts (so a burst of parallel guesses cannot slip past the count); from the LOGIN_LOCK_AFTER-th
 * attempt in a row the address is locked at once for LOGIN_LOCK_SECONDS × 2^(attempts − limit), up to
 * LOGIN_LOCK_MAX_SECONDS, and the attempt is only checked after that. A correct password clears the count, so the
 * lock only stays after a wrong one. Unknown addresses are counted the same way: a lock says nothing about which
 * addresses exist. Returns the attempt's number, or the seconds until the lock ends.
 */
async function countAttempt(ctx: Ctx, email: string): Promise<{ attempt: number } | { lockedFor: number }> {
  const { loginLockAfter: after, loginLockSeconds: base, loginLockMaxSeconds: max } = ctx.config;
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    await tx.query('INSERT INTO login_throttle (email, failures, last_failure_at) VALUES ($1, 0, $2) ON CONFLICT (email) DO NOTHING', [email, now]);
    const r = await tx.query<{ failures: number; last_failure_at: Date; locked_until: Date | null }>(
      'SELECT failures, last_failure_at, locked_until FROM login_throttle WHERE email = $1 FOR UPDATE',
      [email],
    );
    const row = r.rows[0];
    if (row.locked_until && new Date(row.locked_until) > now) return { lockedFor: Math.ceil((new Date(row.locked_until).getTime() - now.getTime()) / 1000) };
    // A count older than the longest lock plus an hour starts again.
    const stale = now.getTime() - new Date(row.last_failure_at).getTime() > (max + 3600) * 1000;
    const attempt = (stale ? 0 : row.failures) + 1;
    const lockedUntil = attempt >= after ? new Date(now.getTime() + Math.min(max, base * 2 ** (attempt - after)) * 1000) : null;
    await tx.query('UPDATE login_throttle SET failures = $2, last_failure_at = $3, locked_until = $4 WHERE email = $1', [email, attempt, now, lockedUntil]);
    return { attempt };
  });
}

export async function login(
  ctx: Ctx,
  input: { email: string; password: string; account?: string },
  meta: { ip?: string; userAgent?: string },
): Promise<LoginResult> {
  const key = input.email.trim().toLowerCase();
  const counted = await countAttempt(ctx, key);
  if ('lockedFor' in counted)
    throw new AppError('login_locked', `Too many failed sign-ins for this address; try again in ${counted.lockedFor} s (or set a new password with "Forgot password?")`, 429, {
      retryAfterSeconds: counted.lockedFor,
    });
  const r = await ctx.db.query<{ id: string; account_id: string; password_hash: string | null; disabled_at: Date | null }>(
    `SELECT u.id, u.account_id, u.password_hash, u.disabled_at FROM users u JOIN accounts a ON a.id = u.account_id
      WHERE lower(u.email) = lower($1) AND ($2::text IS NULL OR a.slug = $2) ORDER BY u.created_at`,
    [input.email, input.account ?? null],
  );
  const candidates = r.rows;
  // Same work for unknown emails as for wrong passwords.
  let match: (typeof candidates)[number] | undefined;
  for (const c of candidates.length ? candidates : [undefined]) {
    const ok = await verifyPassword(input.password, c?.password_hash);
    if (ok && c && !c.disabled_at && !match) match = c;
  }
  if (!match) {
    // The attempt that locked the address leaves an audit entry in each account with a user of that address.
    if (counted.attempt >= ctx.config.loginLockAfter) {
      const lockedFor = Math.min(ctx.config.loginLockMaxSeconds, ctx.config.loginLockSeconds * 2 ** (counted.attempt - ctx.config.loginLockAfter));
      await ctx.db.transaction(async (tx) => {
        for (const c of candidates)
          await recordChange(tx, { accountId: c.account_id, role: 'agent', kind: 'system', userId: null, tokenId: null, ip: meta.ip }, ctx.now(), {
            audit: { action: 'user.login_locked', target: { type: 'user', id: c.id }, data: {
              failedAttempts: counted.attempt,
              lockedForSeconds: lockedFor,
            } },
          });
      });
    }
    throw new AppError('invalid_credentials', 'Email or password is wrong', 401);
  }
  await ctx.db.query('DELETE FROM login_throttle WHERE email = $1', [key]);
  const token = randomToken();
  const expiresAt = new Date(ctx.now().getTime() + ctx.config.sessionDays * 86_400_000);
  await ctx.db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO sessions (id_hash, user_id, account_id, expires_at, ip, user_agent) VALUES ($1, $2, $3, $4, $5, $6)`,
      [sha256(token), match!.id, match!.account_id, expiresAt, meta.ip ?? null, meta.userAgent?.slice(0, 300) ?? null],
    );
    await tx.query(`DELETE FROM sessions WHERE user_id = $1 AND expires_at < now()`, [match!.id]);
    await recordChange(tx, { accountId: match!.account_id, role: 'agent', kind: 'user', userId: match!.id, tokenId: null, ip: meta.ip }, ctx.now(), {
      audit: { action: 'user.signed_in', target: {
        type: 'user',
        id: match!.id,
      } },
    });
  });
  const principal: Principal = { accountId: match.account_id, role: 'agent', kind: 'user', userId: match.id, tokenId: null };
  return {
    sessionToken: token,
    expiresAt,
    user: await getUser(ctx, principal, match.id),
    account: await findAccount(ctx, match.account_id),
  };
}

export async function principalFromSession(ctx: Ctx, token: string): Promise<Principal | null> {
  const r = await ctx.db.query<{ user_id: string; account_id: string; role: Role }>(
    `SELECT s.user_id, s.account_id, u.role FROM sessions s JOIN users u ON u.id = s.user_id
      WHERE s.id_hash = $1 AND s.expires_at > $2 AND u.disabled_at IS NULL`,
    [sha256(token), ctx.now()],
  );
  const s = r.rows[0];
  return s ? { accountId: s.account_id, role: s.role, kind: 'user', userId: s.user_id, tokenId: null } : null;
}

export async function logout(ctx: Ctx, token: string) {
  await ctx.db.query('DELETE FROM sessions WHERE id_hash = $1', [sha256(token)]);
}

// ---------------------------------------------------------------- API tokens

export const TOKEN_PREFIX = 'es_';

/**
 * Roles ordered by what they may do: each has every capability of the ones before it (a leader reports like a
 * supervisor but manages nothing). A token may do at most what its creator may do now.
 */
export const ROLE_RANK: Record<Role, number> = { agent: 0, leader: 1, supervisor: 2, admin: 3 };
const RANK_SQL = (col: string) => `array_position(ARRAY['agent', 'leader', 'supervisor', 'admin'], ${col})`;

/**
 * Tokens follow their creator (issue 14 item 4): disabling the creator revokes the tokens they made, demoting caps them
 * at the new role (promoting again does not raise them). Runs in the transaction that changes the user.
 */
async function boundTokensOf(tx: Tx, p: Principal, now: Date, userId: string, role: Role, disabled: boolean) {
  const revoked = disabled
    ? await tx.query<{ id: string }>(
        `UPDATE api_tokens SET revoked_at = now() WHERE created_by = $1 AND revoked_at IS NULL RETURNING id`,
        [userId],
      )
    : { rows: [] };
  for (const t of revoked.rows) await recordChange(tx, p, now, {
    audit: { action: 'token.revoked', target: { type: 'token', id: t.id }, data: { reason: 'creator disabled', creator: userId } },
  });
  const capped = await tx.query<{ id: string; role: Role }>(
    `UPDATE api_tokens SET role = $2 WHERE created_by = $1 AND revoked_at IS NULL AND ${RANK_SQL('role')} > ${RANK_SQL('$2::text')}
     RETURNING id`,
    [userId, role],
  );
  for (const t of capped.rows) await recordChange(tx, p, now, {
    audit: { action: 'token.capped', target: { type: 'token', id: t.id }, data: { role, reason: 'creator demoted', creator: userId } },
  });
}

export async function createToken(ctx: Ctx, p: Principal, input: { role: Role; name?: string }) {
  requireCap(p, 'admin');
  if (!ROLES.includes(input.role)) throw invalid('role', `must be one of ${ROLES.join(', ')}`);
  const secret = TOKEN_PREFIX + randomToken(30);
  return ctx.db.transaction(async (tx) => {
    // The creator is the person behind the request: the signed-in user, or the creator of the token used.
    const creator = p.userId ?? (p.tokenId ? (await tx.query<{ created_by: string | null }>('SELECT created_by FROM api_tokens WHERE id = $1', [p.tokenId])).rows[0]?.created_by ?? null : null);
    if (ROLE_RANK[input.role] > ROLE_RANK[p.role]) throw invalid('role', `a ${p.role} may not create a token with more rights (${input.role})`);
    const r = await tx.query<{ id: string; createdAt: Date }>(
      `INSERT INTO api_tokens (account_id, name, role, token_hash, prefix, created_by) VALUES ($1, $2, $3, $4, $5, $6)
       RETURNING id, created_at AS "createdAt"`,
      [p.accountId, input.name ?? '', input.role, sha256(secret), secret.slice(0, 8), creator],
    );
    await recordChange(tx, p, ctx.now(), {
      audit: { action: 'token.created', target: { type: 'token', id: r.rows[0].id }, data: { role: input.role, name: input.name ?? '' } },
    });
    return { id: r.rows[0].id, token: secret, role: input.role, name: input.name ?? '', createdAt: r.rows[0].createdAt };
  });
}

export interface ApiTokenRow {
  id: string;
  name: string;
  role: Role;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  /** The user whose current rights bound the token; null when the operator made it on the command line. */
  createdBy: { id: string; name: string } | null;
}

export async function listTokens(ctx: Ctx, p: Principal): Promise<ApiTokenRow[]> {
  requireCap(p, 'admin');
  const r = await ctx.db.query<ApiTokenRow>(
    `SELECT t.id, t.name, t.role, t.prefix, t.created_at AS "createdAt", t.last_used_at AS "lastUsedAt", t.revoked_at AS "revokedAt",
            CASE WHEN u.id IS NULL THEN NULL ELSE json_build_object('id', u.id, 'name', u.name) END AS "createdBy"
       FROM api_tokens t LEFT JOIN users u ON u.id = t.created_by
      WHERE t.account_id = $1 ORDER BY t.created_at DESC, t.id`,
    [p.accountId],
  );
  return r.rows;
}

export async function revokeToken(ctx: Ctx, p: Principal, id: string) {
  requireCap(p, 'admin');
  if (!isUuid(id)) throw notFound('Token');
  await ctx.db.transaction(async (tx) => {
    const r = await tx.query(`UPDATE api_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE account_id = $1 AND id = $2`, [
      p.accountId,
      id,
    ]);
    if (!r.rowCount) throw notFound('Token');
    await recordChange(tx, p, ctx.now(), { audit: { action: 'token.revoked', target: { type: 'token', id } } });
  });
}

/**
 * Resolves a bearer token; last_used_at is refreshed at most once a minute to keep reads cheap. The token may do at
 * most what its creator may do now, and nothing once the creator is disabled — also when the user row was changed
 * around updateUser (which revokes and caps the stored tokens).
 */
export async function principalFromToken(ctx: Ctx, token: string): Promise<Principal | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const r = await ctx.db.query<{ id: string; account_id: string; role: Role; stale: boolean }>(
    `SELECT t.id, t.account_id,
            CASE WHEN u.id IS NOT NULL AND ${RANK_SQL('u.role')} < ${RANK_SQL('t.role')} THEN u.role ELSE t.role END AS role,
            (t.last_used_at IS NULL OR t.last_used_at < now() - interval '1 minute') AS stale
       FROM api_tokens t LEFT JOIN users u ON u.id = t.created_by
      WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.disabled_at IS NULL`,
    [sha256(token)],
  );
  const t = r.rows[0];
  if (!t) return null;
  if (t.stale) await ctx.db.query('UPDATE api_tokens SET last_used_at = now() WHERE id = $1', [t.id]);
  return { accountId: t.account_id, role: t.role, kind: 'token', userId: null, tokenId: t.id };
}

// ---------------------------------------------------------------- teams

export interface Team {
  id: string;
  name: string;
  createdAt: Date;
  memberIds: string[];
}

export async function createTeam(ctx: Ctx, p: Principal, input: { name: string; memberIds?: string[] }) {
  requireCap(p, 'manage');
  if (!input.name?.trim()) throw invalid('name', 'must not be empty');
  return ctx.db.transaction(async (tx) => {
    const dup = await tx.query('SELECT 1 FROM teams WHERE account_id = $1 AND name = $2', [p.accountId, input.name.trim()]);
    if (dup.rows.length) throw conflict('team_exists', `A team named '${input.name}' exists already`);
    const r = await tx.query<{ id: string }>(`INSERT INTO teams (account_id, name) VALUES ($1, $2) RETURNING id`, [
      p.accountId,
      input.name.trim(),
    ]);
    const id = r.rows[0].id;
    if (input.memberIds) await writeMembers(tx, p, id, input.memberIds);
    await recordChange(tx, p, ctx.now(), { audit: { action: 'team.created', target: { type: 'team', id }, data: input } });
    return getTeam(ctx, p, id, tx);
  });
}

async function writeMembers(tx: Tx, p: Principal, teamId: string, memberIds: string[]) {
  const ids = [...new Set(memberIds)];
  for (const id of ids) if (!isUuid(id)) throw invalid('memberIds', `not a user id: '${id}'`);
  const known = await tx.query<{ id: string }>('SELECT id FROM users WHERE account_id = $1 AND id = ANY($2::uuid[])', [p.accountId, ids]);
  if (known.rows.length !== ids.length) {
    const found = new Set(known.rows.map((r) => r.id));
    throw invalid('memberIds', `unknown user ${ids.find((i) => !found.has(i))}`);
  }
  await tx.query('DELETE FROM team_members WHERE team_id = $1', [teamId]);
  await tx.query('INSERT INTO team_members (team_id, user_id) SELECT $1, unnest($2::uuid[])', [teamId, ids]);
}

export async function setTeamMembers(ctx: Ctx, p: Principal, teamId: string, memberIds: string[]) {
  requireCap(p, 'manage');
  return ctx.db.transaction(async (tx) => {
    await getTeam(ctx, p, teamId, tx);
    await writeMembers(tx, p, teamId, memberIds);
    await recordChange(tx, p, ctx.now(), {
      audit: { action: 'team.members_set', target: { type: 'team', id: teamId }, data: { memberIds } },
    });
    return getTeam(ctx, p, teamId, tx);
  });
}

export async function getTeam(ctx: Ctx, p: Principal, id: string, tx: Tx = ctx.db): Promise<Team> {
  if (!isUuid(id)) throw notFound('Team');
  const r = await tx.query<Team>(
    `SELECT t.id, t.name, t.created_at AS "createdAt",
            coalesce((SELECT array_agg(user_id ORDER BY user_id) FROM team_members m WHERE m.team_id = t.id), '{}') AS "memberIds"
       FROM teams t WHERE t.account_id = $1 AND t.id = $2`,
    [p.accountId, id],
  );
  if (!r.rows[0]) throw notFound('Team');
  return r.rows[0];
}

export async function listTeams(ctx: Ctx, p: Principal): Promise<Team[]> {
  requireCap(p, 'conversations');
  const r = await ctx.db.query<Team>(
    `SELECT t.id, t.name, t.created_at AS "createdAt",
            coalesce((SELECT array_agg(user_id ORDER BY user_id) FROM team_members m WHERE m.team_id = t.id), '{}') AS "memberIds"
       FROM teams t WHERE t.account_id = $1 ORDER BY t.name`,
    [p.accountId],
  );
  return r.rows;
}
