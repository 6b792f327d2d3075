/** Voice routes under /api/v1: the CTI webhook, callbacks, and a queue's callback policy. */
import { Type } from 'typebox';
import { CallbackList, CallbackPolicy, CallbackWithAttempts, CtiResult } from './voice.schemas.js';
import type { App } from '../../../server/types.js';
import { who } from '../../../server/auth.js';
import { requireCap } from '../../../platform/context.js';
import { IdParams } from '../../../server/schemas.js';
import * as callbacks from './callbacks.js';
import { ingestCti } from './cti.js';
import { setCallbackPolicy } from '../../queues/index.js';

export default async function voiceRoutes(app: App) {
  const ctx = app.ctx;
  app.post('/voice/events', {
    schema: {
      tags: ['voice'],
      summary: 'CTI webhook: call events from a telephony system (supervisor, admin token); all or nothing, idempotent by (callId, type, at)',
      description:
        'An array of `{callId, type, at, from?, queue?, agent?, data?}`. Types: call.started, ivr.entered, ivr.left, queue.entered, ' +
        'agent.ringing, call.answered, call.abandoned, call.transferred, call.ended, callback.requested (or the contact-event ' +
        'vocabulary names contact.arrived, agent.offered, contact.answered, contact.abandoned, contact.transferred, contact.resolved). ' +
        'A bad item is answered 400 naming its index and field, and nothing of the request is stored.',
      body: Type.Array(Type.Unknown(), { minItems: 1, maxItems: 10_000 }),
      response: { 201: CtiResult },
    },
  }, async (req, reply) => reply.code(201).send(await ingestCti(ctx, who(req), req.body as unknown[])));

  app.get('/callbacks', {
    schema: {
      tags: ['voice'],
      summary: 'Callbacks owed to callers, earliest due first',
      querystring: Type.Object({
        status: Type.Optional(Type.Union([...callbacks.CALLBACK_STATUSES, 'all'].map((s) => Type.Literal(s)))),
        queue: Type.Optional(Type.String({ description: 'queue id or name' })),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
      }),
      response: { 200: CallbackList },
    },
  }, async (req) => ({ items: await callbacks.listCallbacks(ctx, who(req), req.query) }));

  app.get('/callbacks/:id', { schema: { tags: ['voice'], summary: 'One callback with its attempts', params: IdParams, response: { 200: CallbackWithAttempts } } }, async (req) =>
    callbacks.getCallback(ctx, who(req), req.params.id));

  app.post('/callbacks/:id/attempts', {
    schema: {
      tags: ['voice'],
      summary: 'Record an attempt to call back: reached closes it, failed attempts keep it open up to the queue maximum',
      params: IdParams,
      body: Type.Object({
        outcome: Type.Union(callbacks.CALLBACK_OUTCOMES.map((o) => Type.Literal(o))),
        note: Type.Optional(Type.String({ maxLength: 2000 })),
      }, { additionalProperties: false }),
      response: { 201: CallbackWithAttempts },
    },
  }, async (req, reply) => reply.code(201).send(await callbacks.attemptCallback(ctx, who(req), req.params.id, req.body)));

  app.post('/callbacks/:id/cancel', {
    schema: {
      tags: ['voice'],
      summary: 'Cancel an open callback (supervisor, admin)',
      params: IdParams,
      body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false }),
      response: { 200: CallbackWithAttempts },
    },
  }, async (req) => callbacks.cancelCallback(ctx, who(req), req.params.id, req.body.reason));

  app.patch('/queues/:id/callback-policy', {
    schema: {
      tags: ['voice'],
      summary: "A queue's callback SLA (minutes, business minutes when the queue has hours) and attempts before giving up",
      params: IdParams,
      body: Type.Object({
        slaMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
        maxAttempts: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
      }, { additionalProperties: false }),
      response: { 200: CallbackPolicy },
    },
  }, async (req) => {
    requireCap(who(req), 'manage');
    return setCallbackPolicy(ctx, who(req), req.params.id, req.body);
  });
}
