import { Type } from 'typebox';
import type { App } from '../../server/types.js';
import { who } from '../../server/auth.js';
import { requireCap } from '../../platform/context.js';
import { isUuid, notFound } from '../../platform/errors.js';
import * as svc from './events.service.js';

export default async function eventRoutes(app: App) {
  const ctx = app.ctx;
  const tags = ['contact events'];
  app.post('/contact-events', {
    schema: {
      tags,
      summary: 'Append contact events (telephony, other systems); validated as a batch, dedupeKey makes retries safe',
      body: Type.Object({
        events: Type.Array(Type.Object({
          contactId: Type.String({ minLength: 1, maxLength: 200 }),
          type: Type.String(),
          channel: Type.String(),
          occurredAt: Type.String({ format: 'date-time' }),
          customerId: Type.Optional(Type.String()),
          identity: Type.Optional(Type.String({ maxLength: 320 })),
          queueId: Type.Optional(Type.String()),
          agentId: Type.Optional(Type.String()),
          dedupeKey: Type.Optional(Type.String({ maxLength: 300 })),
          data: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
        }, { additionalProperties: false }), { minItems: 1, maxItems: 10_000 }),
      }, { additionalProperties: false }),
    },
  }, async (req, reply) => reply.code(201).send(await svc.ingestEvents(ctx, who(req), req.body.events)));

  app.get('/contact-events', {
    schema: {
      tags,
      summary: 'Read the contact event log (supervisor, leader, admin), oldest first; page with `after`',
      querystring: Type.Object({
        conversation: Type.Optional(Type.String()),
        contact: Type.Optional(Type.String()),
        customer: Type.Optional(Type.String()),
        type: Type.Optional(Type.String()),
        after: Type.Optional(Type.Integer({ minimum: 0 })),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 200 })),
      }),
    },
  }, async (req) => {
    const p = who(req);
    requireCap(p, 'reports');
    const q = req.query;
    return { items: await svc.listEvents(ctx, p, { conversationId: q.conversation, contactId: q.contact, customerId: q.customer, type: q.type, after: q.after, limit: q.limit ?? 200 }) };
  });

  app.get('/conversations/:id/events', {
    schema: { tags: ['conversations'], summary: 'The contact events of one conversation (its history)', params: Type.Object({ id: Type.String() }) },
  }, async (req) => {
    const p = who(req);
    requireCap(p, 'conversations');
    if (!isUuid(req.params.id)) throw notFound('Conversation');
    const own = await ctx.db.query('SELECT 1 FROM conversations WHERE account_id = $1 AND id = $2', [p.accountId, req.params.id]);
    if (!own.rows.length) throw notFound('Conversation');
    return { items: await svc.listEvents(ctx, p, { conversationId: req.params.id, limit: 1000 }) };
  });
}
