/**
 * `GET /api/v1/conversations/:id/emails`: the outbound emails of a conversation with their delivery status;
 * `GET|PUT /api/v1/mailboxes/:id/settings`: a mailbox's outbound settings (auto-acknowledgement).
 */
import { Type } from 'typebox';
import { MailboxSettings, OutboundEmailList, type OutboundEmail } from './email.schemas.js';
import type { App } from '../../../server/types.js';
import { who } from '../../../server/auth.js';
import { IdParams } from '../../../server/schemas.js';
import type { Ctx, Principal } from '../../../platform/context.js';
import { requireCap } from '../../../platform/context.js';
import { isUuid, notFound } from '../../../platform/errors.js';
import { getMailboxSettings, setMailboxSettings } from './outbound-ack.js';

export async function listConversationEmails(ctx: Ctx, p: Principal, conversationId: string) {
  requireCap(p, 'conversations');
  if (!isUuid(conversationId)) throw notFound('Conversation');
  const c = await ctx.db.query('SELECT 1 FROM conversations WHERE account_id = $1 AND id = $2', [p.accountId, conversationId]);
  if (!c.rows[0]) throw notFound('Conversation');
  const r = await ctx.db.query<OutboundEmail>(
    `SELECT id, kind, message_id AS "messageId", status, from_address AS "from", to_addresses AS "to", subject,
            headers->>'Message-ID' AS "rfcMessageId", headers->>'In-Reply-To' AS "inReplyTo", attempts,
            last_error AS "lastError", next_attempt_at AS "nextAttemptAt", created_at AS "createdAt", sent_at AS "sentAt"
       FROM outbound_emails WHERE account_id = $1 AND conversation_id = $2 ORDER BY created_at, id`,
    [p.accountId, conversationId],
  );
  return { items: r.rows };
}

export default async function outboundRoutes(app: App) {
  const ctx = app.ctx;
  app.get('/conversations/:id/emails', {
    schema: {
      tags: ['email'],
      summary: "A conversation's outbound emails with their delivery status (queued, sent, failed), attempts and last error",
      params: IdParams,
      response: { 200: OutboundEmailList },
    },
  }, async (req) => listConversationEmails(ctx, who(req), req.params.id));

  app.get('/mailboxes/:id/settings', {
    schema: { tags: ['email'], summary: "A mailbox's outbound settings: autoAck (confirm new customer emails automatically; off by default)", params: IdParams, response: { 200: MailboxSettings } },
  }, async (req) => getMailboxSettings(ctx, who(req), req.params.id));
  app.put('/mailboxes/:id/settings', {
    schema: {
      tags: ['email'],
      summary: "Change a mailbox's outbound settings (admin)",
      params: IdParams,
      body: Type.Object({ autoAck: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
      response: { 200: MailboxSettings },
    },
  }, async (req) => setMailboxSettings(ctx, who(req), req.params.id, req.body));
}
