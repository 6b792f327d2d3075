import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { who } from '../../server/auth.js';
import { IdParams, Paging } from '../../server/schemas.js';
import * as svc from './customers.service.js';
import { Customer, CustomerList, CustomerTimeline } from './customers.schemas.js';

const CustomerBody = Type.Object({
  name: Type.Optional(Type.String({ maxLength: 200 })),
  email: Type.Optional(Type.String({ format: 'email' })),
  phone: Type.Optional(Type.String({ maxLength: 40 })),
  externalId: Type.Optional(Type.String({ maxLength: 200 })),
  chatVisitorId: Type.Optional(Type.String({ maxLength: 200 })),
  language: Type.Optional(Type.String({ maxLength: 10 })),
}, { additionalProperties: false });

const customerRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const ctx = app.ctx;
  const tags = ['customers'];
  app.get('/customers', {
    schema: { tags, response: { 200: CustomerList }, summary: 'List or find customers by name or identity', querystring: Type.Object({ q: Type.Optional(Type.String()), ...Paging }) },
  }, async (req) => ({ items: (await svc.listCustomers(ctx, who(req), { q: req.query.q, limit: req.query.limit ?? 50, offset: req.query.offset ?? 0 })) as Customer[] }));
  app.post('/customers', { schema: { tags, response: { 201: Customer }, summary: 'Create a customer', body: CustomerBody } }, async (req, reply) =>
    reply.code(201).send((await svc.createCustomer(ctx, who(req), req.body)) as Customer));
  app.get('/customers/:id', { schema: { tags, response: { 200: Customer }, summary: 'One customer with identities', params: IdParams } }, async (req) =>
    svc.getCustomer(ctx, who(req), req.params.id) as Promise<Customer>);
  app.get('/customers/:id/timeline', {
    schema: {
      tags,
      summary: "The customer's conversations (every channel), calls and callbacks, newest first, with queue, lived wait and outcome",
      params: IdParams,
      querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })) }),
      response: { 200: CustomerTimeline },
    },
  }, async (req) => svc.customerTimeline(ctx, who(req), req.params.id, req.query.limit ?? 100) as Promise<CustomerTimeline>);
  app.post('/customers/:id/identities', {
    schema: {
      tags,
      summary: 'Add an identity (email, phone, chat visitor, external id)',
      params: IdParams,
      body: Type.Object({
        kind: Type.Union(svc.IDENTITY_KINDS.map((k) => Type.Literal(k))),
        value: Type.String({ minLength: 1, maxLength: 320 }),
      }, { additionalProperties: false }),
      response: { 201: Customer },
    },
  }, async (req, reply) => reply.code(201).send((await svc.addIdentity(ctx, who(req), req.params.id, req.body.kind, req.body.value)) as Customer));
  app.post('/customers/:id/merge', {
    schema: {
      tags,
      summary: 'Merge this customer into another (supervisor, admin)',
      params: IdParams,
      body: Type.Object({ into: Type.String() }, { additionalProperties: false }),
      response: { 200: Customer },
    },
  }, async (req) => svc.mergeCustomers(ctx, who(req), req.params.id, req.body.into) as Promise<Customer>);
};
export default customerRoutes;
