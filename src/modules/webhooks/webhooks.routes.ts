import { Type } from 'typebox';
import type { App } from '../../server/types.js';
import { who } from '../../server/auth.js';
import { IdParams } from '../../server/schemas.js';
import * as svc from './webhooks.service.js';

export default async function webhookRoutes(app: App) {
  const ctx = app.ctx;
  const tags = ['webhooks'];
  app.get('/webhooks', { schema: { tags, summary: 'Webhooks (admin)' } }, async (req) => ({ items: await svc.listWebhooks(ctx, who(req)), events: svc.WEBHOOK_EVENTS }));
  app.post('/webhooks', {
    schema: {
      tags,
      summary: 'Create a signed webhook (admin); the answer shows the signing secret once',
      body: Type.Object({ url: Type.String({ minLength: 8, maxLength: 2000 }), events: Type.Array(Type.String(), { minItems: 1 }), secret: Type.Optional(Type.String({ minLength: 16 })) }, { additionalProperties: false }),
    },
  }, async (req, reply) => reply.code(201).send(await svc.createWebhook(ctx, who(req), req.body)));
  app.delete('/webhooks/:id', { schema: { tags, summary: 'Delete a webhook (admin)', params: IdParams } }, async (req, reply) => {
    await svc.deleteWebhook(ctx, who(req), req.params.id);
    return reply.code(204).send();
  });
  app.get('/webhooks/:id/deliveries', { schema: { tags, summary: 'Recent deliveries and their outcome (admin)', params: IdParams } }, async (req) => ({
    items: await svc.listDeliveries(ctx, who(req), req.params.id),
  }));
}
