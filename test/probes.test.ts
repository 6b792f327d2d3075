/**
 * Probes against a real server: the app listening on a loopback port with its SMTP listener and chat socket. An email
 * probe goes out over SMTP to the support mailbox, a chat probe through the widget protocol (a ws visitor), a phone
 * probe through the CTI ingest; agents answer through the API; the probe report shows the lived waits beside the
 * reported figures, and the waits report and journeys leave the probes out. Scheduling runs a due probe once; a probe
 * nobody answers is still waiting, then unanswered after its limit.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import nodemailer from 'nodemailer';
import { setup, type TestEnv } from './helpers.js';
import { systemPrincipal } from '../src/platform/context.js';
import * as accounts from '../src/modules/accounts/accounts.service.js';
import * as queues from '../src/modules/queues/queues.service.js';
import { startSmtpServer, type SmtpHandle } from '../src/modules/channels/email/smtp.js';
import { Command } from 'commander';
import { closeProbeSockets, probeAdd, probeList, probeRun, registerProbeCommands } from '../src/modules/probes/index.js';
import { enqueue } from '../src/platform/jobs.js';

let env: TestEnv;
let smtp: SmtpHandle;
const T0 = new Date('2026-11-25T12:00:00Z'); // a Wednesday, inside Mon–Fri 09–17 UTC
const at = (s: number) => new Date(T0.getTime() + s * 1000);

before(async () => {
  env = await setup({ publicRateLimit: 1000 });
  env.clock.now = T0;
  const p = systemPrincipal(env.accountId);
  const agent = await accounts.addUser(env.ctx, p, { email: 'agent@acme.test', name: 'Agnes Agent', role: 'agent' });
  await env.db.query(`UPDATE users SET presence = 'available' WHERE id = $1`, [agent.id]);
  const team = await accounts.createTeam(env.ctx, p, { name: 'Support team', memberIds: [agent.id] });
  const week = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [['09:00', '17:00']]]));
  const q = await queues.createQueue(env.ctx, p, { name: 'Support', timezone: 'UTC', teamId: team.id, businessHours: { week } as any });
  const mb = await env.req('POST', '/api/v1/mailboxes', { body: { address: 'support@acme.test', name: 'Support', queueId: q.id } });
  assert.equal(mb.status, 201, mb.body);
  await env.app.listen({ port: 0, host: '127.0.0.1' });
  smtp = await startSmtpServer(env.ctx, { port: 0, host: '127.0.0.1' });
  // The probes knock on the server's own doors (config SMTP_PORT and PORT).
  env.ctx.config.smtpPort = smtp.port;
  env.ctx.config.port = (env.app.server.address() as any).port;
});
after(async () => {
  closeProbeSockets();
  await smtp.close();
  await env.close();
});

async function customerEmail(from: string, subject: string) {
  const t = nodemailer.createTransport({ host: '127.0.0.1', port: smtp.port, secure: false, ignoreTLS: true } as any);
  try {
    await t.sendMail({ from, to: 'support@acme.test', subject, text: 'Hello, where is my parcel?' });
  } finally {
    t.close();
  }
  const r = await env.db.query<{ id: string }>(
    `SELECT c.id FROM conversations c WHERE c.subject = $1`, [subject],
  );
  return r.rows[0].id as string;
}

const reply = (conversationId: string, text: string) =>
  env.req('POST', `/api/v1/conversations/${conversationId}/replies`, { token: env.tokens.agent, body: { text } });

test('an email probe over SMTP and a chat probe over the widget socket: agents answer, the probe report shows their lived waits, the waits report does not count them', async () => {
  // A real customer: answered after 30 s, the reported figure the probes are held against.
  env.clock.now = T0;
  const real = await customerEmail('anna@example.com', 'Parcel missing');
  env.clock.now = at(30);
  assert.equal((await reply(real, 'It is on its way.')).status, 201);

  const ep = await env.req('POST', '/api/v1/probes', { body: { name: 'mail', channel: 'email', target: 'support@acme.test', waitLimitSeconds: 3600 } });
  assert.equal(ep.status, 201, ep.body);
  assert.match(ep.json.fromAddress, /^probe\+[0-9a-f]{8}@probes\.earshot\.invalid$/);
  const cp = await env.req('POST', '/api/v1/probes', { body: { name: 'chat', channel: 'chat', target: 'Support' } });
  assert.equal(cp.status, 201, cp.body);
  assert.equal((await env.req('POST', '/api/v1/probes', { token: env.tokens.agent, body: { name: 'x', channel: 'chat' } })).status, 403);
  assert.equal((await env.req('POST', '/api/v1/probes', { body: { name: 'mail', channel: 'chat' } })).status, 409, 'names are unique');

  env.clock.now = at(100);
  const er = await env.req('POST', `/api/v1/probes/${ep.json.id}/run`);
  assert.equal(er.status, 201, er.body);
  assert.equal(er.json.status, 'waiting', JSON.stringify(er.json));
  const cr = await env.req('POST', `/api/v1/probes/${cp.json.id}/run`);
  assert.equal(cr.status, 201, cr.body);
  assert.equal(cr.json.status, 'waiting', JSON.stringify(cr.json));

  // Agents see them like any customer's: an email conversation from the probe address, a chat conversation.
  const emailConv = await env.req('GET', `/api/v1/conversations/${er.json.conversationId}`, { token: env.tokens.agent });
  assert.equal(emailConv.json.channel, 'email');
  assert.ok(emailConv.json.customer.identities.some((i: any) => i.value === ep.json.fromAddress));
  const chatConv = await env.req('GET', `/api/v1/conversations/${cr.json.conversationId}`, { token: env.tokens.agent });
  assert.equal(chatConv.json.channel, 'chat');

  let rep = await env.req('GET', '/api/v1/reports/probes', { token: env.tokens.supervisor });
  assert.equal(rep.status, 200, rep.body);
  const byCh = (r: any, ch: string) => r.channels.find((c: any) => c.channel === ch);
  assert.equal(byCh(rep.json, 'email').probes.stillWaiting, 1);
  assert.equal(byCh(rep.json, 'chat').probes.stillWaiting, 1);

  env.clock.now = at(145); // the chat is answered 45 s after the probe knocked
  assert.equal((await reply(cr.json.conversationId, 'Hi, how can I help?')).status, 201);
  env.clock.now = at(100 + 600); // the email 10 minutes after
  assert.equal((await reply(er.json.conversationId, 'Thanks for writing, here is the answer.')).status, 201);

  rep = await env.req('GET', '/api/v1/reports/probes?from=2026-11-25&to=2026-11-26', { token: env.tokens.supervisor });
  assert.equal(rep.status, 200, rep.body);
  const email = byCh(rep.json, 'email');
  assert.deepEqual(email.probes, { runs: 1, answered: 1, stillWaiting: 0, unanswered: 0, failed: 0, livedWaitSeconds: { p50: 600, p90: 600, max: 600 } });
  // Beside it: the reported figures of the customers' email contacts only (the real one: 30 s).
  assert.equal(email.reported.contacts, 1);
  assert.equal(email.reported.asaSeconds, 30);
  assert.equal(email.probeP50OverReportedAsa, 20);
  const chat = byCh(rep.json, 'chat');
  assert.deepEqual(chat.probes.livedWaitSeconds, { p50: 45, p90: 45, max: 45 });
  assert.equal(chat.reported.contacts, 0, 'no customer chats in the period: the probe is not one');
  assert.equal(rep.json.runs.length, 2);

  // The customer figures leave the probes out: one contact (the real email), no chat, no probe journeys.
  const waits = await env.req('GET', '/api/v1/reports/waits', { token: env.tokens.supervisor });
  assert.equal(waits.json.contacts, 1);
  assert.equal(waits.json.reported.asaSeconds, 30);
  const sketch = await env.req('GET', '/api/v1/reports/waits?path=sketch', { token: env.tokens.supervisor });
  assert.equal(sketch.json.contacts, 1, 'the sketch path leaves them out too');
  const chatWaits = await env.req('GET', '/api/v1/reports/waits?channel=chat', { token: env.tokens.supervisor });
  assert.equal(chatWaits.json.contacts, 0);
  const journeys = await env.req('GET', '/api/v1/journeys', { token: env.tokens.supervisor });
  assert.equal(journeys.json.items.length, 1);
  assert.equal(journeys.json.items[0].contacts[0].conversationId, real);
  // …while the facts are there, marked.
  const facts = await env.db.query<{ n: number }>('SELECT count(*)::int AS n FROM contact_facts WHERE account_id = $1 AND probe', [env.accountId]);
  assert.equal(facts.rows[0].n, 2);

  const list = await env.req('GET', '/api/v1/probes', { token: env.tokens.leader });
  assert.equal(list.status, 200);
  assert.deepEqual(list.json.items.map((p: any) => [p.name, p.lastRun.status, p.lastRun.livedWaitSeconds]), [['chat', 'answered', 45], ['mail', 'answered', 600]]);
});

test('a scheduled probe runs once per due time, also when its job runs twice', async () => {
  const t = at(3600);
  env.clock.now = t;
  const pp = await env.req('POST', '/api/v1/probes', { body: { name: 'line', channel: 'phone', target: 'Phones', everyMinutes: 15 } });
  assert.equal(pp.status, 201, pp.body);
  const due = new Date(pp.json.nextRunAt);
  assert.equal(due.getTime(), t.getTime() + 15 * 60_000);
  // The same due time enqueued a second time (a retried or duplicated job).
  await enqueue(env.db, 'probe.due', { probeId: pp.json.id, at: due.toISOString() }, { runAt: due });
  const runs = async () => (await env.db.query<{ id: string; status: string; contact_id: string }>('SELECT id, status, contact_id FROM probe_runs WHERE probe_id = $1', [pp.json.id])).rows;
  env.clock.now = new Date(due.getTime() - 1000);
  await env.app.jobs.runDue(env.clock.now);
  assert.equal((await runs()).length, 0, 'not before it is due');
  env.clock.now = due;
  await env.app.jobs.runDue(due);
  await env.app.jobs.runDue(due);
  const r = await runs();
  assert.equal(r.length, 1);
  assert.equal(r[0].status, 'waiting');
  const next = await env.db.query<{ next_run_at: Date }>('SELECT next_run_at FROM probes WHERE id = $1', [pp.json.id]);
  assert.equal(new Date(next.rows[0].next_run_at).getTime(), due.getTime() + 15 * 60_000);

  // The telephony system reports the answer 75 s later, through the CTI webhook.
  const callId = r[0].contact_id.replace(/^cti:/, '');
  const cti = await env.req('POST', '/api/v1/voice/events', {
    body: [{ callId, type: 'call.answered', at: new Date(due.getTime() + 75_000).toISOString(), queue: 'Phones', agent: 'agent@acme.test' }],
  });
  assert.equal(cti.status, 201, cti.body);
  env.clock.now = new Date(due.getTime() + 80_000);
  const rep = await env.req('GET', '/api/v1/reports/probes', { token: env.tokens.supervisor });
  const phone = rep.json.channels.find((c: any) => c.channel === 'phone');
  assert.deepEqual(phone.probes.livedWaitSeconds, { p50: 75, p90: 75, max: 75 });
  const waits = await env.req('GET', '/api/v1/reports/waits?channel=phone', { token: env.tokens.supervisor });
  assert.equal(waits.json.contacts, 0, 'the probe call is not a customer contact');
});

test('a probe nobody answers is still waiting, then unanswered after its limit', async () => {
  const t = at(7200);
  env.clock.now = t;
  const ep = await env.req('POST', '/api/v1/probes', { body: { name: 'silent', channel: 'email', target: 'support@acme.test', waitLimitSeconds: 300 } });
  assert.equal(ep.status, 201, ep.body);
  const run = await env.req('POST', `/api/v1/probes/${ep.json.id}/run`);
  assert.equal(run.json.status, 'waiting', JSON.stringify(run.json));
  const status = async () => (await env.db.query<{ status: string }>('SELECT status FROM probe_runs WHERE id = $1', [run.json.id])).rows[0].status;
  env.clock.now = new Date(t.getTime() + 299_000);
  await env.app.jobs.runDue(env.clock.now);
  assert.equal(await status(), 'waiting');
  env.clock.now = new Date(t.getTime() + 300_000);
  await env.app.jobs.runDue(env.clock.now);
  assert.equal(await status(), 'unanswered');
  // A late answer does not turn it into an answered probe.
  env.clock.now = new Date(t.getTime() + 900_000);
  await reply(run.json.conversationId, 'Sorry for the wait');
  const rep = await env.req('GET', '/api/v1/reports/probes', { token: env.tokens.supervisor });
  const email = rep.json.channels.find((c: any) => c.channel === 'email');
  assert.equal(email.probes.unanswered, 1);
  assert.equal(email.probes.answered, 1);
});

test('a probe whose front door refuses it is recorded as failed with the reason', async () => {
  env.clock.now = at(10_800);
  // An email probe writes only to a mailbox of its account (issue 14 item 1): an unknown address is refused at once…
  const unknown = await env.req('POST', '/api/v1/probes', { body: { name: 'nowhere', channel: 'email', target: 'nobody@elsewhere.test' } });
  assert.equal(unknown.status, 400, unknown.body);
  assert.equal(unknown.json.error.field, 'target');
  // …and a mailbox removed after the probe was added makes its next run fail with the reason.
  const mb = await env.req('POST', '/api/v1/mailboxes', { body: { address: 'gone@acme.test' } });
  assert.equal(mb.status, 201, mb.body);
  const ep = await env.req('POST', '/api/v1/probes', { body: { name: 'nowhere', channel: 'email', target: 'gone@acme.test' } });
  assert.equal(ep.status, 201, ep.body);
  assert.equal((await env.req('DELETE', `/api/v1/mailboxes/${mb.json.id}`)).status, 204);
  const run = await env.req('POST', `/api/v1/probes/${ep.json.id}/run`);
  assert.equal(run.json.status, 'failed');
  assert.match(run.json.error, /not a mailbox of this account/);
  // The probe's address cannot be one of a real customer's.
  const taken = await env.req('POST', '/api/v1/probes', { body: { name: 'fake', channel: 'email', target: 'support@acme.test', fromAddress: 'anna@example.com' } });
  assert.equal(taken.status, 409);
});

test('CLI: earshot probe add, list and run (prints the lived wait once a human answered, or still waiting)', async () => {
  const t = at(14_400);
  env.clock.now = t;
  const added = JSON.parse(await probeAdd(env.ctx, { account: 'acme', name: 'cli-mail', channel: 'email', target: 'support@acme.test', json: true }));
  assert.equal(added.channel, 'email');
  await assert.rejects(probeAdd(env.ctx, { account: 'acme', name: 'bad', channel: 'fax' }), /channel: must be one of email, chat, phone/);

  const running = probeRun(env.ctx, { account: 'acme', name: 'cli-mail', waitForAnswer: 30 });
  let conv: string | null = null;
  for (let i = 0; i < 200 && !conv; i++) {
    const r = await env.db.query<{ conversation_id: string | null }>(`SELECT conversation_id FROM probe_runs WHERE probe_id = $1 AND status = 'waiting'`, [added.id]);
    conv = r.rows[0]?.conversation_id ?? null;
    if (!conv) await new Promise((res) => setTimeout(res, 50));
  }
  assert.ok(conv, 'the probe email arrived');
  env.clock.now = new Date(t.getTime() + 42_000);
  assert.equal((await reply(conv!, 'Hello, we are here.')).status, 201);
  const { text, run } = await running;
  assert.equal(run.status, 'answered');
  assert.equal(text, 'cli-mail (email): answered by a human after 42 s lived wait.\n');

  const still = await probeRun(env.ctx, { account: 'acme', channel: 'phone' });
  assert.match(still.text, /^line \(phone\): still waiting after 0 s \(run [0-9a-f-]{36}\)\.\n$/);
  await assert.rejects(probeRun(env.ctx, { account: 'acme', name: 'no-such' }), /Probe not found/);

  const list = await probeList(env.ctx, { account: 'acme' });
  assert.match(list, /^cli-mail\temail\tsupport@acme\.test\ton demand\tanswered 42 s$/m);
  assert.match(list, /^line\tphone\tPhones\tevery 15 min\twaiting$/m);
  // The command is there with its options.
  const program = new Command();
  registerProbeCommands(program);
  const probe = program.commands.find((c) => c.name() === 'probe')!;
  assert.deepEqual(probe.commands.map((c) => c.name()), ['add', 'list', 'run']);
  assert.ok(probe.commands[2].options.some((o) => o.long === '--wait-for-answer'));
});
