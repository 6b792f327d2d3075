/** Webhooks: signed HTTP callbacks for conversation events, delivered by the `webhook.deliver` job with retries. */
import type { EarshotModule } from '../module.js';
import routes from './webhooks.routes.js';
import { deliverWebhook } from './webhooks.service.js';

const module: EarshotModule = {
  name: 'webhooks',
  tables: ['webhooks', 'webhook_deliveries'],
  routes,
  jobs(runner, ctx) {
    runner.on('webhook.deliver', (payload, job, signal) => deliverWebhook(ctx, payload, job.attempts, job.max_attempts, signal));
  },
};
export default module;
