import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { convBody, setup, type TestEnv } from './helpers.js';
import { DEFINITION_VERSION } from '../src/modules/journeys/projection.js';

let env: TestEnv;
before(async () => {
  env = await setup();
});
after(() => env.close());

test('GET /definitions names the current metric definition version, what each version changed and what each figure means', async () => {
  const r = await env.req('GET', '/api/v1/definitions', { token: env.tokens.leader });
  assert.equal(r.status, 200);
  assert.equal(r.json.current, DEFINITION_VERSION);
  const current = r.json.versions.filter((v: any) => v.current);
  assert.equal(current.length, 1);
  assert.equal(current[0].version, DEFINITION_VERSION);
  for (const v of r.json.versions) for (const l of ['en', 'de', 'nb']) assert.ok(v.changes[l].length > 20, `version ${v.version} ${l}`);
  assert.ok(r.json.figures.some((f: any) => f.key === 'asa' && /queue wait/.test(f.definition.en)));
  // Agents see no reports, so no definitions either.
  assert.equal((await env.req('GET', '/api/v1/definitions', { token: env.tokens.agent })).status, 403);
});

test('the audit log filters by actor as well as by action', async () => {
  const a = await env.req('POST', '/api/v1/teams', { token: env.tokens.supervisor, body: { name: 'Billing' } });
  assert.equal(a.status, 201);
  const b = await env.req('POST', '/api/v1/teams', { body: { name: 'Returns' } });
  assert.equal(b.status, 201);
  const all = await env.req('GET', '/api/v1/audit?action=team.created');
  assert.equal(all.status, 200);
  assert.equal(all.json.items.length, 2);
  const byAdmin = all.json.items.find((i: any) => i.targetId === b.json.id);
  const mine = await env.req('GET', `/api/v1/audit?action=team.created&actor=${byAdmin.actorId}`);
  assert.deepEqual(mine.json.items.map((i: any) => i.targetId), [b.json.id]);
  assert.deepEqual((await env.req('GET', '/api/v1/audit?actor=nobody')).json.items, []);
});

test('the audit log names each object as people do: a conversation by #number, a team by name; null once it is gone', async () => {
  const c = await env.req('POST', '/api/v1/conversations', { body: convBody() });
  assert.equal(c.status, 201, c.body);
  const t = await env.req('POST', '/api/v1/teams', { body: { name: 'Night shift' } });
  const items = (await env.req('GET', '/api/v1/audit?limit=20')).json.items;
  assert.equal(items.find((i: any) => i.action === 'conversation.created' && i.targetId === c.json.id).targetLabel, `#${c.json.number}`);
  assert.equal(items.find((i: any) => i.action === 'team.created' && i.targetId === t.json.id).targetLabel, 'Night shift');
  const m = await env.req('POST', '/api/v1/macros', { body: { name: 'Short-lived', body: 'Hello' } });
  assert.equal(m.status, 201, m.body);
  assert.equal((await env.req('DELETE', `/api/v1/macros/${m.json.id}`)).status, 204);
  const gone = (await env.req('GET', '/api/v1/audit?action=macro.created')).json.items.find((i: any) => i.targetId === m.json.id);
  assert.equal(gone.targetLabel, null);
});

test('queues show their callback policy, as PATCH /queues/:id/callback-policy sets it', async () => {
  const q = await env.req('POST', '/api/v1/queues', { token: env.tokens.supervisor, body: { name: 'Phone' } });
  assert.equal(q.status, 201);
  assert.equal(q.json.callbackSlaMinutes, 60);
  assert.equal(q.json.callbackMaxAttempts, 3);
  const p = await env.req('PATCH', `/api/v1/queues/${q.json.id}/callback-policy`, { token: env.tokens.supervisor, body: { slaMinutes: 30 } });
  assert.equal(p.status, 200);
  const list = await env.req('GET', '/api/v1/queues', { token: env.tokens.supervisor });
  const row = list.json.items.find((x: any) => x.id === q.json.id);
  assert.equal(row.callbackSlaMinutes, 30);
  assert.equal(row.callbackMaxAttempts, 3);
});
