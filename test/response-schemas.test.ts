/**
 * Response schemas (issue 14, the fuzz suite's checks): every /api/v1 operation documents its error answers with the
 * shared schema, and the success schemas given so far serialize without losing a field (Fastify response schemas
 * also serialize and would drop unknown properties, or turn a null into "" under a plain string type).
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { setup, convBody, type TestEnv } from './helpers.js';
import { openapi, operations } from './openapi-helpers.js';
import { systemPrincipal } from '../src/platform/context.js';
import * as conversations from '../src/modules/conversations/index.js';
import * as queues from '../src/modules/queues/queues.service.js';

let env: TestEnv;
before(async () => {
  env = await setup();
});
after(() => env.close());

test('every /api/v1 operation documents its 4xx and 5xx answers with the shared error schema', async () => {
  const ops = operations(await openapi(env)).filter((o) => o.path.startsWith('/api/v1/'));
  assert.ok(ops.length >= 150);
  const missing = ops.filter((o) => !['4XX', '5XX'].every((k) => o.op.responses?.[k]?.content?.['application/json']?.schema?.properties?.error));
  assert.deepEqual(missing.map((o) => `${o.method} ${o.path}`), []);
  // Error answers keep their details (a 409 names the newest message) and match the schema's shape.
  const r = await env.req('POST', '/api/v1/queues', { body: { name: 5 } });
  assert.equal(r.status, 400);
  assert.deepEqual(Object.keys(r.json.error).sort(), ['code', 'detail', 'field', 'message']);
});

/** JSON as the service returns it (dates as ISO strings), for comparison with the API's answer. */
const plain = (x: unknown) => JSON.parse(JSON.stringify(x));

test('conversation and queue answers are exactly what the services return: no field dropped, no null turned into ""', async () => {
  const q = await env.req('POST', '/api/v1/queues', { body: { name: 'Support', timezone: 'Europe/Oslo' } });
  assert.equal(q.status, 201, q.body);
  const sys = systemPrincipal(env.accountId);
  assert.deepEqual(q.json, plain(await queues.getQueue(env.ctx, sys, q.json.id)));
  assert.deepEqual((await env.req('GET', `/api/v1/queues/${q.json.id}`)).json, plain(await queues.getQueue(env.ctx, sys, q.json.id)));
  assert.deepEqual((await env.req('GET', '/api/v1/queues')).json.items, plain(await queues.listQueues(env.ctx, sys)));

  const c = await env.req('POST', '/api/v1/conversations', { body: convBody({ queueId: q.json.id, tags: ['vip'], customFields: { order: { id: 'A-1' }, n: 3 } }) });
  assert.equal(c.status, 201, c.body);
  assert.equal(c.json.subject, 'My order has not arrived');
  const full = await env.req('GET', `/api/v1/conversations/${c.json.id}`);
  assert.deepEqual(full.json, plain(await conversations.getConversation(env.ctx, sys, c.json.id)));
  assert.ok(full.json.messages.length >= 1 && full.json.customer && full.json.sla, 'nested parts pass through');
  const patched = await env.req('PATCH', `/api/v1/conversations/${c.json.id}`, { body: { assigneeId: null, queueId: null } });
  assert.equal(patched.json.queueId, null);
  assert.equal(patched.json.assigneeId, null);
  const list = await env.req('GET', '/api/v1/conversations');
  const raw = plain(await conversations.listConversations(env.ctx, sys, { limit: 50, offset: 0 } as any));
  assert.deepEqual(list.json.items, raw.items);
  assert.equal(list.json.total, raw.total);
  assert.equal(list.json.view, raw.view);
});

test('user, team, macro and customer answers are exactly what the services return', async () => {
  const sys = systemPrincipal(env.accountId);
  const accounts = await import('../src/modules/accounts/accounts.service.js');
  const macros = await import('../src/modules/macros/macros.service.js');
  const customers = await import('../src/modules/customers/customers.service.js');
  const u = await env.req('POST', '/api/v1/users', { body: { email: 'mia@acme.test', name: 'Mia', role: 'agent', timezone: 'Europe/Berlin' } });
  assert.equal(u.status, 201, u.body);
  assert.deepEqual((await env.req('GET', `/api/v1/users/${u.json.id}`)).json, plain(await accounts.getUser(env.ctx, sys, u.json.id)));
  const changed = await env.req('PATCH', `/api/v1/users/${u.json.id}`, { body: { capacity: 3, locale: 'de' } });
  assert.equal(changed.status, 200, changed.body);
  assert.deepEqual(changed.json, plain(await accounts.getUser(env.ctx, sys, u.json.id)));
  assert.deepEqual((await env.req('GET', '/api/v1/users')).json.items, plain(await accounts.listUsers(env.ctx, sys)));
  const t = await env.req('POST', '/api/v1/teams', { body: { name: 'Billing' } });
  assert.equal(t.status, 201, t.body);
  assert.deepEqual((await env.req('GET', '/api/v1/teams')).json.items, plain(await accounts.listTeams(env.ctx, sys)));
  const m = await env.req('POST', '/api/v1/macros', { body: { name: 'Thanks', body: 'Thank you', language: 'de', actions: { status: 'solved', addTags: ['done'] } } });
  assert.equal(m.status, 201, m.body);
  const mp = await env.req('PATCH', `/api/v1/macros/${m.json.id}`, { body: { language: null } });
  assert.equal(mp.json.language, null);
  const ml = await env.req('GET', '/api/v1/macros');
  assert.deepEqual(ml.json.items, plain(await macros.listMacros(env.ctx, sys)));
  assert.deepEqual(ml.json.placeholders, macros.PLACEHOLDERS);
  const c = await env.req('POST', '/api/v1/customers', { body: { name: 'Per', email: 'per@example.com', phone: '+4799999999' } });
  assert.equal(c.status, 201, c.body);
  assert.deepEqual((await env.req('GET', `/api/v1/customers/${c.json.id}`)).json, plain(await customers.getCustomer(env.ctx, sys, c.json.id)));
  assert.deepEqual((await env.req('GET', '/api/v1/customers')).json.items, plain(await customers.listCustomers(env.ctx, sys, { limit: 50, offset: 0 })));
});

test('account and SLA policy answers are exactly what the services return (null minutes stay null)', async () => {
  const sys = systemPrincipal(env.accountId);
  const accounts = await import('../src/modules/accounts/accounts.service.js');
  const a = await env.req('PATCH', '/api/v1/account', { body: { name: 'Acme Outdoor', timezone: 'Europe/Oslo' } });
  assert.equal(a.status, 200, a.body);
  assert.deepEqual(a.json, plain(await accounts.getAccount(env.ctx, sys)));
  assert.deepEqual((await env.req('GET', '/api/v1/account')).json, plain(await accounts.getAccount(env.ctx, sys)));
  const s = await env.req('POST', '/api/v1/sla-policies', { body: { name: 'Gold', firstReplyMinutes: 30, resolutionMinutes: null } });
  assert.equal(s.status, 201, s.body);
  assert.equal(s.json.resolutionMinutes, null);
  assert.equal(s.json.nextReplyMinutes, null);
  assert.deepEqual((await env.req('GET', '/api/v1/sla-policies')).json.items, plain(await queues.listSlaPolicies(env.ctx, sys)));
});
