import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { setup, type TestEnv } from './helpers.js';
import { run } from './cli-run.js';
import { startSmtpServer, type SmtpHandle } from '../src/modules/channels/email/smtp.js';
import { ingestEmail } from '../src/modules/channels/email/inbound.js';
import { splitQuoted, baseSubject } from '../src/modules/channels/email/parse.js';
import { replyAddress } from '../src/modules/channels/email/mailboxes.service.js';

let env: TestEnv;
let smtp: SmtpHandle;
let mailboxId: string;

before(async () => {
  env = await setup({ smtpMaxBytes: 200_000 });
  smtp = await startSmtpServer(env.ctx, { port: 0, host: '127.0.0.1' });
});
after(async () => {
  await smtp.close();
  await env.close();
});

export async function send(port: number, raw: string | Buffer, to: string | string[], from = 'anna@example.com') {
  const t = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, connectionTimeout: 10_000 } as any);
  try {
    const info = await t.sendMail({ envelope: { from, to }, raw });
    return { ok: true, code: 250, response: info.response as string };
  } catch (err: any) {
    return { ok: false, code: err.responseCode as number, response: String(err.response ?? err.message) };
  } finally {
    t.close();
  }
}

let n = 0;
function mail(o: { from?: string; to?: string; subject?: string; body?: string; id?: string | null; headers?: string[]; inReplyTo?: string }) {
  const id = o.id === undefined ? `<t${++n}.${Date.now()}@example.com>` : o.id;
  return [
    `From: ${o.from ?? 'Anna Berg <anna@example.com>'}`,
    `To: ${o.to ?? 'support@acme.test'}`,
    `Subject: ${o.subject ?? 'My order has not arrived'}`,
    'Date: Tue, 3 Mar 2026 10:00:00 +0100',
    ...(id ? [`Message-ID: ${id}`] : []),
    ...(o.inReplyTo ? [`In-Reply-To: ${o.inReplyTo}`, `References: ${o.inReplyTo}`] : []),
    ...(o.headers ?? []),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    o.body ?? 'Hello, I ordered a tent two weeks ago and it has not arrived yet.',
    '',
  ].join('\r\n');
}

async function emailRow(messageId: string) {
  const r = await env.req('GET', `/api/v1/messages/${messageId}/email`);
  assert.equal(r.status, 200, r.body);
  return r.json;
}

test('mailbox API: admin creates, manage reads, agent may not; addresses unique, domains belong to one account', async () => {
  const q = await env.req('POST', '/api/v1/queues', { body: { name: 'Support' } });
  assert.equal(q.status, 201, q.body);
  const created = await env.req('POST', '/api/v1/mailboxes', { body: { address: 'Support@Acme.test', name: 'Support', queueId: q.json.id } });
  assert.equal(created.status, 201, created.body);
  assert.equal(created.json.address, 'support@acme.test');
  assert.equal(created.json.onClosed, 'reopen');
  mailboxId = created.json.id;
  const list = await env.req('GET', '/api/v1/mailboxes', { token: env.tokens.supervisor });
  assert.equal(list.status, 200);
  assert.deepEqual(list.json.items.map((m: any) => m.address), ['support@acme.test']);
  assert.equal((await env.req('GET', '/api/v1/mailboxes', { token: env.tokens.agent })).status, 403);
  assert.equal((await env.req('POST', '/api/v1/mailboxes', { token: env.tokens.supervisor, body: { address: 'x@acme.test' } })).status, 403);
  const dup = await env.req('POST', '/api/v1/mailboxes', { body: { address: 'support@acme.test' } });
  assert.equal(dup.status, 409);
  assert.match(dup.json.message ?? dup.body, /already a mailbox/);
  const other = await env.makeAccount('other');
  // Our domain is ours (claimed at first use): the other account gets the answer of an unknown domain, not a 409.
  const foreign = await env.req('POST', '/api/v1/mailboxes', { token: other.tokens.admin, body: { address: 'support@acme.test' } });
  assert.equal(foreign.status, 400);
  assert.match(foreign.json.error.message, /not a mail domain of this account/);
  const bad = await env.req('POST', '/api/v1/mailboxes', { body: { address: 'not an address' } });
  assert.equal(bad.status, 400);
  // Another account cannot see or change ours.
  assert.equal((await env.req('PATCH', `/api/v1/mailboxes/${mailboxId}`, { token: other.tokens.admin, body: { name: 'x' } })).status, 404);
  const extra = await env.req('POST', '/api/v1/mailboxes', { body: { address: 'billing@acme.test' } });
  const patched = await env.req('PATCH', `/api/v1/mailboxes/${extra.json.id}`, { body: { onClosed: 'follow_up', name: 'Billing' } });
  assert.equal(patched.status, 200, patched.body);
  assert.equal(patched.json.onClosed, 'follow_up');
  assert.equal(patched.json.name, 'Billing');
  const gone = await env.req('POST', '/api/v1/mailboxes', { body: { address: 'old@acme.test' } });
  assert.equal((await env.req('DELETE', `/api/v1/mailboxes/${gone.json.id}`)).status, 204);
  assert.equal((await env.req('DELETE', `/api/v1/mailboxes/${gone.json.id}`)).status, 404);
});

test('SMTP: unknown recipient gets 550 at RCPT, an oversized message 552', async () => {
  const r = await send(smtp.port, mail({}), 'nobody@acme.test');
  assert.equal(r.ok, false);
  assert.equal(r.code, 550);
  assert.match(r.response, /no such mailbox/);
  const big = mail({ body: 'x'.repeat(76) + (`\r\n${'y'.repeat(76)}`).repeat(3000) });
  const b = await send(smtp.port, big, 'support@acme.test');
  assert.equal(b.ok, false);
  assert.equal(b.code, 552);
  assert.match(b.response, /too big|maximum message size/i);
  const count = await env.db.query('SELECT count(*)::int AS n FROM email_messages');
  assert.equal(count.rows[0].n, 0);
});

let firstConv: string;
let firstRfcId: string;

test('a new email opens a conversation in the mailbox queue with contact events', async () => {
  firstRfcId = `<first.${Date.now()}@example.com>`;
  const r = await send(smtp.port, mail({ id: firstRfcId }), 'support@acme.test');
  assert.ok(r.ok, r.response);
  const e = await env.db.query(`SELECT * FROM email_messages WHERE rfc_message_id = $1`, [firstRfcId]);
  assert.equal(e.rows.length, 1);
  firstConv = e.rows[0].conversation_id;
  const c = await env.req('GET', `/api/v1/conversations/${firstConv}`);
  assert.equal(c.json.channel, 'email');
  assert.equal(c.json.subject, 'My order has not arrived');
  assert.ok(c.json.queueId);
  assert.equal(c.json.customer.identities[0].value, 'anna@example.com');
  assert.equal(c.json.customer.name, 'Anna Berg');
  assert.match(c.json.messages[0].text, /tent two weeks ago/);
  assert.equal(c.json.language, 'en');
  const ev = await env.db.query(`SELECT type, channel FROM contact_events WHERE conversation_id = $1 ORDER BY id`, [firstConv]);
  const types = ev.rows.map((x: any) => x.type);
  assert.ok(types.includes('contact.arrived'));
  assert.ok(types.includes('queue.entered'));
  assert.ok(ev.rows.every((x: any) => x.channel === 'email'));
  const detail = await emailRow(c.json.messages[0].id);
  assert.equal(detail.rfcMessageId, firstRfcId);
  assert.equal(detail.threadedBy, 'new');
  assert.equal(detail.autoKind, null);
  const raw = await env.db.query(`SELECT raw, raw_size, raw_sha256 FROM email_messages WHERE rfc_message_id = $1`, [firstRfcId]);
  assert.ok(Buffer.from(raw.rows[0].raw).toString('utf8').includes('tent two weeks ago'));
});

test('a reply via reply+token and one via In-Reply-To thread into the same conversation', async () => {
  const token = (await env.db.query('SELECT reply_token FROM conversations WHERE id = $1', [firstConv])).rows[0].reply_token;
  const addr = replyAddress({ address: 'support@acme.test' }, token);
  const r1 = await send(smtp.port, mail({ to: addr, subject: 'something else entirely', body: 'Any news?' }), addr);
  assert.ok(r1.ok, r1.response);
  const r2 = await send(smtp.port, mail({ subject: 'Re: totally different', inReplyTo: firstRfcId, body: 'Still waiting.' }), 'support@acme.test');
  assert.ok(r2.ok, r2.response);
  // An unknown token is an unknown recipient.
  const r3 = await send(smtp.port, mail({}), 'reply+0000000000000000deadbeef@acme.test');
  assert.equal(r3.code, 550);
  const c = await env.req('GET', `/api/v1/conversations/${firstConv}`);
  assert.deepEqual(c.json.messages.map((m: any) => m.text), [
    'Hello, I ordered a tent two weeks ago and it has not arrived yet.', 'Any news?', 'Still waiting.',
  ]);
  const by = await env.db.query(`SELECT threaded_by FROM email_messages WHERE conversation_id = $1 ORDER BY received_at, threaded_by`, [firstConv]);
  assert.deepEqual(by.rows.map((x: any) => x.threaded_by).sort(), ['header', 'new', 'token']);
});

test('subject guard: the same customer threads by subject, a different customer with the same subject does not', async () => {
  const same = await send(smtp.port, mail({ subject: 'AW: Re: My order has not arrived', body: 'Hallo, ich warte immer noch.' }), 'support@acme.test');
  assert.ok(same.ok);
  const other = await send(smtp.port, mail({ from: 'Bob <bob@example.org>', subject: 'Re: My order has not arrived', body: 'I have the same problem' }), 'support@acme.test', 'bob@example.org');
  assert.ok(other.ok);
  const rows = await env.db.query(`SELECT e.conversation_id, e.threaded_by, e.from_address FROM email_messages e WHERE e.subject LIKE '%My order has not arrived' ORDER BY e.received_at`);
  const anna = rows.rows.filter((x: any) => x.from_address === 'anna@example.com');
  const bob = rows.rows.find((x: any) => x.from_address === 'bob@example.org')!;
  assert.ok(anna.some((x: any) => x.threaded_by === 'subject' && x.conversation_id === firstConv));
  assert.notEqual(bob.conversation_id, firstConv);
  assert.equal(bob.threaded_by, 'new');
  assert.equal(baseSubject('SV: VS: Antw: WG: Fwd: Hei'), 'Hei');
});

test('a reply to a closed conversation reopens it (reopen) or opens a linked follow-up (follow_up)', async () => {
  await env.req('PATCH', `/api/v1/conversations/${firstConv}`, { body: { status: 'closed' } });
  assert.equal((await env.req('GET', `/api/v1/conversations/${firstConv}`)).json.status, 'closed');
  // An out-of-office to the closed conversation never reopens it.
  const ooo = await send(smtp.port, mail({ subject: 'Automatic reply: My order', inReplyTo: firstRfcId, headers: ['Auto-Submitted: auto-replied'], body: 'I am away.' }), 'support@acme.test');
  assert.ok(ooo.ok);
  assert.equal((await env.req('GET', `/api/v1/conversations/${firstConv}`)).json.status, 'closed');
  const r = await send(smtp.port, mail({ inReplyTo: firstRfcId, subject: 'Re: My order', body: 'It broke again!' }), 'support@acme.test');
  assert.ok(r.ok);
  const c = await env.req('GET', `/api/v1/conversations/${firstConv}`);
  assert.equal(c.json.status, 'open');
  assert.equal(c.json.messages.at(-1).text, 'It broke again!');
  const ev = await env.db.query(`SELECT type FROM contact_events WHERE conversation_id = $1 AND type = 'contact.reopened'`, [firstConv]);
  assert.equal(ev.rows.length, 1);

  // follow_up: the billing mailbox opens a new conversation linked to the closed one.
  const bid = `<billing.${Date.now()}@example.com>`;
  assert.ok((await send(smtp.port, mail({ id: bid, to: 'billing@acme.test', subject: 'Invoice wrong' }), 'billing@acme.test')).ok);
  const conv1 = (await env.db.query('SELECT conversation_id FROM email_messages WHERE rfc_message_id = $1', [bid])).rows[0].conversation_id;
  await env.req('PATCH', `/api/v1/conversations/${conv1}`, { body: { status: 'closed' } });
  assert.ok((await send(smtp.port, mail({ to: 'billing@acme.test', subject: 'Re: Invoice wrong', inReplyTo: bid, body: 'Still wrong.' }), 'billing@acme.test')).ok);
  const f = await env.db.query(`SELECT id, status, subject FROM conversations WHERE follow_up_of = $1`, [conv1]);
  assert.equal(f.rows.length, 1);
  assert.equal(f.rows[0].subject, 'Invoice wrong');
  assert.equal((await env.req('GET', `/api/v1/conversations/${conv1}`)).json.status, 'closed');
});

test('an auto-reply is stored as automatic, does not reopen a solved conversation, starts no clock', async () => {
  const id = `<solved.${Date.now()}@example.com>`;
  assert.ok((await send(smtp.port, mail({ id, from: 'carl@example.net', subject: 'Question' }), 'support@acme.test', 'carl@example.net')).ok);
  const conv = (await env.db.query('SELECT conversation_id FROM email_messages WHERE rfc_message_id = $1', [id])).rows[0].conversation_id;
  const rep = await env.req('POST', `/api/v1/conversations/${conv}/replies`, { body: { text: 'Here is the answer.', status: 'solved' } });
  assert.ok(rep.status < 300, rep.body);
  const r = await send(smtp.port, mail({ from: 'carl@example.net', subject: 'Abwesenheitsnotiz: Question', inReplyTo: id, body: 'Ich bin bis Montag nicht im Büro.' }), 'support@acme.test', 'carl@example.net');
  assert.ok(r.ok);
  const c = await env.req('GET', `/api/v1/conversations/${conv}`);
  assert.equal(c.json.status, 'solved');
  const last = c.json.messages.at(-1);
  assert.equal(last.automatic, true);
  assert.equal((await emailRow(last.id)).autoKind, 'auto_reply');
  assert.equal(c.json.sla.nextReplyDueAt, null);
  // A list mail that threads nowhere is kept in a conversation without reply clocks.
  const lid = `<list.${Date.now()}@lists.example.com>`;
  assert.ok((await send(smtp.port, mail({ id: lid, from: 'news@lists.example.com', subject: 'Weekly digest', headers: ['List-Id: <digest.lists.example.com>', 'Precedence: list'] }), 'support@acme.test', 'bounces@lists.example.com')).ok);
  const lrow = (await env.db.query('SELECT conversation_id, auto_kind FROM email_messages WHERE rfc_message_id = $1', [lid])).rows[0];
  assert.equal(lrow.auto_kind, 'list');
  const lc = await env.req('GET', `/api/v1/conversations/${lrow.conversation_id}`);
  assert.equal(lc.json.sla.firstReplyDueAt, null);
  assert.ok(lc.json.tags.includes('automatic'));
  // Robot mail is not a customer contact: no contact facts, so it never counts in waits or journeys.
  assert.equal(lc.json.automatic, true);
  const facts = await env.db.query('SELECT 1 FROM contact_facts WHERE contact_id = $1', [lrow.conversation_id]);
  assert.equal(facts.rows.length, 0);
  await env.req('PATCH', `/api/v1/conversations/${lrow.conversation_id}`, { body: { status: 'solved' } });
  assert.equal((await env.db.query('SELECT 1 FROM contact_facts WHERE contact_id = $1', [lrow.conversation_id])).rows.length, 0);
});

test('a DSN bounce marks the customer address and is attached to the conversation of the bounced mail', async () => {
  // The conversation's outgoing mail, as the outbound sender records it.
  const cid = `<c.${Date.now()}@example.com>`;
  assert.ok((await send(smtp.port, mail({ id: cid, from: 'dora@example.com', subject: 'Help' }), 'support@acme.test', 'dora@example.com')).ok);
  const conv = (await env.db.query('SELECT conversation_id FROM email_messages WHERE rfc_message_id = $1', [cid])).rows[0].conversation_id;
  const outId = `<out.${Date.now()}@acme.test>`;
  await env.db.query(`INSERT INTO email_message_ids (account_id, rfc_message_id, conversation_id, direction) VALUES ($1, $2, $3, 'outbound')`, [env.accountId, outId, conv]);
  const dsn = [
    'From: Mail Delivery System <MAILER-DAEMON@mx.acme.test>',
    'To: support@acme.test',
    'Subject: Undelivered Mail Returned to Sender',
    `Message-ID: <dsn.${Date.now()}@mx.acme.test>`,
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="B"',
    '',
    '--B',
    'Content-Type: text/plain',
    '',
    'I\'m sorry to have to inform you that your message could not be delivered.',
    '--B',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.acme.test',
    '',
    'Final-Recipient: rfc822; dora@example.com',
    'Action: failed',
    'Status: 5.1.1',
    'Diagnostic-Code: smtp; 550 5.1.1 User unknown',
    '',
    '--B',
    'Content-Type: text/rfc822-headers',
    '',
    'From: support@acme.test',
    'To: dora@example.com',
    `Message-ID: ${outId}`,
    'Subject: Re: Help',
    '',
    '--B--',
    '',
  ].join('\r\n');
  const r = await send(smtp.port, dsn, 'support@acme.test', '');
  assert.ok(r.ok, r.response);
  const ident = await env.db.query(`SELECT bounced_at, bounce_reason FROM customer_identities WHERE value = 'dora@example.com'`);
  assert.ok(ident.rows[0].bounced_at);
  assert.match(ident.rows[0].bounce_reason, /5\.1\.1/);
  const c = await env.req('GET', `/api/v1/conversations/${conv}`);
  const last = c.json.messages.at(-1);
  assert.equal(last.automatic, true);
  assert.match(last.text, /Delivery failed: dora@example.com/);
  // A bounce about nothing we know never becomes a conversation.
  const before = (await env.db.query('SELECT count(*)::int AS n FROM conversations')).rows[0].n;
  const stray = dsn.replace(outId, '<unknown@nowhere>').replace(/Message-ID: <dsn\.[^>]+>/, `Message-ID: <dsn2.${Date.now()}@mx>`);
  assert.ok((await send(smtp.port, stray, 'support@acme.test', '')).ok);
  assert.equal((await env.db.query('SELECT count(*)::int AS n FROM conversations')).rows[0].n, before);
});

test('the same Message-ID delivered twice (SMTP retry, IMAP refetch, concurrently) is stored once', async () => {
  const id = `<dup.${Date.now()}@example.com>`;
  const raw = mail({ id, from: 'erik@example.no', subject: 'Dobbel' , body: 'Hei, pakken min er ikke kommet.' });
  const results = await Promise.all([1, 2, 3].map(() => send(smtp.port, raw, 'support@acme.test', 'erik@example.no')));
  assert.ok(results.every((r) => r.ok));
  const imap = await ingestEmail(env.ctx, { raw: Buffer.from(raw), rcptTo: [], source: 'imap', mailboxId });
  assert.equal(imap.status, 'stored');
  assert.equal((imap as any).duplicate, true);
  const rows = await env.db.query('SELECT conversation_id FROM email_messages WHERE rfc_message_id = $1', [id]);
  assert.equal(rows.rows.length, 1);
  const msgs = await env.db.query('SELECT count(*)::int AS n FROM messages WHERE conversation_id = $1', [rows.rows[0].conversation_id]);
  assert.equal(msgs.rows[0].n, 1);
  assert.equal((await env.req('GET', `/api/v1/conversations/${rows.rows[0].conversation_id}`)).json.language, 'nb');
  // Without a Message-ID the raw source's hash is the identity.
  const noId = mail({ id: null, from: 'erik@example.no', subject: 'Uten id', body: 'Hei igjen' });
  assert.ok((await send(smtp.port, noId, 'support@acme.test')).ok);
  assert.ok((await send(smtp.port, noId, 'support@acme.test')).ok);
  const syn = await env.db.query(`SELECT count(*)::int AS n FROM email_messages WHERE rfc_message_id LIKE '%@earshot.invalid>'`);
  assert.equal(syn.rows[0].n, 1);
});

test('HTML is sanitised (script gone) and quoted history is split off and kept', async () => {
  const id = `<html.${Date.now()}@example.com>`;
  const raw = [
    'From: Fiona <fiona@example.com>', 'To: support@acme.test', 'Subject: Broken link', `Message-ID: ${id}`, 'MIME-Version: 1.0',
    'Content-Type: multipart/alternative; boundary="A"', '',
    '--A', 'Content-Type: text/plain; charset=utf-8', '',
    'The link in your mail is broken.', '', 'On Mon, 2 Mar 2026 at 09:00, Support <support@acme.test> wrote:', '> Click here to confirm.', '> Thanks',
    '--A', 'Content-Type: text/html; charset=utf-8', '',
    '<p>The link in your mail is broken.</p><script>alert(1)</script><img src="x" onerror="alert(2)"><blockquote>Click here</blockquote>',
    '--A--', '',
  ].join('\r\n');
  assert.ok((await send(smtp.port, raw, 'support@acme.test', 'fiona@example.com')).ok);
  const row = (await env.db.query('SELECT message_id, quoted_text FROM email_messages WHERE rfc_message_id = $1', [id])).rows[0];
  const m = (await env.db.query('SELECT text, html FROM messages WHERE id = $1', [row.message_id])).rows[0];
  assert.equal(m.text, 'The link in your mail is broken.');
  assert.doesNotMatch(m.html, /script|onerror|alert/);
  assert.match(row.quoted_text, /^On Mon.*wrote:\n> Click here/s);
  assert.deepEqual(splitQuoted('Danke!\n\nAm 02.03.2026 um 09:00 schrieb Support <s@a.test>:\n> Hallo'), { text: 'Danke!', quoted: 'Am 02.03.2026 um 09:00 schrieb Support <s@a.test>:\n> Hallo' });
  assert.deepEqual(splitQuoted('Takk!\n\nDen 2. mars 2026 kl. 09:00 skrev Support <s@a.test>:\n> Hei').text, 'Takk!');
  assert.deepEqual(splitQuoted('Ok.\n\n-----Original Message-----\nFrom: x').quoted, '-----Original Message-----\nFrom: x');
});

test('CLI: earshot mailbox add and list', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'earshot-mbx-'));
  try {
    const data = ['--data', join(dir, 'db')];
    const a = await run(['account', 'create', 'Acme', '--slug', 'acme', ...data]);
    assert.equal(a.code, 0, a.stderr);
    const add = await run(['mailbox', 'add', '--account', 'acme', '--address', 'Help@Acme.test', '--on-closed', 'follow-up', '--name', 'Help', ...data]);
    assert.equal(add.code, 0, add.stderr);
    assert.match(add.stderr, /Mailbox help@acme.test added to 'acme'.*follow-up/);
    const bad = await run(['mailbox', 'add', '--account', 'acme', '--address', 'help@acme.test', ...data]);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /already a mailbox/);
    const list = await run(['mailbox', 'list', '--account', 'acme', '--json', ...data]);
    assert.equal(list.code, 0, list.stderr);
    const items = JSON.parse(list.stdout);
    assert.equal(items.length, 1);
    assert.equal(items[0].onClosed, 'follow_up');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('STARTTLS is offered only with a configured certificate (never the built-in one)', async () => {
  const { execFileSync } = await import('node:child_process');
  const dir = mkdtempSync(join(tmpdir(), 'earshot-tls-'));
  try {
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=mx.acme.test'], { stdio: 'ignore' });
    const tls = await startSmtpServer(env.ctx, { port: 0, host: '127.0.0.1', tlsKey: key, tlsCert: cert });
    try {
      const t = nodemailer.createTransport({ host: '127.0.0.1', port: tls.port, secure: false, requireTLS: true, tls: { rejectUnauthorized: false } } as any);
      const info = await t.sendMail({ envelope: { from: 'tls@example.com', to: ['support@acme.test'] }, raw: mail({ from: 'tls@example.com', subject: 'Over TLS' }) });
      t.close();
      assert.match(String(info.response), /^250/);
    } finally {
      await tls.close();
    }
    // The plain listener does not offer STARTTLS: a client that requires it gives up.
    const plain = nodemailer.createTransport({ host: '127.0.0.1', port: smtp.port, secure: false, requireTLS: true, tls: { rejectUnauthorized: false } } as any);
    await assert.rejects(plain.sendMail({ envelope: { from: 'x@example.com', to: ['support@acme.test'] }, raw: mail({}) }), /STARTTLS/i);
    plain.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
