/**
 * Request and response schemas of the webhook routes. The response schemas list every field the service returns:
 * Fastify serializes with them, so a field left out here is dropped.
 */
import { Type } from 'typebox';
import { DateTime } from '../../server/schemas.js';

const closed = { additionalProperties: false } as const;
const Id = Type.String({ format: 'uuid' });
/**
 * A date-time in an answer. The services hand over Date objects, which the serializer writes as ISO strings; the
 * OpenAPI document (and so the web app's types) says string.
 */

export const WebhookBody = Type.Object({
  url: Type.String({ minLength: 8, maxLength: 2000 }),
  events: Type.Array(Type.String(), { minItems: 1 }),
  secret: Type.Optional(Type.String({ minLength: 16 })),
}, closed);

const WebhookFields = {
  id: Id,
  url: Type.String(),
  events: Type.Array(Type.String(), { description: 'the events it receives' }),
  active: Type.Boolean(),
  createdAt: DateTime(),
};
export const Webhook = Type.Object(WebhookFields, { ...closed, title: 'Webhook' });
/** The answer to creating a webhook: the only time the signing secret is shown. */
export const NewWebhook = Type.Object({ ...WebhookFields, secret: Type.String({ description: 'the signing secret; shown once' }) }, {
  ...closed,
  title: 'NewWebhook',
});
export const WebhookList = Type.Object({
  items: Type.Array(Webhook),
  events: Type.Array(Type.String(), { description: 'the events a webhook can receive' }),
}, { ...closed, title: 'WebhookList' });

export const WebhookDelivery = Type.Object({
  id: Id,
  event: Type.String(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed')]),
  attempts: Type.Integer(),
  responseStatus: Type.Union([Type.Integer(), Type.Null()], { description: 'the receiver’s last HTTP status' }),
  lastError: Type.Union([Type.String(), Type.Null()]),
  createdAt: DateTime(),
  deliveredAt: Type.Union([DateTime(), Type.Null()]),
}, { ...closed, title: 'WebhookDelivery' });
export const WebhookDeliveryList = Type.Object({ items: Type.Array(WebhookDelivery) }, { ...closed, title: 'WebhookDeliveryList' });
