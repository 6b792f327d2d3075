/** Inbox views (mine, unassigned, open, SLA at risk, waiting), their counts, sorting, and paging through a large inbox. */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { setup, convBody, type TestEnv } from './helpers.js';
import { seedConversations } from '../bench/seed-conversations.js';

let env: TestEnv;
let ann: string; // session cookie of agent Ann
let annId: string;
before(async () => {
  env = await setup();
  const u = await env.req('POST', '/api/v1/users', { body: { email: 'ann@acme.test', name: 'Ann', role: 'agent', password: 'long enough password' } });
  annId = u.json.id;
  const r = await env.req('POST', '/api/v1/auth/login', { token: '', body: { email: 'ann@acme.test', password: 'long enough password' } });
  ann = String([r.headers['set-cookie']].flat()[0]).split(';')[0];
});
after(() => env.close());

const list = async (query: string, cookie?: string) => {
  const r = await env.req('GET', `/api/v1/conversations${query}`, cookie ? { token: '', cookie } : {});
  assert.equal(r.status, 200, r.body);
  return r.json;
};
const numbers = (l: any) => l.items.map((c: any) => c.number);

test('views: mine, unassigned, open, SLA at risk, waiting — and their counts', async () => {
  const t0 = new Date('2026-11-25T10:00:00Z');
  env.clock.now = t0;
  try {
    const fast = await env.req('POST', '/api/v1/sla-policies', { body: { name: 'Fast', firstReplyMinutes: 30, nextReplyMinutes: 60, businessHours: false } });
    const slow = await env.req('POST', '/api/v1/sla-policies', { body: { name: 'Slow', firstReplyMinutes: 600, businessHours: false } });
    const qFast = (await env.req('POST', '/api/v1/queues', { body: { name: 'Fast lane', slaPolicyId: fast.json.id } })).json;
    const qSlow = (await env.req('POST', '/api/v1/queues', { body: { name: 'Slow lane', slaPolicyId: slow.json.id } })).json;
    const mk = async (over: Record<string, unknown>) => (await env.req('POST', '/api/v1/conversations', { body: convBody(over) })).json;
    const atRisk = await mk({ queueId: qFast.id, subject: 'Fast and unanswered' });
    const relaxed = await mk({ queueId: qSlow.id, subject: 'Slow and unanswered', assigneeId: annId });
    const waiting = await mk({ queueId: qSlow.id, subject: 'Waiting for the customer' });
    await env.req('PATCH', `/api/v1/conversations/${waiting.id}`, { body: { status: 'pending' } });
    const solved = await mk({ subject: 'Done', assigneeId: annId });
    await env.req('PATCH', `/api/v1/conversations/${solved.id}`, { body: { status: 'solved' } });
    const answeredFast = await mk({ queueId: qFast.id, subject: 'Fast but answered' });
    await env.req('POST', `/api/v1/conversations/${answeredFast.id}/replies`, { body: { text: 'On it' } });

    assert.deepEqual(numbers(await list('?view=mine', ann)), [relaxed.number], 'mine: open and assigned to me (not the solved one)');
    assert.deepEqual(numbers(await list('?view=unassigned')).sort(), [atRisk.number, waiting.number, answeredFast.number].sort());
    assert.deepEqual(numbers(await list('?view=open')).sort(), [atRisk.number, relaxed.number, waiting.number, answeredFast.number].sort());
    assert.deepEqual(numbers(await list('?view=sla_at_risk')), [atRisk.number], 'first reply due in 30 min; the 10 h one and the answered one are not');
    assert.deepEqual(numbers(await list('?view=waiting')), [waiting.number]);
    assert.equal((await list('?view=all')).total, 5);
    assert.deepEqual(numbers(await list(`?number=${waiting.number}`)), [waiting.number], 'one conversation by number');
    assert.equal((await list('')).total, 5, 'no view lists everything, as before');
    const l = await list(`?view=open&queue=${qSlow.id}`);
    assert.deepEqual(numbers(l).sort(), [relaxed.number, waiting.number].sort(), 'a view narrows with the other filters (per queue)');
    assert.equal(l.items.find((c: any) => c.id === relaxed.id).assigneeName, 'Ann', 'rows carry the assignee and queue names');
    assert.equal(l.items[0].queueName, 'Slow lane');

    // Later: the slow one comes due within the hour (10 h − 1 h); the customer writes again on the answered one.
    env.clock.now = new Date(t0.getTime() + 9.5 * 3600_000);
    await env.req('POST', `/api/v1/conversations/${answeredFast.id}/messages`, { body: { text: 'Any news?' } });
    env.clock.now = new Date(t0.getTime() + 9.5 * 3600_000 + 1000);
    const risk = await list('?view=sla_at_risk');
    assert.deepEqual(numbers(risk), [atRisk.number, relaxed.number, answeredFast.number], 'overdue first, then soonest due (next reply counts too)');

    const counts = await env.req('GET', '/api/v1/conversations/counts', { token: '', cookie: ann });
    assert.equal(counts.status, 200, counts.body);
    assert.deepEqual(counts.json.views, { all: 5, open: 4, mine: 1, unassigned: 3, sla_at_risk: 3, waiting: 1 });
    assert.deepEqual(counts.json.queues.map((q: any) => [q.name, q.open]), [['Fast lane', 2], ['Slow lane', 2]]);
    const tokenCounts = await env.req('GET', '/api/v1/conversations/counts', { token: env.tokens.agent });
    assert.equal(tokenCounts.json.views.mine, 0, 'an API token has no "mine"');
  } finally {
    env.clock.now = null;
  }
});

test('bad view or sort answers 400 naming the field; mine needs a user', async () => {
  for (const [query, field] of [['?view=everything', /view/], ['?sort=random', /sort/]] as const) {
    const r = await env.req('GET', `/api/v1/conversations${query}`);
    assert.equal(r.status, 400);
    assert.match(r.body, field);
  }
  const r = await env.req('GET', '/api/v1/conversations?view=mine');
  assert.equal(r.status, 400);
  assert.match(r.json.error.message, /signed-in user/);
  assert.equal((await env.req('GET', '/api/v1/conversations/counts', { token: '' })).status, 401);
});

test('sorting by priority and number; a big inbox pages without gaps or doubles', async () => {
  const other = await env.makeAccount('big');
  const seeded = await seedConversations(env.ctx, other.accountId, 2000);
  assert.equal(seeded.conversations, 2000);
  const get = async (q: string) => (await env.req('GET', `/api/v1/conversations${q}`, { token: other.tokens.agent })).json;
  const first = await get('?view=all&limit=200');
  assert.equal(first.total, 2000);
  assert.equal(first.items.length, 200);
  const seen = new Set<number>();
  for (let offset = 0; offset < 2000; offset += 200) for (const c of (await get(`?view=all&sort=number&limit=200&offset=${offset}`)).items) seen.add(c.number);
  assert.equal(seen.size, 2000, 'every conversation exactly once across the pages');
  const byPrio = (await get('?view=open&sort=priority&limit=200')).items.map((c: any) => c.priority);
  assert.equal(byPrio[0], 'urgent');
  const order = ['urgent', 'high', 'normal', 'low'];
  assert.ok(byPrio.every((p: string, i: number) => i === 0 || order.indexOf(byPrio[i - 1]) <= order.indexOf(p)), 'urgent first, then high, normal, low');
  const counts = (await env.req('GET', '/api/v1/conversations/counts', { token: other.tokens.agent })).json.views;
  assert.equal(counts.all, 2000);
  assert.equal(counts.open, (await get('?view=open&limit=1')).total);
  assert.equal(counts.waiting, (await get('?status=pending&limit=1')).total, 'waiting is the pending ones');
  const search = await get('?view=all&q=Bestellung&limit=5');
  assert.ok(search.total > 0 && search.items.every((c: any) => /Bestellung|warte/i.test(c.subject + c.preview)), 'seeded rows are searchable');
  assert.equal((await env.req('GET', '/api/v1/conversations?view=all', {})).json.total, 5, 'the seed stays in its own account');
});
