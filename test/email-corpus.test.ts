/**
 * The inbound email corpus (test/fixtures/eml, made by generate.py): every file goes through the real SMTP listener
 * and is either stored with the fields its manifest entry names, or rejected with the stated code and reason; the
 * server answers normally afterwards.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { setup, type TestEnv } from './helpers.js';
import { systemPrincipal } from '../src/platform/context.js';
import { findOrCreateCustomer } from '../src/modules/customers/customers.service.js';
import { createMailbox } from '../src/modules/channels/email/mailboxes.service.js';
import { startSmtpServer, type SmtpHandle } from '../src/modules/channels/email/smtp.js';

const DIR = new URL('./fixtures/eml/', import.meta.url).pathname;
interface Entry {
  file: string;
  outcome: 'stored' | 'rejected';
  code?: number;
  reason?: string;
  mailFrom?: string;
  subject?: string;
  text?: string;
  textLoose?: string;
  textAlso?: string;
  notText?: string;
  quoted?: string;
  attachments?: number;
  attachmentNames?: string[];
  automatic?: string;
  from?: string;
  fromName?: string;
  htmlIncludes?: string;
  htmlExcludes?: string[];
  language?: string;
  syntheticId?: boolean;
  bounced?: string[];
  notBounced?: string[];
  status?: string;
}
const manifest: Entry[] = JSON.parse(readFileSync(join(DIR, 'manifest.json'), 'utf8'));

let env: TestEnv;
let smtp: SmtpHandle;

async function send(raw: Buffer, mailFrom: string) {
  const t = nodemailer.createTransport({ host: '127.0.0.1', port: smtp.port, secure: false, ignoreTLS: true } as any);
  try {
    const info = await t.sendMail({ envelope: { from: mailFrom, to: ['support@corpus.test'] }, raw });
    return { ok: true, code: 250, response: String(info.response) };
  } catch (err: any) {
    return { ok: false, code: err.responseCode as number, response: String(err.response ?? err.message) };
  } finally {
    t.close();
  }
}

before(async () => {
  env = await setup();
  smtp = await startSmtpServer(env.ctx, { port: 0, host: '127.0.0.1' });
  await createMailbox(env.ctx, systemPrincipal(env.accountId), { address: 'support@corpus.test' });
  // Customers whose addresses the bounces report.
  const addrs = manifest.flatMap((e) => [...(e.bounced ?? []), ...(e.notBounced ?? [])]);
  await env.db.transaction(async (tx) => {
    for (const email of addrs) await findOrCreateCustomer(tx, env.accountId, { email });
  });
});
after(async () => {
  await smtp.close();
  await env.close();
});

test('the corpus has at least 50 files of every kind the brief names', () => {
  assert.ok(manifest.length >= 50, `${manifest.length} files`);
  for (const k of ['auto_reply', 'list', 'bulk', 'bounce']) assert.ok(manifest.some((e) => e.automatic === k), k);
  assert.ok(manifest.some((e) => e.outcome === 'rejected'));
});

for (const e of manifest) {
  test(`${e.file}: ${e.outcome}${e.automatic ? ` (${e.automatic})` : ''}`, async () => {
    const raw = readFileSync(join(DIR, e.file));
    const before = (await env.db.query<{ n: number }>('SELECT count(*)::int AS n FROM email_messages')).rows[0].n;
    const r = await send(raw, e.mailFrom ?? 'sender@client.example');
    const afterN = (await env.db.query<{ n: number }>('SELECT count(*)::int AS n FROM email_messages')).rows[0].n;
    if (e.outcome === 'rejected') {
      assert.equal(r.ok, false, `expected a rejection, got ${r.response}`);
      assert.equal(r.code, e.code);
      assert.ok(r.response.includes(e.reason!), `reason '${e.reason}' not in '${r.response}'`);
      assert.equal(afterN, before);
      return;
    }
    assert.ok(r.ok, `${r.code} ${r.response}`);
    assert.equal(afterN, before + 1);
    const row = (await env.db.query('SELECT * FROM email_messages ORDER BY received_at DESC LIMIT 1')).rows[0];
    const m: any = row.message_id ? (await env.db.query("SELECT * FROM messages WHERE id = $1", [row.message_id])).rows[0] : null;
    const atts = row.message_id ? (await env.db.query('SELECT filename FROM attachments WHERE message_id = $1 ORDER BY created_at', [row.message_id])).rows : [];
    if (e.subject !== undefined) assert.equal(row.subject, e.subject);
    for (const [k, want] of [['text', e.text], ['textLoose', e.textLoose], ['textAlso', e.textAlso]] as const)
      if (want) assert.ok(m?.text.includes(want), `${k}: '${want}' not in '${m?.text.slice(0, 300)}'`);
    if (e.notText) assert.ok(!m.text.includes(e.notText), `quoted '${e.notText}' left in the text`);
    if (e.quoted) assert.ok(row.quoted_text?.includes(e.quoted), `quoted part '${e.quoted}' not kept: ${row.quoted_text}`);
    if (e.attachments !== undefined) assert.equal(atts.length, e.attachments, atts.map((a: any) => a.filename).join());
    if (e.attachmentNames) assert.deepEqual(atts.map((a: any) => a.filename), e.attachmentNames);
    assert.equal(row.auto_kind, e.automatic ?? null);
    if (e.automatic && m) assert.equal(m.automatic, true);
    if (!e.automatic) assert.equal(m.automatic, false);
    if (e.from) assert.equal(row.from_address, e.from);
    if (e.fromName) assert.equal(row.from_name, e.fromName);
    if (e.htmlIncludes) assert.ok(m.html?.includes(e.htmlIncludes), `html lost ${e.htmlIncludes}`);
    for (const x of e.htmlExcludes ?? []) assert.ok(!m.html?.toLowerCase().includes(x.toLowerCase()), `html kept ${x}`);
    if (e.language) assert.equal(m.language, e.language);
    if (e.syntheticId) assert.match(row.rfc_message_id, /^<[0-9a-f]{64}@earshot\.invalid>$/);
    for (const a of e.bounced ?? []) {
      const i = (await env.db.query(`SELECT bounced_at, bounce_reason FROM customer_identities WHERE kind = 'email' AND value = $1`, [a])).rows[0];
      assert.ok(i?.bounced_at, `${a} not marked as bounced`);
      if (e.status) assert.ok(i.bounce_reason.includes(e.status), i.bounce_reason);
    }
    for (const a of e.notBounced ?? []) {
      const i = (await env.db.query(`SELECT bounced_at FROM customer_identities WHERE kind = 'email' AND value = $1`, [a])).rows[0];
      assert.equal(i.bounced_at, null, `${a}: a delay is not a bounce`);
    }
    if (e.automatic === 'bounce') {
      // Never a customer conversation from a bounce.
      assert.equal(row.message_id, null);
    }
  });
}

test('after the whole corpus the listener still answers and stores a plain message', async () => {
  const raw = Buffer.from('From: last@example.com\r\nTo: support@corpus.test\r\nSubject: Still there?\r\nMessage-ID: <last@example.com>\r\n\r\nHello\r\n');
  const r = await send(raw, 'last@example.com');
  assert.ok(r.ok, r.response);
  const bounces = (await env.db.query(`SELECT count(*)::int AS n FROM conversations c JOIN customer_identities i ON i.customer_id = c.customer_id
                                        WHERE i.value LIKE 'mailer-daemon%' OR i.value LIKE 'postmaster%'`)).rows[0].n;
  assert.equal(bounces, 0);
});
