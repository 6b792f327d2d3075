/**
 * IMAP sources: existing mailboxes read over IMAP into an Earshot mailbox. The password is stored for the poller and
 * never returned or logged; listings show everything else, with the checkpoint and the last error.
 */
import type { Ctx } from '../../../platform/context.js';
import { invalid, notFound } from '../../../platform/errors.js';

export interface ImapSourceInput {
  mailbox: string;
  host: string;
  port?: number;
  secure?: boolean;
  username: string;
  password: string;
  folder?: string;
  mode?: 'idle' | 'poll';
}

export interface ImapSourceView {
  id: string;
  accountId: string;
  mailboxId: string;
  mailbox: string;
  host: string;
  port: number;
  secure: boolean;
  username: string;
  folder: string;
  mode: 'idle' | 'poll';
  uidvalidity: number | null;
  lastUid: number;
  lastError: string | null;
  lastPolledAt: Date | null;
  enabled: boolean;
}

/** Everything but the password. */
export const SOURCE_COLS = `s.id, s.account_id AS "accountId", s.mailbox_id AS "mailboxId", m.address AS mailbox, s.host, s.port, s.secure,
  s.username, s.folder, s.mode, s.uidvalidity, s.last_uid AS "lastUid", s.last_error AS "lastError",
  s.last_polled_at AS "lastPolledAt", s.enabled`;

export async function addImapSource(ctx: Ctx, accountId: string, input: ImapSourceInput): Promise<ImapSourceView> {
  const host = input.host?.trim();
  if (!host || /[\s/]/.test(host)) throw invalid('host', `'${input.host}' is not a host name`);
  const secure = input.secure ?? false;
  const port = input.port ?? (secure ? 993 : 143);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw invalid('port', `must be 1–65535, got '${input.port}'`);
  if (!input.username?.trim()) throw invalid('user', 'must not be empty');
  if (!input.password) throw invalid('password', 'must not be empty');
  const mode = input.mode ?? 'idle';
  if (mode !== 'idle' && mode !== 'poll') throw invalid('mode', `must be idle or poll, got '${mode}'`);
  const folder = (input.folder ?? 'INBOX').trim() || 'INBOX';
  const mb = await ctx.db.query<{ id: string }>('SELECT id FROM mailboxes WHERE account_id = $1 AND address = $2', [
    accountId,
    input.mailbox.trim().toLowerCase(),
  ]);
  if (!mb.rows[0]) throw invalid('mailbox', `no mailbox '${input.mailbox}' in this account (add it with: earshot mailbox add)`);
  const r = await ctx.db.query<{ id: string }>(
    `INSERT INTO imap_sources (account_id, mailbox_id, host, port, secure, username, password, folder, mode)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (mailbox_id, host, username, folder)
     DO UPDATE SET port = EXCLUDED.port, secure = EXCLUDED.secure, password = EXCLUDED.password, mode = EXCLUDED.mode,
                   enabled = true, last_error = NULL
     RETURNING id`,
    [accountId, mb.rows[0].id, host, port, secure, input.username.trim(), input.password, folder, mode],
  );
  return getImapSource(ctx, r.rows[0].id);
}

export async function getImapSource(ctx: Ctx, id: string): Promise<ImapSourceView> {
  const r = await ctx.db.query<ImapSourceView>(`SELECT ${SOURCE_COLS} FROM imap_sources s JOIN mailboxes m ON m.id = s.mailbox_id WHERE s.id = $1`, [id]);
  if (!r.rows[0]) throw notFound('IMAP source');
  return r.rows[0];
}

export async function listImapSources(ctx: Ctx, accountId: string | null): Promise<ImapSourceView[]> {
  const r = await ctx.db.query<ImapSourceView>(
    `SELECT ${SOURCE_COLS} FROM imap_sources s JOIN mailboxes m ON m.id = s.mailbox_id
      WHERE ($1::uuid IS NULL OR s.account_id = $1) ORDER BY m.address, s.host, s.folder`,
    [accountId],
  );
  return r.rows;
}
