import { Type } from 'typebox';
import type { App } from '../../server/types.js';
import { who } from '../../server/auth.js';
import { IdParams, Items, NullableString, SlaPolicyOut, UuidOrNull } from '../../server/schemas.js';
import * as svc from './queues.service.js';

const Span = Type.Tuple([Type.String(), Type.String()]);
const BusinessHours = Type.Object({
  week: Type.Record(Type.String(), Type.Array(Span)),
  holidays: Type.Optional(Type.Array(Type.String())),
}, { description: '{"week":{"mon":[["09:00","17:00"]]},"holidays":["2026-12-24"]}' });
const Assignment = Type.Union([Type.Literal('manual'), Type.Literal('round_robin'), Type.Literal('load')]);
const QueueFields = {
  timezone: Type.Optional(Type.String()),
  businessHours: Type.Optional(Type.Union([BusinessHours, Type.Null()])),
  teamId: Type.Optional(UuidOrNull()),
  assignment: Type.Optional(Assignment),
  slaPolicyId: Type.Optional(UuidOrNull()),
};

/** A queue as the API answers it; further fields (createdAt, businessHours) pass through (never dropped). */
const QueueOut = Type.Unsafe<any>(Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    name: Type.String(),
    timezone: Type.String(),
    teamId: NullableString,
    assignment: Type.String(),
    slaPolicyId: NullableString,
    callbackSlaMinutes: Type.Integer(),
    callbackMaxAttempts: Type.Integer(),
  },
  { additionalProperties: true },
));

export default async function queueRoutes(app: App) {
  const ctx = app.ctx;
  app.get('/queues', { schema: { tags: ['queues'], summary: 'Queues', response: { 200: Type.Object({ items: Type.Array(QueueOut) }, { additionalProperties: true }) } } }, async (req) => ({ items: await svc.listQueues(ctx, who(req)) }));
  app.post('/queues', {
    schema: {
      tags: ['queues'],
      summary: 'Create a queue (supervisor, admin)',
      body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }), ...QueueFields }, { additionalProperties: false }),
      response: { 201: QueueOut },
    },
  }, async (req, reply) => reply.code(201).send(await svc.createQueue(ctx, who(req), req.body as any)));
  app.get('/queues/:id', { schema: { tags: ['queues'], summary: 'One queue', params: IdParams, response: { 200: QueueOut } } }, async (req) => {
    const p = who(req);
    return svc.getQueue(ctx, p, req.params.id);
  });
  app.patch('/queues/:id', {
    schema: {
      tags: ['queues'],
      summary: 'Change a queue (supervisor, admin)',
      params: IdParams,
      body: Type.Object({ name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), ...QueueFields }, { additionalProperties: false }),
      response: { 200: QueueOut },
    },
  }, async (req) => svc.updateQueue(ctx, who(req), req.params.id, req.body as any));

  app.get('/sla-policies', { schema: { tags: ['sla'], response: { 200: Items(SlaPolicyOut) }, summary: 'SLA policies' } }, async (req) => ({ items: await svc.listSlaPolicies(ctx, who(req)) }));
  app.post('/sla-policies', {
    schema: {
      tags: ['sla'],
      response: { 201: SlaPolicyOut }, summary: 'Create an SLA policy (supervisor, admin); attach it to queues',
      body: Type.Object({
        name: Type.String({ minLength: 1, maxLength: 200 }),
        firstReplyMinutes: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])),
        nextReplyMinutes: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])),
        resolutionMinutes: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])),
        businessHours: Type.Optional(Type.Boolean({ description: 'count only the queue’s business hours (default true)' })),
      }, { additionalProperties: false }),
    },
  }, async (req, reply) => reply.code(201).send(await svc.createSlaPolicy(ctx, who(req), req.body as any)));
}
