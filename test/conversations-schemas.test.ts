/**
 * Response schemas of the conversation, customer, contact event, audit and realtime routes (issue 15 item 4): each
 * route declares closed shapes for its success answers, answers exactly what its service returns (the serializer drops
 * no field and turns no null into ""), and the answers hold what the inbox screens read.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { WebSocket } from 'ws';
import { Value } from 'typebox/value';
import { setup, convBody, type TestEnv } from './helpers.js';
import { openapi, operations, type Schema } from './openapi-helpers.js';
import { systemPrincipal } from '../src/platform/context.js';
import * as conversations from '../src/modules/conversations/index.js';
import * as customers from '../src/modules/customers/customers.service.js';
import { listEvents } from '../src/modules/events/events.service.js';
import { listAudit } from '../src/modules/audit/audit.service.js';
import { RealtimeMessage } from '../src/server/realtime.schemas.js';

let env: TestEnv;
before(async () => {
  env = await setup();
});
after(() => env.close());

/** JSON as the service returns it (dates as ISO strings), for comparison with the API's answer. */
const plain = (x: unknown) => JSON.parse(JSON.stringify(x));
const sys = () => systemPrincipal(env.accountId);
const ROUTES = [
  'POST /api/v1/conversations', 'GET /api/v1/conversations', 'GET /api/v1/conversations/counts', 'GET /api/v1/conversations/{id}',
  'PATCH /api/v1/conversations/{id}', 'POST /api/v1/conversations/{id}/replies', 'POST /api/v1/conversations/{id}/notes',
  'POST /api/v1/conversations/{id}/messages', 'POST /api/v1/conversations/{id}/assign', 'POST /api/v1/conversations/{id}/tags',
  'POST /api/v1/conversations/{id}/merge', 'POST /api/v1/conversations/{id}/split', 'POST /api/v1/conversations/{id}/viewing',
  'GET /api/v1/conversations/{id}/macros/{macroId}', 'POST /api/v1/conversations/{id}/macros/{macroId}', 'GET /api/v1/attachments/{id}',
  'GET /api/v1/customers', 'POST /api/v1/customers', 'GET /api/v1/customers/{id}', 'GET /api/v1/customers/{id}/timeline',
  'POST /api/v1/customers/{id}/identities', 'POST /api/v1/customers/{id}/merge',
  'POST /api/v1/contact-events', 'GET /api/v1/contact-events', 'GET /api/v1/conversations/{id}/events', 'GET /api/v1/audit',
  'GET /api/v1/realtime',
];

test('every conversation, customer, contact event, audit and realtime route declares success answers with content', async () => {
  const ops = operations(await openapi(env)).filter((o) => ROUTES.includes(`${o.method} ${o.path}`));
  assert.deepEqual(ops.map((o) => `${o.method} ${o.path}`).sort(), [...ROUTES].sort());
  const problems: string[] = [];
  for (const o of ops) {
    const name = `${o.method} ${o.path}`;
    const ok = Object.entries<Schema>(o.op.responses ?? {}).filter(([code]) => /^[12]\d\d$/.test(code));
    if (!ok.length) problems.push(`${name}: no success answer declared`);
    for (const [code, r] of ok) {
      const content = Object.entries<Schema>(r.content ?? {});
      if (!content.length && code !== '204') problems.push(`${name} ${code}: no content`);
      for (const [type, c] of content) {
        // Open objects are checked for every route in test/api-contract.test.ts.
        if (!c.schema || !Object.keys(c.schema).length) problems.push(`${name} ${code} ${type}: empty schema`);
      }
    }
  }
  assert.deepEqual(problems, []);
});

test('conversation answers are exactly what the service returns, with what the inbox shows', async () => {
  const q = await env.req('POST', '/api/v1/queues', { body: { name: 'Support' } });
  assert.equal(q.status, 201, q.body);
  const file = Buffer.from('order A-1');
  const c = await env.req('POST', '/api/v1/conversations', {
    body: convBody({
      queueId: q.json.id, tags: ['vip'], customFields: { order: { id: 'A-1' } },
      message: { text: 'Where is it?', attachments: [{ filename: 'order.txt', contentType: 'text/plain', contentBase64: file.toString('base64') }] },
    }),
  });
  assert.equal(c.status, 201, c.body);
  const id = c.json.id;
  // A breach (as the SLA job records it) so the nested list of breaches is serialized too.
  await env.db.query(
    `INSERT INTO sla_breaches (conversation_id, metric, due_at, breached_at, detected_at) VALUES ($1, 'first_reply', now(), now(), now())`,
    [id],
  );
  const read = async () => plain(await conversations.getConversation(env.ctx, sys(), id));
  const got = await env.req('GET', `/api/v1/conversations/${id}`);
  assert.deepEqual(got.json, await read());
  assert.deepEqual(got.json.sla.breached, ['first_reply']);
  assert.equal(got.json.sla.breaches[0].metric, 'first_reply');
  assert.deepEqual(got.json.customer.identities, [{ kind: 'email', value: 'anna@example.com' }]);
  const att = got.json.messages[0].attachments[0];
  assert.deepEqual([att.filename, att.contentType, att.size], ['order.txt', 'text/plain', file.length]);
  assert.equal(got.json.messages[0].hasQuoted, false);

  const download = await env.req('GET', `/api/v1/attachments/${att.id}`);
  assert.equal(download.status, 200);
  assert.equal(download.body, 'order A-1');

  for (const [path, body] of [['replies', { text: 'On its way.', status: 'pending' }], ['notes', { text: 'checked the carrier' }], ['messages', { text: 'Thanks!' }]] as const) {
    const m = await env.req('POST', `/api/v1/conversations/${id}/${path}`, { body });
    assert.equal(m.status, 201, m.body);
    assert.deepEqual(m.json, plain(await conversations.getMessage(env.ctx, sys(), m.json.id)));
    assert.equal(m.json.conversationId, id);
  }

  const patched = await env.req('PATCH', `/api/v1/conversations/${id}`, { body: { priority: 'high', queueId: null } });
  assert.equal(patched.status, 200, patched.body);
  assert.deepEqual(patched.json, await read());
  assert.equal(patched.json.queueId, null);
  const tagged = await env.req('POST', `/api/v1/conversations/${id}/tags`, { body: { add: ['refund'], remove: ['vip'] } });
  assert.deepEqual(tagged.json, await read());
  assert.deepEqual(tagged.json.tags, ['refund']);
  const assigned = await env.req('POST', `/api/v1/conversations/${id}/assign`, { body: { assigneeId: null } });
  assert.deepEqual(assigned.json, await read());

  const list = await env.req('GET', '/api/v1/conversations?view=open');
  assert.deepEqual(list.json, plain(await conversations.listConversations(env.ctx, sys(), { view: 'open', limit: 50, offset: 0 })));
  const row = list.json.items.find((r: any) => r.id === id);
  assert.deepEqual([row.preview, row.previewAuthorType, row.assigneeName, row.queueName], ['Thanks!', 'customer', null, null]);
  assert.deepEqual([list.json.view, list.json.sort], ['open', 'activity']);
  const counts = await env.req('GET', '/api/v1/conversations/counts');
  assert.deepEqual(counts.json, plain(await conversations.viewCounts(env.ctx, sys())));
  assert.equal(counts.json.views.mine, 0, 'an API token has no "mine"');

  const m = await env.req('POST', '/api/v1/macros', { body: { name: 'Done', body: 'Hi {{customer.first_name}}', actions: { addTags: ['macro'], priority: 'low' } } });
  assert.equal(m.status, 201, m.body);
  const preview = await env.req('GET', `/api/v1/conversations/${id}/macros/${m.json.id}`);
  assert.deepEqual(preview.json, { macroId: m.json.id, kind: 'reply', language: null, text: 'Hi Anna', actions: { addTags: ['macro'], priority: 'low' } });
  const applied = await env.req('POST', `/api/v1/conversations/${id}/macros/${m.json.id}`);
  assert.equal(applied.status, 201, applied.body);
  assert.deepEqual(applied.json.conversation, await read());
  assert.deepEqual(applied.json.message, plain(await conversations.getMessage(env.ctx, sys(), applied.json.message.id)));

  const split = await env.req('POST', `/api/v1/conversations/${id}/split`, { body: { messageIds: [applied.json.message.id] } });
  assert.equal(split.status, 201, split.body);
  assert.deepEqual(split.json, plain(await conversations.getConversation(env.ctx, sys(), split.json.id)));
  assert.equal(split.json.splitFrom, id);
  const merged = await env.req('POST', `/api/v1/conversations/${split.json.id}/merge`, { body: { into: id } });
  assert.equal(merged.status, 200, merged.body);
  assert.deepEqual(merged.json, await read());

  const events = await env.req('GET', `/api/v1/conversations/${id}/events`);
  assert.deepEqual(events.json.items, plain(await listEvents(env.ctx, sys(), { conversationId: id, limit: 1000 })));
  assert.ok(events.json.items.some((e: any) => e.type === 'conversation.priority_changed' && e.data.to === 'high'));
});

test('viewers: the answer lists the others as the conversation shows them', async () => {
  const cookies: string[] = [];
  for (const name of ['ann', 'bob']) {
    await env.req('POST', '/api/v1/users', { body: { email: `${name}@acme.test`, name, role: 'agent', password: 'long enough password' } });
    const login = await env.req('POST', '/api/v1/auth/login', { token: '', body: { email: `${name}@acme.test`, password: 'long enough password' } });
    cookies.push(String([login.headers['set-cookie']].flat()[0]).split(';')[0]);
  }
  const c = await env.req('POST', '/api/v1/conversations', { body: convBody({ customer: { email: 'vera@example.com' } }) });
  await env.req('POST', `/api/v1/conversations/${c.json.id}/viewing`, { token: '', cookie: cookies[0], body: { mode: 'viewing' } });
  const second = await env.req('POST', `/api/v1/conversations/${c.json.id}/viewing`, { token: '', cookie: cookies[1], body: { mode: 'replying' } });
  assert.equal(second.status, 200, second.body);
  // The same instants, written by JavaScript here and by PostgreSQL's JSON there.
  const instants = (vs: any[]) => vs.map((v) => ({ ...v, expiresAt: new Date(v.expiresAt).toISOString() }));
  const shown = (await env.req('GET', `/api/v1/conversations/${c.json.id}`)).json.viewers;
  assert.deepEqual(instants(second.json.others), instants(shown.filter((v: any) => v.name === 'ann')));
  assert.deepEqual(Object.keys(second.json.others[0]).sort(), ['expiresAt', 'mode', 'name', 'userId']);
});

test('customer answers are exactly what the service returns; the timeline keeps calls, callbacks and conversations apart', async () => {
  const created = await env.req('POST', '/api/v1/customers', { body: { name: 'Dora Dahl', email: 'dora@example.com' } });
  assert.equal(created.status, 201, created.body);
  const id = created.json.id;
  const read = async (cid = id) => plain(await customers.getCustomer(env.ctx, sys(), cid));
  assert.deepEqual(created.json, await read());
  assert.equal(created.json.notes, null);
  const withPhone = await env.req('POST', `/api/v1/customers/${id}/identities`, { body: { kind: 'phone', value: '+47 466 66 666' } });
  assert.equal(withPhone.status, 201, withPhone.body);
  assert.deepEqual(withPhone.json, await read());
  assert.deepEqual((await env.req('GET', `/api/v1/customers/${id}`)).json, await read());
  assert.deepEqual((await env.req('GET', '/api/v1/customers?q=dora')).json.items, plain(await customers.listCustomers(env.ctx, sys(), { q: 'dora', limit: 50, offset: 0 })));

  const conv = await env.req('POST', '/api/v1/conversations', { body: convBody({ customer: { email: 'dora@example.com' }, subject: 'Invoice' }) });
  assert.equal(conv.status, 201, conv.body);
  const t = (s: number) => new Date(Date.now() + s * 1000).toISOString();
  const calls = await env.req('POST', '/api/v1/voice/events', {
    body: [
      { callId: 'd-1', type: 'call.started', at: t(60), from: '+4746666666' },
      { callId: 'd-1', type: 'queue.entered', at: t(65), from: '+4746666666', queue: 'billing' },
      { callId: 'd-1', type: 'call.abandoned', at: t(125), from: '+4746666666', queue: 'billing' },
    ],
  });
  assert.equal(calls.status, 201, calls.body);
  const tl = await env.req('GET', `/api/v1/customers/${id}/timeline`);
  assert.equal(tl.status, 200, tl.body);
  assert.deepEqual(tl.json, plain(await customers.customerTimeline(env.ctx, sys(), id)));
  assert.deepEqual(tl.json.items.map((i: any) => i.kind).sort(), ['call', 'callback', 'conversation']);
  const callback = tl.json.items.find((i: any) => i.kind === 'callback');
  assert.deepEqual([callback.callback.status, callback.callback.call, callback.queue.name], ['open', 'cti:d-1', 'billing']);

  const other = await env.req('POST', '/api/v1/customers', { body: { name: 'D. Dahl', phone: '+47 477 77 777' } });
  const merged = await env.req('POST', `/api/v1/customers/${other.json.id}/merge`, { body: { into: id } });
  assert.equal(merged.status, 200, merged.body);
  assert.deepEqual(merged.json, await read());
  assert.equal((await read(other.json.id)).mergedInto, id);
});

test('contact events and the audit log answer exactly what their services return', async () => {
  const at = new Date().toISOString();
  const batch = [
    { contactId: 'ext:1', type: 'contact.arrived', channel: 'phone', occurredAt: at, identity: '+4740000001', dedupeKey: 'k1', data: { tz: 'Europe/Oslo' } },
    { contactId: 'ext:1', type: 'contact.arrived', channel: 'phone', occurredAt: at, dedupeKey: 'k1' },
  ];
  const ingested = await env.req('POST', '/api/v1/contact-events', { body: { events: batch } });
  assert.equal(ingested.status, 201, ingested.body);
  assert.deepEqual(ingested.json, { received: 2, added: 1, duplicates: 1 });
  const log = await env.req('GET', '/api/v1/contact-events?contact=ext:1');
  assert.equal(log.status, 200, log.body);
  assert.deepEqual(log.json.items, plain(await listEvents(env.ctx, sys(), { contactId: 'ext:1', limit: 200 })));
  assert.deepEqual([log.json.items[0].identity, log.json.items[0].conversationId, log.json.items[0].data], ['+4740000001', null, { tz: 'Europe/Oslo' }]);

  const audit = await env.req('GET', '/api/v1/audit?limit=50');
  assert.equal(audit.status, 200, audit.body);
  assert.deepEqual(audit.json.items, plain(await listAudit(env.ctx, sys(), { limit: 50 })));
  assert.ok(audit.json.items.some((a: any) => a.action === 'conversation.updated' && a.targetLabel?.startsWith('#')));
});

test('realtime: a plain GET is told to upgrade (426); the socket sends messages of the documented shape', async () => {
  const plainGet = await env.req('GET', '/api/v1/realtime', { headers: { 'accept-language': 'de' } });
  assert.equal(plainGet.status, 426, plainGet.body);
  assert.equal(plainGet.headers.upgrade, 'websocket');
  assert.equal(plainGet.json.error.code, 'upgrade_required');
  assert.equal(plainGet.json.error.detail, 'Öffnen Sie diese Adresse als WebSocket.');

  await env.app.listen({ port: 0, host: '127.0.0.1' });
  const port = (env.app.server.address() as AddressInfo).port;
  const ws = new WebSocket(`ws://127.0.0.1:${port}/api/v1/realtime`, { headers: { authorization: `Bearer ${env.tokens.agent}` } });
  const frames: unknown[] = [];
  const created = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no conversation.created in time: ${JSON.stringify(frames)}`)), 10_000);
    ws.on('message', (raw) => {
      const m = JSON.parse(raw.toString());
      frames.push(m);
      if (m.type === 'hello') {
        ws.send('ping');
        void env.req('POST', '/api/v1/conversations', { body: convBody({ customer: { email: 'rt@example.com' } }) });
      }
      if (['conversation.created', 'pong'].every((type) => frames.some((f: any) => f.type === type))) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  try {
    await created;
  } finally {
    ws.close();
  }
  for (const f of frames) assert.ok(Value.Check(RealtimeMessage, f), `${JSON.stringify(f)}: ${[...Value.Errors(RealtimeMessage, f)].map((e) => e.message)}`);
  assert.deepEqual(frames.map((f: any) => f.type).slice(0, 1), ['hello']);
});
