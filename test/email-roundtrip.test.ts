/**
 * The email round trip of issue 4's acceptance, over real SMTP both ways: a customer's mail arrives through the
 * inbound SMTP listener → a conversation → an agent replies through the API → the reply reaches the test SMTP sink
 * with threading headers → the customer's answer to it (sent to the Reply-To, with In-Reply-To) comes back through
 * the listener into the same conversation; an answer with only In-Reply-To (plain mailbox address, new subject)
 * threads too.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import nodemailer, { type Transporter } from 'nodemailer';
import { simpleParser } from 'mailparser';
import { setup, type TestEnv } from './helpers.js';
import { startSmtpSink, type SmtpSink } from './dovecot.js';
import { systemPrincipal } from '../src/platform/context.js';
import { createMailbox } from '../src/modules/channels/email/mailboxes.service.js';
import { startSmtpServer } from '../src/modules/channels/email/smtp.js';

let env: TestEnv;
let sink: SmtpSink;
let inbound: { port: number; close(): Promise<void> };
let customer: Transporter;

before(async () => {
  sink = await startSmtpSink();
  env = await setup({ smtpOutboundUrl: sink.url });
  await createMailbox(env.ctx, systemPrincipal(env.accountId), { address: 'support@acme.test', name: 'Acme Support' });
  inbound = await startSmtpServer(env.ctx, { port: 0, host: '127.0.0.1' });
  // The customer's mail client: plain SMTP to the inbound listener on loopback.
  customer = nodemailer.createTransport({ host: '127.0.0.1', port: inbound.port, secure: false, ignoreTLS: true });
});
after(async () => {
  customer?.close();
  await inbound?.close();
  await env?.close();
  await sink?.close();
});

const messagesOf = async (conversationId: string) =>
  (await env.req('GET', `/api/v1/conversations/${conversationId}`)).json.messages as { direction: string; text: string; authorType: string }[];

test('SMTP in → conversation → agent reply → sink with threading headers → customer reply threads back', async () => {
  const firstId = `<first-${Date.now()}@customer.test>`;
  const sent = await customer.sendMail({
    from: 'Anna Berg <anna@customer.test>',
    to: 'support@acme.test',
    subject: 'Where is my tent?',
    text: 'Hello, I ordered a tent two weeks ago and it has not arrived.',
    messageId: firstId,
  });
  assert.match(String(sent.response), /^250/);

  const list = await env.req('GET', '/api/v1/conversations?channel=email');
  assert.equal(list.json.items.length, 1);
  const conv = list.json.items[0];
  assert.equal(conv.subject, 'Where is my tent?');

  const r = await env.req('POST', `/api/v1/conversations/${conv.id}/replies`, { body: { text: 'Hi Anna, it ships tomorrow.' } });
  assert.equal(r.status, 201);
  await env.app.jobs.runDue(new Date(Date.now() + 1000));
  const [out] = await sink.waitFor(1);
  assert.deepEqual(out.rcptTo, ['anna@customer.test']);
  const reply = await simpleParser(out.raw);
  const token = (await env.db.query<{ reply_token: string }>('SELECT reply_token FROM conversations WHERE id = $1', [conv.id])).rows[0].reply_token;
  assert.equal(reply.inReplyTo, firstId);
  assert.deepEqual([reply.references].flat(), [firstId]);
  assert.equal(reply.replyTo?.value[0].address, `reply+${token}@acme.test`);
  assert.equal(reply.subject, `Re: Where is my tent? [#${conv.number}]`);
  assert.ok(reply.messageId);
  assert.equal((await env.req('GET', `/api/v1/conversations/${conv.id}/emails`)).json.items[0].status, 'sent');

  // The customer answers the reply the way a mail client does: to Reply-To, citing it.
  const answer = await customer.sendMail({
    from: 'Anna Berg <anna@customer.test>',
    to: reply.replyTo!.text,
    subject: reply.subject,
    text: 'Thanks! Can you deliver to my office instead?',
    inReplyTo: reply.messageId,
    references: [firstId, reply.messageId!],
  });
  assert.match(String(answer.response), /^250/);
  let msgs = await messagesOf(conv.id);
  assert.deepEqual(msgs.map((m) => m.direction), ['inbound', 'outbound', 'inbound']);
  assert.match(msgs[2].text, /deliver to my office/);
  assert.equal((await env.req('GET', '/api/v1/conversations?channel=email')).json.items.length, 1, 'no new conversation');

  // A second agent reply cites the customer's answer and carries the whole chain.
  await env.req('POST', `/api/v1/conversations/${conv.id}/replies`, { body: { text: 'Sure, office it is.' } });
  await env.app.jobs.runDue(new Date(Date.now() + 1000));
  const [, out2] = await sink.waitFor(2);
  const reply2 = await simpleParser(out2.raw);
  const answerId = (await env.db.query<{ rfc_message_id: string }>(
    `SELECT rfc_message_id FROM email_message_ids WHERE conversation_id = $1 AND direction = 'inbound' ORDER BY created_at DESC LIMIT 1`,
    [conv.id],
  )).rows[0].rfc_message_id;
  assert.equal(reply2.inReplyTo, answerId);
  assert.deepEqual([reply2.references].flat(), [firstId, reply.messageId, answerId]);

  // An answer with only In-Reply-To: to the plain mailbox address, with a subject of its own.
  const plain = await customer.sendMail({
    from: 'Anna Berg <anna@customer.test>',
    to: 'support@acme.test',
    subject: 'One more thing',
    text: 'Please ring the bell twice.',
    inReplyTo: reply2.messageId,
  });
  assert.match(String(plain.response), /^250/);
  msgs = await messagesOf(conv.id);
  assert.deepEqual(msgs.map((m) => m.direction), ['inbound', 'outbound', 'inbound', 'outbound', 'inbound']);
  assert.match(msgs[4].text, /ring the bell/);
  assert.equal((await env.req('GET', '/api/v1/conversations?channel=email')).json.items.length, 1, 'still one conversation');

  // The journey: one contact that arrived and was answered by a human.
  const ev = await env.db.query<{ type: string }>(
    `SELECT type FROM contact_events WHERE conversation_id = $1 AND type IN ('contact.arrived', 'contact.answered') ORDER BY id`,
    [conv.id],
  );
  assert.deepEqual(ev.rows.map((e) => e.type), ['contact.arrived', 'contact.answered']);
});

test('a new mail through the SMTP listener to a mailbox with auto-acknowledgement gets one, threaded', async () => {
  const mb = (await env.req('GET', '/api/v1/mailboxes')).json.items.find((m: any) => m.address === 'support@acme.test');
  assert.equal((await env.req('PUT', `/api/v1/mailboxes/${mb.id}/settings`, { body: { autoAck: true } })).status, 200);
  const id = `<ack-${Date.now()}@customer.test>`;
  const sent = await customer.sendMail({ from: 'Per Olsen <per@kunde.test>', to: 'support@acme.test', subject: 'Telt', text: 'Hei, teltet mitt har ikke kommet.', messageId: id });
  assert.match(String(sent.response), /^250/);
  // The acknowledgement is queued after the 250 (its own transaction): wait for the outcome.
  let row: any;
  for (let i = 0; i < 100 && !row; i++) {
    row = (await env.db.query(`SELECT * FROM outbound_emails WHERE $1 = ANY(to_addresses)`, ['per@kunde.test'])).rows[0];
    if (!row) await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(row, 'acknowledgement queued');
  const before = sink.messages.length;
  await env.app.jobs.runDue(new Date(Date.now() + 1000));
  const [mail] = (await sink.waitFor(before + 1)).slice(before);
  const ack = await simpleParser(mail.raw);
  assert.equal(ack.headers.get('auto-submitted'), 'auto-replied');
  assert.equal(ack.inReplyTo, id);
  assert.deepEqual(mail.rcptTo, ['per@kunde.test']);
});
