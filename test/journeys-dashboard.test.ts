/**
 * What the dashboards read beyond the waits report: the distribution of lived waits (bucket counts by hand) and the
 * live queue wall (waiting now per queue, longest lived wait now, agents by presence, open callbacks); agents see
 * neither.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, convBody, type TestEnv } from './helpers.js';

let env: TestEnv;
before(async () => {
  env = await setup();
});
after(async () => {
  await env.close();
});

const jsonl = (rows: object[]) => `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`;
const importEvents = (rows: object[]) =>
  env.req('POST', '/api/v1/imports/events?tz=UTC', { body: jsonl(rows), headers: { 'content-type': 'application/x-ndjson' } });

type Outcome = 'answered' | 'abandoned' | 'waiting';
function call(id: string, identity: string | null, day: string, start: string, queueAt: string, end: string | null, outcome: Outcome, queue = 'Support', channel = 'phone') {
  const at = (hms: string) => `${day}T${hms}Z`;
  const ev: object[] = [
    { contactId: id, type: 'contact.arrived', channel, at: at(start), ...(identity ? { identity } : {}), queue },
    { contactId: id, type: 'queue.entered', channel, at: at(queueAt), queue },
  ];
  if (outcome !== 'waiting') ev.push({ contactId: id, type: outcome === 'answered' ? 'contact.answered' : 'contact.abandoned', channel, at: at(end!), agent: 'Kari' });
  return ev;
}

const bucketOf = (edges: number[], w: number) => edges.findLastIndex((e) => e <= w);

test('distribution: bucket counts of lived contact waits and journey waits, with the reported ASA, filtered like the report', async () => {
  const day = '2026-04-06';
  const r = await importEvents([
    // Anna: 330 s (hung up), 630 s (hung up), answered after 150 s lived (120 s in the queue): journey 3750 s, 3 attempts
    ...call('a1', '+4791000001', day, '09:00:00', '09:00:30', '09:05:30', 'abandoned'),
    ...call('a2', '+4791000001', day, '09:20:00', '09:20:30', '09:30:30', 'abandoned'),
    ...call('a3', '+4791000001', day, '10:00:00', '10:00:30', '10:02:30', 'answered'),
    // Bo: 60 s lived, 20 s in the queue
    ...call('b1', '+4791000002', day, '11:00:00', '11:00:40', '11:01:00', 'answered'),
    // unidentified: 40 s lived, 30 in the queue; no journey
    ...call('u1', null, day, '13:00:00', '13:00:10', '13:00:40', 'answered'),
    // still waiting: no lived wait yet
    ...call('w1', '+4791000003', day, '14:00:00', '14:00:10', null, 'waiting'),
    // another queue, as chat: 15 s lived
    ...call('s1', '+4791000004', day, '15:00:00', '15:00:05', '15:00:15', 'answered', 'Sales', 'chat'),
  ]);
  assert.equal(r.status, 201, r.body);

  const d = await env.req('GET', `/api/v1/reports/waits/distribution?from=${day}&to=2026-04-07&tz=UTC`, { token: env.tokens.leader });
  assert.equal(d.status, 200, d.body);
  const f = d.json;
  assert.equal(f.edges[0], 0);
  assert.equal(f.contactWaits.counts.length, f.edges.length);
  const expect = (waits: number[]) => {
    const counts = f.edges.map(() => 0);
    for (const w of waits) counts[bucketOf(f.edges, w)]++;
    return counts;
  };
  // Lived contact waits of the contacts with an outcome; the waiting one has none.
  assert.deepEqual(f.contactWaits.counts, expect([330, 630, 150, 60, 40, 15]));
  assert.equal(f.contactWaits.total, 6);
  // Served journeys: Anna 3750 s, Bo 60 s, the Sales chat 15 s; multi-attempt: Anna only.
  assert.deepEqual(f.journeyWaits.counts, expect([3750, 60, 15]));
  assert.deepEqual(f.multiAttemptJourneyWaits.counts, expect([3750]));
  // ASA over answered contacts: queue waits 120, 20, 30, 10 → 45; equal to the waits report's.
  assert.equal(f.reported.asaSeconds, 45);
  const w = await env.req('GET', `/api/v1/reports/waits?from=${day}&to=2026-04-07&tz=UTC`);
  assert.equal(w.json.reported.asaSeconds, f.reported.asaSeconds);

  // Filters: one queue, one channel.
  const sales = (await env.req('GET', `/api/v1/reports/waits/distribution?from=${day}&to=2026-04-07&tz=UTC&queue=Sales`)).json;
  assert.deepEqual(sales.contactWaits.counts, expect([15]));
  assert.equal(sales.reported.asaSeconds, 10);
  const phone = (await env.req('GET', `/api/v1/reports/waits/distribution?from=${day}&to=2026-04-07&tz=UTC&channel=phone`)).json;
  assert.equal(phone.contactWaits.total, 5);
  assert.equal(phone.journeyWaits.total, 2);
  // An empty period has empty buckets and no ASA.
  const none = (await env.req('GET', '/api/v1/reports/waits/distribution?from=2020-01-01&to=2020-01-02')).json;
  assert.equal(none.contactWaits.total, 0);
  assert.equal(none.reported.asaSeconds, null);
  // Wrong input is named.
  const bad = await env.req('GET', '/api/v1/reports/waits/distribution?from=2026-04-07&to=2026-04-06');
  assert.equal(bad.status, 400);
  assert.match(bad.body, /to/);
  assert.equal((await env.req('GET', '/api/v1/reports/waits/distribution?queue=Nope')).status, 400);
});

test('live wall: waiting now per queue with the longest lived wait, agents by presence, open callbacks', async () => {
  const now = new Date('2026-04-08T12:00:00Z');
  env.clock.now = now;
  // Queues with a team each; agents with presence.
  const q1 = (await env.req('POST', '/api/v1/queues', { body: { name: 'Billing' } })).json;
  const q2 = (await env.req('POST', '/api/v1/queues', { body: { name: 'Returns' } })).json;
  const team = (await env.db.query<{ id: string }>(`INSERT INTO teams (account_id, name) VALUES ($1, 'Billing team') RETURNING id`, [env.accountId])).rows[0].id;
  await env.req('PATCH', `/api/v1/queues/${q1.id}`, { body: { teamId: team } });
  const mk = async (name: string, presence: string, role = 'agent') =>
    (await env.db.query<{ id: string }>(
      `INSERT INTO users (account_id, email, name, role, presence) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [env.accountId, `${name.toLowerCase()}@wall.test`, name, role, presence],
    )).rows[0].id;
  const kari = await mk('Kari', 'available');
  const per = await mk('Per', 'busy');
  await mk('Siv', 'away');
  await mk('Leo', 'offline');
  await mk('Lea', 'available', 'leader'); // leaders take no contacts: not on the wall
  await env.db.query('INSERT INTO team_members (team_id, user_id) VALUES ($1, $2), ($1, $3)', [team, kari, per]);

  // Billing: an email 20 min old and one 5 min old, both without a reply; one answered (not waiting).
  env.clock.now = new Date(now.getTime() - 20 * 60_000);
  const oldest = (await env.req('POST', '/api/v1/conversations', { body: convBody({ queueId: q1.id, customer: { email: 'old@example.com' } }) })).json;
  env.clock.now = new Date(now.getTime() - 5 * 60_000);
  await env.req('POST', '/api/v1/conversations', { body: convBody({ queueId: q1.id, customer: { email: 'new@example.com' } }) });
  const answered = (await env.req('POST', '/api/v1/conversations', { body: convBody({ queueId: q1.id, customer: { email: 'done@example.com' } }) })).json;
  assert.equal((await env.req('POST', `/api/v1/conversations/${answered.id}/replies`, { body: { text: 'On its way.' } })).status, 201);
  // Returns: a call in the queue since 11:58 (today), and one from yesterday that never got an outcome (not waiting now).
  await importEvents([
    ...call('live-1', '+4792000001', '2026-04-08', '11:58:00', '11:58:20', null, 'waiting', 'Returns'),
    ...call('stale-1', '+4792000002', '2026-04-07', '11:00:00', '11:00:20', null, 'waiting', 'Returns'),
  ]);
  // Callbacks: one open and overdue in Returns, one done.
  await env.db.query(
    `INSERT INTO callbacks (account_id, queue_id, contact_id, phone, status, due_at, created_at) VALUES
       ($1, $2, 'cb-1', '+4792000009', 'open', $3, $3), ($1, $2, 'cb-2', '+4792000010', 'done', $3, $3)`,
    [env.accountId, q2.id, new Date(now.getTime() - 3600_000)],
  );
  env.clock.now = now;

  const r = await env.req('GET', '/api/v1/reports/live', { token: env.tokens.supervisor });
  assert.equal(r.status, 200, r.body);
  const wall = r.json;
  assert.equal(wall.now, now.toISOString());
  const billing = wall.queues.find((q: any) => q.name === 'Billing');
  const returns = wall.queues.find((q: any) => q.name === 'Returns');
  assert.equal(billing.waiting.total, 2);
  assert.deepEqual(billing.waiting.byChannel, { email: 2 });
  assert.equal(billing.longestWaitSeconds, 20 * 60);
  assert.deepEqual(billing.agents.available.map((a: any) => a.name), ['Kari']);
  assert.deepEqual(billing.agents.busy.map((a: any) => a.name), ['Per']);
  assert.equal(billing.agents.away.length, 0);
  assert.equal(returns.waiting.total, 1);
  assert.deepEqual(returns.waiting.byChannel, { phone: 1 });
  assert.equal(returns.longestWaitSeconds, 120);
  assert.deepEqual(returns.callbacks, { open: 1, overdue: 1 });
  // Queues without a team list no agents; the account-wide list has every agent and supervisor by presence.
  assert.equal(returns.agents.available.length, 0);
  assert.deepEqual(wall.agents.available.map((a: any) => a.name), ['Kari']);
  assert.deepEqual(wall.agents.away.map((a: any) => a.name), ['Siv']);
  assert.ok(wall.agents.offline.some((a: any) => a.name === 'Leo'));
  assert.equal(wall.totals.waiting, 3);
  assert.equal(wall.totals.longestWaitSeconds, 20 * 60);
  assert.equal(wall.totals.callbacksOpen, 1);

  // A reply takes a contact off the wall.
  assert.equal((await env.req('POST', `/api/v1/conversations/${oldest.id}/replies`, { body: { text: 'Looking into it.' } })).status, 201);
  const after = (await env.req('GET', '/api/v1/reports/live')).json;
  const b2 = after.queues.find((q: any) => q.name === 'Billing');
  assert.equal(b2.waiting.total, 1);
  assert.equal(b2.longestWaitSeconds, 5 * 60);
  env.clock.now = null;
});

test('roles: agents see neither the distribution nor the wall; leaders and supervisors do', async () => {
  assert.equal((await env.req('GET', '/api/v1/reports/live', { token: env.tokens.agent })).status, 403);
  assert.equal((await env.req('GET', '/api/v1/reports/waits/distribution', { token: env.tokens.agent })).status, 403);
  assert.equal((await env.req('GET', '/api/v1/reports/live', { token: env.tokens.leader })).status, 200);
  assert.equal((await env.req('GET', '/api/v1/reports/waits/distribution', { token: env.tokens.supervisor })).status, 200);
  // Another account sees nothing of this one.
  const other = await env.makeAccount('wall-other');
  const w = (await env.req('GET', '/api/v1/reports/live', { token: other.tokens.admin })).json;
  assert.equal(w.totals.waiting, 0);
  assert.equal(w.queues.length, 0);
});

test('journeys list: each contact names its conversation, and a known customer their name (the dashboard links down to them)', async () => {
  const c = (await env.req('POST', '/api/v1/conversations', { body: convBody({ customer: { email: 'berit@example.com', name: 'Berit Dahl' } }) })).json;
  assert.equal((await env.req('POST', `/api/v1/conversations/${c.id}/replies`, { body: { text: 'Hello Berit.' } })).status, 201);
  const list = await env.req('GET', '/api/v1/journeys?limit=500', { token: env.tokens.leader });
  assert.equal(list.status, 200, list.body);
  const j = list.json.items.find((x: any) => x.contacts.some((k: any) => k.conversationId === c.id));
  assert.ok(j, 'the conversation is a contact of a journey');
  assert.equal(j.customer.name, 'Berit Dahl');
  assert.equal(j.outcome, 'answered');
  // Imported calls have no conversation.
  const call = list.json.items.find((x: any) => x.customer.identity === '+4791000001');
  assert.ok(call.contacts.every((k: any) => k.conversationId === null));
});
