/**
 * Outgoing email. `enqueueEmail` is called inside the transaction that causes the mail (an agent's reply, a portal
 * sign-in link): it writes an `outbound_emails` row and an `email.send` job, so the mail leaves only after its cause
 * committed. The job handler (registered by the email channel) sends it through SMTP_OUTBOUND_URL with retries.
 */
import type { Tx } from '../../../platform/context.js';
import { enqueue } from '../../../platform/jobs.js';

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

/** Queues one email; returns the outbound_emails id. Sent by the `email.send` job after commit. */
export async function enqueueEmail(tx: Tx, m: OutgoingEmail): Promise<string> {
  const r = await tx.query<{ id: string }>(
    `INSERT INTO outbound_emails (account_id, kind, conversation_id, message_id, from_address, to_addresses, subject,
                                  text_body, html_body, headers)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
    [m.accountId, m.kind, m.conversationId ?? null, m.messageId ?? null, m.from ?? null, m.to, m.subject, m.text,
     m.html ?? null, JSON.stringify(m.headers ?? {})],
  );
  const id = r.rows[0].id;
  await enqueue(tx, 'email.send', { outboundEmailId: id }, { maxAttempts: 10 });
  return id;
}
