/**
 * Acceptance (issue 6): a German email "Ich habe 40 Minuten in der Warteschleife gehangen", sent over SMTP by a customer
 * whose measured call wait was 50 s, shows up in the anecdote audit as contradicted (claimed 40 min vs measured 50 s).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import nodemailer from 'nodemailer';
import { Command } from 'commander';
import { setup, type TestEnv } from './helpers.js';
import { startSmtpServer, type SmtpHandle } from '../src/modules/channels/email/smtp.js';
import { registerAnecdoteCommands, reportAnecdotes } from '../src/modules/listening/listening.module.js';

let env: TestEnv;
let smtp: SmtpHandle;
let queueId: string;
let messageId: string;
const CALL_AT = new Date('2026-11-16T09:00:00Z'); // a Monday
const MAIL_AT = new Date('2026-11-18T10:00:00Z');

before(async () => {
  env = await setup();
  smtp = await startSmtpServer(env.ctx, { port: 0, host: '127.0.0.1' });
});
after(async () => {
  await smtp.close();
  await env.close();
});

async function send(raw: string, from: string) {
  const t = nodemailer.createTransport({ host: '127.0.0.1', port: smtp.port, secure: false, ignoreTLS: true, connectionTimeout: 10_000 } as any);
  try {
    await t.sendMail({ envelope: { from, to: 'support@acme.test' }, raw });
  } finally {
    t.close();
  }
}

test('a German email claiming 40 minutes on hold from a customer whose call waited 50 s is contradicted by the data', async () => {
  const q = await env.req('POST', '/api/v1/queues', { body: { name: 'Kundendienst' } });
  assert.equal(q.status, 201, q.body);
  queueId = q.json.id;
  assert.equal((await env.req('POST', '/api/v1/mailboxes', { body: { address: 'support@acme.test', queueId } })).status, 201);
  const cu = await env.req('POST', '/api/v1/customers', { body: { name: 'Jonas Weber', email: 'jonas@example.de', phone: '+49 151 1234 5678', language: 'de' } });
  assert.equal(cu.status, 201, cu.body);
  const customerId = cu.json.id;

  // The call as the telephony feed reports it: caller number only (not the customer id), queue entry to answer 50 s.
  const at = (s: number) => new Date(CALL_AT.getTime() + s * 1000).toISOString();
  const call = (type: string, s: number) => ({ contactId: 'cti:call-1', type, channel: 'phone', occurredAt: at(s), identity: '+4915112345678', queueId });
  const ev = await env.req('POST', '/api/v1/contact-events', { body: { events: [call('contact.arrived', 0), call('queue.entered', 0), call('contact.answered', 50)] } });
  assert.equal(ev.status, 201, ev.body);
  const facts = await env.db.query(`SELECT who, lived_wait_s, queue_wait_s FROM contact_facts WHERE contact_id = 'cti:call-1'`);
  assert.deepEqual(facts.rows[0], { who: 'i:+4915112345678', lived_wait_s: 50, queue_wait_s: 50 });

  // Two days later the customer writes, over real SMTP.
  env.clock.now = MAIL_AT;
  await send([
    'From: Jonas Weber <jonas@example.de>',
    'To: support@acme.test',
    'Subject: Beschwerde',
    'Message-ID: <jonas-1@example.de>',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    'Guten Tag, ich habe 40 Minuten in der Warteschleife gehangen, bevor jemand abgenommen hat.',
    '',
  ].join('\r\n'), 'jonas@example.de');
  const m = await env.db.query<{ id: string; conversation_id: string; author_customer_id: string }>(
    `SELECT m.id, m.conversation_id, m.author_customer_id FROM messages m JOIN email_messages e ON e.message_id = m.id
      WHERE e.rfc_message_id = '<jonas-1@example.de>'`,
  );
  assert.equal(m.rows.length, 1);
  messageId = m.rows[0].id;
  assert.equal(m.rows[0].author_customer_id, customerId, 'the email is linked to the customer with the phone identity');

  // The analysis job was committed with the message; before it runs nothing is known.
  const jobs = await env.db.query(`SELECT payload FROM jobs WHERE kind = 'listening.analyze' AND status = 'queued'`);
  assert.deepEqual(jobs.rows.map((r: any) => r.payload.messageId), [messageId]);
  const pending = await env.req('GET', `/api/v1/messages/${messageId}/findings`, { token: env.tokens.agent });
  assert.equal(pending.status, 200);
  assert.equal(pending.json.analysed, false);

  // Jobs are enqueued at the database's clock, so run them at the real time.
  assert.ok((await env.app.jobs.runDue(new Date(Date.now() + 1000))) >= 1);

  const f = await env.req('GET', `/api/v1/messages/${messageId}/findings`, { token: env.tokens.agent });
  assert.equal(f.status, 200, f.body);
  assert.equal(f.json.analysed, true);
  assert.equal(f.json.findings.lang, 'de');
  assert.deepEqual(f.json.findings.wait, { complaint: true, minutes: 40, kind: 'queue' });
  assert.ok(f.json.findings.evidence.wait, 'the wait claim carries its evidence span');
  assert.equal(f.json.anecdote.verdict, 'contradicted');
  assert.equal(f.json.anecdote.claimedMinutes, 40);
  assert.equal(f.json.anecdote.measuredContactSeconds, 50);
  assert.equal(f.json.anecdote.measuredJourneySeconds, 50);
  assert.deepEqual(f.json.anecdote.measuredContacts, ['cti:call-1']);

  const r = await env.req('GET', '/api/v1/reports/anecdotes?from=2026-11-01&to=2026-12-01&by=channel', { token: env.tokens.leader });
  assert.equal(r.status, 200, r.body);
  assert.equal(r.json.total.claims, 1);
  assert.equal(r.json.total.contradicted, 1);
  assert.equal(r.json.total.contradictedShare, 1);
  assert.equal(r.json.total.examples.contradicted[0].messageId, messageId);
  assert.equal(r.json.total.examples.contradicted[0].conversationId, m.rows[0].conversation_id);
  assert.deepEqual(r.json.groups.map((g: any) => [g.key, g.contradicted]), [['email', 1]]);
  const byQueue = await env.req('GET', '/api/v1/reports/anecdotes?from=2026-11-01&to=2026-12-01&by=queue', { token: env.tokens.supervisor });
  assert.deepEqual(byQueue.json.groups.map((g: any) => [g.label, g.claims, g.contradicted]), [['Kundendienst', 1, 1]]);
  const byWeek = await env.req('GET', '/api/v1/reports/anecdotes?from=2026-11-01&to=2026-12-01&by=week');
  assert.deepEqual(byWeek.json.groups.map((g: any) => g.key), ['2026-11-16']);
  // Agents do not read reports.
  assert.equal((await env.req('GET', '/api/v1/reports/anecdotes', { token: env.tokens.agent })).status, 403);
  assert.equal((await env.req('GET', '/api/v1/reports/anecdotes?by=hour')).status, 400);
});

test('CLI: earshot report anecdotes prints the audit (text and --json)', async () => {
  const json = JSON.parse(await reportAnecdotes(env.ctx, { account: 'acme', from: '2026-11-01', to: '2026-12-01', json: true }));
  assert.equal(json.total.contradicted, 1);
  const text = await reportAnecdotes(env.ctx, { account: 'acme', from: '2026-11-01', to: '2026-12-01', by: 'queue' });
  assert.match(text, /Kundendienst\s+1\s+1/);
  assert.match(text, new RegExp(`message ${messageId} .*claimed 40 min, measured 50 s`));
  await assert.rejects(reportAnecdotes(env.ctx, { account: 'nope' }), /Unknown account 'nope'/);
  // The command joins an existing `report` command.
  const program = new Command();
  program.command('report').command('waits');
  registerAnecdoteCommands(program);
  const report = program.commands.find((c) => c.name() === 'report')!;
  assert.deepEqual(report.commands.map((c) => c.name()), ['waits', 'anecdotes']);
  const anecdotes = report.commands[1];
  assert.ok(anecdotes.options.some((o) => o.long === '--json'));
  assert.ok(anecdotes.options.some((o) => o.long === '--account' && o.required));
});
