/** The generic CTI webhook: JSON call events from other telephony systems. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, type TestEnv } from './helpers.js';

let env: TestEnv;
before(async () => {
  env = await setup();
});
after(async () => env?.close());

const at = (s: number) => new Date(Date.UTC(2026, 10, 25, 9, 0, s)).toISOString();
const count = async (sql: string) => Number((await env.db.query<{ n: number }>(sql, [env.accountId])).rows[0].n);
const events = () => count('SELECT count(*)::int AS n FROM contact_events WHERE account_id = $1');

const calls = [
  { callId: 'c-1', type: 'call.started', at: at(0), from: '+47 400 00 001' },
  { callId: 'c-1', type: 'ivr.entered', at: at(0), from: '+47 400 00 001' },
  { callId: 'c-1', type: 'ivr.left', at: at(15), from: '+47 400 00 001' },
  { callId: 'c-1', type: 'queue.entered', at: at(15), from: '+47 400 00 001', queue: 'sales' },
  { callId: 'c-1', type: 'agent.ringing', at: at(40), from: '+47 400 00 001', queue: 'sales', agent: 'ext-201' },
  { callId: 'c-1', type: 'call.answered', at: at(45), from: '+47 400 00 001', queue: 'sales', agent: 'ext-201', data: { trunk: 'sip-a' } },
  { callId: 'c-1', type: 'call.ended', at: at(300), from: '+47 400 00 001', queue: 'sales' },
  { callId: 'c-2', type: 'call.started', at: at(20), from: '0047 400 00 002' },
  { callId: 'c-2', type: 'queue.entered', at: at(22), from: '0047 400 00 002', queue: 'sales' },
  { callId: 'c-2', type: 'call.abandoned', at: at(82), from: '0047 400 00 002', queue: 'sales' },
];

test('CTI webhook: call events become contact events, lived waits and a callback for the abandoned call', async () => {
  const r = await env.req('POST', '/api/v1/voice/events', { token: env.tokens.supervisor, body: calls });
  assert.equal(r.status, 201, r.body);
  assert.equal(r.json.received, 10);
  assert.equal(r.json.added, 10);
  assert.equal(r.json.callbacksOpened.length, 1);
  const facts = await env.db.query<any>(
    `SELECT f.contact_id, f.outcome, f.lived_wait_s, f.queue_wait_s, f.who, q.name AS queue FROM contact_facts f LEFT JOIN queues q ON q.id = f.queue_id
      WHERE f.account_id = $1 AND f.contact_id LIKE 'cti:%' ORDER BY f.contact_id`,
    [env.accountId],
  );
  assert.deepEqual(facts.rows.map((f) => [f.contact_id, f.outcome, f.lived_wait_s, f.queue_wait_s, f.who, f.queue]), [
    ['cti:c-1', 'answered', 45, 30, 'i:+4740000001', 'sales'],
    ['cti:c-2', 'abandoned', 62, 60, 'i:+4740000002', 'sales'],
  ]);
  const answered = await env.db.query<any>(`SELECT data, source FROM contact_events WHERE contact_id = 'cti:c-1' AND type = 'contact.answered'`);
  assert.equal(answered.rows[0].source, 'cti');
  assert.deepEqual(answered.rows[0].data, { trunk: 'sip-a', agent: 'ext-201', queue: 'sales' });
  const cb = await env.req('GET', `/api/v1/callbacks/${r.json.callbacksOpened[0]}`, { token: env.tokens.agent });
  assert.equal(cb.status, 200);
  assert.equal(cb.json.phone, '+4740000002');
  assert.equal(cb.json.contactId, 'cti:c-2');
  assert.equal(cb.json.reason, 'abandoned');
  assert.deepEqual(cb.json.attemptLog, []);
});

test('CTI webhook: a repeat of the same request adds nothing and opens no second callback', async () => {
  const before = await events();
  const r = await env.req('POST', '/api/v1/voice/events', { token: env.tokens.admin, body: calls });
  assert.equal(r.status, 201);
  assert.deepEqual([r.json.received, r.json.added, r.json.duplicates, r.json.callbacksOpened], [10, 0, 10, []]);
  assert.equal(await events(), before);
  assert.equal(await count('SELECT count(*)::int AS n FROM callbacks WHERE account_id = $1'), 1);
});

test('CTI webhook: vocabulary names are accepted too, and callback.requested opens a requested callback', async () => {
  const r = await env.req('POST', '/api/v1/voice/events', {
    token: env.tokens.supervisor,
    body: [
      { callId: 'c-3', type: 'contact.arrived', at: at(100), from: '+4740000003' },
      { callId: 'c-3', type: 'queue.entered', at: at(101), from: '+4740000003', queue: 'sales' },
      { callId: 'c-3', type: 'callback.requested', at: at(130), from: '+4740000003', queue: 'sales' },
      { callId: 'c-3', type: 'contact.resolved', at: at(131), from: '+4740000003', queue: 'sales' },
    ],
  });
  assert.equal(r.status, 201, r.body);
  assert.equal(r.json.callbacksOpened.length, 1);
  const cb = (await env.req('GET', '/api/v1/callbacks?queue=sales', { token: env.tokens.agent })).json.items.find((c: any) => c.contactId === 'cti:c-3');
  assert.equal(cb.reason, 'requested');
});

test('CTI webhook: a bad item is named by index and field, and nothing of the request is stored', async () => {
  const before = await events();
  const good = { callId: 'c-9', type: 'call.started', at: at(500), from: '+4740000009' };
  const cases: [unknown[], RegExp][] = [
    [[good, { callId: 'c-9', type: 'call.exploded', at: at(501) }], /^body\/1\/type: unknown type 'call\.exploded'/],
    [[good, good, { callId: 'c-9', type: 'call.ended', at: '25.11.2026 09:00' }], /^body\/2\/at: not an ISO 8601 date-time/],
    [[{ ...good, from: 'not a number' }], /^body\/0\/from: not a phone number/],
    [[good, { type: 'call.ended', at: at(502) }], /^body\/1\/callId: is required/],
    [[good, { ...good, colour: 'blue' }], /^body\/1\/colour: is not a known field/],
    [[good, 'call.ended'], /^body\/1: must be an object/],
  ];
  for (const [body, msg] of cases) {
    const r = await env.req('POST', '/api/v1/voice/events', { token: env.tokens.supervisor, body });
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.equal(r.json.error.code, 'validation');
    assert.match(r.json.error.message, msg);
  }
  assert.equal(await events(), before, 'nothing stored from a rejected request');
  const empty = await env.req('POST', '/api/v1/voice/events', { token: env.tokens.supervisor, body: [] });
  assert.equal(empty.status, 400);
});

test('CTI webhook: agents and leaders may not post call events; unauthenticated callers are refused', async () => {
  const r = await env.req('POST', '/api/v1/voice/events', { token: env.tokens.agent, body: calls.slice(0, 1) });
  assert.equal(r.status, 403);
  assert.match(r.json.error.message, /needs 'manage'/);
  assert.equal((await env.req('POST', '/api/v1/voice/events', { token: env.tokens.leader, body: calls.slice(0, 1) })).status, 403);
  assert.equal((await env.req('POST', '/api/v1/voice/events', { token: '', body: calls.slice(0, 1) })).status, 401);
});

test('customer timeline: a call and its callback next to an email conversation of the same customer, newest first', async () => {
  const conv = await env.req('POST', '/api/v1/conversations', {
    token: env.tokens.agent,
    body: { customer: { email: 'dora@example.com', name: 'Dora Dahl' }, channel: 'email', subject: 'Invoice 4411', message: { text: 'Why was I charged twice?' } },
  });
  assert.equal(conv.status, 201, conv.body);
  const customerId = conv.json.customerId ?? conv.json.customer?.id;
  assert.ok(customerId, JSON.stringify(conv.json).slice(0, 300));
  assert.equal((await env.req('POST', `/api/v1/customers/${customerId}/identities`, { token: env.tokens.agent, body: { kind: 'phone', value: '+47 466 66 666' } })).status, 201);
  const now = Date.now();
  const t = (s: number) => new Date(now + s * 1000).toISOString();
  const r = await env.req('POST', '/api/v1/voice/events', {
    token: env.tokens.supervisor,
    body: [
      { callId: 'dora-1', type: 'call.started', at: t(60), from: '+4746666666' },
      { callId: 'dora-1', type: 'queue.entered', at: t(65), from: '+4746666666', queue: 'billing' },
      { callId: 'dora-1', type: 'call.abandoned', at: t(125), from: '+4746666666', queue: 'billing' },
      { callId: 'dora-2', type: 'call.started', at: t(600), from: '+4746666666' },
      { callId: 'dora-2', type: 'queue.entered', at: t(610), from: '+4746666666', queue: 'billing' },
      { callId: 'dora-2', type: 'call.answered', at: t(640), from: '+4746666666', queue: 'billing' },
    ],
  });
  assert.equal(r.status, 201, r.body);
  const tl = await env.req('GET', `/api/v1/customers/${customerId}/timeline`, { token: env.tokens.agent });
  assert.equal(tl.status, 200, tl.body);
  const items = tl.json.items;
  assert.deepEqual(items.map((i: any) => [i.kind, i.channel]), [['call', 'phone'], ['callback', 'phone'], ['call', 'phone'], ['conversation', 'email']]);
  const [answered, callback, abandoned, email] = items;
  assert.deepEqual([answered.contactId, answered.outcome, answered.livedWaitSeconds, answered.queueWaitSeconds, answered.queue.name], ['cti:dora-2', 'answered', 40, 30, 'billing']);
  assert.deepEqual([abandoned.contactId, abandoned.outcome, abandoned.livedWaitSeconds], ['cti:dora-1', 'abandoned', 65]);
  // Dora got through on her second call, so the callback owed for the first one was closed by it.
  assert.deepEqual([callback.callback.status, callback.callback.closedBy, callback.callback.call, callback.outcome], ['done', 'caller', 'cti:dora-1', 'closed']);
  assert.deepEqual([email.conversationId, email.subject], [conv.json.id, 'Invoice 4411']);
  assert.equal((await env.req('GET', '/api/v1/customers/00000000-0000-0000-0000-000000000000/timeline', { token: env.tokens.agent })).status, 404);
});
