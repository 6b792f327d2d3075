/**
 * Delivery of agent replies to the customer's channel. `deliverReply` runs inside the transaction of
 * conversations.reply(), after the reply is inserted: for an email or web conversation (and a chat that fell back to
 * email, which is an email conversation) it queues the reply as an email with threading headers, so the mail leaves
 * only after the reply committed, and a rolled-back reply sends nothing.
 */
import type { Tx } from '../../platform/context.js';
import { domainOf, enqueueEmail, formatAddress, newMessageId, recordOutboundMessageId, senderMailbox } from './email/index.js';

export interface DeliverInput {
  accountId: string;
  conversationId: string;
  messageId: string;
  automatic: boolean;
}

/** Channels whose replies go out by email. */
export const EMAIL_REPLY_CHANNELS = ['email', 'web'];

/** How many Message-IDs References keeps: the first (the thread's root) and the newest ones. */
export const MAX_REFERENCES = 20;

export function capReferences(refs: string[], max = MAX_REFERENCES): string[] {
  const uniq = [...new Set(refs.filter(Boolean))];
  if (uniq.length <= max) return uniq;
  return [uniq[0], ...uniq.slice(uniq.length - (max - 1))];
}

/** "Re: <subject> [#n]": one Re:, one tag. */
export function replySubject(subject: string, number: number): string {
  let s = subject.replace(/\s+/g, ' ').trim();
  if (!/^(re|aw|sv|antw|vs)\s*:/i.test(s)) s = s ? `Re: ${s}` : 'Re:';
  if (!s.includes(`[#${number}]`)) s = `${s} [#${number}]`;
  return s;
}

/**
 * Queues the reply `messageId` as an email when the conversation answers by email. Returns the outbound_emails id,
 * or null (with the reason) when nothing is sent: another channel, a note, no address that has not bounced, or an
 * automatic answer to automatic mail.
 */
export async function deliverReply(tx: Tx, d: DeliverInput): Promise<{ outboundEmailId: string | null; skipped?: string }> {
  const c = (
    await tx.query<{ number: number; subject: string; channel: string; reply_token: string; customer_id: string; account_name: string }>(
      `SELECT c.number, c.subject, c.channel, c.reply_token, c.customer_id, a.name AS account_name
         FROM conversations c JOIN accounts a ON a.id = c.account_id WHERE c.id = $1 AND c.account_id = $2`,
      [d.conversationId, d.accountId],
    )
  ).rows[0];
  if (!c) return { outboundEmailId: null, skipped: 'no conversation' };
  if (!EMAIL_REPLY_CHANNELS.includes(c.channel)) return { outboundEmailId: null, skipped: `channel ${c.channel}` };
  const m = (
    await tx.query<{ kind: string; direction: string | null; text: string; html: string | null; agent_name: string | null }>(
      `SELECT m.kind, m.direction, m.text, m.html, u.name AS agent_name
         FROM messages m LEFT JOIN users u ON u.id = m.author_user_id WHERE m.id = $1 AND m.conversation_id = $2`,
      [d.messageId, d.conversationId],
    )
  ).rows[0];
  if (m?.kind !== 'message' || m.direction !== 'outbound') return { outboundEmailId: null, skipped: 'not an outbound message' };

  // The customer's latest message decides whether an automatic answer may go out: never to automatic mail (robots,
  // lists, bulk, bounces), so two robots never answer each other.
  if (d.automatic) {
    const last = (
      await tx.query<{ automatic: boolean; auto_kind: string | null }>(
        `SELECT m.automatic, e.auto_kind FROM messages m LEFT JOIN email_messages e ON e.message_id = m.id
          WHERE m.conversation_id = $1 AND m.direction = 'inbound' AND m.kind = 'message'
          ORDER BY m.created_at DESC, m.id DESC LIMIT 1`,
        [d.conversationId],
      )
    ).rows[0];
    if (last && (last.auto_kind || last.automatic)) return { outboundEmailId: null, skipped: `automatic answer to automatic mail (${last.auto_kind ?? 'automatic'})` };
  }

  // The mail this one answers: the customer's latest email written by a person (else the latest at all).
  const parent = (
    await tx.query<{ rfc_message_id: string; references: string[]; from_address: string | null; mailbox_id: string | null }>(
      `SELECT rfc_message_id, "references", from_address, mailbox_id FROM email_messages
        WHERE conversation_id = $1 AND message_id IS NOT NULL AND auto_kind IS DISTINCT FROM 'bounce'
        ORDER BY (auto_kind IS NULL) DESC, received_at DESC LIMIT 1`,
      [d.conversationId],
    )
  ).rows[0];

  const to = (
    await tx.query<{ value: string }>(
      `SELECT value FROM customer_identities WHERE customer_id = $1 AND kind = 'email' AND bounced_at IS NULL
        ORDER BY (value = $2) DESC, created_at, value LIMIT 1`,
      [c.customer_id, parent?.from_address?.toLowerCase() ?? null],
    )
  ).rows[0]?.value;
  if (!to) return { outboundEmailId: null, skipped: 'no email address that has not bounced' };

  // From: the mailbox the answered mail came to, else the conversation's first, else its queue's, else the account's first.
  const mailbox = await senderMailbox(tx, d.accountId, d.conversationId, parent?.mailbox_id ?? null);
  const team = mailbox?.name || c.account_name;
  const display = !d.automatic && m.agent_name ? `${m.agent_name} (${team})` : team;
  const from = mailbox ? formatAddress(display, mailbox.address) : null;
  const domain = mailbox ? domainOf(mailbox.address) : null;

  // Threading: In-Reply-To the parent; References its chain plus it. Without an inbound email (web form, chat that
  // moved to email) our own earlier mails of the conversation form the chain.
  const earlier = (
    await tx.query<{ rfc_message_id: string }>(
      `SELECT rfc_message_id FROM email_message_ids WHERE conversation_id = $1 AND direction = 'outbound' ORDER BY created_at, rfc_message_id`,
      [d.conversationId],
    )
  ).rows.map((r) => r.rfc_message_id);
  const chain = parent ? [...(parent.references ?? []), parent.rfc_message_id] : earlier;
  const references = capReferences(chain);
  const inReplyTo = parent?.rfc_message_id ?? earlier[earlier.length - 1] ?? null;

  const messageId = newMessageId(domain);
  const headers: Record<string, string | string[]> = { 'Message-ID': messageId };
  if (inReplyTo) headers['In-Reply-To'] = inReplyTo;
  if (references.length) headers.References = references;
  if (mailbox) headers['Reply-To'] = formatAddress(team, `reply+${c.reply_token}@${domain}`);
  if (d.automatic) {
    headers['Auto-Submitted'] = 'auto-replied';
    headers['X-Auto-Response-Suppress'] = 'All';
  }
  await recordOutboundMessageId(tx, { accountId: d.accountId, rfcMessageId: messageId, conversationId: d.conversationId, messageId: d.messageId });
  const id = await enqueueEmail(tx, {
    accountId: d.accountId,
    kind: 'reply',
    to: [to],
    subject: replySubject(c.subject, c.number),
    text: m.text,
    html: m.html,
    from,
    conversationId: d.conversationId,
    messageId: d.messageId,
    headers,
  });
  return { outboundEmailId: id };
}
