/**
 * Benchmark: inbound email through the real SMTP listener to committed conversations.
 *
 *   node --import tsx bench/email.ts        (BENCH_EMAIL_MESSAGES=1000, BENCH_EMAIL_CLIENTS=4)
 *
 * SMTP: N messages (multipart/alternative, text + HTML, about 2 KB) from C concurrent SMTP clients (nodemailer, one
 * connection each, reused) to `startSmtpServer` on loopback; a message counts when its 250 arrived, i.e. after its
 * conversation, message, email row, raw source and contact events committed.
 * Baseline, same run and database: the same N messages written by calling createConversation directly with the same
 * concurrency (no SMTP, no MIME parsing, no threading lookups, no email row) — the ratio is what SMTP + MIME +
 * threading + the stored raw source cost on top of the conversation write itself.
 * Backends: embedded PGlite (in memory) and PostgreSQL when reachable (fresh database, dropped at the end).
 */
import nodemailer from 'nodemailer';
// The registry registers the modules' hooks (journeys' projection of contact events), as every Earshot process does.
import '../src/modules/index.js';
import { openDb, type Db } from '../src/platform/db.js';
import { migrate } from '../src/platform/migrate.js';
import { loadConfig } from '../src/platform/config.js';
import { systemPrincipal, type Ctx } from '../src/platform/context.js';
import { createAccount } from '../src/modules/accounts/accounts.service.js';
import { createConversation } from '../src/modules/conversations/index.js';
import { createMailbox } from '../src/modules/channels/email/mailboxes.service.js';
import { claimDomain } from '../src/modules/channels/email/domains.service.js';
import { startSmtpServer } from '../src/modules/channels/email/smtp.js';
import { fmt, printTable, ratio, withPostgres } from './common.js';

const N = Number(process.env.BENCH_EMAIL_MESSAGES ?? 1000);
const C = Number(process.env.BENCH_EMAIL_CLIENTS ?? 4);

const body = (i: number) => `Hello,\n\nmy order ${i} has not arrived yet. I ordered it two weeks ago and the tracking page has not changed since.\n` +
  'Could you please check what happened and tell me when I can expect it?\n\n' + 'Kind regards\nCustomer\n'.repeat(3);
const html = (i: number) => `<html><body><p>Hello,</p><p>my order <b>${i}</b> has not arrived yet.</p>${'<p>Could you please check what happened?</p>'.repeat(8)}</body></html>`;

function raw(run: string, i: number) {
  return [
    `From: Customer ${i} <c${i}.${run}@example.com>`, 'To: Support <support@bench.test>', `Subject: Order ${i} missing`,
    'Date: Tue, 03 Mar 2026 10:15:00 +0100', `Message-ID: <bench-${run}-${i}@example.com>`, 'MIME-Version: 1.0',
    'Content-Type: multipart/alternative; boundary="b1"', '', '--b1', 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit', '',
    body(i), '--b1', 'Content-Type: text/html; charset=utf-8', '', html(i), '--b1--', '',
  ].join('\r\n');
}

async function parallel(n: number, c: number, fn: (worker: number, i: number) => Promise<void>, setup?: (w: number) => Promise<() => void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: c }, async (_, w) => {
      const done = setup ? await setup(w) : () => {};
      for (let i = next++; i < n; i = next++) await fn(w, i);
      done();
    }),
  );
}

async function measure(db: Db, backend: string) {
  const config = loadConfig({}, { logLevel: 'silent' });
  const ctx: Ctx = { db, config, now: () => new Date() };
  const suffix = Math.random().toString(36).slice(2, 8);
  const a = await createAccount(ctx, { name: 'Bench', slug: `bench-${suffix}` });
  const p = systemPrincipal(a.id);
  await claimDomain(ctx, a.id, 'bench.test'); // the operator's claim: the database may hold other accounts
  await createMailbox(ctx, p, { address: `support@bench.test` });
  const smtp = await startSmtpServer(ctx, { port: 0, host: '127.0.0.1' });
  const transports: ReturnType<typeof nodemailer.createTransport>[] = [];
  // Warm-up (JIT, first connections) outside the measurement.
  await parallel(20, C, async (w, i) => {
    await transports[w].sendMail({ envelope: { from: 'w@example.com', to: ['support@bench.test'] }, raw: raw('warm', i) });
  }, async (w) => {
    transports[w] = nodemailer.createTransport({ host: '127.0.0.1', port: smtp.port, secure: false, ignoreTLS: true, pool: true, maxConnections: 1, maxMessages: Infinity } as any);
    return () => {};
  });
  const t0 = performance.now();
  await parallel(N, C, async (w, i) => {
    const info = await transports[w].sendMail({ envelope: { from: `c${i}@example.com`, to: ['support@bench.test'] }, raw: raw('smtp', i) });
    if (!/^250/.test(String(info.response))) throw new Error(`no 250 for ${i}: ${info.response}`);
  });
  const smtpSec = (performance.now() - t0) / 1000;
  for (const t of transports) t.close();
  await smtp.close();
  const stored = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM email_messages WHERE rfc_message_id LIKE '<bench-smtp-%'`)).rows[0].n;
  if (stored !== N) throw new Error(`expected ${N} stored messages, found ${stored}`);

  const t1 = performance.now();
  await parallel(N, C, async (_w, i) => {
    await createConversation(ctx, p, {
      customer: { email: `d${i}.direct@example.com`, name: `Customer ${i}` }, channel: 'email', subject: `Order ${i} missing`,
      message: { text: body(i), html: html(i) },
    });
  });
  const directSec = (performance.now() - t1) / 1000;
  return { backend, smtp: N / smtpSec, direct: N / directSec, smtpSec, directSec };
}

const results: Awaited<ReturnType<typeof measure>>[] = [];
const notes: string[] = [];
{
  const db = await openDb({ dataDir: 'memory://' });
  await migrate(db);
  results.push(await measure(db, 'PGlite (memory)'));
  await db.close();
}
const pgResult = await withPostgres(async (db) => {
  await migrate(db);
  return measure(db, 'PostgreSQL');
});
if (typeof pgResult === 'string') notes.push(pgResult);
else results.push(pgResult);

console.log(`\nInbound email: ${fmt(N)} messages, ${C} concurrent SMTP clients, to committed conversations\n`);
printTable([
  ['backend', 'SMTP msg/s', 'createConversation msg/s (baseline)', 'SMTP / baseline', 'SMTP s', 'baseline s'],
  ...results.map((r) => [r.backend, fmt(r.smtp, 0), fmt(r.direct, 0), fmt(ratio(r.smtp, r.direct), 2), fmt(r.smtpSec, 1), fmt(r.directSec, 1)]),
]);
for (const n of notes) console.log(n);
