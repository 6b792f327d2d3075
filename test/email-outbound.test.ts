/**
 * Outbound email against a real SMTP peer: agent replies leave through nodemailer to an smtp-server sink on a loopback
 * port, with threading headers; failures are retried with the job runner's backoff; robots, bounced addresses, notes
 * and other channels get no mail.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { simpleParser, type ParsedMail } from 'mailparser';
import { setup, type TestEnv } from './helpers.js';
import { startSmtpSink, type SmtpSink } from './dovecot.js';
import { systemPrincipal } from '../src/platform/context.js';
import { createMailbox } from '../src/modules/channels/email/mailboxes.service.js';
import { ingestEmail } from '../src/modules/channels/email/inbound.js';
import { capReferences, replySubject } from '../src/modules/channels/deliver.js';
import { acknowledgeIngested } from '../src/modules/channels/email/outbound-ack.js';
import { senderMailbox } from '../src/modules/channels/email/outbound.js';
import { createQueue } from '../src/modules/queues/queues.service.js';

let env: TestEnv;
let sink: SmtpSink;
let t0: Date;

before(async () => {
  sink = await startSmtpSink();
  env = await setup({ smtpOutboundUrl: sink.url });
  t0 = new Date();
  await createMailbox(env.ctx, systemPrincipal(env.accountId), { address: 'support@acme.test', name: 'Acme Support' });
  ackBox = (await createMailbox(env.ctx, systemPrincipal(env.accountId), { address: 'hallo@acme.test', name: 'Acme Hilfe' })).id;
});
let ackBox: string;
after(async () => {
  await env.close();
  await sink.close();
});

let seq = 0;
function inboundRaw(o: { from?: string; subject?: string; messageId?: string; references?: string; headers?: string; text?: string } = {}) {
  const id = o.messageId ?? `<in-${++seq}-${Date.now()}@customer.test>`;
  return {
    id,
    raw: Buffer.from(
      [
        `From: ${o.from ?? 'Anna Berg <anna@customer.test>'}`,
        'To: support@acme.test',
        `Subject: ${o.subject ?? 'Tent not arrived'}`,
        `Message-ID: ${id}`,
        ...(o.references ? [`References: ${o.references}`] : []),
        'Date: Wed, 25 Nov 2026 10:00:00 +0000',
        ...(o.headers ? [o.headers] : []),
        'Content-Type: text/plain; charset=utf-8',
        '',
        o.text ?? 'Hello, my tent has not arrived yet.',
        '',
      ].join('\r\n'),
    ),
  };
}

async function inbound(o: Parameters<typeof inboundRaw>[0] = {}) {
  const m = inboundRaw(o);
  const r = await ingestEmail(env.ctx, { raw: m.raw, rcptTo: ['support@acme.test'], source: 'smtp' });
  assert.equal(r.status, 'stored', JSON.stringify(r));
  if (r.status !== 'stored') throw new Error('not stored');
  return { conversationId: r.conversationId, rfcId: m.id };
}

const outboundRows = async (conversationId: string) =>
  (await env.db.query<any>('SELECT * FROM outbound_emails WHERE conversation_id = $1 ORDER BY created_at', [conversationId])).rows;

/** Runs due jobs at a time after everything queued so far (the test clock is the wall clock plus offsets). */
const runJobs = (offsetMs = 0) => env.app.jobs.runDue(new Date(Date.now() + offsetMs));

const parse = (raw: Buffer): Promise<ParsedMail> => simpleParser(raw);
const header = (m: ParsedMail, name: string) => {
  const v = m.headers.get(name);
  return typeof v === 'string' ? v : v === undefined ? undefined : JSON.stringify(v);
};

test('an agent reply to an email conversation arrives with Message-ID, In-Reply-To, References, Reply-To and [#n]', async () => {
  const first = await inbound({ references: '<root-1@customer.test>' });
  const conv = (await env.req('GET', `/api/v1/conversations/${first.conversationId}`)).json;
  const before = sink.messages.length;
  const r = await env.req('POST', `/api/v1/conversations/${first.conversationId}/replies`, {
    body: {
      text: 'Hi Anna, it left our warehouse today.',
      attachments: [{ filename: 'tracking.txt', contentType: 'text/plain', contentBase64: Buffer.from('TRACK-123').toString('base64') }],
    },
  });
  assert.equal(r.status, 201);
  // Nothing leaves before the job runs (the mail is sent after the reply committed).
  assert.equal(sink.messages.length, before);
  const [row] = await outboundRows(first.conversationId);
  assert.equal(row.status, 'queued');
  assert.equal(row.kind, 'reply');
  assert.deepEqual(row.to_addresses, ['anna@customer.test']);

  await runJobs();
  const got = await sink.waitFor(before + 1);
  const mail = got[before];
  assert.deepEqual(mail.rcptTo, ['anna@customer.test']);
  assert.equal(mail.mailFrom, 'support@acme.test');
  const m = await parse(mail.raw);
  const token = (await env.db.query<{ reply_token: string }>('SELECT reply_token FROM conversations WHERE id = $1', [first.conversationId])).rows[0].reply_token;
  assert.equal(m.subject, `Re: Tent not arrived [#${conv.number}]`);
  assert.equal(m.inReplyTo, first.rfcId);
  assert.deepEqual([m.references].flat(), ['<root-1@customer.test>', first.rfcId]);
  assert.equal(m.replyTo?.value[0].address, `reply+${token}@acme.test`);
  assert.equal(m.from?.value[0].address, 'support@acme.test');
  assert.match(m.messageId ?? '', /^<[0-9a-f-]{36}@acme\.test>$/);
  assert.match(m.text ?? '', /left our warehouse/);
  assert.equal(m.attachments.length, 1);
  assert.equal(m.attachments[0].filename, 'tracking.txt');
  assert.equal(m.attachments[0].content.toString(), 'TRACK-123');
  assert.equal(header(m, 'auto-submitted'), undefined);

  // The sent Message-ID is known for threading (inbound replies that cite it find the conversation).
  const ids = await env.db.query<{ direction: string; conversation_id: string }>('SELECT direction, conversation_id FROM email_message_ids WHERE rfc_message_id = $1', [m.messageId]);
  assert.deepEqual(ids.rows, [{ direction: 'outbound', conversation_id: first.conversationId }]);

  // The delivery status is visible to agents.
  const s = await env.req('GET', `/api/v1/conversations/${first.conversationId}/emails`, { token: env.tokens.agent });
  assert.equal(s.status, 200);
  assert.equal(s.json.items.length, 1);
  assert.equal(s.json.items[0].status, 'sent');
  assert.equal(s.json.items[0].attempts, 1);
  assert.equal(s.json.items[0].rfcMessageId, m.messageId);
  assert.equal(s.json.items[0].lastError, null);
  assert.ok(s.json.items[0].sentAt);
  assert.equal(JSON.stringify(s.json).includes('password'), false);

  // Running the jobs again sends nothing twice.
  await runJobs(3_600_000);
  assert.equal(sink.messages.length, before + 1);
});

test('a signed-in agent appears in the From name; a second reply cites the customer mail and keeps one Re: and one tag', async () => {
  const user = (await env.req('POST', '/api/v1/users', { body: { email: 'maria@acme.test', name: 'Maria Lund', role: 'agent', password: 'correct horse battery' } })).json;
  assert.ok(user.id);
  const login = await env.req('POST', '/api/v1/auth/login', { token: '', body: { email: 'maria@acme.test', password: 'correct horse battery', account: 'acme' } });
  const cookie = [login.headers['set-cookie']].flat().map((c: string) => c.split(';')[0]).join('; ');
  const c = await inbound({ subject: 'Re: Zelt kaputt [#999]' });
  const before = sink.messages.length;
  const r = await env.req('POST', `/api/v1/conversations/${c.conversationId}/replies`, { token: '', cookie, body: { text: 'Hallo, wir schicken ein neues.' } });
  assert.equal(r.status, 201, r.body);
  await runJobs();
  const [mail] = (await sink.waitFor(before + 1)).slice(before);
  const m = await parse(mail.raw);
  assert.equal(m.from?.value[0].name, 'Maria Lund (Acme Support)');
  const num = (await env.req('GET', `/api/v1/conversations/${c.conversationId}`)).json.number;
  assert.equal(m.subject, `Re: Zelt kaputt [#999] [#${num}]`);
  assert.equal(replySubject('Re: Zelt [#7]', 7), 'Re: Zelt [#7]');
  assert.equal(replySubject('AW: Zelt', 7), 'AW: Zelt [#7]');
});

test('a refused delivery (451) is retried with backoff and sent exactly once', async () => {
  const c = await inbound({ subject: 'Retry me' });
  const before = sink.messages.length;
  sink.refuseNext(2, 451, '4.3.0 greylisted, try again later');
  const base = Date.now();
  await env.req('POST', `/api/v1/conversations/${c.conversationId}/replies`, { body: { text: 'This one has to wait.' } });

  await env.app.jobs.runDue(new Date(base + 1000));
  let [row] = await outboundRows(c.conversationId);
  assert.equal(row.status, 'queued');
  assert.equal(row.attempts, 1);
  assert.match(row.last_error, /451/);
  assert.ok(row.next_attempt_at);
  assert.equal(sink.messages.length, before);
  const status = (await env.req('GET', `/api/v1/conversations/${c.conversationId}/emails`)).json.items[0];
  assert.equal(status.status, 'queued');
  assert.match(status.lastError, /greylisted/);

  // Not yet due: the backoff holds it back.
  assert.equal(await env.app.jobs.runDue(new Date(base + 2000)), 0);
  // Second attempt (after 10 s): refused again.
  await env.app.jobs.runDue(new Date(base + 15_000));
  [row] = await outboundRows(c.conversationId);
  assert.equal(row.attempts, 2);
  assert.equal(sink.messages.length, before);
  // Third attempt (20 s later): accepted.
  await env.app.jobs.runDue(new Date(base + 60_000));
  [row] = await outboundRows(c.conversationId);
  assert.equal(row.status, 'sent');
  assert.equal(row.attempts, 3);
  assert.equal(row.last_error, null);
  assert.equal(sink.messages.length, before + 1);
  await env.app.jobs.runDue(new Date(base + 7_200_000));
  assert.equal(sink.messages.length, before + 1, 'sent once');
});

test('a permanent refusal (550) fails at once and is not retried', async () => {
  const c = await inbound({ subject: 'Refused for good' });
  const before = sink.messages.length;
  sink.refuseNext(1, 550, '5.7.1 relaying denied');
  const base = Date.now();
  await env.req('POST', `/api/v1/conversations/${c.conversationId}/replies`, { body: { text: 'Never arrives.' } });
  await env.app.jobs.runDue(new Date(base + 1000));
  const [row] = await outboundRows(c.conversationId);
  assert.equal(row.status, 'failed');
  assert.equal(row.attempts, 1);
  assert.match(row.last_error, /relaying denied/);
  assert.equal(row.next_attempt_at, null);
  assert.equal(await env.app.jobs.runDue(new Date(base + 7_200_000)), 0, 'no retry');
  assert.equal(sink.messages.length, before);
  assert.equal((await env.req('GET', `/api/v1/conversations/${c.conversationId}/emails`)).json.items[0].status, 'failed');
});

test('without SMTP_OUTBOUND_URL the send fails with a clear error and leaves once it is configured', async () => {
  const c = await inbound({ subject: 'No relay yet' });
  const before = sink.messages.length;
  const url = env.ctx.config.smtpOutboundUrl;
  env.ctx.config.smtpOutboundUrl = undefined;
  try {
    const base = Date.now();
    await env.req('POST', `/api/v1/conversations/${c.conversationId}/replies`, { body: { text: 'Queued before the relay.' } });
    await env.app.jobs.runDue(new Date(base + 1000));
    const [row] = await outboundRows(c.conversationId);
    assert.equal(row.status, 'queued');
    assert.match(row.last_error, /SMTP_OUTBOUND_URL is not set/);
  } finally {
    env.ctx.config.smtpOutboundUrl = url;
  }
  await runJobs(60_000);
  assert.equal(sink.messages.length, before + 1);
  assert.equal((await outboundRows(c.conversationId))[0].status, 'sent');
});

test('automatic replies carry Auto-Submitted and never answer automatic mail', async () => {
  const c = await inbound({ subject: 'Question about sizes' });
  const before = sink.messages.length;
  await env.req('POST', `/api/v1/conversations/${c.conversationId}/replies`, { body: { text: 'We received your message.', automatic: true } });
  await runJobs();
  const [mail] = (await sink.waitFor(before + 1)).slice(before);
  const m = await parse(mail.raw);
  assert.equal(header(m, 'auto-submitted'), 'auto-replied');
  assert.equal(m.from?.value[0].name, 'Acme Support');

  // An out-of-office from the customer: an automatic answer to it is never sent; a human reply still is.
  const ooo = await inbound({ subject: 'Out of office', headers: 'Auto-Submitted: auto-replied', references: c.rfcId });
  assert.equal(ooo.conversationId, c.conversationId);
  const n = (await outboundRows(c.conversationId)).length;
  await env.req('POST', `/api/v1/conversations/${c.conversationId}/replies`, { body: { text: 'Automatic again.', automatic: true } });
  assert.equal((await outboundRows(c.conversationId)).length, n, 'no automatic answer to automatic mail');
  await env.req('POST', `/api/v1/conversations/${c.conversationId}/replies`, { body: { text: 'A person answers.' } });
  assert.equal((await outboundRows(c.conversationId)).length, n + 1);
  const last = (await outboundRows(c.conversationId)).at(-1);
  // The human reply answers the customer's own mail, not the out-of-office.
  assert.equal(last.headers['In-Reply-To'], c.rfcId);
});

test('no email to a bounced address; notes are never sent', async () => {
  const c = await inbound({ from: 'Gone <gone@customer.test>', subject: 'Bounce me' });
  await env.db.query(`UPDATE customer_identities SET bounced_at = now(), bounce_reason = '5.1.1 user unknown' WHERE value = 'gone@customer.test'`);
  const r = await env.req('POST', `/api/v1/conversations/${c.conversationId}/replies`, { body: { text: 'You will not get this.' } });
  assert.equal(r.status, 201);
  const n = await env.req('POST', `/api/v1/conversations/${c.conversationId}/notes`, { body: { text: 'internal only' } });
  assert.equal(n.status, 201);
  assert.deepEqual(await outboundRows(c.conversationId), []);

  const c2 = await inbound({ from: 'Anna Berg <anna@customer.test>', subject: 'Only a note' });
  await env.req('POST', `/api/v1/conversations/${c2.conversationId}/notes`, { body: { text: 'do not mail this' } });
  assert.deepEqual(await outboundRows(c2.conversationId), []);
});

test('chat and phone conversations are not emailed; web conversations are, threaded by our own Message-IDs', async () => {
  for (const channel of ['chat', 'phone']) {
    const c = await env.req('POST', '/api/v1/conversations', {
      body: { customer: { email: 'carl@customer.test', name: 'Carl' }, channel, subject: `From ${channel}`, message: { text: 'Hi' } },
    });
    assert.equal(c.status, 201);
    await env.req('POST', `/api/v1/conversations/${c.json.id}/replies`, { body: { text: 'Answer in the channel' } });
    assert.deepEqual(await outboundRows(c.json.id), [], channel);
  }
  const w = await env.req('POST', '/api/v1/conversations', {
    body: { customer: { email: 'wera@customer.test', name: 'Wera' }, channel: 'web', subject: 'Form question', message: { text: 'Hi from the form' } },
  });
  await env.req('POST', `/api/v1/conversations/${w.json.id}/replies`, { body: { text: 'First answer' } });
  await env.req('POST', `/api/v1/conversations/${w.json.id}/replies`, { body: { text: 'Second answer' } });
  await runJobs();
  const toWera = sink.messages.filter((x) => x.rcptTo.includes('wera@customer.test'));
  assert.equal(toWera.length, 2);
  const mails = await Promise.all(toWera.map((x) => parse(x.raw)));
  const [a, b] = mails.sort((x, y) => (x.text ?? '').localeCompare(y.text ?? ''));
  assert.deepEqual([a.to].flat()[0]?.value[0].address, 'wera@customer.test');
  assert.equal(a.inReplyTo, undefined);
  assert.equal(b.inReplyTo, a.messageId);
  assert.deepEqual([b.references].flat(), [a.messageId]);
});

test('the sending mailbox follows the conversation: the mailbox the customer wrote to, else its queue\'s, else the account\'s first', async () => {
  // Issue 13: a reply to an English customer in "Support EN" went out from the account's first (German) mailbox.
  const sys = systemPrincipal(env.accountId);
  const en = await createQueue(env.ctx, sys, { name: 'Support EN (from)' });
  await createMailbox(env.ctx, sys, { address: 'english@acme.test', name: 'Acme English', queueId: en.id });
  /** Replies in conversation `id` and returns the From of the mail the customer receives. */
  const replyFrom = async (id: string, to: string) => {
    const before = sink.messages.length;
    const r = await env.req('POST', `/api/v1/conversations/${id}/replies`, { body: { text: `Answer to ${to}` } });
    assert.equal(r.status, 201, r.body);
    await runJobs();
    await sink.waitFor(before + 1);
    const mail = sink.messages.slice(before).find((x) => x.rcptTo.includes(to));
    assert.ok(mail, `a mail to ${to}`);
    const m = await parse(mail.raw);
    return { address: m.from?.value[0].address, name: m.from?.value[0].name, envelope: mail.mailFrom, replyTo: m.replyTo?.value[0].address };
  };
  const conv = async (email: string, channel: string, queueId?: string) => {
    const c = await env.req('POST', '/api/v1/conversations', {
      body: { customer: { email, name: email.split('@')[0] }, channel, subject: `Question via ${channel}`, message: { text: 'Hello, where is my order?' }, ...(queueId ? { queueId } : {}) },
    });
    assert.equal(c.status, 201, c.body);
    return c.json.id as string;
  };

  // An email conversation in the English queue that came in without an inbound mail (the API, an import): the queue's mailbox.
  const byQueue = await replyFrom(await conv('emily@customer.test', 'email', en.id), 'emily@customer.test');
  assert.deepEqual(byQueue, { address: 'english@acme.test', name: 'Acme English', envelope: 'english@acme.test', replyTo: byQueue.replyTo });
  assert.match(byQueue.replyTo ?? '', /^reply\+[\w-]+@acme\.test$/);
  // A contact-form (web) conversation in the English queue: the same.
  assert.equal((await replyFrom(await conv('dan@customer.test', 'web', en.id), 'dan@customer.test')).address, 'english@acme.test');
  // No queue with a mailbox: the account's first mailbox.
  assert.equal((await replyFrom(await conv('olga@customer.test', 'email'), 'olga@customer.test')).address, 'support@acme.test');
  // The customer wrote to a mailbox: that one answers, even after the conversation moved to the English queue.
  const raw = inboundRaw({ from: 'Hans <hans@customer.test>', subject: 'Zelt' });
  const r = await ingestEmail(env.ctx, { raw: Buffer.from(raw.raw.toString().replace('To: support@acme.test', 'To: hallo@acme.test')), rcptTo: ['hallo@acme.test'], source: 'smtp' });
  assert.equal(r.status, 'stored');
  if (r.status !== 'stored') return;
  assert.equal((await env.req('PATCH', `/api/v1/conversations/${r.conversationId}`, { body: { queueId: en.id } })).status, 200);
  assert.equal((await replyFrom(r.conversationId, 'hans@customer.test')).address, 'hallo@acme.test');
  // Mail a conversation causes without naming a sender (a confirmation, a survey) follows the same rule.
  const sys2 = await env.db.transaction((tx) => senderMailbox(tx, env.accountId, null));
  assert.equal(sys2?.address, 'support@acme.test', 'without a conversation: the account default');
});

test('delivery status: 404 for an unknown or foreign conversation', async () => {
  const other = await env.makeAccount('other');
  const c = await inbound({ subject: 'Mine' });
  const r = await env.req('GET', `/api/v1/conversations/${c.conversationId}/emails`, { token: other.tokens.admin });
  assert.equal(r.status, 404);
  assert.equal((await env.req('GET', '/api/v1/conversations/not-a-uuid/emails')).status, 404);
  assert.equal((await env.req('GET', `/api/v1/conversations/${c.conversationId}/emails`, { token: '' })).status, 401);
});

test('References are capped: the root and the newest', () => {
  const ids = Array.from({ length: 30 }, (_, i) => `<m${i}@x>`);
  const capped = capReferences(ids);
  assert.equal(capped.length, 20);
  assert.equal(capped[0], '<m0@x>');
  assert.equal(capped.at(-1), '<m29@x>');
  assert.deepEqual(capReferences(['<a@x>', '<a@x>', '<b@x>']), ['<a@x>', '<b@x>']);
  void t0;
});

test('auto-acknowledgement: off by default; when on, once for a new customer email, never for robots, follow-ups or twice a day', async () => {
  // Settings: admins change them, supervisors read them, agents do neither; other accounts see nothing.
  assert.equal((await env.req('GET', `/api/v1/mailboxes/${ackBox}/settings`, { token: env.tokens.supervisor })).json.autoAck, false);
  assert.equal((await env.req('PUT', `/api/v1/mailboxes/${ackBox}/settings`, { token: env.tokens.agent, body: { autoAck: true } })).status, 403);
  const other = await env.makeAccount('ack-other');
  assert.equal((await env.req('GET', `/api/v1/mailboxes/${ackBox}/settings`, { token: other.tokens.admin })).status, 404);

  const send = async (o: Parameters<typeof inboundRaw>[0]) => {
    const m = inboundRaw(o);
    const raw = Buffer.from(m.raw.toString().replace('To: support@acme.test', 'To: hallo@acme.test'));
    const r = await ingestEmail(env.ctx, { raw, rcptTo: ['hallo@acme.test'], source: 'smtp' });
    assert.equal(r.status, 'stored');
    return { r, ack: await acknowledgeIngested(env.ctx, r), id: m.id };
  };
  // Off: nothing.
  const off = await send({ from: 'Otto <otto@kunde.test>', subject: 'Ohne Bestätigung' });
  assert.equal(off.ack, null);

  const on = await env.req('PUT', `/api/v1/mailboxes/${ackBox}/settings`, { body: { autoAck: true } });
  assert.equal(on.status, 200);
  assert.equal(on.json.autoAck, true);

  const first = await send({
    from: 'Greta Vogel <greta@kunde.test>', subject: 'Zelt nicht angekommen',
    text: 'Hallo, mein Zelt ist immer noch nicht angekommen. Können Sie bitte nachsehen, wo die Lieferung bleibt? Vielen Dank und freundliche Grüße',
  });
  assert.ok(first.ack);
  const before = sink.messages.length;
  await runJobs();
  const [mail] = (await sink.waitFor(before + 1)).slice(before);
  const m = await parse(mail.raw);
  assert.deepEqual(mail.rcptTo, ['greta@kunde.test']);
  assert.equal(header(m, 'auto-submitted'), 'auto-replied');
  assert.equal(m.inReplyTo, first.id);
  assert.equal(m.from?.value[0].address, 'hallo@acme.test');
  assert.match(m.text ?? '', /vielen Dank für Ihre Nachricht/);
  assert.match(m.subject ?? '', /^Re: Zelt nicht angekommen \[#\d+\]$/);
  // The same message again (a redelivery), and a follow-up in that conversation: no second acknowledgement.
  const again = await ingestEmail(env.ctx, { raw: Buffer.from(inboundRaw({ messageId: first.id }).raw.toString().replace('To: support@', 'To: hallo@')), rcptTo: ['hallo@acme.test'], source: 'smtp' });
  assert.equal(await acknowledgeIngested(env.ctx, again), null);
  const follow = await send({ from: 'Greta Vogel <greta@kunde.test>', subject: 'Noch etwas', references: first.id });
  assert.equal(follow.r.status === 'stored' && follow.r.conversationId, first.r.status === 'stored' && first.r.conversationId);
  assert.equal(follow.ack, null);
  // A new conversation from the same address the same day: no second acknowledgement (loop guard).
  const second = await send({ from: 'Greta Vogel <greta@kunde.test>', subject: 'Ganz neues Thema' });
  assert.equal(second.ack, null);
  // Robots never get one.
  const robot = await send({ from: 'Shop <noreply@shop.test>', subject: 'Your order', headers: 'Auto-Submitted: auto-generated' });
  assert.equal(robot.ack, null);
  const list = await send({ from: 'News <news@list.test>', subject: 'Weekly', headers: 'List-Id: <weekly.list.test>\r\nPrecedence: list' });
  assert.equal(list.ack, null);
});
