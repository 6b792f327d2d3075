import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { who } from '../../server/auth.js';
import { IdParams } from '../../server/schemas.js';
import * as S from './webhooks.schemas.js';
import * as svc from './webhooks.service.js';

const webhookRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const ctx = app.ctx;
  const tags = ['webhooks'];
  app.get('/webhooks', { schema: { tags, summary: 'Webhooks (admin)', response: { 200: S.WebhookList } } }, async (req) => ({
    items: await svc.listWebhooks(ctx, who(req)),
    events: [...svc.WEBHOOK_EVENTS],
  }));
  app.post('/webhooks', {
    schema: {
      tags,
      summary: 'Create a signed webhook (admin); the answer shows the signing secret once',
      body: S.WebhookBody,
      response: { 201: S.NewWebhook },
    },
  }, async (req, reply) => reply.code(201).send(await svc.createWebhook(ctx, who(req), req.body)));
  app.delete('/webhooks/:id', { schema: { tags, summary: 'Delete a webhook (admin)', params: IdParams, response: { 204: Type.Null() } } }, async (req, reply) => {
    await svc.deleteWebhook(ctx, who(req), req.params.id);
    return reply.code(204).send(null);
  });
  app.get('/webhooks/:id/deliveries', { schema: { tags, summary: 'Recent deliveries and their outcome (admin)', params: IdParams, response: { 200: S.WebhookDeliveryList } } }, async (req) => ({
    items: await svc.listDeliveries(ctx, who(req), req.params.id),
  }));
};
export default webhookRoutes;
