/**
 * Large inbound mail (issue 14 item 13): messages are spooled to disk as they arrive and large ones are parsed and
 * stored a bounded number at a time; senders beyond the bound (slots + waiting) get 451 "try again later", and only
 * then. Memory per MiB is measured by bench/email-memory.ts (a benchmark, not a timed test).
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import nodemailer from 'nodemailer';
import { setup, type TestEnv } from './helpers.js';
import { systemPrincipal } from '../src/platform/context.js';
import { createMailbox } from '../src/modules/channels/email/mailboxes.service.js';
import { startSmtpServer, type SmtpHandle } from '../src/modules/channels/email/smtp.js';

let env: TestEnv;
let smtp: SmtpHandle;
const LARGE = 256 * 1024;

before(async () => {
  env = await setup();
  smtp = await startSmtpServer(env.ctx, { port: 0, host: '127.0.0.1', largeBytes: LARGE, largeConcurrency: 2, largeWaiting: 1 });
  await createMailbox(env.ctx, systemPrincipal(env.accountId), { address: 'support@large.test' });
});
after(async () => {
  await smtp.close();
  await env.close();
});

function mail(tag: string, bytes: number) {
  const data = randomBytes(Math.floor((bytes * 3) / 4)).toString('base64').replace(/.{76}/g, '$&\r\n');
  return Buffer.from(
    [`From: Big <big.${tag}@example.com>`, 'To: support@large.test', `Subject: Large ${tag}`, `Message-ID: <large-${tag}@example.com>`, 'MIME-Version: 1.0',
     'Content-Type: multipart/mixed; boundary="b"', '', '--b', 'Content-Type: text/plain', '', `scan ${tag}`, '--b', 'Content-Type: application/pdf',
     'Content-Disposition: attachment; filename="scan.pdf"', 'Content-Transfer-Encoding: base64', '', data, '--b--', ''].join('\r\n'),
  );
}

async function send(raw: Buffer, tag: string) {
  const t = nodemailer.createTransport({ host: '127.0.0.1', port: smtp.port, secure: false, ignoreTLS: true } as any);
  try {
    const info = await t.sendMail({ envelope: { from: `big.${tag}@example.com`, to: ['support@large.test'] }, raw });
    return { code: 250, response: String(info.response) };
  } catch (err: any) {
    return { code: err.responseCode as number, response: String(err.response ?? err.message) };
  } finally {
    t.close();
  }
}

const stored = async (tag: string) =>
  (await env.db.query<{ n: number; size: number }>(
    `SELECT count(*)::int AS n, max(a.size)::int AS size FROM email_messages e JOIN attachments a ON a.message_id = e.message_id WHERE e.rfc_message_id = $1`,
    [`<large-${tag}@example.com>`],
  )).rows[0];

const waitFor = async (cond: () => boolean, what: string) => {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(cond(), what);
};

test('six large messages at once: all stored with 250, never more than two parsed at the same time', async () => {
  let most = 0;
  const timer = setInterval(() => (most = Math.max(most, smtp.large.inUse)), 2);
  // Two at a time plus one waiting is the bound: send in waves of three so none is over it.
  for (const wave of [['a1', 'a2', 'a3'], ['a4', 'a5', 'a6']]) {
    const rs = await Promise.all(wave.map((t) => send(mail(t, LARGE * 2), t)));
    for (const [i, r] of rs.entries()) assert.equal(r.code, 250, `${wave[i]}: ${r.response}`);
  }
  clearInterval(timer);
  assert.ok(most <= 2, `${most} large messages were parsed at once`);
  for (const t of ['a1', 'a2', 'a3', 'a4', 'a5', 'a6']) {
    const s = await stored(t);
    assert.equal(s.n, 1, t);
    assert.ok(s.size > LARGE, `${t}: attachment of ${s.size} bytes`);
  }
  assert.deepEqual(readdirSync(smtp.spoolDir), [], 'spool files are removed');
});

test('over the bound (slots busy and the waiting place taken) a large message gets 451 and is not stored; retried later it gets 250', async () => {
  // Hold both slots, as two long large messages would.
  const h1 = await smtp.large.acquire()!;
  const h2 = await smtp.large.acquire()!;
  const waiting = send(mail('w1', LARGE * 2), 'w1');
  await waitFor(() => smtp.large.queued === 1, 'the first sender waits for a slot');
  const over = await send(mail('o1', LARGE * 2), 'o1');
  assert.equal(over.code, 451, over.response);
  assert.match(over.response, /4\.3\.2 too many large messages/);
  assert.equal((await stored('o1')).n, 0);
  // A small message is never held back by the large ones.
  const small = await send(Buffer.from('From: s@example.com\r\nTo: support@large.test\r\nSubject: small\r\nMessage-ID: <small-1@example.com>\r\n\r\nhi\r\n'), 's');
  assert.equal(small.code, 250, small.response);
  h1();
  assert.equal((await waiting).code, 250);
  h2();
  const again = await send(mail('o1', LARGE * 2), 'o1');
  assert.equal(again.code, 250, again.response);
  assert.equal((await stored('o1')).n, 1);
  assert.equal(smtp.large.inUse, 0);
});

test('the spool folder removed by a temp cleaner while idle is made again: mail is still stored', async () => {
  rmSync(smtp.spoolDir, { recursive: true, force: true });
  const r = await send(mail('after-clean', LARGE * 2), 'after-clean');
  assert.equal(r.code, 250, r.response);
  assert.equal((await stored('after-clean')).n, 1);
});

test('a message over SMTP_MAX_BYTES is still refused with 552 and leaves no spool file', async () => {
  const small = await startSmtpServer(env.ctx, { port: 0, host: '127.0.0.1', maxBytes: 64 * 1024 });
  try {
    const t = nodemailer.createTransport({ host: '127.0.0.1', port: small.port, secure: false, ignoreTLS: true } as any);
    const r = await t.sendMail({ envelope: { from: 'x@example.com', to: ['support@large.test'] }, raw: mail('too-big', 128 * 1024) }).then(
      () => ({ code: 250 }),
      (err: any) => ({ code: err.responseCode }),
    );
    t.close();
    assert.equal(r.code, 552);
    assert.deepEqual(readdirSync(small.spoolDir), []);
  } finally {
    await small.close();
  }
});
