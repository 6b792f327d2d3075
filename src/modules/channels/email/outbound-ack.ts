/**
 * Auto-acknowledgement: an optional automatic answer confirming a new customer email ("we received your message,
 * number #n"), per mailbox, off by default (`mailbox_settings.auto_ack`). Never for automatic mail (auto-replies,
 * lists, bulk, bounces), never for a follow-up in an existing conversation, and at most one per address per day, so a
 * robot that does not mark its mail cannot start a loop. The answer carries Auto-Submitted: auto-replied and the
 * threading headers, in the conversation's language (English, German, Norwegian Bokmål).
 */
import type { Ctx, Principal, Tx } from '../../../platform/context.js';
import { requireCap } from '../../../platform/context.js';
import { isUuid, notFound } from '../../../platform/errors.js';
import { pickLocale, type Locale } from '../../../platform/i18n.js';
import { domainOf, enqueueEmail, formatAddress, newMessageId, recordOutboundMessageId } from './outbound.js';
import { replySubject } from '../index.js';
import { recordChange } from '../../changes/index.js';

export const ACK_TEXTS: Record<'body', Record<Locale, string>> = {
  body: {
    en: 'Hello,\n\nthank you for your message. We have received it as number #{number} and will answer as soon as we can.\nTo add something, simply reply to this email.\n\n{team}',
    de: 'Guten Tag,\n\nvielen Dank für Ihre Nachricht. Wir haben sie unter der Nummer #{number} erhalten und antworten so bald wie möglich.\nUm etwas zu ergänzen, antworten Sie einfach auf diese E-Mail.\n\n{team}',
    nb: 'Hei,\n\ntakk for meldingen din. Vi har mottatt den som nummer #{number} og svarer så snart vi kan.\nVil du legge til noe, kan du bare svare på denne e-posten.\n\n{team}',
  },
};

const fill = (s: string, v: Record<string, string | number>) => s.replace(/\{(\w+)\}/g, (_, k) => String(v[k] ?? ''));

export interface MailboxSettings {
  mailboxId: string;
  autoAck: boolean;
}

async function mailboxOf(ctx: Ctx, p: Principal, id: string) {
  if (!isUuid(id)) throw notFound('Mailbox');
  const r = await ctx.db.query('SELECT id FROM mailboxes WHERE account_id = $1 AND id = $2', [p.accountId, id]);
  if (!r.rows[0]) throw notFound('Mailbox');
}

export async function getMailboxSettings(ctx: Ctx, p: Principal, mailboxId: string): Promise<MailboxSettings> {
  requireCap(p, 'manage');
  await mailboxOf(ctx, p, mailboxId);
  const r = await ctx.db.query<{ auto_ack: boolean }>('SELECT auto_ack FROM mailbox_settings WHERE mailbox_id = $1', [mailboxId]);
  return { mailboxId, autoAck: r.rows[0]?.auto_ack ?? false };
}

export async function setMailboxSettings(ctx: Ctx, p: Principal, mailboxId: string, input: { autoAck?: boolean }): Promise<MailboxSettings> {
  requireCap(p, 'admin');
  await mailboxOf(ctx, p, mailboxId);
  await ctx.db.transaction(async (tx) => {
    if (input.autoAck !== undefined)
      await tx.query(
        `INSERT INTO mailbox_settings (mailbox_id, auto_ack) VALUES ($1, $2)
         ON CONFLICT (mailbox_id) DO UPDATE SET auto_ack = EXCLUDED.auto_ack`,
        [mailboxId, input.autoAck],
      );
    await recordChange(tx, p, ctx.now(), {
      audit: { action: 'mailbox.settings_changed', target: { type: 'mailbox', id: mailboxId }, data: { ...input } },
    });
  });
  return getMailboxSettings(ctx, p, mailboxId);
}

/**
 * Queues the acknowledgement for the inbound message `messageId` when its mailbox wants one and the message opened
 * its conversation. Returns the outbound_emails id, or null with the reason.
 */
export async function autoAcknowledge(
  tx: Tx,
  a: { accountId: string; conversationId: string; messageId: string },
): Promise<{ outboundEmailId: string | null; skipped?: string }> {
  const e = (
    await tx.query<{ mailbox_id: string | null; auto_kind: string | null; rfc_message_id: string; references: string[]; from_address: string | null }>(
      `SELECT mailbox_id, auto_kind, rfc_message_id, "references", from_address FROM email_messages
        WHERE account_id = $1 AND conversation_id = $2 AND message_id = $3`,
      [a.accountId, a.conversationId, a.messageId],
    )
  ).rows[0];
  if (!e) return { outboundEmailId: null, skipped: 'not an inbound email' };
  if (e.auto_kind) return { outboundEmailId: null, skipped: `automatic mail (${e.auto_kind})` };
  const mb = e.mailbox_id
    ? (
        await tx.query<{ address: string; name: string; auto_ack: boolean | null }>(
          `SELECT m.address, m.name, s.auto_ack FROM mailboxes m LEFT JOIN mailbox_settings s ON s.mailbox_id = m.id WHERE m.id = $1`,
          [e.mailbox_id],
        )
      ).rows[0]
    : undefined;
  if (!mb?.auto_ack) return { outboundEmailId: null, skipped: 'auto-acknowledgement off for this mailbox' };
  const c = (
    await tx.query<{ number: number; subject: string; reply_token: string; language: string | null; customer_id: string; account_name: string; first: string }>(
      `SELECT c.number, c.subject, c.reply_token, c.language, c.customer_id, a.name AS account_name,
              (SELECT m.id FROM messages m WHERE m.conversation_id = c.id AND m.kind = 'message' ORDER BY m.created_at, m.id LIMIT 1) AS first
         FROM conversations c JOIN accounts a ON a.id = c.account_id WHERE c.id = $1`,
      [a.conversationId],
    )
  ).rows[0];
  if (!c || c.first !== a.messageId) return { outboundEmailId: null, skipped: 'not the first message of its conversation' };
  const to = (
    await tx.query<{ value: string }>(
      `SELECT value FROM customer_identities WHERE customer_id = $1 AND kind = 'email' AND bounced_at IS NULL
        ORDER BY (value = $2) DESC, created_at LIMIT 1`,
      [c.customer_id, e.from_address?.toLowerCase() ?? null],
    )
  ).rows[0]?.value;
  if (!to) return { outboundEmailId: null, skipped: 'no email address that has not bounced' };
  const recent = await tx.query(
    `SELECT 1 FROM outbound_emails WHERE account_id = $1 AND kind = 'system' AND $2 = ANY(to_addresses)
        AND headers ? 'Auto-Submitted' AND created_at > now() - interval '1 day' LIMIT 1`,
    [a.accountId, to],
  );
  if (recent.rows[0]) return { outboundEmailId: null, skipped: 'already acknowledged to this address today' };

  const team = mb.name || c.account_name;
  const domain = domainOf(mb.address);
  const messageId = newMessageId(domain);
  const lang = pickLocale(c.language ?? undefined);
  await recordOutboundMessageId(tx, { accountId: a.accountId, rfcMessageId: messageId, conversationId: a.conversationId, messageId: null });
  const id = await enqueueEmail(tx, {
    accountId: a.accountId,
    kind: 'system',
    to: [to],
    subject: replySubject(c.subject, c.number),
    text: fill(ACK_TEXTS.body[lang], { number: c.number, team }),
    from: formatAddress(team, mb.address),
    conversationId: a.conversationId,
    headers: {
      'Message-ID': messageId,
      'In-Reply-To': e.rfc_message_id,
      References: [...(e.references ?? []), e.rfc_message_id].slice(-20),
      'Reply-To': formatAddress(team, `reply+${c.reply_token}@${domain}`),
      'Auto-Submitted': 'auto-replied',
      'X-Auto-Response-Suppress': 'All',
    },
  });
  return { outboundEmailId: id };
}

/**
 * For the listeners (SMTP, IMAP), after ingestEmail committed: acknowledges a newly stored message when its mailbox
 * wants it. Best effort — a failure here never fails the delivery — and a no-op for duplicates and rejections.
 */
export async function acknowledgeIngested(
  ctx: Ctx,
  r: { status: string; conversationId?: string; messageId?: string; duplicate?: boolean; automatic?: string | null },
  accountId?: string,
  log?: { warn?: (o: object, m: string) => void },
): Promise<string | null> {
  if (r.status !== 'stored' || r.duplicate || r.automatic || !r.conversationId || !r.messageId) return null;
  try {
    return await ctx.db.transaction(async (tx) => {
      const acc = accountId ?? (await tx.query<{ account_id: string }>('SELECT account_id FROM conversations WHERE id = $1', [r.conversationId])).rows[0]?.account_id;
      if (!acc) return null;
      // One acknowledgement per conversation even when two listeners race.
      await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`email-ack:${r.conversationId}`]);
      const done = await tx.query(`SELECT 1 FROM outbound_emails WHERE conversation_id = $1 AND kind = 'system' AND headers ? 'Auto-Submitted'`, [r.conversationId]);
      if (done.rows[0]) return null;
      return (await autoAcknowledge(tx, { accountId: acc, conversationId: r.conversationId!, messageId: r.messageId! })).outboundEmailId;
    });
  } catch (err: any) {
    log?.warn?.({ conversationId: r.conversationId, err: err?.message }, 'auto-acknowledgement not queued');
    return null;
  }
}
