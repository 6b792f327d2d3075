/** Mailboxes (admin writes, 'manage' reads) and an inbound email's details (headers, quoted history, robot kind). */
import { Type } from 'typebox';
import { InboundEmail, Mailbox, MailboxList } from './email.schemas.js';
import type { App } from '../../../server/types.js';
import { who } from '../../../server/auth.js';
import { IdParams, UuidOrNull } from '../../../server/schemas.js';
import { requireCap } from '../../../platform/context.js';
import { isUuid, notFound } from '../../../platform/errors.js';
import * as svc from './mailboxes.service.js';

const OnClosed = Type.Union([Type.Literal('reopen'), Type.Literal('follow_up')], { description: 'what a reply to a closed conversation does' });

export default async function inboundEmailRoutes(app: App) {
  const ctx = app.ctx;
  const tags = ['email'];
  app.get('/mailboxes', { schema: { tags, summary: 'Mailboxes: addresses that receive email (manage)', response: { 200: MailboxList } } }, async (req) => ({ items: await svc.listMailboxes(ctx, who(req)) }));
  app.post('/mailboxes', {
    schema: {
      tags,
      summary: 'Add a mailbox (admin)',
      body: Type.Object({
        address: Type.String({ minLength: 3, maxLength: 254 }),
        name: Type.Optional(Type.String({ maxLength: 200 })),
        queueId: Type.Optional(UuidOrNull()),
        onClosed: Type.Optional(OnClosed),
      }, { additionalProperties: false }),
      response: { 201: Mailbox },
    },
  }, async (req, reply) => reply.code(201).send(await svc.createMailbox(ctx, who(req), req.body)));
  app.patch('/mailboxes/:id', {
    schema: {
      tags,
      summary: 'Change a mailbox (admin)',
      params: IdParams,
      body: Type.Object({
        address: Type.Optional(Type.String({ minLength: 3, maxLength: 254 })),
        name: Type.Optional(Type.String({ maxLength: 200 })),
        queueId: Type.Optional(UuidOrNull()),
        onClosed: Type.Optional(OnClosed),
      }, { additionalProperties: false }),
      response: { 200: Mailbox },
    },
  }, async (req) => svc.updateMailbox(ctx, who(req), req.params.id, req.body));
  app.delete('/mailboxes/:id', { schema: { tags, summary: 'Remove a mailbox (admin); its mail stays', params: IdParams, response: { 204: Type.Null() } } }, async (req, reply) => {
    await svc.deleteMailbox(ctx, who(req), req.params.id);
    return reply.code(204).send(null);
  });
  app.get('/messages/:id/email', {
    schema: { tags, summary: 'The email behind a message: headers, quoted history, robot kind, bounce report', params: IdParams, response: { 200: InboundEmail } },
  }, async (req) => {
    const p = who(req);
    requireCap(p, 'conversations');
    if (!isUuid(req.params.id)) throw notFound('Email');
    const r = await ctx.db.query<InboundEmail>(
      `SELECT id, mailbox_id AS "mailboxId", conversation_id AS "conversationId", message_id AS "messageId", source,
              rfc_message_id AS "rfcMessageId", in_reply_to AS "inReplyTo", "references", from_address AS "from",
              from_name AS "fromName", to_addresses AS "to", cc_addresses AS "cc", subject, date_header AS "date",
              auto_kind AS "autoKind", threaded_by AS "threadedBy", quoted_text AS "quotedText", bounce, raw_size AS "rawSize",
              received_at AS "receivedAt"
         FROM email_messages WHERE account_id = $1 AND message_id = $2`,
      [p.accountId, req.params.id],
    );
    if (!r.rows[0]) throw notFound('Email');
    return r.rows[0];
  });
}
