/**
 * An empty string or a malformed id anywhere in a request body or query is a clear 400 that names the field, never a
 * 500 (issue 13 item 2: Admin → Queues → Save sent teamId "" and the server answered "Something went wrong on our
 * side" with PostgreSQL's `invalid input syntax for type uuid: ""`). A malformed id in a path stays a 404 (it names
 * nothing that exists, like a foreign id).
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { setup, convBody, type TestEnv } from './helpers.js';

let env: TestEnv;
let queueId = '';
let convId = '';
before(async () => {
  env = await setup();
  queueId = (await env.req('POST', '/api/v1/queues', { body: { name: 'Support' } })).json.id;
  convId = (await env.req('POST', '/api/v1/conversations', { body: convBody() })).json.id;
});
after(() => env.close());

const BAD = ['', 'not-a-uuid'];

/** Each request must answer 400 with code validation and name the field (in `field` and in the message). */
async function expect400(method: string, url: string, body: unknown, field: string) {
  const r = await env.req(method, url, { body });
  assert.equal(r.status, 400, `${method} ${url} ${JSON.stringify(body)} → ${r.status} ${r.body}`);
  assert.equal(r.json.error.code, 'validation', r.body);
  assert.equal(r.json.error.field, field, r.body);
  assert.match(r.json.error.message, new RegExp(field.replace(/\//g, '\\/')), r.body);
}

test('queues: an empty or malformed team or SLA policy id is a 400 naming the field (create and change)', async () => {
  for (const bad of BAD) {
    await expect400('POST', '/api/v1/queues', { name: `Q ${bad}`, teamId: bad }, 'body/teamId');
    await expect400('POST', '/api/v1/queues', { name: `Q ${bad}`, slaPolicyId: bad }, 'body/slaPolicyId');
    await expect400('PATCH', `/api/v1/queues/${queueId}`, { name: 'Support', teamId: bad }, 'body/teamId');
    await expect400('PATCH', `/api/v1/queues/${queueId}`, { slaPolicyId: bad }, 'body/slaPolicyId');
  }
  // Nothing was created by the refused requests, and null (no team, no SLA) is still fine.
  const list = await env.req('GET', '/api/v1/queues');
  assert.deepEqual(list.json.items.map((q: any) => q.name), ['Support']);
  const ok = await env.req('PATCH', `/api/v1/queues/${queueId}`, { body: { name: 'Support', timezone: 'UTC', teamId: null, slaPolicyId: null, assignment: 'manual', businessHours: null } });
  assert.equal(ok.status, 200, ok.body);
});

test('conversations, macros, mailboxes, web form settings: empty or malformed ids are 400s naming the field', async () => {
  for (const bad of BAD) {
    await expect400('POST', '/api/v1/conversations', convBody({ queueId: bad }), 'body/queueId');
    await expect400('POST', '/api/v1/conversations', convBody({ assigneeId: bad }), 'body/assigneeId');
    await expect400('PATCH', `/api/v1/conversations/${convId}`, { queueId: bad }, 'body/queueId');
    await expect400('PATCH', `/api/v1/conversations/${convId}`, { assigneeId: bad }, 'body/assigneeId');
    await expect400('POST', '/api/v1/macros', { name: `M ${bad}`, body: 'Hello', actions: { queueId: bad } }, 'body/actions/queueId');
    await expect400('POST', '/api/v1/mailboxes', { address: `box${bad.length}@acme.test`, queueId: bad }, 'body/queueId');
    await expect400('PUT', '/api/v1/web/settings', { defaultQueueId: bad }, 'body/defaultQueueId');
  }
});

test('a malformed uuid that reaches the database is a 400 naming the value, not a 500', async () => {
  // The error handler's safety net for a field a schema misses: PostgreSQL's invalid_text_representation (22P02)
  // becomes a 400 naming the request field that held the value. A probe route on the real error handler and database.
  const { registerErrorHandler } = await import('../src/server/errors.js');
  const Fastify = (await import('fastify')).default;
  const app = Fastify({ logger: false });
  registerErrorHandler(app);
  app.post('/probe', async (req) => env.db.query('SELECT $1::uuid AS id', [(req.body as any).queueId]));
  for (const bad of BAD) {
    const r = await app.inject({ method: 'POST', url: '/probe', payload: { queueId: bad } });
    assert.equal(r.statusCode, 400, r.body);
    const err = JSON.parse(r.body).error;
    assert.equal(err.code, 'validation');
    assert.equal(err.field, 'body/queueId');
    assert.match(err.message, /not a valid id/);
  }
  await app.close();
});
