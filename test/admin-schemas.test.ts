/**
 * Response schemas of the accounts, queues, SLA, macro, webhook and health routes (issue 15 item 4): every route is
 * called, and each answer is exactly what the service returns — Fastify serializes with the declared schema, so a
 * field the schema forgot would be missing here, and a null under a plain string type would come back as "".
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { setup, convBody, type TestEnv } from './helpers.js';
import { systemPrincipal, type Principal } from '../src/platform/context.js';
import * as accounts from '../src/modules/accounts/accounts.service.js';
import * as queues from '../src/modules/queues/queues.service.js';
import * as macros from '../src/modules/macros/macros.service.js';
import * as webhooks from '../src/modules/webhooks/webhooks.service.js';

let env: TestEnv;
let sys: Principal;
before(async () => {
  env = await setup();
  sys = systemPrincipal(env.accountId);
});
after(() => env.close());

/** JSON as the service returns it (dates as ISO strings), for comparison with the API's answer. */
const plain = (x: unknown) => JSON.parse(JSON.stringify(x));
const cookieOf = (r: { headers: Record<string, unknown> }) => ([r.headers['set-cookie']].flat() as string[]).map((c) => c.split(';')[0]).join('; ');
const ok = (r: { status: number; body: string }, status = 200) => assert.equal(r.status, status, r.body);

test('sign-in, session, me, presence and language answer with the whole user and account', async () => {
  const u = await env.req('POST', '/api/v1/users', { body: { email: 'ada@acme.test', name: 'Ada', role: 'supervisor', password: 'a long enough password' } });
  ok(u, 201);
  const login = await env.req('POST', '/api/v1/auth/login', { token: '', body: { email: 'ada@acme.test', password: 'a long enough password' } });
  ok(login);
  const user = plain(await accounts.getUser(env.ctx, sys, u.json.id));
  const account = plain(await accounts.getAccount(env.ctx, sys));
  assert.deepEqual(login.json.user, user);
  assert.deepEqual(login.json.account, account);
  assert.ok(!Number.isNaN(Date.parse(login.json.expiresAt)));
  assert.equal(user.timezone, null, 'a null time zone stays null');
  assert.equal(user.invitedUntil, null);
  const cookie = cookieOf(login);

  const session = await env.req('GET', '/api/v1/auth/session', { token: '', cookie });
  ok(session);
  assert.deepEqual(session.json, { signedIn: true, role: 'supervisor', kind: 'user', user, account });
  assert.deepEqual((await env.req('GET', '/api/v1/auth/session', { token: '' })).json, { signedIn: false });
  const me = await env.req('GET', '/api/v1/me', { token: '', cookie });
  assert.deepEqual(me.json, { role: 'supervisor', kind: 'user', user, account });
  const byToken = await env.req('GET', '/api/v1/me');
  assert.deepEqual(byToken.json, { role: 'admin', kind: 'token', user: null, account }, 'a token has no user');

  const presence = await env.req('PUT', '/api/v1/me/presence', { token: '', cookie, body: { presence: 'available' } });
  ok(presence);
  assert.deepEqual(presence.json, plain(await accounts.getUser(env.ctx, sys, u.json.id)));
  assert.equal(presence.json.presence, 'available');
  const locale = await env.req('PUT', '/api/v1/me/locale', { token: '', cookie, body: { locale: 'nb' } });
  ok(locale);
  assert.deepEqual(locale.json, plain(await accounts.getUser(env.ctx, sys, u.json.id)));

  const out = await env.req('POST', '/api/v1/auth/logout', { token: '', cookie });
  ok(out);
  assert.deepEqual(out.json, { ok: true });
});

test('invitation and password links: forgot, check, set and a new invitation answer in full', async () => {
  const u = await env.req('POST', '/api/v1/users', { body: { email: 'ben@acme.test', name: 'Ben', role: 'agent', locale: 'de' } });
  ok(u, 201);
  assert.equal(u.json.passwordSet, false);
  assert.ok(u.json.invitedUntil, 'the open invitation is shown');
  const again = await env.req('POST', `/api/v1/users/${u.json.id}/invitation`);
  ok(again, 201);
  assert.deepEqual(Object.keys(again.json).sort(), ['email', 'expiresAt', 'userId']);
  assert.equal(again.json.userId, u.json.id);
  const mail = await env.db.query<{ text_body: string }>(
    `SELECT text_body FROM outbound_emails WHERE 'ben@acme.test' = ANY(to_addresses) ORDER BY created_at DESC, id DESC LIMIT 1`,
  );
  const token = /#token=([\w-]+)/.exec(mail.rows[0].text_body)?.[1] ?? '';
  assert.ok(token, 'the mail carries the link');
  const check = await env.req('POST', '/api/v1/auth/password/check', { token: '', body: { token } });
  ok(check);
  assert.deepEqual({ ...check.json, expiresAt: undefined }, { state: 'valid', purpose: 'invite', email: 'ben@acme.test', name: 'Ben', account: 'Test acme', locale: 'de', expiresAt: undefined });
  assert.equal(check.json.expiresAt, again.json.expiresAt);
  const set = await env.req('POST', '/api/v1/auth/password/set', { token: '', body: { token, password: 'Zelte und Schlafsäcke' } });
  ok(set);
  assert.deepEqual(set.json, { ok: true, email: 'ben@acme.test' });
  assert.deepEqual((await env.req('POST', '/api/v1/auth/password/check', { token: '', body: { token } })).json, { state: 'used', purpose: 'invite' });
  const forgot = await env.req('POST', '/api/v1/auth/password/forgot', { token: '', body: { email: 'ben@acme.test' } });
  ok(forgot, 202);
  assert.deepEqual(forgot.json, { ok: true });
});

test('account, users and teams answer with every field of the service', async () => {
  ok(await env.req('GET', '/api/v1/account'));
  assert.deepEqual((await env.req('GET', '/api/v1/account')).json, plain(await accounts.getAccount(env.ctx, sys)));
  const patched = await env.req('PATCH', '/api/v1/account', { body: { currency: 'NOK', locale: 'nb' } });
  ok(patched);
  assert.deepEqual(patched.json, plain(await accounts.getAccount(env.ctx, sys)));
  assert.ok(patched.json.createdAt);

  const u = await env.req('POST', '/api/v1/users', { body: { email: 'cleo@acme.test', name: 'Cleo', role: 'agent', timezone: 'Europe/Oslo', invite: false } });
  ok(u, 201);
  assert.deepEqual(u.json, plain(await accounts.getUser(env.ctx, sys, u.json.id)));
  assert.deepEqual((await env.req('GET', `/api/v1/users/${u.json.id}`)).json, plain(await accounts.getUser(env.ctx, sys, u.json.id)));
  const changed = await env.req('PATCH', `/api/v1/users/${u.json.id}`, { body: { disabled: true, capacity: 2 } });
  ok(changed);
  assert.deepEqual(changed.json, plain(await accounts.getUser(env.ctx, sys, u.json.id)));
  assert.equal(changed.json.disabled, true);
  assert.deepEqual((await env.req('GET', '/api/v1/users')).json, { items: plain(await accounts.listUsers(env.ctx, sys)) });

  const team = await env.req('POST', '/api/v1/teams', { body: { name: 'Billing', memberIds: [u.json.id] } });
  ok(team, 201);
  assert.deepEqual(team.json, plain(await accounts.getTeam(env.ctx, sys, team.json.id)));
  assert.deepEqual(team.json.memberIds, [u.json.id]);
  const members = await env.req('PUT', `/api/v1/teams/${team.json.id}/members`, { body: { memberIds: [] } });
  ok(members);
  assert.deepEqual(members.json, plain(await accounts.getTeam(env.ctx, sys, team.json.id)));
  assert.deepEqual((await env.req('GET', '/api/v1/teams')).json, { items: plain(await accounts.listTeams(env.ctx, sys)) });
});

test('API tokens: the secret once, then the list with creator, last use and revocation', async () => {
  const made = await env.req('POST', '/api/v1/tokens', { body: { role: 'agent', name: 'CI' } });
  ok(made, 201);
  assert.deepEqual(Object.keys(made.json).sort(), ['createdAt', 'id', 'name', 'role', 'token']);
  assert.ok(made.json.token.startsWith('es_'));
  ok(await env.req('GET', '/api/v1/me', { token: made.json.token }));
  ok(await env.req('DELETE', `/api/v1/tokens/${made.json.id}`), 204);
  const list = await env.req('GET', '/api/v1/tokens');
  ok(list);
  assert.deepEqual(list.json, { items: plain(await accounts.listTokens(env.ctx, sys)) });
  const row = list.json.items.find((t: { id: string }) => t.id === made.json.id);
  assert.ok(row.lastUsedAt && row.revokedAt, 'last use and revocation are shown');
  assert.equal(list.json.items.find((t: { name: string }) => t.name === 'admin').createdBy, null, 'made by the operator');
});

test('queues and SLA policies answer with business hours, callback policy and nulls intact', async () => {
  const sla = await env.req('POST', '/api/v1/sla-policies', { body: { name: 'Gold', firstReplyMinutes: 30, nextReplyMinutes: null } });
  ok(sla, 201);
  assert.deepEqual((await env.req('GET', '/api/v1/sla-policies')).json, { items: plain(await queues.listSlaPolicies(env.ctx, sys)) });
  assert.equal(sla.json.nextReplyMinutes, null);
  const businessHours = { week: { mon: [['09:00', '12:00'], ['13:00', '17:00']], sat: [] }, holidays: ['2026-12-24'] };
  const q = await env.req('POST', '/api/v1/queues', { body: { name: 'Billing', businessHours, slaPolicyId: sla.json.id, assignment: 'load' } });
  ok(q, 201);
  assert.deepEqual(q.json, plain(await queues.getQueue(env.ctx, sys, q.json.id)));
  assert.deepEqual(q.json.businessHours, businessHours);
  assert.equal(q.json.teamId, null);
  assert.equal(q.json.callbackSlaMinutes, 60);
  const p = await env.req('PATCH', `/api/v1/queues/${q.json.id}`, { body: { businessHours: null, slaPolicyId: null } });
  ok(p);
  assert.deepEqual(p.json, plain(await queues.getQueue(env.ctx, sys, q.json.id)));
  assert.equal(p.json.businessHours, null);
  assert.deepEqual((await env.req('GET', `/api/v1/queues/${q.json.id}`)).json, p.json);
  assert.deepEqual((await env.req('GET', '/api/v1/queues')).json, { items: plain(await queues.listQueues(env.ctx, sys)) });
});

test('macros answer with actions, language and times; deleting answers 204', async () => {
  const q = (await queues.listQueues(env.ctx, sys))[0];
  const m = await env.req('POST', '/api/v1/macros', {
    body: { name: 'Refund', kind: 'note', body: 'Hi {{customer.first_name|there}}', language: 'nb', actions: { status: 'pending', priority: 'high', addTags: ['refund'], queueId: q.id } },
  });
  ok(m, 201);
  assert.deepEqual(m.json, plain(await macros.getMacro(env.ctx, sys, m.json.id)));
  assert.deepEqual(m.json.actions, { status: 'pending', priority: 'high', addTags: ['refund'], queueId: q.id });
  const p = await env.req('PATCH', `/api/v1/macros/${m.json.id}`, { body: { language: null, actions: {} } });
  ok(p);
  assert.deepEqual(p.json, plain(await macros.getMacro(env.ctx, sys, m.json.id)));
  assert.equal(p.json.language, null);
  assert.deepEqual((await env.req('GET', '/api/v1/macros')).json, { items: plain(await macros.listMacros(env.ctx, sys)), placeholders: [...macros.PLACEHOLDERS] });
  ok(await env.req('DELETE', `/api/v1/macros/${m.json.id}`), 204);
});

test('webhooks: the secret once, the list with the known events, deliveries with their outcome', async () => {
  const w = await env.req('POST', '/api/v1/webhooks', { body: { url: 'https://hooks.example.com/earshot', events: ['conversation.created'] } });
  ok(w, 201);
  assert.deepEqual(Object.keys(w.json).sort(), ['active', 'createdAt', 'events', 'id', 'secret', 'url']);
  assert.ok(w.json.secret.startsWith('whsec_'));
  const list = await env.req('GET', '/api/v1/webhooks');
  assert.deepEqual(list.json, { items: plain(await webhooks.listWebhooks(env.ctx, sys)), events: [...webhooks.WEBHOOK_EVENTS] });
  ok(await env.req('POST', '/api/v1/conversations', { body: convBody() }), 201);
  ok(await env.req('POST', '/api/v1/conversations', { body: convBody() }), 201);
  // One delivery as the receiver answered it, one still pending (its status, error and time are null).
  await env.db.query(
    `UPDATE webhook_deliveries SET status = 'delivered', attempts = 1, response_status = 204, delivered_at = now()
      WHERE id = (SELECT id FROM webhook_deliveries WHERE webhook_id = $1 ORDER BY created_at, id LIMIT 1)`,
    [w.json.id],
  );
  const d = await env.req('GET', `/api/v1/webhooks/${w.json.id}/deliveries`);
  ok(d);
  assert.deepEqual(d.json, { items: plain(await webhooks.listDeliveries(env.ctx, sys, w.json.id)) });
  assert.deepEqual(d.json.items.map((x: { status: string }) => x.status).sort(), ['delivered', 'pending']);
  assert.ok(d.json.items.some((x: { responseStatus: unknown; deliveredAt: unknown }) => x.responseStatus === null && x.deliveredAt === null));
  ok(await env.req('DELETE', `/api/v1/webhooks/${w.json.id}`), 204);
});

test('health answers with the database and its latency', async () => {
  const h = await env.req('GET', '/api/health', { token: '' });
  ok(h);
  assert.deepEqual(Object.keys(h.json).sort(), ['database', 'dbLatencyMs', 'status', 'version']);
  assert.equal(h.json.status, 'ok');
  assert.equal(h.json.database, env.db.kind);
});
