

export { emitWebhook, type WebhookEvent } from './webhooks.service.js';

