import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { who } from '../../server/auth.js';
import { IdParams } from '../../server/schemas.js';
import * as S from './queues.schemas.js';
import * as svc from './queues.service.js';

const queueRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const ctx = app.ctx;
  app.get('/queues', { schema: { tags: ['queues'], summary: 'Queues', response: { 200: S.QueueList } } }, async (req) => ({ items: await svc.listQueues(ctx, who(req)) }));
  app.post('/queues', {
    schema: {
      tags: ['queues'],
      summary: 'Create a queue (supervisor, admin)',
      body: S.QueueBody,
      response: { 201: S.Queue },
    },
  }, async (req, reply) => reply.code(201).send(await svc.createQueue(ctx, who(req), req.body as svc.QueueInput & { name: string })));
  app.get('/queues/:id', { schema: { tags: ['queues'], summary: 'One queue', params: IdParams, response: { 200: S.Queue } } }, async (req) => {
    const p = who(req);
    return svc.getQueue(ctx, p, req.params.id);
  });
  app.patch('/queues/:id', {
    schema: {
      tags: ['queues'],
      summary: 'Change a queue (supervisor, admin)',
      params: IdParams,
      body: S.QueuePatch,
      response: { 200: S.Queue },
    },
  }, async (req) => svc.updateQueue(ctx, who(req), req.params.id, req.body as svc.QueueInput));

  app.get('/sla-policies', { schema: { tags: ['sla'], response: { 200: S.SlaPolicyList }, summary: 'SLA policies' } }, async (req) => ({ items: await svc.listSlaPolicies(ctx, who(req)) }));
  app.post('/sla-policies', {
    schema: {
      tags: ['sla'],
      response: { 201: S.SlaPolicy }, summary: 'Create an SLA policy (supervisor, admin); attach it to queues',
      body: S.SlaPolicyBody,
    },
  }, async (req, reply) => reply.code(201).send(await svc.createSlaPolicy(ctx, who(req), req.body as Omit<svc.SlaPolicy, 'id'>)));
};
export default queueRoutes;
