/**
 * `null` clears a field (issue 14 item 11). Type coercion used to turn a body's null into "" before the handler saw it
 * ("unknown queue " for the respect settings; 500s for unions). Bodies are no longer coerced; query strings and path
 * parameters still are (they only carry strings). The sweep sends null to every field the OpenAPI document marks as
 * nullable, on every operation, and checks the handler received null and the answer is not a refusal of that null.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setup, convBody, type TestEnv } from './helpers.js';
import { get, minimal, nullablePaths, openapi, operations, setAt } from './openapi-helpers.js';

let env: TestEnv;
/** The body each route's handler received (after validation), by "METHOD /route". */
const seen = new Map<string, unknown>();
const ids: Record<string, string> = {};

before(async () => {
  env = await setup({}, {
    beforeReady: (app) =>
      app.addHook('preHandler', async (req) => {
        if (req.routeOptions.url) seen.set(`${req.method} ${req.routeOptions.url}`, JSON.parse(JSON.stringify(req.body ?? null)));
      }),
  });
  const ok = (r: { status: number; body: string }) => {
    assert.ok(r.status < 300, r.body);
    return (r as any).json;
  };
  ids.queue = ok(await env.req('POST', '/api/v1/queues', { body: { name: 'Support' } })).id;
  ids.team = ok(await env.req('POST', '/api/v1/teams', { body: { name: 'Billing' } })).id;
  ids.user = ok(await env.req('POST', '/api/v1/users', { body: { email: 'lea@acme.test', name: 'Lea', role: 'leader', password: 'a long enough password 1' } })).id;
  ids.conversation = ok(await env.req('POST', '/api/v1/conversations', { body: convBody() })).id;
  ids.macro = ok(await env.req('POST', '/api/v1/macros', { body: { name: 'Hello', body: 'Hello' } })).id;
  ids.mailbox = ok(await env.req('POST', '/api/v1/mailboxes', { body: { address: 'support@acme.test' } })).id;
});
after(() => env.close());

/** A real id of account A for a path or body field, by the resource it names. */
function idFor(name: string, path = ''): string {
  const byField: Record<string, string> = {
    queueId: 'queue', coolOffQueueId: 'queue', defaultQueueId: 'queue', teamId: 'team', assigneeId: 'user',
    deputyId: 'user', conversationId: 'conversation', userId: 'user',
  };
  if (byField[name]) return ids[byField[name]!]!;
  const seg = /^\/api\/v1\/([\w-]+)/.exec(path)?.[1] ?? '';
  const byPath: Record<string, string> = {
    conversations: 'conversation', queues: 'queue', teams: 'team', users: 'user', leaders: 'user', macros: 'macro', mailboxes: 'mailbox',
  };
  return ids[byPath[seg] ?? ''] ?? randomUUID();
}

test('every nullable field in the OpenAPI document takes null: the handler gets null, and the answer is no 500 and no refusal of it', async () => {
  const doc = await openapi(env);
  const swept: string[] = [];
  const problems: string[] = [];
  for (const o of operations(doc)) {
    if (!o.body) continue;
    for (const path of nullablePaths(o.body)) {
      const body = setAt(minimal(o.body, (_f, n) => idFor(n)), o.body, path, null, (_f, n) => idFor(n));
      let url = o.path.replace(/\{(\w+)\}/g, (_m, p) => idFor(p, o.path));
      for (const q of o.query.filter((q) => q.required)) url += `${url.includes('?') ? '&' : '?'}${q.name}=${encodeURIComponent(String(minimal(q.schema)))}`;
      const key = `${o.method} ${o.route}`;
      const what = `${key} ${JSON.stringify(body)}`;
      seen.delete(key);
      const r = await env.req(o.method, url, { body });
      swept.push(`${key} ${path.join('/')}`);
      if (r.status >= 500) problems.push(`${what} → ${r.status} ${r.body}`);
      else if (!seen.has(key)) problems.push(`${what} was refused before its handler: ${r.status} ${r.body}`);
      else if (get(seen.get(key), path) !== null) problems.push(`${what}: the handler got ${JSON.stringify(get(seen.get(key), path))} for null`);
      else if (r.status >= 400 && (String(r.json?.error?.field ?? '').endsWith(path.join('/')) || /"" |\s$/.test(r.json?.error?.message ?? '')))
        problems.push(`${what} → ${r.status} ${r.body}`);
    }
  }
  assert.deepEqual(problems, []);
  // The sweep saw the fields the issue names (so it cannot pass by finding none).
  for (const k of [
    'POST /api/v1/conversations/:id/assign assigneeId',
    'PATCH /api/v1/conversations/:id queueId',
    'PATCH /api/v1/conversations/:id assigneeId',
    'PATCH /api/v1/queues/:id teamId',
    'PUT /api/v1/respect/settings coolOffQueueId',
  ])
    assert.ok(swept.includes(k), `${k} not swept (${swept.length} swept)`);
});

test('null clears: unassign, no queue, no team, no cool-off queue', async () => {
  const c = ids.conversation!;
  assert.equal((await env.req('PATCH', `/api/v1/conversations/${c}`, { body: { queueId: ids.queue, assigneeId: ids.user } })).json.assigneeId, ids.user);
  const un = await env.req('POST', `/api/v1/conversations/${c}/assign`, { body: { assigneeId: null } });
  assert.equal(un.status, 200, un.body);
  assert.equal(un.json.assigneeId, null);
  const noQueue = await env.req('PATCH', `/api/v1/conversations/${c}`, { body: { queueId: null, assigneeId: null } });
  assert.equal(noQueue.status, 200, noQueue.body);
  assert.equal(noQueue.json.queueId, null);
  await env.req('PATCH', `/api/v1/queues/${ids.queue}`, { body: { teamId: ids.team } });
  const q = await env.req('PATCH', `/api/v1/queues/${ids.queue}`, { body: { teamId: null } });
  assert.equal(q.status, 200, q.body);
  assert.equal(q.json.teamId, null);
  assert.equal((await env.req('PUT', '/api/v1/respect/settings', { body: { coolOffQueueId: ids.queue } })).status, 200);
  const r = await env.req('PUT', '/api/v1/respect/settings', { body: { coolOffQueueId: null } });
  assert.equal(r.status, 200, r.body);
  assert.equal((await env.req('GET', '/api/v1/respect/settings')).json.coolOffQueueId, null);
});

test('bodies are not coerced: a number for a string, a string for a number or a boolean is a 400 naming the field', async () => {
  const r1 = await env.req('POST', '/api/v1/queues', { body: { name: 5 } });
  assert.equal(r1.status, 400, r1.body);
  assert.equal(r1.json.error.field, 'body/name');
  const r2 = await env.req('POST', '/api/v1/users', { body: { email: 'x@acme.test', name: 'X', role: 'agent', capacity: '5' } });
  assert.equal(r2.status, 400, r2.body);
  assert.equal(r2.json.error.field, 'body/capacity');
  // Query strings still carry numbers as text.
  assert.equal((await env.req('GET', '/api/v1/conversations?limit=5')).status, 200);
});
