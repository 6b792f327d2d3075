/** Callbacks: abandoned calls are owed contacts with their own SLA; making the callback continues the journey. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, type TestEnv } from './helpers.js';

let env: TestEnv;
let hotline: string;

before(async () => {
  env = await setup();
  const q = await env.req('POST', '/api/v1/queues', {
    token: env.tokens.supervisor,
    body: { name: 'hotline', timezone: 'Europe/Oslo', businessHours: { week: { wed: [['09:00', '17:00']], thu: [['09:00', '17:00']] } } },
  });
  assert.equal(q.status, 201, q.body);
  hotline = q.json.id;
});
after(async () => env?.close());

const utc = (h: number, m: number, s = 0, day = 25) => new Date(Date.UTC(2026, 10, day, h, m, s));
let n = 0;
/** One call through the CTI webhook: arrives, queues, hangs up after `waitS` seconds. Returns the callbacks opened. */
async function abandonedCall(from: string, queue: string, start: Date, waitS: number, extra: object[] = []) {
  const callId = `call-${++n}`;
  const t = (s: number) => new Date(start.getTime() + s * 1000).toISOString();
  const r = await env.req('POST', '/api/v1/voice/events', {
    token: env.tokens.supervisor,
    body: [
      { callId, type: 'call.started', at: t(0), from },
      { callId, type: 'queue.entered', at: t(10), from, queue },
      { callId, type: 'call.abandoned', at: t(10 + waitS), from, queue },
      ...extra.map((e) => ({ callId, from, queue, ...e })),
    ],
  });
  assert.equal(r.status, 201, r.body);
  return { callId, opened: r.json.callbacksOpened as string[] };
}
const getCb = async (id: string) => (await env.req('GET', `/api/v1/callbacks/${id}`, { token: env.tokens.agent })).json;
const attempt = (id: string, outcome: string, token = env.tokens.agent, note?: string) =>
  env.req('POST', `/api/v1/callbacks/${id}/attempts`, { token, body: { outcome, ...(note ? { note } : {}) } });

test('an abandoned call opens one callback, due after the queue\'s callback SLA in business minutes; one open per phone and queue', async () => {
  const policy = await env.req('PATCH', `/api/v1/queues/${hotline}/callback-policy`, { token: env.tokens.supervisor, body: { slaMinutes: 30, maxAttempts: 2 } });
  assert.equal(policy.status, 200, policy.body);
  assert.deepEqual([policy.json.slaMinutes, policy.json.maxAttempts], [30, 2]);
  assert.equal((await env.req('PATCH', `/api/v1/queues/${hotline}/callback-policy`, { token: env.tokens.agent, body: { slaMinutes: 5 } })).status, 403);

  // Hangs up at 16:49:50 Oslo (15:49:50 UTC), 10 minutes before closing: 10 business minutes today, 20 on Thursday.
  const first = await abandonedCall('+47 411 11 111', 'hotline', utc(15, 48, 50), 50);
  assert.equal(first.opened.length, 1);
  const cb = await getCb(first.opened[0]);
  assert.equal(cb.status, 'open');
  assert.equal(cb.phone, '+4741111111');
  assert.equal(cb.queueName, 'hotline');
  assert.equal(new Date(cb.dueAt).toISOString(), new Date(utc(8, 19, 50, 26)).toISOString(), 'Thursday 09:19:50 Oslo');

  // The same caller gives up again while the callback is open: still one open callback in that queue.
  const second = await abandonedCall('+4741111111', 'hotline', utc(15, 52), 30);
  assert.deepEqual(second.opened, []);
  // In another queue they are owed one there too.
  const other = await abandonedCall('+4741111111', 'support', utc(15, 53), 30);
  assert.equal(other.opened.length, 1);
  // A withheld number opens none.
  const anon = await abandonedCall('anonymous', 'support', utc(15, 54), 30);
  assert.deepEqual(anon.opened, []);

  const open = await env.req('GET', '/api/v1/callbacks?status=open', { token: env.tokens.agent });
  assert.deepEqual(open.json.items.map((c: any) => c.queueName), ['support', 'hotline'], 'earliest due first');
  const onlyHotline = await env.req('GET', `/api/v1/callbacks?queue=${hotline}`, { token: env.tokens.agent });
  assert.deepEqual(onlyHotline.json.items.map((c: any) => c.id), first.opened);
  assert.equal((await env.req('GET', '/api/v1/callbacks?queue=nowhere', { token: env.tokens.agent })).status, 400);
  const audit = await env.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE account_id = $1 AND action = 'callback.created'`, [env.accountId]);
  assert.equal(audit.rows[0].n, 2);
});

test('a callback not made by its due time is recorded as an SLA breach; one made in time is not', async () => {
  const late = await abandonedCall('+4742222222', 'support', utc(10, 0), 60);
  const onTime = await abandonedCall('+4742222223', 'support', utc(10, 0), 60);
  const due = new Date((await getCb(late.opened[0])).dueAt);
  assert.equal(due.toISOString(), utc(11, 1, 10).toISOString(), 'an hour after the hang-up (default SLA, no business hours)');

  env.clock.now = utc(10, 30);
  assert.equal((await attempt(onTime.opened[0], 'voicemail')).status, 201);
  env.clock.now = new Date(due.getTime() - 60_000);
  await env.app.jobs.runDue(env.clock.now);
  assert.equal((await getCb(late.opened[0])).breachedAt, null, 'not yet due');

  env.clock.now = new Date(due.getTime() + 1000);
  await env.app.jobs.runDue(env.clock.now);
  await env.app.jobs.runDue(env.clock.now); // twice: nothing more
  const breached = await getCb(late.opened[0]);
  assert.ok(breached.breachedAt, 'breach recorded');
  assert.equal(breached.status, 'open', 'still owed');
  const ev = await env.db.query<any>(`SELECT type, occurred_at, data FROM contact_events WHERE account_id = $1 AND contact_id = $2 AND type = 'sla.breached'`,
    [env.accountId, `callback:${late.opened[0]}`]);
  assert.equal(ev.rows.length, 1);
  assert.equal(ev.rows[0].data.metric, 'callback');
  assert.equal((await getCb(onTime.opened[0])).breachedAt, null, 'an attempt before the due time meets the SLA');
  env.clock.now = null;
});

test('reaching the caller closes the callback and the journey is served, its lived wait running until the callback', async () => {
  const berit = await env.req('POST', '/api/v1/customers', { body: { name: 'Berit Lie', phone: '+4743333333' } });
  const start = utc(12, 0);
  const call = await abandonedCall('+47 433 33 333', 'support', start, 60);
  const id = call.opened[0];
  assert.equal((await getCb(id)).customerId, berit.json.id, 'the caller number is Berit\'s phone');

  // While the callback is open, the journey is still waiting (owed), not lost.
  let j = (await env.req('GET', `/api/v1/journeys?identity=${berit.json.id}`, { token: env.tokens.supervisor })).json.items;
  assert.equal(j.length, 1);
  assert.equal(j[0].outcome, 'waiting');

  env.clock.now = utc(12, 20);
  const miss = await attempt(id, 'no_answer');
  assert.equal(miss.status, 201);
  assert.deepEqual([miss.json.status, miss.json.attempts], ['open', 1]);
  env.clock.now = utc(12, 40);
  const hit = await attempt(id, 'reached', env.tokens.agent, 'Explained the invoice');
  assert.deepEqual([hit.json.status, hit.json.outcome, hit.json.attempts], ['done', 'reached', 2]);
  assert.deepEqual(hit.json.attemptLog.map((a: any) => a.outcome), ['no_answer', 'reached']);
  assert.equal(hit.json.note, 'Explained the invoice');
  assert.equal((await attempt(id, 'reached')).status, 409, 'a done callback takes no more attempts');

  const types = await env.db.query<any>(`SELECT type FROM contact_events WHERE contact_id = $1 ORDER BY occurred_at, id`, [`callback:${id}`]);
  assert.deepEqual(types.rows.map((r) => r.type), ['callback.requested', 'callback.made', 'callback.made', 'contact.answered']);

  j = (await env.req('GET', `/api/v1/journeys?identity=${berit.json.id}`, { token: env.tokens.supervisor })).json.items;
  assert.equal(j.length, 1);
  assert.equal(j[0].outcome, 'answered');
  assert.equal(j[0].attempts, 2);
  assert.equal(j[0].waitSeconds, 40 * 60, 'from dialling in at 12:00 until the human callback at 12:40');
  assert.deepEqual(j[0].contacts.map((c: any) => [c.contactId, c.outcome]), [[`cti:${call.callId}`, 'abandoned'], [`callback:${id}`, 'answered']]);

  const waits = await env.req('GET', '/api/v1/reports/waits?from=2026-11-25T11:00:00Z&to=2026-11-25T13:00:00Z', { token: env.tokens.supervisor });
  assert.equal(waits.status, 200, waits.body);
  assert.equal(waits.json.journeys.answered, 1);
  assert.equal(waits.json.journeys.multiAttempt, 1);
  assert.equal(waits.json.journeys.waitSeconds.p50, 2400);
  env.clock.now = null;
});

test('failed attempts keep the callback open until the queue\'s maximum; then it is closed and the journey never served', async () => {
  const call = await abandonedCall('+4744444444', 'hotline', utc(9, 0, 0, 26), 20);
  const id = call.opened[0];
  env.clock.now = utc(9, 10, 0, 26);
  const one = await attempt(id, 'no_answer');
  assert.deepEqual([one.json.status, one.json.attempts], ['open', 1]);
  const two = await attempt(id, 'voicemail');
  assert.deepEqual([two.json.status, two.json.outcome, two.json.attempts], ['done', 'voicemail', 2], 'hotline allows 2 attempts');
  const j = (await env.req('GET', `/api/v1/journeys?identity=${encodeURIComponent('+4744444444')}`, { token: env.tokens.supervisor })).json.items;
  assert.equal(j[0].outcome, 'never_served');
  assert.equal((await env.req('POST', `/api/v1/callbacks/${id}/attempts`, { body: { outcome: 'called' } })).status, 400);
  env.clock.now = null;
});

test('a supervisor cancels an open callback with a reason; agents may not', async () => {
  const call = await abandonedCall('+4745555555', 'support', utc(14, 0), 20);
  const id = call.opened[0];
  const denied = await env.req('POST', `/api/v1/callbacks/${id}/cancel`, { token: env.tokens.agent, body: { reason: 'spam' } });
  assert.equal(denied.status, 403);
  assert.equal((await env.req('POST', `/api/v1/callbacks/${id}/cancel`, { token: env.tokens.supervisor, body: { reason: '   ' } })).status, 400);
  const ok = await env.req('POST', `/api/v1/callbacks/${id}/cancel`, { token: env.tokens.supervisor, body: { reason: 'Caller wrote an email instead' } });
  assert.equal(ok.status, 200, ok.body);
  assert.deepEqual([ok.json.status, ok.json.cancelReason], ['cancelled', 'Caller wrote an email instead']);
  assert.equal((await attempt(id, 'reached')).status, 409);
  assert.equal((await env.req('POST', `/api/v1/callbacks/${id}/cancel`, { token: env.tokens.supervisor, body: { reason: 'again' } })).status, 409);
  const all = await env.req('GET', '/api/v1/callbacks?status=cancelled', { token: env.tokens.agent });
  assert.deepEqual(all.json.items.map((c: any) => c.id), [id]);
  const audit = await env.db.query<any>(`SELECT data FROM audit_log WHERE account_id = $1 AND action = 'callback.cancelled'`, [env.accountId]);
  assert.equal(audit.rows[0].data.reason, 'Caller wrote an email instead');
  assert.equal((await env.req('GET', '/api/v1/callbacks/00000000-0000-0000-0000-000000000000', { token: env.tokens.agent })).status, 404);
});

test('a caller who gets through on a later call is owed nothing: the open callback closes and the journey is served by the call', async () => {
  const first = await abandonedCall('+4746666660', 'support', utc(13, 0), 45);
  const id = first.opened[0];
  const r = await env.req('POST', '/api/v1/voice/events', {
    token: env.tokens.supervisor,
    body: [
      { callId: 'again-1', type: 'call.started', at: utc(13, 10).toISOString(), from: '+4746666660' },
      { callId: 'again-1', type: 'queue.entered', at: utc(13, 10, 5).toISOString(), from: '+4746666660', queue: 'support' },
      { callId: 'again-1', type: 'call.answered', at: utc(13, 11).toISOString(), from: '+4746666660', queue: 'support' },
    ],
  });
  assert.deepEqual(r.json.callbacksClosed, [id]);
  const cb = await getCb(id);
  assert.deepEqual([cb.status, cb.closedBy, new Date(cb.closedAt).toISOString()], ['done', 'caller', utc(13, 11).toISOString()]);
  const j = (await env.req('GET', `/api/v1/journeys?identity=${encodeURIComponent('+4746666660')}`, { token: env.tokens.supervisor })).json.items;
  assert.equal(j.length, 1);
  assert.deepEqual([j[0].outcome, j[0].attempts, j[0].waitSeconds], ['answered', 3, 11 * 60]);
  // Its due time passes: closed in time, no breach.
  env.clock.now = new Date(new Date(cb.dueAt).getTime() + 1000);
  await env.app.jobs.runDue(env.clock.now);
  assert.equal((await getCb(id)).breachedAt, null);
  env.clock.now = null;
});
