/**
 * Outgoing email. `enqueueEmail` is called inside the transaction that causes the mail (an agent's reply, a portal
 * sign-in link): it writes an `outbound_emails` row and an `email.send` job, so the mail leaves only after its cause
 * committed. The job handler (registered by the email channel) sends it through SMTP_OUTBOUND_URL with retries.
 */
import { randomUUID } from 'node:crypto';
import type { Tx } from '../../../platform/context.js';
import { cancelQueuedJobs, enqueue } from '../../../platform/jobs.js';
import { OWN_DOMAIN } from './mailboxes.service.js';

export interface OutgoingEmail {
  accountId: string;
  kind: 'reply' | 'system';
  to: string[];
  subject: string;
  text: string;
  html?: string | null;
  from?: string | null;
  conversationId?: string | null;
  messageId?: string | null;
  headers?: Record<string, string | string[]>;
}

/** The address part of `Name <a@b>` or `a@b`. */
export function bareAddress(a: string): string {
  const m = /<([^<>]+)>\s*$/.exec(a);
  return (m ? m[1] : a).trim().toLowerCase();
}

/** The domain of an address (`Name <a@b.test>` → b.test). */
export function domainOf(a: string | null | undefined): string | null {
  if (!a) return null;
  const b = bareAddress(a);
  const at = b.lastIndexOf('@');
  return at > 0 ? b.slice(at + 1) : null;
}

/** A new Message-ID on the sender's domain: <uuid@domain>. */
export const newMessageId = (domain: string | null) => `<${randomUUID()}@${domain || 'earshot.invalid'}>`;

/**
 * The mailbox that speaks for a conversation (issue 13: an English customer in "Support EN" was answered from the
 * German mailbox, the account's first): the mailbox named (`preferred`, the one the mail being answered came to), else
 * the first mailbox the customer wrote to in this conversation, else a mailbox of the conversation's queue, else the
 * account's first mailbox. Null when the account has no mailbox. A mailbox in a domain another account holds never
 * speaks (issue 14 item 1: it would send as that account).
 */
export async function senderMailbox(
  tx: Tx,
  accountId: string,
  conversationId: string | null | undefined,
  preferred: string | null = null,
): Promise<{ id: string; address: string; name: string } | null> {
  const r = await tx.query<{ id: string; address: string; name: string }>(
    `SELECT m.id, m.address, m.name FROM mailboxes m WHERE m.account_id = $1 AND ${OWN_DOMAIN('m')}
      ORDER BY coalesce(m.id = $2::uuid, false) DESC,
               coalesce(m.id = (SELECT e.mailbox_id FROM email_messages e WHERE e.conversation_id = $3::uuid AND e.mailbox_id IS NOT NULL
                                 ORDER BY e.received_at LIMIT 1), false) DESC,
               coalesce(m.queue_id = (SELECT c.queue_id FROM conversations c WHERE c.id = $3::uuid AND c.account_id = $1), false) DESC,
               m.created_at, m.address LIMIT 1`,
    [accountId, preferred, conversationId ?? null],
  );
  return r.rows[0] ?? null;
}

/** Records the Message-ID an outgoing reply carries, so the customer's answer to it threads onto the conversation. */
export async function recordOutboundMessageId(
  tx: Tx,
  m: { accountId: string; rfcMessageId: string; conversationId: string; messageId: string | null },
): Promise<void> {
  await tx.query(
    `INSERT INTO email_message_ids (account_id, rfc_message_id, conversation_id, message_id, direction)
     VALUES ($1, $2, $3, $4, 'outbound')`,
    [m.accountId, m.rfcMessageId, m.conversationId, m.messageId],
  );
}

/**
 * Queues one email; returns the outbound_emails id. Sent by the `email.send` job after commit. Without a `from`, the
 * conversation's mailbox sends it (`senderMailbox`: the one the customer wrote to, else its queue's, else the
 * account's first); the Message-ID is fixed here (unless given in `headers`), so a retried send carries the same one.
 */
export async function enqueueEmail(tx: Tx, m: OutgoingEmail): Promise<string> {
  if (!m.from) {
    const mb = await senderMailbox(tx, m.accountId, m.conversationId);
    if (mb) m = { ...m, from: formatAddress(mb.name, mb.address) };
  }
  const headers = { ...(m.headers ?? {}) };
  if (!Object.keys(headers).some((k) => k.toLowerCase() === 'message-id')) headers['Message-ID'] = newMessageId(domainOf(m.from));
  m = { ...m, headers };
  const r = await tx.query<{ id: string }>(
    `INSERT INTO outbound_emails (account_id, kind, conversation_id, message_id, from_address, to_addresses, subject,
                                  text_body, html_body, headers)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
    [m.accountId, m.kind, m.conversationId ?? null, m.messageId ?? null, m.from ?? null, m.to, m.subject, m.text,
     m.html ?? null, JSON.stringify(m.headers ?? {})],
  );
  const id = r.rows[0].id;
  // 30 attempts with the runner's backoff (10 s doubling to 1 h) keep trying for about a day, like an MTA.
  await enqueue(tx, 'email.send', { outboundEmailId: id }, { maxAttempts: 30 });
  return id;
}

/**
 * Keeps queued mail from being sent (the demo's history, written to example.* addresses): the send jobs are dropped,
 * the rows stay, marked failed with `reason`. Without `only`, all of the account's queued mail; with it, the mail of
 * those conversations and the system mails whose text mentions `only.mentioning`.
 */
export async function holdQueuedEmails(tx: Tx, accountId: string, reason: string, only?: { conversationIds: string[]; mentioning?: string }) {
  const held = `SELECT id FROM outbound_emails WHERE account_id = $1 AND status = 'queued'
                   AND ($2::uuid[] IS NULL OR conversation_id = ANY($2::uuid[]) OR (kind = 'system' AND position($3::text in text_body) > 0))`;
  const args = [accountId, only?.conversationIds ?? null, only?.mentioning ?? null];
  const ids = (await tx.query<{ id: string }>(held, args)).rows.map((r) => r.id);
  await cancelQueuedJobs(tx, 'email.send', 'outboundEmailId', ids);
  await tx.query(`UPDATE outbound_emails SET status = 'failed', last_error = $2 WHERE id = ANY($1::uuid[])`, [ids, reason]);
}

/** `"Name" <address>` (quotes and backslashes dropped from the name), or the bare address without a name. */
export function formatAddress(name: string | null | undefined, address: string): string {
  const n = (name ?? '').replace(/["\\\r\n<>]/g, '').trim();
  return n ? `"${n}" <${address}>` : address;
}
