/**
 * The `email.send` job: sends one `outbound_emails` row through SMTP_OUTBOUND_URL with nodemailer.
 *
 * The handler re-reads the row and skips it when already sent, so a job that runs twice sends once. A failure records
 * the attempt count, the error and the next attempt time on the row and throws, so the job runner retries with its
 * backoff (10 s, 20 s, 40 s … 1 h, for about a day); after the last attempt the row is marked failed. A permanent
 * refusal (5xx) fails at once. Without SMTP_OUTBOUND_URL the
 * send fails with a clear error and is retried later, so mail queued before the relay was configured still leaves.
 * A crash between the relay's 250 and marking the row sent sends it again on reclaim (at least once); it carries the
 * same Message-ID, so receivers see one message.
 *
 * Timeouts (config, docs/channels-email-outbound.md): connect, the relay's greeting, silence on the open connection
 * (socket) and one whole send (deadline); the job's own deadline and shutdown abort a send through `signal`. A send
 * that times out is a failed attempt like any other and is retried with the backoff. The one case that can send
 * twice: the message was transmitted (DATA and the final dot) and the relay's 250 never came. The relay may have
 * queued it; we cannot know, so we retry (at least once, never at most once); the retry carries the same Message-ID.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import { systemPrincipal, type Ctx } from '../../../platform/context.js';
import { backoffMs, type JobRow } from '../../../platform/jobs.js';
import { recordChange } from '../../changes/index.js';

interface OutboundRow {
  id: string;
  account_id: string;
  kind: string;
  conversation_id: string | null;
  message_id: string | null;
  from_address: string | null;
  to_addresses: string[];
  subject: string;
  text_body: string;
  html_body: string | null;
  headers: Record<string, string | string[]>;
  status: 'queued' | 'sent' | 'failed';
  attempts: number;
}

const transports = new Map<string, Transporter>();

export interface SmtpTimeouts {
  connectMs: number;
  greetingMs: number;
  socketMs: number;
}

/**
 * One nodemailer transport per relay URL and timeouts, reused by every send (a new connection per send). The
 * timeouts are transport options: given as createTransport's second argument they would be message defaults and
 * ignored (which left nodemailer's 10-minute socket timeout in force).
 */
export function transportFor(url: string, timeouts: SmtpTimeouts): Transporter {
  const key = `${url} ${timeouts.connectMs}/${timeouts.greetingMs}/${timeouts.socketMs}`;
  let t = transports.get(key);
  if (!t) {
    if (!/^smtps?:\/\//i.test(url)) throw new Error('SMTP_OUTBOUND_URL must start with smtp:// or smtps://');
    t = nodemailer.createTransport({
      url,
      connectionTimeout: timeouts.connectMs,
      greetingTimeout: timeouts.greetingMs,
      socketTimeout: timeouts.socketMs,
      // After a timeout the socket is dropped at once, not left waiting for the silent peer to close.
      socketCloseTimeout: 0,
    } as any);
    transports.set(key, t);
  }
  return t;
}

/** A send error in words: which timeout fired, after how long, and which setting governs it. */
function describeSendError(err: any, cfg: Ctx['config'], deadline: AbortSignal, job?: AbortSignal): string {
  if (deadline.aborted) return `no 250 from the relay: the whole send timed out after ${cfg.smtpOutboundDeadlineMs} ms (SMTP_OUTBOUND_DEADLINE_MS); retried`;
  if (job?.aborted) return `send abandoned: ${job.reason?.message ?? job.reason}`;
  if (err?.code === 'ETIMEDOUT') {
    switch (err.timeoutType) {
      case 'CONNECT_TIMEOUT':
        return `could not connect to the relay within ${cfg.smtpOutboundConnectTimeoutMs} ms (SMTP_OUTBOUND_CONNECT_TIMEOUT_MS); retried`;
      case 'GREETING_TIMEOUT':
        return `the relay sent no greeting within ${cfg.smtpOutboundGreetingTimeoutMs} ms (SMTP_OUTBOUND_GREETING_TIMEOUT_MS); retried`;
      default:
        return `the relay went silent for ${cfg.smtpOutboundSocketTimeoutMs} ms (SMTP_OUTBOUND_SOCKET_TIMEOUT_MS), e.g. no 250 after DATA; retried`;
    }
  }
  return String(err?.message ?? err);
}

/** Closes the cached transports (server shutdown, tests). */
export function closeTransports() {
  for (const t of transports.values()) t.close();
  transports.clear();
}

/** The relay URL without its password, for messages. */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'the configured relay';
  }
}

function fallbackFrom(ctx: Ctx): string {
  let host = 'localhost';
  try {
    if (ctx.config.publicUrl) host = new URL(ctx.config.publicUrl).hostname;
  } catch {}
  return `noreply@${host}`;
}

/** Splits the stored headers into nodemailer's fields and the rest. */
function mailHeaders(h: Record<string, string | string[]>) {
  const out: Record<string, string | string[]> = {};
  let messageId: string | undefined;
  let inReplyTo: string | undefined;
  let references: string[] | undefined;
  let replyTo: string | undefined;
  for (const [k, v] of Object.entries(h)) {
    const key = k.toLowerCase();
    if (key === 'message-id') messageId = String(v);
    else if (key === 'in-reply-to') inReplyTo = String(v);
    else if (key === 'references') references = Array.isArray(v) ? v : String(v).split(/\s+/).filter(Boolean);
    else if (key === 'reply-to') replyTo = String(v);
    else out[k] = v;
  }
  return { messageId, inReplyTo, references, replyTo, headers: out };
}

/** Sends one outbound email (the `email.send` job). Throws to be retried. */
export async function sendOutboundEmail(ctx: Ctx, payload: { outboundEmailId: string }, job?: Pick<JobRow, 'attempts' | 'max_attempts'>, signal?: AbortSignal) {
  const r = await ctx.db.query<OutboundRow>('SELECT * FROM outbound_emails WHERE id = $1', [payload.outboundEmailId]);
  const row = r.rows[0];
  if (!row || row.status === 'sent') return;
  const attempt = row.attempts + 1;
  const cfg = ctx.config;
  const deadline = AbortSignal.timeout(cfg.smtpOutboundDeadlineMs);
  try {
    const url = ctx.config.smtpOutboundUrl;
    if (!url) throw new Error('SMTP_OUTBOUND_URL is not set: outgoing email waits until a relay is configured (env SMTP_OUTBOUND_URL or serve --smtp-outbound)');
    const files = row.message_id
      ? (await ctx.db.query<{ filename: string; content_type: string; content: Buffer | Uint8Array }>(
          'SELECT filename, content_type, content FROM attachments WHERE message_id = $1 ORDER BY created_at, id',
          [row.message_id],
        )).rows
      : [];
    const h = mailHeaders(row.headers ?? {});
    const timeouts = { connectMs: cfg.smtpOutboundConnectTimeoutMs, greetingMs: cfg.smtpOutboundGreetingTimeoutMs, socketMs: cfg.smtpOutboundSocketTimeoutMs };
    await transportFor(url, timeouts).sendMail({
      signal: signal ? AbortSignal.any([deadline, signal]) : deadline,
      from: row.from_address ?? fallbackFrom(ctx),
      to: row.to_addresses,
      subject: row.subject,
      text: row.text_body,
      ...(row.html_body ? { html: row.html_body } : {}),
      ...(h.messageId ? { messageId: h.messageId } : {}),
      ...(h.inReplyTo ? { inReplyTo: h.inReplyTo } : {}),
      ...(h.references?.length ? { references: h.references } : {}),
      ...(h.replyTo ? { replyTo: h.replyTo } : {}),
      headers: h.headers,
      attachments: files.map((f) => ({ filename: f.filename, contentType: f.content_type, content: Buffer.from(f.content) })),
    });
    await ctx.db.query(
      `UPDATE outbound_emails SET status = 'sent', sent_at = $2, attempts = $3, last_error = NULL, next_attempt_at = NULL
        WHERE id = $1 AND status <> 'sent'`,
      [row.id, ctx.now(), attempt],
    );
  } catch (err: any) {
    const message = describeSendError(err, cfg, deadline, signal).slice(0, 1000);
    // 5xx from the relay is permanent (the address or the message is refused): failed now, not retried for a day.
    const permanent = Number(err?.responseCode) >= 500 && Number(err?.responseCode) < 600;
    const final = permanent || (job ? job.attempts >= job.max_attempts : false);
    const next = final ? null : new Date(ctx.now().getTime() + backoffMs(job?.attempts ?? attempt));
    await ctx.db.query(
      `UPDATE outbound_emails SET attempts = $2, last_error = $3, status = $4, next_attempt_at = $5 WHERE id = $1 AND status <> 'sent'`,
      [row.id, attempt, message, final ? 'failed' : 'queued', next],
    );
    if (permanent) return;
    throw new Error(message, { cause: err });
  }
  // The delivery status is shown with the conversation: tell its viewers to refetch.
  if (row.conversation_id)
    await recordChange(ctx.db, systemPrincipal(row.account_id), ctx.now(), { change: { type: 'conversation.updated', conversationId: row.conversation_id } })
      .catch(() => {});
}
