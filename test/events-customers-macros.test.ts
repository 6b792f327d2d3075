import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { setup, convBody, type TestEnv } from './helpers.js';

let env: TestEnv;
before(async () => {
  env = await setup();
});
after(() => env.close());

test('the contact event log is append-only', async () => {
  await env.req('POST', '/api/v1/conversations', { body: convBody() });
  await assert.rejects(env.db.query(`UPDATE contact_events SET type = 'x'`), /append-only/);
  await assert.rejects(env.db.query(`DELETE FROM contact_events`), /append-only/);
  await assert.rejects(env.db.query(`DELETE FROM audit_log`), /append-only/);
});

test('events from outside: validated as a batch, deduplicated, readable by supervisors only', async () => {
  const ev = (i: number, extra = {}) => ({ contactId: `call-${i}`, type: 'contact.arrived', channel: 'phone', occurredAt: '2026-11-20T09:00:00Z', identity: '+4712345678', dedupeKey: `q:${i}`, ...extra });
  const ok = await env.req('POST', '/api/v1/contact-events', { token: env.tokens.supervisor, body: { events: [ev(1), ev(2), ev(3, { type: 'queue.entered', dedupeKey: 'q:3' })] } });
  assert.equal(ok.status, 201);
  assert.deepEqual(ok.json, { received: 3, added: 3, duplicates: 0 });
  const again = await env.req('POST', '/api/v1/contact-events', { token: env.tokens.supervisor, body: { events: [ev(1), ev(4)] } });
  assert.deepEqual(again.json, { received: 2, added: 1, duplicates: 1 });
  const bad = await env.req('POST', '/api/v1/contact-events', { token: env.tokens.supervisor, body: { events: [ev(5), ev(6, { type: 'teleported' })] } });
  assert.equal(bad.status, 400);
  assert.match(bad.json.error.message, /events\/1\/type/);
  const foreign = await env.req('POST', '/api/v1/contact-events', { token: env.tokens.supervisor, body: { events: [ev(7, { queueId: '00000000-0000-4000-8000-000000000000' })] } });
  assert.equal(foreign.status, 400);
  const list = await env.req('GET', '/api/v1/contact-events?contact=call-1', { token: env.tokens.leader });
  assert.equal(list.json.items.length, 1, 'the rejected batch wrote nothing and the duplicate was skipped');
  assert.equal((await env.req('GET', '/api/v1/contact-events', { token: env.tokens.agent })).status, 403);
  assert.equal((await env.req('POST', '/api/v1/contact-events', { token: env.tokens.agent, body: { events: [ev(8)] } })).status, 403);
});

test('customers: identities are normalised, found again, and merged', async () => {
  const a = await env.req('POST', '/api/v1/customers', { token: env.tokens.agent, body: { name: 'Kari Hansen', email: 'Kari@Example.no', phone: '0047 123 45 678' } });
  assert.equal(a.status, 201);
  assert.deepEqual(a.json.identities, [{ kind: 'email', value: 'kari@example.no' }, { kind: 'phone', value: '+4712345678' }]);
  assert.equal((await env.req('POST', '/api/v1/customers', { body: { email: 'kari@example.no' } })).status, 409);
  const b = await env.req('POST', '/api/v1/conversations', { body: convBody({ customer: { email: 'kari.h@work.example', name: 'K. Hansen' } }) });
  const withId = await env.req('POST', `/api/v1/customers/${a.json.id}/identities`, { body: { kind: 'external', value: 'crm-991' } });
  assert.equal(withId.status, 201);
  assert.equal((await env.req('POST', `/api/v1/customers/${a.json.id}/identities`, { body: { kind: 'email', value: 'kari.h@work.example' } })).status, 409);
  assert.equal((await env.req('POST', `/api/v1/customers/${b.json.customerId}/merge`, { token: env.tokens.agent, body: { into: a.json.id } })).status, 403);
  const merged = await env.req('POST', `/api/v1/customers/${b.json.customerId}/merge`, { token: env.tokens.supervisor, body: { into: a.json.id } });
  assert.equal(merged.status, 200);
  assert.equal(merged.json.identities.length, 4);
  assert.equal((await env.req('GET', `/api/v1/conversations/${b.json.id}`)).json.customerId, a.json.id);
  const next = await env.req('POST', '/api/v1/conversations', { body: convBody({ customer: { email: 'kari.h@work.example' } }) });
  assert.equal(next.json.customerId, a.json.id, 'identities of the merged record lead to the survivor');
  const found = await env.req('GET', '/api/v1/customers?q=crm-991', { token: env.tokens.agent });
  assert.deepEqual(found.json.items.map((c: any) => c.id), [a.json.id]);
  assert.equal((await env.req('GET', `/api/v1/customers/${a.json.id}`)).json.name, 'Kari Hansen');
  assert.equal((await env.req('POST', '/api/v1/customers', { body: { phone: 'call me maybe' } })).status, 400);
});

test('macros: placeholders are checked on save, rendered with fallbacks, and applied with their actions', async () => {
  const bad = await env.req('POST', '/api/v1/macros', { token: env.tokens.supervisor, body: { name: 'Typo', body: 'Hi {{customer.frist_name}}' } });
  assert.equal(bad.status, 400);
  assert.match(bad.json.error.message, /customer\.frist_name/);
  assert.equal((await env.req('POST', '/api/v1/macros', { token: env.tokens.agent, body: { name: 'x', body: 'y' } })).status, 403);
  const m = await env.req('POST', '/api/v1/macros', { token: env.tokens.supervisor, body: { name: 'Shipped', body: 'Hei {{customer.first_name|der}}, pakke #{{conversation.number}} er sendt. Hilsen {{account.name}}', actions: { status: 'pending', addTags: ['shipped'] } } });
  assert.equal(m.status, 201);
  const c = await env.req('POST', '/api/v1/conversations', { body: convBody({ customer: { email: 'ola@example.no', name: 'Ola Nordmann' } }) });
  const preview = await env.req('GET', `/api/v1/conversations/${c.json.id}/macros/${m.json.id}`, { token: env.tokens.agent });
  assert.equal(preview.json.text, `Hei Ola, pakke #${c.json.number} er sendt. Hilsen Test acme`);
  const noName = await env.req('POST', '/api/v1/conversations', { body: convBody({ customer: { email: 'anon@example.no' } }) });
  assert.match((await env.req('GET', `/api/v1/conversations/${noName.json.id}/macros/${m.json.id}`)).json.text, /^Hei der,/);
  const applied = await env.req('POST', `/api/v1/conversations/${c.json.id}/macros/${m.json.id}`, { token: env.tokens.agent });
  assert.equal(applied.status, 201);
  assert.equal(applied.json.conversation.status, 'pending');
  assert.deepEqual(applied.json.conversation.tags, ['shipped']);
  assert.equal(applied.json.message.direction, 'outbound');
  const upd = await env.req('PATCH', `/api/v1/macros/${m.json.id}`, { token: env.tokens.supervisor, body: { name: 'Sent' } });
  assert.equal(upd.json.name, 'Sent');
  const list = await env.req('GET', '/api/v1/macros', { token: env.tokens.agent });
  assert.ok(list.json.placeholders.includes('customer.first_name'));
  assert.equal((await env.req('DELETE', `/api/v1/macros/${m.json.id}`, { token: env.tokens.supervisor })).status, 204);
  assert.equal((await env.req('GET', '/api/v1/macros')).json.items.length, 0);
});

test('the audit log records who did what, for admins only', async () => {
  const r = await env.req('GET', '/api/v1/audit?action=conversation.created&limit=5');
  assert.equal(r.status, 200);
  assert.ok(r.json.items.length >= 1);
  assert.equal(r.json.items[0].actorType, 'token');
  assert.equal((await env.req('GET', '/api/v1/audit', { token: env.tokens.supervisor })).status, 403);
});
