import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { setup, convBody, type TestEnv } from './helpers.js';

let env: TestEnv;
before(async () => {
  env = await setup();
});
after(() => env.close());

async function agent(email: string, capacity = 10) {
  const u = await env.req('POST', '/api/v1/users', { body: { email, name: email.split('@')[0], role: 'agent', password: 'long enough password', capacity } });
  await env.db.query(`UPDATE users SET presence = 'available' WHERE id = $1`, [u.json.id]);
  return u.json.id as string;
}

test('queues, teams, SLA policies and users are managed through the API', async () => {
  const a = await agent('x@acme.test');
  const team = await env.req('POST', '/api/v1/teams', { token: env.tokens.supervisor, body: { name: 'Team DACH', memberIds: [a] } });
  assert.equal(team.status, 201);
  assert.deepEqual(team.json.memberIds, [a]);
  assert.equal((await env.req('PUT', `/api/v1/teams/${team.json.id}/members`, { token: env.tokens.supervisor, body: { memberIds: [] } })).json.memberIds.length, 0);
  assert.equal((await env.req('PUT', `/api/v1/teams/${team.json.id}/members`, { token: env.tokens.supervisor, body: { memberIds: ['nope'] } })).status, 400);
  assert.equal((await env.req('GET', '/api/v1/teams', { token: env.tokens.agent })).json.items.length, 1);
  const sla = await env.req('POST', '/api/v1/sla-policies', { token: env.tokens.supervisor, body: { name: 'Gold', firstReplyMinutes: 60, resolutionMinutes: 480 } });
  assert.equal(sla.status, 201);
  assert.equal((await env.req('GET', '/api/v1/sla-policies', { token: env.tokens.agent })).json.items[0].name, 'Gold');
  const q = await env.req('POST', '/api/v1/queues', { token: env.tokens.supervisor, body: { name: 'Kundenservice', timezone: 'Europe/Berlin', businessHours: { week: { mon: [['09:00', '17:00']] } }, teamId: team.json.id, slaPolicyId: sla.json.id } });
  assert.equal(q.status, 201);
  assert.match((await env.req('POST', '/api/v1/queues', { body: { name: 'Bad', timezone: 'Mars/Olympus' } })).json.error.message, /^timezone: unknown time zone 'Mars\/Olympus'/);
  // POSIX-style names mean the opposite offset to PostgreSQL, so they are refused too.
  assert.equal((await env.req('POST', '/api/v1/queues', { body: { name: 'Bad', timezone: 'UTC+3' } })).status, 400);
  assert.equal((await env.req('POST', '/api/v1/queues', { body: { name: 'Bad2', businessHours: { week: { mon: [['18:00', '08:00']] } } } })).status, 400);
  const patched = await env.req('PATCH', `/api/v1/queues/${q.json.id}`, { body: { assignment: 'load', businessHours: null } });
  assert.equal(patched.json.assignment, 'load');
  assert.equal(patched.json.businessHours, null);
  assert.equal((await env.req('GET', `/api/v1/queues/${q.json.id}`, { token: env.tokens.agent })).json.name, 'Kundenservice');
  assert.ok((await env.req('GET', '/api/v1/queues', { token: env.tokens.agent })).json.items.length >= 1);
  const users = await env.req('GET', '/api/v1/users', { token: env.tokens.agent });
  assert.ok(users.json.items.some((u: any) => u.id === a));
  assert.equal((await env.req('GET', `/api/v1/users/${a}`, { token: env.tokens.agent })).json.email, 'x@acme.test');
  const acc = await env.req('PATCH', '/api/v1/account', { body: { timezone: 'Europe/Oslo', locale: 'nb' } });
  assert.equal(acc.json.timezone, 'Europe/Oslo');
  assert.equal((await env.req('GET', '/api/v1/account', { token: env.tokens.agent })).json.locale, 'nb');
});

test('round robin spreads conversations over available agents and skips the away and the full', async () => {
  const [a, b, c] = [await agent('rr1@acme.test'), await agent('rr2@acme.test'), await agent('rr3@acme.test', 1)];
  const away = await agent('rr4@acme.test');
  await env.db.query(`UPDATE users SET presence = 'away' WHERE id = $1`, [away]);
  const team = await env.req('POST', '/api/v1/teams', { body: { name: 'RR', memberIds: [a, b, c, away] } });
  const q = await env.req('POST', '/api/v1/queues', { body: { name: 'RR queue', teamId: team.json.id, assignment: 'round_robin' } });
  const got: string[] = [];
  for (let i = 0; i < 7; i++) got.push((await env.req('POST', '/api/v1/conversations', { body: convBody({ queueId: q.json.id }) })).json.assigneeId);
  assert.ok(!got.includes(away), 'away agents get nothing');
  assert.equal(got.filter((x) => x === c).length, 1, 'capacity 1 caps the third agent');
  assert.equal(got.filter((x) => x === a).length + got.filter((x) => x === b).length, 6);
  assert.ok(Math.abs(got.filter((x) => x === a).length - got.filter((x) => x === b).length) <= 1, got.join());
});

test('load assignment picks the least loaded; presence comes from the signed-in user', async () => {
  const a = await agent('ld1@acme.test');
  const b = await agent('ld2@acme.test');
  const team = await env.req('POST', '/api/v1/teams', { body: { name: 'Load', memberIds: [a, b] } });
  const q = await env.req('POST', '/api/v1/queues', { body: { name: 'Load queue', teamId: team.json.id, assignment: 'load' } });
  for (let i = 0; i < 3; i++) await env.req('POST', '/api/v1/conversations', { body: convBody({ queueId: q.json.id, assigneeId: a }) });
  const next = await env.req('POST', '/api/v1/conversations', { body: convBody({ queueId: q.json.id }) });
  assert.equal(next.json.assigneeId, b);
  // b goes away; a manual conversation in the queue cannot be auto-assigned to b any more
  const login = await env.req('POST', '/api/v1/auth/login', { token: '', body: { email: 'ld2@acme.test', password: 'long enough password' } });
  const cookie = String([login.headers['set-cookie']].flat()[0]).split(';')[0];
  assert.equal((await env.req('PUT', '/api/v1/me/presence', { token: '', cookie, body: { presence: 'away' } })).json.presence, 'away');
  const un = await env.req('POST', '/api/v1/conversations', { body: convBody({ queueId: q.json.id, assigneeId: b }) });
  await env.req('POST', `/api/v1/conversations/${un.json.id}/assign`, { body: { assigneeId: null } });
  const auto = await env.req('POST', `/api/v1/conversations/${un.json.id}/assign`, { body: { auto: true } });
  assert.equal(auto.json.assigneeId, a);
  const ev = (await env.req('GET', `/api/v1/conversations/${un.json.id}/events`)).json.items.map((e: any) => e.type);
  assert.ok(ev.includes('conversation.assigned') && ev.includes('agent.offered'));
});

test('SLA: a missed first reply raises one breach event at the due time, a met one none', async () => {
  const sla = await env.req('POST', '/api/v1/sla-policies', { body: { name: 'Fast', firstReplyMinutes: 30, businessHours: false } });
  const q = await env.req('POST', '/api/v1/queues', { body: { name: 'Fast queue', slaPolicyId: sla.json.id } });
  const t0 = new Date('2026-11-25T10:00:00Z');
  env.clock.now = t0;
  try {
    const late = await env.req('POST', '/api/v1/conversations', { body: convBody({ queueId: q.json.id }) });
    const fine = await env.req('POST', '/api/v1/conversations', { body: convBody({ queueId: q.json.id }) });
    assert.equal(late.json.sla.firstReplyDueAt.slice(0, 16), '2026-11-25T10:30');
    env.clock.now = new Date('2026-11-25T10:10:00Z');
    await env.req('POST', `/api/v1/conversations/${fine.json.id}/replies`, { body: { text: 'On it!' } });
    env.clock.now = new Date('2026-11-25T10:29:00Z');
    await env.app.jobs.runDue(env.clock.now);
    assert.deepEqual((await env.req('GET', `/api/v1/conversations/${late.json.id}`)).json.sla.breached, []);
    env.clock.now = new Date('2026-11-25T10:31:00Z');
    await env.app.jobs.runDue(env.clock.now);
    await env.app.jobs.runDue(env.clock.now);
    assert.deepEqual((await env.req('GET', `/api/v1/conversations/${late.json.id}`)).json.sla.breached, ['first_reply']);
    assert.deepEqual((await env.req('GET', `/api/v1/conversations/${fine.json.id}`)).json.sla.breached, []);
    const ev = (await env.req('GET', `/api/v1/contact-events?conversation=${late.json.id}&type=sla.breached`, { token: env.tokens.supervisor })).json.items;
    assert.equal(ev.length, 1);
    assert.equal(ev[0].data.metric, 'first_reply');
  } finally {
    env.clock.now = null;
  }
});
