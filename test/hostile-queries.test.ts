/**
 * The 500s the fuzzing found (issue 14 item 12): each is a 4xx that names the field.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { setup, convBody, type TestEnv } from './helpers.js';

let env: TestEnv;
let convId = '';
before(async () => {
  env = await setup();
  convId = (await env.req('POST', '/api/v1/conversations', { body: convBody() })).json.id;
});
after(() => env.close());

async function expect400(method: string, url: string, field: string, opts: { body?: unknown; headers?: Record<string, string> } = {}) {
  const r = await env.req(method, url, opts);
  assert.equal(r.status, 400, `${method} ${url} → ${r.status} ${r.body.slice(0, 300)}`);
  assert.equal(r.json.error.field, field, r.body.slice(0, 300));
  assert.ok(r.json.error.message.includes(field), r.body.slice(0, 300));
}

test('query numbers: Infinity (1e309), beyond the column (99999999999999999999) and malformed ids are 400s naming the field', async () => {
  await expect400('GET', '/api/v1/contact-events?conversation=abc', 'querystring/conversation');
  await expect400('GET', '/api/v1/contact-events?limit=1e309', 'querystring/limit');
  await expect400('GET', '/api/v1/contact-events?after=1e309', 'querystring/after');
  await expect400('GET', '/api/v1/conversations?limit=1e309', 'querystring/limit');
  await expect400('GET', '/api/v1/audit?before=1e309', 'querystring/before');
  await expect400('GET', '/api/v1/audit?before=99999999999999999999', 'querystring/before');
  await expect400('GET', '/api/v1/conversations?number=99999999999999999999', 'querystring/number');
  await expect400('GET', '/api/v1/conversations?number=1e309', 'querystring/number');
  await expect400('GET', '/api/v1/csat/points?queue=', 'querystring/queue');
  // The largest number a conversation can have still reads fine (and finds nothing).
  const big = await env.req('GET', '/api/v1/conversations?number=2147483647');
  assert.equal(big.status, 200, big.body);
  assert.deepEqual(big.json.items, []);
});

test('a body nested 5,000 deep is a 400 naming the field, not a 500', async () => {
  const deep = `{"customFields":{"x":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}}`;
  await expect400('PATCH', `/api/v1/conversations/${convId}`, 'body/customFields', { body: deep, headers: { 'content-type': 'application/json' } });
  // Ordinary nesting is still fine.
  const ok = await env.req('PATCH', `/api/v1/conversations/${convId}`, { body: { customFields: { order: { id: 'A-1', lines: [{ sku: 'T' }] } } } });
  assert.equal(ok.status, 200, ok.body);
  assert.deepEqual(ok.json.customFields.order, { id: 'A-1', lines: [{ sku: 'T' }] });
});

test('PATCH /macros/{id} has the name length limit POST has', async () => {
  const m = await env.req('POST', '/api/v1/macros', { body: { name: 'Greeting', body: 'Hello' } });
  assert.equal(m.status, 201, m.body);
  await expect400('POST', '/api/v1/macros', 'body/name', { body: { name: 'x'.repeat(201), body: 'Hello' } });
  await expect400('PATCH', `/api/v1/macros/${m.json.id}`, 'body/name', { body: { name: 'x'.repeat(201) } });
  assert.equal((await env.req('GET', '/api/v1/macros')).json.items.find((x: any) => x.id === m.json.id).name, 'Greeting');
});

test('Origin: null on a cookie POST is refused (403) naming the Origin header, never a 500', async () => {
  const u = await env.req('POST', '/api/v1/users', { body: { email: 'ola@acme.test', name: 'Ola', role: 'admin', password: 'a long enough password 1' } });
  assert.equal(u.status, 201, u.body);
  const login = await env.req('POST', '/api/v1/auth/login', { token: '', body: { email: 'ola@acme.test', password: 'a long enough password 1' } });
  assert.equal(login.status, 200, login.body);
  const cookie = String([login.headers['set-cookie']].flat()[0]).split(';')[0]!;
  for (const origin of ['null', 'http://evil.test', '::::']) {
    const r = await env.req('POST', '/api/v1/teams', { token: '', cookie, headers: { origin }, body: { name: `T ${origin}` } });
    assert.equal(r.status, 403, `${origin}: ${r.status} ${r.body}`);
    assert.equal(r.json.error.field, 'headers/origin', r.body);
  }
  const none = await env.req('POST', '/api/v1/teams', { token: '', cookie, body: { name: 'No origin' } });
  assert.equal(none.status, 201, none.body);
});

test('a number beyond its column that reaches the database is a 400 naming the field, not a 500', async () => {
  // The error handler's safety net for a bound a schema misses (numeric_value_out_of_range, 22003), on a probe route
  // with the real error handler and database.
  const { registerErrorHandler } = await import('../src/server/errors.js');
  const Fastify = (await import('fastify')).default;
  const app = Fastify({ logger: false });
  registerErrorHandler(app);
  app.get('/probe', { schema: { querystring: { type: 'object', properties: { n: { type: 'integer' } } } } }, async (req) => env.db.query('SELECT $1::int AS n', [(req.query as any).n]));
  const r = await app.inject({ method: 'GET', url: '/probe?n=99999999999999999999' });
  assert.equal(r.statusCode, 400, r.body);
  const err = JSON.parse(r.body).error;
  assert.equal(err.field, 'querystring/n');
  await app.close();
});

test('an empty time zone is refused (400 naming the field), not stored to break every later page with a 500', async () => {
  // Found by test/fuzz-api.test.ts: `if (timezone) validate(timezone)` let "" through to the database, and every
  // report, reply and macro of the account then failed with PostgreSQL's `time zone "" not recognized`.
  const q = await env.req('POST', '/api/v1/queues', { body: { name: 'Night' } });
  await expect400('PATCH', '/api/v1/account', 'timezone', { body: { timezone: '' } });
  await expect400('POST', '/api/v1/queues', 'timezone', { body: { name: 'Day', timezone: '' } });
  await expect400('PATCH', `/api/v1/queues/${q.json.id}`, 'timezone', { body: { timezone: '' } });
  await expect400('POST', '/api/v1/users', 'timezone', { body: { email: 'tz@acme.test', name: 'Tz', role: 'agent', timezone: '' } });
  const u = await env.req('POST', '/api/v1/users', { body: { email: 'lead@acme.test', name: 'Lead', role: 'leader' } });
  await expect400('PUT', `/api/v1/leaders/${u.json.id}/settings`, 'timezone', { body: { timezone: '' } });
  assert.equal((await env.req('GET', '/api/v1/account')).json.timezone, 'UTC');
  const r = await env.req('POST', `/api/v1/conversations/${convId}/replies`, { body: { text: 'Still fine' } });
  assert.equal(r.status, 201, r.body);
});
