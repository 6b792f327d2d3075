/**
 * SMTP fuzzing (issue 14, "a fuzzing suite that stays"): generated MIME — NUL bytes, broken base64 and
 * quoted-printable, bad and exotic charsets, encoded words with broken payloads, huge headers, truncated multiparts,
 * missing or broken headers — through the real listener. Every message gets 250 only when it is stored (the row is
 * checked), 5xx when it is refused for good (nothing stored), and never 4xx while the database is reachable; with the
 * database unreachable, every message gets 4xx (the sender retries, nothing is lost).
 * Fixed seed and count, so CI runs the same cases in a few seconds; FUZZ_SMTP_RUNS and FUZZ_SMTP_SEED run more.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import nodemailer from 'nodemailer';
import { freshDb, setup, type TestEnv } from './helpers.js';
import { systemPrincipal, type Ctx } from '../src/platform/context.js';
import * as accounts from '../src/modules/accounts/accounts.service.js';
import { createMailbox } from '../src/modules/channels/email/mailboxes.service.js';
import { startSmtpServer, type SmtpHandle } from '../src/modules/channels/email/smtp.js';

const RUNS = Number(process.env.FUZZ_SMTP_RUNS ?? 60);
const SEED = Number(process.env.FUZZ_SMTP_SEED ?? 20261203);

let env: TestEnv;
let smtp: SmtpHandle;

before(async () => {
  env = await setup();
  smtp = await startSmtpServer(env.ctx, { port: 0, host: '127.0.0.1' });
  await createMailbox(env.ctx, systemPrincipal(env.accountId), { address: 'support@fuzz.test' });
});
after(async () => {
  await smtp.close();
  await env.close();
});

async function send(port: number, raw: Buffer, mailFrom: string) {
  const t = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, socketTimeout: 30_000 } as any);
  try {
    const info = await t.sendMail({ envelope: { from: mailFrom, to: ['support@fuzz.test'] }, raw });
    return { code: 250, response: String(info.response) };
  } catch (err: any) {
    return { code: (err.responseCode as number) ?? 0, response: String(err.response ?? err.message) };
  } finally {
    t.close();
  }
}

// ---- generators ------------------------------------------------------------------------------------------------
const latin = (s: string) => Buffer.from(s, 'latin1');
const bytes = (max: number) =>
  fc.oneof(
    fc.uint8Array({ maxLength: max }).map((a) => Buffer.from(a)),
    fc.string({ unit: 'binary', maxLength: max }).map((s) => Buffer.from(s, 'utf8')),
    fc.array(fc.constantFrom('Hello', ' ', '\0', '\r\n', '\n', 'Grüße', '🏕', '=', '=ZZ', '--', '.', '\r', '\t', '\uFFFD', 'æøå'), { maxLength: 40 }).map((a) => Buffer.from(a.join(''), 'utf8')),
  );
const charset = fc.constantFrom('utf-8', 'us-ascii', 'iso-8859-1', 'windows-1252', 'utf-16le', 'utf-16', 'iso-2022-jp', 'koi8-r', 'x-unknown-charset', '', 'utf-8"; x="', 'ut\0f-8');
const cte = fc.constantFrom('7bit', '8bit', 'binary', 'base64', 'quoted-printable', 'x-uuencode', 'bogus');

/** A body encoded (or mis-encoded) as the transfer encoding claims. */
const encoded = fc.tuple(cte, bytes(600), fc.boolean()).map(([enc, data, breakIt]) => {
  let body: Buffer;
  if (enc === 'base64') {
    const s = data.toString('base64').replace(/.{76}/g, '$&\r\n');
    body = latin(breakIt ? `${s.slice(0, Math.max(0, s.length - 3))}!*\0` : s);
  } else if (enc === 'quoted-printable') {
    const s = [...data].map((b) => (b >= 33 && b <= 126 && b !== 61 ? String.fromCharCode(b) : `=${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
    body = latin(breakIt ? `${s}=G\0=` : s);
  } else body = data;
  return { enc, body };
});

const encodedWord = fc.tuple(fc.constantFrom('utf-8', 'iso-8859-1', 'x-bogus', 'utf-16le'), fc.constantFrom('B', 'Q', 'X'), fc.string({ unit: 'binary', maxLength: 30 }), fc.boolean())
  .map(([cs, kind, text, broken]) => {
    const payload = kind === 'B' ? Buffer.from(text, 'utf8').toString('base64') : kind === 'Q' ? [...Buffer.from(text, 'utf8')].map((b) => `=${b.toString(16).toUpperCase().padStart(2, '0')}`).join('') : text.replace(/[\r\n?]/g, '');
    return `=?${cs}?${kind}?${broken ? `${payload.slice(1)}%` : payload}?=`;
  });

const headerText = fc.oneof(fc.string({ maxLength: 60 }).map((s) => s.replace(/[\r\n]/g, ' ')), encodedWord, fc.constant('\u0000'), fc.constant(''));
const from = fc.oneof(
  fc.constant('Anna <anna@example.com>'),
  encodedWord.map((w) => `${w} <ew@example.com>`),
  fc.constant('not an address'),
  fc.constant(''),
  fc.constant('<>'),
  fc.constant('=?utf-8?B?AA==?= <nul.name@example.com>'),
);

interface Part { type: string; charset: string; enc: string; body: Buffer }
const part = fc.record({
  type: fc.constantFrom('text/plain', 'text/html', 'application/pdf', 'image/png', 'message/rfc822', 'text/x-weird', 'garbage'),
  charset,
  encBody: encoded,
}).map(({ type, charset, encBody }): Part => ({ type, charset, enc: encBody.enc, body: encBody.body }));

const partBytes = (p: Part) =>
  Buffer.concat([latin(`Content-Type: ${p.type}; charset="${p.charset}"\r\nContent-Transfer-Encoding: ${p.enc}\r\n\r\n`), p.body]);

const message = fc.record({
  from,
  subject: headerText,
  messageId: fc.oneof(fc.constant('unique'), fc.constant('none'), fc.constant('broken')),
  hugeHeader: fc.oneof({ weight: 8, arbitrary: fc.constant(0) }, { weight: 2, arbitrary: fc.constantFrom(998, 20_000, 200_000) }, { weight: 1, arbitrary: fc.constant(1_100_000) }),
  multipart: fc.boolean(),
  parts: fc.array(part, { minLength: 1, maxLength: 4 }),
  truncateAt: fc.option(fc.double({ min: 0.05, max: 0.99, noNaN: true }), { nil: null }),
  closing: fc.boolean(),
  lfOnly: fc.boolean(),
  rawNulInHeader: fc.oneof({ weight: 9, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
});

let counter = 0;
let lastTag = Buffer.alloc(0);
function build(m: any): Buffer {
  const n = ++counter;
  const eol = m.lfOnly ? '\n' : '\r\n';
  const h: string[] = [];
  if (m.from) h.push(`From: ${m.from}`);
  h.push('To: support@fuzz.test', `Subject: ${m.subject}`, 'Date: Thu, 03 Dec 2026 10:00:00 +0000', 'MIME-Version: 1.0');
  if (m.messageId === 'unique') h.push(`Message-ID: <fuzz-${SEED}-${n}@example.com>`);
  if (m.messageId === 'broken') h.push(`Message-ID: fuzz ${n} no brackets`);
  if (m.hugeHeader) h.push(`X-Huge: ${'a'.repeat(m.hugeHeader)}`);
  if (m.rawNulInHeader) h.push('X-Nul: a\0b');
  h.push(`X-Fuzz-Case: c${n}c`);
  lastTag = latin(`X-Fuzz-Case: c${n}c`);
  let body: Buffer;
  if (m.multipart) {
    h.push('Content-Type: multipart/mixed; boundary="fz"');
    const chunks: Buffer[] = [];
    for (const p of m.parts) chunks.push(latin(`--fz${eol}`), partBytes(p), latin(eol));
    if (m.closing) chunks.push(latin(`--fz--${eol}`));
    body = Buffer.concat(chunks);
  } else {
    const p = m.parts[0];
    h.push(`Content-Type: ${p.type}; charset="${p.charset}"`, `Content-Transfer-Encoding: ${p.enc}`);
    body = p.body;
  }
  if (m.truncateAt !== null) body = body.subarray(0, Math.floor(body.length * m.truncateAt));
  return Buffer.concat([latin(h.join(eol) + eol + eol), body]);
}

const count = async () => (await env.db.query<{ n: number }>('SELECT count(*)::int AS n FROM email_messages')).rows[0].n;

test(`${RUNS} generated MIME messages (seed ${SEED}): 250 only when stored, 5xx when refused for good, never 4xx`, { timeout: 240_000 }, async () => {
  const seen: Record<string, number> = {};
  await fc.assert(
    fc.asyncProperty(message, async (m) => {
      const raw = build(m);
      const tag = lastTag;
      const before = await count();
      const r = await send(smtp.port, raw, 'fuzzer@example.com');
      const afterN = await count();
      seen[String(r.code)] = (seen[String(r.code)] ?? 0) + 1;
      if (r.code === 250) {
        if (/already stored/.test(r.response)) assert.equal(afterN, before, 'a duplicate is not stored twice');
        else {
          assert.equal(afterN, before + 1, `250 without a stored row: ${r.response}`);
          const row = (await env.db.query<{ raw_size: number; message_id: string | null; auto_kind: string | null }>(
            `SELECT raw_size, message_id, auto_kind FROM (SELECT * FROM email_messages ORDER BY received_at DESC LIMIT 1) e
              WHERE position($1::bytea in raw) > 0`, [tag])).rows[0];
          assert.ok(row, 'the stored row holds this message as sent');
          assert.ok(row.raw_size >= raw.length - 2 * raw.length / 3, 'raw source kept');
          if (row.auto_kind !== 'bounce') assert.ok(row.message_id, 'a stored mail is a message agents see');
        }
      } else if (r.code >= 500 && r.code < 600) {
        assert.equal(afterN, before, `refused with ${r.code} but stored`);
      } else {
        assert.fail(`answered ${r.code} with the database reachable: ${r.response}`);
      }
    }),
    { seed: SEED, numRuns: RUNS, endOnFailure: true, includeErrorInReport: true },
  );
  assert.ok((seen['250'] ?? 0) > RUNS / 3, `too few stored: ${JSON.stringify(seen)}`);
  assert.ok((seen['554'] ?? 0) > 0, `no refusal generated: ${JSON.stringify(seen)}`);
});

test('with the database unreachable every generated message gets 4xx (the sender keeps it and retries), never 250 or 5xx', async () => {
  const { db, drop } = await freshDb();
  const ctx: Ctx = { ...env.ctx, db };
  const a = await accounts.createAccount(ctx, { name: 'Down', slug: 'down' });
  await createMailbox(ctx, systemPrincipal(a.id), { address: 'support@fuzz.test' });
  const down = await startSmtpServer(ctx, { port: 0, host: '127.0.0.1' });
  try {
    const samples = fc.sample(message, { seed: SEED + 1, numRuns: 8 }).map(build);
    const ok = await send(down.port, samples[0], 'fuzzer@example.com');
    assert.ok(ok.code === 250 || ok.code >= 500, `before the outage: ${ok.code} ${ok.response}`);
    await db.close();
    for (const raw of samples) {
      const r = await send(down.port, raw, 'fuzzer@example.com');
      assert.ok(r.code >= 400 && r.code < 500, `database down: answered ${r.code} ${r.response}`);
    }
  } finally {
    await down.close();
    await drop().catch(() => {});
  }
});
