/**
 * Issue 14 item 16: Idempotency-Key on creating POSTs and message.clientId on conversation create (one process; the
 * kill-and-retry run across two processes is in faults-idempotency.test.ts).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, convBody, type TestEnv } from './helpers.js';

let env: TestEnv;
before(async () => {
  env = await setup();
});
after(() => env.close());

const count = async (subject: string) =>
  (await env.db.query<{ n: number }>('SELECT count(*)::int AS n FROM conversations WHERE account_id = $1 AND subject = $2', [env.accountId, subject])).rows[0].n;

test('three POSTs with the same Idempotency-Key make one conversation and get the same answer', async () => {
  const body = convBody({ subject: 'Idem one' });
  const rs = [];
  for (let i = 0; i < 3; i++) rs.push(await env.req('POST', '/api/v1/conversations', { body, headers: { 'idempotency-key': 'key-one' } }));
  for (const r of rs) assert.equal(r.status, 201, r.body);
  assert.equal(rs[1].json.id, rs[0].json.id);
  assert.equal(rs[2].body, rs[0].body);
  assert.equal(rs[0].headers['idempotent-replayed'], undefined);
  assert.equal(rs[1].headers['idempotent-replayed'], 'true');
  assert.equal(await count('Idem one'), 1);
  // The same body in another key order is the same request.
  const reordered = { message: body.message, subject: body.subject, channel: body.channel, customer: body.customer };
  const r4 = await env.req('POST', '/api/v1/conversations', { body: reordered, headers: { 'idempotency-key': 'key-one' } });
  assert.equal(r4.json.id, rs[0].json.id);
});

test('concurrent duplicates never create twice: they get the answer or a 409 to send again', async () => {
  const body = convBody({ subject: 'Idem concurrent' });
  const rs = await Promise.all([0, 1, 2, 3].map(() => env.req('POST', '/api/v1/conversations', { body, headers: { 'idempotency-key': 'key-conc' } })));
  for (const r of rs) assert.ok(r.status === 201 || (r.status === 409 && r.json.error.code === 'idempotency_key_in_use'), r.body);
  assert.equal(await count('Idem concurrent'), 1);
  const again = await env.req('POST', '/api/v1/conversations', { body, headers: { 'idempotency-key': 'key-conc' } });
  assert.equal(again.status, 201);
  assert.equal(again.json.id, rs.find((r) => r.status === 201)!.json.id);
});

test('the same key with a different body is refused (422) and creates nothing', async () => {
  const a = await env.req('POST', '/api/v1/conversations', { body: convBody({ subject: 'Idem A' }), headers: { 'idempotency-key': 'key-two' } });
  assert.equal(a.status, 201);
  const b = await env.req('POST', '/api/v1/conversations', { body: convBody({ subject: 'Idem B' }), headers: { 'idempotency-key': 'key-two', 'accept-language': 'de' } });
  assert.equal(b.status, 422, b.body);
  assert.match(b.json.error.detail, /Idempotency-Key wurde schon/);
  assert.equal(b.json.error.code, 'idempotency_key_reused');
  assert.equal(b.json.error.field, 'Idempotency-Key');
  assert.equal(await count('Idem B'), 0);
  // Another route with the same key is another request too.
  const q = await env.req('POST', '/api/v1/queues', { body: { name: 'Idem queue' }, headers: { 'idempotency-key': 'key-two' } });
  assert.equal(q.status, 422, q.body);
});

test('keys belong to their caller: another token may use the same key', async () => {
  const body = convBody({ subject: 'Idem per caller' });
  const a = await env.req('POST', '/api/v1/conversations', { body, headers: { 'idempotency-key': 'key-three' } });
  const b = await env.req('POST', '/api/v1/conversations', { body, token: env.tokens.agent, headers: { 'idempotency-key': 'key-three' } });
  assert.equal(a.status, 201);
  assert.equal(b.status, 201);
  assert.notEqual(a.json.id, b.json.id);
});

test('a failed request stores nothing: fixing it and sending again with the same key works', async () => {
  const bad = await env.req('POST', '/api/v1/conversations', {
    body: convBody({ subject: 'Idem fixed', queueId: '00000000-0000-4000-8000-000000000000' }), headers: { 'idempotency-key': 'key-four' },
  });
  assert.ok(bad.status >= 400 && bad.status < 500, bad.body);
  const good = await env.req('POST', '/api/v1/conversations', { body: convBody({ subject: 'Idem fixed' }), headers: { 'idempotency-key': 'key-four' } });
  assert.equal(good.status, 201, good.body);
  assert.equal(await count('Idem fixed'), 1);
});

test('a malformed Idempotency-Key is a 400 naming the header', async () => {
  for (const key of ['x'.repeat(201), 'with space']) {
    const r = await env.req('POST', '/api/v1/conversations', { body: convBody({ subject: 'Idem bad key' }), headers: { 'idempotency-key': key } });
    assert.equal(r.status, 400, r.body);
    assert.match(r.json.error.field, /idempotency-key/i);
  }
  assert.equal(await count('Idem bad key'), 0);
});

test('message.clientId on create: three POSTs make one conversation, concurrent ones too', async () => {
  const body = convBody({ subject: 'ClientId create', message: { text: 'Hello there', clientId: 'cid-1' } });
  const rs = [];
  for (let i = 0; i < 3; i++) rs.push(await env.req('POST', '/api/v1/conversations', { body }));
  for (const r of rs) assert.equal(r.status, 201, r.body);
  assert.equal(new Set(rs.map((r) => r.json.id)).size, 1);
  assert.equal(rs[0].json.messages.length, 1);
  assert.equal(await count('ClientId create'), 1);
  const conc = convBody({ subject: 'ClientId concurrent', message: { text: 'Hello there', clientId: 'cid-2' } });
  const cs = await Promise.all([0, 1, 2].map(() => env.req('POST', '/api/v1/conversations', { body: conc })));
  for (const r of cs) assert.equal(r.status, 201, r.body);
  assert.equal(new Set(cs.map((r) => r.json.id)).size, 1);
  assert.equal(await count('ClientId concurrent'), 1);
  // The same client id from another customer is another conversation.
  const other = await env.req('POST', '/api/v1/conversations', { body: { ...body, customer: { email: 'bo@example.com' } } });
  assert.equal(other.status, 201);
  assert.notEqual(other.json.id, rs[0].json.id);
});

test('the OpenAPI document describes the Idempotency-Key header on creating POSTs', async () => {
  const doc = (await env.req('GET', '/api/docs/json')).json;
  const op = doc.paths['/api/v1/conversations'].post;
  const h = op.parameters.find((x: any) => x.in === 'header' && x.name.toLowerCase() === 'idempotency-key');
  assert.ok(h, 'header documented');
  assert.match(h.description, /same key/);
  assert.ok(doc.paths['/api/v1/queues'].post.parameters.some((x: any) => x.in === 'header' && x.name.toLowerCase() === 'idempotency-key'));
});
