import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { who } from '../../server/auth.js';
import { requireCap } from '../../platform/context.js';
import { isUuid, notFound } from '../../platform/errors.js';
import * as svc from './events.service.js';
import { type ContactEvent, ContactEventList, IngestResult } from './events.schemas.js';

const eventRoutes: FastifyPluginAsyncTypebox = async (app) => {
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
      response: { 201: IngestResult },
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
      response: { 200: ContactEventList },
    },
  }, async (req) => {
    const p = who(req);
    requireCap(p, 'reports');
    const q = req.query;
    const filter = { conversationId: q.conversation, contactId: q.contact, customerId: q.customer, type: q.type, after: q.after, limit: q.limit ?? 200 };
    return { items: (await svc.listEvents(ctx, p, filter)) as ContactEvent[] };
  });

  app.get('/conversations/:id/events', {
    schema: {
      tags: ['conversations'],
      summary: 'The contact events of one conversation (its history)',
      params: Type.Object({ id: Type.String() }),
      response: { 200: ContactEventList },
    },
  }, async (req) => {
    const p = who(req);
    requireCap(p, 'conversations');
    if (!isUuid(req.params.id)) throw notFound('Conversation');
    const own = await ctx.db.query('SELECT 1 FROM conversations WHERE account_id = $1 AND id = $2', [p.accountId, req.params.id]);
    if (!own.rows.length) throw notFound('Conversation');
    return { items: (await svc.listEvents(ctx, p, { conversationId: req.params.id, limit: 1000 })) as ContactEvent[] };
  });
};
export default eventRoutes;
