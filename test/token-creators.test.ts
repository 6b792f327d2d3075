/**
 * Issue 14 item 4: API tokens follow their creator's rights. Disabling the creator revokes them, demoting caps them at
 * the new role, and the token list names the creator.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { setup, type TestEnv } from './helpers.js';
import { addUser } from '../src/modules/accounts/accounts.service.js';
import { systemPrincipal } from '../src/platform/context.js';

let env: TestEnv;
const PASSWORD = 'Vq7-orbit-Lantern-92';

before(async () => {
  env = await setup();
});
after(() => env.close());

async function signIn(email: string) {
  const r = await env.req('POST', '/api/v1/auth/login', { token: '', body: { email, password: PASSWORD } });
  assert.equal(r.status, 200, r.body);
  return String([r.headers['set-cookie']].flat()[0]).split(';')[0];
}

async function tokenBy(cookie: string, role: string, name: string) {
  const r = await env.req('POST', '/api/v1/tokens', { token: '', cookie, body: { role, name } });
  assert.equal(r.status, 201, r.body);
  return r.json as { id: string; token: string };
}

const status = async (token: string, method: string, url: string, body?: unknown) => (await env.req(method, url, { token, body })).status;

test('the token list names who created each token', async () => {
  const ada = await addUser(env.ctx, systemPrincipal(env.accountId), { email: 'ada@acme.test', name: 'Ada Admin', role: 'admin', password: PASSWORD });
  const cookie = await signIn('ada@acme.test');
  const t1 = await tokenBy(cookie, 'admin', 'ada-admin');
  // A token made with a token belongs to the person behind that token.
  const t2 = await env.req('POST', '/api/v1/tokens', { token: t1.token, body: { role: 'supervisor', name: 'ada-sup' } });
  assert.equal(t2.status, 201, t2.body);
  const list = (await env.req('GET', '/api/v1/tokens')).json.items as any[];
  const by = Object.fromEntries(list.map((t) => [t.name, t.createdBy]));
  assert.deepEqual(by['ada-admin'], { id: ada.id, name: 'Ada Admin' });
  assert.deepEqual(by['ada-sup'], { id: ada.id, name: 'Ada Admin' });
  assert.equal(by.admin, null, 'tokens made by the operator (CLI) have no creator');
  assert.match(list[0].createdAt, /^\d{4}-\d\d-\d\dT/, 'the dates still pass through the response schema');
});

test('demoting the creator caps the tokens at the new role; disabling revokes them', async () => {
  const bo = await addUser(env.ctx, systemPrincipal(env.accountId), { email: 'bo@acme.test', name: 'Bo', role: 'admin', password: PASSWORD });
  const cookie = await signIn('bo@acme.test');
  const admin = await tokenBy(cookie, 'admin', 'bo-admin');
  const sup = await tokenBy(cookie, 'supervisor', 'bo-sup');
  const agent = await tokenBy(cookie, 'agent', 'bo-agent');
  assert.equal(await status(admin.token, 'GET', '/api/v1/tokens'), 200);

  assert.equal((await env.req('PATCH', `/api/v1/users/${bo.id}`, { body: { role: 'supervisor' } })).status, 200);
  assert.equal(await status(admin.token, 'GET', '/api/v1/tokens'), 403, 'an admin token of a supervisor is no admin');
  assert.equal(await status(admin.token, 'POST', '/api/v1/webhooks', { url: 'https://93.184.216.34/h', events: ['sla.breached'] }), 403);
  assert.equal(await status(admin.token, 'GET', '/api/v1/queues'), 200, 'it keeps what a supervisor may do');
  const roles = async () => Object.fromEntries(((await env.req('GET', '/api/v1/tokens')).json.items as any[]).filter((t) => t.name.startsWith('bo-')).map((t) => [t.name, t.role]));
  assert.deepEqual(await roles(), { 'bo-admin': 'supervisor', 'bo-sup': 'supervisor', 'bo-agent': 'agent' });

  // A leader may report but not manage: the supervisor tokens lose 'manage'.
  assert.equal((await env.req('PATCH', `/api/v1/users/${bo.id}`, { body: { role: 'leader' } })).status, 200);
  assert.deepEqual(await roles(), { 'bo-admin': 'leader', 'bo-sup': 'leader', 'bo-agent': 'agent' });
  assert.equal(await status(sup.token, 'POST', '/api/v1/queues', { name: 'Sneaky' }), 403);
  // Promoting again does not raise them.
  assert.equal((await env.req('PATCH', `/api/v1/users/${bo.id}`, { body: { role: 'admin' } })).status, 200);
  assert.equal(await status(admin.token, 'GET', '/api/v1/tokens'), 403);

  assert.equal((await env.req('PATCH', `/api/v1/users/${bo.id}`, { body: { disabled: true } })).status, 200);
  for (const t of [admin, sup, agent]) assert.equal(await status(t.token, 'GET', '/api/v1/me'), 401);
  const items = ((await env.req('GET', '/api/v1/tokens')).json.items as any[]).filter((t) => t.name.startsWith('bo-'));
  assert.ok(items.every((t) => t.revokedAt), JSON.stringify(items));
  const audit = (await env.req('GET', '/api/v1/audit?action=token.revoked')).json.items;
  assert.equal(audit.length, 3);
});

test('a creator changed around the service still bounds the token at use', async () => {
  const cy = await addUser(env.ctx, systemPrincipal(env.accountId), { email: 'cy@acme.test', name: 'Cy', role: 'admin', password: PASSWORD });
  const t = await tokenBy(await signIn('cy@acme.test'), 'admin', 'cy-admin');
  await env.db.query(`UPDATE users SET role = 'agent' WHERE id = $1`, [cy.id]);
  assert.equal(await status(t.token, 'GET', '/api/v1/tokens'), 403);
  assert.equal(await status(t.token, 'GET', '/api/v1/me'), 200);
  assert.equal((await env.req('GET', '/api/v1/me', { token: t.token })).json.role, 'agent');
  await env.db.query(`UPDATE users SET disabled_at = now() WHERE id = $1`, [cy.id]);
  assert.equal(await status(t.token, 'GET', '/api/v1/me'), 401);
});
