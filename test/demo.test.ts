/**
 * The demo account that `npm start` creates: sign-in works with the README's credentials, the inbox has the stories,
 * and the simulated hotline gives the waits report reported and lived figures with multi-attempt journeys.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, type TestEnv } from './helpers.js';
import { DEMO_PASSWORD, seedDemo } from '../src/demo/seed.js';

let env: TestEnv;
before(async () => {
  env = await setup();
});
after(async () => {
  await env.close();
});

test('the demo account: sign in as the README says, conversations and a hotline with lived waits', async () => {
  assert.equal(await seedDemo(env.ctx), true);
  assert.equal(await seedDemo(env.ctx), false, 'a second start finds the demo account and adds nothing');
  const login = await env.req('POST', '/api/v1/auth/login', { token: '', body: { email: 'martin@demo.earshot.test', password: DEMO_PASSWORD } });
  assert.equal(login.status, 200, login.body);
  const cookie = String(login.headers['set-cookie']).split(';')[0];
  const convs = await env.req('GET', '/api/v1/conversations', { token: '', cookie });
  assert.ok(convs.json.items.length >= 5, convs.body);
  const w = await env.req('GET', '/api/v1/reports/waits?by=queue', { token: '', cookie });
  assert.equal(w.status, 200, w.body);
  const hotline = w.json.groups.find((g: any) => g.label === 'Hotline');
  assert.ok(hotline.contacts > 1000, `hotline contacts ${hotline.contacts}`);
  assert.ok(hotline.journeys.multiAttempt > 0);
  // The story the demo tells: customers who redialled lived far longer waits than the dashboard's ASA.
  assert.ok(hotline.journeys.multiAttemptWaitSeconds.p50 > 5 * hotline.reported.asaSeconds, JSON.stringify(hotline));
  const email = (await env.req('GET', '/api/v1/reports/waits?channel=email', { token: '', cookie })).json;
  assert.ok(email.contacts > 0 && email.answered > 0, JSON.stringify(email));
  // Mailboxes for the three queues; the history's replies are recorded as mail but never sent.
  const mb = (await env.db.query<{ address: string }>('SELECT address FROM mailboxes ORDER BY address')).rows.map((r) => r.address);
  assert.deepEqual(mb, ['kundenservice@demo.earshot.test', 'kundeservice@demo.earshot.test', 'support@demo.earshot.test']);
  const out = (await env.db.query<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM outbound_emails GROUP BY status')).rows;
  assert.ok(out.length === 1 && out[0].status === 'failed' && out[0].n > 0, JSON.stringify(out));
  assert.equal((await env.db.query(`SELECT 1 FROM jobs WHERE kind = 'email.send' AND status = 'queued'`)).rows.length, 0);
});
